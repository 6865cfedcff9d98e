"""Dates and durations as a person types them in flags, answers and playbooks: one reader each.

>>> parse_date("2027-01-12")
datetime.date(2027, 1, 12)
>>> parse_duration("-14d")
datetime.timedelta(days=-14)
>>> parse_duration("90m", units="smhd")
datetime.timedelta(seconds=5400)
>>> parse_duration("2w", units="dh")
Traceback (most recent call last):
...
ValueError: '2w' is not a duration: a whole number and d or h, e.g. 7d
"""

from __future__ import annotations

import re
from datetime import date, timedelta

__all__ = ["UNIT_NAMES", "parse_date", "parse_duration"]

UNIT_NAMES = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_DURATION = re.compile(r"([+-]?)\s*(\d{1,6})\s*([a-z])")


def parse_date(text: str) -> date:
    """A calendar date written YYYY-MM-DD; ValueError naming the text otherwise."""
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def parse_duration(text: str, units: str = "smhdw", *, signed: bool = True) -> timedelta:
    """`7d`, `-1h`, `+5m`, `2w`: a whole number of one of `units` (s, m, h, d, w).

    A sign is allowed only when `signed`; `0` alone is zero.
    """
    raw = str(text).strip().lower()
    if raw == "0":
        return timedelta(0)
    match = _DURATION.fullmatch(raw)
    if not match or match[3] not in units or (match[1] and not signed):
        names = f"{', '.join(units[:-1])} or {units[-1]}" if len(units) > 1 else units
        example = "7d" if "d" in units else f"5{units[0]}"
        raise ValueError(f"{text!r} is not a duration: a whole number and {names}, e.g. {example}")
    delta = timedelta(**{UNIT_NAMES[match[3]]: int(match[2])})
    return -delta if match[1] == "-" else delta
