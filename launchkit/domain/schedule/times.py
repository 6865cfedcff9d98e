"""Clock times and time ranges in a free-text chat schedule, and what they mean in 24-hour time."""

from __future__ import annotations

import re
from typing import NamedTuple

from launchkit.domain.textscan import Scan, matches_at
from launchkit.domain.zones import ZoneMention

DAY_MINUTES = 24 * 60
# "HH:MM" of every minute of the day, made once: formatting it for each session was slow.
_HHMM = tuple(f"{m // 60:02d}:{m % 60:02d}" for m in range(DAY_MINUTES))


def hhmm(minute: int) -> str:
    """A minute of the day as "HH:MM"."""
    return _HHMM[minute % DAY_MINUTES]


class Clock(NamedTuple):
    """A written clock time before am/pm is resolved."""

    hour: int
    minute: int
    meridiem: str | None  # "am", "pm", or None when not written
    word: bool = False  # noon/midnight: no meridiem needed
    padded: bool = False  # written "08:00" (a 24-hour habit)

    @property
    def explicit(self) -> bool:
        return self.word or self.meridiem is not None


class TimeMention(NamedTuple):
    """A time or time range at one place in the text, with the zone written right after it.

    `also` holds more zones listed for the same clock time ("9am ET and PT": one session in
    each); `slashed` is a second zone after a slash ("8pm ET/PT"), which says no more than that.
    """

    start: int
    end: int
    first: Clock
    last: Clock | None
    zone: ZoneMention | None
    also: tuple[ZoneMention, ...] = ()
    slashed: ZoneMention | None = None


def _clock(suffix: str) -> str:
    return (
        rf"(?:\b(?P<w{suffix}>(?:12\s*)?noon|midnight|midday)\b"
        rf"|(?P<h{suffix}>\d{{1,2}})(?!\d|st\b|nd\b|rd\b|th\b)(?:[:.](?P<m{suffix}>[0-5]\d))?"
        rf"(?![\d/]|[:.]\d)(?:\s*(?P<mer{suffix}>[ap]\.?\s?m\b\.?))?)"
    )


_TIME_RE = re.compile(
    rf"(?<![\d:./,$£€#+-])(?P<between>between\s+)?{_clock('1')}"
    rf"(?:\s*(?:-|to|until|till|til|through|thru|(?(between)and|(?!)))\s*{_clock('2')})?",
    re.IGNORECASE,
)
_WORD_TIME_STARTS = frozenset(("noon", "midnight", "midday", "between"))
_LEAD_IN_RE = re.compile(
    r"(?:\bat|\bfrom|@|\bbetween|\bstarts?|\bstarting|\bbegins?|\bbeginning|\buntil|\btill"
    r"|\btil|\bby|\baround|\babout|\btime:?)\s*$",
    re.IGNORECASE,
)
_UNIT_AFTER_RE = re.compile(
    r"\s*-?\s*(?:weeks?|hours?|hrs?|h\b|minutes?|mins?|days?|months?|years?|times?|x\b|people"
    r"|participants|%|chats?|tweets?|questions?|q\b|am\b|pm\b)",
    re.IGNORECASE,
)
_UNTIL_GAP_RE = re.compile(
    r"(?:until|till|til|to|ends?(?:\s+at)?|ending(?:\s+at)?|finish(?:es)?(?:\s+at)?)\s*$",
    re.IGNORECASE,
)
# A zone followed by a clock time belongs to that time, not to a list ("8pm ET and PT 5pm").
_TIME_AFTER_RE = re.compile(r"\s*(?:at\s+)?\d", re.IGNORECASE)
_LEADS_TIME_RE = re.compile(r"\s*:?\s*(?:at\s+)?\d", re.IGNORECASE)
_DASH_GAP_RE = re.compile(r"[\s()]*(?:-|to|until|till|til|through|thru)[\s(]*", re.IGNORECASE)
_ATTACH_GAP_RE = re.compile(
    r"[\s(,]*(?:(?:in|for|on|across)\s+(?P<the>the\s+)?)?(?:both\s+)?", re.IGNORECASE
)
_ZONE_LIST_GAP_RE = re.compile(
    r"\s*,?\s*(?:and|&|\+|plus)\s+(?:(?:again\s+)?(?:in|for|on)\s+)?(?:the\s+)?", re.IGNORECASE
)
_ZONE_SLASH_GAP_RE = re.compile(r"\s*/\s*")


# Group numbers of one clock in _TIME_RE: word, hour, minute, meridiem (then the same + 4).
_CLOCK_GROUPS = tuple(_TIME_RE.groupindex[f"{g}1"] for g in ("w", "h", "m", "mer"))


# Clocks already read, by their word, hour, minute and meridiem text: a calendar writes the
# same few hundred clocks again and again.
_clocks: dict[tuple[str | None, ...], Clock | None] = {}
_CLOCKS_MAX = 4096


