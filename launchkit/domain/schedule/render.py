"""Sessions written back as the short text people use in chat listings."""

from __future__ import annotations

from collections.abc import Sequence

from launchkit.domain.schedule.model import SessionRule
from launchkit.domain.schedule.words import WEEKDAYS

FULL_DAY_NAMES = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
_ORDINAL_NAMES = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}
# Labels that read back as the same zone; any other zone is written as its IANA name.
_ZONE_LABELS = {
    "America/New_York": "ET", "America/Chicago": "CT", "America/Denver": "MT",
    "America/Los_Angeles": "PT", "America/Halifax": "AT", "Europe/London": "UK time",
    "Europe/Dublin": "Irish time", "Australia/Sydney": "AEST", "Pacific/Auckland": "NZST",
}  # fmt: skip


def _join(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " & " + words[-1]


def _clock(minute: int) -> str:
    hour, mins = divmod(minute % (24 * 60), 60)
    suffix = "am" if hour < 12 else "pm"
    twelve = hour % 12 or 12
    return f"{twelve}{suffix}" if mins == 0 else f"{twelve}:{mins:02d}{suffix}"


def _days(rrule: str) -> str:
    parts = dict(kv.split("=", 1) for kv in rrule.split(";") if "=" in kv)
    byday = [d for d in parts.get("BYDAY", "").split(",") if d]
    if parts.get("FREQ") == "MONTHLY":
        by_weekday: dict[str, list[int]] = {}
        for item in byday:
            by_weekday.setdefault(item[-2:], []).append(int(item[:-2]))
        if len(by_weekday) == 1:
            ((code, ords),) = by_weekday.items()
            names = [_ORDINAL_NAMES[o] for o in ords]
            if len(ords) > 1:
                return f"{_join(names)} {FULL_DAY_NAMES[code]}s"
            return f"{names[0]} {FULL_DAY_NAMES[code]} of the month"
        items = [f"{_ORDINAL_NAMES[int(i[:-2])]} {FULL_DAY_NAMES[i[-2:]]}" for i in byday]
        return f"{_join(items)} of the month"
    names = [FULL_DAY_NAMES[d] for d in byday]
    if int(parts.get("INTERVAL", "1")) == 2:
        return "every other " + _join(names)
    return _join([n + "s" for n in names])


def render_schedule(sessions: Sequence[SessionRule], tz: str | None) -> str:
    """Write sessions as listing text, e.g. "1st & 3rd Wednesdays 9:30pm ET"."""
    zone = "" if tz is None else " " + _ZONE_LABELS.get(tz, tz)
    pieces = []
    for s in sessions:
        text = _days(s.rrule)
        if s.start is not None:
            hour, minute = map(int, s.start.split(":"))
            begin = hour * 60 + minute
            text += " " + _clock(begin)
            if s.duration_min != 60:
                text += "-" + _clock(begin + s.duration_min)
            text += zone
        pieces.append(text)
    return " and ".join(pieces)
