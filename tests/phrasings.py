"""A grammar of chat-schedule phrasings with known answers, for property tests and benchmarks.

`phrasing(rnd)` writes one schedule the way hosts write them (days, nth weekdays, cadences,
12/24-hour times, ranges, lengths in words, zones by abbreviation, name or city, several
sessions, a session per zone, a time restated in a second zone, a dated session plus the rule,
filler and trailing remarks) together with what it says: its zone and sessions, and whether
the text says all of it (`certain`). A parser may read a certain phrasing as `ok` only with
exactly that answer; an uncertain one (no zone, fortnightly without a dated first session,
a vague length, a restatement that does not agree) never as `ok`.

Only the Python standard library: the benchmarks import this file without the test suite.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FULL = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True))
ABBR = {"MO": ("Mon",), "TU": ("Tue", "Tues"), "WE": ("Wed",), "TH": ("Thu", "Thurs"),
        "FR": ("Fri",), "SA": ("Sat",), "SU": ("Sun",)}  # fmt: skip
ORDINAL_WORDS = {1: ("first", "1st"), 2: ("second", "2nd"), 3: ("third", "3rd"),
                 4: ("fourth", "4th"), -1: ("last",)}  # fmt: skip
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip

# Zones written as chat listings write them: (text, IANA zone it means).
ZONE_WORDS: dict[str, tuple[str, ...]] = {
    "America/New_York": ("ET", "EST", "EDT", "Eastern", "Eastern Time", "eastern time",
                         "New York time"),
    "America/Chicago": ("CT", "CST", "Central", "Central Time", "Chicago time"),
    "America/Denver": ("MT", "MST", "Mountain Time"),
    "America/Los_Angeles": ("PT", "PST", "PDT", "Pacific", "Pacific Time", "Seattle time"),
    "Europe/London": ("GMT", "BST", "UK time", "London time"),
    "Europe/Dublin": ("Irish time",),
    "Europe/Paris": ("CET", "Central European Time", "Paris time"),
    "Australia/Sydney": ("AEST", "AEDT", "Sydney time"),
    "Asia/Tokyo": ("JST", "Japan time"),
    "Asia/Singapore": ("SGT", "Singapore time"),
    "Asia/Kolkata": ("India Standard Time", "India time"),
    "UTC": ("UTC",),
}  # fmt: skip
# Zones whose clocks change on the same dates: a session in one can be written in the other.
_US = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
_EUROPE = ("Europe/London", "Europe/Dublin", "Europe/Paris")
# Contexts (the rest of a calendar row) that place a chat, for "IST".
_CONTEXTS = {
    "Asia/Kolkata": ("Indian edtech teachers", "Mumbai startup founders", "#DesiWriters chat"),
    "Europe/Dublin": ("Irish librarians", "Dublin tech meetup", "Gaelic football fans"),
}
_FILLER_BEFORE = ("", "", "", "Join us ", "Chat: ", "We meet ", "Our chat is held ",
                  "Live on X ", "#TeachChat meets ")  # fmt: skip
_FILLER_AFTER = ("", "", "", ". All welcome!", " - bring a friend", ". Hosted by @ana_writes.",
                 ". Questions go out 10 minutes before.", " (follow the hashtag)",
                 ". Founded 2015.", ". See you there!", ". Chat for teachers in Chicago.")  # fmt: skip


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


@dataclass(frozen=True)
class Phrasing:
    """A schedule text, the row's zone column and context, and what the text says."""

    text: str
    tz: str | None
    sessions: tuple[Expected, ...]
    certain: bool
    kind: str
    tz_hint: str | None = None
    context: str = ""
    first: date | None = None  # the dated first session of a fortnightly rule


@dataclass
class _Draft:
    """A phrasing being written: pieces of text and what they have said so far."""

    rnd: random.Random
    certain: bool = True
    notes: list[str] = field(default_factory=list)

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return self.rnd.choice(list(options))

    def unsure(self, why: str) -> None:
        self.certain = False
        self.notes.append(why)


def _hhmm(minute: int) -> str:
    minute %= 24 * 60
    return f"{minute // 60:02d}:{minute % 60:02d}"


