"""Tags that look the same but are not: characters from other scripts that pass for Latin.

``#edchаt`` with a Cyrillic "а" looks exactly like ``#edchat`` and X links it as another tag,
so people who copy one from a screen land on the other. Unicode's confusables data (UTS #39,
vendored in _confusables.py) maps each such character to the one it passes for; two texts
with the same *skeleton* look alike. Tags are compared case-folded, as X matches them.
"""

from __future__ import annotations

import functools
import unicodedata

__all__ = ["lookalike_reason", "skeleton"]


@functools.cache
def _prototypes() -> dict[int, str]:
    from launchkit.domain.hashtag._confusables import PROTOTYPES

    table: dict[int, str] = {}
    for pair in PROTOTYPES.split():
        source, target = pair.split(">")
        table[int(source, 16)] = "".join(chr(int(code, 16)) for code in target.split("+"))
    return table


@functools.cache
def _ascii_prototypes() -> dict[int, str]:
    return {code: target for code, target in _prototypes().items() if code < 128}


def skeleton(folded: str) -> str:
    """The UTS #39 skeleton of a case-folded tag body, folded again ("0" passes for "o")."""
    if folded.isascii():  # the usual case, without normalising: "1" -> "l", "m" -> "rn"
        return folded.translate(_ascii_prototypes()).lower()
    decomposed = unicodedata.normalize("NFD", folded)
    return unicodedata.normalize("NFD", decomposed.translate(_prototypes())).casefold()


def lookalike_reason(candidate: str, other: str) -> str:
    """Which characters make one tag look like the other: "'а' (CYRILLIC SMALL LETTER A)..."."""
    table = _prototypes()
    odd = [c for c in dict.fromkeys(candidate + other) if not c.isascii() and ord(c) in table]
    named = ", ".join(
        f"'{c}' ({unicodedata.name(c, f'U+{ord(c):04X}')}) looks like '{table[ord(c)]}'"
        for c in odd[:3]
    )
    return f"looks the same: {named}" if named else "looks the same"
