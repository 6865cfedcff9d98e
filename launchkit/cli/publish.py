"""CLI: launchkit post and invite, the send loop (thin: parse, call a command, show it).

`launchkit post` runs from cron every minute, so this module imports nothing heavy at the top
and `post` never touches chat.yaml, pandas or jinja2: everything it needs is in the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from launchkit import output
from launchkit.cli._app import ChatOpt, JsonOpt, command, runtime
from launchkit.errors import ExitCode, LaunchkitError, RemoteError
from launchkit.settings import DEFAULT_CHAT_FILE

if TYPE_CHECKING:
    from datetime import datetime

    from launchkit.adapters.publishing import Publisher
    from launchkit.cli.runtime import Runtime
    from launchkit.commands.invite import InviteRun
    from launchkit.commands.post import PostOptions, PostRun


def when(moment: datetime | None) -> str:
    """`2027-01-12 20:00 EST`: a due time in a table, naming its zone."""
    if moment is None:
        return "-"
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzname()}"


LateOk = Annotated[bool, typer.Option("--late-ok", help="Also send items past the grace period.")]
Until = Annotated[
    str | None, typer.Option("--until", help="Stop at this time (ISO date-time or 90m, 2h).")
]


def _options(
    rt: Runtime, *, late_ok: bool, retry_failed: bool, watch: bool = False, until: str | None
) -> PostOptions:
    from datetime import timedelta

    from launchkit.commands.post import PostOptions

    stop_at = None
    if until:
        # Imported only when given: `post` from cron every minute stays lean.
        from launchkit.commands.flags import until_flag

        stop_at = until_flag(until, rt.now())
    return PostOptions(
        late_ok=late_ok,
        late_grace=timedelta(minutes=rt.settings.late_grace_min),
        watch=watch,
        until=stop_at,
        retry_failed=retry_failed,
    )


@command("post")
def post(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be sent; change nothing.")
    ] = False,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch",
            help="Keep running: sleep until the next item, wake when `schedule` changes the "
            "plan. Holds the lock only while sending, so `invite --send` can run beside it.",
        ),
    ] = False,
    until: Until = None,
    late_ok: LateOk = False,
    retry_failed: Annotated[
        bool,
        typer.Option(
            "--retry-failed",
            help="Send failed items again (those past the grace period need --late-ok too).",
        ),
    ] = False,
    json: JsonOpt = False,
) -> None:
    """Send everything due, posts and guest emails, exactly once (safe from cron every minute).

    Posts go to X, emails through SMTP (LAUNCHKIT_SMTP_*), each once, in due order; a late
    email carries the time it is actually sent. Exits non-zero while any item is left failed,
    listing each with why; after fixing the cause, --retry-failed sends them again. Every wait
    (a rate limit, a retry) has a bound and is announced at a terminal.
    """
    from launchkit.commands import post as cmd

    rt = runtime()
    options = _options(rt, late_ok=late_ok, retry_failed=retry_failed, watch=watch, until=until)
    with rt.ledger(chat) as ledger:
        if watch and not dry_run:
            # A long run: recap each session right before its recap post goes out.
            from dataclasses import replace

            from launchkit.cli.recap import watch_recap

            options = replace(options, prepare=watch_recap(rt, chat, ledger))
        if dry_run:
            # The same send loop over a private copy of the ledger, printing what it would
            # send (on stderr with --json: stdout is for the result).
            def printing(network: str) -> Publisher:
                return rt.printing_publisher(network, err=json)

            with ledger.in_memory_copy() as copy:
                result = cmd.run(
                    copy,
                    printing,
                    options,
                    rt.clock,
                    rt.sleep,
                    notify=rt.console.notice,
                    open_mailer=lambda: rt.printing_mailer(err=json),
                )
        else:
            result = cmd.run(
                ledger,
                lambda network: rt.publisher(network, chat),
                options,
                rt.clock,
                rt.sleep,
                lock=lambda: rt.lock(chat),
                notify=rt.console.notice,
                open_mailer=rt.mailer,
            )
    _show_post_run(rt, result, json, dry_run)


def _show_post_run(rt: Runtime, result: PostRun, json: bool, dry_run: bool) -> None:
    from launchkit.commands.outcomes import failures_error
    from launchkit.domain.networks import network_label

    out = rt.console
    if json:
        out.emit_json(output.json_object(result))
    else:
        for r in result.results:
            label = "would send" if dry_run and r.outcome == "sent" else r.outcome
            where = f"  {r.url}" if r.url else ""
            detail = f"  ({r.detail})" if r.detail else ""
            first_line = r.text.splitlines()[0] if r.text else ""
            if r.ref.channel == "email":
                first_line = f"email to {r.recipient}: {first_line}"
            else:
                first_line = f"{network_label(r.ref.channel)}: {first_line}"
            out.echo(f"{label:<12} {when(r.due_local)}  {first_line}{where}{detail}")
        late = sum(r.outcome == "late" for r in result.results)
        if late:
            out.warn(f"{late} item(s) are past the grace period; send them with --late-ok")
        if not result.results:
            nxt = f"; next at {when(_in_zone(result.next_due, result.zone))}"
            # A person at a terminal is told; cron (no terminal) stays silent unless -v.
            say = out.echo if out.stdout.isatty() else out.info
            say(f"nothing due{nxt if result.next_due else ''}")
    failed = (
        failures_error(result.failed, "launchkit post --retry-failed", result.zone)
        if result.failed
        else None
    )
    if result.halted:
        if failed is not None:
            out.error(failed.message)
        for halt in result.halted[1:]:
            out.error(halt.message, halt.hint)
        first = result.halted[0]
        error = LaunchkitError(first.message, first.hint)
        error.exit_code = ExitCode(first.exit_code)
        raise error
    if failed is not None:
        raise failed
    _raise_for_unknown(result)


def _in_zone(moment: datetime | None, zone: str | None) -> datetime | None:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone)) if moment and zone else moment


def _raise_for_unknown(result: PostRun) -> None:
    unknown = [r for r in result.results if r.outcome == "unknown"]
    if not unknown:
        return
    if all(r.ref.channel != "email" for r in unknown):
        raise RemoteError(
            f"{len(unknown)} post(s) may or may not have gone out, and could not be looked up",
            hint="run `launchkit post` again: they are looked up before anything is resent",
        )
    from launchkit.commands.email_channel import UNKNOWN_HINT

    keys = ", ".join(r.ref.key for r in unknown)
    raise RemoteError(f"{len(unknown)} item(s) may or may not have gone out: {keys}", UNKNOWN_HINT)


@command("invite")
def invite(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    send: Annotated[
        bool,
        typer.Option("--send", help="Send the due emails now (`post` sends them at their time)."),
    ] = False,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="With --send: send failed emails again.")
    ] = False,
    resend: Annotated[
        list[str] | None,
        typer.Option(
            "--resend",
            help="With --send: send this email again (its outcome is unknown and you checked "
            "it did not go out). An item key from `status`; repeatable.",
        ),
    ] = None,
    mark_sent: Annotated[
        list[str] | None,
        typer.Option(
            "--mark-sent",
            help="With --send: record that this email went out (its outcome was unknown).",
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Guest emails as the ledger plans them: .eml files to review, or --send the due ones now.

    `launchkit post` sends every email at its time; --send is for sending by hand, now. An
    address the mail server refuses fails that email only; the others go. The run exits
    non-zero while any email is left failed; --retry-failed sends them again.
    """
    from launchkit.commands import invite as cmd
    from launchkit.errors import UsageError

    rt = runtime()
    if (resend or mark_sent) and not send:
        raise UsageError("--resend and --mark-sent go with --send", hint="add --send")
    with rt.ledger(chat) as ledger:
        if send:
            # By hand, now: a late email goes too (dated now), the person running it decided.
            options = _options(rt, late_ok=True, retry_failed=retry_failed, until=None)
            result = cmd.send(
                ledger,
                rt.mailer,
                options,
                rt.clock,
                rt.sleep,
                lock=lambda: rt.lock(chat),
                notify=rt.console.notice,
                resend=resend or (),
                mark_sent=mark_sent or (),
            )
        else:
            from launchkit.adapters.chatfolder import default_out_dir

            review = default_out_dir(chat) / "emails-review"
            result = cmd.preview(ledger, rt.review_mailer(review), rt.now())
    _show_invite_run(rt, result, json)


def _show_invite_run(rt: Runtime, result: InviteRun, json: bool) -> None:
    from launchkit.commands.outcomes import failures_error

    out = rt.console
    if json:
        out.emit_json(output.json_object(result))
    else:
        for r in result.results:
            where = f"  {r.where}" if r.where else ""
            detail = f"  ({r.detail})" if r.detail and r.outcome != "sent" else ""
            due = when(r.due_local)
            out.echo(f"{r.outcome:<13} {due}  {r.recipient}  {r.subject}{where}{detail}")
        out.echo(f"\n{result.sent} sent")
    failed = (
        failures_error(result.failed, "launchkit invite --send --retry-failed", result.zone)
        if result.failed
        else None
    )
    if result.stopped:
        if failed is not None:
            out.error(failed.message)
        raise RemoteError(result.stopped, result.hint)
    if failed is not None:
        raise failed
    unknown = [r.ref.key for r in result.results if r.outcome == "unknown"]
    if unknown:
        from launchkit.commands.email_channel import UNKNOWN_HINT

        raise RemoteError(f"may or may not have gone out: {', '.join(unknown)}", UNKNOWN_HINT)
