"""`launchkit text count`: how X counts a draft post."""

from __future__ import annotations

from dataclasses import dataclass

from launchkit.domain.tweet.text import extract_hashtags, parse_tweet
from launchkit.domain.tweet.urls import extract_urls

__all__ = ["TextCount", "count"]

LIMIT = 280


@dataclass(frozen=True)
class TextCount:
    """A draft's weighted length, what is left of 280, its hashtags and URLs, and validity."""

    text: str
    weighted_length: int
    remaining: int
    valid: bool
    hashtags: tuple[str, ...]
    urls: tuple[str, ...]
    problems: tuple[str, ...]


def count(text: str) -> TextCount:
    """Weigh `text` as X does (twitter-text v3)."""
    parsed = parse_tweet(text)
    problems: list[str] = []
    if not text.strip():
        problems.append("the text is empty")
    elif parsed.weighted_length > LIMIT:
        problems.append(f"{parsed.weighted_length - LIMIT} over the {LIMIT} limit")
    elif not parsed.valid:
        problems.append("contains a character X refuses (U+FFFE, U+FEFF or U+FFFF)")
    return TextCount(
        text=text,
        weighted_length=parsed.weighted_length,
        remaining=LIMIT - parsed.weighted_length,
        valid=parsed.valid,
        hashtags=tuple("#" + tag for tag in extract_hashtags(text)),
        urls=tuple(extract_urls(text)),
        problems=tuple(problems),
    )
