"""The recap post says what happened: once a session has a recap, its planned recap post
carries the real figures (in the ledger, in `render`, after a new `schedule`), and
`post --watch` recaps a session right before its recap post goes out."""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest

from launchkit.adapters.chatfolder import ChatFolder, open_chat_folder
from launchkit.adapters.ledger import Item, PlanRow, RowChanged
from launchkit.adapters.x_post import tweepy_publisher
from launchkit.commands import post
from launchkit.commands.recap_post import recap_before_sending
from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.fakes.x_search import FakeXSearch
from tests.recap_hour import AFTER_WINDOW, START, chat_on, env_for, recap, script_hour
from tests.support import invoke, open_ledger, plan, runtime, x_settings

RECAP_DUE = START + timedelta(hours=3)
LINK = "https://example.org/recaps"
# OAuth 1.0a keys to post on the fake X API (it takes any), and the fake Mastodon's token:
# the chat posts on all three networks (Bluesky's account is in `env_for`).
POSTING = {
    "LAUNCHKIT_MASTODON_TOKEN": "test-mastodon-token",
    "LAUNCHKIT_X_API_KEY": "ck",
    "LAUNCHKIT_X_API_SECRET": "cs",
    "LAUNCHKIT_X_ACCESS_TOKEN": "at",
    "LAUNCHKIT_X_ACCESS_SECRET": "as",
}


def recap_row(chat: Path, network: str = "x") -> Item:
    with open_ledger(chat) as ledger:
        rows = [
            i
            for i in ledger.items(channel=network)
            if i.ref.step == "recap" and i.ref.session.isoformat() == "2027-03-02"
        ]
    assert len(rows) == 1
    return rows[0]


