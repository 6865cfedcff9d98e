"""Clock times as moments of a schedule, and the one zone the schedule is read in.

"2pm ET/11am PT" is one moment written in two zones: the first zone wins and the second
must agree, or the reading is only partial. "9am ET, and again at 9am PT" and "9am ET and
PT" are two moments, one in each zone: a session per zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from launchkit.domain.schedule.times import TimeMention, resolve
from launchkit.domain.schedule.words import DayMention
from launchkit.domain.zones import ZoneMention, find_zones, resolve_zone

# A winter and a summer day: zones agree when they give the same UTC time on either.
_REFERENCE_DAYS = ((2027, 1, 11), (2027, 7, 12))
# The years over which a session in one zone is checked to keep its clock time in another.
_SPAN = (date(2026, 1, 1), date(2028, 12, 31))
# Abbreviations that are ordinary words when not written right after a time.
_WEAK_ALONE = {"AT", "UT", "Z", "HT", "UK", "NZ"}
# Between two times in different zones: words that make the second one another session.
_AGAIN_RE = re.compile(
    r"\b(?:again|also|plus|then|another|second|repeat(?:ed|s)?|encore|once\s+more)\b", re.I
)
_AND_RE = re.compile(r"(?:^|[\s,;])(?:and|&|\+)\s*(?:at\s+|@\s*)?$", re.IGNORECASE)
_RESTATED_RE = re.compile(r"[(/=]|\b(?:or|i\.?e|that'?s|that\s+is|which\s+is|aka)\b", re.I)
# A zone for a time without one, said later in the same clause: "(8pm for you East Coasters".
_CLAUSE_END_RE = re.compile(r"[);.!?]|\d")

Note = Callable[[str], None]


class Moment(NamedTuple):
    """A start time (and maybe an end) at one place in the text."""

    start: int  # position in the text
    end: int  # where the time (and its zone) ends
    minute: int | None  # minute of the day, None when am/pm is unknown
    duration: int | None
    zone: ZoneMention | None


@lru_cache(maxsize=4096)
def _utc_minutes(minute: int, tz: str) -> tuple[int, ...]:
    """The UTC minute of the day of a local clock time on each reference day."""
    out = []
    for y, mo, d in _REFERENCE_DAYS:
        local = datetime(y, mo, d, minute // 60, minute % 60, tzinfo=ZoneInfo(tz))
        offset = local.utcoffset()
        shift = int(offset.total_seconds() // 60) if offset else 0
        out.append((minute - shift) % (24 * 60))
    return tuple(out)


@lru_cache(maxsize=1024)
def same_offsets(a: str, b: str) -> bool:
    """True when two zones keep the same UTC offset in winter and in summer."""
    return a == b or all(
        datetime(y, mo, d, 12, tzinfo=ZoneInfo(a)).utcoffset()
        == datetime(y, mo, d, 12, tzinfo=ZoneInfo(b)).utcoffset()
        for y, mo, d in _REFERENCE_DAYS
    )


@lru_cache(maxsize=256)
def _noon_offsets(tz: str) -> tuple[int, ...]:
    """A zone's UTC offset in minutes at noon UTC, for each day of the span."""
    zone, offsets = ZoneInfo(tz), []
    day = datetime(_SPAN[0].year, _SPAN[0].month, _SPAN[0].day, 12, tzinfo=UTC)
    for _ in range((_SPAN[1] - _SPAN[0]).days + 1):
        offset = day.astimezone(zone).utcoffset()
        offsets.append(int(offset.total_seconds()) // 60 if offset else 0)
        day += timedelta(days=1)
    return tuple(offsets)


@lru_cache(maxsize=1024)
def _shift_plan(
    source: str, target: str, weekdays: frozenset[int]
) -> tuple[frozenset[int], tuple[date, ...]]:
    """How far `target` is ahead of `source` on the session days when neither changes its
    clocks (one value, or several when the difference drifts), and the session days next to
    a change, which must be checked minute by minute."""
    src, dst = _noon_offsets(source), _noon_offsets(target)
    changes = [
        i for offsets in (src, dst) for i in range(1, len(offsets)) if offsets[i] != offsets[i - 1]
    ]
    # A local day's instants reach a day either side in UTC: a change between noon UTC of
    # day c-1 and of day c can fall on local days c-1, c and c+1.
    near = {i + k for i in changes for k in (-1, 0, 1)}
    calm = {i + k for i in (0, *changes) for k in range(-8, 9)} - near
    first = _SPAN[0].weekday()
    diffs = frozenset(
        dst[i] - src[i] for i in calm if 0 <= i < len(src) and (first + i) % 7 in weekdays
    )
    checked = tuple(
        _SPAN[0] + timedelta(days=i)
        for i in sorted(near)
        if 0 <= i < len(src) and (first + i) % 7 in weekdays
    )
    return diffs, checked


@lru_cache(maxsize=8192)
def shift_clock(
    minute: int, source: str, target: str, weekdays: frozenset[int]
) -> tuple[int, int] | None:
    """A clock time in `source` on the given weekdays (Monday 0) as (minute of the day, days
    later) in `target`, when that is the same on every such day of the years checked; None
    when it changes (London and New York are 5 hours apart most of the year, 4 for a few
    weeks)."""
    diffs, checked = _shift_plan(source, target, weekdays)
    if len(diffs) != 1:
        return None
    moved = minute + next(iter(diffs))
    result = (moved % (24 * 60), moved // (24 * 60))
    src, dst = ZoneInfo(source), ZoneInfo(target)
    for day in checked:
        local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=src)
        there = local.astimezone(dst)
        if (there.hour * 60 + there.minute, (there.date() - day).days) != result:
            return None
    return result


def _agree(minute: int | None, zone: str | None, other: int | None, other_zone: str | None) -> bool:
    if minute is None or other is None or zone is None or other_zone is None:
        return True  # nothing to compare: take it as the restatement it looks like
    # Same moment on a winter or a summer day: zones whose clocks change on other dates
    # (New York and Sydney) can only agree for part of the year.
    pairs = zip(_utc_minutes(minute, zone), _utc_minutes(other, other_zone), strict=True)
    return any(a == b for a, b in pairs)


def _clause_zone(text: str, t: TimeMention, zones: list[ZoneMention]) -> ZoneMention | None:
    """A zone named after a zoneless time before its clause ends ("(8pm for you East Coasters)")."""
    end = _CLAUSE_END_RE.search(text, t.end)
    limit = min(end.start() if end else len(text), t.end + 40)
    return next((z for z in zones if t.end <= z.start < limit and z.iana), None)


def build_moments(
    text: str,
    times: list[TimeMention],
    days: list[DayMention],
    zones: list[ZoneMention],
    daypart: str | None,
    note: Note,
) -> tuple[list[Moment], list[int]]:
    """Moments in order, and where each restatement ends: a time restated in another zone
    ("2pm ET/11am PT") is checked against the first, not added; one said "again" in another
    zone, or listed for several zones ("9am ET and PT"), is a session of its own."""
    moments: list[Moment] = []
    restated_ends: list[int] = []
    for t in times:
        minute, duration, problem = resolve(t, daypart)
        written = text[t.start : t.end].strip()
        end = max(t.end, t.zone.end if t.zone else 0)
        if t.slashed is not None and t.zone is not None:
            note(f"one time for two zones ('{text[t.zone.start : t.slashed.end]}'): which is it?")
        cur = moments[-1] if moments else None
        if (
            cur is not None
            and cur.zone is not None
            and t.zone is not None
            and t.zone.iana == cur.zone.iana
            and _RESTATED_RE.search(text, cur.end, t.start)
            and not _AND_RE.search(text[cur.end : t.start])
            and not any(cur.start < d.start < t.start for d in days)
        ):
            # "8pm GMT (9pm BST)", "8pm EST / 9pm EDT": one zone written at two times, as
            # if winter and summer time were two zones. Which is meant is not said.
            if minute != cur.minute:
                note(f"'{written}' gives the same zone another time (winter and summer time?)")
            restated_ends.append(end)
            continue
        if (
            cur is not None
            and cur.zone is not None
            and not any(cur.start < d.start < t.start for d in days)
            and (t.zone is None or t.zone.iana != cur.zone.iana)
        ):
            gap = text[cur.end : t.start]
            zone = t.zone
            if zone is None and _RESTATED_RE.search(gap):
                zone = _clause_zone(text, t, zones)
                if zone is None:
                    note(f"'{written}' has no zone: the same time elsewhere, or another session?")
                    restated_ends.append(end)
                    continue
            if zone is not None:
                agree = _agree(cur.minute, cur.zone.iana, minute, zone.iana)
                again = _AGAIN_RE.search(gap) or (_AND_RE.search(gap) and minute == cur.minute)
                if agree or not again:
                    if not agree:
                        note(f"'{written}' does not agree with the first time given")
                    restated_ends.append(max(end, zone.end))
                    continue
        if problem:
            note(f"{problem} ('{written}')")
        moments.append(Moment(t.start, end, minute, duration, t.zone))
        if t.also:
            moments.extend(Moment(t.start, end, minute, duration, z) for z in t.also)
    return moments, restated_ends


@lru_cache(maxsize=1024)
def _hint_zones(hint: str) -> list[str]:
    """The zones a zone column or header names ("ET/PT": both)."""
    return [z.iana for z in find_zones(hint[:200]) if z.iana]


def choose_zone(
    text: str,
    zones: list[ZoneMention],
    times: list[TimeMention],
    moments: list[Moment],
    tz_hint: str | None,
    regions: frozenset[str],
    note: Note,
) -> str | None:
    """The zone of the first time that names one, else a zone named elsewhere, else the hint.

    An abbreviation that the chat's region leaves ambiguous (IST) is settled by a hint that
    names one of its readings (a zone column saying "Asia/Kolkata")."""
    attached = [m.zone for m in moments if m.zone is not None]
    used = {z.start for t in times for z in (t.zone, t.slashed, *t.also) if z is not None}
    loose = [
        z
        for z in zones
        if z.strict and z.start not in used and text[z.start : z.end] not in _WEAK_ALONE
    ]
    primary = attached[0] if attached else (loose[0] if loose else None)
    if primary is not None and primary.iana and any(m.zone is None for m in moments):
        # "Thursdays 8pm. Times are Eastern; ... at 5pm Pacific": whose is the 8pm?
        stray = [z for z in loose if z.iana and not same_offsets(z.iana, primary.iana)]
        if stray:
            note(f"a time without a zone may be in '{text[stray[0].start : stray[0].end]}'")
    hint = (tz_hint or "").strip()
    if primary is None:
        if not hint:
            return None
        tz = resolve_zone(hint, regions)
        if tz is None:
            note(f"the time zone '{hint}' is not recognised or is ambiguous")
        return tz
    if primary.iana is None:
        hinted = [h for h in _hint_zones(hint) if h in primary.candidates]
        if hinted:
            return hinted[0]
        note(primary.note)
        return None
    tz = primary.iana
    column_zones = _hint_zones(hint)
    if column_zones and not any(same_offsets(h, tz) for h in column_zones):
        note(f"the time zone column says '{hint}' but the text names {tz}")
    return tz
