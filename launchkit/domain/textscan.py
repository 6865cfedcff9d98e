"""A short text read once for the words in it, so that pattern searches run only where a word
they need starts (scanning a long alternation at every position is what made parsing slow)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_WORDS_RE = re.compile(r"[a-z]+")
DIGITS_RE = re.compile(r"\d+")


class Scan:
    """A text, its lower-case form, the set of its lower-case words (runs of a-z) and where
    its runs of digits start and end."""

    __slots__ = ("lower", "numbers", "text", "words")

    def __init__(self, text: str, numbers: list[tuple[int, int]] | None = None) -> None:
        """`numbers`: the spans of DIGITS_RE in `text`, when the caller has them already."""
        self.text = text
        lower = text.lower()
        # Lower-casing a few characters ("İ") changes the length: positions would not match.
        self.lower = lower if len(lower) == len(text) else text.translate(_ASCII_LOWER)
        self.words = frozenset(_WORDS_RE.findall(self.lower))
        if numbers is None:
            numbers = [m.span() for m in DIGITS_RE.finditer(text)]
        self.numbers = numbers

    def positions(self, wanted: Iterable[str]) -> list[int]:
        """Sorted start positions of every occurrence of the given words (as substrings: a
        pattern tried there still checks its own word boundaries)."""
        lower, found = self.lower, []
        for word in wanted:
            at = lower.find(word)
            while at >= 0:
                found.append(at)
                at = lower.find(word, at + 1)
        found.sort()
        return found


_ASCII_LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})


def matches_at(
    pattern: re.Pattern[str], text: str, starts: Iterable[int]
) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, tried only at the sorted `starts`: the same matches when every
    place the pattern can match is among them, without trying it everywhere else."""
    last_end = 0
    for at in starts:
        m = pattern.match(text, at) if at >= last_end else None
        if m is not None:
            last_end = m.end()
            yield m
