"""Posting to Mastodon: the real Mastodon.py against a fake instance on 127.0.0.1."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from launchkit.adapters.mastodon_post import (
    MastodonPublisher,
    instance_limits,
    mastodon_publisher,
    plain_text,
)
from launchkit.adapters.publishing import AuthFailed, PublishError, RateLimited, Transient
from launchkit.domain.networks.identity import PostIdentity
from launchkit.errors import CredentialsError
from launchkit.settings import Settings
from tests.fakes.mastodon_api import FakeMastodonApi

SENDING = datetime(2027, 3, 3, 1, 35, tzinfo=UTC)


def _publisher(server: FakeMastodonApi, token: str = "test-mastodon-token") -> MastodonPublisher:
    return mastodon_publisher(Settings(mastodon_url=server.base_url, mastodon_token=token))


def _row(key: str = "question|2027-03-02|1") -> PostIdentity:
    return PostIdentity("#IndieDevHour", key, "mastodon", SENDING)


def test_a_post_goes_out_once_however_often_the_row_is_retried(
    fake_mastodon_api: FakeMastodonApi,
) -> None:
    publisher = _publisher(fake_mastodon_api)
    text = "Q1 What got you into making games? #IndieDevHour"
    first = publisher.create_post(text, _row())
    again = publisher.create_post(text, _row())
    assert first == again
    assert fake_mastodon_api.own_texts() == [text]
    assert first[1] == f"{fake_mastodon_api.base_url}/@chathost/{first[0]}"


def test_another_row_with_the_same_text_is_another_post(
    fake_mastodon_api: FakeMastodonApi,
) -> None:
    publisher = _publisher(fake_mastodon_api)
    publisher.create_post("Reminder #IndieDevHour", _row("reminder-1d|2027-03-02|0"))
    publisher.create_post("Reminder #IndieDevHour", _row("reminder-1d|2027-03-09|0"))
    assert len(fake_mastodon_api.own_texts()) == 2


def test_own_posts_since_give_the_text_as_written_and_when_it_was_made(
    fake_mastodon_api: FakeMastodonApi,
) -> None:
    publisher = _publisher(fake_mastodon_api)
    fake_mastodon_api.add_status("An answer #IndieDevHour", username="someone")
    old = datetime.now(UTC) - timedelta(hours=2)
    fake_mastodon_api.clock = lambda: old
    publisher.create_post("Yesterday's post https://example.org/a-rather-long/path?q=1")
    fake_mastodon_api.clock = lambda: datetime.now(UTC)
    since = datetime.now(UTC) - timedelta(minutes=1)
    text = (
        "Q2 <Which> engine & why?\n\nTell us https://example.org/a-rather-long/path #IndieDevHour"
    )
    post_id, link = publisher.create_post(text)
    found = publisher.own_posts_since(since)
    assert [(p.id, p.text, p.link) for p in found] == [(post_id, text, link)]
    assert found[0].created_at >= since
    # recent_own_posts reads the HTML back to the same text (hidden parts of links kept).
    assert next(t for _, t in publisher.recent_own_posts(10)) == text
    assert len(publisher.recent_own_posts(10)) == 2


def test_own_posts_page_through_link_headers(fake_mastodon_api: FakeMastodonApi) -> None:
    publisher = _publisher(fake_mastodon_api)
    for n in range(45):
        publisher.create_post(f"Post {n} #IndieDevHour")
    texts = [t for _, t in publisher.recent_own_posts(100)]
    assert texts == [f"Post {n} #IndieDevHour" for n in reversed(range(45))]
    pages = fake_mastodon_api.requests_to("GET /api/v1/accounts/:id/statuses")
    assert len(pages) == 2 and pages[1].arg("max_id")


def test_instance_limits_come_from_the_instance_else_none(
    fake_mastodon_api: FakeMastodonApi,
) -> None:
    fake_mastodon_api.max_characters = 1000
    limits = instance_limits(Settings(mastodon_url=fake_mastodon_api.base_url))
    assert limits is not None and limits.max_characters == 1000
    assert limits.characters_reserved_per_url == 23
    assert _publisher(fake_mastodon_api).limits() == limits
    assert instance_limits(Settings(mastodon_url="http://127.0.0.1:9")) is None


def test_rate_limit_carries_the_reset_the_instance_names(
    fake_mastodon_api: FakeMastodonApi,
) -> None:
    reset = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=7)
    fake_mastodon_api.fail_next(
        "POST /api/v1/statuses",
        429,
        {"error": "Too many requests"},
        {"X-RateLimit-Reset": reset.strftime("%Y-%m-%dT%H:%M:%S.000Z")},
    )
    with pytest.raises(RateLimited) as caught:
        _publisher(fake_mastodon_api).create_post("Q1 #IndieDevHour")
    assert caught.value.reset_at is not None
    assert abs((caught.value.reset_at - reset).total_seconds()) <= 2
    assert fake_mastodon_api.own_texts() == []


def test_a_refused_token_is_auth_failed_with_a_hint(fake_mastodon_api: FakeMastodonApi) -> None:
    with pytest.raises(AuthFailed) as caught:
        _publisher(fake_mastodon_api, token="wrong").create_post("Q1 #IndieDevHour")
    assert "401" in caught.value.message
    assert "LAUNCHKIT_MASTODON_TOKEN" in (caught.value.hint or "")
    assert "wrong" not in caught.value.message + (caught.value.hint or "")


def test_server_errors_are_transient_and_validation_errors_say_why(
    fake_mastodon_api: FakeMastodonApi,
) -> None:
    publisher = _publisher(fake_mastodon_api)
    fake_mastodon_api.fail_next("POST /api/v1/statuses", 500, {"error": "Internal error"})
    with pytest.raises(Transient):
        publisher.create_post("Q1 #IndieDevHour")
    with pytest.raises(PublishError, match="character limit of 500 exceeded"):
        publisher.create_post("x" * 501)


def test_settings_refuse_a_missing_token_and_a_plain_http_instance() -> None:
    with pytest.raises(CredentialsError) as caught:
        mastodon_publisher(Settings())
    assert "LAUNCHKIT_MASTODON_TOKEN" in (caught.value.hint or "")
    with pytest.raises(CredentialsError, match="unencrypted"):
        mastodon_publisher(Settings(mastodon_url="http://example.social", mastodon_token="t"))


def test_plain_text_of_mastodon_html() -> None:
    html = (
        '<p>Line one<br />line &amp; two <a href="https://example.org/x"><span class="invisible">'
        'https://</span><span class="ellipsis">example.org</span><span class="invisible">/x'
        "</span></a></p><p>Second paragraph</p>"
    )
    assert plain_text(html) == "Line one\nline & two https://example.org/x\n\nSecond paragraph"
