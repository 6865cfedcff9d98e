"""Words in a free-text chat schedule: weekdays, nth weekdays, and the cue phrases that decide
whether a reading is certain (fortnightly, monthly, one-off dates, seasons, hedges)."""

from __future__ import annotations

import re
from operator import itemgetter
from typing import NamedTuple

from launchkit.domain.textscan import Scan
from launchkit.domain.weekdays import DAY_CODES

WEEKDAYS = DAY_CODES

_ORDINALS: dict[str, int] = {
    "1st": 1, "first": 1, "2nd": 2, "second": 2, "3rd": 3, "third": 3,
    "4th": 4, "fourth": 4, "5th": 5, "fifth": 5, "last": -1, "final": -1,
}  # fmt: skip
_ORD = r"(?:1st|first|2nd|second|3rd|third|4th|fourth|5th|fifth|last|final)"
# Full weekday names, tolerant of a few missing or doubled letters ("Wensday", "Thurday").
_FULL_DAY = r"(?:mon|tue|wed|wen|thu|fri|sat|sun)[a-z]{0,5}days?"
_ABBR_DAY = r"(?:mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)(?![a-z])\.?"
DAY = rf"(?:{_FULL_DAY}|{_ABBR_DAY})"
_FULL_DAY_RE = re.compile(_FULL_DAY, re.IGNORECASE)
_DAY_STEMS = frozenset(("mon", "tue", "wed", "wen", "thu", "fri", "sat", "sun"))
_DIGIT_ORDINAL_WORDS = frozenset(("st", "nd", "rd", "th"))
_DIGIT_ORDINAL_RE = re.compile(r"(?<!\d)[1-5](?:st|nd|rd|th)\b", re.IGNORECASE)
_LETTERS_RE = re.compile(r"[a-z]*")
_RANGE_AFTER_RE = re.compile(r"\s*(?:-|to|through|thru)", re.IGNORECASE)
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PLAIN_DAYS: dict[str, tuple[str, bool]] = {
    **{name: (code, True) for code, name in zip(DAY_CODES, _FULL_NAMES, strict=True)},
    **{name + "s": (code, True) for code, name in zip(DAY_CODES, _FULL_NAMES, strict=True)},
    **{abbr: (abbr[:2].upper(), False) for abbr in ("mon", "tue", "tues", "wed", "weds")},
    **{abbr: ("TH", False) for abbr in ("thu", "thur", "thurs")},
    **{abbr: (abbr[:2].upper(), False) for abbr in ("fri", "sat", "sun")},
}
_ORD_SEP = r"\s*(?:,\s*and|,|&|and|/|\+|or)\s*"
_DAY_RE = re.compile(
    rf"\b(?:(?P<ords>{_ORD}(?:{_ORD_SEP}{_ORD})*)[\s-]+)?(?P<d1>{DAY})"
    rf"(?:\s*(?:-|to|through|thru)\s*(?P<d2>{DAY}))?",
    re.IGNORECASE,
)
_SPAN_RE = re.compile(
    r"\b(?P<span>week-?days?|week-?nights?|week-?ends?|daily|nightly|every\s+(?:day|night)"
    r"|each\s+day|7\s+days\s+a\s+week)\b",
    re.IGNORECASE,
)
# The words without which _SPAN_RE cannot match ("week-days" is "week" and "days").
_SPAN_WORDS = frozenset(
    [
        *("weekday", "weekdays", "weeknight", "weeknights", "weekend", "weekends", "week"),
        *("daily", "nightly", "day", "days", "night", "nights"),
    ]
)
_SPANS: dict[str, tuple[str, ...]] = {
    "weekd": WEEKDAYS[:5],
    "weekn": WEEKDAYS[:5],
    "weeke": WEEKDAYS[5:],
}
# Compact day strings used in class schedules; case matters ("MT" is Mountain Time).
_COMPACT: dict[str, tuple[str, ...]] = {
    "MWF": ("MO", "WE", "FR"), "M/W/F": ("MO", "WE", "FR"), "M-F": WEEKDAYS[:5],
    "MTWTF": WEEKDAYS[:5], "MTWRF": WEEKDAYS[:5], "TTh": ("TU", "TH"), "TuTh": ("TU", "TH"),
    "T/Th": ("TU", "TH"), "Tu/Th": ("TU", "TH"), "TTH": ("TU", "TH"),
}  # fmt: skip
# A word each compact string has when read as words ("M/W/F": "w", "T/Th": "th").
_COMPACT_WORDS = frozenset(("mwf", "mtwtf", "mtwrf", "tth", "tuth", "th", "tu", "w", "f"))
_COMPACT_RE = re.compile(r"(?<![\w/-])(?:" + "|".join(map(re.escape, _COMPACT)) + r")(?![\w/-])")


class DayMention(NamedTuple):
    """Weekdays named at one place in the text, with nth-of-month ordinals if any."""

    start: int
    end: int
    days: tuple[str, ...]
    ordinals: tuple[int, ...]
    plural: bool


