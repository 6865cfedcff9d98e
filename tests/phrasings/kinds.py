"""Kinds of schedule phrasing, each written from pieces with its known answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tests.phrasings.pieces import (
    DAYS,
    EUROPE,
    FULL,
    MONTHS,
    ORDINAL_WORDS,
    US,
    ZONE_NAMES,
    ZONE_WORDS,
    Draft,
    Expected,
    clock,
    convert,
    hhmm,
    length_words,
    monthly_days,
    start_minute,
    time_range,
    weekly_days,
    zone,
    zone_before,
)

# Where a chat is, as the rest of its calendar row says it, for "IST".
_CONTEXTS = {
    "Asia/Kolkata": (
        "Indian edtech teachers",
        "Mumbai startup founders",
        "#DesiWriters chat",
        "https://example.in/chat",
    ),
    "Europe/Dublin": ("Irish librarians", "Dublin tech meetup", "#IrishWriters"),
}
# "Most Tuesdays" still reads as weekly (the labels agree); these do not.
_HEDGES = ("(usually)", ", except holidays", "during the school year", ", times vary")


@dataclass(frozen=True)
class Made:
    """A phrasing's text and answer, before filler is added."""

    text: str
    tz: str | None
    sessions: tuple[Expected, ...]
    tz_hint: str | None = None
    context: str = ""
    first: date | None = None


def _session_zone(d: Draft) -> str:
    return d.rnd.choice(list(ZONE_WORDS))


def _time_and_length(d: Draft, start: int) -> tuple[str, str, int]:
    """(time text, length words, minutes) for one session."""
    length = d.rnd.choice((30, 45, 60, 60, 60, 90, 120, 180))
    form = d.rnd.random()
    if form < 0.35:
        return time_range(d, start, length), "", length
    if form < 0.6:
        return clock(d, start), length_words(d, length), length
    if form < 0.66:
        d.unsure("a vague length")
        return (
            clock(d, start),
            d.pick((", lasts a couple of hours", " for 1-2 hours", ", up to an hour")),
            60,
        )
    return clock(d, start), "", 60


def plain(d: Draft) -> Made:
    """One weekly, fortnightly or monthly session: "Tuesdays 8-9pm ET", "2nd Wed 7pm GMT"."""
    start = start_minute(d)
    time_text, length_text, length = _time_and_length(d, start)
    interval = 1
    cadence = d.rnd.random()
    if cadence < 0.6:
        days_text, byday = weekly_days(d)
        freq = "WEEKLY"
    elif cadence < 0.85:
        days_text, byday = monthly_days(d)
        freq = "MONTHLY"
    else:
        code = d.rnd.choice(DAYS)
        days_text = d.pick(
            (
                f"every other {FULL[code]}",
                f"biweekly on {FULL[code]}s",
                f"every two weeks on {FULL[code]}",
                f"fortnightly on {FULL[code]}s",
            )
        )
        byday, freq, interval = (code,), "WEEKLY", 2
        d.unsure("fortnightly without a dated first session")
    iana = _session_zone(d)
    sessions = (Expected(freq, byday, hhmm(start), length, interval),)
    at = "" if time_text.startswith(("from", "between")) else d.pick(("at ", "", "@ ", "from "))
    if d.chance(0.12):
        # No zone in the text: known only from the row's zone column, when it has one.
        text = f"{days_text} {at}{time_text}{length_text}"
        if d.chance(0.5):
            return Made(text, iana, sessions, tz_hint=d.pick((zone(d, iana), iana)))
        d.unsure("no zone")
        return Made(text, None, sessions)
    z, form = zone(d, iana), d.rnd.random()
    before = zone_before(d, iana)
    if form < 0.55:
        text = f"{days_text} {at}{time_text} {z}{length_text}"
    elif form < 0.7:
        text = f"{time_text} {z} {days_text}{length_text}"
    elif form < 0.85 or before is None:
        text = f"{days_text}, {time_text} ({z}){length_text}"
    else:
        text = f"{days_text}, {before}{time_text}{length_text}"
    return Made(text, iana, sessions)


def daypart(d: Draft) -> Made:
    """A bare hour settled by "nights"/"mornings": "Tuesday nights at 8 ET"."""
    code, iana = d.rnd.choice(DAYS), _session_zone(d)
    part, hours = d.rnd.choice(
        (
            ("nights", range(17, 24)),
            ("evenings", range(17, 24)),
            ("mornings", range(6, 12)),
            ("afternoons", range(13, 19)),
        )
    )
    hour = d.rnd.choice(list(hours))
    text = f"{FULL[code]} {part} at {hour % 12 or 12} {zone(d, iana)}"
    if d.chance(0.2):
        d.unsure("a bare hour with nothing to say am or pm")
        text = f"every {FULL[code]} at {hour % 12 or 12} {zone(d, iana)}"
    return Made(text, iana, (Expected("WEEKLY", (code,), hhmm(hour * 60), 60),))


