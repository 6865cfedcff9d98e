"""CLI: launchkit schedule and status, the season's plan and where it stands (thin)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchkit import output
from launchkit.cli._app import ChatOpt, JsonOpt, command, runtime
from launchkit.cli.publish import when
from launchkit.errors import UsageError
from launchkit.settings import DEFAULT_CHAT_FILE

if TYPE_CHECKING:
    from launchkit.cli.runtime import Runtime
    from launchkit.commands.schedule import ScheduleRun
    from launchkit.commands.status import StatusReport


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
        (r.status, when(r.due_local), r.network, r.ref.key, r.url or r.error or r.recipient)
        for r in report.items
    ]
    if rows:
        out.echo("")
        out.echo(output.table(["status", "due", "network", "item", "link / note"], rows))
    out.echo("")
    out.echo(f"calendar submissions: {len(report.submissions)}")
    for sub in report.submissions:
        out.echo(f"  {sub}")


@command("schedule")
def schedule(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    sessions: Annotated[
        int | None,
        typer.Option(
            "--sessions",
            min=1,
            help="How many sessions to plan (kept for later runs; default 4, or as many as "
            "reach the last guest's session).",
        ),
    ] = None,
    from_date: Annotated[
        str | None, typer.Option("--from", help="First session on or after (YYYY-MM-DD).")
    ] = None,
    shift: Annotated[
        str | None,
        typer.Option(
            "--shift",
            help="Move every session from the next one on by whole days (1d, 7d, 2w); later "
            "sessions follow.",
        ),
    ] = None,
    cancel: Annotated[
        str | None, typer.Option("--cancel", help="Cancel the session on this date (YYYY-MM-DD).")
    ] = None,
    skip_holidays: Annotated[
        bool,
        typer.Option(
            "--skip-holidays",
            help="Cancel the sessions on a public holiday in the host's or audience's countries.",
        ),
    ] = False,
    fresh_plan: Annotated[
        bool,
        typer.Option(
            "--fresh-plan",
            help="Forget shifts and cancellations and plan N sessions from the rule again "
            "(N: --sessions, or the default); sent posts and emails stay in the ledger.",
        ),
    ] = False,
    skip_late: Annotated[
        bool, typer.Option("--skip-late", help="Leave out the steps already late (not sent).")
    ] = False,
    send_late: Annotated[
        bool,
        typer.Option("--send-late", help="Let `post` send the steps already late, at once."),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Folder for sequence.ics/.csv (default: out/ by chat.yaml)."),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Plan the season's sequence into the ledger; print the timeline and its X API cost."""
    from launchkit.commands import schedule as cmd
    from launchkit.commands.flags import date_flag, duration_flag

    rt = runtime()
    if skip_late and send_late:
        raise UsageError("--skip-late and --send-late exclude each other", hint="pick one")
    folder = rt.chat_folder(chat)
    limits = rt.mastodon_limits() if "mastodon" in folder.chat.networks else None
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
            skip_holidays=skip_holidays,
            fresh_plan=fresh_plan,
            late="skip" if skip_late else "send" if send_late else None,
            out_dir=out,
            mastodon=limits,
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
            when(t.due_local),
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
    if result.fresh_plan:
        out.echo("Plan started afresh from chat.yaml's rule: earlier shifts and cancellations")
        out.echo("forgotten (what was sent stays in the ledger)")
    days = ", ".join(d.isoformat() for d in result.sessions)
    out.echo(f"Sessions ({len(result.sessions)}): {days}")
    if result.cancelled:
        out.echo("Cancelled: " + ", ".join(d.isoformat() for d in result.cancelled))
    out.echo(f"X API cost of the unsent posts: ${result.total_cost_usd:.2f}")
    out.echo("Wrote " + ", ".join(str(f) for f in result.files))
