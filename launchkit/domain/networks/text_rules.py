"""How long a post may be on each network, measured the network's own way (pure).

- X: twitter-text's weighted length, 280 (domain/tweet/);
- Mastodon: the instance's `configuration.statuses.max_characters` (500 when the instance
  cannot be asked), counted in grapheme clusters, every http(s) URL counting as
  `characters_reserved_per_url` (23) and a remote mention `@name@domain` as `@name`, as
  Mastodon's StatusLengthValidator counts;
- Bluesky: 300 graphemes and 3,000 UTF-8 bytes (app.bsky.feed.post's `text`).

>>> check_text("bluesky", "café ☕ #ChatHour").excess
0
>>> check_text("mastodon", "x" * 501).describe()
'501/500 characters: 1 character too long'
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from launchkit.domain.tweet.text import weighted_length
from launchkit.domain.tweet.urls import extract_urls_with_indices

__all__ = [
    "BLUESKY_MAX_BYTES",
    "BLUESKY_MAX_GRAPHEMES",
    "MASTODON_DEFAULT_LIMIT",
    "MASTODON_URL_CHARS",
    "X_MAX_WEIGHT",
    "MastodonLimits",
    "TextCheck",
    "check_text",
    "grapheme_count",
    "mastodon_length",
]

X_MAX_WEIGHT = 280
MASTODON_DEFAULT_LIMIT = 500
MASTODON_URL_CHARS = 23
BLUESKY_MAX_GRAPHEMES = 300
BLUESKY_MAX_BYTES = 3000

_GRAPHEME = regex.compile(r"\X")
# A mention of an account on another instance: Mastodon counts only "@name".
_REMOTE_MENTION = regex.compile(r"(?<![\w@])@(\w+)@[\w.-]+\w", regex.UNICODE)


@dataclass(frozen=True)
class MastodonLimits:
    """An instance's post limits (from /api/v2/instance; the defaults when it cannot say)."""

    max_characters: int = MASTODON_DEFAULT_LIMIT
    characters_reserved_per_url: int = MASTODON_URL_CHARS


@dataclass(frozen=True)
class TextCheck:
    """A text measured for one network: its length, the limit, and how far over it is."""

    network: str
    length: int
    limit: int
    unit: str  # "characters", "graphemes" or "bytes": what `length` and `limit` count
    excess: int  # 0 when the text fits

    @property
    def fits(self) -> bool:
        """True when the text is within the network's limit."""
        return self.excess == 0

    def describe(self) -> str:
        """'312/300 graphemes: 12 graphemes too long' (or '... fits')."""
        head = f"{self.length}/{self.limit} {self.unit}"
        if self.fits:
            return f"{head}: fits"
        noun = self.unit if self.excess != 1 else self.unit.removesuffix("s")
        return f"{head}: {self.excess} {noun} too long"


def grapheme_count(text: str) -> int:
    """User-perceived characters (extended grapheme clusters): 👩‍👩‍👧 and é count one each."""
    return len(_GRAPHEME.findall(text))


def mastodon_length(text: str, url_chars: int = MASTODON_URL_CHARS) -> int:
    """The length Mastodon checks against its limit (see the module docstring)."""
    pieces: list[str] = []
    cursor = 0
    for match in extract_urls_with_indices(text):
        if not match.url.lower().startswith(("http://", "https://")):
            continue  # Mastodon gives the URL discount only to links with a scheme
        pieces += [text[cursor : match.start], "x" * url_chars]
        cursor = match.end
    pieces.append(text[cursor:])
    countable = _REMOTE_MENTION.sub(r"@\1", "".join(pieces))
    return grapheme_count(countable)


def _check(network: str, length: int, limit: int, unit: str) -> TextCheck:
    return TextCheck(network, length, limit, unit, max(0, length - limit))


def check_text(network: str, text: str, mastodon: MastodonLimits | None = None) -> TextCheck:
    """Measure `text` for `network`; `mastodon` gives the instance's limits when known.

    For Bluesky the tighter of the two limits is reported: graphemes, unless the text is
    over 3,000 bytes (long scripts) while within 300 graphemes.
    """
    if network == "x":
        return _check(network, weighted_length(text), X_MAX_WEIGHT, "characters")
    if network == "mastodon":
        limits = mastodon or MastodonLimits()
        length = mastodon_length(text, limits.characters_reserved_per_url)
        return _check(network, length, limits.max_characters, "characters")
    if network == "bluesky":
        by_graphemes = _check(network, grapheme_count(text), BLUESKY_MAX_GRAPHEMES, "graphemes")
        by_bytes = _check(network, len(text.encode()), BLUESKY_MAX_BYTES, "bytes")
        return by_bytes if by_bytes.excess and by_graphemes.fits else by_graphemes
    raise ValueError(f"unknown network {network!r}")
