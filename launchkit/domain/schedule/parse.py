"""Read one free-text chat schedule into sessions, a zone and a status.

The reading is deliberately cautious: anything that needs a guess (a missing zone, am/pm, the
weeks of a fortnightly chat, a season limit, a hedge like "usually") is named in `problems`
and makes the result `partial`; only a fully stated weekly or monthly rule is `ok`.
"""

from __future__ import annotations

import re
from datetime import date

from launchkit.domain.schedule import words as st
from launchkit.domain.schedule.dates import (
    MONTH_NAME_RE,
    DateMention,
    as_date,
    find_dates,
    introduced,
)
from launchkit.domain.schedule.durations import Length, find_lengths
from launchkit.domain.schedule.model import ScheduleParse, Status
from launchkit.domain.schedule.moments import build_moments, choose_zone
from launchkit.domain.schedule.render import FULL_DAY_NAMES
from launchkit.domain.schedule.sessions import build_sessions, check_overlap, pair
from launchkit.domain.schedule.times import find_times
from launchkit.domain.textscan import DIGITS_RE, Scan
from launchkit.domain.zones import find_zones

_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"} | {
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2026": "...",
})  # fmt: skip
_DOTTED_CAPS_RE = re.compile(r"([A-Z])\.([A-Z])\.(?:([A-Z])\.)?(?:([A-Z])\.)?")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_MERIDIEMS = ("am", "pm", "a.m.", "p.m.")
_MERIDIEM_FIRST = frozenset("aApP")
_SENTENCE_END_RE = re.compile(r"(?<![ap]\.m)(?<!\b[A-Za-z])[.;!?]+(?=\s+[A-Z0-9])|\n+")
_GAP_RE = re.compile(r"[\s(,]*")
_THE_BEFORE_RE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_IS_AFTER_RE = re.compile(r"\s+(?:is|are|will\s+be)\b", re.IGNORECASE)
_ON_THE_RE = re.compile(r"\bon\s+the\s+$", re.IGNORECASE)
_DIGIT_SLASH_RE = re.compile(r"\d/\d")


def normalize(text: str) -> str:
    """Unify dashes and spaces, undot "C.E.T."/"P.M.", and split "Wednesday3pm", "9pmET"."""
    return _normalized(text)[0]


def _normalized(text: str) -> tuple[str, list[tuple[int, int]] | None]:
    """`normalize(text)`, and where its runs of digits are when it found them on the way
    (when nothing was split), for the text's `Scan`."""
    if not text.isascii():
        text = text.translate(_DASHES)
    if "." in text:
        text = _DOTTED_CAPS_RE.sub(_undot, text)
    # Both splits happen where a run of digits starts or ends, so only those are looked at.
    cuts = []
    numbers = []
    for m in DIGITS_RE.finditer(text):
        start, end = span = m.span()
        numbers.append(span)
        if start and text[start - 1] in _ASCII_LETTERS:
            cuts.append(start)
        if text[end : end + 1] not in _MERIDIEM_FIRST:
            continue
        for meridiem in _MERIDIEMS:
            after = end + len(meridiem)
            if text[end:after].lower() == meridiem and text[after : after + 1] in _ASCII_LETTERS:
                cuts.append(after)
                break
    if not cuts:
        return text, numbers
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    return " ".join(pieces), None


def _undot(m: re.Match[str]) -> str:
    """ "C.E.T." -> "CET", at the start of a word only (the pattern starts with a letter so
    that the regex engine can skip ahead; a word boundary there would stop it)."""
    before = m.string[m.start() - 1 : m.start()]
    if before.isalnum() or before == "_":
        return m.group(0)
    return "".join(g for g in m.groups() if g)


class _Reading:
    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[str] = []

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


def _check_dates(
    text: str, words: frozenset[str], dates: list[DateMention], reading: _Reading
) -> None:
    """Note dates and months that may limit the rule (not those that are one session of it)."""
    for d in dates:
        if d.month is None or d.instance:
            continue  # a bare year ("since 2012"), or one session of the rule
        reading.note(f"a date ('{d.written}') may limit or change the schedule")
    in_dates = [(d.start, d.end) for d in dates]
    for m in MONTH_NAME_RE.finditer(text) if not st.MONTH_WORDS.isdisjoint(words) else ():
        if not any(a <= m.start() < b for a, b in in_dates) and not introduced(text, m.start()):
            reading.note(
                f"the schedule names a month ('{m.group(0)}'): it may run only part of the year"
            )


