"""Candidate hashtags from a few topic words, checked, the clear ones first.

Hosts build tags from their topic in a handful of ways: the words run together in CamelCase
(``#IndieGameDev``), short forms (``#IndieDevHour``, ``#EdTechChat``), an initialism
(``#IGDChat``), each with or without a trailing Chat/Hour/Talk. Candidates are generated that
way, checked like `hashtag check` does, and the clear ones are ranked shortest first, then
the ones with the fewest pieces of advice, then alphabetically.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from launchkit.domain.hashtag.check import HashtagReport, check_hashtag
from launchkit.domain.hashtag.collisions import TagIndex

__all__ = ["Suggestion", "candidates_from", "suggest_hashtags"]

# Short forms chat tags really use (#edchat, #smallbizchat, #hcsm, #mktgchat, #journchat).
_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "development": ("Dev",), "developer": ("Dev",), "developers": ("Devs",),
    "education": ("Ed", "Edu"), "educators": ("Ed",), "teaching": ("Teach",),
    "technology": ("Tech",), "marketing": ("Mktg",), "business": ("Biz",),
    "businesses": ("Biz",), "healthcare": ("HC",), "health": ("Health", "HC"),
    "literature": ("Lit",), "writing": ("Write",), "writers": ("Write",),
    "journalism": ("Journ",), "management": ("Mgmt",), "leadership": ("Lead", "Ldr"),
    "government": ("Gov",), "information": ("Info",), "independent": ("Indie",),
    "science": ("Sci",), "mental": ("MH",), "community": ("Comm",), "photography": ("Photo",),
    "communications": ("Comms",), "entrepreneurs": ("Entre",), "startup": ("Startup",),
    "video": ("Video",), "game": ("Game",), "games": ("Games",), "library": ("Lib",),
    "libraries": ("Lib",), "customer": ("Cust",), "service": ("Serv",),
}  # fmt: skip
_CHAT_ENDINGS = ("", "Chat", "Hour", "Talk")
_STOP_WORDS = {"and", "or", "the", "a", "an", "of", "for", "in", "on", "to", "with", "&"}
_MAX_CANDIDATES = 200


@dataclass(frozen=True)
class Suggestion:
    """A clear candidate and its full report."""

    hashtag: str
    weighted_length: int
    report: HashtagReport


def _words(topic_words: Sequence[str]) -> list[str]:
    words = re.findall(r"[^\W_]+", " ".join(topic_words))
    return [w for w in words if w.casefold() not in _STOP_WORDS]


def _forms(word: str) -> tuple[str, ...]:
    lowered = word.casefold()
    written = word if not word.islower() else word[:1].upper() + word[1:]
    short = _SHORT_FORMS.get(lowered, ())
    return tuple(dict.fromkeys((*short, written)))


def candidates_from(topic_words: Sequence[str]) -> list[str]:
    """Candidate tags (with '#') from the topic words, without duplicates, in a stable order."""
    words = _words(topic_words)[:4]  # more words make tags nobody could type each tweet
    if not words:
        return []
    # (stem, whether it is one word or an initialism: too generic to stand alone)
    stems: list[tuple[str, bool]] = []
    for size in range(len(words), 0, -1):
        for group in itertools.combinations(words, size):
            for pieces in itertools.product(*(_forms(w) for w in group)):
                if len({p.casefold() for p in pieces}) < len(pieces):
                    continue  # "Dev" from both "dev" and "development": #DevDev says nothing
                stems.append(("".join(pieces), size == 1))
    if len(words) >= 2:
        stems.append(("".join(w[0].upper() for w in words), True))
    seen: dict[str, None] = {}
    for (stem, alone), ending in itertools.product(stems, _CHAT_ENDINGS):
        if alone and not ending:
            continue  # #Dev or #IGD alone is everyone's tag, not a chat's
        seen.setdefault("#" + stem + ending, None)
        if len(seen) >= _MAX_CANDIDATES:
            break
    return list(seen)


def suggest_hashtags(
    topic_words: Sequence[str], index: TagIndex, *, limit: int = 10
) -> tuple[list[Suggestion], int]:
    """The clear candidates, best first (at most `limit`), and how many were checked."""
    candidates = candidates_from(topic_words)
    clear = [
        Suggestion(report.hashtag, report.weighted_length, report)
        for report in _checked(candidates, index)
        if report.valid and report.verdict == "clear"
    ]
    clear.sort(key=lambda s: (s.weighted_length, len(s.report.advice), s.hashtag.casefold()))
    return clear[:limit], len(candidates)


def _checked(candidates: Iterable[str], index: TagIndex) -> Iterable[HashtagReport]:
    for candidate in candidates:
        yield check_hashtag(candidate, index)
