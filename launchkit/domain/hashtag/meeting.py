"""Whether a planned weekly slot meets a calendar chat at the same hour.

Both sides are turned into minutes of the UTC week for the week that contains `on`, since a
zone's offset (and so the overlap) depends on the date; a chat's own zone is applied before
converting, so "Tuesday 8pm ET" stays 8pm in New York.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from launchkit.domain.iana import iana_zone
from launchkit.domain.schedule.model import SessionRule
from launchkit.domain.weekdays import DAY_CODES, parse_day_time

__all__ = ["PlannedSlot", "meets_same_hour", "parse_slot"]

_WEEK_MIN = 7 * 24 * 60
_BYDAY = re.compile(r"BYDAY=([^;]+)")


@dataclass(frozen=True)
class PlannedSlot:
    """The candidate chat's weekly slot: weekday code (MO..SU), local "HH:MM", IANA zone."""

    weekday: str
    start: str
    tz: str
    duration_min: int = 60


def parse_slot(text: str) -> PlannedSlot:
    """Read "Tue 20:00 America/New_York" (weekday, 24-hour time, IANA zone); ValueError if not."""
    day_time, _, zone = text.strip().rpartition(" ")
    if not day_time:
        raise ValueError("write the slot as WEEKDAY HH:MM ZONE, e.g. 'Tue 20:00 America/New_York'")
    day, start = parse_day_time(day_time)
    return PlannedSlot(day, start, iana_zone(zone))


def _utc_minute(weekday: str, start: str, tz: str, on: date) -> int:
    monday = on - timedelta(days=on.weekday())
    day = monday + timedelta(days=DAY_CODES.index(weekday))
    hour, minute = (int(x) for x in start.split(":"))
    local = datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz))
    utc = local.astimezone(ZoneInfo("UTC"))
    return (utc.weekday() * 24 * 60 + utc.hour * 60 + utc.minute) % _WEEK_MIN


def _weekdays(rrule: str) -> list[str]:
    found = _BYDAY.search(rrule)
    if not found:
        return []
    # "1WE" / "-1FR" (nth weekday of the month) still meets on that weekday some weeks.
    return [code[-2:] for code in found.group(1).split(",") if code[-2:] in DAY_CODES]


def _overlap(a: int, a_len: int, b: int, b_len: int) -> bool:
    # Modulo the week, so Sunday 23:30 meets Monday 00:00.
    return (b - a) % _WEEK_MIN < a_len or (a - b) % _WEEK_MIN < b_len


def meets_same_hour(
    slot: PlannedSlot, tz: str | None, sessions: Iterable[SessionRule], on: date
) -> bool | None:
    """True if any session overlaps the slot, False if none does, None if the chat's time is
    unknown (no zone or no start time)."""
    known: Sequence[SessionRule] = [s for s in sessions if s.start and _weekdays(s.rrule)]
    if not tz or not known:
        return None
    try:
        mine = _utc_minute(slot.weekday, slot.start, slot.tz, on)
        for session in known:
            for day in _weekdays(session.rrule):
                theirs = _utc_minute(day, session.start or "", session.tz or tz, on)
                if _overlap(mine, slot.duration_min, theirs, session.duration_min or 60):
                    return True
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return False