def _length(lengths: list[Length], reading: _Reading) -> int | None:
    """The chat's length said in words, when it is said once (or the same way each time)."""
    known = {x.minutes for x in lengths}
    if None in known:
        vague = next(x for x in lengths if x.minutes is None)
        reading.note(f"the length ('{vague.written}') is not exact")
        return None
    if len(known) > 1:
        reading.note("the text gives different lengths")
        return None
    return known.pop() if known else None


def _instances(
    dates: list[DateMention], days: list[st.DayMention], reading: _Reading
) -> tuple[list[st.DayMention], date | None, bool]:
    """The rule's days (a weekday written with a date is one session of it, not another day),
    the date of a known session when its year is given, and whether a dated session without
    a year was given."""
    instances = [d for d in dates if d.instance]
    written_with = [d.weekday for d in instances if d.weekday is not None]
    rule_days = [d for d in days if d not in written_with] or list(days)
    codes = {c for d in rule_days for c in d.days}
    anchor, yearless = None, False
    for d in instances:
        when = as_date(d)
        said = set(d.weekday.days) if d.weekday is not None else set()
        real = st.WEEKDAYS[when.weekday()] if when else None
        if real is not None and said and real not in said:
            reading.note(f"'{d.written}' is not a {FULL_DAY_NAMES[said.pop()]}")
        elif (real or said) and codes and not ({real} | said) & codes:
            reading.note(f"the dated session ('{d.written}') is not on the chat's day")
        elif when is not None:
            anchor = anchor or when
        else:
            yearless = True
    return rule_days, anchor, yearless


def _check_rule_words(
    text: str,
    words: frozenset[str],
    days: list[st.DayMention],
    dated: tuple[date | None, bool],
    reading: _Reading,
) -> int:
    """Fortnightly/monthly wording that the days alone do not settle; returns the interval."""
    has_ordinals = any(d.ordinals for d in days)
    month_context = st.cue(st.MONTH_CONTEXT_RE, text, words) is not None
    interval = 1
    anchor, yearless = dated
    if st.cue(st.EVERY_OTHER_RE, text, words):
        interval = 2
        if anchor is None and yearless:
            reading.note(
                "fortnightly: the date given has no year, so which weeks it runs is unknown"
            )
        elif anchor is None:
            reading.note("fortnightly: which weeks it runs is not stated (no start date)")
    if st.cue(st.EVERY_NTH_AMBIGUOUS_RE, text, words) and not month_context:
        reading.note("'every second/third <day>' may mean of the month or every few weeks")
    for d in days:
        if len(d.ordinals) == 1 and not d.plural and not month_context:
            # "the third Tuesday" is of the month; "the first Wednesday" may be a series'
            # first, and "the last Friday" the one just past, unless a chat is "on" it or it
            # "is" something.
            before = text[max(0, d.start - 12) : d.start]
            named = d.ordinals[0] in (2, 3, 4) or (
                d.ordinals[0] == -1
                and (_IS_AFTER_RE.match(text, d.end) or _ON_THE_RE.search(before))
            )
            if named and _THE_BEFORE_RE.search(before):
                continue
            reading.note("an nth weekday without 'of the month': assumed monthly")
    if st.cue(st.MONTHLY_RE, text, words) and not has_ordinals:
        reading.note("monthly, but which week of the month is not stated")
    return interval


def _hedge(text: str, words: frozenset[str], lengths: list[Length]) -> str | None:
    """A hedge word ("usually", "about 8pm"); "lasts about two hours" is a length, not one."""
    if st.cue(st.HEDGE_RE, text, words) is None:
        return None
    for m in st.HEDGE_RE.finditer(text):
        if not any(x.start <= m.start() < x.end for x in lengths):
            return m.group(0).strip()
    return None


