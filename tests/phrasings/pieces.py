"""The small pieces of a schedule phrasing: days, nth weekdays, clock times, ranges, lengths and
zones, each written in the ways hosts write them, with what each piece says."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FULL = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
ABBR = {
    "MO": ("Mon",),
    "TU": ("Tue", "Tues"),
    "WE": ("Wed",),
    "TH": ("Thu", "Thurs"),
    "FR": ("Fri",),
    "SA": ("Sat",),
    "SU": ("Sun",),
}
TYPOS = {"WE": "Wensday", "TH": "Thurday"}
ORDINAL_WORDS = {
    1: ("first", "1st"),
    2: ("second", "2nd"),
    3: ("third", "3rd"),
    4: ("fourth", "4th"),
    -1: ("last",),
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Zones as chat listings write them: the words for each IANA zone they mean.
ZONE_WORDS: dict[str, tuple[str, ...]] = {
    "America/New_York": (
        "ET",
        "EST",
        "EDT",
        "Eastern",
        "Eastern Time",
        "eastern time",
        "New York time",
        "est",
        "EST/EDT",
        "US Eastern",
    ),
    "America/Chicago": ("CT", "CST", "Central", "Central Time", "Chicago time", "CDT"),
    "America/Denver": ("MT", "MST", "Mountain Time", "Denver time"),
    "America/Los_Angeles": (
        "PT",
        "PST",
        "PDT",
        "Pacific",
        "Pacific Time",
        "Seattle time",
        "Pacific Standard Time",
        "pst",
    ),
    "Europe/London": ("GMT", "BST", "UK time", "London time"),
    "Europe/Dublin": ("Irish time", "Dublin time"),
    "Europe/Paris": ("CET", "CEST", "Central European Time", "Paris time"),
    "Australia/Sydney": ("AEST", "AEDT", "Sydney time"),
    "Asia/Tokyo": ("JST", "Japan time", "Tokyo time"),
    "Asia/Singapore": ("SGT", "Singapore time"),
    "Asia/Kolkata": ("India Standard Time", "India time", "UTC+5:30"),
    "UTC": ("UTC", "GMT+0"),
    "Etc/GMT-2": ("UTC+2", "GMT+2"),
    "Etc/GMT+5": ("UTC-5", "GMT-5"),
}
ZONE_NAMES = {
    "America/New_York": "Eastern",
    "America/Chicago": "Central",
    "America/Denver": "Mountain",
    "America/Los_Angeles": "Pacific",
    "Europe/London": "UK time",
    "Europe/Dublin": "Irish time",
    "Europe/Paris": "Central European Time",
}
# Zones whose clocks change on the same dates: a session in one can be written in the other.
US = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
EUROPE = ("Europe/London", "Europe/Dublin", "Europe/Paris")
# The words of a zone that start a name ("Eastern: 8pm" reads, "EST/EDT: 8pm" is odd).
_PREFIX_OK = ("ET", "PT", "CT", "GMT", "CET", "Eastern", "Pacific", "Central", "UK time")


@dataclass(frozen=True)
class Expected:
    """One session as the labels write it: RFC 5545 parts, local start, length."""

    freq: str
    byday: tuple[str, ...]
    start: str
    duration_min: int
    interval: int = 1

    def as_label(self) -> dict[str, object]:
        """The session in the labels' JSON shape (what the official scorer reads)."""
        return {
            "freq": self.freq,
            "interval": self.interval,
            "byday": list(self.byday),
            "start": self.start,
            "duration_min": self.duration_min,
        }


@dataclass
class Draft:
    """A phrasing being written: a random source and whether the text still says everything."""

    rnd: random.Random
    certain: bool = True
    why: list[str] = field(default_factory=list)

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return self.rnd.choice(list(options))

    def chance(self, p: float) -> bool:
        return self.rnd.random() < p

    def unsure(self, why: str) -> None:
        self.certain = False
        self.why.append(why)


def hhmm(minute: int) -> str:
    minute %= 24 * 60
    return f"{minute // 60:02d}:{minute % 60:02d}"


def start_minute(d: Draft) -> int:
    hour = d.rnd.choice([*range(6, 23), 12, 19, 20, 20, 21])
    return hour * 60 + d.rnd.choice((0, 0, 0, 30, 30, 15, 45))


def clock(d: Draft, minute: int, meridiem: bool = True) -> str:
    """A clock time: "8pm", "8:30 p.m.", "20:30", "08:00", "noon"."""
    hour, mins = divmod(minute % (24 * 60), 60)
    if minute == 12 * 60 and d.chance(0.3):
        return d.pick(("noon", "12 noon", "12pm", "midday"))
    twelve = hour % 12 or 12
    suffix = "am" if hour < 12 else "pm"
    part = "" if mins == 0 and d.chance(0.7) else d.pick((":", ":", ".")) + f"{mins:02d}"
    if not meridiem:
        return f"{twelve}{part}"
    if d.chance(0.2) and (hour >= 13 or hour < 10):
        return f"{hour:02d}:{mins:02d}"  # 24-hour: "20:30", "08:00"
    mer = d.pick((suffix, suffix.upper(), " " + suffix, " " + suffix.upper(), f" {suffix[0]}.m."))
    return f"{twelve}{part}{mer}"


