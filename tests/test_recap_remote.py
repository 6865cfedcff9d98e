"""`recap` against hostile input: servers that trickle end at the deadline, a rate limit says
when to come back, text from the networks is shown at the terminal, never obeyed, and
chat.yaml's `recap:` section is checked like every other field."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.fakes.trickle import HTTP_OK_SLOWLY, TrickleServer
from tests.recap_hour import AFTER_WINDOW, START, chat_on, env_for, recap
from tests.support import invoke, runtime

DEADLINE = 1.0
BOUND = 12.0  # three networks' deadlines plus room for a loaded machine; the trickle lasts 3 min


def test_every_network_that_trickles_ends_at_the_deadline(tmp_path: Path) -> None:
    chat = chat_on(tmp_path, ["x", "mastodon", "bluesky"])
    with TrickleServer(HTTP_OK_SLOWLY, interval=0.25) as slow:
        env = {
            "LAUNCHKIT_HTTP_TIMEOUT_S": str(DEADLINE),
            "LAUNCHKIT_MASTODON_URL": slow.base_url,
            "LAUNCHKIT_BLUESKY_URL": slow.base_url,
            "LAUNCHKIT_BLUESKY_HANDLE": "chathost.test",
            "LAUNCHKIT_BLUESKY_APP_PASSWORD": "app-pass-word",
            "LAUNCHKIT_X_BEARER_TOKEN": "test-bearer-token",
            "LAUNCHKIT_X_API_BASE_URL": slow.base_url,
        }
        started = time.monotonic()
        result = recap(chat, env, "--json", "--yes")
        assert time.monotonic() - started < BOUND
        assert slow.connections >= 3  # each network did ask
    sources = json.loads(result.stdout)["sources"]
    assert sources["x"]["status"] == "not checked: X did not answer in time"
    assert sources["mastodon"]["status"].startswith(
        f"not checked: 127.0.0.1:{slow.port}: could not reach the Mastodon instance"
    )
    assert sources["bluesky"]["status"] == (
        "not checked: could not reach Bluesky (DeadlineExceeded)"
    )


def test_a_rate_limit_is_not_checked_with_the_time_it_resets(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    answered = START + timedelta(minutes=6)
    hour_bluesky.add_post("A1: yes #IndieDevHour", handle="sam.bsky.test", created_at=answered)
    hour_mastodon.fail_next(
        "GET /api/v1/timelines/tag/:hashtag",
        429,
        {"error": "Too many requests"},
        {"X-RateLimit-Reset": (AFTER_WINDOW + timedelta(minutes=7)).isoformat()},
    )
    hour_bluesky.fail_next(
        "GET /xrpc/app.bsky.feed.searchPosts",
        429,
        {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
        {"ratelimit-reset": "1900000000"},  # 2030-03-17 17:46:40 UTC
    )
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    env = env_for(hour_mastodon, hour_bluesky)
    summary = json.loads(recap(chat, env, "--json").stdout)
    assert re.fullmatch(
        r"not checked: Mastodon rate limit reached; it resets at \d\d:\d\d UTC",
        summary["sources"]["mastodon"]["status"],
    )
    assert summary["sources"]["bluesky"]["status"] == (
        "not checked: Bluesky rate limit reached; it resets at 17:46 UTC"
    )
    # Nothing was marked read: the next recap reads both.
    again = json.loads(recap(chat, env, "--json").stdout)
    assert again["sources"]["bluesky"] == {"status": "ok", "posts": 1}
    assert again["sources"]["mastodon"]["status"] == "ok"


def test_text_from_the_networks_is_shown_not_obeyed(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    # A terminal title change, a screen wipe and a right-to-left override, from other people.
    asked, answered = START + timedelta(minutes=5), START + timedelta(minutes=6)
    question = "Q1: wipe\x1b[2J or \u202eesrever #IndieDevHour"
    hour_mastodon.add_status(question, username="ada_example", created_at=asked)
    hostile = "evil\x1b]0;pwned\x07.test"
    hour_bluesky.add_post("A1: hi #IndieDevHour", handle=hostile, created_at=answered)
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    env = env_for(hour_mastodon, hour_bluesky)
    shown = recap(chat, env)
    people = invoke(runtime(AFTER_WINDOW), ["people", "--chat", str(chat)])
    assert people.exit_code == 0, people.stderr
    for run in (shown, people):
        screen = run.stdout + run.stderr
        assert "\x1b" not in screen and "\x07" not in screen and "\u202e" not in screen
        assert r"@evil\x1b]0;pwned\x07.test" in run.stdout
    assert r"wipe\x1b[2J or \u202eesrever" in shown.stdout
    as_json = recap(chat, env, "--json").stdout
    assert "\x1b" not in as_json and "\u202e" not in as_json
    questions = json.loads(as_json)["questions"]
    assert questions[0]["text"] == "wipe\x1b[2J or \u202eesrever"  # the data itself is kept
    # The Markdown files a host opens with `cat` show it too, never obey it.
    transcript = next((tmp_path / "out" / "recap").glob("*/transcript.md"))
    follow_up = tmp_path / "out" / "people" / "follow-up.md"
    for written in (transcript, follow_up):
        text = written.read_text(encoding="utf-8")
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, written
        assert r"evil\x1b" in text and r"pwned\x07.test" in text, written
    assert r"wipe\x1b" in transcript.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("recap_options", "message"),
    [
        ({"transcripts_url": "javascript:alert(1)"}, "recap.transcripts_url: "),
        ({"transcripts_url": "https://x.org/a b"}, "is not a web address"),
        ({"exclude": ["@noor\x1b[2J"]}, "must be one line, without control characters"),
        ({"exclude": ["fediverse:@noor"]}, "unknown network 'fediverse'"),
    ],
)
def test_a_bad_recap_section_is_refused_with_the_field_named(
    tmp_path: Path, recap_options: dict[str, object], message: str
) -> None:
    chat = chat_on(tmp_path, ["mastodon"], **recap_options)
    result = invoke(runtime(AFTER_WINDOW), ["recap", "--chat", str(chat)])
    assert result.exit_code == 3, result.stderr
    assert message in result.stderr and "recap." in result.stderr
    assert not (tmp_path / ".launchkit").exists()
