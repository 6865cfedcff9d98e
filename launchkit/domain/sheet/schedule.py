"""A chat's schedule written the way a calendar sheet's other rows write theirs (pure).

The sheet's convention is read from its headers and rows: does a header name a zone
("Time (ET)")? do rows state their zone in the text ("Tuesdays 8pm ET")? is there a timezone
column, or separate day and time columns? are times written 24-hour ("20:00")?
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from launchkit.domain.schedule import SessionRule, render_schedule
from launchkit.domain.schedule.words import WEEKDAYS
from launchkit.domain.zones import find_zones

__all__ = ["ScheduleCells", "ScheduleConvention", "detect_convention", "schedule_cells"]

_CLOCK_24H = re.compile(r"\b([01]?\d|2[0-3]):[0-5]\d\b(?!\s*[ap]\.?m)", re.IGNORECASE)
_AM_PM = re.compile(r"\d\s*[ap]\.?m\b", re.IGNORECASE)


@dataclass(frozen=True)
class ScheduleConvention:
    """How a sheet writes schedules."""

    header_zone: str | None = None  # IANA zone a header names; times are converted to it
    zones_in_text: bool = True  # rows state their zone inside the schedule/time text
    has_tz_column: bool = False
    split_day_time: bool = False  # separate day and time columns, no schedule column
    clock_24h: bool = False
    iana_tz_column: bool = False  # the timezone column holds "America/New_York", not "ET"


@dataclass(frozen=True)
class ScheduleCells:
    """The schedule as cell texts for each schedule-ish column, and what was assumed."""

    schedule: str
    day: str
    time: str
    timezone: str
    zone: str  # the IANA zone the times are written in
    notes: tuple[str, ...]


def _majority(flags: Sequence[bool], default: bool) -> bool:
    return sum(flags) * 2 >= len(flags) if flags else default


def detect_convention(
    columns: Mapping[str, int], rows: Sequence[Sequence[str]], header_zone: str | None
) -> ScheduleConvention:
    """Read the convention from the data rows; `columns` maps field -> column index."""

    def cell(row: Sequence[str], field: str) -> str:
        i = columns.get(field)
        return row[i].strip() if i is not None and i < len(row) else ""

    def cells(field: str) -> list[str]:
        return [text for text in (cell(r, field) for r in rows) if text]

    texts = [
        " ".join(p for p in (cell(r, "schedule") or cell(r, "day"), cell(r, "time")) if p)
        for r in rows
    ]
    has_tz = "timezone" in columns
    stated = [bool(find_zones(t)) for t in texts if t]
    clocks = cells("time") or cells("schedule")
    return ScheduleConvention(
        header_zone=header_zone,
        # With no rows to go by, name the zone unless a header or a column already does.
        zones_in_text=_majority(stated, default=header_zone is None and not has_tz),
        has_tz_column=has_tz,
        split_day_time="schedule" not in columns and {"day", "time"} <= set(columns),
        clock_24h=_majority(
            [bool(_CLOCK_24H.search(t)) and not _AM_PM.search(t) for t in clocks], False
        ),
        iana_tz_column=_majority(["/" in t for t in cells("timezone")], False),
    )


def _parts(rrule: str) -> dict[str, str]:
    return dict(kv.split("=", 1) for kv in rrule.removeprefix("RRULE:").split(";") if "=" in kv)


def _rule_text(parts: Mapping[str, str]) -> str:
    return ";".join(f"{k}={v}" for k, v in parts.items())


def _with_byday(rrule: str, first: date) -> str:
    """The rule with BYDAY spelled out from the first session when the rule leaves it implicit."""
    parts = _parts(rrule)
    if "BYDAY" not in parts:
        code = WEEKDAYS[first.weekday()]
        if parts.get("FREQ") == "WEEKLY":
            parts["BYDAY"] = code
        elif parts.get("FREQ") == "MONTHLY" and "BYMONTHDAY" not in parts:
            parts["BYDAY"] = f"{(first.day - 1) // 7 + 1}{code}"
    return _rule_text(parts)


def _shift_days(rrule: str, delta: int) -> str | None:
    """Move a weekly rule's days by `delta`; None when the rule cannot move (monthly ordinals)."""
    if delta == 0:
        return rrule
    parts = _parts(rrule)
    if parts.get("FREQ") != "WEEKLY":
        return None
    days = [WEEKDAYS[(WEEKDAYS.index(d) + delta) % 7] for d in parts["BYDAY"].split(",")]
    parts["BYDAY"] = ",".join(days)
    return _rule_text(parts)