def clock_text(d: _Draft, minute: int, meridiem: bool = True) -> str:
    """A clock time as people write it: "8pm", "8:30 p.m.", "20:30", "noon"."""
    hour, mins = divmod(minute % (24 * 60), 60)
    if minute == 12 * 60 and d.rnd.random() < 0.3:
        return d.pick(("noon", "12 noon", "12pm"))
    twelve = hour % 12 or 12
    suffix = "am" if hour < 12 else "pm"
    part = "" if mins == 0 and d.rnd.random() < 0.7 else d.pick((":", ":", ".")) + f"{mins:02d}"
    if not meridiem:
        return f"{twelve}{part}"
    style = d.rnd.random()
    if style < 0.2 and (hour >= 13 or hour < 10):
        return f"{hour:02d}:{mins:02d}"  # 24-hour ("20:30", "08:00")
    mer = d.pick((suffix, suffix.upper(), " " + suffix, " " + suffix.upper(), f" {suffix[0]}.m."))
    return f"{twelve}{part}{mer}"


def _range_text(d: _Draft, start: int, length: int) -> str:
    end = (start + length) % (24 * 60)
    last = clock_text(d, end)
    shared = clock_text(d, start, meridiem=False)
    first = clock_text(d, start)
    form = d.rnd.random()
    if form < 0.3 and not last.startswith(("noon", "12 noon")) and ":" not in last[:3]:
        return f"{shared}-{last}"  # "7-9pm": the shorter span is the one meant
    if form < 0.5:
        return f"from {first} to {last}"
    if form < 0.6:
        return f"between {first} and {last}"
    if form < 0.7:
        return f"{first} until {last}"
    return f"{first} - {last}"


def zone_text(d: _Draft, iana: str) -> str:
    return d.pick(ZONE_WORDS[iana])


def _weekly_days(d: _Draft) -> tuple[str, tuple[str, ...]]:
    n = d.rnd.choice((1, 1, 1, 2, 2, 3, 5))
    if n == 5:
        return d.pick(("weekdays", "Monday through Friday", "Mon-Fri", "every weekday")), DAYS[:5]
    codes = tuple(sorted(d.rnd.sample(DAYS, n), key=DAYS.index))
    names = [FULL[c] for c in codes]
    if n == 1:
        c = codes[0]
        return d.pick((f"{names[0]}s", f"every {names[0]}", f"each {names[0]}",
                       f"on {names[0]}s", f"weekly on {names[0]}s", f"every {d.pick(ABBR[c])}",
                       f"every week on {names[0]}")), codes  # fmt: skip
    if n == 2:
        a, b = names
        return d.pick((f"{a}s and {b}s", f"{a}s & {b}s", f"every {a} and {b}",
                       f"{d.pick(ABBR[codes[0]])}/{d.pick(ABBR[codes[1]])} weekly")), codes  # fmt: skip
    return f"{names[0]}s, {names[1]}s and {names[2]}s", codes


def _monthly_days(d: _Draft) -> tuple[str, tuple[str, ...]]:
    code = d.rnd.choice(DAYS)
    name = FULL[code]
    ords = sorted(d.rnd.sample((1, 2, 3, 4, -1), d.rnd.choice((1, 1, 2))), key=lambda o: o % 10)
    words = [d.pick(ORDINAL_WORDS[o]) for o in ords]
    byday = tuple(f"{o}{code}" for o in ords)
    if len(ords) == 2:
        text = d.pick((f"the {words[0]} and {words[1]} {name}s", f"{words[0]} & {words[1]} {name}s",
                       f"every {words[0]} and {words[1]} {name} of the month"))  # fmt: skip
        return text, byday
    form = d.rnd.random()
    if form < 0.5:
        return d.pick((f"the {words[0]} {name} of the month", f"the {words[0]} {name} of every month",
                       f"every {words[0]} {name} of the month", f"{words[0]} {name}s")), byday  # fmt: skip
    if form < 0.8:
        if ords[0] == 1:
            d.unsure("'the first Monday' may be the first of a series")
        return f"on the {words[0]} {name}", byday
    if ords[0] != -1:
        d.unsure("'every third Tuesday' may mean every three weeks")
        return f"every {words[0]} {name}", byday
    return f"on the last {name} of each month", byday


def _session_zone(d: _Draft) -> str:
    return d.rnd.choice(list(ZONE_WORDS))


