"""Time zones as people write them in chat listings ("9pm ET", "20:30 Irish time", "8pm
London"), found in text and mapped to IANA names. The words themselves are in `zone_names`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple
from zoneinfo import available_timezones

from launchkit.domain.textscan import Scan
from launchkit.domain.zone_names import (
    ABBREVIATIONS,
    AMBIGUOUS,
    NAMES,
    PLACES,
    REGION_DOMAINS,
    REGION_WORDS,
    REGIONAL,
)

__all__ = [
    "ABBREVIATIONS",
    "AMBIGUOUS",
    "NAMES",
    "ZoneMention",
    "closest_zone_names",
    "find_zones",
    "regions_of",
    "resolve_zone",
]


class ZoneMention(NamedTuple):
    """One zone named in a text: where, what it resolves to, and how sure the match is."""

    start: int
    end: int
    iana: str | None  # None when ambiguous
    strict: bool  # False for a lower-case abbreviation ("Est") or a bare place ("London")
    note: str = ""  # why iana is None
    candidates: tuple[str, ...] = ()  # the zones an ambiguous abbreviation may be


_NAME_ALT = "|".join(re.escape(n) for n in sorted(NAMES, key=len, reverse=True))
_PLACE_ALT = "|".join(re.escape(n) for n in sorted(PLACES, key=len, reverse=True))
_ABBR_ALT = "|".join(sorted(list(ABBREVIATIONS) + list(AMBIGUOUS), key=len, reverse=True))
_ZONE_RE = re.compile(
    rf"(?P<offset>\b(?:UTC|GMT)\s?(?P<sign>[+-])\s?(?P<off>\d{{1,2}})(?::?(?P<offm>[0-5]\d))?(?!\d))"
    rf"|(?P<name>\b(?:{_NAME_ALT})(?![a-z]))"
    rf"|(?P<place>\b(?:{_PLACE_ALT})(?![a-z])(?P<time>\s+time\b)?)"
    rf"|(?P<abbr>\b(?:{_ABBR_ALT})\b)",
    re.IGNORECASE,
)
_IANA_RE = re.compile(r"\b[A-Za-z]+(?:[_-][A-Za-z]+)*/[A-Za-z_+-]+[0-9]*(?:/[A-Za-z_]+)?\b")
# These words after a region name mean something else ("Pacific Northwest", "Eastern Europe").
_NOT_A_ZONE_AFTER = re.compile(r"\s*(?:northwest|islands?|coast|europe|asia|africa|u\b)", re.I)

_STARTERS = frozenset(
    {name.split()[0] for name in [*NAMES, *PLACES]}
    | {abbr.lower() for abbr in [*ABBREVIATIONS, *AMBIGUOUS]}
    | {"utc", "gmt"}
)
# Abbreviations that are also English words: only upper case names a zone.
_ENGLISH_WORDS = {"AT", "UT", "Z", "HT", "UK", "NZ", "MET", "EAT", "WAT", "AST", "PHT", "WIB"}
_PAIR_FIRST_WORDS = frozenset(w.split()[0] for w in REGION_WORDS if " " in w)
_REGION_TOKEN_RE = re.compile(r"[A-ZÉ]?[a-zé]+|[A-ZÉ]+(?![a-zé])")
_DOMAIN_RE = re.compile(r"\.[a-z]{2}(?=[/:]|$|\s)")
# Offsets that are not whole hours, as the one zone that keeps each all year (no DST).
_ODD_OFFSETS = {
    "+5:30": "Asia/Kolkata", "+5:45": "Asia/Kathmandu", "+6:30": "Asia/Yangon",
    "+9:30": "Australia/Darwin", "+4:30": "Asia/Kabul", "+3:30": "Asia/Tehran",
}  # fmt: skip
_HASHTAG_RE = re.compile(r"#(\w+)")
# Inside a run-together hashtag only longer words are safe to look for ("irish" in
# "#irishwriters"; "uae" would also be found in "#guaedchat"). They are looked up by their
# first letters at each place in the tag rather than each searched for in turn.
_TAG_WORD_MIN = 5


def _tag_words_by_start() -> dict[str, tuple[tuple[str, str], ...]]:
    grouped: dict[str, tuple[tuple[str, str], ...]] = {}
    for word, region in REGION_WORDS.items():
        if len(word) >= _TAG_WORD_MIN and " " not in word:
            start = word[:_TAG_WORD_MIN]
            grouped[start] = (*grouped.get(start, ()), (word, region))
    return grouped


_TAG_WORDS_BY_START = _tag_words_by_start()


def _by_first_word(names: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Names grouped by their first word, longest first (the longest that fits is meant)."""
    grouped: dict[str, list[str]] = {}
    for name in sorted(names, key=len, reverse=True):
        grouped.setdefault(re.split(r"[^a-z]", name)[0], []).append(name)
    return {first: tuple(group) for first, group in grouped.items()}