def _convert(
    rule: SessionRule, first: date, source: str, target: str
) -> tuple[SessionRule | None, list[str]]:
    """The rule in another zone, as it stands on the first session's date."""
    assert rule.start is not None
    hour, minute = map(int, rule.start.split(":"))
    src, dst = ZoneInfo(source), ZoneInfo(target)
    local = datetime.combine(first, time(hour, minute), src).astimezone(dst)
    rrule = _shift_days(rule.rrule, (local.date() - first).days)
    if rrule is None:
        return None, [f"the time falls on another day in {target}, which this rule cannot say"]
    notes = []
    # Two zones that change clocks on different dates are an hour apart for part of the year.
    offsets = {
        (
            datetime.combine(first + timedelta(days=d), time(12), src).utcoffset(),
            datetime.combine(first + timedelta(days=d), time(12), dst).utcoffset(),
        )
        for d in range(0, 366, 7)
    }
    if len({(a - b) for a, b in offsets if a is not None and b is not None}) > 1:
        notes.append(
            f"converted from {source} as on {first.isoformat()}; the two zones change clocks on "
            "different dates, so for some weeks of the year it is an hour off"
        )
    return SessionRule(rrule, f"{local:%H:%M}", rule.duration_min), notes


def _zone_label(rule: SessionRule, zone: str) -> str:
    # render_schedule owns the listing labels ("ET", "UK time"); read the label back from it.
    with_zone = render_schedule([rule], zone)
    return with_zone[len(render_schedule([rule], None)) :].strip()


def _clock_24h(rule: SessionRule) -> str:
    assert rule.start is not None
    hour, minute = map(int, rule.start.split(":"))
    end = (hour * 60 + minute + rule.duration_min) % (24 * 60)
    return rule.start if rule.duration_min == 60 else f"{rule.start}-{end // 60:02d}:{end % 60:02d}"


def schedule_cells(
    rrule: str, start: str, duration_min: int, first: date, zone: str, conv: ScheduleConvention
) -> ScheduleCells:
    """The chat's schedule as the sheet's schedule/day/time/timezone cells would write it."""
    notes: list[str] = []
    rule = SessionRule(_with_byday(rrule, first), start, duration_min)
    parts = _parts(rule.rrule)
    if parts.get("FREQ") not in ("WEEKLY", "MONTHLY") or "BYDAY" not in parts:
        text = f"{rrule} at {start} {zone}"
        notes.append("this schedule rule has no listing wording; the RRULE is written as is")
        return ScheduleCells(text, "", "", zone, zone, tuple(notes))
    if int(parts.get("INTERVAL", "1")) > 2:
        notes.append(f"every {parts['INTERVAL']} weeks cannot be said in listing text; check it")
    target = zone
    if conv.header_zone and conv.header_zone != zone:
        converted, problems = _convert(rule, first, zone, conv.header_zone)
        notes.extend(problems)
        if converted is not None:
            rule, target = converted, conv.header_zone
    # A time needs its zone: in the text when rows do that, or when nothing else names it.
    in_text = conv.zones_in_text or (not conv.has_tz_column and target != conv.header_zone)
    label = _zone_label(rule, target)
    day = render_schedule([SessionRule(rule.rrule, None, rule.duration_min)], None)
    clock = _clock_24h(rule) if conv.clock_24h else render_schedule([rule], None)[len(day) :]
    clock = clock.strip() + (f" {label}" if in_text else "")
    schedule = f"{day} {clock}"
    timezone = target if conv.iana_tz_column else label
    return ScheduleCells(schedule, day, clock, timezone, target, tuple(notes))