def _length_words(d: _Draft, minutes: int) -> str:
    spoken = {30: ("half an hour", "30 minutes", "a half hour"), 45: ("45 minutes", "forty-five minutes"),
              60: ("an hour", "one hour", "60 minutes", "1 hour"), 90: ("an hour and a half", "90 minutes", "1.5 hours"),
              120: ("two hours", "2 hours", "120 minutes"), 180: ("three hours", "3 hours")}  # fmt: skip
    adjective = {30: "30-minute", 45: "45-minute", 60: "one-hour", 90: "90-minute",
                 120: "two-hour", 180: "three-hour"}  # fmt: skip
    said = d.pick(spoken[minutes])
    return d.pick((f", lasting {said}", f"; the chat lasts {said}", f" for {said}",
                   f" ({said})", f", runs about {said}", f" - a {adjective[minutes]} chat")) # fmt: skip


def _with_length(d: _Draft, start: int, ranged: bool) -> tuple[str, str, int]:
    """(time text, length words, minutes) for one session's time."""
    length = d.rnd.choice((30, 45, 60, 60, 60, 90, 120, 180))
    form = d.rnd.random()
    if ranged or form < 0.35:
        return _range_text(d, start, length), "", length
    if form < 0.6:
        return clock_text(d, start), _length_words(d, length), length
    if form < 0.67:
        vague = d.pick((", lasts a couple of hours", " for 1-2 hours", ", up to an hour"))
        d.unsure("a vague length")
        return clock_text(d, start), vague, 60
    return clock_text(d, start), "", 60


def _start(d: _Draft) -> int:
    hour = d.rnd.choice(list(range(6, 23)) + [12, 19, 20, 20, 21])
    return hour * 60 + d.rnd.choice((0, 0, 0, 30, 30, 15, 45))


def _weekly(d: _Draft, with_zone: bool = True) -> tuple[str, str, list[Expected]]:
    """One weekly, fortnightly or monthly session with its zone (the common case)."""
    cadence = d.rnd.random()
    start = _start(d)
    time_text, length_text, length = _with_length(d, start, ranged=False)
    interval = 1
    if cadence < 0.6:
        days_text, byday = _weekly_days(d)
        freq = "WEEKLY"
    elif cadence < 0.85:
        days_text, byday = _monthly_days(d)
        freq = "MONTHLY"
    else:
        code = d.rnd.choice(DAYS)
        days_text = d.pick((f"every other {FULL[code]}", f"biweekly on {FULL[code]}s",
                            f"every two weeks on {FULL[code]}", f"fortnightly on {FULL[code]}s"))  # fmt: skip
        byday, freq, interval = (code,), "WEEKLY", 2
        d.unsure("fortnightly without a dated first session")
    iana = _session_zone(d)
    zone = zone_text(d, iana) if with_zone else ""
    at = d.pick(("at ", "", "@ ", "from ")) if not time_text.startswith(("from", "between")) else ""
    form = d.rnd.random()
    if form < 0.6 or not with_zone:
        text = f"{days_text} {at}{time_text} {zone}".rstrip() + length_text
    elif form < 0.8:
        text = f"{time_text} {zone} {days_text}{length_text}"
    else:
        text = f"{days_text}, {time_text} ({zone}){length_text}"
    return text, iana, [Expected(freq, byday, _hhmm(start), length, interval)]


def _anchor(d: _Draft, code: str) -> tuple[str, date | None]:
    """A dated first session on weekday `code`, with or without its year."""
    day = date(2023, 1, 2) + timedelta(days=DAYS.index(code) + 7 * d.rnd.randrange(0, 150))
    written = f"{MONTHS[day.month - 1]} {day.day}"
    if d.rnd.random() < 0.6:
        return f"{FULL[code]}, {written}, {day.year}", day
    d.unsure("a dated first session without its year")
    return f"{FULL[code]}, {written}", None


def _fortnightly(d: _Draft) -> Phrasing:
    code = d.rnd.choice(DAYS)
    start, iana = _start(d), _session_zone(d)
    rule = d.pick((f"every other {FULL[code]}", f"biweekly on {FULL[code]}s"))
    when, first = _anchor(d, code)
    time_text, zone = clock_text(d, start), zone_text(d, iana)
    text = d.pick((f"{rule}; the first chat is {when} at {time_text} {zone}",
                   f"{rule} at {time_text} {zone}, starting {when}"))  # fmt: skip
    sessions = (Expected("WEEKLY", (code,), _hhmm(start), 60, 2),)
    return Phrasing(text, iana, sessions, d.certain, "dated fortnightly", first=first)


