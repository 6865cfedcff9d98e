"""Tags that look the same but are not: characters from other scripts that pass for Latin.

``#edchаt`` with a Cyrillic "а" looks exactly like ``#edchat`` and X links it as another tag,
so people who copy one from a screen land on the other. Unicode's confusables data (UTS #39;
launchkit/data/confusable_prototypes.txt holds what a tag can contain) maps each such character
to the one it passes for; two texts with the same *skeleton* look alike. Tags are compared
case-folded, as X matches them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

__all__ = ["Confusables"]


class Confusables:
    """UTS #39 prototypes: a tag's skeleton and why two tags look the same."""

    def __init__(self, prototypes: Mapping[int, str]) -> None:
        self.table = prototypes
        self._ascii = {code: target for code, target in prototypes.items() if code < 128}

    def skeleton(self, folded: str) -> str:
        """The UTS #39 skeleton of a case-folded tag body, folded again ("0" passes for "o")."""
        if folded.isascii():  # the usual case, without normalising: "1" -> "l", "m" -> "rn"
            return folded.translate(self._ascii).lower()
        decomposed = unicodedata.normalize("NFD", folded)
        return unicodedata.normalize("NFD", decomposed.translate(self.table)).casefold()

    def reason(self, candidate: str, other: str) -> str:
        """Which characters make one tag look like the other: "'а' (CYRILLIC...) ..."."""
        table = self.table
        odd = [c for c in dict.fromkeys(candidate + other) if not c.isascii() and ord(c) in table]
        named = ", ".join(
            f"'{c}' ({unicodedata.name(c, f'U+{ord(c):04X}')}) looks like '{table[ord(c)]}'"
            for c in odd[:3]
        )
        return f"looks the same: {named}" if named else "looks the same"
