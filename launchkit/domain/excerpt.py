"""A text's opening for a place with room for one short line: a calendar title, a line of a
terminal table or the wizard's review screen (pure).

The cut comes after a whole word, marked with "…", so a title never ends in half a word. How
long a text is depends on where it goes: characters for a calendar title (the default), or
terminal columns (`measure=output.text_width`: CJK and emoji take two, an accent none).

>>> first_words("Q1: What got you into making games? #IndieDevHour", 30)
'Q1: What got you into making…'
>>> first_words("Ready", 30)
'Ready'
>>> first_words("Ready.\\nWe start at 8pm.", 30)
'Ready…'
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["first_words"]

ELLIPSIS = "…"
# Left off the end of a cut: "launch,…" or "Grace Guest.…" read better without it.
_TRAILING = " .,;:-—–"


def first_words(text: str, limit: int, measure: Callable[[str], int] = len) -> str:
    """The first line of `text`, cut after a whole word with "…" when it measures more than
    `limit` (the "…" included); a first word longer than that is cut between characters.
    When more lines follow, the "…" says so."""
    line, *rest = text.splitlines() or [""]
    more = any(other.strip() for other in rest)
    if measure(line) <= limit and not more:
        return line
    room = limit - measure(ELLIPSIS)
    if measure(line) <= room:
        return line.rstrip(_TRAILING) + ELLIPSIS
    kept = ""
    for word in line.split(" "):
        longer = f"{kept} {word}" if kept else word
        if measure(longer) > room:
            break
        kept = longer
    return (kept.rstrip(_TRAILING) or _first_characters(line, room, measure)) + ELLIPSIS


def _first_characters(line: str, room: int, measure: Callable[[str], int]) -> str:
    """As many whole characters as fit: an accent stays with its letter, an emoji sequence
    (👩‍💻) and a flag stay whole (grapheme clusters, Unicode's user-perceived characters)."""
    import regex

    kept = ""
    for cluster in regex.findall(r"\X", line):
        if measure(kept + cluster) > room:
            break
        kept += cluster
    return kept
