"""How long a chat lasts when the text says it in words: "lasts about two hours", "a 45-minute
chat", "runs for an hour and a half", "(90 mins)".

A length counts only where it reads as the chat's own length: after "lasts/runs/for/is", as
an adjective of the chat ("a 45 minute chat", "an hour-long session"), followed by "long", or
set apart ("(60 min)"). "Reminders 15 minutes before", "questions every 10 minutes" and
"the first 30 minutes" are not lengths. A vague length ("a couple of hours", "1-2 hours",
"up to an hour") is reported as such, never guessed.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from launchkit.domain.textscan import Scan, matches_at

_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90,
}  # fmt: skip
_NUM_WORD = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_WORD_NUM = rf"(?:forty[\s-]five|(?:{_NUM_WORD})(?![a-z]))"
_NUM = rf"(?<![\w.])(?:\d+(?:\.\d+)?½?|½|{_WORD_NUM})"
_HOURS = r"(?:hours?|hrs?\.?|h\b)"
_MINS = r"(?:minutes?|mins?\.?|m\b)"
_HALF = r"(?:\s+and\s+(?:a\s+)?half)"
_LENGTH_RE = re.compile(
    rf"(?P<vague>(?<![\w.])(?:a\s+)?(?:couple(?:\s+of)?|few|several)\s+(?:{_HOURS}|{_MINS})"
    rf"|(?!forty[\s-]five){_NUM}\s*(?:-|to|or)\s*{_NUM}[\s-]*(?:{_HOURS}|{_MINS})"
    rf"|(?<![\w.])an?\s+hour\s+or\s+(?:two|so))"
    rf"|(?P<half>(?<![\w.])(?:half[\s-](?:an?\s+)?hour|a\s+half[\s-]hour))"
    r"|(?<![\w.])(?P<ch>\d)h ?(?P<cm>[0-5]\d)\b"
    rf"|(?P<h>{_NUM}){_HALF}?[\s-]*{_HOURS}(?P<h_half>{_HALF})?"
    rf"(?:\s*(?:and\s+)?(?P<hm>\d{{1,2}}|{_WORD_NUM})[\s-]*{_MINS})?"
    rf"|(?P<m>{_NUM})[\s-]*{_MINS}"
    r"|(?<![\w.])(?P<hour_long>hour)(?=[\s-]long)",
    re.IGNORECASE,
)
# Before a length: words that make it the chat's length, or that make it approximate.
_LEAD_RE = re.compile(
    r"(?:\b(?:lasts?|lasting|runs?|running|goes|going|takes?|is|are|be|for|duration|length"
    r"|long)\b[:\s]*(?:(?:for|about|around|roughly|approximately|approx\.?|some|just)\s+)?"
    r"|~\s*|[(\[]\s*|^\s*|[,;:\u2013-]\s*)$",
    re.IGNORECASE,
)
_VAGUE_LEAD_RE = re.compile(
    r"\b(?:up\s+to|at\s+least|at\s+most|over|under|less\s+than|more\s+than|no\s+more\s+than"
    r"|nearly|almost|just\s+over|just\s+under|or\s+so)\s*$",
    re.IGNORECASE,
)
# A length that is not the chat's: "every 10 minutes", "the first 30 minutes".
_NOT_LEAD_RE = re.compile(
    r"\b(?:every|each|per|within|first|last|final|next|the)\s*$"
    # "...followed by a 30-minute chat for newcomers": another part, not the chat's length.
    r"|\b(?:followed\s+by|then|plus|after|before|and)\s+(?:an?\s+)?$",
    re.IGNORECASE,
)
_NOUN = (
    r"(?:chats?|sessions?|discussions?|conversations?|meetings?|meetups?|events?|shows?"
    r"|hangouts?|part(?:y|ies)|spaces?|calls?|streams?|livestreams?|slots?|tweetchats?)"
)
_ADJECTIVE_AFTER_RE = re.compile(rf"(?:[\s-]+long)?(?:\s+[a-z#]+){{0,2}}?\s+{_NOUN}\b", re.I)
_LONG_AFTER_RE = re.compile(r"[\s-]+long\b", re.IGNORECASE)
_SET_APART_AFTER_RE = re.compile(r"\s*(?:[)\].,;!]|$|\s+(?:of|each|every|weekly)\b)", re.I)
_NOT_AFTER_RE = re.compile(
    r"\s*(?:before|after|earlier|later|early|late|ahead|prior|apart|ago|in\s+advance"
    r"|beforehand|into|in\b|between|behind|from\s+now|break|pause|notice|reminder|warning"
    r"|difference|offset|each|per|every)",
    re.IGNORECASE,
)
_UNIT_WORDS = frozenset(["hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins"])
_LETTER_UNITS = frozenset(["h", "m"])
_UNITS = _UNIT_WORDS | _LETTER_UNITS
_LETTER_UNIT_RE = re.compile(r"\d\s?[hm]\b", re.IGNORECASE)
_START_WORDS = frozenset([*_WORD_NUMBERS, "couple", "few", "several", "half", "hour", "forty"])
# The longest way from a length's first word to its unit: "one and a half hours".
_UNIT_REACH = 24


class Length(NamedTuple):
    """A length of the chat written in the text: where, and how many minutes (None if vague)."""

    start: int
    end: int
    minutes: int | None
    written: str


def _number(word: str) -> float:
    word = word.lower().replace("-", " ")
    if word.startswith("forty") and word.endswith("five"):
        return 45.0
    if word in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[word])
    half = 0.5 if word.endswith("½") else 0.0
    digits = word.rstrip("½")
    return (float(digits) if digits else 0.0) + half


def _minutes(m: re.Match[str]) -> int | None:
    if m.group("vague"):
        return None
    if m.group("half"):
        return 30
    if m.group("hour_long"):
        return 60
    if m.group("ch"):
        return int(m.group("ch")) * 60 + int(m.group("cm"))
    if m.group("m"):
        return round(_number(m.group("m")))
    hours = _number(m.group("h"))
    text = m.group(0).lower()
    if m.group("h_half") or re.search(rf"^{_NUM}{_HALF}", text, re.IGNORECASE):
        hours += 0.5
    extra = _number(m.group("hm")) if m.group("hm") else 0.0
    return round(hours * 60 + extra)


def _is_the_chats(text: str, m: re.Match[str]) -> bool:
    before = text[max(0, m.start() - 40) : m.start()]
    if _NOT_LEAD_RE.search(before) or _NOT_AFTER_RE.match(text, m.end()):
        return False
    if _VAGUE_LEAD_RE.search(before):
        return True  # "up to an hour": a length, but not an exact one
    if _ADJECTIVE_AFTER_RE.match(text, m.end()) or _LONG_AFTER_RE.match(text, m.end()):
        return True
    lead = _LEAD_RE.search(before)
    if lead is None:
        return False
    # A length only set apart by punctuation must also end there: "(90 mins)", ", 2 hours."
    spoken = re.search(r"[a-z]", lead.group(0), re.IGNORECASE) is not None
    return spoken or _SET_APART_AFTER_RE.match(text, m.end()) is not None


def _starts(text: str, scan: Scan) -> list[int]:
    """Where a length may start: a number, a number word, "half", "couple" or "hour", at
    most a few words before a unit of time."""
    units = scan.positions(scan.words & _UNITS)
    starts = scan.positions(scan.words & _START_WORDS)
    starts += [start for start, _ in scan.numbers if not start or text[start - 1] != "."]
    if "½" in text:
        starts += [i for i, c in enumerate(text) if c == "½" and not text[i - 1 : i].isdigit()]
    starts.sort()
    return [s for s in starts if any(0 <= u - s <= _UNIT_REACH for u in units)]


def find_lengths(text: str, scan: Scan) -> list[Length]:
    """The chat's length wherever the text states it (usually none or one)."""
    if _UNIT_WORDS.isdisjoint(scan.words) and not (
        # "m" and "h" are units only right after a number ("45m", "1h30"), not in "p.m.".
        not _LETTER_UNITS.isdisjoint(scan.words) and _LETTER_UNIT_RE.search(text)
    ):
        return []
    found: list[Length] = []
    for m in matches_at(_LENGTH_RE, text, _starts(text, scan)):
        if not _is_the_chats(text, m):
            continue
        minutes = _minutes(m)
        start = m.start()
        approximate = re.search(
            r"\b(?:about|around|roughly|approximately|approx\.?|some|just)\s+$|~\s*$",
            text[max(0, start - 20) : start],
            re.IGNORECASE,
        )
        if approximate:
            start -= len(approximate.group(0))
        vague = _VAGUE_LEAD_RE.search(text, max(0, start - 20), start)
        if vague:
            start, minutes = vague.start(), None
        if minutes is not None and not 5 <= minutes <= 12 * 60:
            minutes = None  # a "24-hour chat" is a marathon, not a weekly hour
        found.append(Length(start, m.end(), minutes, text[start : m.end()].strip()))
    return found
