"""A zone's VTIMEZONE (RFC 5545 3.6.5) built from its real transitions (pure).

Calendar apps that read the VTIMEZONE body rather than their own zone database (Outlook
does) place events by these lines alone, so they must say what zoneinfo says for every
instant the file covers. The zone's changes are found by probing zoneinfo, then written:

- as yearly rules where the zone is regular: changes of the same kind (same offsets, name,
  month and wall time) in consecutive years that one BYDAY rule describes ("2SU", "-1SU",
  "FR;BYMONTHDAY=23,...,29" for "the Friday on or after the 23rd"). A rule still in force
  at the end of the scan stays open, as the zone's rule is; one that stopped gets an UNTIL;
- as explicit dates (DTSTART plus RDATE) where it is not (Asia/Gaza, Africa/Casablanca).

The weekday of a rule is the weekday of the wall time at the change in the old offset (the
DTSTART), so a zone changing at local midnight (Atlantic/Azores: Sunday 00:00 -01) gets
"-1SU", not the Saturday the minute before.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from launchkit.domain.weekdays import DAY_CODES

__all__ = ["ZoneChange", "vtimezone", "zone_changes"]

# Zoneinfo is probed once a day: no zone changes its clocks twice within a day and back.
_PROBE = 86_400
_ZERO = timedelta(0)
_YEAR = timedelta(days=366)


class _State(NamedTuple):
    offset: timedelta
    dst: timedelta
    name: str


def _state(zone: ZoneInfo, posix: int) -> _State:
    local = datetime.fromtimestamp(posix, zone)
    return _State(local.utcoffset() or _ZERO, local.dst() or _ZERO, local.tzname() or "")


@dataclass(frozen=True)
class ZoneChange:
    """One change of a zone's offset, daylight-saving flag or abbreviation."""

    at: datetime  # the UTC instant
    offset_from: timedelta
    offset_to: timedelta
    name: str  # the abbreviation after the change
    daylight: bool  # the new time is daylight time

    @property
    def wall(self) -> datetime:
        """The naive local wall time at the change, in the old offset (a DTSTART/RDATE)."""
        return self.at.replace(tzinfo=None) + self.offset_from


def _kind(before: _State, after: _State) -> bool:
    # tzdata writes Ireland's winter and Morocco's Ramadan as negative DST; readers expect
    # the usual sense, so summer time is daylight whichever side tzdata calls standard.
    return after.dst > _ZERO or (after.dst == _ZERO and before.dst < _ZERO)


def zone_changes(zone_name: str, start: datetime, end: datetime) -> list[ZoneChange]:
    """Every change of `zone_name` in [start, end), to the second, in time order."""
    zone = ZoneInfo(zone_name)
    at = datetime.fromtimestamp

    def probe(posix: int) -> tuple[timedelta | None, timedelta | None, str | None]:
        local = at(posix, zone)
        return local.utcoffset(), local.dst(), local.tzname()

    now, stop = int(start.timestamp()), int(end.timestamp())
    state = probe(now)
    found = []
    while now < stop:
        step = min(now + _PROBE, stop)
        if probe(step) == state:
            now = step
            continue
        low, high = now, step  # probe(low) == state != probe(high)
        while high - low > 1:
            middle = (low + high) // 2
            if probe(middle) == state:
                low = middle
            else:
                high = middle
        before, after = _state(zone, now), _state(zone, high)
        found.append(
            ZoneChange(
                datetime.fromtimestamp(high, UTC),
                before.offset,
                after.offset,
                after.name,
                _kind(before, after),
            )
        )
        now, state = high, probe(high)
    return found


def _rules(wall: datetime) -> list[str]:
    """Yearly rules (BYDAY/BYMONTHDAY parts) that fall on `wall`'s date, most usual first."""
    day, date_ = DAY_CODES[wall.weekday()], wall.day
    length = calendar.monthrange(wall.year, wall.month)[1]
    # A window or a fixed date must exist every year: February has 28 days in most.
    shortest = calendar.monthrange(2001, wall.month)[1]
    rules = []
    if date_ <= 28:
        rules.append(f"BYDAY={(date_ - 1) // 7 + 1}{day}")  # "2SU": the second Sunday
    if length - date_ < 28:
        rules.append(f"BYDAY=-{(length - date_) // 7 + 1}{day}")  # "-1SU": the last one
    for first in range(max(1, date_ - 6), date_ + 1):
        if first + 6 <= shortest:  # "the Friday on or after the 23rd": one day in seven
            days = ",".join(str(d) for d in range(first, first + 7))
            rules.append(f"BYDAY={day};BYMONTHDAY={days}")
    if date_ <= shortest:
        rules.append(f"BYMONTHDAY={date_}")
    return rules


