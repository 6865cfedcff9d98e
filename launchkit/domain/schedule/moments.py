"""Clock times as moments of a schedule, and the one zone the schedule is read in.

"2pm ET/11am PT" is one moment written in two zones: the first zone wins and the second
must agree, or the reading is only partial.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from launchkit.domain.schedule.times import TimeMention, resolve
from launchkit.domain.schedule.words import DayMention
from launchkit.domain.zones import ZoneMention, find_zones, resolve_zone

# A winter and a summer day: zones agree when they give the same UTC time on either.
_REFERENCE_DAYS = ((2027, 1, 11), (2027, 7, 12))
# Abbreviations that are ordinary words when not written right after a time.
_WEAK_ALONE = {"AT", "UT", "Z", "HT", "UK", "NZ"}

Note = Callable[[str], None]


@dataclass(frozen=True)
class Moment:
    """A start time (and maybe an end) at one place in the text."""

    start: int  # position in the text
    minute: int | None  # minute of the day, None when am/pm is unknown
    duration: int | None
    zone: ZoneMention | None


def _utc_minutes(minute: int, tz: str) -> set[int]:
    out = set()
    for y, mo, d in _REFERENCE_DAYS:
        local = datetime(y, mo, d, minute // 60, minute % 60, tzinfo=ZoneInfo(tz))
        offset = local.utcoffset()
        shift = int(offset.total_seconds() // 60) if offset else 0
        out.add((minute - shift) % (24 * 60))
    return out


def same_offsets(a: str, b: str) -> bool:
    """True when two zones keep the same UTC offset in winter and in summer."""
    return a == b or all(
        datetime(y, mo, d, 12, tzinfo=ZoneInfo(a)).utcoffset()
        == datetime(y, mo, d, 12, tzinfo=ZoneInfo(b)).utcoffset()
        for y, mo, d in _REFERENCE_DAYS
    )


def build_moments(
    text: str, times: list[TimeMention], days: list[DayMention], daypart: str | None, note: Note
) -> tuple[list[Moment], list[int]]:
    """Moments in order, and where each restatement ends: a time restated in another zone
    ("2pm ET/11am PT") is checked against the first, not added."""
    moments: list[Moment] = []
    restated_ends: list[int] = []
    for t in times:
        minute, duration, problem = resolve(t, daypart)
        written = text[t.start : t.end].strip()
        if moments:
            cur = moments[-1]
            day_between = any(cur.start < d.start < t.start for d in days)
            if (
                not day_between
                and t.zone is not None
                and cur.zone is not None
                and t.zone.iana != cur.zone.iana
            ):
                if cur.zone.iana and t.zone.iana and cur.minute is not None and minute is not None:
                    here = _utc_minutes(cur.minute, cur.zone.iana)
                    if not here & _utc_minutes(minute, t.zone.iana):
                        note(f"'{written}' does not agree with the first time given")
                restated_ends.append(max(t.end, t.zone.end))
                continue
        if problem:
            note(f"{problem} ('{written}')")
        moments.append(Moment(t.start, minute, duration, t.zone))
    return moments, restated_ends


@lru_cache(maxsize=1024)
def _hint_zones(hint: str) -> list[str]:
    return [z.iana for z in find_zones(hint[:200]) if z.iana]


def choose_zone(
    text: str, zones: list[ZoneMention], moments: list[Moment], tz_hint: str | None, note: Note
) -> str | None:
    """The zone of the first time that names one, else a zone named elsewhere, else the hint."""
    attached = [m.zone for m in moments if m.zone is not None]
    loose = [z for z in zones if z.strict and text[z.start : z.end] not in _WEAK_ALONE]
    primary = attached[0] if attached else (loose[0] if loose else None)
    hint = (tz_hint or "").strip()
    if primary is None:
        if not hint:
            return None
        tz = resolve_zone(hint)
        if tz is None:
            note(f"the time zone '{hint}' is not recognised or is ambiguous")
        return tz
    if primary.iana is None:
        note(primary.note)
        return None
    tz = primary.iana
    if any(z.iana and not same_offsets(z.iana, tz) for z in attached):
        note("the sessions are given in different time zones")
    hint_zones = _hint_zones(hint)
    if hint_zones and not any(same_offsets(h, tz) for h in hint_zones):
        note(f"the time zone column says '{hint}' but the text names {tz}")
    return tz
