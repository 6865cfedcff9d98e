"""`launchkit live --plain/--json` over a scripted hour on the local Mastodon and Bluesky
servers, the clock moving as the run sleeps: every post of the window once, the right
question, networks that fail for a while catching up, and a recap afterwards that reads no
network."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from launchkit.adapters.post_store import PostStore
from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.fakes.x_search import FakeXSearch
from tests.live_hour import WINDOW_START, Replay
from tests.recap_hour import AFTER_WINDOW, START, chat_on, env_for
from tests.support import FakeTime, Run, invoke, runtime

SEARCH = "GET /xrpc/app.bsky.feed.searchPosts"
TAG_TIMELINE = "GET /api/v1/timelines/tag/:hashtag"
SESSION_DAY = date(2027, 3, 2)


@pytest.fixture
def time() -> FakeTime:
    return FakeTime(WINDOW_START - timedelta(minutes=5), max_sleeps=100_000)


@pytest.fixture
def servers(time: FakeTime) -> Iterator[tuple[FakeMastodonApi, FakeBlueskyPds]]:
    with FakeMastodonApi(clock=time) as mastodon, FakeBlueskyPds(clock=time) as bluesky:
        yield mastodon, bluesky


def live(
    tmp_path: Path,
    servers: tuple[FakeMastodonApi, FakeBlueskyPds],
    time: FakeTime,
    *args: str,
) -> tuple[Run, Replay, Path]:
    mastodon, bluesky = servers
    replay = Replay(mastodon, bluesky)
    time.on_sleep = replay
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    rt = runtime(env=env_for(mastodon, bluesky), time=time)
    result = invoke(rt, ["live", "--chat", str(chat), *args])
    assert result.exit_code == 0, result.stderr + result.output
    return result, replay, chat


def test_json_of_a_scripted_hour_is_each_post_of_the_window_once(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], time: FakeTime
) -> None:
    result, replay, _ = live(tmp_path, servers, time, "--json")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    written = replay.in_window()
    for network in ("mastodon", "bluesky"):  # each network's posts in their order, each once
        assert [x["id"] for x in lines if x["network"] == network] == [
            w.id for w in written if w.network == network
        ]
    exp = replay.expected
    assert len(lines) == exp.posts
    first = lines[0]
    assert set(first) == {"schema_version", "network", "id", "handle", "name", "time", "text",
                          "url", "question", "role"}  # fmt: skip
    assert first["time"].endswith("-05:00")  # the chat's zone
    for n, markers in exp.answers.items():
        under = [x["text"] for x in lines if x["question"] == n and x["role"] != "host"]
        assert sorted(any(m in t for t in under) for m in markers) == [True] * len(markers)
        assert len(under) == len(markers)
    assert not any(m in result.stdout for m in exp.absent)
    assert "reading 19:50 EST to 22:00 EST (times in America/New_York)" in result.stderr


def test_networks_that_fail_for_a_while_say_so_and_catch_up_without_duplicates(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], time: FakeTime
) -> None:
    mastodon, bluesky = servers
    trouble = START + timedelta(minutes=12)
    reset = trouble + timedelta(minutes=3)

    def during_the_hour(now: datetime) -> None:
        replay(now)
        if now >= trouble and not troubled:
            troubled.append(now)
            mastodon.fail_next(TAG_TIMELINE, 429, {"error": "Too many requests"},
                               {"X-RateLimit-Reset": reset.isoformat()}, times=2)  # fmt: skip
            bluesky.fail_next(SEARCH, 500, {"error": "InternalServerError", "message": "oops"},
                              times=4)  # fmt: skip

    troubled: list[datetime] = []
    replay = Replay(mastodon, bluesky)
    time.on_sleep = during_the_hour
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    result = invoke(runtime(env=env_for(mastodon, bluesky), time=time),
                    ["live", "--chat", str(chat), "--json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    keys = Counter((x["network"], x["id"]) for x in lines)
    assert set(keys.values()) == {1}
    assert set(keys) == {(w.network, w.id) for w in replay.in_window()}
    # The rate limit is waited out until the reset the server named (and a second past it).
    assert "Mastodon: retrying at 20:15:01 EST: Mastodon rate limit reached" in result.stderr
    assert re.search(
        r"Bluesky: retrying at 20:1\d:\d\d EST: Bluesky had a server error "
        r"\(500 InternalServerError: oops\)",
        result.stderr,
    )
    assert result.stderr.count("Bluesky: polling") >= 2  # and back again


def test_a_recap_after_a_live_session_reads_no_network(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], time: FakeTime
) -> None:
    mastodon, bluesky = servers
    _, replay, chat = live(tmp_path, servers, time, "--plain")
    asked = len(mastodon.requests) + len(bluesky.requests)

    done = invoke(runtime(AFTER_WINDOW, env=env_for(mastodon, bluesky)),
                  ["recap", "--chat", str(chat), "--json"])  # fmt: skip
    assert done.exit_code == 0, done.stderr
    assert len(mastodon.requests) + len(bluesky.requests) == asked
    summary = json.loads(done.stdout)
    exp = replay.expected
    assert summary["posts"] == exp.posts
    assert summary["sources"] == {
        "mastodon": {"status": "ok", "posts": exp.per_network["mastodon"]},
        "bluesky": {"status": "ok", "posts": exp.per_network["bluesky"]},
    }


def test_until_stops_early_and_a_recap_then_reads_the_rest(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], time: FakeTime
) -> None:
    mastodon, bluesky = servers
    result, replay, chat = live(tmp_path, servers, time, "--plain", "--until", "30m")
    stopped = WINDOW_START - timedelta(minutes=5) + timedelta(minutes=30)
    shown = result.stdout.splitlines()
    assert len(shown) == len(replay.in_window(until=stopped)) > 0
    assert "stopped: --until" in result.stderr
    assert "to 22:00 EST, stopping at 20:15 EST (--until) (times in America/New_York)" in (
        result.stderr
    )
    # Each line: local time with its zone, network, who, and the question it answers.
    assert any(re.match(r"^20:0\d EST  Mastodon  @\S+  A1  ", line) for line in shown)
    replay(AFTER_WINDOW)
    done = invoke(runtime(AFTER_WINDOW, env=env_for(mastodon, bluesky)),
                  ["recap", "--chat", str(chat), "--json"])  # fmt: skip
    assert json.loads(done.stdout)["posts"] == replay.expected.posts
    assert mastodon.requests_to(TAG_TIMELINE)[-1].arg("since_id")  # the window read again


def test_post_text_is_shown_escaped_and_kept_exact_in_json(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], time: FakeTime
) -> None:
    mastodon, bluesky = servers
    hostile = "A1 \x1b]0;pwned\x07 \u202eevil #IndieDevHour"
    bluesky.add_post(hostile, handle="mal.bsky.test", created_at=START + timedelta(minutes=6))
    chat = chat_on(tmp_path, ["bluesky"])
    env = env_for(mastodon, bluesky)
    for flag in ("--plain", "--json"):
        result = invoke(runtime(env=env, time=FakeTime(time.now, max_sleeps=100_000)),
                        ["live", "--chat", str(chat), flag, "--until", "25m"])  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
        if flag == "--plain":
            assert "\\x1b]0;pwned\\x07 \\u202eevil" in result.stdout
        else:
            assert json.loads(result.stdout)["text"] == hostile


def test_x_is_read_only_once_its_price_a_minute_is_accepted(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], time: FakeTime
) -> None:
    mastodon, bluesky = servers
    opened = time.now
    with FakeXSearch(now=time) as x:
        x.add_tweet("A1: from X #IndieDevHour", username="yan", at=START + timedelta(minutes=6))
        chat = chat_on(tmp_path, ["x", "bluesky"])
        env = env_for(mastodon, bluesky, x)
        args = ["live", "--chat", str(chat), "--json", "--until", "30m"]
        refused = invoke(runtime(env=env, time=time), args)
        assert refused.exit_code == 0, refused.stderr
        assert "X: not checked: its price was not confirmed" in refused.stderr
        assert x.requests_to("GET /2/tweets/search/recent") == []

        time.now = opened
        paid = invoke(runtime(env=env, time=time), [*args, "--yes"])
        assert paid.exit_code == 0, paid.stderr
        assert (
            "X recent search while live: 1 call every 60 s x $0.005 = $0.005 a minute of "
            "polling, at most $0.650 over 130 minutes (price_count_usd)"
        ) in paid.stderr
        posts = [json.loads(line) for line in paid.stdout.splitlines()]
        assert [(p["network"], p["handle"], p["question"]) for p in posts] == [("x", "@yan", 1)]
        calls = x.requests_to("GET /2/tweets/search/recent")
        assert 0 < len(calls) <= 26  # once a minute from 19:50 to 20:15, both ends


def test_the_sessions_guests_are_marked(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], time: FakeTime
) -> None:
    mastodon, bluesky = servers
    replay = Replay(mastodon, bluesky)
    time.on_sleep = replay
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    data = yaml.safe_load(chat.read_text(encoding="utf-8"))
    data["guests"] = [{"name": "Noor", "email": "noor@example.org", "handle": "@noor",
                       "session": SESSION_DAY}]  # fmt: skip
    chat.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    args = ["live", "--chat", str(chat), "--json", "--until", "40m"]
    result = invoke(runtime(env=env_for(mastodon, bluesky), time=time), args)
    assert result.exit_code == 0, result.stderr
    roles = {(x["handle"], x["role"]) for x in map(json.loads, result.stdout.splitlines())}
    assert {role for handle, role in roles if handle.startswith("@noor")} == {"guest"}
    assert {role for handle, role in roles if handle.startswith("@ada_example")} == {"host"}
    assert {role for handle, role in roles if handle.startswith("@mia")} == {""}


@pytest.mark.parametrize(
    ("now", "session", "error"),
    [
        (START - timedelta(days=3), None, "the next session is on 2027-03-02: no session is near"),
        (START + timedelta(days=1), "2027-03-02", "the session of 2027-03-02 is over"),
    ],
)
def test_a_session_not_near_or_over_is_a_clear_error(
    tmp_path: Path, now: datetime, session: str | None, error: str
) -> None:
    chat = chat_on(tmp_path, ["bluesky"])
    args = ["live", "--chat", str(chat), *(["--session", session] if session else [])]
    result = invoke(runtime(now), args)
    assert result.exit_code == 2
    assert f"Error: {error}" in result.stderr
    assert "Hint: pass --session DATE" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_store_that_cannot_be_written_ends_the_run_with_one_clear_line(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], time: FakeTime
) -> None:
    mastodon, bluesky = servers
    time.on_sleep = Replay(mastodon, bluesky)
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    rt = runtime(env=env_for(mastodon, bluesky), time=time)
    writable = rt.post_store

    def read_only(chat_file: Path, *, any_thread: bool = False) -> PostStore:
        store = writable(chat_file, any_thread=any_thread)
        store.conn.execute("PRAGMA query_only = 1")  # as a full disk refuses every write
        return store

    rt.post_store = read_only  # type: ignore[method-assign]
    result = invoke(rt, ["live", "--chat", str(chat), "--json"])
    assert result.exit_code == 1
    assert "Error: community.db: could not be written" in result.stderr
    assert "Hint: free some disk space" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_a_chat_whose_networks_cannot_be_read_is_an_error_not_a_quiet_hour(
    tmp_path: Path, time: FakeTime
) -> None:
    chat = chat_on(tmp_path, ["x", "bluesky"])  # no credentials for either
    result = invoke(runtime(env={}, time=time), ["live", "--chat", str(chat), "--plain"])
    assert result.exit_code == 1
    assert "X: not checked: no X bearer token" in result.stderr
    assert "Bluesky: not checked: " in result.stderr
    assert "Error: no network of the chat could be read" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_json_lines_match_their_golden_file(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], time: FakeTime
) -> None:
    # The shape scripts read (tests/golden/json/live.jsonl; UPDATE_GOLDEN=1 rewrites it): the
    # first 25 minutes of the scripted hour, one object a line, times in the chat's zone.
    result, _, _ = live(tmp_path, servers, time, "--json", "--until", "25m")
    golden = Path(__file__).parent / "golden" / "json" / "live.jsonl"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
    assert all(json.loads(line)["schema_version"] == 1 for line in result.stdout.splitlines())


def test_a_marked_post_stays_marked_across_runs_and_goes_with_its_author(tmp_path: Path) -> None:
    from launchkit.domain.recap.posts import Post, parse_handle_rules

    at = START + timedelta(minutes=7)
    posts = [Post("mastodon", str(i), who, who, at, f"A1 {who} #IndieDevHour", "")
             for i, who in enumerate(["bo", "cy"])]  # fmt: skip
    path = tmp_path / "community.db"
    with PostStore.open(path) as store:
        store.add_posts("#IndieDevHour", SESSION_DAY, posts)
        store.set_highlight("#IndieDevHour", "mastodon", "0", True)
        store.set_highlight("#IndieDevHour", "mastodon", "1", True)
        store.set_highlight("#IndieDevHour", "mastodon", "1", False)  # m again: unmarked
    with PostStore.open(path) as store:  # the next run (the recap) sees the mark
        assert store.highlights("#IndieDevHour") == {("mastodon", "0")}
        store.forget("#IndieDevHour", parse_handle_rules(["@bo"]))  # bo asked to be left out
        assert store.highlights("#IndieDevHour") == set()
