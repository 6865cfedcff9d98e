"""How `calendar show`, `heatmap`, `audit` and `site` results look on a terminal and as JSON."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from launchkit import output
from launchkit.commands.calendars import HeatmapResult, ShowResult, ShowRow
from launchkit.domain.calendars.heatmap import grid_text, title
from launchkit.domain.calendars.week import sessions_text
from launchkit.domain.excerpt import first_words
from launchkit.domain.weekdays import DAY_CODES, DAY_NAMES
from launchkit.output import Console

if TYPE_CHECKING:  # `calendar show` need not load the audit's and the site's modules
    from launchkit.commands.calendar_audit import AuditResult
    from launchkit.commands.calendar_site import SiteBuild


def when(moment: datetime | None) -> str:
    """ "Tue 2026-12-01 20:00 EST (America/New_York)": every shown time names its zone."""
    if moment is None:
        return "-"
    return f"{moment:%a %Y-%m-%d %H:%M} {moment.tzname()} ({moment.tzinfo})"


def print_show(console: Console, result: ShowResult, as_json: bool) -> None:
    """Print the chats sorted by next session (a table, or JSON)."""
    if as_json:
        console.emit_json(
            {
                "schema_version": output.SCHEMA_VERSION,
                "tz": result.zone.name,
                "now": result.now.isoformat(),
                "chats": [
                    {
                        "next_start": r.next_start.isoformat() if r.next_start else None,
                        **r.entry.to_json(),
                        "topic": r.entry.topic,
                        "link": r.entry.link,
                    }
                    for r in result.rows
                ],
            }
        )
        return
    if result.zone.note:
        console.warn(result.zone.note)
    rows = [
        (
            when(r.next_start),
            r.entry.hashtag or r.entry.name or f"row {r.entry.row}",
            _schedule(r),
            first_words(r.entry.topic or "", 40, output.text_width),
        )
        for r in result.rows
    ]
    console.echo(output.table(["next session", "chat", "schedule (own zone)", "topic"], rows))
    summary = f"{len(result.rows)} chats; times in {result.zone.name}"
    if result.unscheduled:
        summary += f"; {result.unscheduled} without a known day, time or zone are listed last"
    console.echo(summary)


def _schedule(row: ShowRow) -> str:
    parse = row.entry.parse
    if not parse.sessions:
        return first_words(row.entry.schedule_text, 40, output.text_width)
    return f"{sessions_text(parse.sessions)} {parse.tz or '(zone unknown)'}"


def print_heatmap(console: Console, result: HeatmapResult, as_json: bool) -> None:
    """Print the week grid (coloured on a terminal), a note on what was left out, the file."""
    grid = result.grid
    if as_json:
        console.emit_json(
            {
                "schema_version": output.SCHEMA_VERSION,
                "tz": grid.tz,
                "week_start": grid.week_start.isoformat(),
                "days": list(DAY_CODES),
                "counts": [list(day) for day in grid.counts],
                "placed": grid.placed,
                "skipped": grid.skipped,
                "no_weekday": grid.odd_rules,
                "mark": list(result.mark) if result.mark else None,
                "out": str(result.out) if result.out else None,
            }
        )
        return
    if result.zone.note:
        console.warn(result.zone.note)
    console.echo(title(grid))
    console.echo(grid_text(grid, result.mark, color=console.use_color()), styled=True)
    left_out = grid.skipped + grid.odd_rules
    note = f"{grid.placed} chats counted"
    if left_out:
        note += f"; {left_out} left out (no known day, time or zone)"
    console.echo(note)
    if result.mark:
        d, h = result.mark
        count = grid.counts[d][h]
        console.echo(f"your slot {DAY_NAMES[d]} {h:02d}:00 {grid.tz}: {count:g} chats in that hour")
    if result.out:
        console.echo(f"wrote {result.out}")


def print_audit(console: Console, result: AuditResult, as_json: bool) -> None:
    """The verdict of every row worth a look, then the counts and where use was looked up."""
    if as_json:
        console.emit_json(output.json_object(result.as_json()))
        return
    rows = [
        (
            r.row,
            first_words(r.hashtag or r.name or "-", 28, output.text_width),
            r.verdict,
            r.last_seen.isoformat() if r.last_seen else "-",
            first_words("; ".join(r.reasons), 70, output.text_width),
        )
        for r in result.rows
        if r.verdict not in ("active", "unknown") or r.fixes
    ]
    if rows:
        console.echo(output.table(["row", "chat", "verdict", "last seen", "why"], rows))
    counts = ", ".join(f"{n} {verdict}" for verdict, n in result.counts.items() if n)
    console.echo(f"{len(result.rows)} rows: {counts}")
    console.echo(result.live_note)
    if result.checked_on:
        asked = result.requests
        sent = f"{asked} lookup{'s' * (asked != 1)} sent"
        console.echo(sent if asked else "all answers from today's cache")
    if result.report:
        console.echo(f"wrote {result.report}")


def print_site(console: Console, built: SiteBuild, as_json: bool) -> None:
    """Where the site was written, how many chats have a time, and how to open it."""
    for warning in built.warnings:
        console.warn(warning)
    if as_json:
        console.emit_json(
            output.json_object(
                {"index": str(built.index), "chats": built.chats, "with_times": built.scheduled}
            )
        )
        return
    folder = built.out
    console.echo(
        f"wrote {built.index}, {folder / 'chats.json'} and {built.scheduled} files in "
        f"{folder / 'ics'}"
    )
    console.echo(f"{built.chats} chats, {built.scheduled} with a known time")
    console.echo(f"open {built.index.resolve().as_uri()}")
