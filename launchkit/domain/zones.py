"""Time zone names and abbreviations as people write them in chat listings, mapped to IANA.

Chat lists write "EST" all year for US Eastern local time, so EST/EDT/ET all mean
America/New_York (likewise for the other US zones): the listing means "wall-clock time in
New York", not a fixed UTC-5 offset.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import available_timezones

# Upper-case abbreviations. Matched case-sensitively anywhere, or in any case right after a
# clock time ("9pmEst").
ABBREVIATIONS: dict[str, str] = {
    **dict.fromkeys(["ET", "EST", "EDT", "EDST", "EST5EDT", "NYT"], "America/New_York"),
    **dict.fromkeys(["CT", "CST", "CDT"], "America/Chicago"),
    **dict.fromkeys(["MT", "MST", "MDT"], "America/Denver"),
    **dict.fromkeys(["PT", "PST", "PDT"], "America/Los_Angeles"),
    **dict.fromkeys(["AT", "AST", "ADT"], "America/Halifax"),
    **dict.fromkeys(["NST", "NDT"], "America/St_Johns"),
    **dict.fromkeys(["AKST", "AKDT", "AKT"], "America/Anchorage"),
    **dict.fromkeys(["HST", "HAST", "HT"], "Pacific/Honolulu"),
    # GMT in chat listings means "UK time" (the labels map it to Europe/London).
    **dict.fromkeys(["GMT", "BST", "UK"], "Europe/London"),
    **dict.fromkeys(["UTC", "UT", "Z"], "UTC"),
    **dict.fromkeys(["CET", "CEST", "MET", "MEST"], "Europe/Paris"),
    **dict.fromkeys(["EET", "EEST"], "Europe/Athens"),
    **dict.fromkeys(["WET"], "Europe/Lisbon"),
    **dict.fromkeys(["MSK"], "Europe/Moscow"),
    **dict.fromkeys(["SAST"], "Africa/Johannesburg"),
    **dict.fromkeys(["EAT"], "Africa/Nairobi"),
    **dict.fromkeys(["WAT"], "Africa/Lagos"),
    **dict.fromkeys(["PKT"], "Asia/Karachi"),
    **dict.fromkeys(["SGT"], "Asia/Singapore"),
    **dict.fromkeys(["HKT"], "Asia/Hong_Kong"),
    **dict.fromkeys(["PHT", "PHST"], "Asia/Manila"),
    **dict.fromkeys(["JST"], "Asia/Tokyo"),
    **dict.fromkeys(["KST"], "Asia/Seoul"),
    **dict.fromkeys(["AEST", "AEDT", "AET"], "Australia/Sydney"),
    **dict.fromkeys(["ACST", "ACDT"], "Australia/Adelaide"),
    **dict.fromkeys(["AWST"], "Australia/Perth"),
    **dict.fromkeys(["NZ", "NZST", "NZDT", "NZT"], "Pacific/Auckland"),
}

# Abbreviations that name two common zones. IST is India Standard Time in most listings but
# Irish Standard Time in Irish ones; GST is Gulf Standard Time or a "Greenwich" label. Neither
# is guessed: the text has to say "India"/"Irish" (handled as names below).
AMBIGUOUS: dict[str, str] = {
    "IST": "IST may be India or Irish Standard Time",
    "GST": "GST may be Gulf Standard Time or Greenwich time",
}

# Spelled-out names, matched case-insensitively anywhere. Longest first in the regex.
NAMES: dict[str, str] = {
    **dict.fromkeys(
        [
            "eastern standard time",
            "eastern daylight time",
            "eastern time",
            "eastern",
            "new york time",
            "us eastern",
        ],
        "America/New_York",
    ),
    **dict.fromkeys(
        [
            "central standard time",
            "central daylight time",
            "central time",
            "central",
            "us central",
            "chicago time",
        ],
        "America/Chicago",
    ),
    **dict.fromkeys(
        [
            "mountain time (arizona)",
            "mountain (arizona)",
            "mst (arizona)",
            "arizona time",
            "arizona",
        ],
        "America/Phoenix",
    ),
    **dict.fromkeys(
        [
            "mountain standard time",
            "mountain daylight time",
            "mountain time",
            "mountain",
            "denver time",
        ],
        "America/Denver",
    ),
    **dict.fromkeys(
        [
            "pacific standard time",
            "pacific daylight time",
            "pacific time",
            "pacific",
            "us pacific",
            "los angeles time",
            "la time",
            "seattle time",
        ],
        "America/Los_Angeles",
    ),
    **dict.fromkeys(["atlantic standard time", "atlantic time", "atlantic"], "America/Halifax"),
    **dict.fromkeys(["hawaii time", "hawaii"], "Pacific/Honolulu"),
    **dict.fromkeys(["alaska time", "alaska"], "America/Anchorage"),
    **dict.fromkeys(
        [
            "greenwich mean time",
            "british summer time",
            "british time",
            "uk time",
            "london time",
            "england time",
        ],
        "Europe/London",
    ),
    **dict.fromkeys(
        ["irish standard time", "irish summer time", "irish time", "ireland time", "dublin time"],
        "Europe/Dublin",
    ),
    **dict.fromkeys(
        [
            "central european summer time",
            "central european time",
            "paris time",
            "berlin time",
            "amsterdam time",
            "brussels time",
        ],
        "Europe/Paris",
    ),
    **dict.fromkeys(["india standard time", "indian standard time", "india time"], "Asia/Kolkata"),
    **dict.fromkeys(
        [
            "australian eastern standard time",
            "australian eastern daylight time",
            "australian eastern time",
            "sydney time",
            "melbourne time",
        ],
        "Australia/Sydney",
    ),
    **dict.fromkeys(["new zealand time", "auckland time"], "Pacific/Auckland"),
    **dict.fromkeys(["singapore time"], "Asia/Singapore"),
    **dict.fromkeys(["japan standard time", "japan time", "tokyo time"], "Asia/Tokyo"),
    **dict.fromkeys(["gulf standard time", "dubai time"], "Asia/Dubai"),
    **dict.fromkeys(["coordinated universal time"], "UTC"),
}


@dataclass(frozen=True)
class ZoneMention:
    """One zone named in a text: where, what it resolves to, and how sure the match is."""

    start: int
    end: int
    iana: str | None  # None when ambiguous
    strict: bool  # False for an abbreviation written in lower/mixed case ("Est", "et")
    note: str = ""  # why iana is None


_NAME_ALT = "|".join(re.escape(n) for n in sorted(NAMES, key=len, reverse=True))
_ABBR_ALT = "|".join(sorted(list(ABBREVIATIONS) + list(AMBIGUOUS), key=len, reverse=True))
_ZONE_RE = re.compile(
    rf"(?P<offset>\b(?:UTC|GMT)\s?(?P<sign>[+-])\s?(?P<off>\d{{1,2}})(?::?00)?(?!\d))"
    rf"|(?P<name>\b(?:{_NAME_ALT})(?![a-z]))"
    rf"|(?P<abbr>\b(?:{_ABBR_ALT})\b)",
    re.IGNORECASE,
)
# "Central" followed by "European" is handled by the longer name; these words after a
# region name mean something else ("Pacific Northwest", "Eastern Europe").
_IANA_RE = re.compile(r"\b[A-Za-z]+(?:[_-][A-Za-z]+)*/[A-Za-z_+-]+[0-9]*(?:/[A-Za-z_]+)?\b")
_NOT_A_ZONE_AFTER = re.compile(r"\s*(?:northwest|islands?|coast|europe|asia|africa|u\b)", re.I)


_WORD_RE = re.compile(r"\b[A-Za-z]+")
_STARTERS = (
    {name.split()[0] for name in NAMES}
    | {abbr.lower() for abbr in [*ABBREVIATIONS, *AMBIGUOUS]}
    | {"utc", "gmt"}
)
# Abbreviations that are also English words: only upper case names a zone.
_ENGLISH_WORDS = {"AT", "UT", "Z", "HT", "UK", "NZ", "MET", "EAT", "WAT", "AST", "PHT"}


@lru_cache(maxsize=1)
def _iana_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def find_zones(text: str) -> list[ZoneMention]:
    """Every zone named in `text`, in order of appearance."""
    found: list[ZoneMention] = []
    # IANA names first, so their parts ("America/New_York") are not read as words.
    for m in _IANA_RE.finditer(text):
        iana_name = _iana_by_lower().get(m.group(0).lower())
        if iana_name:
            found.append(ZoneMention(m.start(), m.end(), iana_name, True))
    taken = [(z.start, z.end) for z in found]
    last_end = 0
    # Try the zone regex only where a word could start a zone name: the alternation is long,
    # and scanning it at every position was most of a parse's time.
    for w in _WORD_RE.finditer(text):
        if w.start() < last_end or w.group(0).lower() not in _STARTERS:
            continue
        zm = _ZONE_RE.match(text, w.start())
        if zm is None or any(a < zm.end() and zm.start() < b for a, b in taken):
            continue
        m = zm
        last_end = m.end()
        word = m.group(0)
        if m.group("offset"):
            hours = int(m.group("off"))
            if hours > 14:
                continue
            sign = "-" if m.group("sign") == "+" else "+"  # Etc/GMT signs are inverted
            iana = "UTC" if hours == 0 else f"Etc/GMT{sign}{hours}"
            found.append(ZoneMention(m.start(), m.end(), iana, True))
        elif m.group("name"):
            if _NOT_A_ZONE_AFTER.match(text, m.end()):
                continue
            found.append(ZoneMention(m.start(), m.end(), NAMES[word.lower()], True))
        else:
            upper = word.upper()
            strict = word == upper
            if not strict and upper in _ENGLISH_WORDS:
                continue
            if upper in AMBIGUOUS:
                found.append(ZoneMention(m.start(), m.end(), None, strict, AMBIGUOUS[upper]))
            else:
                found.append(ZoneMention(m.start(), m.end(), ABBREVIATIONS[upper], strict))
    found.sort(key=lambda z: z.start)
    return found


@lru_cache(maxsize=1024)
def resolve_zone(text: str) -> str | None:
    """The IANA zone that a short zone text names ("EST", "Time (ET)", "ET/PT" -> first)."""
    for mention in find_zones(text[:200]):
        if mention.iana is None:
            return None
        word = text[mention.start : mention.end]
        # A lower-case "at"/"ut"/"z" in a header is an English word, not a zone.
        if not mention.strict and word.lower() in ("at", "ut", "z", "ht", "uk", "nz"):
            continue
        return mention.iana
    return None


def closest_zone_names(text: str, n: int = 3) -> list[str]:
    """IANA names closest to a mistyped one ("America/NewYork" -> "America/New_York")."""
    by_lower = _iana_by_lower()
    lowered = text.strip().lower().replace(" ", "_")
    matches = difflib.get_close_matches(lowered, list(by_lower), n=n, cutoff=0.6)
    return [by_lower[m] for m in matches]
