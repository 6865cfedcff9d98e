"""Public API for tweet text: X's weighted length and hashtag rules (twitter-text, v3).

>>> weighted_length("Q1: What got you into making games? #IndieDevHour")
49
>>> extract_hashtags("A1: loving #IndieDevHour and #gamedev!")
['IndieDevHour', 'gamedev']
"""

from launchkit.domain.tweet.text import (
    extract_hashtags,
    extract_hashtags_with_indices,
    is_valid_hashtag,
    is_valid_tweet,
    parse_tweet,
    weighted_length,
)
from launchkit.domain.tweet.urls import extract_urls

__all__ = [
    "extract_hashtags",
    "extract_hashtags_with_indices",
    "extract_urls",
    "is_valid_hashtag",
    "is_valid_tweet",
    "parse_tweet",
    "weighted_length",
]
