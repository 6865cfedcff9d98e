"""A fake X API v2 (the few endpoints launchkit uses), speaking X's documented JSON.

In-process::

    with FakeXApi() as x:
        client = tweepy.Client(consumer_key="ck", consumer_secret="cs",
                               access_token="at", access_token_secret="ats")
        mount_base_url(client.session, x.base_url, X_HOSTS)
        x.set_counts("#IndieDevHour", [3, 0, 5])
        x.fail_next("POST /2/tweets", 429, RATE_LIMITED, {"x-rate-limit-reset": "1700000000"})

Standalone (the server outlives a SIGKILLed client; posts persist in the state file)::

    python -m tests.fakes.x_api --port-file PORT_FILE --state STATE.json

and from a test, :class:`XApiProcess` starts that and scripts it over ``/_fake/`` endpoints.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from tests.fakes.servers import (
    JSON,
    FakeRequest,
    FakeResponse,
    FakeServer,
    ServerProcess,
    serve_until_killed,
)

X_HOSTS = ("https://api.twitter.com", "https://api.x.com")


def problem(status: int, title: str, detail: str, kind: str = "about:blank") -> dict[str, JSON]:
    """An X API v2 problem body (RFC 7807 style, as X returns it)."""
    return {"title": title, "detail": detail, "type": kind, "status": status}


UNAUTHORIZED = problem(401, "Unauthorized", "Unauthorized")
DUPLICATE = problem(
    403, "Forbidden", "You are not allowed to create a Tweet with duplicate content."
)
UNSUPPORTED_AUTH = problem(
    403,
    "Unsupported Authentication",
    "Authenticating with OAuth 2.0 Application-Only is forbidden for this endpoint."
    "  Supported authentication types are [OAuth 1.0a User Context, OAuth 2.0 User Context].",
    "https://api.twitter.com/2/problems/unsupported-authentication",
)
RATE_LIMITED = problem(429, "Too Many Requests", "Too Many Requests")
# Shape as reported by users of pay-per-use X API accounts that ran out of credits.
CREDITS_DEPLETED = problem(
    402,
    "CreditsDepleted",
    "Your enrolled account [0] does not have any credits to fulfill this request.",
    "https://api.twitter.com/2/problems/credits",
)
SERVER_ERROR = problem(500, "Internal Server Error", "Internal Server Error")
SERVICE_UNAVAILABLE = problem(503, "Service Unavailable", "Service Unavailable")

_BUCKET = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
_DEFAULT_BUCKETS = {"minute": 60, "hour": 7 * 24, "day": 7}
_FIRST_ID = 1_860_000_000_000_000_000  # snowflake-sized ids, like real post ids
_URL = re.compile(r"https?://[^\s]+")


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def as_x_shows(text: str) -> tuple[str, list[dict[str, JSON]]]:
    """A post's text as X gives it back, with its URL entities.

    X wraps every link in a t.co link (the original is the entity's ``expanded_url``) and
    returns ``&``, ``<`` and ``>`` as HTML entities.
    """
    shown, entities, offset = "", [], 0
    for match in _URL.finditer(text):
        url = match.group()
        short = "https://t.co/" + hashlib.sha256(url.encode()).hexdigest()[:10]
        shown += html.escape(text[offset : match.start()], quote=False)
        start = len(shown)
        shown += short
        entities.append(
            {
                "start": start,
                "end": len(shown),
                "url": short,
                "expanded_url": url,
                "display_url": url.split("://", 1)[1][:24],
            }
        )
        offset = match.end()
    return shown + html.escape(text[offset:], quote=False), entities


class FakeXApi(FakeServer):
    """Fake X API v2: post, read own posts, who-am-I, recent counts; optional JSON state file."""

    def __init__(
        self,
        *,
        user_id: str = "1500000000000000001",
        username: str = "launchkit_test",
        name: str = "Launchkit Test",
        bearer_token: str = "test-bearer-token",
        user_bearer_tokens: Sequence[str] = (),
        consumer_key: str | None = None,
        state_path: str | Path | None = None,
        now: datetime | Callable[[], datetime] | None = None,
    ) -> None:
        """``bearer_token`` is the app-only token; ``consumer_key`` None accepts any OAuth 1.0a.

        ``now`` fixes the clock used for count buckets and ``created_at``: a moment, or a
        clock to share with the code under test.
        """
        super().__init__()
        self.user = {"id": user_id, "name": name, "username": username}
        self.bearer_token = bearer_token
        self.user_bearer_tokens = set(user_bearer_tokens)
        self.consumer_key = consumer_key
        self.state_path = Path(state_path) if state_path else None
        self.now = now
        self.counts: dict[str, list[int]] = {}
        self.posts: list[dict[str, str]] = []
        self._state_lock = threading.Lock()
        if self.state_path and self.state_path.exists():
            self.posts = json.loads(self.state_path.read_text(encoding="utf-8"))["posts"]
        self.route("GET /2/tweets/counts/recent", self._counts_recent)
        self.route("POST /2/tweets", self._create_tweet)
        self.route("GET /2/users/me", self._users_me)
        self.route("GET /2/users/:id/tweets", self._users_tweets)
        self.route("GET /_fake/posts", lambda _: FakeResponse(200, self.posted()))
        self.route("POST /_fake/counts", self._control_counts)

    # -- test helpers ---------------------------------------------------------------------

    def set_counts(self, query_or_hashtag: str, buckets: Sequence[int]) -> None:
        """Per-bucket counts (oldest first) for a query, or any query containing a hashtag."""
        with self._state_lock:
            self.counts[query_or_hashtag.lower()] = list(buckets)

    def posted(self) -> list[dict[str, str]]:
        """The posts created so far, oldest first."""
        with self._state_lock:
            return [dict(p) for p in self.posts]

    def posted_texts(self) -> list[str]:
        """The texts posted so far, oldest first."""
        return [p["text"] for p in self.posted()]

    def fail_next_rate_limited(self, route: str, reset_epoch: int) -> None:
        """Answer the next request to ``route`` with 429 and ``x-rate-limit-reset``."""
        self.fail_next(
            route,
            429,
            RATE_LIMITED,
            {
                "x-rate-limit-limit": "100",
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(reset_epoch),
            },
        )

    def fail_next_credits_depleted(self, route: str) -> None:
        """Answer the next request to ``route`` with 402 as an out-of-credit account gets."""
        self.fail_next(route, 402, CREDITS_DEPLETED)

    # -- auth -----------------------------------------------------------------------------

    def check_auth(self, request: FakeRequest) -> FakeResponse | None:
        """401 without valid credentials; 403 for app-only auth on user-context endpoints."""
        header = request.headers.get("Authorization", "")
        if header.startswith("OAuth "):
            key = self.consumer_key
            if key is None or f'oauth_consumer_key="{key}"' in header:
                return None
        elif header.startswith("Bearer "):
            token = header.removeprefix("Bearer ")
            if token in self.user_bearer_tokens:
                return None
            if token == self.bearer_token:
                user_only = request.route in ("POST /2/tweets", "GET /2/users/me")
                return FakeResponse(403, UNSUPPORTED_AUTH) if user_only else None
        return FakeResponse(401, UNAUTHORIZED)

    def not_found(self, request: FakeRequest) -> FakeResponse:
        """X answers unknown paths with a problem body."""
        return FakeResponse(404, problem(404, "Not Found Error", f"Not found: {request.path}"))

    # -- routes ---------------------------------------------------------------------------

    def _now(self) -> datetime:
        if callable(self.now):
            return self.now()
        return self.now or datetime.now(UTC)

    def _counts_recent(self, request: FakeRequest) -> FakeResponse:
        query = request.arg("query") or ""
        granularity = request.arg("granularity", "hour") or "hour"
        if not query or granularity not in _BUCKET:
            return FakeResponse(
                400, problem(400, "Invalid Request", "One or more parameters are invalid.")
            )
        buckets = self._buckets_for(query) or [0] * _DEFAULT_BUCKETS[granularity]
        step = _BUCKET[granularity]
        end = self._now().replace(microsecond=0)
        start = end - step * len(buckets)
        data = [
            {"end": _iso(start + step * (i + 1)), "start": _iso(start + step * i), "tweet_count": n}
            for i, n in enumerate(buckets)
        ]
        return FakeResponse(200, {"data": data, "meta": {"total_tweet_count": sum(buckets)}})

    def _buckets_for(self, query: str) -> list[int] | None:
        with self._state_lock:
            lowered = query.lower()
            if lowered in self.counts:
                return self.counts[lowered]
            tokens = set(lowered.replace("(", " ").replace(")", " ").split())
            for key, buckets in self.counts.items():
                if key.startswith("#") and key in tokens:
                    return buckets
        return None

    def _create_tweet(self, request: FakeRequest) -> FakeResponse:
        body = request.json() or {}
        text = body.get("text")
        if not isinstance(text, str) or not text:
            return FakeResponse(400, problem(400, "Invalid Request", "text is required"))
        with self._state_lock:
            if any(p["text"] == text for p in self.posts):
                return FakeResponse(403, DUPLICATE)
            post = {
                "id": str(_FIRST_ID + len(self.posts) + 1),
                "text": text,
                "author_id": self.user["id"],
                "created_at": _iso(self._now()),
            }
            self.posts.append(post)
            self._save()
        return FakeResponse(
            201, {"data": {"id": post["id"], "text": text, "edit_history_tweet_ids": [post["id"]]}}
        )

    def _save(self) -> None:
        if self.state_path is None:
            return
        # Write-then-rename so a reader (or a crash) never sees half a file.
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"posts": self.posts}, indent=1), encoding="utf-8")
        os.replace(tmp, self.state_path)

    def _users_me(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(200, {"data": dict(self.user)})

    def _users_tweets(self, request: FakeRequest) -> FakeResponse:
        max_results = int(request.arg("max_results", "10") or 10)
        if not 5 <= max_results <= 100:
            return FakeResponse(400, problem(400, "Invalid Request", "max_results must be 5..100"))
        with self._state_lock:
            mine = [p for p in reversed(self.posts) if p["author_id"] == request.params["id"]]
        since_id = request.arg("since_id")
        if since_id:
            mine = [p for p in mine if int(p["id"]) > int(since_id)]
        start_time = request.arg("start_time")
        if start_time:
            earliest = _parse_iso(start_time)
            mine = [p for p in mine if _parse_iso(p["created_at"]) >= earliest]
        offset = int(request.arg("pagination_token", "0") or 0)
        page = mine[offset : offset + max_results]
        fields = set((request.arg("tweet.fields") or "").split(","))
        # id, text and edit_history_tweet_ids are X's default fields; others must be asked for.
        data = [self._as_shown(p, fields) for p in page]
        meta: dict[str, JSON] = {"result_count": len(page)}
        if page:
            meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
        if offset + max_results < len(mine):
            meta["next_token"] = str(offset + max_results)
        return FakeResponse(200, {"data": data, "meta": meta} if page else {"meta": meta})

    @staticmethod
    def _as_shown(post: Mapping[str, str], fields: set[str]) -> dict[str, JSON]:
        text, urls = as_x_shows(post["text"])
        shown: dict[str, JSON] = {"edit_history_tweet_ids": [post["id"]], "id": post["id"]}
        shown["text"] = text
        for name in ("author_id", "created_at"):
            if name in fields:
                shown[name] = post[name]
        if "entities" in fields and urls:
            shown["entities"] = {"urls": urls}
        return shown

    def _control_counts(self, request: FakeRequest) -> FakeResponse:
        spec = request.json()
        self.set_counts(spec["query"], spec["buckets"])
        return FakeResponse(204)


class XApiProcess(ServerProcess):
    """Run ``python -m tests.fakes.x_api`` in its own process and script it over HTTP."""

    def __init__(self, workdir: Path, *extra_args: str) -> None:
        self.state_path = workdir / "x_api.state.json"
        state = ("--state", str(self.state_path))
        super().__init__("tests.fakes.x_api", workdir / "x_api.port", *state, *extra_args)

    def _control(self, path: str, payload: Mapping[str, Any]) -> None:
        requests.post(self.base_url + path, json=payload, timeout=5).raise_for_status()

    def fail_next(
        self,
        route: str,
        status: int,
        body: JSON = None,
        headers: Mapping[str, str] | None = None,
        times: int = 1,
        *,
        applied: bool = False,
    ) -> None:
        """Script the next ``times`` responses to ``route`` (see FakeServer.fail_next)."""
        self._control(
            "/_fake/fail_next",
            {
                "route": route,
                "status": status,
                "body": body,
                "headers": dict(headers or {}),
                "times": times,
                "applied": applied,
            },
        )

    def hold_next(self, route: str, seconds: float, *, apply_first: bool = True) -> None:
        """Hold the next response to ``route`` for ``seconds`` (see FakeServer.hold_next)."""
        spec = {"route": route, "seconds": seconds, "apply_first": apply_first}
        self._control("/_fake/hold_next", spec)

    def set_counts(self, query_or_hashtag: str, buckets: Sequence[int]) -> None:
        """Per-bucket counts for a query or hashtag."""
        self._control("/_fake/counts", {"query": query_or_hashtag, "buckets": list(buckets)})

    def posted(self) -> list[dict[str, str]]:
        """The posts the server holds, oldest first."""
        response = requests.get(self.base_url + "/_fake/posts", timeout=5)
        response.raise_for_status()
        posts: list[dict[str, str]] = response.json()
        return posts


def main(argv: Sequence[str] | None = None) -> None:
    """Serve until killed, writing the port to ``--port-file``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--state", default=None, help="JSON file the posts persist in")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--bearer-token", default="test-bearer-token")
    parser.add_argument("--consumer-key", default=None)
    args = parser.parse_args(argv)
    server = FakeXApi(
        state_path=args.state, bearer_token=args.bearer_token, consumer_key=args.consumer_key
    ).start(port=args.port)
    serve_until_killed(server, args.port_file)


if __name__ == "__main__":
    main()
