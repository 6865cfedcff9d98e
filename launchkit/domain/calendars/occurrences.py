"""Sessions of recurring chats, expanded in their own zone and converted to UTC minutes.

Recurrence is expanded on local wall-clock dates (dateutil.rrule) in the chat's IANA zone and
only then converted, so "Tuesday 20:00 America/New_York" stays at 20:00 New York time across
daylight-saving changes. Times are int64 minutes since the Unix epoch (UTC) in numpy arrays,
so a whole calendar can be compared at once.

A calendar of 10,000 chats repeats a few hundred distinct rules, so one rule's expansion is
cached by (rrule, start, duration, zone, first, last).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from dateutil.rrule import rrulestr

Minutes = npt.NDArray[np.int64]

MINUTES_PER_DAY = 24 * 60
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# 1970-01-01 was a Thursday; Monday is weekday 0 as in datetime.weekday().
_EPOCH_WEEKDAY = 3
# Expanding each chat two days beyond the horizon on both sides covers every UTC offset
# (-12..+14 h) plus a chat that started the evening before and runs past midnight.
MARGIN_DAYS = 2
_INTERVAL = re.compile(r";?INTERVAL=\d+", re.IGNORECASE)


class SessionLike(Protocol):
    """One recurring session: RFC 5545 rule, local start "HH:MM" (or unknown), minutes, its
    own zone when it is not its row's, and a date it runs on (fixes a fortnightly rule's weeks)."""

    @property
    def rrule(self) -> str: ...
    @property
    def start(self) -> str | None: ...
    @property
    def duration_min(self) -> int: ...
    @property
    def tz(self) -> str | None: ...
    @property
    def first(self) -> date | None: ...


class ParseLike(Protocol):
    """What a parsed schedule row offers (launchkit.domain.schedule.ScheduleParse)."""

    @property
    def status(self) -> str: ...
    @property
    def tz(self) -> str | None: ...
    @property
    def sessions(self) -> Sequence[SessionLike]: ...


class EntryLike(Protocol):
    """A calendar row with a parsed schedule (launchkit CalendarEntry)."""

    @property
    def parse(self) -> ParseLike: ...


@dataclass(frozen=True)
class Occurrences:
    """Every session of a set of chats over a horizon, as parallel arrays.

    `entry[i]` is the index (into the sequence given) of the chat that holds session i.
    `every_week` lists chats with a fortnightly (or longer) rule whose weeks are unknown:
    they were counted every week. `skipped` lists chats with nothing placeable (unparsed,
    no zone, no start time).
    """

    starts: Minutes
    ends: Minutes
    entry: Minutes
    every_week: tuple[int, ...]
    skipped: tuple[int, ...]

    def __len__(self) -> int:
        return int(self.starts.size)


def to_minutes(moment: datetime) -> int:
    """An aware datetime as whole minutes since the epoch (UTC)."""
    return int((moment - _EPOCH).total_seconds() // 60)


def from_minutes(minutes: int) -> datetime:
    """Minutes since the epoch as an aware UTC datetime."""
    return _EPOCH + timedelta(minutes=int(minutes))


def parse_clock(text: str) -> int:
    """'HH:MM' as minutes after midnight; ValueError when it is not a clock time."""
    hours, _, mins = text.strip().partition(":")
    h, m = int(hours), int(mins or "0")
    if not (0 <= h <= 24 and 0 <= m < 60) or (h == 24 and m):
        raise ValueError(f"not a clock time: {text!r}")
    return h * 60 + m


def drop_interval(rrule: str) -> tuple[str, bool]:
    """The rule without INTERVAL, and whether one (> 1) was dropped.

    A calendar row says "every other Thursday" but not which Thursdays, so such a chat is
    counted every week rather than guessed.
    """
    match = re.search(r"INTERVAL=(\d+)", rrule, re.IGNORECASE)
    if not match or int(match.group(1)) <= 1:
        return _INTERVAL.sub("", rrule).strip(";"), False
    return _INTERVAL.sub("", rrule).strip(";"), True


@lru_cache(maxsize=65536)
def expand_rule(
    rrule: str,
    start: str,
    duration_min: int,
    tz: str,
    first: date,
    last: date,
    anchor: date | None = None,
) -> Minutes:
    """UTC start minutes of every session of one rule on local dates first..last (inclusive).

    `anchor` is a date the rule runs on (its DTSTART): it decides the weeks of an INTERVAL=2
    rule; without one the rule is counted from `first`.
    Local times that do not exist (the spring-forward gap) resolve as zoneinfo's fold=0 does,
    i.e. moved forward by the gap; repeated ones (fall back) take the first.
    Raises ValueError for a rule dateutil cannot read or an unknown zone.
    """
    zone = ZoneInfo(tz)
    clock = parse_clock(start)
    begin = datetime.combine(first, time()) + timedelta(minutes=clock)
    end = datetime.combine(last, time()) + timedelta(minutes=clock)
    dtstart = (
        begin if anchor is None else datetime.combine(anchor, time()) + timedelta(minutes=clock)
    )
    rule = rrulestr(rrule, dtstart=dtstart, ignoretz=True)
    locals_ = rule.between(begin, end, inc=True)
    out = np.fromiter(
        (to_minutes(moment.replace(tzinfo=zone)) for moment in locals_),
        dtype=np.int64,
        count=len(locals_),
    )
    out.setflags(write=False)  # shared through the cache
    return out


def session_starts(
    session: SessionLike, tz: str, first: date, last: date
) -> tuple[Minutes, bool] | None:
    """UTC start minutes of one session over local dates first..last (in its own zone, else
    `tz`, its row's), and whether its fortnightly weeks were unknown (so it was counted every
    week). None when unplaceable."""
    if not session.start:
        return None
    if session.first is None:
        rule, every_week = drop_interval(session.rrule)
    else:
        rule, every_week = session.rrule, False
    zone = session.tz or tz
    try:
        starts = expand_rule(
            rule, session.start, session.duration_min, zone, first, last, session.first
        )
    except (ValueError, KeyError, TypeError):
        return None
    return starts, every_week


def _expand_parse(parse: ParseLike, lo: date, hi: date) -> tuple[Minutes, Minutes, bool] | None:
    """(starts, durations, counted every week) of one parsed schedule, None if unplaceable."""
    if parse.status not in ("ok", "partial") or not parse.tz:
        return None
    starts: list[Minutes] = []
    durations: list[int] = []
    every_week = False
    for session in parse.sessions:
        expanded = session_starts(session, parse.tz, lo, hi)
        if expanded is None:
            continue
        starts.append(expanded[0])
        durations.append(max(1, int(session.duration_min)))
        every_week = every_week or expanded[1]
    if not starts:
        return None
    counts = [a.size for a in starts]
    return (
        np.concatenate(starts),
        np.repeat(np.asarray(durations, dtype=np.int64), counts),
        every_week,
    )


def expand_entries(entries: Sequence[EntryLike], first: date, last: date) -> Occurrences:
    """Expand every placeable session of every chat over local dates first..last.

    Rows that are `ok` or `partial` with a zone and a start time count; the rest are listed
    in `skipped`. Dates are taken in each chat's own zone, widened by MARGIN_DAYS.
    """
    lo, hi = first - timedelta(days=MARGIN_DAYS), last + timedelta(days=MARGIN_DAYS)
    # Big calendars repeat schedules (and the parser hands out equal parse results), so each
    # distinct schedule is expanded once and copied to its rows with numpy.
    groups: dict[ParseLike, list[int]] = {}
    for index, item in enumerate(entries):
        groups.setdefault(item.parse, []).append(index)
    starts: list[Minutes] = []
    ends: list[Minutes] = []
    owners: list[Minutes] = []
    every_week: list[int] = []
    skipped: list[int] = []
    for parse, rows in groups.items():
        expanded = _expand_parse(parse, lo, hi)
        if expanded is None:
            skipped += rows
            continue
        times, durations, assumed = expanded
        starts.append(np.tile(times, len(rows)))
        ends.append(np.tile(times + durations, len(rows)))
        owners.append(np.repeat(np.asarray(rows, dtype=np.int64), times.size))
        every_week += rows if assumed else []
    if not starts:
        empty = np.zeros(0, dtype=np.int64)
        return Occurrences(empty, empty, empty, tuple(sorted(every_week)), tuple(sorted(skipped)))
    return Occurrences(
        np.concatenate(starts),
        np.concatenate(ends),
        np.concatenate(owners),
        tuple(sorted(every_week)),
        tuple(sorted(skipped)),
    )


@lru_cache(maxsize=4096)
def _transitions(tz: str, lo_day: int, hi_day: int) -> tuple[Minutes, Minutes]:
    """UTC offsets (minutes) of a zone and the UTC minutes they start at, over a day range.

    zoneinfo does not expose its transitions, so offsets are sampled once a day and every
    change is located to the minute by bisection.
    """
    zone = ZoneInfo(tz)

    def offset(minute: int) -> int:
        delta = from_minutes(minute).astimezone(zone).utcoffset()
        return int(delta.total_seconds() // 60) if delta else 0

    at = [lo_day * MINUTES_PER_DAY]
    offsets = [offset(at[0])]
    for day in range(lo_day + 1, hi_day + 2):
        minute = day * MINUTES_PER_DAY
        current = offset(minute)
        if current != offsets[-1]:
            before, after = minute - MINUTES_PER_DAY, minute  # offset changes in (before, after]
            while after - before > 1:
                mid = (before + after) // 2
                if offset(mid) == offsets[-1]:
                    before = mid
                else:
                    after = mid
            at.append(after)
            offsets.append(current)
    return np.asarray(at, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


def local_minutes(tz: str, utc: Minutes) -> Minutes:
    """Wall-clock minutes (since the epoch, as if local time were UTC) in zone `tz`."""
    if utc.size == 0:
        return utc.copy()
    lo_day = int(utc.min()) // MINUTES_PER_DAY - 1
    hi_day = int(utc.max()) // MINUTES_PER_DAY + 1
    at, offsets = _transitions(tz, lo_day, hi_day)
    which = np.searchsorted(at, utc, side="right") - 1
    result: Minutes = utc + offsets[np.clip(which, 0, None)]
    return result


def weekday_of(local: Minutes) -> Minutes:
    """Monday=0 .. Sunday=6 of local wall-clock minutes."""
    result: Minutes = (local // MINUTES_PER_DAY + _EPOCH_WEEKDAY) % 7
    return result


def local_date(minutes: int) -> date:
    """The calendar date of local wall-clock minutes."""
    return date(1970, 1, 1) + timedelta(days=int(minutes) // MINUTES_PER_DAY)


def utc_from_local(tz: str, local: Minutes) -> Minutes:
    """UTC minutes of wall-clock minutes in zone `tz`, vectorised, resolving as fold=0 does.

    fold=0 always reads a local time with the offset in force before a change: a time in the
    spring-forward gap lands after the change (moved forward), a repeated autumn time takes
    its first instance. So the local switch point of a change at UTC T is T + max(old, new).
    """
    if local.size == 0:
        return local.copy()
    lo_day = int(local.min()) // MINUTES_PER_DAY - 2
    hi_day = int(local.max()) // MINUTES_PER_DAY + 2
    at, offsets = _transitions(tz, lo_day, hi_day)
    previous = np.concatenate([offsets[:1], offsets[:-1]])
    switch = at + np.maximum(previous, offsets)
    which = np.clip(np.searchsorted(switch, local, side="right") - 1, 0, None)
    result: Minutes = local - offsets[which]
    return result