def _parse_clock(groups: tuple[str | None, ...], at: int) -> Clock | None:
    """The clock whose word, hour, minute and meridiem groups start at index `at`."""
    written = groups[at : at + 4]
    if written in _clocks:
        return _clocks[written]
    word, hour_text, minute_text, mer_text = written
    clock: Clock | None = None
    if word:
        clock = Clock(0 if word.lower() == "midnight" else 12, 0, None, True)
    elif hour_text is not None:
        hour = int(hour_text)
        meridiem = mer_text.lower()[0] + "m" if mer_text else None
        if hour <= 24 and not (meridiem and not 1 <= hour <= 12):
            padded = hour_text[0] == "0" and minute_text is not None
            clock = Clock(hour, int(minute_text or 0), meridiem, False, padded)
    if len(_clocks) >= _CLOCKS_MAX:
        _clocks.clear()
    _clocks[written] = clock
    return clock


def clocks_of(groups: tuple[str | None, ...]) -> tuple[Clock, Clock | None] | None:
    """The first and last clock of a _TIME_RE match's groups; None when the first is no
    clock."""
    first = _parse_clock(groups, _CLOCK_GROUPS[0] - 1)
    return None if first is None else (first, _parse_clock(groups, _CLOCK_GROUPS[0] + 3))


def is_a_time(
    text: str,
    m: re.Match[str],
    groups: tuple[str | None, ...],
    clocks: tuple[Clock, Clock | None],
    zone_after: ZoneMention | None,
) -> bool:
    """Whether a _TIME_RE match (with its `groups`) is a time: written as one ("8pm",
    "noon", "8:30"), or a bare number ("8", "8-10") after "at/from/..." or before a zone,
    never before a unit ("2 weeks", "60 minutes", "24-hour")."""
    first, last = clocks
    minutes_at = _CLOCK_GROUPS[2] - 1
    if (
        first.explicit
        or groups[minutes_at] is not None
        or (last is not None and (last.explicit or groups[minutes_at + 4] is not None))
    ):
        return True
    lead = _LEAD_IN_RE.search(text, max(0, m.start() - 16), m.start())
    strict_zone = zone_after is not None and zone_after.strict
    return not (_UNIT_AFTER_RE.match(text, m.end()) or (lead is None and not strict_zone))


def _attached(text: str, end: int, zone_at: dict[int, ZoneMention]) -> ZoneMention | None:
    """The zone written right after a time: "8pm ET", "8pm (GMT)", "8pm for the East Coast";
    not one that starts the next time ("ET: 8pm, PT: 5pm")."""
    gap = _ATTACH_GAP_RE.match(text, end)
    if gap is None:
        return zone_at.get(end)
    zone = zone_at.get(gap.end())
    if zone is None and gap.group("the"):
        zone = zone_at.get(gap.start("the"))  # "the UK" is the place's own name
    if zone is not None and _LEADS_TIME_RE.match(text, zone.end):
        return None if "," in text[end : zone.start] or text[zone.end] == ":" else zone
    return zone


def _before(
    text: str, start: int, zone_by_end: dict[int, ZoneMention], taken: set[int]
) -> ZoneMention | None:
    """The zone written right before a time ("ET 8pm", "PT: 5pm"), unless an earlier time
    already has it."""
    j = start
    while j > 0 and text[j - 1] in " :\t":
        j -= 1
    zone = zone_by_end.get(j)
    return zone if zone is not None and zone.start not in taken else None


def _listed(
    text: str, zone: ZoneMention, zone_at: dict[int, ZoneMention]
) -> tuple[tuple[ZoneMention, ...], ZoneMention | None]:
    """Zones listed after a time's own: "9am ET and PT" (also), "8pm ET/PT" (slashed);
    "EST/EDT" is one zone written twice."""
    also: list[ZoneMention] = []
    slashed: ZoneMention | None = None
    current = zone
    while True:
        gap = _ZONE_SLASH_GAP_RE.match(text, current.end) or _ZONE_LIST_GAP_RE.match(
            text, current.end
        )
        nxt = zone_at.get(gap.end()) if gap else None
        if gap is None or nxt is None or _TIME_AFTER_RE.match(text, nxt.end):
            break
        if nxt.iana != zone.iana and all(z.iana != nxt.iana for z in also):
            if "/" in gap.group(0):
                slashed = slashed or nxt
            else:
                also.append(nxt)
        current = nxt
    return tuple(also), slashed


def _time_starts(text: str, scan: Scan) -> list[int]:
    """Where a time may start: a run of digits, or "noon", "midnight", "between"."""
    starts = [start for start, _ in scan.numbers]
    if not _WORD_TIME_STARTS.isdisjoint(scan.words):
        starts = sorted(starts + scan.positions(_WORD_TIME_STARTS & scan.words))
    return starts


