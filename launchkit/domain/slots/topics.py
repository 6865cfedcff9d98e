"""How much each calendar chat competes with a new chat's topic, for slot scoring.

Similarity is a TF-IDF cosine over character n-grams of hashtag + name + topic: hashtags are
written without spaces ("#indiedevhour") so word tokens would miss "indie" in them. The
vectoriser is fitted once per calendar and query, on the distinct texts only.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt

# Cosine at or above this means "the same topic": the chat competes for the same people.
SAME_TOPIC = 0.2
# An unrelated chat still takes a little attention (people follow many chats).
UNRELATED_WEIGHT = 0.1
# A related-but-below-threshold chat weighs between UNRELATED_WEIGHT and this.
RELATED_WEIGHT = 0.5
# A chat whose hashtag shares a stem with ours confuses people on top of competing.
STEM_PENALTY = 1.0

_STEM_TAIL = re.compile(r"(?:chat|hour|talk|live|party)?[0-9]*$")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_SPLIT_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class TopicWeights:
    """Per chat: cosine to the query, same-topic flag, shared stem flag and final weight."""

    similarity: npt.NDArray[np.float64]
    same_topic: npt.NDArray[np.bool_]
    shares_stem: npt.NDArray[np.bool_]
    weight: npt.NDArray[np.float64]


@lru_cache(maxsize=65536)
def chat_text(hashtag: str | None, name: str | None, topic: str | None) -> str:
    """The text that describes a chat: its hashtag (camel case split), name and topic."""
    # Trailing digits number editions ("#chat2"), they say nothing about the topic.
    tag = (hashtag or "").lstrip("#").rstrip("0123456789")
    return " ".join(p for p in (_SPLIT_CAMEL.sub(" ", tag), tag, name, topic) if p).lower()


@lru_cache(maxsize=65536)
def hashtag_stem(hashtag: str) -> str:
    """A hashtag without '#', case, trailing digits and chat-ish suffixes: #EdChat2 -> 'ed'."""
    stem = _STEM_TAIL.sub("", _NOT_ALNUM.sub("", hashtag.lower()))
    return stem or _NOT_ALNUM.sub("", hashtag.lower())


def _stem_matcher(ours: Sequence[str]) -> Callable[[str], bool]:
    exact = {our for our in ours if len(our) >= 2}
    # Prefixes only for stems long enough that a prefix match is not a coincidence.
    long_ = tuple(our for our in exact if len(our) >= 5)

    @cache
    def matches(stem: str) -> bool:
        if len(stem) < 2:
            return False
        if stem in exact:
            return True
        return len(stem) >= 5 and (stem.startswith(long_) or any(o.startswith(stem) for o in long_))

    return matches


@lru_cache(maxsize=65536)
def _word_grams(word: str) -> tuple[tuple[str, int], ...]:
    """Character 3- to 5-grams of one word padded with spaces (like char_wb n-grams)."""
    padded = f" {word} "
    grams = Counter(
        padded[i : i + n] for n in range(3, 6) for i in range(max(1, len(padded) - n + 1))
    )
    return tuple(grams.items())


def _tfidf(counts: Counter[str], idf: dict[str, float]) -> tuple[dict[str, float], float]:
    vec = {g: (1.0 + math.log(k)) * idf[g] for g, k in counts.items()}
    return vec, math.sqrt(sum(x * x for x in vec.values())) or 1.0


def _cosines(docs: Sequence[str], query: str) -> npt.NDArray[np.float64]:
    """TF-IDF cosine (sublinear tf, smoothed idf) of each doc against the query.

    Written out with dicts rather than scikit-learn: importing scikit-learn takes seconds,
    which dwarfed the search itself, and only the query's n-grams matter for the dot product.
    """
    counts: list[Counter[str]] = []
    for doc in [*docs, query]:
        grams: Counter[str] = Counter()
        for word in doc.split():
            for gram, k in _word_grams(word):
                grams[gram] += k
        counts.append(grams)
    df = Counter(g for grams in counts for g in grams)
    n = len(counts)
    idf = {g: math.log((1 + n) / (1 + k)) + 1.0 for g, k in df.items()}
    qvec, qnorm = _tfidf(counts[-1], idf)
    out = np.empty(len(docs), dtype=np.float64)
    for i, grams in enumerate(counts[:-1]):
        vec, norm = _tfidf(grams, idf)
        out[i] = sum(x * qvec.get(g, 0.0) for g, x in vec.items()) / (norm * qnorm)
    return out


def topic_weights(
    chats: Sequence[tuple[str | None, str | None, str | None]],
    topic: str | None,
    hashtag: str | None = None,
) -> TopicWeights:
    """Weights of (hashtag, name, topic) chats against our topic words and hashtag.

    Without a topic or hashtag every chat weighs 1.0 and none is "same topic": the search
    then simply avoids busy hours.
    """
    n = len(chats)
    query = " ".join(p for p in (chat_text(hashtag, None, None), (topic or "").lower()) if p)
    ours = [hashtag_stem(hashtag)] if hashtag else []
    ours += [w for w in _WORD.findall((topic or "").lower()) if len(w) >= 4]
    matches = _stem_matcher(ours)
    stems = np.fromiter(
        (bool(tag) and matches(hashtag_stem(tag or "")) for tag, _, _ in chats),
        dtype=np.bool_,
        count=n,
    )
    if not query.strip() or n == 0:
        ones = np.ones(n, dtype=np.float64)
        return TopicWeights(np.zeros(n), np.zeros(n, dtype=np.bool_), stems, ones + stems)
    # Calendars repeat chats (and their texts); vectorise each distinct text once.
    texts = [chat_text(*chat) for chat in chats]
    distinct = list(dict.fromkeys(texts))
    position = {text: i for i, text in enumerate(distinct)}
    sims = _cosines(distinct, query)[[position[text] for text in texts]]
    same = (sims >= SAME_TOPIC) | stems
    partial = UNRELATED_WEIGHT + (RELATED_WEIGHT - UNRELATED_WEIGHT) * np.clip(
        sims / SAME_TOPIC, 0.0, 1.0
    )
    weight = np.where(same, 1.0, partial) + STEM_PENALTY * stems
    return TopicWeights(sims, same, stems, weight)
