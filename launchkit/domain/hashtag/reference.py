"""The reference data hashtag advice reads, handed in by the caller (domain/ reads no files).

Both tables are large and most checks need neither, so each comes as a function that is called
on first use: in a run, launchkit.resources.word_costs and .confusable_prototypes, which read
launchkit/data/; in a test, whatever the test gives.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["ReferenceData"]


@dataclass(frozen=True)
class ReferenceData:
    """Where hashtag checks get English word costs and Unicode confusables."""

    # word -> cost in centibels (-100 * log10 of its frequency: "the" is 127)
    word_costs: Callable[[], Mapping[str, int]]
    # code point -> the text it passes for (UTS #39 prototype: 0x430 -> "a")
    prototypes: Callable[[], Mapping[int, str]]
