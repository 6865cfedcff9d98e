"""Names, topics and lengths of time as a careful host writes them in posts and emails (pure).

chat.yaml holds data ("Grace Guest", "indie game development, marketing, launch", 60);
a post or an email needs words ("Hi Grace", "indie game development, marketing and
launch", "one hour"). Nothing here shortens: a text that is too long for a post is reported
by the length check, never cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta

__all__ = ["duration_phrase", "elapsed_phrase", "first_name", "join_names", "topic_phrase"]

# Titles people put before their name; a greeting uses the name after them.
_TITLES = frozenset({
    "dr", "prof", "professor", "mr", "mrs", "ms", "mx", "miss", "sir", "dame", "rev", "revd",
    "fr", "father", "sister", "dra", "sr", "sra",
})  # fmt: skip
# Scripts written without spaces between given and family name: a name in them is used whole.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_HOURS = {30: "half an hour", 60: "one hour", 120: "two hours"}


def first_name(name: str) -> str:
    """How to greet someone: "Grace Guest" -> "Grace", "Dr. Ana Lima" -> "Ana".

    "Lima, Ana" -> "Ana". A single name, an initial first ("J. R. Hartley") or a name in a
    script written without spaces (李小龙, 김민준) is used as given.
    """
    text = " ".join(name.split())
    if _UNSPACED.search(text):
        return text
    if "," in text:
        family, _, given = text.partition(",")
        text = given.strip() or family.strip()
    words = text.split(" ")
    while len(words) > 1 and words[0].rstrip(".").casefold() in _TITLES:
        words = words[1:]
    if len(words[0].rstrip(".")) <= 1:  # "J. R. Hartley": no first name to take
        return " ".join(words)
    return words[0]


def topic_phrase(topic: str) -> str:
    """The topic as a phrase for a sentence: "a, b, c" -> "a, b and c".

    A topic that already has its "and" (or "&") is kept as written; a trailing full stop
    goes, as the phrase sits inside a sentence.
    """
    text = " ".join(topic.split()).rstrip(" .;,")
    if "," in text and not re.search(r"\band\b|&", text):
        head, _, last = text.rpartition(",")
        text = f"{head} and {last.strip()}"
    return text


def duration_phrase(minutes: int) -> str:
    """A session's length in words: "one hour", "half an hour", "90 minutes", "3 hours"."""
    if minutes in _HOURS:
        return _HOURS[minutes]
    if minutes % 60 == 0:
        return f"{minutes // 60} hours"
    return f"{minutes} minutes"


def elapsed_phrase(span: timedelta) -> str:
    """How long, in the largest whole unit: "18 days", "5 hours", "1 minute"."""
    seconds = max(int(span.total_seconds()), 0)
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' * (count != 1)}"
    return "less than a minute"


def join_names(names: Sequence[str]) -> str:
    """Names in a sentence: "@grace", "@grace and Lin", "@grace, Lin and @zoe"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
