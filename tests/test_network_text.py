"""Each network's own text rule, measured the network's way (pure)."""

from __future__ import annotations

import pytest

from launchkit.domain.networks.facets import detect_facets
from launchkit.domain.networks.text_rules import (
    MastodonLimits,
    check_text,
    grapheme_count,
    mastodon_length,
)

FAMILY = "👩\u200d👩\u200d👧"  # one grapheme: 5 code points, 18 UTF-8 bytes


@pytest.mark.parametrize(
    ("text", "graphemes"),
    [("café", 4), ("cafe\u0301", 4), (FAMILY, 1), ("🇫🇷🇩🇪", 2), ("👍🏽", 1), ("", 0)],
)
def test_graphemes_are_what_a_person_counts(text: str, graphemes: int) -> None:
    assert grapheme_count(text) == graphemes


def test_bluesky_counts_300_graphemes_and_3000_bytes() -> None:
    assert check_text("bluesky", "é" * 300).fits  # 300 graphemes, 600 bytes
    over = check_text("bluesky", "é" * 312)
    assert (over.excess, over.unit) == (12, "graphemes")
    assert over.describe() == "312/300 graphemes: 12 graphemes too long"


def test_bluesky_bytes_limit_applies_when_graphemes_fit() -> None:
    text = FAMILY * 170  # 170 graphemes, 3,060 bytes
    result = check_text("bluesky", text)
    assert (result.length, result.limit, result.unit, result.excess) == (3060, 3000, "bytes", 60)


def test_mastodon_counts_every_url_as_23_and_remote_mentions_by_name() -> None:
    url = "https://example.org/" + "a" * 80
    assert mastodon_length(f"see {url}") == 4 + 23
    assert mastodon_length("hi @ada@example.social") == len("hi @ada")
    assert mastodon_length("example.org without scheme") == len("example.org without scheme")
    assert mastodon_length(f"{FAMILY} é") == 3


def test_mastodon_limit_is_the_instances() -> None:
    text = "x" * 600
    assert check_text("mastodon", text).describe() == "600/500 characters: 100 characters too long"
    assert check_text("mastodon", text, MastodonLimits(max_characters=1000)).fits
    long_link = "https://example.org/" + "p" * 600
    assert check_text("mastodon", f"Join us {long_link}").fits


def test_x_keeps_twitter_text_weights() -> None:
    assert check_text("x", "字" * 141).excess == 2
    assert check_text("x", "a" * 280).fits


def test_an_unknown_network_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown network"):
        check_text("myspace", "hi")


def test_facets_span_the_hash_and_the_tag_and_links_lose_trailing_punctuation() -> None:
    text = "Señora 🙂 #TagÜ, see example.com. (https://a.org/x) #123 word#not #ok!"
    found = [(f.kind, f.value, text[f.start : f.end]) for f in detect_facets(text)]
    assert found == [
        ("tag", "TagÜ", "#TagÜ"),
        ("link", "https://example.com", "example.com"),
        ("link", "https://a.org/x", "https://a.org/x"),
        ("tag", "ok", "#ok"),
    ]
    for facet in detect_facets(text):
        assert (
            text.encode()[facet.byte_start : facet.byte_end].decode()
            == text[facet.start : facet.end]
        )


def test_bare_domains_need_a_known_top_level_domain() -> None:
    # .md is Moldova's country domain; .notatld is no domain at all.
    assert [f.value for f in detect_facets("file.notatld and readme.md")] == ["https://readme.md"]