_start_of = itemgetter(0)  # of a DayMention, as a sort key


def _day_code(word: str) -> str:
    code = word[:2].upper()
    return "WE" if code == "WE" or word[:3].lower() == "wen" else code


def _day_range(first: str, last: str) -> tuple[str, ...]:
    i, j = WEEKDAYS.index(first), WEEKDAYS.index(last)
    return WEEKDAYS[i : j + 1] if i <= j else WEEKDAYS[i:] + WEEKDAYS[: j + 1]


def _day_starts(text: str, scan: Scan) -> list[int]:
    """Where a day mention may start: at a weekday-like word or an ordinal."""
    wanted = [w for w in scan.words if w in _ORDINALS or w[:3] in _DAY_STEMS]
    starts = scan.positions(wanted)
    if not _DIGIT_ORDINAL_WORDS.isdisjoint(scan.words):  # "1st", "3rd"
        starts = sorted(starts + [m.start() for m in _DIGIT_ORDINAL_RE.finditer(text)])
    return starts


def _plain_day(text: str, lower: str, at: int) -> DayMention | None:
    """A lone weekday word ("Tuesdays", "Thu."), read without the day regex; None when the
    word is something else (an ordinal, a range, a misspelling) for the regex to read. A
    mention with no days is a lower-case abbreviation: an English word, not a day."""
    if at and (lower[at - 1].isalnum() or lower[at - 1] == "_"):
        return None
    word = _LETTERS_RE.match(lower, at).group(0)  # type: ignore[union-attr]
    known = _PLAIN_DAYS.get(word)
    end = at + len(word)
    if known is None or _RANGE_AFTER_RE.match(text, end):
        return None
    code, is_full = known
    if not is_full:
        if text[end : end + 1] == ".":
            end += 1
        if not text[at].isupper():  # "sat", "sun", "wed" are also English words
            return DayMention(at, end, (), (), False)
    return DayMention(at, end, (code,), (), is_full and word.endswith("s"))


def find_days(text: str, scan: Scan | None = None) -> list[DayMention]:
    """Every weekday mention in `text`: "Tuesdays", "Mon-Fri", "1st & 3rd Wed", "MWF"."""
    scan = scan or Scan(text)
    found: list[DayMention] = []
    last_end = 0
    lower = scan.lower
    for at in _day_starts(text, scan):
        if at < last_end:
            continue
        plain = _plain_day(text, lower, at)
        if plain is not None:
            last_end = plain.end
            if plain.days:
                found.append(plain)
            continue
        m = _DAY_RE.match(text, at)
        if m is None:
            continue
        last_end = m.end()
        word = m.group("d1")
        is_full = _FULL_DAY_RE.fullmatch(word) is not None
        # "sat", "sun", "wed" are also English words: abbreviations must be capitalised.
        if not is_full and not word[0].isupper():
            continue
        days: tuple[str, ...] = (_day_code(word),)
        if m.group("d2"):
            days = _day_range(days[0], _day_code(m.group("d2")))
        ords: tuple[int, ...] = ()
        if m.group("ords"):
            words = re.findall(_ORD, m.group("ords"), re.IGNORECASE)
            ords = tuple(sorted({_ORDINALS[w.lower()] for w in words}, key=lambda o: o % 10))
        # "Mondays" and "Mon-Fri" say every week; "Monday" alone may be one date.
        plural = (is_full and word.lower().endswith("s")) or m.group("d2") is not None
        found.append(DayMention(m.start(), m.end(), days, ords, plural))
    spans = _SPAN_RE.finditer(text) if not _SPAN_WORDS.isdisjoint(scan.words) else ()
    for m in spans:
        key = m.group("span").lower().replace("-", "")[:5]
        found.append(DayMention(m.start(), m.end(), _SPANS.get(key, WEEKDAYS), (), True))
    compact = (
        _COMPACT_RE.finditer(text)
        if not _COMPACT_WORDS.isdisjoint(scan.words) and any(k in text for k in _COMPACT)
        else ()
    )
    for m in compact:
        found.append(DayMention(m.start(), m.end(), _COMPACT[m.group(0)], (), True))
    if len(found) > 1:
        found.sort(key=_start_of)
    return found


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