_NAMES_BY_FIRST = _by_first_word(NAMES)
_PLACES_BY_FIRST = _by_first_word(PLACES)
_ABBREVIATION_WORDS = frozenset([*ABBREVIATIONS, *AMBIGUOUS])
_OFFSET_RE = re.compile(r"(?:UTC|GMT)\s?([+-])\s?(\d{1,2})(?::?([0-5]\d))?(?!\d)", re.IGNORECASE)
_LETTERS_RE = re.compile(r"[a-z]*")
_TOKEN_RE = re.compile(r"\w*")
_TIME_SUFFIX_RE = re.compile(r"\s+time\b", re.IGNORECASE)
# A mention read but dropped ("Pacific Northwest"): it still covers its words.
_NOT_A_ZONE = "not a zone"


def _longest(lower: str, at: int, names: tuple[str, ...]) -> str | None:
    for name in names:
        end = at + len(name)
        if lower.startswith(name, at) and not (end < len(lower) and "a" <= lower[end] <= "z"):
            return name
    return None


def _zone_at(text: str, lower: str, at: int, regions: frozenset[str]) -> ZoneMention | None:
    """The zone named at `at` (a word start): an offset, a name, a place or an abbreviation,
    tried in that order."""
    if lower.startswith(("utc", "gmt"), at):
        m = _OFFSET_RE.match(text, at)
        if m is not None:
            return _offset(m)
    first = _LETTERS_RE.match(lower, at).group(0)  # type: ignore[union-attr]
    names = _NAMES_BY_FIRST.get(first)
    name = _longest(lower, at, names) if names is not None else None
    if name is not None:
        end = at + len(name)
        if _NOT_A_ZONE_AFTER.match(text, end):
            return ZoneMention(at, end, None, False, _NOT_A_ZONE)
        return ZoneMention(at, end, NAMES[name], True)
    places = _PLACES_BY_FIRST.get(first)
    place = _longest(lower, at, places) if places is not None else None
    if place is not None:
        end = at + len(place)
        suffix = _TIME_SUFFIX_RE.match(text, end)
        return ZoneMention(at, suffix.end() if suffix else end, PLACES[place], bool(suffix))
    word = _TOKEN_RE.match(text, at).group(0)  # type: ignore[union-attr]
    upper = word.upper()
    if upper not in _ABBREVIATION_WORDS:
        return None
    strict = word == upper
    if not strict and upper in _ENGLISH_WORDS:
        return ZoneMention(at, at + len(word), None, False, _NOT_A_ZONE)
    return _abbreviation(at, at + len(word), upper, strict, regions)


def _offset(m: re.Match[str]) -> ZoneMention:
    sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
    if hours > 14:
        return ZoneMention(m.start(), m.end(), None, False, _NOT_A_ZONE)
    if minutes:
        iana = _ODD_OFFSETS.get(f"{sign}{hours}:{minutes:02d}")
        note = "" if iana else f"no zone keeps the offset '{m.group(0)}' all year"
        return ZoneMention(m.start(), m.end(), iana, True, note)
    inverted = "-" if sign == "+" else "+"  # Etc/GMT signs are inverted
    iana = "UTC" if hours == 0 else f"Etc/GMT{inverted}{hours}"
    return ZoneMention(m.start(), m.end(), iana, True)


@lru_cache(maxsize=1)
def _iana_by_lower() -> dict[str, str]:
    return {name.lower(): name for name in available_timezones()}