def time_range(d: Draft, start: int, length: int) -> str:
    """A range: "7-9pm", "from 7pm to 9pm", "between 19:00 and 21:00"."""
    last, first = clock(d, (start + length) % (24 * 60)), clock(d, start)
    form = d.rnd.random()
    if form < 0.3 and not last.startswith(("noon", "12 noon", "midday")) and ":" not in last[:3]:
        return f"{clock(d, start, meridiem=False)}-{last}"  # the shorter span is the one meant
    if form < 0.5:
        return f"from {first} to {last}"
    if form < 0.6:
        return f"between {first} and {last}"
    if form < 0.7:
        return f"{first} until {last}"
    return f"{first} - {last}"


def weekly_days(d: Draft) -> tuple[str, tuple[str, ...]]:
    """Weekdays of a weekly rule: "Tuesdays", "every Mon and Thu", "Mon-Fri"."""
    n = d.rnd.choice((1, 1, 1, 1, 2, 2, 3, 5))
    if n == 5:
        return d.pick(("weekdays", "Monday through Friday", "Mon-Fri", "every weekday")), DAYS[:5]
    codes = tuple(sorted(d.rnd.sample(DAYS, n), key=DAYS.index))
    names = [FULL[c] for c in codes]
    if n == 1:
        name = TYPOS.get(codes[0], names[0]) if d.chance(0.05) else names[0]
        return d.pick(
            (
                f"{name}s",
                f"every {name}",
                f"each {name}",
                f"on {name}s",
                f"weekly on {name}s",
                f"every {d.pick(ABBR[codes[0]])}",
                f"every week on {name}",
            )
        ), codes
    if n == 2:
        a, b = names
        short = [d.pick(ABBR[c]) for c in codes]
        return d.pick(
            (
                f"{a}s and {b}s",
                f"{a}s & {b}s",
                f"every {a} and {b}",
                f"{short[0]}/{short[1]} weekly",
                f"every {short[0]} & {short[1]}",
            )
        ), codes
    return d.pick(
        (
            f"{names[0]}s, {names[1]}s and {names[2]}s",
            f"every {', '.join(d.pick(ABBR[c]) for c in codes)}",
        )
    ), codes


def monthly_days(d: Draft) -> tuple[str, tuple[str, ...]]:
    """Nth weekdays of the month: "the 2nd Wednesday of the month", "1st & 3rd Thursdays"."""
    code = d.rnd.choice(DAYS)
    name = FULL[code]
    ords = sorted(d.rnd.sample((1, 2, 3, 4, -1), d.rnd.choice((1, 1, 2))), key=lambda o: o % 10)
    words = [d.pick(ORDINAL_WORDS[o]) for o in ords]
    byday = tuple(f"{o}{code}" for o in ords)
    if len(ords) == 2:
        return d.pick(
            (
                f"the {words[0]} and {words[1]} {name}s",
                f"{words[0]} & {words[1]} {name}s",
                f"every {words[0]} and {words[1]} {name} of the month",
            )
        ), byday
    form = d.rnd.random()
    if form < 0.55:
        return d.pick(
            (
                f"the {words[0]} {name} of the month",
                f"the {words[0]} {name} of every month",
                f"every {words[0]} {name} of the month",
                f"{words[0]} {name}s",
                f"{words[0]} {d.pick(ABBR[code])} of each month",
                f"monthly on the {words[0]} {name}",
                f"{words[0]} {name} monthly",
            )
        ), byday
    if form < 0.8:
        if ords[0] == 1:
            d.unsure("'the first Monday' may be the first of a series")
        return f"on the {words[0]} {name}", byday
    if ords[0] != -1:
        d.unsure("'every third Tuesday' may mean every three weeks")
        return f"every {words[0]} {name}", byday
    return f"on the last {name} of each month", byday


def zone(d: Draft, iana: str) -> str:
    return d.pick(ZONE_WORDS[iana])


def zone_before(d: Draft, iana: str) -> str | None:
    """A zone as it reads before a time ("ET 8pm", "Eastern: 8pm"), when it does."""
    fits = [w for w in ZONE_WORDS[iana] if w in _PREFIX_OK]
    return d.pick(fits) + d.pick((" ", ": ")) if fits else None


def length_words(d: Draft, minutes: int) -> str:
    """A chat's length in words: ", lasting an hour and a half", " - a 90-minute chat"."""
    spoken = {
        30: ("half an hour", "30 minutes", "a half hour", "30 mins"),
        45: ("45 minutes", "forty-five minutes", "45 min"),
        60: ("an hour", "one hour", "60 minutes", "1 hour"),
        90: ("an hour and a half", "90 minutes", "1.5 hours", "one and a half hours"),
        120: ("two hours", "2 hours", "120 minutes", "2 hrs"),
        180: ("three hours", "3 hours"),
    }
    adjective = {
        30: ("30-minute", "half-hour"),
        45: ("45-minute", "45 minute"),
        60: ("one-hour", "hour-long", "60-minute"),
        90: ("90-minute", "90 min"),
        120: ("two-hour", "2-hour"),
        180: ("three-hour",),
    }
    said = d.pick(spoken[minutes])
    return d.pick(
        (
            f", lasting {said}",
            f"; the chat lasts {said}",
            f" for {said}",
            f" ({said})",
            f", runs about {said}",
            f" - a {d.pick(adjective[minutes])} chat",
            f". Runs for {said}.",
            f", {said} long",
        )
    )


def convert(minute: int, source: str, target: str) -> tuple[int, int]:
    """A clock time in `source` as (minute, days later) in `target`, on a January Wednesday."""
    local = datetime(2027, 1, 13, minute // 60, minute % 60, tzinfo=ZoneInfo(source))
    there = local.astimezone(ZoneInfo(target))
    return there.hour * 60 + there.minute, (there.date() - local.date()).days