def _dated_weekly(d: _Draft) -> Phrasing:
    code = d.rnd.choice(DAYS)
    start, iana = _start(d), _session_zone(d)
    time_text, zone = clock_text(d, start), zone_text(d, iana)
    month, day_no = d.rnd.choice(MONTHS), d.rnd.randrange(1, 29)
    if d.rnd.random() < 0.15:
        other = DAYS[(DAYS.index(code) + 1) % 7]
        d.unsure("the dated session is on another day")
        text = f"every {FULL[code]} at {time_text} {zone}; this week's chat is on {FULL[other]}, {month} {day_no}"
    else:
        text = d.pick((f"today, {FULL[code]}, at {time_text} {zone} - she hosts it every {FULL[code]}",
                       f"Weekly on {FULL[code]}s; next chat is {FULL[code]}, {month} {day_no} at {time_text} {zone}",
                       f"Join us tonight, {FULL[code]}, at {time_text} {zone}: the chat runs every {FULL[code]}"))  # fmt: skip
    return Phrasing(text, iana, (Expected("WEEKLY", (code,), _hhmm(start), 60),), d.certain, "dated")


def convert(minute: int, source: str, target: str) -> tuple[int, int]:
    """A clock time in `source` as (minute, days later) in `target`, on a January day."""
    local = datetime(2027, 1, 13, minute // 60, minute % 60, tzinfo=ZoneInfo(source))
    there = local.astimezone(ZoneInfo(target))
    return there.hour * 60 + there.minute, (there.date() - local.date()).days


def _per_zone(d: _Draft) -> Phrasing:
    """One session in each of two zones: "Fridays 9am ET, and again at 9am PT"."""
    family = _US if d.rnd.random() < 0.8 else _EUROPE
    first, second = d.rnd.sample(family, 2)
    if d.rnd.random() < 0.15:
        second = "Europe/London" if first in _US else "America/New_York"
        d.unsure("zones whose difference changes during the year")
    days_text, byday = _weekly_days(d)
    start = _start(d)
    other = start if d.rnd.random() < 0.7 else _start(d)
    while convert(other, second, first) == (start, 0):
        other = _start(d)  # the same moment twice is one session, not two
    t1, z1, z2 = clock_text(d, start), zone_text(d, first), zone_text(d, second)
    if other == start and d.rnd.random() < 0.4:
        text = d.pick((f"{days_text} at {t1} {z1} and {z2}", f"{days_text} {t1} {z1} & {z2}"))
    else:
        t2 = clock_text(d, other)
        join = d.pick((", and again at", " and again at", ", again at", ", repeated at", " & again at"))
        if other == start:
            join = d.pick((join, " and", " &"))
        text = f"{days_text} {t1} {z1}{join} {t2} {z2}"
    moved, later = convert(other, second, first)
    shifted = tuple(DAYS[(DAYS.index(c) + later) % 7] for c in byday)
    sessions = [Expected("WEEKLY", byday, _hhmm(start), 60),
                Expected("WEEKLY", tuple(sorted(shifted, key=DAYS.index)), _hhmm(moved), 60)]  # fmt: skip
    return Phrasing(text, first, tuple(sessions), d.certain, "per zone")


def _restated(d: _Draft) -> Phrasing:
    """One session said in two zones: "Sundays 7pm CT (that's 8pm ET)"."""
    family = d.rnd.choice((_US, _US, _EUROPE))
    first, second = d.rnd.sample(family, 2)
    days_text, byday = _weekly_days(d)
    start = _start(d)
    there, _ = convert(start, first, second)
    if d.rnd.random() < 0.15:
        there = (there + 60) % (24 * 60)
        d.unsure("the restated time does not agree")
    t1, t2 = clock_text(d, start), clock_text(d, there)
    z1, z2 = zone_text(d, first), zone_text(d, second)
    if second == "America/New_York" and d.rnd.random() < 0.4:
        z2 = d.pick(("for the East Coast", "on the East Coast", "in New York"))
    if second == "America/Los_Angeles" and d.rnd.random() < 0.4:
        z2 = d.pick(("on the West Coast", "in Seattle", "for the West Coast"))
    text = d.pick((f"{days_text} {t1} {z1} / {t2} {z2}", f"{days_text} at {t1} {z1} ({t2} {z2})",
                   f"{days_text} {t1} {z1} (that's {t2} {z2})", f"{days_text} {t1} {z1}, which is {t2} {z2}"))  # fmt: skip
    return Phrasing(text, first, (Expected("WEEKLY", byday, _hhmm(start), 60),), d.certain, "restated")


def _ordinal_range(d: _Draft) -> Phrasing:
    """A range plus a monthly ordinal said apart: "7-9pm CT ... the third Tuesday is for food"."""
    code, iana = d.rnd.choice(DAYS), _session_zone(d)
    ordinal = d.rnd.choice((2, 3, 4, -1))
    start, length = _start(d), d.rnd.choice((60, 90, 120))
    theme = d.pick(("food", "books", "guests", "open questions"))
    text = f"{_range_text(d, start, length)} {zone_text(d, iana)} ... the {d.pick(ORDINAL_WORDS[ordinal])} {FULL[code]} is for {theme}"
    sessions = (Expected("MONTHLY", (f"{ordinal}{code}",), _hhmm(start), length),)
    return Phrasing(text, iana, sessions, d.certain, "ordinal range")


def _two_sessions(d: _Draft) -> Phrasing:
    """Two sessions in one zone: paired days and times, or two times on the same days."""
    iana = _session_zone(d)
    zone = zone_text(d, iana)
    s1, s2 = sorted(d.rnd.sample(range(7 * 60, 23 * 60, 30), 2))
    if d.rnd.random() < 0.5:
        a, b = sorted(d.rnd.sample(DAYS, 2), key=DAYS.index)
        text = f"{FULL[a]}s {clock_text(d, s1)} and {FULL[b]}s {clock_text(d, s2)} {zone}"
        sessions = (Expected("WEEKLY", (a,), _hhmm(s1), 60), Expected("WEEKLY", (b,), _hhmm(s2), 60))
    else:
        days_text, byday = _weekly_days(d)
        text = f"{days_text} at {clock_text(d, s1)} and {clock_text(d, s2)} {zone}"
        sessions = (Expected("WEEKLY", byday, _hhmm(s1), 60), Expected("WEEKLY", byday, _hhmm(s2), 60))
    return Phrasing(text, iana, sessions, d.certain, "two sessions")


def _regional(d: _Draft) -> Phrasing:
    """IST, which only the chat's own words settle."""
    code, start = d.rnd.choice(DAYS), _start(d)
    text = f"every {FULL[code]} at {clock_text(d, start)} IST"
    sessions = (Expected("WEEKLY", (code,), _hhmm(start), 60),)
    if d.rnd.random() < 0.3:
        d.unsure("IST with nothing that says where the chat is")
        return Phrasing(text, None, sessions, False, "regional", context="book lovers")
    iana = d.rnd.choice(list(_CONTEXTS))
    return Phrasing(text, iana, sessions, d.certain, "regional", context=d.pick(_CONTEXTS[iana]))


def _plain(d: _Draft) -> Phrasing:
    if d.rnd.random() < 0.12:
        # No zone in the text: known only from the row's zone column, if it has one.
        text, iana, sessions = _weekly(d, with_zone=False)
        if d.rnd.random() < 0.5:
            return Phrasing(text, iana, tuple(sessions), d.certain, "zone column", tz_hint=iana)
        d.unsure("no zone")
        return Phrasing(text, None, tuple(sessions), d.certain, "no zone")
    text, iana, sessions = _weekly(d)
    return Phrasing(text, iana, tuple(sessions), d.certain, "plain")


_KINDS = (
    (_plain, 40), (_two_sessions, 8), (_per_zone, 10), (_restated, 10), (_dated_weekly, 8),
    (_fortnightly, 8), (_ordinal_range, 8), (_regional, 5),
)  # fmt: skip


def phrasing(rnd: random.Random) -> Phrasing:
    """One schedule phrasing with its known answer."""
    d = _Draft(rnd)
    maker = rnd.choices([k for k, _ in _KINDS], weights=[w for _, w in _KINDS])[0]
    made = maker(d)
    text = rnd.choice(_FILLER_BEFORE) + made.text + rnd.choice(_FILLER_AFTER)
    return Phrasing(
        text, made.tz, made.sessions, made.certain and d.certain, made.kind, made.tz_hint,
        made.context, made.first,
    )  # fmt: skip


def phrasings(n: int, seed: int) -> list[Phrasing]:
    """`n` phrasings from a fixed seed (the same list every time)."""
    rnd = random.Random(seed)
    return [phrasing(rnd) for _ in range(n)]
