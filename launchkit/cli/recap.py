"""CLI: launchkit recap, launchkit people (thin: parse, call a command, show it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchkit import output
from launchkit.cli._app import ChatOpt, JsonOpt, command, runtime
from launchkit.cli.prices import YesOpt
from launchkit.settings import DEFAULT_CHAT_FILE

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from launchkit.adapters.chatfolder import ChatFolder
    from launchkit.adapters.ledger import Item, SqliteLedger
    from launchkit.cli.runtime import Runtime
    from launchkit.commands.people import PeopleReport
    from launchkit.commands.recap import RecapRun
    from launchkit.commands.recap_sources import Approve
    from launchkit.domain.recap.posts import HandleRule

ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option("--exclude", help="Leave this person out (@name, network:@name); repeatable."),
]


def own_accounts(rt: Runtime) -> list[HandleRule]:
    """The accounts launchkit posts from, besides chat.yaml's host.handle."""
    from launchkit.domain.recap.posts import HandleRule

    handle = rt.settings.bluesky_handle
    return [HandleRule(handle.lstrip("@").lower(), "bluesky")] if handle else []


def recap_session(
    rt: Runtime,
    folder: ChatFolder,
    ledger: SqliteLedger | None,
    approve: Approve,
    *,
    session: date | None = None,
    exclude: list[str] | None = None,
    refresh: bool = False,
) -> RecapRun:
    """Run the recap of `session` with the runtime's stores and readers."""
    from launchkit.commands import recap as cmd

    chat_file = folder.chat_file
    with rt.post_store(chat_file) as posts, rt.people_store(chat_file) as people:
        return cmd.run(
            folder,
            ledger,
            posts,
            people,
            lambda network: rt.tag_reader(network, chat_file),
            approve,
            now=rt.now(),
            session=session,
            exclude=exclude or [],
            own_accounts=own_accounts(rt),
            refresh=refresh,
        )


def _approver(rt: Runtime, yes: bool) -> Approve:
    from launchkit.cli.prices import approve_price
    from launchkit.commands.recap_sources import PaidRead

    def approve(paid: PaidRead) -> str | None:
        return approve_price(
            rt.console, "X recent search", paid.max_calls, rt.settings.price_count_usd, yes
        )

    return approve


@command("recap")
def recap(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    session: Annotated[
        str | None,
        typer.Option("--session", help="The session's date (default: the latest that ended)."),
    ] = None,
    exclude: ExcludeOpt = None,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Read every network again, even spans read whole.")
    ] = False,
    yes: YesOpt = False,
    json: JsonOpt = False,
) -> None:
    """Recap a session: the transcript, the figures and the people who came."""
    from launchkit.adapters.ledger import ledger_path
    from launchkit.commands.flags import date_flag

    rt = runtime()
    folder = rt.chat_folder(chat)
    ledger = rt.ledger(chat) if ledger_path(chat).is_file() else None
    try:
        with rt.console.working("Reading the session's posts"):
            result = recap_session(
                rt,
                folder,
                ledger,
                _approver(rt, yes),
                session=date_flag("--session", session),
                exclude=exclude,
                refresh=refresh,
            )
    finally:
        if ledger is not None:
            ledger.close()
    for warning in result.warnings:
        rt.console.warn(warning)
    if json:
        rt.console.emit_json(output.json_object(result.summary))
        return
    _show_recap(rt, result)


def _show_recap(rt: Runtime, result: RecapRun) -> None:
    from launchkit.domain.networks import network_label
    from launchkit.domain.recap.posts import shown_handle
    from launchkit.domain.timefmt import format_local

    out, s = rt.console, result.summary
    out.echo(
        f"{s.hashtag} on {s.session}: {s.posts} posts, {s.participants} people, "
        f"{s.answers} answers ({format_local(s.window.start)} to {format_local(s.window.end)})"
    )
    out.echo("")
    rows = [(network_label(n), f.posts, f.status) for n, f in s.sources.items()]
    out.echo(output.table(["network", "posts", "status"], rows))
    if s.questions:
        out.echo("")
        rows = [(f"Q{q.n}", q.answers, q.text[:60]) for q in s.questions]
        out.echo(output.table(["question", "answers", "text"], rows))
    if s.top_participants:
        out.echo("")
        top = [
            (shown_handle(p.handle), network_label(p.network), p.posts) for p in s.top_participants
        ]
        out.echo(output.table(["most active", "network", "posts"], top))
    out.echo("")
    if result.recap_posts_updated:
        out.echo(
            f"The recap post now carries these figures ({result.recap_posts_updated} updated)."
        )
    out.echo("Wrote " + ", ".join(str(f) for f in result.files))


@command("people")
def people(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    csv: Annotated[
        Path | None, typer.Option("--csv", help="Also write the list as CSV to this file.")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """List the people who came, and who to welcome, thank and invite back."""
    from launchkit.commands import people as cmd

    rt = runtime()
    folder = rt.chat_folder(chat)
    with rt.people_store(chat) as store:
        report = cmd.run(folder.chat, store, folder.out_dir, csv_path=csv)
    if json:
        rt.console.emit_json(output.json_object(report))
        return
    _show_people(rt, report)


def _show_people(rt: Runtime, report: PeopleReport) -> None:
    from launchkit.domain.networks import network_label
    from launchkit.domain.recap.posts import shown_handle

    out = rt.console
    if report.latest_session is None:
        out.echo("No session has a recap yet: run `launchkit recap` after a session.")
    else:
        out.echo(
            f"{len(report.people)} people over {len(report.sessions)} recapped sessions "
            f"(latest {report.latest_session})"
        )
    if report.people:
        rows = [
            (p.status, shown_handle(p.handle), network_label(p.network), p.sessions, p.posts,
             p.first_session, p.last_session)
            for p in report.people
        ]  # fmt: skip
        out.echo("")
        out.echo(
            output.table(["status", "who", "network", "sessions", "posts", "first", "last"], rows)
        )
    plan = report.follow_up
    for title, chosen in (
        ("Welcome", plan.welcome),
        ("Thank", plan.thank),
        ("Invite back", plan.invite_back),
    ):
        if chosen:
            out.echo(f"\n{title}: " + ", ".join(shown_handle(p.handle) for p in chosen))
    out.echo("\nWrote " + ", ".join(str(f) for f in report.files))


def watch_recap(rt: Runtime, chat: Path, ledger: SqliteLedger) -> Callable[[Item], Item]:
    """`post --watch`'s hook: recap a session right before its recap post is sent."""
    from launchkit.commands.recap_post import recap_before_sending

    def not_asked(_: object) -> str:
        return "post --watch does not ask for X's price (run `launchkit recap --yes`)"

    def recap_now(folder: ChatFolder, item: Item) -> None:
        from launchkit.errors import LaunchkitError

        try:
            result = recap_session(rt, folder, ledger, not_asked, session=item.ref.session)
        except LaunchkitError as exc:
            rt.console.warn(
                f"no recap of {item.ref.session} ({exc.message}): the recap post keeps its text"
            )
            return
        rt.console.info(f"recapped {item.ref.session}: " + ", ".join(str(f) for f in result.files))

    return recap_before_sending(lambda: rt.chat_folder(chat), ledger, recap_now)