ONE_OFF_RE = _rx(
    rf"\b(?:tonight|today|tomorrow|this\s+evening)\b|\bnext\s+(?:{DAY}|week)\b"
    rf"|\bthis\s+(?:coming\s+)?(?:{DAY})\b"
)
RECURRING_RE = _rx(
    r"\b(?:every|each|weekly|monthly|monthy|fortnightly|bi-?weekly|always|regularly|"
    r"recurring|any)\b"
)
EVERY_OTHER_RE = _rx(
    rf"\bevery\s+other\b|\balternat(?:e|ing)\s+(?:weeks?|{DAY})\b|\bbi-?weekly\b"
    r"|\bfortnight(?:ly|s)?\b|\bevery\s+(?:2|two|second|2nd)\s+weeks?\b"
)
EVERY_NTH_AMBIGUOUS_RE = _rx(rf"\bevery\s+(?:second|2nd|third|3rd|fourth|4th)\s+(?:{DAY})")
MONTH_CONTEXT_RE = _rx(r"\bmonth(?:ly|s)?\b|\bmonthy\b")
MONTHLY_RE = _rx(
    r"\bmonth(?:ly|y)\b|\b(?:once|twice)\s+(?:a|per|each|every)\s+month\b|\bevery\s+month\b"
    r"|\beach\s+month\b|\bbi-?monthly\b|\bquarterly\b|\bevery\s+\w+\s+months\b"
)
FREQUENCY_RE = _rx(
    r"\b(?:weekly|monthly|monthy|fortnightly|bi-?weekly|bi-?monthly|quarterly|daily)\b"
    r"|\b(?:once|twice)\s+(?:a|per|every)\b|\bevery\s+\w+\s+(?:weeks?|months?|fortnight)\b"
)
SEASON_RE = _rx(
    r"\b(?:summers?|winters?|autumn|school\s+year|academic\s+year|semesters?|term\s+time)\b"
    r"|\b(?:this|in|during|the|each|every)\s+(?:fall|spring)\b|\bseason(?:al)?\b"
)
HEDGE_RE = _rx(
    rf"\bsome\s+(?:{DAY})|\b(?:usually|typically|generally|normally|sometimes|occasional(?:ly)?"
    r"|varies|vary|varying|tbd|tba|tbc|rotating|rotates|alternates?|ish|respectively)\b"
    r"|\b(?:about|around|approx\.?|approximately|roughly|circa|after|before)\s+(?=\d|noon|midnight)"
)
EXCEPTION_RE = _rx(
    r"\bexcept(?:ion)?s?\b|\bexcluding\b|\bno\s+(?:chat|session|meeting)s?\b|\b(?:is|are)\s+off\b"
    r"|\bskip(?:s|ped)?\b|\bcancel+ed\b|\bon\s+(?:break|hiatus)\b|\bholidays?\b|\bpaused?\b"
)
EVENING_WORDS_RE = _rx(r"\b(?:nights?|evenings?|tonight|dinner\s*time)\b")
AFTERNOON_WORDS_RE = _rx(r"\bafternoons?\b")
MORNING_WORDS_RE = _rx(r"\b(?:mornings?|breakfast)\b")


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words without which a cue pattern cannot match. Checking a set of the text's words first
# skips most regex scans (the alternations are slow to try at every position).
MONTH_WORDS = _wordset(
    "jan january feb february mar march apr april may jun june jul july aug august sep sept "
    "september oct october nov november dec december"
)
_GATES: dict[re.Pattern[str], frozenset[str]] = {
    HEDGE_RE: _wordset(
        "some usually typically generally normally sometimes occasional occasionally varies "
        "vary varying tbd tba tbc rotating rotates alternate alternates ish respectively "
        "about around approx approximately roughly circa after before"
    ),
    SEASON_RE: _wordset(
        "summer summers winter winters autumn school academic semester semesters term fall "
        "spring season seasonal"
    ),
    EXCEPTION_RE: _wordset(
        "except exception exceptions excluding no off skip skips skipped canceled cancelled "
        "break hiatus holiday holidays pause paused"
    ),
    MONTHLY_RE: _wordset("monthly monthy month months bimonthly quarterly"),
    MONTH_CONTEXT_RE: _wordset("monthly monthy month months"),
    FREQUENCY_RE: _wordset(
        "weekly monthly monthy fortnightly biweekly bimonthly quarterly daily once twice every"
    ),
    EVERY_OTHER_RE: _wordset(
        "other alternate alternating biweekly bi fortnight fortnightly fortnights week weeks"
    ),
    ONE_OFF_RE: _wordset("tonight today tomorrow this next"),
    RECURRING_RE: _wordset(
        "every each weekly monthly monthy fortnightly biweekly bi always regularly recurring any"
    ),
    EVERY_NTH_AMBIGUOUS_RE: _wordset("second nd third rd fourth th"),
    EVENING_WORDS_RE: _wordset("night nights evening evenings tonight dinner"),
    AFTERNOON_WORDS_RE: _wordset("afternoon afternoons"),
    MORNING_WORDS_RE: _wordset("morning mornings breakfast"),
}
# Keyed by id: hashing a compiled pattern rehashes its source text on every lookup.
_GATES_BY_ID = {id(p): gate for p, gate in _GATES.items()}
# Every word some cue needs: a text's words outside this set never change a cue.
CUE_WORDS = frozenset().union(*_GATES.values(), MONTH_WORDS)


def cue(pattern: re.Pattern[str], text: str, words: frozenset[str]) -> re.Match[str] | None:
    """`pattern.search(text)`, skipped when none of the words it needs is present."""
    gate = _GATES_BY_ID.get(id(pattern))
    if gate is not None and gate.isdisjoint(words):
        return None
    return pattern.search(text)
