"""`launchkit recap` over a whole scripted hour on the local Mastodon and Bluesky servers
(tests/recap_hour.py), through the CLI: the transcript, the figures, privacy and X's price."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.fakes.x_search import FakeXSearch
from tests.recap_hour import (
    AFTER_WINDOW,
    START,
    Expected,
    chat_on,
    env_for,
    recap,
    script_hour,
)
from tests.support import invoke, runtime


def sections(markdown: str) -> dict[str, str]:
    """The transcript's sections by heading ("Q1", ..., "rest"), Markdown escapes undone."""
    markdown = re.sub(r"\\(.)", r"\1", markdown)
    parts = re.split(r"^## (Q\d+|The rest of the conversation)", markdown, flags=re.MULTILINE)
    return {
        ("rest" if h.startswith("The") else h): body
        for h, body in zip(parts[1::2], parts[2::2], strict=True)
    }


def test_every_answer_is_under_its_question_and_the_figures_are_exact(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    exp = script_hour(hour_mastodon, hour_bluesky)
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    result = recap(chat, env_for(hour_mastodon, hour_bluesky), "--json")

    summary = json.loads(result.stdout)
    assert summary["schema_version"] == 1
    assert summary["session"] == "2027-03-02" and summary["hashtag"] == "#IndieDevHour"
    assert summary["window"] == {
        "start": "2027-03-02T19:50:00-05:00",
        "end": "2027-03-02T22:00:00-05:00",
    }
    assert summary["sources"] == {
        "mastodon": {"status": "ok", "posts": exp.per_network["mastodon"]},
        "bluesky": {"status": "ok", "posts": exp.per_network["bluesky"]},
    }
    assert summary["posts"] == exp.posts
    assert summary["participants"] == 12 == len(exp.people)
    assert [(q["n"], q["answers"]) for q in summary["questions"]] == [
        (n, len(exp.answers[n])) for n in range(1, 6)
    ]
    assert summary["questions"][0]["text"] == "question 1"  # as the host posted it
    top = exp.people.most_common()
    assert summary["top_participants"][0] == {
        "network": top[0][0][0],
        "handle": top[0][0][1],
        "posts": top[0][1],
    }
    assert sum(p["posts"] for p in summary["top_participants"]) == sum(n for _, n in top[:10])

    out = tmp_path / "out" / "recap" / "2027-03-02"
    assert json.loads((out / "summary.json").read_text(encoding="utf-8")) == summary
    parts = sections((out / "transcript.md").read_text(encoding="utf-8"))
    assert list(parts) == ["Q1", "Q2", "Q3", "Q4", "Q5", "rest"]
    for n, markers in exp.answers.items():
        for marker in markers:
            where = [name for name, body in parts.items() if marker in body]
            assert where[:1] == [f"Q{n}"], f"{marker!r} is under {where}"
    for marker in exp.others:
        assert marker in parts["rest"] and not any(marker in parts[f"Q{n}"] for n in range(1, 6))
    page = (out / "transcript.html").read_text(encoding="utf-8")
    for marker in exp.absent:
        assert marker not in page and not any(marker in body for body in parts.values())
    # Answers are in time order under their question, each with its author, network, time
    # in the chat's zone and a link; the host's questions are marked.
    q1 = parts["Q1"]
    host = r"\*\*@ada_example@127\.0\.0\.1\*\* \(Ada_Example\) \*host\* · Mastodon · 20:05 EST"
    assert re.search(host + r" · \[link\]", q1)
    assert (
        "**@sam.bsky.test** (Sam) · Bluesky · 20:06 EST · [link](<https://bsky.app/profile/sam.bsky.test/post/"
        in q1
    )
    assert re.search(r"replying to @noor@127\.0\.0\.1  \n  love this 1 #", parts["rest"])


def test_the_page_reads_on_a_phone_and_shows_post_text_as_text(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    hostile = 'A1: <script>alert(1)</script> & "quotes" #IndieDevHour'
    hour_mastodon.add_status(hostile, username="mia", created_at=START + timedelta(minutes=7))
    markup = "A1: *not bold* [x](javascript:alert(1)) #IndieDevHour"
    at = START + timedelta(minutes=8)
    hour_bluesky.add_post(markup, handle="sam.bsky.test", created_at=at)
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    recap(chat, env_for(hour_mastodon, hour_bluesky))
    out = tmp_path / "out" / "recap" / "2027-03-02"
    page = (out / "transcript.html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert (
        "<script" not in page
        and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    )
    assert "<link" not in page and "src=" not in page  # one file: nothing to load
    markdown = (out / "transcript.md").read_text(encoding="utf-8")
    assert r"A1: \*not bold\* \[x\](javascript:alert(1))" in markdown
    assert "&lt;" not in markdown and "<script>alert" not in markdown.replace(r"\<", "")


def test_people_left_out_are_in_no_output_and_not_in_the_store(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    exp = script_hour(hour_mastodon, hour_bluesky)
    chat = chat_on(tmp_path, ["mastodon", "bluesky"], exclude=["@noor"])
    result = recap(
        chat, env_for(hour_mastodon, hour_bluesky), "--exclude", "bluesky:tao.bsky.test", "--json"
    )
    summary = json.loads(result.stdout)
    left_out = exp.people[("mastodon", "noor")] + exp.people[("bluesky", "tao.bsky.test")]
    assert summary["posts"] == exp.posts - left_out
    assert summary["participants"] == 10
    out = tmp_path / "out" / "recap" / "2027-03-02"
    for name in ("transcript.md", "transcript.html", "summary.json"):
        text = (out / name).read_text(encoding="utf-8")
        assert "noor" not in text and "tao.bsky" not in text
    store = (tmp_path / ".launchkit" / "community.db").read_bytes()
    assert b"noor" not in store and b"tao.bsky" not in store
    people = invoke(runtime(AFTER_WINDOW), ["people", "--chat", str(chat), "--json"])
    assert "noor" not in people.stdout and "tao.bsky" not in people.stdout


def test_x_is_never_read_without_its_price_confirmed(
    tmp_path: Path,
    hour_mastodon: FakeMastodonApi,
    hour_bluesky: FakeBlueskyPds,
    hour_x: FakeXSearch,
) -> None:
    exp = script_hour(hour_mastodon, hour_bluesky, hour_x, chatter=0)
    chat = chat_on(tmp_path, ["x", "mastodon", "bluesky"])
    env = env_for(hour_mastodon, hour_bluesky, hour_x)
    search = "GET /2/tweets/search/recent"

    unasked = recap(chat, env, "--json")  # no terminal to ask at, no --yes
    summary = json.loads(unasked.stdout)
    assert summary["sources"]["x"]["status"].startswith("not checked: its price was not confirmed")
    assert "X recent search: at most 10 calls x $0.005 = at most $0.050" in unasked.stderr
    assert summary["posts"] == exp.posts - 3 and summary["sources"]["mastodon"]["status"] == "ok"
    declined = recap(chat, env, terminal=True, answers="n\n")
    assert "Read it? [y/N]" in declined.stderr and "its price was declined" in declined.stdout
    assert hour_x.requests_to(search) == []

    accepted = recap(chat, env, "--json", terminal=True, answers="y\n")
    summary = json.loads(accepted.stdout)
    assert summary["sources"]["x"] == {"status": "ok", "posts": 3}
    assert summary["posts"] == exp.posts and summary["participants"] == 14
    assert summary["questions"][0]["answers"] == len(exp.answers[1])
    calls = hour_x.requests_to(search)
    assert len(calls) == 1 and calls[0].arg("query") == "#IndieDevHour"
    md = (tmp_path / "out" / "recap" / "2027-03-02" / "transcript.md").read_text(encoding="utf-8")
    assert "answer 1 from yan & co" in sections(md)["Q1"]  # X's &amp; decoded

    # Read whole once, the window is kept: a second recap reads nothing again, X included.
    before = len(hour_mastodon.requests) + len(hour_bluesky.requests)
    again = recap(chat, env, "--json", "--yes")
    assert json.loads(again.stdout)["posts"] == exp.posts
    assert len(hour_x.requests_to(search)) == 1
    assert len(hour_mastodon.requests) + len(hour_bluesky.requests) == before


def test_a_network_that_fails_is_not_checked_and_the_others_go_on(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    exp = script_hour(hour_mastodon, hour_bluesky, chatter=0)
    hour_mastodon.fail_next(
        "GET /api/v1/timelines/tag/:hashtag", 503, {"error": "Service Unavailable"}
    )
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    env = env_for(hour_mastodon, hour_bluesky)
    del env["LAUNCHKIT_BLUESKY_APP_PASSWORD"]
    summary = json.loads(recap(chat, env, "--json").stdout)
    assert summary["sources"]["mastodon"]["status"].startswith("not checked: ")
    assert "server error" in summary["sources"]["mastodon"]["status"]
    assert summary["sources"]["bluesky"]["status"] == (
        "not checked: no Bluesky account: LAUNCHKIT_BLUESKY_APP_PASSWORD not set"
    )
    assert summary["posts"] == 0
    retry = json.loads(recap(chat, env_for(hour_mastodon, hour_bluesky), "--json").stdout)
    assert retry["posts"] == exp.posts  # nothing was marked read by the failed run


def _session_two(hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds) -> Expected:
    return script_hour(hour_mastodon, hour_bluesky, start=START + timedelta(days=7), chatter=1,
                       who=(0, 1, 2), label=" (2)")  # fmt: skip


def test_the_default_session_is_the_latest_that_has_ended(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    chat = chat_on(tmp_path, ["mastodon"])
    during = START + timedelta(days=7, minutes=30)  # the second session is on
    result = recap(chat, env_for(hour_mastodon, hour_bluesky), "--json", now=during)
    assert json.loads(result.stdout)["session"] == "2027-03-02"
    early = invoke(runtime(START - timedelta(days=1)), ["recap", "--chat", str(chat)])
    assert early.exit_code == 2 and "no session of this chat has ended yet" in early.stderr
    wrong = invoke(runtime(during), ["recap", "--chat", str(chat), "--session", "2027-03-04"])
    assert wrong.exit_code == 2 and "2027-03-04 is not a session of this chat" in wrong.stderr


def test_a_full_disk_during_a_recap_is_one_clear_line_and_the_earlier_recap_stays(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    exp = script_hour(hour_mastodon, hour_bluesky)
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    env = env_for(hour_mastodon, hour_bluesky)
    recap(chat, env)  # the first recap is stored
    rt = runtime(AFTER_WINDOW, env=env)
    writable_posts, writable_people = rt.post_store, rt.people_store

    def full(store: Any) -> Any:
        store.conn.execute("PRAGMA query_only = 1")  # as a full disk refuses every write
        return store

    rt.post_store = lambda chat_file, **kw: full(writable_posts(chat_file, **kw))  # type: ignore[method-assign]
    rt.people_store = lambda chat_file: full(writable_people(chat_file))  # type: ignore[method-assign]
    again = invoke(rt, ["recap", "--chat", str(chat), "--refresh", "--json"])
    assert again.exit_code != 0
    assert "Error: community.db: could not be written" in again.stderr
    assert "Hint: free some disk space" in again.stderr
    assert "Traceback" not in again.stderr + again.output
    after = json.loads(recap(chat, env, "--json").stdout)  # read from the store, as before
    assert after["posts"] == exp.posts
