"""CLI: launchkit schedule, post, invite, status (thin: parse, call a command, show it).

`launchkit post` runs from cron every minute, so this module imports nothing heavy at the top
and `post` never touches chat.yaml, pandas or jinja2: everything it needs is in the ledger.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchkit import output
from launchkit.cli._app import ChatOpt, JsonOpt, SessionsOpt, command
from launchkit.errors import ConfigError, RemoteError
from launchkit.settings import DEFAULT_CHAT_FILE, DEFAULT_SESSIONS

if TYPE_CHECKING:
    from launchkit.adapters.ledger import SqliteLedger
    from launchkit.commands.post import PostRun
    from launchkit.commands.status import StatusReport


def _open_ledger(chat: Path, must_exist: bool = True) -> SqliteLedger:
    from launchkit.adapters.ledger import SqliteLedger, ledger_path

    path = ledger_path(chat)
    if must_exist and not path.is_file():
        raise ConfigError(
            f"no ledger at {path}", hint="run `launchkit schedule` first to plan the posts"
        )
    return SqliteLedger.open(path)


@command("post")
def post(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be posted; change nothing.")
    ] = False,
    watch: Annotated[
        bool, typer.Option("--watch", help="Keep running, sleeping until the next post.")
    ] = False,
    until: Annotated[
        str | None, typer.Option("--until", help="Stop at this time (ISO date-time or 90m, 2h).")
    ] = None,
    late_ok: Annotated[
        bool, typer.Option("--late-ok", help="Also send posts past the grace period.")
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Send every due post in due order, exactly once (safe to run from cron every minute)."""
    from datetime import UTC, datetime, timedelta

    from launchkit.adapters.process_lock import LOCK_FILE, ProcessLock
    from launchkit.commands import post as cmd
    from launchkit.commands.flags import until_flag
    from launchkit.settings import load_settings

    settings = load_settings()
    ledger = _open_ledger(chat)
    options = cmd.PostOptions(
        late_ok=late_ok,
        late_grace=timedelta(minutes=settings.late_grace_min),
        watch=watch,
        until=until_flag(until, datetime.now(UTC)) if until else None,
    )
    if dry_run:
        from launchkit.adapters.dry_run import PrintingPublisher

        result = cmd.run(ledger.in_memory_copy(), lambda: PrintingPublisher(output.echo), options)
    else:
        from launchkit.adapters.x_post import tweepy_publisher

        lock = ProcessLock(ledger_dir(chat) / LOCK_FILE)
        with lock:
            result = cmd.run(ledger, lambda: tweepy_publisher(settings), options)
    _show_post_run(result, json)


def ledger_dir(chat: Path) -> Path:
    """The `.launchkit` folder beside chat.yaml."""
    from launchkit.adapters.ledger import ledger_path

    return ledger_path(chat).parent


def _show_post_run(result: PostRun, json: bool) -> None:
    if json:
        output.emit_json(result)
    else:
        for r in result.results:
            where = f"  {r.url}" if r.url else ""
            detail = f"  ({r.detail})" if r.detail else ""
            first_line = r.text.splitlines()[0] if r.text else ""
            output.echo(
                f"{r.outcome:<12} {r.due_utc:%Y-%m-%d %H:%M} UTC  {first_line}{where}{detail}"
            )
        late = sum(r.outcome == "late" for r in result.results)
        if late:
            output.warn(f"{late} post(s) are past the grace period; send them with --late-ok")
        if not result.results:
            nxt = f"; next at {result.next_due:%Y-%m-%d %H:%M} UTC" if result.next_due else ""
            # A person at a terminal is told; cron (no terminal) stays silent unless -v.
            say = output.echo if sys.stdout.isatty() else output.info
            say(f"nothing due{nxt}")
    if result.stopped:
        raise RemoteError(result.stopped, result.hint)


