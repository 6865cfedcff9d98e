"""twitter-text's own conformance cases, loaded as is from tests/conformance/twitter-text.

Upstream asks implementations to load the YAML at test time rather than copy the cases into
code. Upstream ranges are UTF-16 indices; launchkit returns Python offsets, converted here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from launchkit.domain.tweet.text import (
    V2_CONFIG,
    V3_CONFIG,
    TweetConfig,
    TweetParse,
    extract_hashtags,
    extract_hashtags_with_indices,
    is_valid_hashtag,
    parse_tweet,
)
from launchkit.domain.tweet.urls import extract_urls, extract_urls_with_indices

CONFORMANCE = Path(__file__).resolve().parent / "conformance" / "twitter-text"


def _cases(file: str, group: str) -> list[Any]:
    with (CONFORMANCE / file).open(encoding="utf-8") as handle:
        cases = yaml.safe_load(handle)["tests"][group]
    return [pytest.param(case, id=case["description"]) for case in cases]


def _utf16_end(text: str, last: int) -> int:
    """The UTF-16 index of the last code unit of `text[last]` (-1 stays -1)."""
    return len(text[: last + 1].encode("utf-16-le")) // 2 - 1


def _as_upstream(text: str, parsed: TweetParse) -> dict[str, Any]:
    return {
        "weightedLength": parsed.weighted_length,
        "valid": parsed.valid,
        "permillage": parsed.permillage,
        "displayRangeStart": parsed.display_range[0],
        "displayRangeEnd": _utf16_end(text, parsed.display_range[1]),
        "validRangeStart": parsed.valid_range[0],
        "validRangeEnd": _utf16_end(text, parsed.valid_range[1]),
    }


def _check_parse(case: dict[str, Any], config: TweetConfig) -> None:
    text = case["text"]
    assert _as_upstream(text, parse_tweet(text, config)) == case["expected"]


@pytest.mark.parametrize(
    "case", _cases("validate.yml", "WeightedTweetsWithDiscountedEmojiCounterTest")
)
def test_weighted_length_v3(case: dict[str, Any]) -> None:
    _check_parse(case, V3_CONFIG)


@pytest.mark.parametrize("case", _cases("validate.yml", "UnicodeDirectionalMarkerCounterTest"))
def test_directional_markers(case: dict[str, Any]) -> None:
    _check_parse(case, V3_CONFIG)


@pytest.mark.parametrize("case", _cases("validate.yml", "WeightedTweetsCounterTest"))
def test_weighted_length_v2(case: dict[str, Any]) -> None:
    _check_parse(case, V2_CONFIG)


@pytest.mark.parametrize("case", _cases("validate.yml", "hashtags"))
def test_is_valid_hashtag(case: dict[str, Any]) -> None:
    assert is_valid_hashtag(case["text"]) is case["expected"]


@pytest.mark.parametrize(
    "case", _cases("extract.yml", "hashtags") + _cases("extract.yml", "hashtags_from_astral")
)
def test_extract_hashtags(case: dict[str, Any]) -> None:
    assert extract_hashtags(case["text"]) == case["expected"]


@pytest.mark.parametrize("case", _cases("extract.yml", "hashtags_with_indices"))
def test_extract_hashtags_with_indices(case: dict[str, Any]) -> None:
    found = extract_hashtags_with_indices(case["text"])
    got = [{"hashtag": tag.hashtag, "indices": [tag.start, tag.end]} for tag in found]
    assert got == case["expected"]


@pytest.mark.parametrize(
    "case", _cases("extract.yml", "urls") + _cases("extract.yml", "tco_urls_with_params")
)
def test_extract_urls(case: dict[str, Any]) -> None:
    assert extract_urls(case["text"]) == case["expected"]


@pytest.mark.parametrize(
    "case",
    _cases("extract.yml", "urls_with_indices")
    + _cases("extract.yml", "urls_with_directional_markers"),
)
def test_extract_urls_with_indices(case: dict[str, Any]) -> None:
    found = extract_urls_with_indices(case["text"])
    got = [{"url": url.url, "indices": [url.start, url.end]} for url in found]
    assert got == case["expected"]
