"""Times for people: every time shown names its zone (pure).

`format_moment` is for posts read across zones: "Tue 12 Jan, 8pm ET / 1am GMT (Wed)"; with
the year, for emails: "Tue 12 Jan 2027, 8pm ET / 1am GMT (Wed 13 Jan)". `format_local` is
the exact local time for lists and logs: "Tue 12 Jan 2027 20:00 EST"; `format_hour_minute`
the time of day of a moment within a session, in the chat's zone: "20:07 EST".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from launchkit.domain.weekdays import DAY_NAMES

__all__ = [
    "format_clock",
    "format_day",
    "format_hour_minute",
    "format_local",
    "format_moment",
    "zone_abbreviation",
]

# US chats say ET/CT/MT/PT all year (DESIGN.md: "EST", "EDT" and "ET" all mean Eastern
# local time), so posts use the generic name rather than zoneinfo's EST/EDT.
_GENERIC = {
    "EST": "ET",
    "EDT": "ET",
    "CST": "CT",
    "CDT": "CT",
    "MST": "MT",
    "MDT": "MT",
    "PST": "PT",
    "PDT": "PT",
}
_US_ZONES = ("America/",)
# Fixed English names: strftime's %a/%b follow the process locale, output must not.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(dt: datetime) -> str:
    return DAY_NAMES[dt.weekday()]


def _date(dt: datetime) -> str:
    return f"{DAY_NAMES[dt.weekday()]} {dt.day} {_MONTHS[dt.month - 1]}"


def _abbreviation(dt: datetime) -> str:
    name = dt.tzname() or ""
    if not name or name[0] in "+-":
        # zoneinfo gives "+0530"-style names for zones without a letter abbreviation.
        offset = dt.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        sign = "+" if minutes >= 0 else "-"
        hours, mins = divmod(abs(minutes), 60)
        return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")
    return name


def zone_abbreviation(dt: datetime, generic: bool = True) -> str:
    """The zone's short name at `dt` ("ET", "GMT", "CET", "UTC+3")."""
    name = _abbreviation(dt)
    key = getattr(dt.tzinfo, "key", "")
    if generic and isinstance(key, str) and key.startswith(_US_ZONES):
        return _GENERIC.get(name, name)
    return name


def format_day(dt: datetime) -> str:
    """The date as posts name a session: "Tue 12 Jan" (in `dt`'s own zone)."""
    return _date(dt)


def format_clock(dt: datetime) -> str:
    """A short 12-hour clock time: "8pm", "8:30pm", "12pm" (noon)."""
    hour = dt.hour % 12 or 12
    suffix = "am" if dt.hour < 12 else "pm"
    minutes = f":{dt.minute:02d}" if dt.minute else ""
    return f"{hour}{minutes}{suffix}"


def format_moment(dt: datetime, zones: Sequence[str], *, year: bool = False) -> str:
    """`dt` in each zone, the first with its date: "Tue 12 Jan, 8pm ET / 1am GMT (Wed)".

    A later zone shows its weekday in brackets when its date differs from the first zone's.
    With `year` the first date carries its year and a later one is written in full:
    "Tue 30 Mar 2027, 8pm ET / 1am BST (Wed 31 Mar) / 11am AEDT (Wed 31 Mar)".
    """
    if dt.tzinfo is None:
        raise ValueError("format_moment needs an aware datetime")
    if not zones:
        zones = [getattr(dt.tzinfo, "key", "UTC")]
    parts: list[str] = []
    first_date = None
    for zone in zones:
        local = dt.astimezone(ZoneInfo(zone))
        clock = f"{format_clock(local)} {zone_abbreviation(local)}"
        if first_date is None:
            first_date = local.date()
            parts.append(f"{_date(local)}{f' {local.year}' if year else ''}, {clock}")
        elif local.date() != first_date:
            parts.append(f"{clock} ({_date(local) if year else _day(local)})")
        else:
            parts.append(clock)
    return " / ".join(parts)


def format_local(dt: datetime) -> str:
    """The exact local time with zoneinfo's abbreviation: "Tue 12 Jan 2027 20:00 EST"."""
    if dt.tzinfo is None:
        raise ValueError("format_local needs an aware datetime")
    return f"{_date(dt)} {dt:%Y %H:%M} {zone_abbreviation(dt, generic=False)}"


def format_hour_minute(moment: datetime, zone: str, *, seconds: bool = False) -> str:
    """The time of day of `moment` in `zone`, the zone named: "20:07 EST" ("20:07:05 EST")."""
    local = moment.astimezone(ZoneInfo(zone))
    shown = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{shown} {zone_abbreviation(local, generic=False)}"
