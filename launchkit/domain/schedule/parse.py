"""Read one free-text chat schedule into sessions, a zone and a status.

The reading is deliberately cautious: anything that needs a guess (a missing zone, am/pm, the
weeks of a fortnightly chat, a season limit, a hedge like "usually") is named in `problems`
and makes the result `partial`; only a fully stated weekly or monthly rule is `ok`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from launchkit.domain.schedule import words as st
from launchkit.domain.schedule.model import ScheduleParse, SessionRule, Status
from launchkit.domain.schedule.moments import Moment, build_moments, choose_zone
from launchkit.domain.schedule.times import find_times
from launchkit.domain.zones import find_zones

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"} | {
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2026": "...",
})  # fmt: skip
_DOTTED_CAPS_RE = re.compile(r"\b([A-Z])\.([A-Z])\.(?:([A-Z])\.)?(?:([A-Z])\.)?")
_LETTER_DIGIT_RE = re.compile(r"(?<=[A-Za-z])(?=\d)")
_GLUED_MERIDIEM_RE = re.compile(r"(\d(?:[ap]m|[ap]\.m\.))(?=[a-z])", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"(?<![ap]\.m)(?<!\b[A-Za-z])[.;!?]+(?=\s+[A-Z0-9])|\n+")
_ANCHOR_LEAD_RE = re.compile(
    r"(?:start(?:s|ing)?|from|beginning|begins|since|launch(?:es|ing)?|first\s+chat)\W*"
    r"(?:on\s+)?(?:\w+,?\s+)?$",
    re.IGNORECASE,
)
_GAP_RE = re.compile(r"[\s(,]*")
_FOR_DURATION_RE = re.compile(
    r"\bfor\s+(?P<n>\d+(?:\.\d+)?|an?|one|two|three|half\s+an?)\s*(?P<unit>hours?|hrs?|minutes?|mins?)\b",
    re.IGNORECASE,
)
_WORD_NUMBERS = {"a": 1.0, "an": 1.0, "one": 1.0, "two": 2.0, "three": 3.0}


def normalize(text: str) -> str:
    """Unify dashes and spaces, undot "C.E.T."/"P.M.", and split "Wednesday3pm", "9pmET"."""
    text = text.translate(_DASHES)
    text = _DOTTED_CAPS_RE.sub(lambda m: "".join(g for g in m.groups() if g), text)
    text = _LETTER_DIGIT_RE.sub(" ", text)
    return _GLUED_MERIDIEM_RE.sub(r"\1 ", text)


@dataclass
class _Reading:
    problems: list[str] = field(default_factory=list)

    def note(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, begin = [], 0
    for m in _SENTENCE_END_RE.finditer(text):
        spans.append((begin, m.end()))
        begin = m.end()
    spans.append((begin, len(text)))
    return spans


def _split_exceptions(
    text: str, words: frozenset[str], days: list[st.DayMention], reading: _Reading
) -> tuple[list[st.DayMention], list[st.DayMention]]:
    """Days named in a sentence that says "off"/"except"/"no chat" are exclusions."""
    excluded: list[st.DayMention] = []
    if st.cue(st.EXCEPTION_RE, text, words) is None:
        return days, excluded
    for begin, end in _sentences(text):
        found = st.EXCEPTION_RE.search(text, begin, end)
        if found is None:
            continue
        inside = [d for d in days if begin <= d.start < end]
        after = [d for d in inside if d.start >= found.start()]
        if after and len(after) < len(inside):
            excluded.extend(after)  # "Tuesdays 8pm ET except the first Tuesday"
        elif inside and len(inside) < len(days):
            excluded.extend(inside)  # a sentence of its own: "5th Wednesdays are off"
        else:
            reading.note(f"an exception ('{found.group(0)}') changes the schedule")
    kept = [d for d in days if d not in excluded]
    for ex in excluded:
        for d in kept:
            if set(ex.days) & set(d.days) and (
                not d.ordinals or set(ex.ordinals) & set(d.ordinals)
            ):
                reading.note("an exception removes some of the stated days")
    return kept, excluded


def _check_dates(text: str, words: frozenset[str], recurring: bool, reading: _Reading) -> bool:
    """True when the text is a one-off dated event; otherwise note dates that limit a rule."""
    dates = st.dates(text, words)
    if (dates or st.cue(st.ONE_OFF_RE, text, words)) and not recurring:
        return True
    for m in dates:
        if re.fullmatch(r"\d{4}", m.group(0)):
            continue  # a bare year ("since 2012") does not bound a weekly rule
        if not _ANCHOR_LEAD_RE.search(text, max(0, m.start() - 40), m.start()):
            reading.note(f"a date ('{m.group(0)}') may limit or change the schedule")
    in_dates = [(m.start(), m.end()) for m in dates]
    months = st.MONTH_NAME_RE.finditer(text) if st.cue(st.MONTH_NAME_RE, text, words) else ()
    for m in months:
        anchored = _ANCHOR_LEAD_RE.search(text, max(0, m.start() - 40), m.start())
        if not anchored and not any(a <= m.start() < b for a, b in in_dates):
            reading.note(
                f"the schedule names a month ('{m.group(0)}'): it may run only part of the year"
            )
    return False


def _for_duration(text: str) -> int | None:
    m = _FOR_DURATION_RE.search(text)
    if m is None:
        return None
    n = m.group("n").lower()
    amount = 0.5 if n.startswith("half") else _WORD_NUMBERS.get(n) or float(n)
    minutes = amount * (60 if m.group("unit").lower().startswith("h") else 1)
    return int(minutes) if 0 < minutes < 24 * 60 else None


def _pair(
    days: list[st.DayMention], moments: list[Moment], reading: _Reading
) -> list[tuple[list[st.DayMention], list[Moment]]]:
    """Which times go with which days: "Mon 7pm and Thu 8pm" pairs in order; otherwise all
    days share all times ("Mondays and Thursdays at 7pm and 9pm")."""
    items: list[tuple[int, str, object]] = [(d.start, "d", d) for d in days]
    items += [(m.start, "m", m) for m in moments]
    items.sort(key=lambda x: x[0])
    groups: list[tuple[str, list[object]]] = []
    for _, kind, obj in items:
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(obj)
        else:
            groups.append((kind, [obj]))
    day_groups = [g for k, g in groups if k == "d"]
    time_groups = [g for k, g in groups if k == "m"]
    if len(time_groups) == 1 and len(day_groups) > 1 and groups[-1][0] == "d":
        # "Tuesday at 8pm ET and Thursday": does Thursday share the time? Unknown.
        reading.note("it is unclear which time goes with which day")
    if len(day_groups) <= 1 or len(time_groups) <= 1 or len(day_groups) != len(time_groups):
        if len(day_groups) > 1 and len(time_groups) > 1:
            reading.note("it is unclear which time goes with which day")
        return [(list(days), list(moments))]
    return [(dg, tg) for dg, tg in zip(day_groups, time_groups, strict=True)]  # type: ignore[misc]


def _byday(mentions: list[st.DayMention]) -> tuple[list[str], list[str]]:
    weekly: set[str] = set()
    monthly: set[tuple[int, str]] = set()
    for d in mentions:
        for code in d.days:
            if d.ordinals:
                monthly.update((o, code) for o in d.ordinals)
            else:
                weekly.add(code)
    weekly_sorted = sorted(weekly, key=st.WEEKDAYS.index)
    monthly_sorted = sorted(monthly, key=lambda oc: (st.WEEKDAYS.index(oc[1]), oc[0] % 10))
    return weekly_sorted, [f"{o}{c}" for o, c in monthly_sorted]


def _sessions(
    pairs: list[tuple[list[st.DayMention], list[Moment]]], interval: int, default_duration: int
) -> list[SessionRule]:
    rules: list[SessionRule] = []
    for day_group, moment_group in pairs:
        weekly, monthly = _byday(day_group)
        rrules = []
        if weekly:
            every = f";INTERVAL={interval}" if interval > 1 else ""
            rrules.append(f"FREQ=WEEKLY{every};BYDAY={','.join(weekly)}")
        if monthly:
            rrules.append(f"FREQ=MONTHLY;BYDAY={','.join(monthly)}")
        times: list[Moment | None] = list(moment_group) or [None]
        for rrule in rrules:
            for m in times:
                start = None if m is None or m.minute is None else m.minute
                hhmm = None if start is None else f"{start // 60:02d}:{start % 60:02d}"
                duration = (m.duration if m is not None else None) or default_duration
                rule = SessionRule(rrule, hhmm, duration)
                if rule not in rules:
                    rules.append(rule)
    return rules


def _check_rule_words(
    text: str, words: frozenset[str], days: list[st.DayMention], reading: _Reading
) -> int:
    """Fortnightly/monthly wording that the days alone do not settle; returns the interval."""
    has_ordinals = any(d.ordinals for d in days)
    month_context = st.cue(st.MONTH_CONTEXT_RE, text, words) is not None
    interval = 1
    if st.cue(st.EVERY_OTHER_RE, text, words):
        interval = 2
        if not any(_ANCHOR_LEAD_RE.search(text, 0, m.start()) for m in st.dates(text, words)):
            reading.note("fortnightly: which weeks it runs is not stated (no start date)")
    if st.EVERY_NTH_AMBIGUOUS_RE.search(text) and not month_context:
        reading.note("'every second/third <day>' may mean of the month or every few weeks")
    for d in days:
        if len(d.ordinals) == 1 and not d.plural and not month_context:
            reading.note("an nth weekday without 'of the month': assumed monthly")
    if st.cue(st.MONTHLY_RE, text, words) and not has_ordinals:
        reading.note("monthly, but which week of the month is not stated")
    return interval


def read_schedule(raw: str, tz_hint: str | None) -> ScheduleParse:
    """Parse a schedule text already cut to a safe length (see `schedules.parse_schedule`)."""
    text = normalize(raw)
    if not text.strip():
        return ScheduleParse("unparsed", None, (), ("the schedule is empty",))
    reading = _Reading()
    words = st.words_of(text)
    zones = find_zones(text)
    all_days = st.find_days(text)
    times = find_times(text, zones)
    recurring = bool(
        st.RECURRING_RE.search(text)
        or st.cue(st.EVERY_OTHER_RE, text, words)
        or any(d.plural or d.ordinals for d in all_days)
    )
    if _check_dates(text, words, recurring, reading):
        # The zone is still worth reporting: a person reading the row would know it.
        moments, _ = build_moments(text, times, all_days, None, lambda _: None)
        tz = choose_zone(text, zones, moments, tz_hint, lambda _: None)
        return ScheduleParse("unparsed", tz, (), ("a one-off dated event, not a recurring chat",))
    frequency = st.cue(st.FREQUENCY_RE, text, words) is not None
    if not all_days and not times and not frequency:
        return ScheduleParse("unparsed", None, (), ("no day, time or frequency found",))
    days, _ = _split_exceptions(text, words, all_days, reading)
    if st.cue(st.SEASON_RE, text, words):
        reading.note("the schedule is limited to a season")
    hedge = st.cue(st.HEDGE_RE, text, words)
    if hedge:
        reading.note(f"the schedule is hedged ('{hedge.group(0).strip()}')")
    if text.count("(") > text.count(")"):
        reading.note("the text looks cut off")
    daypart = _daypart(text)
    moments, restated_ends = build_moments(text, times, days, daypart, reading.note)
    # "9PM ET / 2AM GMT (Fri)": the day after a restated time is that zone's day, not ours.
    days = [
        d
        for d in days
        if not any(e <= d.start and _GAP_RE.fullmatch(text, e, d.start) for e in restated_ends)
    ]
    tz = choose_zone(text, zones, moments, tz_hint, reading.note)
    interval = _check_rule_words(text, words, days, reading)
    pairs = _pair(days, moments, reading)
    sessions = _sessions(pairs, interval, _for_duration(text) or 60) if days else []
    _check_overlap(sessions, reading)
    if not days:
        reading.note("no day of the week is given")
    elif not moments:
        reading.note("no time of day is given")
    if tz is None and (days or moments):
        reading.note("no time zone is given")
    complete = sessions and tz and all(s.start for s in sessions)
    status: Status = "ok" if complete and not reading.problems else "partial"
    return ScheduleParse(status, tz, tuple(sessions), tuple(reading.problems))


def _daypart(text: str) -> str | None:
    evening = st.EVENING_WORDS_RE.search(text)
    afternoon = st.AFTERNOON_WORDS_RE.search(text)
    morning = st.MORNING_WORDS_RE.search(text)
    if sum(map(bool, (evening, afternoon, morning))) != 1:
        return None  # none, or words that disagree
    return "evening" if evening else "afternoon" if afternoon else "morning"


def _check_overlap(sessions: list[SessionRule], reading: _Reading) -> None:
    """A weekly Wednesday plus a "last Wednesday" session: replace or add is unclear."""
    weekly = {
        d
        for s in sessions
        if s.rrule.startswith("FREQ=WEEKLY;BYDAY")
        for d in s.rrule.rsplit("=", 1)[1].split(",")
    }
    for s in sessions:
        monthly_days = {item[-2:] for item in s.rrule.rsplit("=", 1)[1].split(",")}
        if s.rrule.startswith("FREQ=MONTHLY") and monthly_days & weekly:
            reading.note("a monthly session falls on a weekly one's day: replaces or adds?")
