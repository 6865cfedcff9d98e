"""A fake Mastodon instance for posting and reading, speaking Mastodon's REST API (v4.3).

Driven by the real Mastodon.py in the tests::

    with FakeMastodonApi(tokens=("tok",)) as m:
        client = Mastodon(access_token="tok", api_base_url=m.base_url)
        client.status_post("Q1 #ChatHour", idempotency_key="k1")   # same key: same status
        m.add_status("A1 from someone #ChatHour", username="someone")  # another account
        m.fail_next("POST /api/v1/statuses", 429, {"error": "Too many requests"},
                    {"X-RateLimit-Reset": "2027-03-03T01:40:00.000Z"})

Endpoints: the instance (v1 and v2, with `configuration.statuses`), verify_credentials,
posting (with `Idempotency-Key` and `scheduled_at`), a status and its source, an account's
statuses and the public tag timeline (both paginated by max_id/since_id/min_id with Link
headers), scheduled statuses (list, show, reschedule, cancel; Mastodon's limits of 25 a
day, 300 in all, at least 5 minutes ahead), and the hashtag stream (server-sent events, with
a user token: mastodon_stream.py; `streams.drop()` ends the open ones). Scheduled statuses
are published when their time has come, as the instance's scheduler does. Text, HTML and
paging: mastodon_wire.py.

It is a separate server from :class:`tests.fakes.mastodon.FakeMastodon` (the tag history the
hashtag check reads), so each can change without the other.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.fakes.mastodon_stream import HashtagStreams
from tests.fakes.mastodon_wire import (
    Account,
    html_content,
    iso,
    page,
    parse_time,
    post_length,
    snowflake,
    tags_of,
)
from tests.fakes.servers import JSON, FakeRequest, FakeResponse, FakeServer

UNAUTHORIZED = {"error": "The access token is invalid"}
SCHEDULE_MIN_AHEAD = timedelta(minutes=5)
SCHEDULED_PER_DAY = 25
SCHEDULED_TOTAL = 300


def _validation(message: str) -> FakeResponse:
    return FakeResponse(422, {"error": f"Validation failed: {message}"})


class FakeMastodonApi(FakeServer):
    """Fake Mastodon REST API with one signed-in account (see the module docstring)."""

    def __init__(
        self,
        *,
        tokens: Iterable[str] = ("test-mastodon-token",),
        username: str = "chathost",
        max_characters: int = 500,
        url_chars: int = 23,
        clock: Callable[[], datetime] | None = None,
        heartbeat_s: float = 15.0,
    ) -> None:
        super().__init__()
        self.streams = HashtagStreams(heartbeat_s)
        self.tokens = set(tokens)
        self.max_characters = max_characters
        self.url_chars = url_chars
        self.clock = clock or (lambda: datetime.now(UTC))
        self.me = Account("109000000000000001", username)
        self.accounts: dict[str, Account] = {username: self.me}
        self.statuses: list[dict[str, Any]] = []  # oldest first
        self.scheduled: list[dict[str, Any]] = []
        self._idempotent: dict[tuple[str, str], FakeResponse] = {}
        self._seq = 0
        self._state = threading.RLock()
        routes: dict[str, Callable[[FakeRequest], FakeResponse]] = {
            "GET /api/v1/instance": self._instance_v1,
            "GET /api/v2/instance": self._instance_v2,
            "GET /api/v1/accounts/verify_credentials": self._verify_credentials,
            "GET /api/v1/accounts/:id/statuses": self._account_statuses,
            "POST /api/v1/statuses": self._post_status,
            "GET /api/v1/statuses/:id/source": self._status_source,
            "GET /api/v1/statuses/:id": self._status,
            "GET /api/v1/timelines/tag/:hashtag": self._tag_timeline,
            "GET /api/v1/streaming/hashtag": self.streams.respond,
            "GET /api/v1/scheduled_statuses": self._scheduled_list,
            "GET /api/v1/scheduled_statuses/:id": self._scheduled_show,
            "PUT /api/v1/scheduled_statuses/:id": self._scheduled_update,
            "DELETE /api/v1/scheduled_statuses/:id": self._scheduled_delete,
            "GET /_fake/statuses": lambda _: FakeResponse(200, self.own_texts()),
        }
        for key, handler in routes.items():
            # Mastodon.py asks for /api/v1/instance/ with a trailing slash; Rails accepts both.
            self.route(key, handler)
            if key.endswith("/instance"):
                self.route(key + "/", handler)

    # -- scripting ----------------------------------------------------------------------

    def add_status(
        self,
        text: str,
        *,
        username: str = "someone",
        created_at: datetime | None = None,
        in_reply_to: str | None = None,
        visibility: str = "public",
    ) -> dict[str, Any]:
        """A status by ``username`` (another account unless it is the host's; a remote one
        when written ``name@instance``), replying to the status ``in_reply_to``."""
        account = self.accounts.setdefault(
            username, Account(str(109000000000000100 + len(self.accounts)), username)
        )
        with self._state:
            status = self._store(text, account, created_at or self.clock(), "")
            status["visibility"] = visibility
            if in_reply_to is not None:
                parent = next(s for s in self.statuses if s["id"] == in_reply_to)
                status["in_reply_to_id"] = in_reply_to
                status["in_reply_to_account_id"] = parent["account"]["id"]
            self._announce(status)
            return status

    def _announce(self, status: dict[str, Any]) -> None:
        """A new status reaches the open streams of its tags (public ones only)."""
        if status["visibility"] == "public":
            self.streams.publish(self._public(status), self._tags(status))

    @staticmethod
    def _tags(status: dict[str, Any]) -> set[str]:
        return {t["name"].lower() for t in status["tags"]}

    def delete_status(self, status_id: str) -> None:
        """Delete a status, as its author can (it leaves every timeline)."""
        with self._state:
            gone = [s for s in self.statuses if s["id"] == status_id]
            self.statuses = [s for s in self.statuses if s["id"] != status_id]
        for status in gone:
            self.streams.delete(status_id, self._tags(status))

    def stop(self) -> None:
        """End the open streams, then stop serving."""
        self.streams.drop()
        super().stop()

    def own_statuses(self) -> list[dict[str, Any]]:
        """The signed-in account's statuses, oldest first."""
        self._publish_due()
        with self._state:
            return [s for s in self.statuses if s["account"]["id"] == self.me.id]

    def own_texts(self) -> list[str]:
        """The texts the signed-in account posted, oldest first."""
        return [s["_text"] for s in self.own_statuses()]

    # -- plumbing -----------------------------------------------------------------------

    def check_auth(self, request: FakeRequest) -> FakeResponse | None:
        """Posting and the account's own data need a token; public reads do not."""
        public = request.route.startswith(("GET /api/v1/instance", "GET /api/v2/instance"))
        public |= request.route in (
            "GET /api/v1/timelines/tag/:hashtag",
            "GET /api/v1/accounts/:id/statuses",
            "GET /api/v1/statuses/:id",
        )
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token in self.tokens or (public and not token):
            return None
        return FakeResponse(401, UNAUTHORIZED)

    def dispatch(self, raw: FakeRequest, raw_path: str) -> FakeResponse:
        """Every answer carries Mastodon's rate-limit headers (300 calls per 5 minutes)."""
        response = super().dispatch(raw, raw_path)
        reset = iso(self.clock() + timedelta(minutes=5))
        limits = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299"}
        headers = {**limits, "X-RateLimit-Reset": reset, **response.headers}
        return replace(response, headers=headers)

    def _base(self, request: FakeRequest) -> str:
        return f"http://{request.headers.get('Host', '127.0.0.1')}"

    def _store(
        self, text: str, account: Account, created_at: datetime, host: str
    ) -> dict[str, Any]:
        self._seq += 1
        status_id = snowflake(created_at, self._seq)
        base = host or "http://127.0.0.1"
        status = {
            "id": status_id,
            "created_at": iso(created_at),
            "in_reply_to_id": None,
            "in_reply_to_account_id": None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": "en",
            "uri": f"{base}/users/{account.username}/statuses/{status_id}",
            "url": f"{base}/@{account.username}/{status_id}",
            "replies_count": 0,
            "reblogs_count": 0,
            "favourites_count": 0,
            "edited_at": None,
            "content": html_content(text, base),
            "reblog": None,
            "account": account.entity(base),
            "media_attachments": [],
            "mentions": [],
            "tags": [{"name": t, "url": f"{base}/tags/{t}"} for t in tags_of(text)],
            "emojis": [],
            "card": None,
            "poll": None,
            "_text": text,  # what was written (served only by /source, as Mastodon does)
        }
        bisect.insort(self.statuses, status, key=lambda s: int(s["id"]))
        return status

    @staticmethod
    def _public(status: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in status.items() if not k.startswith("_")}

    def _publish_due(self) -> None:
        now = self.clock()
        with self._state:
            due = [s for s in self.scheduled if parse_time(s["scheduled_at"]) <= now]
            for item in due:
                self.scheduled.remove(item)
                when = parse_time(item["scheduled_at"])
                self._announce(self._store(item["params"]["text"], self.me, when, item["_host"]))

    # -- instance and account -----------------------------------------------------------

    def _statuses_config(self) -> dict[str, int]:
        return {
            "max_characters": self.max_characters,
            "max_media_attachments": 4,
            "characters_reserved_per_url": self.url_chars,
        }

    def _instance(self, request: FakeRequest, version: int) -> dict[str, Any]:
        base = self._base(request)
        streaming = base.replace("http", "ws", 1)
        common = {"title": "Fake Mastodon", "version": "4.3.0"}
        if version == 1:
            config = {"statuses": self._statuses_config()}
            return {
                "uri": base.removeprefix("http://"),
                **common,
                "urls": {"streaming_api": streaming},
                "configuration": config,
            }
        config = {"urls": {"streaming": streaming}, "statuses": self._statuses_config()}
        return {
            "domain": base.removeprefix("http://"),
            **common,
            "api_versions": {"mastodon": 2},
            "configuration": config,
            "registrations": {"enabled": False},
        }

    def _instance_v1(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(200, self._instance(request, 1))

    def _instance_v2(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(200, self._instance(request, 2))

    def _verify_credentials(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(200, self.me.entity(self._base(request)))

    # -- statuses ---------------------------------------------------------------------

    def _params(self, request: FakeRequest) -> dict[str, Any]:
        if "json" in request.headers.get("Content-Type", ""):
            return dict(request.json() or {})
        return request.form()

    def _post_status(self, request: FakeRequest) -> FakeResponse:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        key = request.headers.get("Idempotency-Key")
        with self._state:
            if key and (token, key) in self._idempotent:
                return self._idempotent[(token, key)]
            response = self._create(self._params(request), self._base(request))
            if key and response.status == 200:
                self._idempotent[(token, key)] = response
        return response

    def _create(self, params: dict[str, Any], base: str) -> FakeResponse:
        text = str(params.get("status") or "")
        if not text.strip():
            return _validation("Text can't be blank")
        if post_length(text, self.url_chars) > self.max_characters:
            return _validation(f"Text character limit of {self.max_characters} exceeded")
        if params.get("scheduled_at"):
            return self._schedule(text, parse_time(str(params["scheduled_at"])), params, base)
        status = self._store(text, self.me, self.clock(), base)
        self._announce(status)
        return FakeResponse(200, self._public(status))

    def _schedule(
        self, text: str, when: datetime, params: dict[str, Any], base: str
    ) -> FakeResponse:
        problem = self._schedule_problem(when, exclude=None)
        if problem:
            return _validation(f"Scheduled at {problem}")
        self._seq += 1
        item = {
            "id": str(100 + self._seq),
            "scheduled_at": iso(when),
            "params": {
                "text": text,
                "visibility": params.get("visibility") or "public",
                "language": params.get("language"),
                "idempotency": None,
                "scheduled_at": None,
            },
            "media_attachments": [],
            "_host": base,
        }
        self.scheduled.append(item)
        return FakeResponse(200, self._public(item))

    def _schedule_problem(self, when: datetime, exclude: str | None) -> str | None:
        if when < self.clock() + SCHEDULE_MIN_AHEAD:
            return "The scheduled date must be in the future"
        others = [s for s in self.scheduled if s["id"] != exclude]
        if len(others) >= SCHEDULED_TOTAL:
            return f"You have exceeded the limit of {SCHEDULED_TOTAL} scheduled posts"
        same_day = [s for s in others if parse_time(s["scheduled_at"]).date() == when.date()]
        if len(same_day) >= SCHEDULED_PER_DAY:
            return f"You have exceeded the limit of {SCHEDULED_PER_DAY} scheduled posts for today"
        return None

    def _find(self, status_id: str) -> dict[str, Any] | None:
        self._publish_due()
        with self._state:
            return next((s for s in self.statuses if s["id"] == status_id), None)

    def _status(self, request: FakeRequest) -> FakeResponse:
        status = self._find(request.params["id"])
        if status is None:
            return FakeResponse(404, {"error": "Record not found"})
        return FakeResponse(200, self._public(status))

    def _status_source(self, request: FakeRequest) -> FakeResponse:
        status = self._find(request.params["id"])
        if status is None or status["account"]["id"] != self.me.id:
            return FakeResponse(404, {"error": "Record not found"})
        return FakeResponse(200, {"id": status["id"], "text": status["_text"], "spoiler_text": ""})

    def _listing(self, request: FakeRequest, chosen: list[dict[str, Any]]) -> FakeResponse:
        shown, links = page(request, chosen, self._base(request))
        headers = {"Link": links} if links else {}
        return FakeResponse(200, [self._public(s) for s in shown], headers)

    def _account_statuses(self, request: FakeRequest) -> FakeResponse:
        self._publish_due()
        account_id = request.params["id"]
        if account_id not in {a.id for a in self.accounts.values()}:
            return FakeResponse(404, {"error": "Record not found"})
        with self._state:
            chosen = [s for s in self.statuses if s["account"]["id"] == account_id]
        return self._listing(request, chosen)

    def _tag_timeline(self, request: FakeRequest) -> FakeResponse:
        self._publish_due()
        tag = request.params["hashtag"].lstrip("#").lower()
        with self._state:
            chosen = [
                s
                for s in self.statuses
                if s["visibility"] == "public" and tag in {t["name"].lower() for t in s["tags"]}
            ]
        return self._listing(request, chosen)

    # -- scheduled statuses -------------------------------------------------------------

    def _scheduled_item(self, request: FakeRequest) -> dict[str, Any] | None:
        self._publish_due()
        with self._state:
            return next((s for s in self.scheduled if s["id"] == request.params["id"]), None)

    def _scheduled_list(self, request: FakeRequest) -> FakeResponse:
        self._publish_due()
        with self._state:
            items: JSON = [self._public(s) for s in self.scheduled]
        return FakeResponse(200, items)

    def _scheduled_show(self, request: FakeRequest) -> FakeResponse:
        item = self._scheduled_item(request)
        if item is None:
            return FakeResponse(404, {"error": "Record not found"})
        return FakeResponse(200, self._public(item))

    def _scheduled_update(self, request: FakeRequest) -> FakeResponse:
        item = self._scheduled_item(request)
        if item is None:
            return FakeResponse(404, {"error": "Record not found"})
        raw = str(self._params(request).get("scheduled_at") or "")
        if not raw:
            return _validation("Scheduled at can't be blank")
        when = parse_time(raw)
        with self._state:
            problem = self._schedule_problem(when, exclude=item["id"])
            if problem:
                return _validation(f"Scheduled at {problem}")
            item["scheduled_at"] = iso(when)
        return FakeResponse(200, self._public(item))

    def _scheduled_delete(self, request: FakeRequest) -> FakeResponse:
        item = self._scheduled_item(request)
        if item is None:
            return FakeResponse(404, {"error": "Record not found"})
        with self._state:
            self.scheduled.remove(item)
        return FakeResponse(200, {})
