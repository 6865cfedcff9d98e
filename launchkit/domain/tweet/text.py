"""Tweet length and hashtags, following twitter-text (v3 config) exactly.

X does not count characters: it weighs them. Most Latin, Greek, Cyrillic, Hebrew, Arabic and
Indic text weighs 1, CJK and most other text 2, any emoji sequence (a ZWJ family, a flag, a
keycap, a skin-toned hand) 2 in all, and every URL 23 whatever its length. A tweet may weigh
280. Text is NFC-normalised first, as X does. Offsets are Python `str` indices.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

# URL extraction lives in tweet.urls; re-exported here so tweet text has one entry point.
from launchkit.domain.tweet.urls import UrlMatch, extract_urls, extract_urls_with_indices

__all__ = [
    "V2_CONFIG",
    "V3_CONFIG",
    "HashtagMatch",
    "TweetConfig",
    "TweetParse",
    "UrlMatch",
    "extract_hashtags",
    "extract_hashtags_with_indices",
    "extract_urls",
    "extract_urls_with_indices",
    "is_valid_hashtag",
    "is_valid_tweet",
    "parse_tweet",
    "weighted_length",
]


@dataclass(frozen=True)
class TweetConfig:
    """A twitter-text weighting config (config/v2.json, config/v3.json)."""

    max_weighted_length: int = 280
    scale: int = 100
    default_weight: int = 200
    transformed_url_length: int = 23
    # (first code point, last code point, weight), both ends inclusive.
    ranges: tuple[tuple[int, int, int], ...] = (
        (0, 4351, 100),
        (8192, 8205, 100),
        (8208, 8223, 100),
        (8242, 8247, 100),
    )
    emoji_parsing: bool = True


V3_CONFIG = TweetConfig()
# v2 weighs each emoji code point on its own; kept to check the weighting against upstream.
V2_CONFIG = TweetConfig(emoji_parsing=False)

# Characters that make a tweet invalid (byte-order marks and a non-character).
_INVALID_CHARS = frozenset("\ufffe\ufeff\uffff")


@dataclass(frozen=True)
class TweetParse:
    """The result of weighing a tweet.

    `display_range` covers the whole text and `valid_range` the part that fits in the limit;
    both are (first, last) Python offsets into the text as given, last inclusive (as in
    twitter-text), and (0, -1) for empty text.
    """

    weighted_length: int
    valid: bool
    permillage: int
    display_range: tuple[int, int]
    valid_range: tuple[int, int]


@dataclass(frozen=True)
class HashtagMatch:
    """A hashtag found in text: `text[start:end]` is `#` (or `＃`) followed by `hashtag`."""

    hashtag: str
    start: int
    end: int


def _char_weight(char: str, config: TweetConfig) -> int:
    code_point = ord(char)
    for first, last, weight in config.ranges:
        if first <= code_point <= last:
            return weight
    return config.default_weight


def _emoji_ends(text: str, config: TweetConfig) -> dict[int, int]:
    """Start offset -> end offset of every emoji sequence that counts as one unit."""
    if not config.emoji_parsing or text.isascii():
        return {}
    # Imported here: loading the emoji tables takes ~50 ms, and ASCII text never needs them.
    import emoji

    ends: dict[int, int] = {}
    for found in emoji.emoji_list(text):
        start, end = int(found["match_start"]), int(found["match_end"])
        # twitter-text only treats the text-default © and ® as emoji when U+FE0F follows;
        # a lone code point that weighs less than an emoji keeps its own weight.
        if end - start == 1 and _char_weight(text[start], config) < config.default_weight:
            continue
        ends[start] = end
    return ends


def parse_tweet(text: str, config: TweetConfig = V3_CONFIG) -> TweetParse:
    """Weigh `text` as X does and say whether it fits (twitter-text `parseTweet`)."""
    normalized = unicodedata.normalize("NFC", text)
    url_ends = {url.start: url.end for url in extract_urls_with_indices(normalized)}
    emoji_ends = _emoji_ends(normalized, config)
    scaled_max = config.max_weighted_length * config.scale

    weight = 0
    has_invalid = False
    valid_end = -1  # last offset (inclusive) of the part that still fits
    offset = 0
    while offset < len(normalized):
        if offset in url_ends:
            weight += config.transformed_url_length * config.scale
            end = url_ends[offset]
        elif offset in emoji_ends:
            weight += config.default_weight
            end = emoji_ends[offset]
        else:
            weight += _char_weight(normalized[offset], config)
            end = offset + 1
        # Upstream checks only the last character of a URL or emoji unit; same here.
        has_invalid = has_invalid or normalized[end - 1] in _INVALID_CHARS
        if not has_invalid and weight <= scaled_max:
            valid_end = end - 1
        offset = end

    weighted_length = weight // config.scale
    # Upstream shifts the valid range by the length change from normalisation.
    valid_end += len(text) - len(normalized)
    return TweetParse(
        weighted_length=weighted_length,
        valid=(
            not has_invalid and bool(text.strip()) and weighted_length <= config.max_weighted_length
        ),
        permillage=weighted_length * 1000 // config.max_weighted_length,
        display_range=(0, len(text) - 1),
        valid_range=(0, valid_end),
    )


def weighted_length(text: str) -> int:
    """The length X counts for `text` (v3: URLs 23, emoji sequences 2, CJK 2, Latin 1)."""
    return parse_tweet(text).weighted_length


def is_valid_tweet(text: str) -> bool:
    """Whether X accepts `text` as a tweet: not blank, no invalid characters, weight <= 280."""
    return parse_tweet(text).valid


# Hashtag characters: letters, marks and decimal digits of any script, plus the joiners and
# in-word punctuation twitter-text allows (ZWNJ/ZWJ, Hebrew geresh, katakana middle dot, ...).
_HASHTAG_SPECIAL = (
    "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003"
    "\u0f0b\u0f0c\u00b7"
)
_HASHTAG_LETTER = r"[\p{L}\p{M}]"
_HASHTAG_CHAR = rf"[\p{{L}}\p{{M}}\p{{Nd}}{_HASHTAG_SPECIAL}]"
# "#tag#more" and "#http://..." are not hashtags.
_HASHTAG_INVALID_ENDS = ("#", "＃", "://")


@functools.cache
def _hashtag_pattern() -> Any:
    # Compiled on first use: importing `regex` (for \p{L} and friends) takes ~20 ms.
    import regex

    # The boundary before `#` is consumed (not looked behind) so consecutive matches behave as
    # in twitter-text: a `#` right after a letter, digit or `&` (as in "&#39;") starts no tag.
    return regex.compile(
        rf"(^|[\ufe0e\ufe0f]|[^&\p{{L}}\p{{M}}\p{{Nd}}{_HASHTAG_SPECIAL}])"
        r"([#＃])(?![\ufe0f\u20e3])"
        rf"({_HASHTAG_CHAR}*{_HASHTAG_LETTER}{_HASHTAG_CHAR}*)",
        regex.VERSION0,
    )


def _drop_overlaps(tags: list[HashtagMatch], urls: list[UrlMatch]) -> list[HashtagMatch]:
    """Keep the hashtags that no earlier-starting URL overlaps (twitter-text's rule)."""
    entities: list[HashtagMatch | UrlMatch] = sorted([*tags, *urls], key=lambda e: e.start)
    kept: list[HashtagMatch | UrlMatch] = entities[:1]
    for entity in entities[1:]:
        if kept[-1].end > entity.start:
            continue
        kept.append(entity)
    return [entity for entity in kept if isinstance(entity, HashtagMatch)]


def extract_hashtags_with_indices(text: str) -> list[HashtagMatch]:
    """Hashtags in `text` with offsets; `start` is at the `#`, `end` is exclusive."""
    if "#" not in text and "＃" not in text:
        return []
    tags: list[HashtagMatch] = []
    for match in _hashtag_pattern().finditer(text):
        if text.startswith(_HASHTAG_INVALID_ENDS, match.end()):
            continue
        tags.append(HashtagMatch(match.group(3), match.start(2), match.end(3)))
    if not tags:
        return []
    urls = extract_urls_with_indices(text)
    return _drop_overlaps(tags, urls) if urls else tags


def extract_hashtags(text: str) -> list[str]:
    """Hashtag texts in `text` (without the `#`), in order of appearance."""
    return [tag.hashtag for tag in extract_hashtags_with_indices(text)]


def is_valid_hashtag(tag: str) -> bool:
    """Whether `tag` (with its `#` or `＃`) is exactly one hashtag and nothing else."""
    found = extract_hashtags_with_indices(tag)
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(tag)
