"""The scripted hour of tests/recap_hour.py played as it happens, for the live room's tests:
each post reaches the local Mastodon and Bluesky servers when the test's clock reaches its
time (Mastodon's open hashtag streams get it then, as a real instance sends it)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tests.fakes.atproto_wire import parse_time
from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.recap_hour import START, Expected, script_hour

WINDOW_START = START - timedelta(minutes=10)
WINDOW_END = START + timedelta(hours=2)


@dataclass(frozen=True)
class Written:
    """A post of the script: what the room must show for it."""

    network: str
    id: str
    created_at: datetime
    text: str


class Replay:
    """The hour written on servers of its own (never started), handed to the live servers
    as the clock passes each post's time: call it with the new time."""

    def __init__(self, mastodon: FakeMastodonApi, bluesky: FakeBlueskyPds, **script: Any):
        self.mastodon, self.bluesky = mastodon, bluesky
        self.staged_m, self.staged_b = FakeMastodonApi(), FakeBlueskyPds()
        self.expected: Expected = script_hour(self.staged_m, self.staged_b, **script)
        self._m = sorted(self.staged_m.statuses, key=lambda s: int(s["id"]))
        self._b = sorted(self.staged_b.records.items(), key=lambda r: r[1]["value"]["createdAt"])
        bluesky.handles.update(self.staged_b.handles)

    def __call__(self, now: datetime) -> None:
        while self._m and _mastodon_time(self._m[0]) <= now:
            status = self._m.pop(0)
            with self.mastodon._state:
                bisect.insort(self.mastodon.statuses, status, key=lambda s: int(s["id"]))
            self.mastodon._announce(status)
        while self._b and parse_time(self._b[0][1]["value"]["createdAt"]) <= now:
            key, stored = self._b.pop(0)
            with self.bluesky._state:
                self.bluesky.records[key] = stored

    def in_window(self, until: datetime = WINDOW_END) -> list[Written]:
        """Every public post with the tag created in the window (before `until`), oldest
        first: what the room must have shown by then."""
        found = [
            Written("mastodon", s["id"], _mastodon_time(s), s["_text"])
            for s in self.staged_m.statuses
            if s["visibility"] == "public"
        ]
        found += [
            Written("bluesky", r["uri"], parse_time(r["value"]["createdAt"]), r["value"]["text"])
            for r in self.staged_b.records.values()
        ]
        chosen = [w for w in found if WINDOW_START <= w.created_at < min(until, WINDOW_END)]
        return sorted(chosen, key=lambda w: (w.created_at, w.network, w.id))


def _mastodon_time(status: dict[str, Any]) -> datetime:
    return parse_time(status["created_at"])
