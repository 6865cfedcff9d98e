"""The CamelCase spelling of an all-lowercase hashtag, or nothing when unsure.

``#indiedevhour`` is hard to read and screen readers spell it out; ``#IndieDevHour`` is not.
A wrong spelling is worse than none (``#therapistchat`` is not ``#TheRapistChat``), so the tag
is split into words by their frequency in English (wordfreq's list, a slice of which ships as
launchkit/data/word_frequencies.txt and comes in through KnownSpellings.word_costs) and the
split is offered only when it is clearly the likeliest one.

The calendar is the first authority: a tag it already writes in CamelCase is spelled its way
(``#hertshour`` → ``#HertsHour``), and the words its CamelCase tags are made of (``Journ`` in
``#JournChat``) count as words here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

__all__ = ["CHAT_WORDS", "KnownSpellings", "camel_case", "known_spellings", "split_words"]

# The words chat tags end in (#blogchat, #museumhour, #therapytalk).
CHAT_WORDS: tuple[str, ...] = ("chat", "hour", "talk")

# Costs are centibels: -100 * log10(frequency); "the" costs 127, a Zipf 2.5 word 650.
_PIECE_COST = 150  # each extra word: tags favour fewer, longer words ("indie", not "in die")
_CALENDAR_WORD_COST = 450  # a word the calendar's own CamelCase tags use, however rare
_CHAT_WORD_COST = 250  # chat tags end in chat/hour/talk far more often than prose does
_LETTER_COST = 400  # "a" or "i" inside a tag is as likely the start of a longer word
_UNKNOWN_COST = 600  # a piece in no list (a name, an acronym: "journ"), plus 100 a letter
_SHORT_WORD_COST = 330  # a word of one or two letters must be as common as "am"
_SURE_BY = 100  # the best split must be ten times likelier than the next
_LONGEST_WORD = 24
_VOWELS = frozenset("aeiouy")
_CAMEL_PIECES = re.compile(r"[A-Z][a-z]+|[a-z]+")


@dataclass(frozen=True)
class KnownSpellings:
    """How to spell tags: English word costs (read on first use), and how a calendar writes
    its tags, whole and the words in them."""

    word_costs: Callable[[], Mapping[str, int]]  # see domain/hashtag/reference.py
    tags: Mapping[str, str] = field(default_factory=dict)  # lowercase -> as written
    words: frozenset[str] = frozenset()  # lowercase words of CamelCase tags


def known_spellings(
    bodies: Iterable[str], word_costs: Callable[[], Mapping[str, int]]
) -> KnownSpellings:
    """How `bodies` (tag texts without '#') are written: tags with capitals, CamelCase words.

    A tag with capitals, not all of them, is how that chat writes it ("SEOchat"); only plain
    CamelCase ("JournChat", not "HCSMca") lends its words.
    """
    tags: dict[str, str] = {}
    words: set[str] = set()
    for body in bodies:
        if not body.isascii() or not body.isalpha() or body.islower() or body.isupper():
            continue
        tags.setdefault(body.lower(), body)
        pieces = _CAMEL_PIECES.findall(body)
        if "".join(pieces) == body and len(pieces) > 1:
            words.update(p.lower() for p in pieces)
    return KnownSpellings(word_costs, tags, frozenset(words))


def _cost(piece: str, costs: Mapping[str, int], known: frozenset[str]) -> int:
    """What one piece costs as a word of a tag: likelier words cost less."""
    cost = costs.get(piece)
    if piece in known:
        return min(cost or _CALENDAR_WORD_COST, _CALENDAR_WORD_COST)
    if cost is None:
        return _UNKNOWN_COST + 100 * len(piece)
    if piece in CHAT_WORDS:
        return min(cost, _CHAT_WORD_COST)
    return max(cost, _LETTER_COST) if len(piece) == 1 else cost


def _plain_word(piece: str, costs: Mapping[str, int], known: frozenset[str], last: bool) -> bool:
    """Whether a piece of the likeliest split may be written as a word of its own."""
    if piece in known:
        return True
    cost = costs.get(piece)
    if cost is None or not _VOWELS.intersection(piece):
        return False  # a name, or letters of an acronym ("hc", "sm")
    # "ed", "ts" are acronyms more often than words; and no tag ends in "at" or "a".
    return len(piece) > 2 or (not last and cost <= _SHORT_WORD_COST)


def _best_two(
    text: str, costs: Mapping[str, int], known: frozenset[str]
) -> list[tuple[int, tuple[str, ...]]]:
    """The two cheapest splits of `text` (unknown pieces allowed, at a price), cheapest first."""
    # best[i]: the two cheapest (cost, pieces) for text[:i]
    best: list[list[tuple[int, tuple[str, ...]]]] = [[] for _ in range(len(text) + 1)]
    best[0] = [(0, ())]
    for end in range(1, len(text) + 1):
        found: list[tuple[int, tuple[str, ...]]] = []
        for start in range(max(0, end - _LONGEST_WORD), end):
            piece = text[start:end]
            if len(piece) == 1 and piece not in ("a", "i"):
                continue
            cost = _cost(piece, costs, known) + _PIECE_COST
            found += [(total + cost, (*pieces, piece)) for total, pieces in best[start]]
        best[end] = sorted(found)[:2]
    return best[len(text)]


def split_words(text: str, known: KnownSpellings) -> list[str] | None:
    """Words of a lowercase compound (``indiedevhour`` → indie, dev, hour), or None if unsure.

    The likeliest split, counting names and acronyms as possible pieces, must be ten times
    likelier than the next and made of two or more plain words: ``edchat`` splits best as
    "ed" + "chat", and "ed" may be the acronym ED, so it gets no advice (not "edc" + "hat").
    """
    words, costs = known.words, known.word_costs()
    splits = _best_two(text, costs, words)
    if not splits or len(splits[0][1]) < 2:
        return None
    if len(splits) > 1 and splits[1][0] - splits[0][0] < _SURE_BY:
        return None
    pieces = splits[0][1]
    last = len(pieces) - 1
    if not all(_plain_word(p, costs, words, n == last) for n, p in enumerate(pieces)):
        return None
    return list(pieces)


def camel_case(text: str, known: KnownSpellings) -> str | None:
    """The CamelCase spelling of an all-lowercase compound, or None when unsure.

    A spelling the calendar already uses wins; otherwise the words from `split_words`.
    """
    if not text.isascii() or not text.isalpha() or not text.islower():
        return None
    if text in known.tags:
        return known.tags[text]
    pieces = split_words(text, known)
    if pieces is None:
        return None
    return "".join(piece[:1].upper() + piece[1:] for piece in pieces)
