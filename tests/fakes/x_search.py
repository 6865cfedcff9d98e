"""The fake X API with recent search (GET /2/tweets/search/recent), as X's v2 documents it.

    with FakeXSearch(now=datetime(2027, 3, 3, 4, 0, tzinfo=UTC)) as x:
        first = x.add_tweet("Q1: Why games? #IndieDevHour", username="ada_example", at=...)
        x.add_tweet("A1 Because #indiedevhour", username="bob", at=..., reply_to=first)

A query is matched by its hashtags (any letter case, as X matches them) and words;
`start_time`/`end_time` (ISO 8601, end exclusive) must lie within the last 7 days and
`end_time` at least 10 seconds before now; `max_results` is 10..100; newest first, paged by
`next_token`. Only the default fields (id, text, edit_history_tweet_ids) come unless
`tweet.fields` asks for more; `expansions=author_id` adds `includes.users` with the
`user.fields` asked for. Text is HTML-escaped (&amp; &lt; &gt;) as X sends it.
"""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.servers import FakeRequest, FakeResponse
from tests.fakes.x_api import FakeXApi, problem

_TAG = re.compile(r"#(\w+)")
_FIRST_SEARCH_ID = 1_870_000_000_000_000_000


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _invalid(detail: str) -> FakeResponse:
    body = problem(400, "Invalid Request", "One or more parameters to your request was invalid.")
    return FakeResponse(400, {**body, "errors": [{"message": detail}]})


class FakeXSearch(FakeXApi):
    """FakeXApi plus other people's posts and the recent search that finds them."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tweets: list[dict[str, Any]] = []
        self.users: dict[str, dict[str, str]] = {}
        self.route("GET /2/tweets/search/recent", self._search_recent)

    def add_tweet(
        self, text: str, *, username: str, at: datetime, reply_to: str | None = None
    ) -> str:
        """A public post by ``username`` at ``at``; returns its id."""
        user = self.users.setdefault(
            username,
            {
                "id": str(2_000_000 + len(self.users)),
                "username": username,
                "name": username.title(),
            },
        )
        tweet_id = str(_FIRST_SEARCH_ID + len(self.tweets))
        parent = next((t for t in self.tweets if t["id"] == reply_to), None)
        self.tweets.append(
            {
                "id": tweet_id,
                "text": html.escape(text, quote=False),
                "author_id": user["id"],
                "created_at": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "conversation_id": parent["conversation_id"] if parent else tweet_id,
                **(
                    {
                        "in_reply_to_user_id": parent["author_id"],
                        "referenced_tweets": [{"type": "replied_to", "id": reply_to}],
                    }
                    if parent
                    else {}
                ),
            }
        )
        return tweet_id

    def _matches(self, query: str, tweet: dict[str, Any]) -> bool:
        text = html.unescape(tweet["text"]).lower()
        tags = {t.lower() for t in _TAG.findall(text)}
        for term in query.split():
            if term.startswith("#"):
                if term[1:].lower() not in tags:
                    return False
            elif term.lower() not in text:
                return False
        return True

    def _search_recent(self, request: FakeRequest) -> FakeResponse:
        query = request.arg("query") or ""
        now = self._now()
        try:
            start = _time(request.arg("start_time") or (now - timedelta(days=7)).isoformat())
            end = _time(request.arg("end_time") or (now - timedelta(seconds=30)).isoformat())
            size = int(request.arg("max_results") or 10)
            offset = int(request.arg("next_token") or 0)
        except ValueError:
            return _invalid("a parameter is not valid")
        if not query:
            return _invalid("query is required")
        if not 10 <= size <= 100:
            return _invalid(
                f"The `max_results` query parameter value [{size}] is not between 10 and 100"
            )
        if start < now - timedelta(days=7):
            return _invalid(
                "Invalid 'start_time':'...'. 'start_time' must be on or after 7 days ago"
            )
        if end > now - timedelta(seconds=10):
            return _invalid(
                "Invalid 'end_time': it must be a minimum of 10 seconds prior to the request time"
            )
        found = sorted(
            (
                t
                for t in self.tweets
                if start <= _time(t["created_at"]) < end and self._matches(query, t)
            ),
            key=lambda t: int(t["id"]),
            reverse=True,
        )
        page = found[offset : offset + size]
        fields = set((request.arg("tweet.fields") or "").split(","))
        data = [
            {"edit_history_tweet_ids": [t["id"]]}
            | {k: v for k, v in t.items() if k in {"id", "text"} | fields}
            for t in page
        ]
        meta: dict[str, Any] = {"result_count": len(page)}
        if page:
            meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
        if offset + size < len(found):
            meta["next_token"] = str(offset + size)
        body: dict[str, Any] = {"meta": meta}
        if page:
            body["data"] = data
            if "author_id" in (request.arg("expansions") or "").split(","):
                wanted = set((request.arg("user.fields") or "").split(",")) | {
                    "id",
                    "name",
                    "username",
                }
                ids = {t["author_id"] for t in page}
                body["includes"] = {
                    "users": [
                        {k: v for k, v in u.items() if k in wanted}
                        for u in self.users.values()
                        if u["id"] in ids
                    ]
                }
        return FakeResponse(200, body)