def read_schedule(raw: str, tz_hint: str | None, regions: frozenset[str]) -> ScheduleParse:
    """Parse a schedule text already cut to a safe length (see `schedule.parse_schedule`);
    `regions` are where the chat's own words place it (they settle "IST")."""
    text, numbers = _normalized(raw)
    if not text.strip():
        return ScheduleParse("unparsed", None, (), ("the schedule is empty",))
    reading = _Reading()
    scan = Scan(text, numbers)
    # Only the words some cue pattern needs: most schedules have none, and every cue check
    # below is then a set test.
    words = scan.words & st.CUE_WORDS
    zones = find_zones(text, regions, scan)
    all_days = st.find_days(text, scan)
    times = find_times(text, zones, scan)
    dates = (
        find_dates(text, all_days)
        if not st.MONTH_WORDS.isdisjoint(scan.words)
        or any(end - start >= 4 for start, end in scan.numbers)
        or ("/" in text and _DIGIT_SLASH_RE.search(text))
        else []
    )
    recurring = bool(
        st.cue(st.RECURRING_RE, text, words)
        or st.cue(st.EVERY_OTHER_RE, text, words)
        or any(d.plural or d.ordinals for d in all_days)
    )
    dated = any(d.month is not None for d in dates)  # "Founded 2015" dates nothing
    if (dated or st.cue(st.ONE_OFF_RE, text, words)) and not recurring:
        # The zone is still worth reporting: a person reading the row would know it.
        moments, _ = build_moments(text, times, all_days, zones, None, lambda _: None)
        tz = choose_zone(text, zones, times, moments, tz_hint, regions, lambda _: None)
        return ScheduleParse("unparsed", tz, (), ("a one-off dated event, not a recurring chat",))
    _check_dates(text, scan.words, dates, reading)
    if not all_days and not times and not st.cue(st.FREQUENCY_RE, text, words):
        return ScheduleParse("unparsed", None, (), ("no day, time or frequency found",))
    days, _ = _split_exceptions(text, words, all_days, reading)
    if st.cue(st.SEASON_RE, text, words):
        reading.note("the schedule is limited to a season")
    lengths = find_lengths(text, scan)
    hedge = _hedge(text, words, lengths)
    if hedge:
        reading.note(f"the schedule is hedged ('{hedge}')")
    if text.count("(") > text.count(")"):
        reading.note("the text looks cut off")
    daypart = _daypart(text, words) if words else None
    moments, restated_ends = build_moments(text, times, days, zones, daypart, reading.note)
    if restated_ends:
        # "9PM ET / 2AM GMT (Fri)": the day after a restated time is that zone's day.
        days = [
            d
            for d in days
            if not any(e <= d.start and _GAP_RE.fullmatch(text, e, d.start) for e in restated_ends)
        ]
    tz = choose_zone(text, zones, times, moments, tz_hint, regions, reading.note)
    anchor, yearless = None, False
    if dates:
        days, anchor, yearless = _instances(dates, days, reading)
        if any(d.instance for d in dates) and len({m.minute for m in moments}) > 1:
            # "next chat is Thursday, May 4 at 3pm": that session's time, or the usual one?
            reading.note("a dated session and the rule give different times")
    interval = _check_rule_words(text, words, days, (anchor, yearless), reading)
    pairs = pair(days, moments, reading.note)
    length = _length(lengths, reading) if lengths else None
    sessions = build_sessions(pairs, interval, length, tz, anchor, reading.note) if days else []
    check_overlap(sessions, reading.note)
    if not days:
        reading.note("no day of the week is given")
    elif not moments:
        reading.note("no time of day is given")
    if tz is None and (days or moments):
        reading.note("no time zone is given")
    complete = sessions and tz and all(s.start for s in sessions)
    status: Status = "ok" if complete and not reading.problems else "partial"
    return ScheduleParse(status, tz, tuple(sessions), tuple(reading.problems))


def _daypart(text: str, words: frozenset[str]) -> str | None:
    evening = st.cue(st.EVENING_WORDS_RE, text, words)
    afternoon = st.cue(st.AFTERNOON_WORDS_RE, text, words)
    morning = st.cue(st.MORNING_WORDS_RE, text, words)
    if sum(map(bool, (evening, afternoon, morning))) != 1:
        return None  # none, or words that disagree
    return "evening" if evening else "afternoon" if afternoon else "morning"
