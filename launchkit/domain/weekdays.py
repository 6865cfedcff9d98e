"""Weekdays as RFC 5545 codes, and a weekly "DAY HH:MM" slot as people type it."""

from __future__ import annotations

import re

DAY_CODES: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_DAY_TIME = re.compile(r"^\s*([A-Za-z]{2,})\.?\s+([01]?\d|2[0-3]):([0-5]\d)\s*$")


def day_code(text: str) -> str:
    """ "TU", "tue", "Tuesday" -> "TU"; ValueError otherwise."""
    code = text.strip()[:2].upper()
    if len(text.strip()) < 2 or code not in DAY_CODES:
        raise ValueError(f"not a day: {text!r} (use MO TU WE TH FR SA SU)")
    return code


def parse_day_time(text: str) -> tuple[str, str]:
    """ "TU 20:00" or "Tuesday 8:00" -> ("TU", "20:00") (24-hour); ValueError otherwise."""
    match = _DAY_TIME.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a day and time like 'TU 20:00'")
    return day_code(match.group(1)), f"{int(match.group(2)):02d}:{match.group(3)}"
