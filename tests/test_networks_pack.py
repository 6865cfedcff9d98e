"""A chat on several networks: `networks:` in chat.yaml, steps for one network, per-network
template variants, one pack item per network, and each network's length rule."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from launchkit.adapters.templates import load_templates
from launchkit.commands.pack import build_pack
from launchkit.domain.playbooks import PlaybookError, parse_playbook
from launchkit.domain.sessions import session_starts
from launchkit.errors import ConfigError
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.support import example_chat_file, invoke, make_chat, open_ledger, plan, runtime

NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
NAMES = {"x/question", "x/announce", "bluesky/thread", "email/guest_invite"}


def _book(*steps: dict[str, Any]) -> Any:
    return parse_playbook({"name": "t", "steps": list(steps)}, "t.yaml", NAMES)


def _question(**extra: Any) -> dict[str, Any]:
    step = {"id": "question", "channel": "post", "template": "x/question", "offset": "+5m"}
    return {**step, "each": "question", "every": "10m", **extra}


def _pack(networks: list[str], book: Any = None, templates: Path | None = None, **chat: Any) -> Any:
    made = make_chat(networks=networks, **chat)
    steps = book or _book(_question())
    return build_pack(made, steps, session_starts(made, 1), NOW, load_templates(templates))


def test_a_chat_is_on_x_unless_it_says_otherwise() -> None:
    assert make_chat().networks == ["x"]
    assert make_chat(networks=["Bluesky", "x"]).networks == ["bluesky", "x"]


def test_a_post_step_makes_one_item_per_network_in_the_chats_order() -> None:
    pack = _pack(["x", "mastodon", "bluesky"])
    first = [p for p in pack.posts if p.ref.index == 1]
    assert [p.ref.channel for p in first] == ["x", "mastodon", "bluesky"]
    assert len({p.ref.key for p in first}) == 1  # one item, three networks
    assert len(pack.posts) == 3 * 6


def test_a_step_may_name_one_network() -> None:
    book = _book(_question(network="bluesky"))
    assert {p.ref.channel for p in _pack(["x", "bluesky"], book).posts} == {"bluesky"}
    assert _pack(["x", "mastodon"], book).posts == ()


def test_channel_x_is_a_post_step_on_x_alone() -> None:
    book = _book({**_question(), "channel": "x"})
    assert {p.ref.channel for p in _pack(["x", "mastodon"], book).posts} == {"x"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"network": "myspace"}, "network 'myspace' is not one of: x, mastodon, bluesky"),
        ({"channel": "x", "network": "bluesky"}, "channel x and network bluesky disagree"),
        (
            {
                "channel": "email",
                "template": "email/guest_invite",
                "each": "guest",
                "every": None,
                "network": "x",
            },
            "an email step has no network",
        ),
        ({"template": "email/guest_invite"}, "does not fit a post step (use x/... or mastodon/..."),
    ],
)
def test_bad_network_steps_name_file_and_step(change: dict[str, Any], message: str) -> None:
    with pytest.raises(
        PlaybookError, match=r"t\.yaml: step 1 \(question\): .*" + re.escape(message)
    ):
        _book({**_question(), **change})


def test_a_networks_own_template_variant_is_used_there(tmp_path: Path) -> None:
    (tmp_path / "mastodon").mkdir()
    (tmp_path / "mastodon" / "question.txt.j2").write_text(
        "Q{{ n }} (on {{ network }}): {{ question }} {{ hashtag }}", encoding="utf-8"
    )
    pack = _pack(["x", "mastodon"], templates=tmp_path)
    first = {p.ref.channel: p for p in pack.posts if p.ref.index == 1}
    assert first["mastodon"].text == "Q1 (on mastodon): Question 1? #IndieDevHour"
    assert first["mastodon"].template == "mastodon/question"
    assert first["x"].template == "x/question" and "(on" not in first["x"].text


def test_too_long_on_one_network_names_step_network_and_excess() -> None:
    long_link = "https://example.org/" + "a" * 300  # X and Mastodon count it 23; Bluesky not
    book = _book({"id": "announce", "channel": "post", "template": "x/announce", "offset": "-1d"})
    assert _pack(["x", "mastodon"], book, link=long_link).posts
    with pytest.raises(ConfigError) as caught:
        _pack(["x", "mastodon", "bluesky"], book, link=long_link)
    assert caught.value.message.startswith("announce (2027-03-02) on Bluesky is ")
    assert "/300 graphemes: shorten template x/announce by " in caught.value.message


def test_a_bad_networks_list_is_one_clear_line(tmp_path: Path) -> None:
    chat = example_chat_file(tmp_path, networks=["x", "threads"])
    run = invoke(runtime(NOW), ["render", "--chat", str(chat)])
    assert run.exit_code == 3
    assert "networks: 'threads' is not a network launchkit posts to" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("command", ["render", "schedule"])
def test_mastodon_posts_are_checked_against_the_instances_limit(
    tmp_path: Path, command: str
) -> None:
    chat = example_chat_file(tmp_path, networks=["x", "mastodon"])
    with FakeMastodonApi(max_characters=60) as instance:
        rt = runtime(NOW, env={"LAUNCHKIT_MASTODON_URL": instance.base_url})
        run = invoke(rt, [command, "--chat", str(chat)])
    assert run.exit_code == 3
    assert "on Mastodon is " in run.stderr and "/60 characters: shorten" in run.stderr
    ledger = tmp_path / ".launchkit" / "ledger.db"
    if ledger.exists():  # `schedule` planned nothing
        with open_ledger(chat) as opened:
            assert opened.items() == []


def test_render_writes_every_networks_posts(tmp_path: Path) -> None:
    chat = example_chat_file(tmp_path, networks=["x", "bluesky"])
    run = invoke(runtime(NOW), ["render", "--chat", str(chat), "--out", str(tmp_path / "out")])
    assert run.exit_code == 0, run.stderr
    posts = json.loads((tmp_path / "out" / "posts.json").read_text(encoding="utf-8"))["posts"]
    assert {p["network"] for p in posts} == {"x", "bluesky"}
    markdown = (tmp_path / "out" / "posts.md").read_text(encoding="utf-8")
    assert " · Bluesky " in markdown and "/300 graphemes" in markdown


def test_schedule_plans_each_post_once_on_every_network_of_the_chat(tmp_path: Path) -> None:
    chat = example_chat_file(tmp_path, networks=["x", "mastodon", "bluesky"])
    result = plan(chat, NOW)
    posts = [t for t in result.items if t.ref.channel != "email"]
    by_item: dict[str, list[str]] = {}
    for t in posts:
        by_item.setdefault(t.ref.key, []).append(t.ref.channel)
    # Every post item is three rows, listed X, Mastodon, Bluesky; an email is one row.
    assert by_item and all(n == ["x", "mastodon", "bluesky"] for n in by_item.values())
    assert sum(t.ref.channel == "email" for t in result.items) >= 1
    assert result.counts.added == len(result.items)
    # Only X is priced.
    assert all(t.cost_usd == 0 for t in posts if t.ref.channel != "x")
    assert any(t.cost_usd > 0 for t in posts if t.ref.channel == "x")
    assert not any("not scheduled" in w for w in result.warnings)
    # Planning again changes nothing; a network taken off the chat cancels its rows only.
    assert plan(chat, NOW).counts.added == 0
    example_chat_file(tmp_path, networks=["x", "bluesky"])
    again = plan(chat, NOW)
    assert again.counts.dropped == len(by_item)
    states = {(t.ref.channel, t.state) for t in again.items if t.ref.channel != "email"}
    assert states == {("x", "planned"), ("mastodon", "cancelled"), ("bluesky", "planned")}


def test_init_checks_mastodon_posts_against_the_instances_limit(tmp_path: Path) -> None:
    answers = Path(__file__).parents[1] / "examples" / "answers.yaml"
    target = tmp_path / "chat"
    with FakeMastodonApi(max_characters=60) as instance:
        rt = runtime(NOW, env={"LAUNCHKIT_MASTODON_URL": instance.base_url})
        args = ["init", str(target), "--answers", str(answers), "--set", "networks=x,mastodon"]
        run = invoke(rt, args)
    assert run.exit_code == 3, run.stderr
    assert "on Mastodon is " in run.stderr and "/60 characters: shorten" in run.stderr
    assert "Traceback" not in run.stderr
