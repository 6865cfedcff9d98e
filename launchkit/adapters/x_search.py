"""Reading a hashtag's posts over a span of time from X (GET /2/tweets/search/recent).

Paid: every call is priced like a count call (`price_count_usd`), so the CLI shows the most
this can cost and asks first; `MAX_CALLS` pages of 100 posts bound it. Recent search reaches
back 7 days and its `end_time` must be at least 10 seconds in the past. Uses the app-only
bearer token; tweepy is imported only when a reader is built.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from launchkit.adapters.x_counts import _client, _translate
from launchkit.domain.recap.posts import Post
from launchkit.errors import CredentialsError, RemoteError
from launchkit.settings import Settings

__all__ = ["MAX_CALLS", "XTagReader", "x_tag_reader"]

MAX_CALLS = 10  # 1,000 posts; each call is paid
PAGE = 100
REACH = timedelta(days=7)
_FRESH = timedelta(seconds=10)  # X refuses an end_time closer to now than this


def _post(tweet: Any, users: dict[str, Any]) -> Post:
    author = users.get(str(tweet.author_id))
    username = str(getattr(author, "username", "") or tweet.author_id)
    replied = next(
        (str(r.id) for r in tweet.referenced_tweets or [] if r.type == "replied_to"), None
    )
    return Post(
        network="x",
        post_id=str(tweet.id),
        handle=username,
        display_name=str(getattr(author, "name", "") or ""),
        created_at=tweet.created_at,
        text=html.unescape(str(tweet.text)),  # X sends &amp; &lt; &gt; in post text
        url=f"https://x.com/{username}/status/{tweet.id}",
        reply_to=replied,
    )


class XTagReader:
    """Posts with a tag on X over the last 7 days (paid per call)."""

    network = "x"
    paid = True

    def __init__(
        self, client: Any, clock: Callable[[], datetime], max_calls: int = MAX_CALLS
    ) -> None:
        self.client, self.clock, self.max_calls = client, clock, max_calls
        self.truncated = False  # the call limit was reached before the end of the span

    def read(self, tag: str, start: datetime, end: datetime) -> list[Post]:
        """Every post with `tag` created in [start, end), at most `max_calls` pages."""
        import requests
        import tweepy

        now = self.clock()  # the live room reads again and again: the time of this read
        self.truncated = False
        if start < now - REACH:
            raise RemoteError(
                "X's recent search reaches back 7 days only",
                hint="recap a session within a week of it",
            )
        params: dict[str, Any] = {
            "query": f"#{tag.lstrip('#＃')}",
            "start_time": start,
            "end_time": min(end, now - _FRESH),
            "max_results": PAGE,
            "tweet_fields": ["created_at", "author_id", "conversation_id", "referenced_tweets"],
            "expansions": ["author_id"],
            "user_fields": ["username", "name"],
        }
        found: list[Post] = []
        for _ in range(self.max_calls):
            try:
                answer = self.client.search_recent_tweets(**params)
            except (tweepy.errors.TweepyException, requests.exceptions.RequestException) as exc:
                raise _translate(exc, now) from None
            users = {str(u.id): u for u in (answer.includes or {}).get("users", [])}
            found += [_post(t, users) for t in answer.data or []]
            token = (answer.meta or {}).get("next_token")
            if not token:
                return found
            params["next_token"] = token
        self.truncated = True
        return found


def x_tag_reader(
    settings: Settings, clock: Callable[[], datetime], max_calls: int = MAX_CALLS
) -> XTagReader:
    """A reader with the app-only bearer token (at most `max_calls` paid calls a read), or
    say that there is none."""
    if not settings.x_bearer_token:
        raise CredentialsError(
            "no X bearer token", hint="set LAUNCHKIT_X_BEARER_TOKEN (the app's bearer token)"
        )
    return XTagReader(_client(settings), clock, max_calls)
