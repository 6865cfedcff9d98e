"""A fake Mastodon instance: ``GET /api/v1/tags/:name`` returning the Tag entity.

    with FakeMastodon() as m:
        m.set_tag("IndieDevHour", uses=[12, 3, 0], accounts=[5, 2, 0])   # newest day first
        requests.get(f"{m.base_url}/api/v1/tags/indiedevhour").json()

Unknown tags get Mastodon's 404 ``{"error": "Record not found"}``.
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
        self.route("GET /api/v1/tags/:name", self._tag)

    def set_tag(
        self, name: str, uses: Sequence[int], accounts: Sequence[int] | None = None
    ) -> None:
        """Make tag ``name`` known, with per-day ``uses``/``accounts``, newest day first."""
        name = name.lstrip("#")
        counts = list(accounts) if accounts is not None else [min(u, 1) for u in uses]
        if len(counts) != len(uses):
            raise ValueError("uses and accounts need one entry per day")
        self.tags[name.lower()] = (name, list(uses), counts)

    def _tag(self, request: FakeRequest) -> FakeResponse:
        key = request.params["name"].lstrip("#").lower()
        known = self.tags.get(key)
        if known is None:
            return FakeResponse(404, {"error": "Record not found"})
        name, uses, accounts = known
        now = self.today or datetime.now(UTC)
        midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
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
