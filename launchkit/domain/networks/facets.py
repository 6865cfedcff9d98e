"""Bluesky rich-text facets: which bytes of a post are a hashtag or a link (pure).

A Bluesky post's text is plain; a hashtag or a link is clickable (and a hashtag is indexed for
search) only when the record carries an `app.bsky.richtext.facet` whose `index` gives its
UTF-8 byte range (`byteStart` inclusive, `byteEnd` exclusive). Detection follows Bluesky's
own app (@atproto/api `detectFacets`): a tag starts at a `#` after a space or the start of
the text, may not be only digits, loses trailing punctuation, is at most 64 characters, and
its facet spans the `#` and the tag; a link is an http(s) URL or a bare domain with a known
top-level domain (then given `https://`), without a trailing `.,;:!?` or an unmatched `)`.

>>> text = "Café ☕ #ChatHour"
>>> facet = bluesky_facets(text)[0]
>>> text.encode()[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode()
'#ChatHour'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import regex

from launchkit.domain.tweet._tlds import COUNTRY_TLDS, GENERIC_TLDS

__all__ = ["Facet", "bluesky_facets", "detect_facets"]

TAG_FEATURE = "app.bsky.richtext.facet#tag"
LINK_FEATURE = "app.bsky.richtext.facet#link"
MAX_TAG_LENGTH = 64

_INVISIBLE = "\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2"
_TAG = regex.compile(
    rf"(^|\s)[#＃]((?!\ufe0f)[^\s{_INVISIBLE}]*[^\d\s\p{{P}}{_INVISIBLE}]+[^\s{_INVISIBLE}]*)?",
    regex.UNICODE,
)
_TRAILING_PUNCTUATION = regex.compile(r"\p{P}+$")
_URL = regex.compile(
    r"(^|\s|\()((https?://\S+)|((?P<domain>[a-z][a-z0-9]*(\.[a-z0-9]+)+)\S*))",
    regex.IGNORECASE | regex.MULTILINE,
)


@dataclass(frozen=True)
class Facet:
    """One facet: a range of the text (Python offsets and UTF-8 bytes) and what it is."""

    kind: str  # "tag" or "link"
    value: str  # the tag without '#', or the link's URI
    start: int  # Python string offsets, half-open
    end: int
    byte_start: int
    byte_end: int

    def as_record(self) -> dict[str, Any]:
        """The facet as it goes into an app.bsky.feed.post record."""
        feature: dict[str, str] = (
            {"$type": TAG_FEATURE, "tag": self.value}
            if self.kind == "tag"
            else {"$type": LINK_FEATURE, "uri": self.value}
        )
        return {
            "index": {"byteStart": self.byte_start, "byteEnd": self.byte_end},
            "features": [feature],
        }


def _known_domain(domain: str) -> bool:
    tld = domain.rsplit(".", 1)[-1].lower()
    return tld in GENERIC_TLDS or tld in COUNTRY_TLDS


def _links(text: str) -> list[tuple[str, int, int]]:
    found = []
    for match in _URL.finditer(text):
        uri, start = match.group(2), match.start(2)
        if not uri.lower().startswith("http"):
            if not _known_domain(match.group("domain")):
                continue
            uri = f"https://{uri}"
        end = match.end(2)
        if uri[-1] in ".,;:!?":
            uri, end = uri[:-1], end - 1
        if uri.endswith(")") and "(" not in uri:
            uri, end = uri[:-1], end - 1
        found.append((uri, start, end))
    return found


def _tags(text: str) -> list[tuple[str, int, int]]:
    found = []
    for match in _TAG.finditer(text):
        tag = match.group(2)
        if not tag:
            continue
        tag = _TRAILING_PUNCTUATION.sub("", tag.strip())
        if not tag or len(tag) > MAX_TAG_LENGTH:
            continue
        start = match.start() + len(match.group(1))
        found.append((tag, start, start + 1 + len(tag)))
    return found


def detect_facets(text: str) -> list[Facet]:
    """Every link and hashtag of `text`, in order of their position."""

    def byte(offset: int) -> int:
        return len(text[:offset].encode())

    facets = [Facet("link", uri, s, e, byte(s), byte(e)) for uri, s, e in _links(text)]
    facets += [Facet("tag", tag, s, e, byte(s), byte(e)) for tag, s, e in _tags(text)]
    return sorted(facets, key=lambda f: (f.start, f.kind))


def bluesky_facets(text: str) -> list[dict[str, Any]]:
    """The `facets` of an app.bsky.feed.post record for `text` (empty when there are none)."""
    return [facet.as_record() for facet in detect_facets(text)]