def regions_of(text: str) -> frozenset[str]:
    """The regions ("india", "ireland", ...) a chat's own words place it in, hashtags too
    ("#DesiWriters", "#indiaedchat")."""
    # Words split at case changes too, so "#DesiWriters" has "desi" and "writers".
    words = frozenset(map(str.lower, _REGION_TOKEN_RE.findall(text)))
    found = {REGION_WORDS[w] for w in words & REGION_WORDS.keys()}
    lower = text.lower()
    if "#" in text:
        for tag in _HASHTAG_RE.findall(lower):
            for at in range(len(tag) - _TAG_WORD_MIN + 1):
                for word, region in _TAG_WORDS_BY_START.get(tag[at : at + _TAG_WORD_MIN], ()):
                    if tag.startswith(word, at):
                        found.add(region)
    if not words.isdisjoint(_PAIR_FIRST_WORDS):
        found.update(
            REGION_WORDS[pair]
            for pair in re.findall(r"(?=\b([a-z]+\s+[a-z]+))", lower)
            if pair in REGION_WORDS
        )
    if "." in text:
        found.update(REGION_DOMAINS[d] for d in _DOMAIN_RE.findall(lower) if d in REGION_DOMAINS)
    return frozenset(found)


def _abbreviation(
    start: int, end: int, upper: str, strict: bool, regions: frozenset[str]
) -> ZoneMention:
    """An abbreviation read in the light of the regions the chat's words name."""
    iana, note, candidates = _abbreviation_reading(upper, regions)
    return ZoneMention(start, end, iana, strict, note, candidates)


@lru_cache(maxsize=1024)
def _abbreviation_reading(
    upper: str, regions: frozenset[str]
) -> tuple[str | None, str, tuple[str, ...]]:
    """What an abbreviation names (its zone, else why not and which it may be)."""
    readings = REGIONAL.get(upper, {})
    local = sorted({readings[r] for r in regions if r in readings})
    default = ABBREVIATIONS.get(upper)
    if default is None:  # IST, GST: only the chat's region can tell
        if len(local) == 1:
            return local[0], "", ()
        return None, AMBIGUOUS[upper], tuple(readings.values())
    if local:
        note = f"{upper} is {default} in most listings, but this chat's words point to {local[0]}"
        return None, note, (default, *local)
    return default, "", ()


def find_zones(
    text: str, regions: frozenset[str] = frozenset(), scan: Scan | None = None
) -> list[ZoneMention]:
    """Every zone named in `text`, in order of appearance; `regions` (see `regions_of`)
    settle the abbreviations whose zone depends on the chat's country (IST, GST)."""
    scan = scan or Scan(text)
    found: list[ZoneMention] = []
    # IANA names first, so their parts ("America/New_York") are not read as words.
    if "/" in text:
        for m in _IANA_RE.finditer(text):
            iana_name = _iana_by_lower().get(m.group(0).lower())
            if iana_name:
                found.append(ZoneMention(m.start(), m.end(), iana_name, True))
    taken = [(z.start, z.end) for z in found]
    last_end = 0
    # Only where a word that can start a zone name starts: the names are looked up, not
    # tried one by one as a long regex alternation (that was most of a parse's time).
    lower = scan.lower
    for at in scan.positions(scan.words & _STARTERS):
        if at < last_end or (at and (lower[at - 1].isalnum() or lower[at - 1] == "_")):
            continue  # inside a word
        mention = _zone_at(text, lower, at, regions)
        if mention is None or (
            taken and any(a < mention.end and mention.start < b for a, b in taken)
        ):
            continue
        last_end = mention.end
        if mention.note != _NOT_A_ZONE:
            found.append(mention)
    if len(found) > 1:
        found.sort(key=_start_of)
    return found


_start_of = itemgetter(0)  # of a ZoneMention, as a sort key


@lru_cache(maxsize=1024)
def resolve_zone(text: str, regions: frozenset[str] = frozenset()) -> str | None:
    """The IANA zone that a short zone text names ("EST", "Time (ET)", "ET/PT" -> first)."""
    for mention in find_zones(text[:200], regions):
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
