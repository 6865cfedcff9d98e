"""`launchkit calendar parse|show|heatmap`: the public calendar read, listed and pictured."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from launchkit.commands.flags import zone_flag
from launchkit.domain.calendars import week as chat_week
from launchkit.domain.calendars.table import Calendar, CalendarEntry
from launchkit.domain.weekdays import DAY_CODES, day_code
from launchkit.errors import UsageError


@dataclass(frozen=True)
class ParseResult:
    """Every row of a calendar with its parse, and how many rows ended in each status."""

    calendar: Calendar
    counts: Mapping[str, int]

    @property
    def summary(self) -> str:
        """ "412 rows: 380 ok, 25 partial, 7 unparsed"."""
        c = self.counts
        return (
            f"{sum(c.values())} rows: {c.get('ok', 0)} ok, {c.get('partial', 0)} partial, "
            f"{c.get('unparsed', 0)} unparsed"
        )


def run_parse(calendar: Calendar) -> ParseResult:
    """Count the statuses of a parsed calendar."""
    counts = Counter(e.parse.status for e in calendar.entries)
    return ParseResult(calendar, {s: counts.get(s, 0) for s in ("ok", "partial", "unparsed")})


@dataclass(frozen=True)
class ViewerZone:
    """The zone times are shown in, and a note when it was not the person's choice."""

    name: str
    note: str | None = None


def viewer_zone(requested: str | None, system: str | None) -> ViewerZone:
    """--tz if given (IANA name or "ET"-style text), else the system zone, else UTC with a note."""
    if requested:
        return ViewerZone(zone_flag("--tz", requested))
    if system:
        return ViewerZone(system)
    return ViewerZone("UTC", "the system time zone is unknown; times are in UTC (use --tz)")


@dataclass(frozen=True)
class ShowRow:
    """One chat as listed: its next session in the viewer's zone (None when unknown)."""

    entry: CalendarEntry
    next_start: datetime | None


@dataclass(frozen=True)
class ShowResult:
    """Chats sorted by next session, in the viewer's zone."""

    zone: ViewerZone
    now: datetime
    rows: tuple[ShowRow, ...]
    unscheduled: int  # rows listed at the end because no day/time/zone is known


def run_show(
    calendar: Calendar,
    zone: ViewerZone,
    now: datetime,
    *,
    day: str | None = None,
    topic: str | None = None,
) -> ShowResult:
    """List chats by next occurrence after `now`; filter by weekday (viewer's zone) or topic."""
    viewer = ZoneInfo(zone.name)
    try:
        wanted_day = DAY_CODES.index(day_code(day)) if day else None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    words = [w.lower() for w in (topic or "").split() if w]
    rows: list[ShowRow] = []
    for entry in calendar.entries:
        if words and not _matches(entry, words):
            continue
        nxt = chat_week.next_occurrence(entry.parse, now)
        local = nxt.astimezone(viewer) if nxt else None
        if wanted_day is not None and not _runs_on(entry, wanted_day, now, viewer):
            continue
        rows.append(ShowRow(entry, local))
    dated = sorted((r for r in rows if r.next_start), key=lambda r: r.next_start or now)
    undated = [r for r in rows if not r.next_start]
    return ShowResult(zone, now.astimezone(viewer), (*dated, *undated), len(undated))


def _matches(entry: CalendarEntry, words: list[str]) -> bool:
    text = " ".join(filter(None, (entry.topic, entry.name, entry.hashtag))).lower()
    return any(w in text for w in words)


def _runs_on(entry: CalendarEntry, weekday: int, now: datetime, viewer: ZoneInfo) -> bool:
    from datetime import timedelta

    # Monthly chats run on a given weekday only some weeks: look five weeks ahead.
    found = chat_week.occurrences(entry.parse, now, now + timedelta(days=35), exact=False)
    return any(moment.astimezone(viewer).weekday() == weekday for moment, _ in found)


@dataclass(frozen=True)
class HeatmapResult:
    """A week's chats-per-hour grid in the viewer's zone, and the file written (if any)."""

    zone: ViewerZone
    grid: chat_week.WeekGrid
    mark: tuple[int, int] | None
    out: Path | None


def run_heatmap(
    calendar: Calendar,
    zone: ViewerZone,
    now: datetime,
    *,
    mark: str | None = None,
    out: Path | None = None,
) -> HeatmapResult:
    """Count chats per hour of the coming week (from `now`) and write --out if asked."""
    from launchkit.commands import heatmap_files

    try:
        slot = chat_week.parse_slot(mark) if mark else None
    except ValueError as exc:
        raise UsageError(str(exc), hint="--mark 'TU 20:00' (day code and hour)") from None
    viewer = ZoneInfo(zone.name)
    start = chat_week.week_start_of(now, viewer)
    grid = chat_week.week_grid((e.parse for e in calendar.entries), zone.name, start)
    if out is not None:
        heatmap_files.write_heatmap(out, grid, slot, calendar.source)
    return HeatmapResult(zone, grid, slot, out)
