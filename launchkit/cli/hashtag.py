"""CLI: launchkit hashtag check / hashtag suggest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchkit import output
from launchkit.cli._app import CalendarOpt, JsonOpt, group, runtime
from launchkit.cli.prices import YesOpt
from launchkit.domain.networks import network_label
from launchkit.errors import UsageError

if TYPE_CHECKING:
    from launchkit.cli.runtime import Runtime
    from launchkit.commands.calendar_audit import AppliedAudit
    from launchkit.domain.hashtag.check import HashtagReport
    from launchkit.output import Console

hashtag_command = group("hashtag", "Check a hashtag for collisions, or suggest clear ones.")

LiveOpt = Annotated[
    bool,
    typer.Option(
        "--live",
        help="Also count recent use on X (paid per call: the price is shown first) and on "
        "Mastodon (LAUNCHKIT_MASTODON_URL).",
    ),
]
SlotOpt = Annotated[
    str | None,
    typer.Option(
        "--slot",
        help="Your planned weekly slot, e.g. 'Tue 20:00 America/New_York': collisions then "
        "say whether the two chats meet at the same hour.",
    ),
]


def _confirm_price(rt: Runtime, tags: list[str], yes: bool) -> None:
    """Show what --live costs before anything is called; ask unless --yes."""
    from launchkit.cli.prices import confirm_price
    from launchkit.commands.hashtag import live_price

    calls, _ = live_price(rt.settings, tags)
    confirm_price(rt.console, "--live", calls, rt.settings.price_count_usd, yes)


@hashtag_command("check")
def check(
    tags: Annotated[list[str], typer.Argument(help="Candidate hashtags ('#' optional).")],
    calendar: CalendarOpt = None,
    live: LiveOpt = False,
    yes: YesOpt = False,
    slot: SlotOpt = None,
    audit: Annotated[
        Path | None,
        typer.Option(
            "--audit",
            help="An audit (calendar audit --json): the tags of chats it found stale are free "
            "to reuse, not taken.",
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Check hashtags: validity, calendar collisions, guidance, live use (--live).

    Verdicts: clear (use it), caution (usable: read why), taken (another chat's tag, or one
    that looks the same) or invalid (not one hashtag on X). Like a linter, the exit code is 0
    when every tag checked is clear or caution, 1 when one is taken or invalid, 2 on bad
    usage (an empty tag, bad flags) and 3 or 4 when the calendar cannot be read.
    """
    from launchkit.commands import hashtag as cmd
    from launchkit.domain.hashtag.meeting import parse_slot

    rt = runtime()
    console = rt.console
    planned = None
    if slot:
        try:
            planned = parse_slot(slot)
        except ValueError as exc:
            raise UsageError(
                f"--slot: {exc}", hint="e.g. --slot 'Tue 20:00 America/New_York'"
            ) from None
    if live:
        _confirm_price(rt, tags, yes)
    with console.working("Checking against the calendar" + (" and live usage" if live else "")):
        chats = rt.calendar(calendar)
        applied: AppliedAudit | None = None
        if audit:
            from launchkit.commands.calendar_audit import REUSABLE, apply_audit

            applied = apply_audit(chats, rt.audit_file(audit), REUSABLE)
        result = cmd.check(
            tags,
            applied.calendar if applied else chats,
            today=rt.today(),
            live_usage=rt.live_usage if live else None,
            slot=planned,
            stale=applied.left_out if applied else (),
        )
    for warning in result.warnings:
        console.warn(warning)
    reusable = result.reusable or tuple(() for _ in result.reports)
    if json:
        shown = [report.as_json() for report in result.reports]
        if audit:  # only then: the documented shape stays as it was without --audit
            for item, dead in zip(shown, reusable, strict=True):
                item["reusable"] = [{"hashtag": c.hashtag, "row": c.row} for c in dead]
        console.emit_json(shown)
    else:
        console.echo(f"Checked against {result.calendar_source} ({result.calendar_rows} rows).")
        for report, dead in zip(result.reports, reusable, strict=True):
            _show(console, report)
            for collision in dead:
                console.echo(
                    f"  reusable: {collision.hashtag} (row {collision.row}) is a chat the audit "
                    "found stale: its tag is free to take"
                )
    if not result.usable:
        raise typer.Exit(1)


def _show(console: Console, report: HashtagReport) -> None:
    from launchkit.domain.excerpt import first_words

    console.echo("")
    console.echo(f"{report.hashtag}: {report.verdict.upper()}")
    for problem in report.problems:
        console.echo(f"  invalid: {problem}")
    console.echo(f"  weighted length {report.weighted_length}")
    for reason in report.reasons:
        if reason not in report.problems:
            console.echo(f"  why: {reason}")
    if report.collisions:
        rows = [
            (
                c.kind,
                c.hashtag,
                c.row,
                c.name or "-",
                first_words(c.schedule_text, 48, output.text_width),
                "" if same is None else ("yes" if same else "no"),
            )
            for c, same in zip(report.collisions, report.same_hour, strict=True)
        ]
        table = output.table(["kind", "tag", "row", "name", "schedule", "same hour"], rows)
        console.echo("  " + table.replace("\n", "\n  "))
    else:
        console.echo("  no collisions on the calendar")
    for service, usage in report.usage.items():
        console.echo(f"  {network_label(service)}: {usage.summary}")
        if usage.hint and usage.reason and not usage.reason.startswith("not asked"):
            console.echo(f"    hint: {usage.hint}")
    for advice in report.advice:
        console.echo(f"  - {advice}")


@hashtag_command("suggest")
def suggest(
    words: Annotated[list[str], typer.Argument(help="Topic words, e.g. indie game development.")],
    calendar: CalendarOpt = None,
    json: JsonOpt = False,
) -> None:
    """Suggest clear hashtags built from topic words, shortest and clearest first."""
    from launchkit.commands import hashtag as cmd

    rt = runtime()
    console = rt.console
    with console.working("Building and checking candidates"):
        result = cmd.suggest(words, rt.calendar(calendar))
    if json:
        console.emit_json([s.report.as_json() for s in result.suggestions])
        return
    if not result.suggestions:
        console.echo(f"None of {result.checked} candidates is clear on {result.calendar_source}.")
        console.echo("Try other or more specific words.")
        return
    console.echo(f"Clear on {result.calendar_source} ({result.checked} candidates checked):")
    rows = [
        (s.hashtag, s.weighted_length, "; ".join(s.report.advice[:-1]) or "-")
        for s in result.suggestions
    ]
    console.echo(output.table(["hashtag", "length", "advice"], rows))
