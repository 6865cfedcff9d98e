"""Time zone names a person types: one rule for chat.yaml, the wizard and every --tz flag.

An IANA name is accepted in any case and stored as IANA spells it (`america/new_york` →
`America/New_York`); so is a zone as chat listings write it, when that is the whole text
(`ET`, `Eastern`, `PT`: see domain/zones.py). Anything else is refused with the closest
IANA names. A zone that never changes its clocks and is no place (`EST`, `Etc/GMT+5`) is
accepted, with a warning that names the zone people usually mean (`fixed_offset_warning`).

>>> iana_zone("america/new_york")
'America/New_York'
>>> iana_zone("ET")
'America/New_York'
>>> try:
...     iana_zone("Europe/Londn")
... except UnknownZone as exc:
...     print(exc.message, "/", exc.hint)
'Europe/Londn' is not an IANA time zone / did you mean Europe/London, Europe/Lisbon or Europe/Oslo?
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from launchkit.domain.zones import closest_zone_names, find_zones

__all__ = ["UnknownZone", "fixed_offset_warning", "iana_zone", "is_iana_zone", "usual_zone"]

EXAMPLES = "e.g. America/New_York or Europe/London"

# Zones that keep one offset all year and name no place. UTC (and its aliases) is left out:
# it means what it says.
_FIXED = re.compile(r"(?:Etc/)?(?:GMT(?:[+-]\d{1,2}|0)?|Greenwich)|EST|MST|HST")
# The zone people mean when they write one of them: by name, then by offset in hours.
_USUAL_BY_NAME = {"EST": "America/New_York", "MST": "America/Denver", "HST": "Pacific/Honolulu"}
# Where a fixed offset is what a place really keeps, said beside the usual zone.
_ALSO = {"MST": " (Arizona keeps MST all year: America/Phoenix)"}
_USUAL_BY_HOURS = {
    -11: "Pacific/Pago_Pago", -10: "Pacific/Honolulu", -9: "America/Anchorage",
    -8: "America/Los_Angeles", -7: "America/Denver", -6: "America/Chicago",
    -5: "America/New_York", -4: "America/Halifax", -3: "America/Sao_Paulo",
    -2: "America/Noronha", -1: "Atlantic/Azores", 0: "Europe/London", 1: "Europe/Paris",
    2: "Europe/Athens", 3: "Europe/Moscow", 4: "Asia/Dubai", 5: "Asia/Karachi",
    6: "Asia/Dhaka", 7: "Asia/Bangkok", 8: "Asia/Singapore", 9: "Asia/Tokyo",
    10: "Australia/Sydney", 11: "Pacific/Noumea", 12: "Pacific/Auckland",
    13: "Pacific/Tongatapu", 14: "Pacific/Kiritimati",
}  # fmt: skip
# How far ahead a warning looks for the day the usual zone's clocks first differ.
_LOOK_AHEAD_DAYS = 400


class UnknownZone(ValueError):
    """A text that names no time zone; `hint` suggests the closest IANA names."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = tuple(suggestions)
        self.message = f"{text!r} is not an IANA time zone"
        super().__init__(self.message)

    @property
    def hint(self) -> str:
        """`did you mean A or B?`, or an example of an IANA name."""
        if not self.suggestions:
            return f"use an IANA name, {EXAMPLES}"
        *rest, last = self.suggestions
        return "did you mean " + (f"{', '.join(rest)} or {last}" if rest else last) + "?"

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})"


@lru_cache(maxsize=1)
def _by_lower() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {name.lower(): name for name in available_timezones()}


def iana_zone(text: str) -> str:
    """The IANA name of the zone `text` names (see the module docstring); UnknownZone if none."""
    name = text.strip()
    found = _by_lower().get(name.lower())
    if found:
        return found
    for mention in find_zones(name):
        if mention.iana and mention.start == 0 and mention.end == len(name):
            return mention.iana
    raise UnknownZone(text, closest_zone_names(name))


def is_iana_zone(text: str) -> bool:
    """True when `text` is exactly an IANA zone name (as $TZ and /etc/localtime give them)."""
    return _by_lower().get(text.lower()) == text


def _fixed_offset(zone: str) -> timedelta:
    return ZoneInfo(zone).utcoffset(datetime(2000, 1, 1)) or timedelta(0)


def _offset_text(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "−"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def usual_zone(zone: str) -> str | None:
    """The zone people usually mean by a fixed-offset zone (`EST` → America/New_York), or
    None when `zone` is not one (a place's zone, or UTC)."""
    if not _FIXED.fullmatch(zone):
        return None
    if zone in _USUAL_BY_NAME:
        return _USUAL_BY_NAME[zone]
    hours = int(_fixed_offset(zone).total_seconds()) // 3600
    return _USUAL_BY_HOURS.get(hours)


def _first_difference(zone: str, usual: str, start: datetime) -> datetime | None:
    """The first day from `start` (a wall time in `zone`) on which the same moment has another
    wall time in `usual`, at that wall time in `usual`."""
    fixed, place = ZoneInfo(zone), ZoneInfo(usual)
    moment = start.replace(tzinfo=fixed)
    usual_offset = moment.utcoffset()
    for day in range(_LOOK_AHEAD_DAYS):
        there = (moment + timedelta(days=day)).astimezone(place)
        if there.utcoffset() != usual_offset:
            return there
    return None


def fixed_offset_warning(zone: str, start: datetime | None = None) -> str | None:
    """A warning when `zone` never changes its clocks and names no place (EST, MST, HST,
    GMT, Etc/GMT+5), naming the zone people usually mean; None for any other zone.

    With `start` (a chat's first session, wall time in `zone`) it says from when the
    sessions fall at another hour in that zone.

    >>> fixed_offset_warning("EST", datetime(2027, 1, 12, 20, 0))[:60]
    'EST is UTC−05:00 all year and never moves to daylight time: '
    >>> fixed_offset_warning("America/New_York") is None
    True
    """
    if not _FIXED.fullmatch(zone):
        return None
    usual = usual_zone(zone)
    offset = _offset_text(_fixed_offset(zone))
    etc = zone.startswith("Etc/")
    head = f"{zone} is {offset} all year" + (
        " (Etc/GMT signs are the reverse of UTC's)" if re.search(r"GMT[+-][1-9]", zone) else ""
    )
    if usual is None:
        return f"{head}: to follow a place's clocks, use that place's zone ({EXAMPLES})"
    place = usual.rsplit("/", 1)[-1].replace("_", " ")
    if _first_difference(zone, usual, datetime(2000, 1, 1)) is None:  # Honolulu, Tokyo
        who = (
            f"if the chat follows {place}'s clocks, use {usual}"
            if etc
            else f"people who write {zone} usually mean {usual}; use it"
        )
        return f"{head}, as {usual} is: {who} so calendar apps show the place"
    head += " and never moves to daylight time"
    later = _first_difference(zone, usual, start) if start else None
    if start is not None and later is not None:
        head += (
            f": from {later.date().isoformat()} a {start:%H:%M} {zone} session is at "
            f"{later:%H:%M} in {usual}"
        )
    advice = (
        f"to follow a place's clocks, use its zone, e.g. {usual}"
        if etc
        else f"people who write {zone} usually mean {usual}: use it to follow {place}'s clocks"
    )
    return f"{head}. {advice[0].upper()}{advice[1:]}{_ALSO.get(zone, '')}."
