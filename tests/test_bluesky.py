"""Posting to Bluesky and keeping its session: launchkit's XRPC client against a fake PDS on
127.0.0.1, whose wire format the real atproto SDK vouches for."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from atproto import Client, client_utils, models
from atproto_client.models.string_formats import TID_RE

from launchkit.adapters.bluesky import (
    bluesky_account,
    bluesky_publisher,
    tag_usage,
)
from launchkit.adapters.publishing import AuthFailed, RateLimited
from launchkit.domain.networks.identity import PostIdentity
from launchkit.errors import CredentialsError
from launchkit.settings import Settings
from tests.fakes.bluesky import FakeBlueskyPds

NOW = datetime(2027, 3, 3, 1, 35, 12, tzinfo=UTC)


def _settings(pds: FakeBlueskyPds, password: str = "app-pass-word") -> Settings:
    return Settings(
        bluesky_url=pds.base_url, bluesky_handle="chathost.test", bluesky_app_password=password
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _row(key: str = "question|2027-03-02|1", network: str = "bluesky") -> PostIdentity:
    return PostIdentity("#IndieDevHour", key, network, NOW)


@pytest.fixture
def chat(tmp_path: Path) -> Path:
    return tmp_path / "chat.yaml"


def test_the_atproto_sdk_speaks_to_the_fake(fake_bluesky: FakeBlueskyPds) -> None:
    client = Client(base_url=fake_bluesky.base_url + "/xrpc")
    assert client.login("chathost.test", "app-pass-word").handle == "chathost.test"
    record = models.AppBskyFeedPost.Record(
        text="Hello #IndieDevHour", created_at=client.get_current_time_iso()
    )
    rkey = _row().record_key
    data = models.ComAtprotoRepoCreateRecord.Data(
        repo=client.me.did, collection="app.bsky.feed.post", rkey=rkey, record=record
    )
    assert client.com.atproto.repo.create_record(data).uri.endswith(f"/app.bsky.feed.post/{rkey}")
    params = models.ComAtprotoRepoGetRecord.Params(
        repo=client.me.did, collection="app.bsky.feed.post", rkey=rkey
    )
    assert client.com.atproto.repo.get_record(params).value.text == "Hello #IndieDevHour"


def test_a_retried_row_never_makes_a_second_post(fake_bluesky: FakeBlueskyPds, chat: Path) -> None:
    publisher = bluesky_publisher(_settings(fake_bluesky), chat, _now)
    text = "Q1 What got you into making games? #IndieDevHour"
    first = publisher.create_post(text, _row())
    # The answer was lost: the send loop tries the row again; the PDS refuses the taken key
    # (500, as deployed) and the record there is the row's post.
    again = publisher.create_post(text, _row())
    assert first == again
    assert fake_bluesky.own_texts() == [text]
    creates = fake_bluesky.requests_to("POST /xrpc/com.atproto.repo.createRecord")
    assert [r.json()["rkey"] for r in creates] == [_row().record_key] * 2
    assert first[0] == f"at://{fake_bluesky.did}/app.bsky.feed.post/{_row().record_key}"
    assert first[1] == f"https://bsky.app/profile/{fake_bluesky.did}/post/{_row().record_key}"
    found = publisher.find_post(_row())
    assert found is not None and (found.id, found.text) == (first[0], text)
    assert publisher.find_post(_row("question|2027-03-02|2")) is None


def test_a_taken_key_with_other_text_is_not_taken_for_the_row(
    fake_bluesky: FakeBlueskyPds, chat: Path
) -> None:
    publisher = bluesky_publisher(_settings(fake_bluesky), chat, _now)
    publisher.create_post("Q1 #IndieDevHour", _row())
    with pytest.raises(Exception, match="holds another post"):
        publisher.create_post("Q1 edited #IndieDevHour", _row())
    assert fake_bluesky.own_texts() == ["Q1 #IndieDevHour"]


def test_record_keys_are_valid_tids_of_the_first_sending_second() -> None:
    keys = {_row(f"question|2027-03-02|{n}").record_key for n in range(1, 9)}
    keys |= {_row("question|2027-03-02|1", network="x").record_key}
    assert len(keys) == 9 and all(TID_RE.match(k) for k in keys)
    alphabet = "234567abcdefghijklmnopqrstuvwxyz"
    for key in keys:
        value = 0
        for char in key:
            value = value * 32 + alphabet.index(char)
        assert (value >> 10) // 1_000_000 == int(NOW.timestamp())
    assert _row().record_key == _row().record_key


def test_facets_cover_exactly_each_hashtag_and_link(
    fake_bluesky: FakeBlueskyPds, chat: Path
) -> None:
    text = "Crème brûlée 👩‍👩‍👧 naïve café ☕ #IndieDévHour Q1 at https://example.org/q1 #Ünïcode"
    publisher = bluesky_publisher(_settings(fake_bluesky), chat, _now)
    publisher.create_post(text)
    record = fake_bluesky.own_posts()[0]["value"]
    raw = text.encode()
    pieces = [
        raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in record["facets"]
    ]
    assert pieces == ["#IndieDévHour", "https://example.org/q1", "#Ünïcode"]
    # The SDK's own builder, given the same pieces, puts them at the same bytes.
    built = (
        client_utils.TextBuilder()
        .text("Crème brûlée 👩‍👩‍👧 naïve café ☕ ")
        .tag("#IndieDévHour", "IndieDévHour")
        .text(" Q1 at ")
        .link("https://example.org/q1", "https://example.org/q1")
        .text(" ")
        .tag("#Ünïcode", "Ünïcode")
    )
    assert built.build_text() == text
    expected = [(f.index.byte_start, f.index.byte_end) for f in built.build_facets()]
    assert [(f["index"]["byteStart"], f["index"]["byteEnd"]) for f in record["facets"]] == expected
    # Tagged, the post is found by a search with the tag filter.
    account = bluesky_account(_settings(fake_bluesky), chat, _now)
    assert tag_usage(account, "#indiedévhour", datetime.now(UTC)).total == 1


def test_five_runs_log_in_once_and_the_session_file_is_private(
    fake_bluesky: FakeBlueskyPds, chat: Path
) -> None:
    for n in range(5):
        publisher = bluesky_publisher(_settings(fake_bluesky), chat, _now)
        publisher.create_post(f"Post {n} #IndieDevHour")
    assert len(fake_bluesky.logins) == 1
    saved = chat.parent / ".launchkit" / "bluesky-session.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert "app-pass-word" not in saved.read_text(encoding="utf-8")


def test_an_expired_token_is_refreshed_not_logged_in_again(
    fake_bluesky: FakeBlueskyPds, chat: Path
) -> None:
    bluesky_publisher(_settings(fake_bluesky), chat, _now).create_post("One #IndieDevHour")
    fake_bluesky.expire_access_tokens()  # the server says expired; the token's exp does not
    bluesky_publisher(_settings(fake_bluesky), chat, _now).create_post("Two #IndieDevHour")
    later = lambda: datetime.now(UTC) + timedelta(hours=3)  # noqa: E731  # exp has passed
    fake_bluesky.clock = later
    bluesky_publisher(_settings(fake_bluesky), chat, later).recent_own_posts(5)
    assert (len(fake_bluesky.logins), fake_bluesky.refreshes) == (1, 2)
    assert fake_bluesky.own_texts() == ["One #IndieDevHour", "Two #IndieDevHour"]


def test_a_revoked_session_logs_in_again(fake_bluesky: FakeBlueskyPds, chat: Path) -> None:
    bluesky_publisher(_settings(fake_bluesky), chat, _now).create_post("One #IndieDevHour")
    fake_bluesky.expire_access_tokens()
    fake_bluesky._refresh.clear()  # the refresh token was revoked (a password change)
    bluesky_publisher(_settings(fake_bluesky), chat, _now).create_post("Two #IndieDevHour")
    assert len(fake_bluesky.logins) == 2


def test_a_wrong_app_password_is_auth_failed_with_a_hint(
    fake_bluesky: FakeBlueskyPds, chat: Path
) -> None:
    with pytest.raises(AuthFailed) as caught:
        bluesky_publisher(_settings(fake_bluesky, "wrong"), chat, _now).create_post("Hi")
    assert "LAUNCHKIT_BLUESKY_APP_PASSWORD" in (caught.value.hint or "")
    assert "wrong" not in caught.value.message
    assert not (chat.parent / ".launchkit" / "bluesky-session.json").exists()


def test_login_rate_limit_carries_the_reset(fake_bluesky: FakeBlueskyPds, chat: Path) -> None:
    fake_bluesky.logins = [datetime.now(UTC)] * 30  # 30 logins in the last 5 minutes
    with pytest.raises(RateLimited) as caught:
        bluesky_publisher(_settings(fake_bluesky), chat, _now).create_post("Hi")
    reset = caught.value.reset_at
    assert reset is not None and 0 < (reset - datetime.now(UTC)).total_seconds() <= 300


def test_a_rate_limited_post_is_rate_limited(fake_bluesky: FakeBlueskyPds, chat: Path) -> None:
    fake_bluesky.fail_next(
        "POST /xrpc/com.atproto.repo.createRecord",
        429,
        {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        {"ratelimit-reset": "1900000000"},
    )
    with pytest.raises(RateLimited) as caught:
        bluesky_publisher(_settings(fake_bluesky), chat, _now).create_post("Hi", _row())
    assert caught.value.reset_at == datetime.fromtimestamp(1900000000, UTC)
    assert fake_bluesky.own_texts() == []


def test_own_posts_since_the_row_entered_sending(fake_bluesky: FakeBlueskyPds, chat: Path) -> None:
    earlier = datetime.now(UTC) - timedelta(hours=1)
    bluesky_publisher(_settings(fake_bluesky), chat, lambda: earlier).create_post("Old")
    since = datetime.now(UTC) - timedelta(minutes=1)
    publisher = bluesky_publisher(_settings(fake_bluesky), chat, _now)
    uri, _ = publisher.create_post("New #IndieDevHour", _row())
    assert [(p.id, p.text) for p in publisher.own_posts_since(since)] == [
        (uri, "New #IndieDevHour")
    ]


def test_tag_usage_counts_the_last_seven_days_across_pages(
    fake_bluesky: FakeBlueskyPds, chat: Path
) -> None:
    now = datetime.now(UTC)
    for n in range(130):
        fake_bluesky.add_post(
            f"A{n} #BlueChat", handle=f"user{n % 7}.test", created_at=now - timedelta(hours=n)
        )
    fake_bluesky.add_post("old #BlueChat", created_at=now - timedelta(days=8))
    fake_bluesky.add_post("#BlueChatter is another tag", created_at=now)
    account = bluesky_account(_settings(fake_bluesky), chat, _now)
    report = tag_usage(account, "#bluechat", now)
    assert (report.checked, report.total, report.days, report.accounts) == (True, 130, 7, 7)
    assert len(fake_bluesky.requests_to("GET /xrpc/app.bsky.feed.searchPosts")) == 2


def test_tag_usage_not_checked_says_why(fake_bluesky: FakeBlueskyPds, chat: Path) -> None:
    fake_bluesky.fail_next(
        "GET /xrpc/app.bsky.feed.searchPosts", 500, {"error": "InternalServerError"}
    )
    account = bluesky_account(_settings(fake_bluesky), chat, _now)
    report = tag_usage(account, "#BlueChat", datetime.now(UTC))
    assert not report.checked and "server error" in report.summary


def test_settings_name_what_is_missing_and_refuse_plain_http(chat: Path) -> None:
    with pytest.raises(CredentialsError, match="LAUNCHKIT_BLUESKY_APP_PASSWORD"):
        bluesky_account(Settings(bluesky_handle="me.bsky.social"), chat, _now)
    plain = Settings(
        bluesky_url="http://pds.example", bluesky_handle="me", bluesky_app_password="pw"
    )
    with pytest.raises(CredentialsError, match="unencrypted"):
        bluesky_account(plain, chat, _now)