def test_the_planned_recap_post_carries_the_real_figures(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    script_hour(hour_mastodon, hour_bluesky, chatter=1)
    chat = chat_on(tmp_path, ["x", "mastodon", "bluesky"], transcripts_url=LINK)
    plan(chat)
    generic = recap_row(chat).text
    assert generic.startswith("Missed #IndieDevHour on Tue 2 Mar?")

    summary = json.loads(recap(chat, env_for(hour_mastodon, hour_bluesky), "--json").stdout)
    people, posts = summary["participants"], summary["posts"]
    expected = (
        f"Thank you! {people} people, {posts} posts in #IndieDevHour on Tue 2 Mar — transcript: "
        f"{LINK}/2027-03-02/transcript.html"
    )
    row = recap_row(chat)
    assert row.text == expected and row.state == "planned" and row.has_url
    # The next sessions keep today's text until they have a recap of their own.
    with open_ledger(chat) as ledger:
        later = [i for i in ledger.items() if i.ref.step == "recap" and i.text != expected]
    assert later and all(i.text.startswith("Missed #IndieDevHour on ") for i in later)

    plan(chat)  # planning again keeps the figures
    assert recap_row(chat).text == expected
    out = tmp_path / "pack"
    args = ["render", "--chat", str(chat), "--session", "2027-03-02", "--out", str(out)]
    rendered = invoke(runtime(AFTER_WINDOW), args)
    assert rendered.exit_code == 0, rendered.stderr
    assert expected in (out / "posts.md").read_text(encoding="utf-8")


def test_post_watch_recaps_the_session_right_before_its_recap_post(
    tmp_path: Path,
    hour_mastodon: FakeMastodonApi,
    hour_bluesky: FakeBlueskyPds,
    hour_x: FakeXSearch,
) -> None:
    exp = script_hour(hour_mastodon, hour_bluesky, hour_x, chatter=0)
    chat = chat_on(tmp_path, ["x", "mastodon", "bluesky"])
    plan(chat)
    env = env_for(hour_mastodon, hour_bluesky, hour_x) | POSTING
    now = RECAP_DUE + timedelta(seconds=30)
    until = now.astimezone(UTC).isoformat()
    result = invoke(
        runtime(now, env=env), ["post", "--chat", str(chat), "--watch", "--until", until]
    )
    assert result.exit_code == 0, result.stderr
    people = len([k for k in exp.people if k[0] != "x"])  # X was not read: nobody confirmed
    posts = exp.posts - exp.per_network["x"]
    sent = hour_x.posted_texts()
    assert sent == [f"Thank you! {people} people, {posts} posts in #IndieDevHour on Tue 2 Mar"]
    assert hour_x.requests_to("GET /2/tweets/search/recent") == []
    summary = tmp_path / "out" / "recap" / "2027-03-02" / "summary.json"
    status = json.loads(summary.read_text(encoding="utf-8"))["sources"]["x"]["status"]
    assert (
        status
        == "not checked: post --watch does not ask for X's price (run `launchkit recap --yes`)"
    )
    # One recap for the session, its post on every network with the same figures.
    rows = [recap_row(chat, network) for network in ("x", "mastodon", "bluesky")]
    assert {r.state for r in rows} == {"sent"}
    assert all(f"{people} people, {posts} posts" in r.text for r in rows)


def test_post_without_watch_never_opens_the_chat_for_a_recap(
    tmp_path: Path,
    hour_mastodon: FakeMastodonApi,
    hour_bluesky: FakeBlueskyPds,
    hour_x: FakeXSearch,
) -> None:
    script_hour(hour_mastodon, hour_bluesky, chatter=0)
    chat = chat_on(tmp_path, ["x", "mastodon", "bluesky"])
    plan(chat)
    env = env_for(hour_mastodon, hour_bluesky, hour_x) | POSTING
    result = invoke(
        runtime(RECAP_DUE + timedelta(seconds=30), env=env), ["post", "--chat", str(chat)]
    )
    assert result.exit_code == 0, result.stderr
    assert hour_x.posted_texts()[0].startswith("Missed #IndieDevHour on ")  # cron: today's text
    assert hour_mastodon.requests_to("GET /api/v1/timelines/tag/:hashtag") == []
    assert not (tmp_path / "out" / "recap").exists()


def test_a_recap_before_any_schedule_needs_no_ledger(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    script_hour(hour_mastodon, hour_bluesky, chatter=0)
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    recap(chat, env_for(hour_mastodon, hour_bluesky))
    assert not (tmp_path / ".launchkit" / "ledger.db").exists()
    assert (tmp_path / ".launchkit" / "community.db").is_file()


def test_a_recap_post_takes_its_figures_only_while_it_is_planned(tmp_path: Path) -> None:
    chat = chat_on(tmp_path, ["x"])
    plan(chat)
    held = recap_row(chat)  # as a `post` run in another process read it
    figures = "Thank you! 3 people, 9 posts in #IndieDevHour on Tue 2 Mar"
    with open_ledger(chat) as ledger:
        assert ledger.retext(PlanRow(held.chat, held.ref, figures))
        assert not ledger.retext(PlanRow(held.chat, held.ref, figures))  # already so
        with pytest.raises(RowChanged):
            ledger.mark_sending(held)  # the generic text can no longer go out
        current = ledger.get(held)
        assert current is not None and current.version == held.version + 1
        sending = ledger.mark_sending(current)
        assert not ledger.retext(PlanRow(held.chat, held.ref, "Thank you! 4 people"))
    row = recap_row(chat)
    assert (row.state, row.text, row.version) == ("sending", figures, sending.version)


def test_a_recap_post_cancelled_while_its_session_is_recapped_is_not_sent(
    tmp_path: Path, hour_x: FakeXSearch
) -> None:
    chat = chat_on(tmp_path, ["x"])
    plan(chat)
    now = RECAP_DUE + timedelta(seconds=30)

    def recap_while_the_host_cancels_the_session(folder: ChatFolder, item: Item) -> None:
        # `schedule --cancel`, from another process. (`--shift` moves only the sessions not
        # yet begun, and this one has: its recap post is due.)
        plan(chat, now, cancel=date(2027, 3, 2))

    with open_ledger(chat, now) as ledger:
        prepare = recap_before_sending(
            lambda: open_chat_folder(chat), ledger, recap_while_the_host_cancels_the_session
        )
        publisher = tweepy_publisher(x_settings(hour_x.base_url))
        run = post.run(
            ledger, lambda network: publisher, post.PostOptions(prepare=prepare), lambda: now
        )
    assert [r.outcome for r in run.results if r.ref.step == "recap"] == []
    assert hour_x.posted_texts() == []
    assert recap_row(chat).state == "cancelled"  # the host cancelled its session
