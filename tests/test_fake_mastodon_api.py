"""The fake Mastodon instance answers the real Mastodon.py as an instance would: tag timeline
paging by max_id/since_id/min_id with Link headers, and scheduled statuses with their limits
(what the recap, the live room and `schedule --server-side mastodon` will rely on)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from mastodon import Mastodon, MastodonAPIError

from tests.fakes.mastodon_api import FakeMastodonApi

NOW = datetime(2027, 3, 2, 20, 0, tzinfo=UTC)


@pytest.fixture
def instance() -> Iterator[FakeMastodonApi]:
    with FakeMastodonApi(clock=lambda: NOW) as server:
        yield server


def _client(server: FakeMastodonApi) -> Mastodon:
    return Mastodon(
        access_token="test-mastodon-token", api_base_url=server.base_url, ratelimit_method="throw"
    )


def test_the_tag_timeline_pages_both_ways(instance: FakeMastodonApi) -> None:
    for n in range(7):
        instance.add_status(f"A{n} #ChatHour", created_at=NOW + timedelta(minutes=n))
    instance.add_status("unrelated #Other", created_at=NOW)
    client = _client(instance)
    newest = client.timeline_hashtag("chathour", limit=3)
    assert [s.content.split(" ")[0][3:] for s in newest] == ["A6", "A5", "A4"]
    older = client.fetch_next(newest)
    assert [s.content.split(" ")[0][3:] for s in older] == ["A3", "A2", "A1"]
    newer_than_a1 = client.timeline_hashtag("chathour", min_id=older[-1].id, limit=2)
    assert [s.content.split(" ")[0][3:] for s in newer_than_a1] == ["A3", "A2"]
    since = client.timeline_hashtag("chathour", since_id=older[-1].id, limit=2)
    assert [s.content.split(" ")[0][3:] for s in since] == ["A6", "A5"]


def test_scheduled_statuses_keep_mastodons_limits(instance: FakeMastodonApi) -> None:
    client = _client(instance)
    with pytest.raises(MastodonAPIError, match="must be in the future"):
        client.status_post("too soon", scheduled_at=NOW + timedelta(minutes=4))
    day = NOW + timedelta(days=1)
    for n in range(25):
        client.status_post(f"Q{n}", scheduled_at=day + timedelta(minutes=n))
    with pytest.raises(MastodonAPIError, match="limit of 25 scheduled posts for today"):
        client.status_post("one more", scheduled_at=day + timedelta(hours=2))
    first = client.scheduled_statuses()[0]
    client.scheduled_status_update(first.id, day + timedelta(days=1))
    client.scheduled_status_delete(client.scheduled_statuses()[1].id)
    assert len(client.scheduled_statuses()) == 24
    instance.clock = lambda: day + timedelta(hours=1)  # the instance's scheduler runs
    assert len(instance.own_texts()) == 23 and len(client.scheduled_statuses()) == 1