def two_sessions(d: Draft) -> Made:
    """Two sessions in one zone: "Mondays 7pm and Thursdays 8pm ET", "Tuesdays 12pm and 7pm"."""
    iana = _session_zone(d)
    z = zone(d, iana)
    s1, s2 = sorted(d.rnd.sample(range(7 * 60, 23 * 60, 30), 2))
    if s2 - s1 < 90:
        s2 = s1 + 120
    if d.chance(0.5):
        a, b = sorted(d.rnd.sample(DAYS, 2), key=DAYS.index)
        text = d.pick(
            (
                f"{FULL[a]}s {clock(d, s1)} and {FULL[b]}s {clock(d, s2)} {z}",
                f"{FULL[a]}s at {clock(d, s1)} {z}, {FULL[b]}s at {clock(d, s2)} {z}",
            )
        )
        sessions = (Expected("WEEKLY", (a,), hhmm(s1), 60), Expected("WEEKLY", (b,), hhmm(s2), 60))
    else:
        days_text, byday = weekly_days(d)
        text = f"{days_text} at {clock(d, s1)} and {clock(d, s2)} {z}"
        sessions = (
            Expected("WEEKLY", byday, hhmm(s1), 60),
            Expected("WEEKLY", byday, hhmm(s2), 60),
        )
    return Made(text, iana, sessions)


def per_zone(d: Draft) -> Made:
    """One session in each of two zones: "Fridays 9am ET, and again at 9am PT"."""
    family = US if d.chance(0.8) else EUROPE
    first, second = d.rnd.sample(family, 2)
    if d.chance(0.12):
        second = "Europe/London" if first in US else "America/New_York"
        d.unsure("zones whose difference changes during the year")
    days_text, byday = weekly_days(d)
    start = start_minute(d)
    other = start if d.chance(0.7) else start_minute(d)
    # Two sessions an hour or more apart: the same moment twice is one session, and two
    # that overlap may be one chat with a warm-up (the parser rightly asks).
    while abs((convert(other, second, first)[0] - start + 720) % 1440 - 720) < 90:
        other = start_minute(d)
    t1, z1, z2 = clock(d, start), zone(d, first), zone(d, second)
    moved, later = convert(other, second, first)
    later_days = tuple(DAYS[(DAYS.index(c) + later) % 7] for c in byday)
    second_days = tuple(sorted(later_days, key=DAYS.index))
    if other == start and d.chance(0.4):
        both = f"in both {ZONE_NAMES[first]} and {ZONE_NAMES[second]}"
        text = d.pick(
            (
                f"{days_text} at {t1} {z1} and {z2}",
                f"{days_text} {t1} {z1} & {z2}",
                f"{days_text} at {clock(d, start)} {both}",
            )
        )
    elif len(byday) == 1 and d.chance(0.2):
        nxt = DAYS[(DAYS.index(byday[0]) + 1) % 7]
        text = f"{FULL[byday[0]]}s {t1} {z1} and {FULL[nxt]}s {clock(d, other)} {z2}"
        second_days = (DAYS[(DAYS.index(nxt) + later) % 7],)
    else:
        join = d.pick(
            (", and again at", " and again at", ", again at", ", repeated at", " & again at")
        )
        if other == start:
            join = d.pick((join, " and", " &"))
        text = f"{days_text} {t1} {z1}{join} {clock(d, other)} {z2}"
    sessions = (
        Expected("WEEKLY", byday, hhmm(start), 60),
        Expected("WEEKLY", second_days, hhmm(moved), 60),
    )
    return Made(text, first, sessions)


def restated(d: Draft) -> Made:
    """One session said in two or three zones: "Sundays 7pm CT (that's 8pm ET)"."""
    family = d.rnd.choice((US, US, EUROPE))
    first, second = d.rnd.sample(family, 2)
    days_text, byday = weekly_days(d)
    start = start_minute(d)
    there, _ = convert(start, first, second)
    if d.chance(0.12):
        there = (there + 60) % (24 * 60)
        d.unsure("the restated time does not agree")
    t1, t2, z1, z2 = clock(d, start), clock(d, there), zone(d, first), zone(d, second)
    if second == "America/New_York" and d.chance(0.4):
        z2 = d.pick(("for the East Coast", "on the East Coast", "in New York", "NYC"))
    if second == "America/Los_Angeles" and d.chance(0.4):
        z2 = d.pick(("on the West Coast", "in Seattle", "for the West Coast", "San Francisco"))
    third = ""
    if d.chance(0.2):
        z3 = d.rnd.choice([z for z in family if z not in (first, second)])
        third = f" / {clock(d, convert(start, first, z3)[0])} {zone(d, z3)}"
    text = d.pick(
        (
            f"{days_text} {t1} {z1} / {t2} {z2}{third}",
            f"{days_text} at {t1} {z1} ({t2} {z2})",
            f"{days_text} {t1} {z1} (that's {t2} {z2})",
            f"{days_text} {t1} {z1}, which is {t2} {z2}",
            f"{days_text} {t1} {z1} or {t2} {z2}",
        )
    )
    return Made(text, first, (Expected("WEEKLY", byday, hhmm(start), 60),))