@command("status")
def status(chat: ChatOpt = DEFAULT_CHAT_FILE, json: JsonOpt = False) -> None:
    """Show the ledger: sent (with links), due, planned, failed, unknown."""
    from datetime import UTC, datetime, timedelta

    from launchkit.adapters.ledger import ledger_path
    from launchkit.commands import status as cmd
    from launchkit.settings import load_settings

    grace = timedelta(minutes=load_settings().late_grace_min)
    report = cmd.run(_open_ledger(chat), ledger_path(chat), datetime.now(UTC), grace)
    if json:
        output.emit_json(report)
        return
    _show_status(report)


def _show_status(report: StatusReport) -> None:
    output.echo("  ".join(f"{name}: {n}" for name, n in report.counts.items()))
    rows = [
        (r.status, r.due_local, r.channel, r.key, r.url or r.error or r.recipient or "")
        for r in report.items
    ]
    if rows:
        output.echo("")
        output.echo(output.table(["status", "due", "on", "item", "link / note"], rows))
    if report.submissions is not None:
        output.echo("")
        output.echo(f"calendar submissions: {len(report.submissions)}")
        for sub in report.submissions:
            output.echo(f"  {sub}")


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
    from datetime import UTC, datetime

    from launchkit.commands import schedule as cmd
    from launchkit.commands.flags import date_flag, duration_flag
    from launchkit.settings import load_settings

    result = cmd.run(
        chat,
        load_settings(),
        now=datetime.now(UTC),
        sessions=sessions,
        from_date=date_flag("--from", from_date),
        shift=duration_flag("--shift", shift, "dw", "7d") if shift else None,
        cancel=date_flag("--cancel", cancel),
    )
    for warning in result.warnings:
        output.warn(warning)
    if json:
        output.emit_json(result)
        return
    rows = [
        (
            t.due_local,
            "late" if t.late else t.state,
            t.channel,
            t.key,
            f"${t.cost_usd:.3f}" if t.channel == "x" else "-",
            (t.text.splitlines() or [""])[0][:50],
        )
        for t in result.items
    ]
    output.echo(output.table(["due", "state", "on", "item", "cost", "text"], rows))
    c = result.counts
    output.echo(
        f"\n{c.added} added, {c.updated} updated, {c.unchanged} unchanged, "
        f"{c.kept} already sent, {c.dropped} dropped"
    )
    output.echo(f"X API cost of the unsent posts: ${result.total_cost_usd:.2f}")
    output.echo("Wrote " + ", ".join(str(f) for f in result.files))


@command("invite")
def invite(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    send: Annotated[
        bool, typer.Option("--send", help="Send the due emails through SMTP (once each).")
    ] = False,
    sessions: SessionsOpt = DEFAULT_SESSIONS,
    json: JsonOpt = False,
) -> None:
    """Guest emails: write them as .eml files to review, or --send them through SMTP."""
    from contextlib import ExitStack
    from datetime import UTC, datetime

    from launchkit.adapters.dry_run import EmlFolderMailer
    from launchkit.adapters.process_lock import LOCK_FILE, ProcessLock
    from launchkit.adapters.smtp import Mailer, SmtpMailer
    from launchkit.commands import invite as cmd
    from launchkit.settings import load_settings

    ledger = _open_ledger(chat, must_exist=False)
    with ExitStack() as stack:
        mailer: Mailer
        if send:
            stack.enter_context(ProcessLock(ledger_dir(chat) / LOCK_FILE))
            mailer = stack.enter_context(SmtpMailer(load_settings()))
        else:
            mailer = EmlFolderMailer(chat.resolve().parent / "out" / "emails-review")
        result = cmd.run(chat, ledger, mailer, now=datetime.now(UTC), sessions=sessions)
    if json:
        output.emit_json(result)
    else:
        for r in result.results:
            where = f"  {r.where}" if r.where else ""
            output.echo(f"{r.outcome:<13} {r.recipient}  {r.subject}{where}")
        output.echo(f"\n{result.sent} sent")
    if result.stopped:
        raise RemoteError(result.stopped, result.hint)
