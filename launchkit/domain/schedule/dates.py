"""Calendar dates in a schedule text, and what each one does to the rule.

A date introduced as a start or as one session ("the first chat is Monday, March 6th",
"starting January 5, 2016", "next chat: Thursday, May 4") is an instance of the rule; with its
year it fixes the weeks of a fortnightly rule. Any other date may limit or change the rule
("until June 30", "no chat on 12/24") and makes the reading partial.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from launchkit.domain.schedule.words import DAY, WEEKDAYS, DayMention

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (
    r"(?-i:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
    r"|(?:January|February|March|April|June|July|August|September|October|November|December)"
    r"|(?:JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER))"
)
_DAYNUM = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
# "October 31st", "8 April 2014", "4th Feb", "9/15", "3/6/2023", "2023-03-06", "2014".
DATE_RE = re.compile(
    rf"\b(?P<mon1>{_MONTH})\s+(?P<d1>{_DAYNUM})\b(?!\s*(?:[:.]\d|[ap]\.?m\b))"
    rf"(?:,?\s+(?P<y1>{_YEAR})\b)?"
    rf"|\b(?P<d2>{_DAYNUM})\s+(?:of\s+)?(?P<mon2>{_MONTH})(?![a-z])(?:,?\s+(?P<y2>{_YEAR})\b)?"
    r"|\b(?P<y4>(?:19|20)\d\d)-(?P<m4>0[1-9]|1[0-2])-(?P<d4>0[1-9]|[12]\d|3[01])\b"
    r"|(?<![\d/])(?P<n1>1[0-2]|0?[1-9])/(?P<n2>[12]\d|3[01]|0?[1-9])(?:/(?P<y3>\d{4}|\d{2}))?"
    r"(?![\d/])"
    rf"|\b(?P<y5>{_YEAR})\b",
    re.IGNORECASE,
)
MONTH_NAME_RE = re.compile(rf"\b{_MONTH}(?![a-z])")
# Words before a date that make it a start or one session of the rule, not a limit on it.
_INSTANCE_LEAD_RE = re.compile(
    r"(?:\bstart(?:s|ing|ed)?|\bfrom|\bbeginning|\bbegins|\bsince|\blaunch(?:es|ing|ed)?"
    r"|\bkicks?\s+off|\b(?:first|next|upcoming|this\s+week'?s)\s+(?:chat|session|one|edition"
    r"|meeting|episode|event)|\bupcoming|\btoday|\btonight|\bjoin\s+us)"
    rf"\W*(?:(?:is|was|will\s+be|be|on|the)\s+)*(?:{DAY},?\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)
_WEEKDAY_GAP_RE = re.compile(r"[\s,]*(?:the\s+)?$", re.IGNORECASE)
_AFTER_WEEKDAY_GAP_RE = re.compile(r"\s*,?\s*\(?", re.IGNORECASE)


class DateMention(NamedTuple):
    """A date written in the text, what of it is known, and whether it is one session."""

    start: int
    end: int
    written: str
    year: int | None
    month: int | None  # None for a bare year ("since 2012")
    day: int | None
    instance: bool  # a start or one session of the rule ("the first chat is March 6th")
    weekday: DayMention | None  # the weekday written with it ("Monday, March 6th")


def introduced(text: str, position: int) -> bool:
    """True when the words before `position` introduce a start or one session ("starting")."""
    return _INSTANCE_LEAD_RE.search(text[max(0, position - 60) : position]) is not None


def _month(name: str) -> int:
    return _MONTHS.index(name[:3].lower()) + 1


def _numeric(m: re.Match[str], said: tuple[str, ...]) -> tuple[int | None, int, int]:
    """(year, month, day) of "3/6/2023", month-first or day-first, whichever alone falls on
    a weekday the text names; the year is dropped when both could be meant."""
    first, second = int(m.group("n1")), int(m.group("n2"))
    year_text = m.group("y3")
    year = None if year_text is None else int(year_text) + (2000 if len(year_text) == 2 else 0)
    if year is not None and said and second <= 12 and first != second:
        readings = ((first, second), (second, first))
        fits = [(mo, d) for mo, d in readings if _weekday(year, mo, d) in said]
        if len(fits) == 1:
            return year, *fits[0]
    if second <= 12 and first != second:
        return None, first, second  # month and day may be swapped: the year cannot help
    return year, first, second


def _weekday(year: int, month: int, day: int) -> str | None:
    try:
        return WEEKDAYS[date(year, month, day).weekday()]
    except ValueError:
        return None


def find_dates(text: str, days: list[DayMention]) -> list[DateMention]:
    """Every date in the text, with the weekday written next to it and whether it is one
    session of the rule (or its start) rather than a limit on it."""
    found: list[DateMention] = []
    for m in DATE_RE.finditer(text):
        weekday = next(
            (
                d
                for d in days
                if not d.ordinals
                and len(d.days) == 1
                and (
                    (d.end <= m.start() and _WEEKDAY_GAP_RE.fullmatch(text, d.end, m.start()))
                    or (
                        d.start >= m.end()
                        and _AFTER_WEEKDAY_GAP_RE.fullmatch(text, m.end(), d.start)
                    )
                )
            ),
            None,
        )
        year: int | None
        month: int | None
        day: int | None
        if m.group("y5"):
            year, month, day = int(m.group("y5")), None, None
        elif m.group("y4"):
            year, month, day = int(m.group("y4")), int(m.group("m4")), int(m.group("d4"))
        elif m.group("n1"):
            said = weekday.days if weekday else tuple(c for d in days for c in d.days)
            year, month, day = _numeric(m, said)
        else:
            part = "1" if m.group("mon1") else "2"
            written_year = m.group(f"y{part}")
            year = int(written_year) if written_year else None
            month = _month(m.group(f"mon{part}"))
            day = int(re.sub(r"\D", "", m.group(f"d{part}")))
        instance = month is not None and (weekday is not None or introduced(text, m.start()))
        found.append(
            DateMention(m.start(), m.end(), m.group(0), year, month, day, instance, weekday)
        )
    return found


def as_date(mention: DateMention) -> date | None:
    """The date itself, when its year is known and the date exists."""
    if mention.year is None or mention.month is None or mention.day is None:
        return None
    try:
        return date(mention.year, mention.month, mention.day)
    except ValueError:
        return None
