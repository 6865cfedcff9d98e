"""CLI: launchkit schedule, post, invite, status (thin: parse, call a command, show it).

`launchkit post` runs from cron every minute, so this module imports nothing heavy at the top
and `post` never touches chat.yaml, pandas or jinja2: everything it needs is in the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from launchkit import output
from launchkit.cli._app import ChatOpt, JsonOpt, SessionsOpt, command, runtime
from launchkit.errors import RemoteError
from launchkit.settings import DEFAULT_CHAT_FILE, DEFAULT_SESSIONS

if TYPE_CHECKING:
    from datetime import datetime

    from launchkit.adapters.publishing import Publisher
    from launchkit.adapters.smtp import Mailer
    from launchkit.cli.runtime import Runtime
    from launchkit.commands.post import PostRun
    from launchkit.commands.schedule import ScheduleRun
    from launchkit.commands.status import StatusReport


def _when(moment: datetime) -> str:
    """`2027-01-12 20:00 EST`: a due time in a table, naming its zone."""
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzname()}"


@command("post")
def post(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be posted; change nothing.")
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Keep running: sleep until the next post, wake when `schedule` changes the "
            "plan. Holds the lock only while sending, so `invite --send` can run beside it.",
        ),
    ] = False,
    until: Annotated[
        str | None, typer.Option("--until", help="Stop at this time (ISO date-time or 90m, 2h).")
    ] = None,
    late_ok: Annotated[
        bool, typer.Option("--late-ok", help="Also send posts past the grace period.")
    ] = False,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="Send failed posts again (those past the grace period need --late-ok too).",
        ),
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Send every due post in due order, exactly once (safe to run from cron every minute).

    Exits non-zero while any post is left failed, listing each with why; after fixing the
    cause, --retry-failed sends them again. Every wait (a rate limit, a retry) has a bound and
    is announced at a terminal.
    """
    from datetime import timedelta

    from launchkit.commands import post as cmd

    rt = runtime()
    stop_at = None
    if until:
        # Imported only when given: `post` from cron every minute stays lean.
        from launchkit.commands.flags import until_flag

        stop_at = until_flag(until, rt.now())
    options = cmd.PostOptions(
        late_ok=late_ok,
        late_grace=timedelta(minutes=rt.settings.late_grace_min),
        watch=watch,
        until=stop_at,
        retry_failed=retry_failed,
    )
    with rt.ledger(chat) as ledger:
        if watch and not dry_run:
            # A long run: recap each session right before its recap post goes out.
            from dataclasses import replace

            from launchkit.cli.recap import watch_recap

            options = replace(options, prepare=watch_recap(rt, chat, ledger))
        if dry_run:
            # The same send loop over a private copy of the ledger, with a printing publisher
            # (on stderr with --json: stdout is for the result).
            def printing(network: str) -> Publisher:
                return rt.printing_publisher(network, err=json)

            with ledger.in_memory_copy() as copy:
                result = cmd.run(
                    copy, printing, options, rt.clock, rt.sleep, notify=rt.console.notice
                )
        else:
            result = cmd.run(
                ledger,
                rt.publisher,
                options,
                rt.clock,
                rt.sleep,
                lock=lambda: rt.lock(chat),
                notify=rt.console.notice,
            )
    _show_post_run(rt, result, json)


def _show_post_run(rt: Runtime, result: PostRun, json: bool) -> None:
    from launchkit.commands.outcomes import failures_error

    out = rt.console
    if json:
        out.emit_json(output.json_object(result))
    else:
        for r in result.results:
            where = f"  {r.url}" if r.url else ""
            detail = f"  ({r.detail})" if r.detail else ""
            first_line = r.text.splitlines()[0] if r.text else ""
            due = f"{r.ref.due_utc:%Y-%m-%d %H:%M} UTC"
            out.echo(f"{r.outcome:<12} {due}  {first_line}{where}{detail}")
        late = sum(r.outcome == "late" for r in result.results)
        if late:
            out.warn(f"{late} post(s) are past the grace period; send them with --late-ok")
        if not result.results:
            nxt = f"; next at {result.next_due:%Y-%m-%d %H:%M} UTC" if result.next_due else ""
            # A person at a terminal is told; cron (no terminal) stays silent unless -v.
            say = out.echo if out.stdout.isatty() else out.info
            say(f"nothing due{nxt}")
    failed = (
        failures_error(result.failed, "post", "launchkit post --retry-failed")
        if result.failed
        else None
    )
    if result.stopped:
        if failed is not None:
            out.error(failed.message)
        raise RemoteError(result.stopped, result.hint)
    if failed is not None:
        raise failed
    unknown = sum(r.outcome == "unknown" for r in result.results)
    if unknown:
        raise RemoteError(
            f"{unknown} post(s) may or may not have gone out, and could not be looked up",
            hint="run `launchkit post` again: they are looked up before anything is resent",
        )


