"""Reading launchkit's .ics files back with icalendar, as a calendar app would (test helper).

Apps like Outlook place an event by the VTIMEZONE in the file, not by their own zone
database. icalendar looks a TZID up in zoneinfo first, so `from_body` renames the TZID to
one no database knows: the VTIMEZONE's own lines then decide every offset.
"""

from __future__ import annotations

import calendar
import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import numpy as np
import numpy.typing as npt

# icalendar caches zones by TZID and guesses known zones from "/"-separated TZIDs: every
# renamed zone gets a name of its own, without a "/".
_RENAMED = itertools.count()
# Zoneinfo is read every 12 hours, and hour by hour wherever the VTIMEZONE changes or the
# two disagree or zoneinfo changes between two readings (see `wrong_hours`).
COARSE = 12
_UNSTATED = 10**6
_SECOND = timedelta(seconds=1)


def from_body(ics_text: str, tzid: str) -> icalendar.Calendar:
    """The calendar parsed with `tzid` renamed, so only its VTIMEZONE body can place events."""
    name = f"Read from the body {next(_RENAMED)} {tzid.replace('/', ' ')}"
    unfolded = ics_text.replace("\r\n", "\n").replace("\n ", "")  # RFC 5545 3.1 folding
    lines = unfolded.splitlines()
    assert f"TZID:{tzid}" in lines, f"no VTIMEZONE for {tzid}"
    renamed = [
        f"TZID:{name}" if line == f"TZID:{tzid}" else line.replace(f"TZID={tzid}:", f"TZID={name}:")
        for line in lines
    ]
    return icalendar.Calendar.from_ical("\r\n".join(renamed) + "\r\n")


def the_vtimezone(cal: icalendar.Calendar) -> icalendar.Timezone:
    (zone,) = [c for c in cal.walk("VTIMEZONE")]
    assert isinstance(zone, icalendar.Timezone)
    return zone


def vtimezone_offsets(
    zone: icalendar.Timezone, hours: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    """UTC offsets (seconds) the VTIMEZONE gives at each POSIX second in `hours` (icalendar)."""
    times, info = zone.get_transitions()
    at = np.array([calendar.timegm(t.timetuple()) for t in times], dtype=np.int64)
    offsets = np.array([int(i[0].total_seconds()) for i in info], dtype=np.int64)
    order = np.argsort(at, kind="stable")
    at, offsets = at[order], offsets[order]
    index = np.searchsorted(at, hours, side="right") - 1
    # Before the first observance the VTIMEZONE says nothing: no offset is right there.
    return np.where(index >= 0, offsets[np.maximum(index, 0)], _UNSTATED)


def _zoneinfo_offsets(zone: ZoneInfo, seconds: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    at, offsets = datetime.fromtimestamp, []
    for second in seconds.tolist():
        offset = at(second, zone).utcoffset()
        assert offset is not None
        offsets.append(offset // _SECOND)
    return np.array(offsets, dtype=np.int64)


def hourly(start: datetime, years: int) -> npt.NDArray[np.int64]:
    """Every hour (POSIX seconds) from `start`, rounded down to the hour, for `years` years."""
    first = int(start.astimezone(UTC).replace(minute=0, second=0, microsecond=0).timestamp())
    count = int(timedelta(days=365 * years + years // 4 + 1).total_seconds() // 3600)
    return first + 3600 * np.arange(count, dtype=np.int64)


def wrong_hours(zone: icalendar.Timezone, zone_name: str, hours: npt.NDArray[np.int64]) -> int:
    """How many of `hours` get another UTC offset from the VTIMEZONE than from zoneinfo.

    The VTIMEZONE's offsets are known at every hour. Zoneinfo is read every COARSE hours; an
    interval between two readings is read hour by hour when the VTIMEZONE changes inside
    it, or the readings differ from each other or from the VTIMEZONE. Elsewhere zoneinfo
    equals the VTIMEZONE's constant offset at both ends, so it could only differ inside by
    changing its clocks and changing them back within COARSE hours, which no zone does.
    """
    expected = ZoneInfo(zone_name)
    told = vtimezone_offsets(zone, hours)
    marks = np.unique(np.append(np.arange(0, len(hours), COARSE), len(hours) - 1))
    read = _zoneinfo_offsets(expected, hours[marks])
    truth = np.append(np.repeat(read[:-1], np.diff(marks)), read[-1])
    changes = np.nonzero(np.diff(told))[0]  # told changes between hour i and i + 1
    suspect = set((np.searchsorted(marks, changes, side="right") - 1).tolist())
    suspect |= set(np.nonzero(np.diff(read))[0].tolist())
    disagree = np.nonzero(read != told[marks])[0]
    suspect |= set(disagree.tolist()) | set((disagree - 1).tolist())
    for k in sorted(suspect):
        if 0 <= k < len(marks) - 1:
            low, high = marks[k], marks[k + 1]
            truth[low : high + 1] = _zoneinfo_offsets(expected, hours[low : high + 1])
    return int((told != truth).sum())
