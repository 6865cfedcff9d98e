"""What a chat host notices about tweet length and hashtags."""

from __future__ import annotations

import pytest

from launchkit.tweet_text import (
    extract_hashtags,
    extract_hashtags_with_indices,
    extract_urls,
    is_valid_hashtag,
    is_valid_tweet,
    parse_tweet,
    weighted_length,
)


def test_question_tweet_counts_each_latin_character_once() -> None:
    text = "Q1: What got you into making games? #IndieDevHour"
    assert weighted_length(text) == len(text) == 49


def test_any_url_counts_23() -> None:
    url = "https://example.org/indiedevhour/archive/2027/01/12/transcript?utm_source=x"
    assert weighted_length(url) == 23
    assert weighted_length(f"Recap: {url}") == len("Recap: ") + 23
    assert extract_urls(f"Recap: {url} see you!") == [url]


def test_url_without_protocol_counts_23() -> None:
    assert weighted_length("example.org/indiedevhour") == 23


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("👨\u200d👩\u200d👧\u200d👦", 2),  # a ZWJ family is one emoji
        ("🇬🇧", 2),  # a flag is two code points, one emoji
        ("👋🏽", 2),  # skin tone modifier
        ("1\ufe0f\u20e3", 2),  # keycap
        ("🎮🎮", 4),
        ("©", 1),  # text-style © is a Latin-1 character
        ("©\ufe0f", 2),  # emoji-style © is an emoji
    ],
)
def test_emoji_sequences_count_two(text: str, expected: int) -> None:
    assert weighted_length(text) == expected


def test_cjk_counts_two() -> None:
    assert weighted_length("日本語") == 6


def test_text_is_nfc_normalised_before_counting() -> None:
    assert weighted_length("Cafe\u0301") == weighted_length("Café") == 4


def test_280_fits_and_281_does_not() -> None:
    assert is_valid_tweet("x" * 280)
    assert not is_valid_tweet("x" * 281)
    assert not is_valid_tweet("日" * 141)


@pytest.mark.parametrize("text", ["", "   \n", "ok\ufffe", "\ufeffhello"])
def test_blank_text_and_invalid_characters_are_not_tweets(text: str) -> None:
    assert not is_valid_tweet(text)


def test_parse_reports_how_much_fits() -> None:
    parsed = parse_tweet("x" * 300)
    assert parsed.weighted_length == 300
    assert not parsed.valid
    assert parsed.permillage == 1071
    assert parsed.display_range == (0, 299)
    assert parsed.valid_range == (0, 279)


@pytest.mark.parametrize(
    ("tag", "valid"),
    [
        ("#IndieDevHour", True),
        ("＃IndieDevHour", True),  # full-width hash sign
        ("#1st", True),
        ("#2030", False),  # needs at least one letter
        ("IndieDevHour", False),  # no hash sign
        ("#foo-bar", False),  # only "#foo" is the hashtag
        ("#Indie DevHour", False),
        ("#", False),
        ("#日本語", True),
        ("#русский", True),
    ],
)
def test_is_valid_hashtag(tag: str, valid: bool) -> None:
    assert is_valid_hashtag(tag) is valid


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("#foo-bar", ["foo"]),
        ("A1: love this! #IndieDevHour #gamedev", ["IndieDevHour", "gamedev"]),
        ("See https://example.org/#IndieDevHour", []),  # inside a URL
        ("#tag#other", []),  # a hash sign right after a tag
        ("#http://example.org", []),
        ("me&#39;s", []),  # an HTML entity, not a hashtag
        ("#2030 goals", []),
        ("#IndieDevHour's recap", ["IndieDevHour"]),
    ],
)
def test_extract_hashtags(text: str, tags: list[str]) -> None:
    assert extract_hashtags(text) == tags


def test_hashtag_offsets_start_at_the_hash_sign() -> None:
    text = "Q1 🎮 #IndieDevHour"
    (found,) = extract_hashtags_with_indices(text)
    assert (found.hashtag, found.start, found.end) == ("IndieDevHour", 5, 18)
    assert text[found.start : found.end] == "#IndieDevHour"