def _anchor(d: Draft, code: str) -> tuple[str, date | None]:
    """A dated first session on weekday `code`, with or without its year."""
    day = date(2023, 1, 2) + timedelta(days=DAYS.index(code) + 7 * d.rnd.randrange(0, 150))
    written = f"{MONTHS[day.month - 1]} {day.day}"
    form = d.rnd.random()
    if form < 0.4:
        return f"{FULL[code]}, {written}, {day.year}", day
    if form < 0.55:
        return day.isoformat(), day
    if form < 0.65 and day.day > 12:
        return f"{day.month}/{day.day}/{day.year}", day
    d.unsure("a dated first session without its year")
    return f"{FULL[code]}, {written}", None


def dated_fortnightly(d: Draft) -> Made:
    """ "every other Monday; the first chat is Monday, March 6th, 2023 at 6pm ET"."""
    code, start, iana = d.rnd.choice(DAYS), start_minute(d), _session_zone(d)
    rule = d.pick(
        (
            f"every other {FULL[code]}",
            f"biweekly on {FULL[code]}s",
            f"every 2 weeks on {FULL[code]}s",
        )
    )
    when, first = _anchor(d, code)
    t, z = clock(d, start), zone(d, iana)
    text = d.pick(
        (
            f"{rule}; the first chat is {when} at {t} {z}",
            f"{rule} at {t} {z}, starting {when}",
            f"{rule} at {t} {z} (first session {when})",
        )
    )
    return Made(text, iana, (Expected("WEEKLY", (code,), hhmm(start), 60, 2),), first=first)


def dated_weekly(d: Draft) -> Made:
    """ "today, Thursday, at 1pm ET - she hosts it every Thursday"."""
    code, start, iana = d.rnd.choice(DAYS), start_minute(d), _session_zone(d)
    t, z, name = clock(d, start), zone(d, iana), FULL[code]
    month, day_no = d.rnd.choice(MONTHS), d.rnd.randrange(1, 29)
    if d.chance(0.15):
        other = FULL[DAYS[(DAYS.index(code) + 1) % 7]]
        d.unsure("the dated session is on another day")
        text = f"every {name} at {t} {z}; this week's chat is on {other}, {month} {day_no}"
    else:
        text = d.pick(
            (
                f"today, {name}, at {t} {z} - she hosts it every {name}",
                f"Weekly on {name}s; next chat is {name}, {month} {day_no} at {t} {z}",
                f"Join us tonight, {name}, at {t} {z}: the chat runs every {name}",
                f"every {name} at {t} {z}. Upcoming: {name}, {month} {day_no}.",
            )
        )
    return Made(text, iana, (Expected("WEEKLY", (code,), hhmm(start), 60),))


def ordinal_range(d: Draft) -> Made:
    """A range plus a monthly ordinal said apart: "7-9pm CT ... the third Tuesday is for food"."""
    code, iana = d.rnd.choice(DAYS), _session_zone(d)
    ordinal = d.rnd.choice((2, 3, 4, -1))
    start, length = start_minute(d), d.rnd.choice((60, 90, 120))
    theme = d.pick(("food", "books", "guests", "open questions"))
    nth = f"the {d.pick(ORDINAL_WORDS[ordinal])} {FULL[code]}"
    text = d.pick(
        (
            f"{time_range(d, start, length)} {zone(d, iana)} ... {nth} is for {theme}",
            f"{nth.capitalize()} is {theme} night, {time_range(d, start, length)} {zone(d, iana)}",
        )
    )
    return Made(text, iana, (Expected("MONTHLY", (f"{ordinal}{code}",), hhmm(start), length),))


def regional(d: Draft) -> Made:
    """IST, which only the chat's own words (or its zone column) settle."""
    code, start = d.rnd.choice(DAYS), start_minute(d)
    text = f"every {FULL[code]} at {clock(d, start)} IST"
    sessions = (Expected("WEEKLY", (code,), hhmm(start), 60),)
    form = d.rnd.random()
    if form < 0.2:
        d.unsure("IST with nothing that says where the chat is")
        return Made(text, None, sessions, context="book lovers")
    if form < 0.3:
        return Made(text, "Asia/Kolkata", sessions, tz_hint="Asia/Kolkata")
    if form < 0.4:
        d.unsure("PST on a chat from the Philippines")
        return Made(
            f"every {FULL[code]} at {clock(d, start)} PST",
            None,
            sessions,
            context="Filipino writers in Manila",
        )
    iana = d.rnd.choice(list(_CONTEXTS))
    return Made(text, iana, sessions, context=d.pick(_CONTEXTS[iana]))


def hedged(d: Draft) -> Made:
    """A plain schedule that the text itself leaves open ("usually", "except holidays")."""
    made = plain(d)
    d.unsure("a hedge, exception or season")
    return Made(f"{made.text} {d.pick(_HEDGES)}", made.tz, made.sessions, made.tz_hint)


KINDS = (
    (plain, 34),
    (daypart, 5),
    (two_sessions, 8),
    (per_zone, 10),
    (restated, 10),
    (dated_weekly, 7),
    (dated_fortnightly, 8),
    (ordinal_range, 7),
    (regional, 6),
    (hedged, 5),
)