@dataclass(frozen=True)
class _Run:
    changes: tuple[ZoneChange, ...]
    rule: str | None  # None: listed date by date


def _runs(changes: Sequence[ZoneChange]) -> list[_Run]:
    """Changes of one kind grouped into yearly rules where consecutive years share one."""
    runs: list[_Run] = []
    current: list[ZoneChange] = []
    common: list[str] = []

    def close() -> None:
        if len(current) > 1:
            runs.append(_Run(tuple(current), common[0]))
        else:
            runs.extend(_Run((c,), None) for c in current)

    for change in changes:
        if current and change.wall.year == current[-1].wall.year + 1:
            fits = _rules(change.wall)
            kept = [r for r in common if r in fits]
            if kept:
                current.append(change)
                common = kept
                continue
        close()
        current, common = [change], _rules(change.wall)
    close()
    return runs


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "+" if seconds >= 0 else "-"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def _local(wall: datetime) -> str:
    return wall.strftime("%Y%m%dT%H%M%S")


def _observance(first: ZoneChange, extra: Iterable[str]) -> list[str]:
    kind = "DAYLIGHT" if first.daylight else "STANDARD"
    return [
        f"BEGIN:{kind}",
        f"DTSTART:{_local(first.wall)}",
        f"TZOFFSETFROM:{_offset(first.offset_from)}",
        f"TZOFFSETTO:{_offset(first.offset_to)}",
        f"TZNAME:{first.name}",
        *extra,
        f"END:{kind}",
    ]


def _kind_key(change: ZoneChange) -> tuple[object, ...]:
    return (change.daylight, change.offset_from, change.offset_to, change.name)


def _midnight(moment: datetime) -> datetime:
    return datetime.combine(moment.astimezone(UTC).date(), time(0), UTC)


def _listed(changes: Sequence[ZoneChange]) -> list[str]:
    """One observance for changes of one kind that follow no rule: its dates, one by one."""
    ordered = sorted(changes, key=lambda c: c.at)
    dates = ",".join(_local(c.wall) for c in ordered[1:])
    return _observance(ordered[0], [f"RDATE:{dates}"] if dates else [])


def _ruled(run: _Run, rule: str, last_year_from: datetime) -> list[str]:
    """One observance for a yearly rule: open if it still applies in the last year read."""
    first, last = run.changes[0], run.changes[-1]
    rrule = f"RRULE:FREQ=YEARLY;BYMONTH={first.wall.month};{rule}"
    if last.at < last_year_from:
        # UNTIL must be UTC (RFC 5545 3.8.5.3). A day past the last change changes nothing
        # for a reader that converts it, and keeps that change for readers that compare
        # UNTIL with the local DTSTARTs.
        rrule += f";UNTIL={(last.at + timedelta(days=1)).strftime('%Y%m%dT%H%M%SZ')}"
    return _observance(first, [rrule])


def vtimezone(zone_name: str, start: datetime, end: datetime) -> list[str]:
    """The VTIMEZONE lines for `zone_name`, exact for every instant in [start, end].

    Changes are read from a year before `start` (so the offset in force at `start` has its
    observance) to a year after `end`: a rule that still applies in that last year is left
    open, as the zone's own rule is.
    """
    scan_from, scan_to = _midnight(start - _YEAR), _midnight(end + _YEAR)
    changes = zone_changes(zone_name, scan_from, scan_to)
    observances: list[tuple[datetime, list[str]]] = []
    if not changes or changes[0].at > start:
        # Nothing changed in the year before: one observance states the offset in force.
        state = _state(ZoneInfo(zone_name), int(scan_from.timestamp()))
        base = ZoneChange(scan_from, state.offset, state.offset, state.name, state.dst > _ZERO)
        observances.append((base.wall, _observance(base, [])))
    groups: dict[tuple[object, ...], list[ZoneChange]] = {}
    for change in changes:
        key = (*_kind_key(change), change.wall.month, change.wall.time())
        groups.setdefault(key, []).append(change)
    unruled: dict[tuple[object, ...], list[ZoneChange]] = {}
    for group in groups.values():
        for run in _runs(group):
            if run.rule is None:
                unruled.setdefault(_kind_key(run.changes[0]), []).extend(run.changes)
            else:
                observances.append((run.changes[0].wall, _ruled(run, run.rule, scan_to - _YEAR)))
    observances += [(min(c.wall for c in listed), _listed(listed)) for listed in unruled.values()]
    observances.sort(key=lambda item: item[0])
    body = [line for _, lines in observances for line in lines]
    return ["BEGIN:VTIMEZONE", f"TZID:{zone_name}", *body, "END:VTIMEZONE"]
