"""A fake Mastodon instance: the Tag entity and the public tag timeline.

    with FakeMastodon() as m:
        m.set_tag("IndieDevHour", uses=[12, 3, 0], accounts=[5, 2, 0])   # newest day first
        requests.get(f"{m.base_url}/api/v1/tags/indiedevhour").json()
        m.set_last_post("OldChat", datetime(2025, 1, 7, 20, 5, tzinfo=UTC))
        requests.get(f"{m.base_url}/api/v1/timelines/tag/oldchat?limit=1").json()

``GET /api/v1/tags/:name``: unknown tags get Mastodon's 404 ``{"error": "Record not found"}``.
``GET /api/v1/timelines/tag/:hashtag``: Status entities newest first (``limit``, default 20,
at most 40); a tag nobody used gives ``[]``, as Mastodon answers. A tag set with ``set_tag``
has a post on the newest day its history shows a use, unless ``set_last_post`` says otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from tests.fakes.servers import FakeRequest, FakeResponse, FakeServer


class FakeMastodon(FakeServer):
    """Fake Mastodon tag lookup; history holds the last days, newest first, counts as strings."""

    def __init__(self, *, today: datetime | None = None) -> None:
        """``today`` fixes the day the history starts from (default: now, UTC)."""
        super().__init__()
        self.today = today
        self.tags: dict[str, tuple[str, list[int], list[int]]] = {}
        self.last_posts: dict[str, datetime] = {}
        self.failing: dict[str, int] = {}
        self.route("GET /api/v1/tags/:name", self._tag)
        self.route("GET /api/v1/timelines/tag/:hashtag", self._tag_timeline)

    def set_tag(
        self, name: str, uses: Sequence[int], accounts: Sequence[int] | None = None
    ) -> None:
        """Make tag ``name`` known, with per-day ``uses``/``accounts``, newest day first."""
        name = name.lstrip("#")
        counts = list(accounts) if accounts is not None else [min(u, 1) for u in uses]
        if len(counts) != len(uses):
            raise ValueError("uses and accounts need one entry per day")
        self.tags[name.lower()] = (name, list(uses), counts)

    def set_last_post(self, name: str, when: datetime) -> None:
        """Make the newest post with tag ``name`` one created at ``when``."""
        self.last_posts[name.lstrip("#").lower()] = when

    def fail_tag(self, name: str, status: int) -> None:
        """Answer every timeline request for tag ``name`` with ``status`` (e.g. 503)."""
        self.failing[name.lstrip("#").lower()] = status

    def _midnight(self) -> datetime:
        now = self.today or datetime.now(UTC)
        return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)

    def _newest_post(self, key: str) -> datetime | None:
        if key in self.last_posts:
            return self.last_posts[key]
        known = self.tags.get(key)
        if known is None:
            return None
        days_ago = next((i for i, uses in enumerate(known[1]) if uses > 0), None)
        if days_ago is None:
            return None
        return self._midnight() - timedelta(days=days_ago) + timedelta(hours=12)

    def _tag_timeline(self, request: FakeRequest) -> FakeResponse:
        key = request.params["hashtag"].lstrip("#").lower()
        if key in self.failing:
            return FakeResponse(self.failing[key], {"error": "Service unavailable"})
        try:
            limit = max(1, min(40, int(request.arg("limit", "20") or "20")))
        except ValueError:
            return FakeResponse(422, {"error": "Validation failed: limit is not a number"})
        newest = self._newest_post(key)
        if newest is None:
            return FakeResponse(200, [])
        host = request.headers.get("Host", "127.0.0.1")
        statuses = [
            {
                "id": str(110_000_000_000_000_000 + int(moment.timestamp())),
                "created_at": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "url": f"http://{host}/@someone/{int(moment.timestamp())}",
                "content": f'<p>Hello <a href="http://{host}/tags/{key}">#{key}</a></p>',
                "account": {"id": "1", "username": "someone", "acct": "someone"},
                "tags": [{"name": key, "url": f"http://{host}/tags/{key}"}],
            }
            for moment in (newest - timedelta(days=7 * i) for i in range(limit))
        ]
        return FakeResponse(200, statuses)

    def _tag(self, request: FakeRequest) -> FakeResponse:
        key = request.params["name"].lstrip("#").lower()
        known = self.tags.get(key)
        if known is None:
            return FakeResponse(404, {"error": "Record not found"})
        name, uses, accounts = known
        midnight = self._midnight()
        history = [
            {
                "day": str(int((midnight - timedelta(days=i)).timestamp())),
                "uses": str(u),
                "accounts": str(a),
            }
            for i, (u, a) in enumerate(zip(uses, accounts, strict=True))
        ]
        host = request.headers.get("Host", "127.0.0.1")
        return FakeResponse(
            200,
            {
                "id": str(list(self.tags).index(key) + 1),
                "name": name,
                "url": f"http://{host}/tags/{name.lower()}",
                "history": history,
                "following": False,
            },
        )