def find_times(text: str, zones: list[ZoneMention], scan: Scan | None = None) -> list[TimeMention]:
    """Times and ranges in `text`; bare numbers count only where they read as a clock time."""
    scan = scan or Scan(text)
    zone_at = {z.start: z for z in zones}
    zone_by_end = {z.end: z for z in zones}
    taken: set[int] = set()
    found: list[TimeMention] = []
    for m in matches_at(_TIME_RE, text, _time_starts(text, scan)):
        groups = m.groups()
        clocks = clocks_of(groups)
        if clocks is None:
            continue
        if not zones:  # the common case, without the look-ups that can only fail
            if is_a_time(text, m, groups, clocks, None):
                found.append(TimeMention(m.start(), m.end(), *clocks, None))
            continue
        after = _attached(text, m.end(), zone_at)
        zone = after or _before(text, m.start(), zone_by_end, taken)
        if not is_a_time(text, m, groups, clocks, after):
            continue
        also, slashed = _listed(text, after, zone_at) if after is not None else ((), None)
        if after is not None:
            taken.add(after.start)
            taken.update(z.start for z in also)
        found.append(TimeMention(m.start(), m.end(), *clocks, zone, also, slashed))
    return _join_until(text, found) if len(found) > 1 else found


def _join_until(text: str, times: list[TimeMention]) -> list[TimeMention]:
    """Join "8 PM ET - 9 PM ET" and "3pm EST Sunday and goes until 6pm EST" into one range;
    "2pm ET - 11am PT" stays two times (one moment in two zones)."""
    joined: list[TimeMention] = []
    for t in times:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and prev.last is None
            and t.last is None
            and (prev.zone is None or t.zone is None or prev.zone.iana == t.zone.iana)
            and _is_range_gap(text, prev, t)
        ):
            joined[-1] = TimeMention(
                prev.start,
                t.end,
                prev.first,
                t.first,
                prev.zone or t.zone,
                prev.also or t.also,
                prev.slashed or t.slashed,
            )
        else:
            joined.append(t)
    return joined


def _is_range_gap(text: str, prev: TimeMention, t: TimeMention) -> bool:
    begin = prev.zone.end if prev.zone is not None and prev.zone.start >= prev.end else prev.end
    if begin > t.start:
        return False
    if _DASH_GAP_RE.fullmatch(text, begin, t.start):
        return True
    return t.start - prev.end <= 60 and _UNTIL_GAP_RE.search(text, begin, t.start) is not None


def _minutes(c: Clock, meridiem: str | None) -> int:
    if c.word:
        return c.hour * 60
    hour = c.hour % 12 + (12 if meridiem == "pm" else 0) if meridiem else c.hour % 24
    return hour * 60 + c.minute


def _span(start: int, end: int) -> int:
    return (end - start) % DAY_MINUTES


def _by_daypart(c: Clock, daypart: str | None) -> int | None:
    """A bare hour read through "evening"/"night" (5-11 -> pm), "afternoon" (1-6 -> pm) or
    "morning" (5-11 -> am); other hours stay unknown ("Saturday night at 1")."""
    if daypart == "evening" and 5 <= c.hour <= 11:
        return _minutes(c, "pm")
    if daypart == "afternoon" and 1 <= c.hour <= 6:
        return _minutes(c, "pm")
    if daypart == "morning" and 5 <= c.hour <= 11:
        return _minutes(c, "am")
    return None


def resolve(t: TimeMention, daypart: str | None) -> tuple[int | None, int | None, str | None]:
    """(start minute of day, duration, problem) for a time; daypart is "evening", "afternoon"
    or "morning" from the words around it (they settle a bare hour)."""
    first, last = t.first, t.last
    if last is None:
        if first.explicit:
            return _minutes(first, first.meridiem), None, None
        if first.hour >= 13 or first.hour == 0 or first.padded:
            return _minutes(first, None), None, None
        by_daypart = _by_daypart(first, daypart)
        if by_daypart is not None:
            return by_daypart, None, None
        return None, None, "am or pm is not stated"
    if first.explicit and last.explicit:
        start, end = _minutes(first, first.meridiem), _minutes(last, last.meridiem)
    elif first.explicit or last.explicit:
        known, other = (first, last) if first.explicit else (last, first)
        fixed = _minutes(known, known.meridiem)
        options = [_minutes(other, mer) for mer in ("am", "pm")]
        if first.explicit:
            start, end = fixed, min(options, key=lambda e: _span(fixed, e) or DAY_MINUTES)
        else:
            start, end = min(options, key=lambda s: _span(s, fixed) or DAY_MINUTES), fixed
    elif max(first.hour, last.hour) >= 13 or first.padded or first.hour == 0:
        start, end = _minutes(first, None), _minutes(last, None)
    elif (by_daypart := _by_daypart(first, daypart)) is not None:
        start = by_daypart
        end = min((_minutes(last, m) for m in ("am", "pm")), key=lambda e: _span(start, e) or 9999)
    else:
        span = (_minutes(last, "am") - _minutes(first, "am")) % (12 * 60)
        return None, span or None, "am or pm is not stated"
    duration = _span(start, end)
    if duration == 0:
        return start, None, "the time range has no length"
    return start, duration, None
