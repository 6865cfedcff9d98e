"""URL extraction as twitter-text does it (extractUrlsWithIndices).

X counts every URL it recognises as 23 characters, and a `#` inside a URL is not a hashtag, so
launchkit needs twitter-text's notion of "a URL": a known TLD, an optional protocol, path and
query, and without a protocol only the ASCII domains ("example.com", not "例え.com").
Offsets are Python `str` indices, half-open.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from launchkit.domain.tweet._tlds import COUNTRY_TLDS, GENERIC_TLDS

__all__ = ["UrlMatch", "extract_urls", "extract_urls_with_indices"]

# Longest URL twitter-text accepts (protocol included); longer ones are plain text.
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_DOMAIN_LABEL_LENGTH = 63
_DEFAULT_PROTOCOL = "https://"

_INVALID_CHARS = "\ufffe\ufeff\uffff"
_DIRECTIONAL_CHARS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_SPACES = "\x09-\x0d\x20\x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# ASCII punctuation that ends a domain label.
_PUNCTUATION = r"!\"#$%&'()*+,\\\-./:;<=>?@\[\]^_`{|}~"
_LATIN_ACCENTS = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259"
    "\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = "\u0400-\u04ff"

# Anything that is not punctuation, a space, an invalid or a directional character may be part
# of a (possibly internationalised) domain label.
_DOMAIN_CHAR = f"[^{_PUNCTUATION}{_SPACES}{_INVALID_CHARS}{_DIRECTIONAL_CHARS}]"
_SUBDOMAIN = f"(?>(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_DOMAIN_NAME = f"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
# A TLD must end the domain: "domain.com-that" has no TLD.
_TLD_END = r"(?=[^0-9a-z@+-]|\Z)"
_PUNYCODE = r"(?:xn--[\-0-9a-z]+)"

_PATH_CHAR = f"[a-z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~@|&{_LATIN_ACCENTS}]"
# Up to two levels of balanced parentheses, as in Wikipedia's /Primer_(film).
_BALANCED_PARENS = f"\\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*))\\)"
# A path does not end in punctuation, so "see example.com/foo." leaves the full stop out.
_PATH_END = f"(?:[+\\-a-z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]|{_BALANCED_PARENS})"
_PATH = f"(?:(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:@{_PATH_CHAR}+/))"
_QUERY_CHAR = r"[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]"
_QUERY_END = r"[a-z0-9\-_&=#/]"
_PRECEDING = f"(?:[^a-z0-9@＠$#＃{_INVALID_CHARS}]|[{_DIRECTIONAL_CHARS}]|^)"


@dataclass(frozen=True)
class UrlMatch:
    """A URL found in text: `text[start:end] == url` (Python string offsets)."""

    url: str
    start: int
    end: int


@dataclass(frozen=True)
class _Patterns:
    extract: re.Pattern[str]
    ascii_domain: re.Pattern[str]
    tco: re.Pattern[str]


_Trie = dict[str, "_Trie"]


def _alternation(tlds: tuple[str, ...]) -> str:
    """A regex matching any of `tlds`, shaped as a trie.

    A flat alternation of ~1,600 TLDs is tried one by one at every candidate position, which
    makes text like "a.a.a.a…" take seconds; the trie needs a few steps per character.
    """
    root: _Trie = {}
    for tld in tlds:
        node = root
        for char in tld:
            node = node.setdefault(char, {})
        node[""] = {}  # marks the end of a TLD
    return _trie_pattern(root)


def _trie_pattern(node: _Trie) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in node.items() if char]
    if not branches:
        return ""
    group = "(?:" + "|".join(branches) + ")"
    # An optional group is greedy, so a longer TLD ("com") is tried before its prefix ("co").
    return group + "?" if "" in node else group


@functools.cache
def _patterns() -> _Patterns:
    # Compiled on first use (~50 ms), as most imports of this module never need it.
    gtld = f"(?:{_alternation(GENERIC_TLDS)}{_TLD_END})"
    cctld = f"(?:{_alternation(COUNTRY_TLDS)}{_TLD_END})"
    # At most 127 labels, as in DNS; unbounded, text like "a.a.a.a…" takes quadratic time.
    domain = f"(?:{_SUBDOMAIN}{{0,126}}{_DOMAIN_NAME}(?:{gtld}|{cctld}|{_PUNYCODE}))"
    extract = (
        f"({_PRECEDING})"  # 1: the character before the URL
        f"((https?://)?"  # 2: the URL, 3: protocol
        f"({domain})"  # 4: domain
        r"(?::([0-9]+))?"  # 5: port
        f"(/{_PATH}*+)?"  # 6: path
        f"(\\?{_QUERY_CHAR}*{_QUERY_END})?)"  # 7: query
    )
    ascii_domain = f"(?:(?:[\\-a-z0-9{_LATIN_ACCENTS}]+)\\.)+(?:{gtld}|{cctld}|{_PUNYCODE})"
    tco = f"^https?://t\\.co/([a-z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_END})?"
    return _Patterns(
        extract=re.compile(extract, re.IGNORECASE),
        ascii_domain=re.compile(ascii_domain, re.IGNORECASE),
        tco=re.compile(tco, re.IGNORECASE),
    )


def _label_is_valid(label: str) -> bool:
    # Mirrors punycode.toASCII: non-ASCII labels become "xn--" + punycode, and ideographic
    # full stops also separate labels there.
    parts = re.split("[\u3002\uff0e\uff61]", label)
    encoded: list[str] = []
    for part in parts:
        if part.isascii():
            encoded.append(part)
            continue
        try:
            encoded.append("xn--" + part.encode("punycode").decode("ascii"))
        except UnicodeError:
            return False
    length = len(".".join(encoded))
    return 1 <= length <= _MAX_DOMAIN_LABEL_LENGTH


def _is_valid_url(url: str, protocol: str, domain: str) -> bool:
    if domain.lower().startswith("xn--") and not _patterns().ascii_domain.search(domain):
        return False
    if not all(_label_is_valid(label) for label in domain.split(".")):
        return False
    return len(protocol) + len(url) <= _MAX_URL_LENGTH


def _without_protocol(match: re.Match[str], found: list[UrlMatch]) -> None:
    """Add the ASCII domains inside a protocol-less match, as twitter-text does."""
    patterns = _patterns()
    url: str = match.group(2)
    domain: str = match.group(4)
    path: str | None = match.group(6)
    offset = match.start(4)
    domains = [
        UrlMatch(found.group(0), offset + found.start(), offset + found.end())
        for found in patterns.ascii_domain.finditer(domain)
    ]
    if domains and path:
        # The port, path and query belong to the last domain found.
        last = domains[-1]
        domains[-1] = UrlMatch(last.url + url[len(domain) :], last.start, match.end(2))
    found.extend(domains)


def extract_urls_with_indices(text: str) -> list[UrlMatch]:
    """URLs in `text` with their offsets, in order (twitter-text rules, protocol optional)."""
    if "." not in text:
        return []
    patterns = _patterns()
    found: list[UrlMatch] = []
    for match in patterns.extract.finditer(text):
        url: str = match.group(2)
        protocol: str | None = match.group(3)
        start, end = match.start(2), match.end(2)
        if not _is_valid_url(url, protocol or _DEFAULT_PROTOCOL, match.group(4)):
            continue
        if not protocol:
            if match.group(1)[-1:] in ("-", "_", ".", "/"):
                continue
            _without_protocol(match, found)
            continue
        tco = patterns.tco.match(url)
        if tco:
            # t.co links take no path beyond the slug; anything after it is plain text.
            if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                continue
            url = tco.group(0)
            end = start + len(url)
        found.append(UrlMatch(url, start, end))
    return found


def extract_urls(text: str) -> list[str]:
    """URLs in `text`, in order of appearance."""
    return [match.url for match in extract_urls_with_indices(text)]