@command("status")
def status(chat: ChatOpt = DEFAULT_CHAT_FILE, json: JsonOpt = False) -> None:
    """Show the ledger: sent (with links), due, planned, failed, unknown."""
    from datetime import timedelta

    from launchkit.commands import status as cmd

    rt = runtime()
    grace = timedelta(minutes=rt.settings.late_grace_min)
    with rt.ledger(chat) as ledger:
        report = cmd.run(ledger, rt.submissions(chat).all(), rt.now(), grace)
    if json:
        rt.console.emit_json(output.json_object(report))
        return
    _show_status(rt, report)


def _show_status(rt: Runtime, report: StatusReport) -> None:
    out = rt.console
    out.echo("  ".join(f"{name}: {n}" for name, n in report.counts.items()))
    rows = [
        (r.status, _when(r.due_local), r.ref.channel, r.ref.key, r.url or r.error or r.recipient)
        for r in report.items
    ]
    if rows:
        out.echo("")
        out.echo(output.table(["status", "due", "on", "item", "link / note"], rows))
    out.echo("")
    out.echo(f"calendar submissions: {len(report.submissions)}")
    for sub in report.submissions:
        out.echo(f"  {sub}")


@command("schedule")
def schedule(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    sessions: SessionsOpt = DEFAULT_SESSIONS,
    from_date: Annotated[
        str | None, typer.Option("--from", help="First session on or after (YYYY-MM-DD).")
    ] = None,
    shift: Annotated[
        str | None, typer.Option("--shift", help="Move the sessions by whole days (7d, 2w).")
    ] = None,
    cancel: Annotated[
        str | None, typer.Option("--cancel", help="Drop the session on this date (YYYY-MM-DD).")
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Plan the announcement sequence into the ledger; print the timeline and its X API cost."""
    from launchkit.commands import schedule as cmd
    from launchkit.commands.flags import date_flag, duration_flag

    rt = runtime()
    folder = rt.chat_folder(chat)
    with rt.ledger(chat, must_exist=False) as ledger:
        result = cmd.run(
            folder,
            ledger,
            rt.settings,
            now=rt.now(),
            sessions=sessions,
            from_date=date_flag("--from", from_date),
            shift=duration_flag("--shift", shift, "dw", "7d") if shift else None,
            cancel=date_flag("--cancel", cancel),
        )
    for warning in result.warnings:
        rt.console.warn(warning)
    if json:
        rt.console.emit_json(output.json_object(result))
        return
    _show_schedule(rt, result)


def _show_schedule(rt: Runtime, result: ScheduleRun) -> None:
    from launchkit.domain.excerpt import first_words

    out = rt.console
    rows = [
        (
            _when(t.due_local),
            "late" if t.late else t.state,
            t.ref.channel,
            t.ref.key,
            f"${t.cost_usd:.3f}" if t.ref.channel == "x" else "-",
            first_words(t.text, 50, output.text_width),
        )
        for t in result.items
    ]
    out.echo(output.table(["due", "state", "on", "item", "cost", "text"], rows))
    c = result.counts
    out.echo(
        f"\n{c.added} added, {c.updated} updated, {c.unchanged} unchanged, "
        f"{c.kept} already sent, {c.dropped} dropped"
    )
    out.echo(f"X API cost of the unsent posts: ${result.total_cost_usd:.2f}")
    out.echo("Wrote " + ", ".join(str(f) for f in result.files))


@command("invite")
def invite(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    send: Annotated[
        bool, typer.Option("--send", help="Send the due emails through SMTP (once each).")
    ] = False,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="With --send: send failed emails again.")
    ] = False,
    sessions: SessionsOpt = DEFAULT_SESSIONS,
    json: JsonOpt = False,
) -> None:
    """Guest emails: write them as .eml files to review, or --send them through SMTP.

    With --send, an address the mail server refuses fails that email only; the others go.
    The run exits non-zero while any email is left failed; --retry-failed sends them again.
    """
    from contextlib import ExitStack

    from launchkit.commands import invite as cmd
    from launchkit.commands.outcomes import failures_error

    rt = runtime()
    folder = rt.chat_folder(chat)
    with ExitStack() as stack:
        ledger = stack.enter_context(rt.ledger(chat, must_exist=False))
        mailer: Mailer
        if send:
            stack.enter_context(rt.lock(chat))
            mailer = stack.enter_context(rt.mailer())
        else:
            mailer = rt.review_mailer(folder.out_dir / "emails-review")
        result = cmd.run(
            folder, ledger, mailer, now=rt.now(), sessions=sessions, retry_failed=retry_failed
        )
    out = rt.console
    if json:
        out.emit_json(output.json_object(result))
    else:
        for r in result.results:
            where = f"  {r.where}" if r.where else ""
            detail = f"  ({r.detail})" if r.detail and r.outcome != "sent" else ""
            out.echo(f"{r.outcome:<13} {r.recipient}  {r.subject}{where}{detail}")
        out.echo(f"\n{result.sent} sent")
    failed = (
        failures_error(result.failed, "email", "launchkit invite --send --retry-failed")
        if result.failed
        else None
    )
    if result.stopped:
        if failed is not None:
            out.error(failed.message)
        raise RemoteError(result.stopped, result.hint)
    if failed is not None:
        raise failed
