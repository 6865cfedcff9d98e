"""launchkit init in-process: a scripted asker drives the whole flow; answers round-trip."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from launchkit.cli import app
from launchkit.commands import init as cmd
from launchkit.commands.init import checks as init_checks
from launchkit.commands.init.steps import build_steps
from launchkit.commands.init.wizard import ScriptedAsker, collect, missing_answers
from tests.support import (
    QUESTIONS,
    REPO,
    WIZARD_TODAY,
    columns,
    init_context,
    wizard_script,
)

ANSWERS = REPO / "examples" / "answers.yaml"
TODAY = WIZARD_TODAY
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
runner = CliRunner()


def _ctx(tmp_path: Path) -> cmd.InitContext:
    ctx: cmd.InitContext = init_context(tmp_path / "chat", TODAY)
    return ctx


def test_taken_hashtag_cannot_be_chosen(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    problem = init_checks.hashtag_problem(ctx, "#EdChat")
    assert problem is not None and "taken" in problem
    assert init_checks.hashtag_problem(ctx, "#2030") is not None
    assert init_checks.hashtag_problem(ctx, "#IndieDevLaunch") is None


def test_scripted_flow_writes_chat_pack_and_ledger(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    steps = build_steps(ctx)
    asker = ScriptedAsker(wizard_script())
    answers = collect(steps, {}, asker)
    assert "hashtag_ok" not in asker.asked  # a clear tag needs no extra yes
    assert answers["audience_timezones"] == ["America/New_York", "Europe/London"]
    result = cmd.finish(ctx, answers, NOW)
    chat = yaml.safe_load(result.chat_file.read_text(encoding="utf-8"))
    assert chat["hashtag"] == "#IndieDevLaunch"
    assert chat["schedule"] == {
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "start": "20:00",
        "duration_min": 60,
        "first": "2026-12-22",
    }
    assert (ctx.target / "out" / "posts.json").is_file()
    assert list((ctx.target / "out" / "emails").glob("*.eml"))
    with sqlite3.connect(ctx.target / ".launchkit" / "ledger.db") as db:
        planned = db.execute("SELECT count(*) FROM items").fetchone()[0]
    assert planned == len(result.schedule.items) > 0
    assert any("launchkit post" in step for step in result.next_steps)


def test_caution_hashtag_needs_explicit_yes(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    assert ctx.report("#blog").verdict == "caution"  # #blogchat is in the snapshot
    steps = build_steps(ctx)
    # The host first says no to the caution tag, is asked again, and picks a clear one.
    asker = ScriptedAsker(
        wizard_script(hashtag=["#blog", "#IndieDevLaunch"], hashtag_ok=[False], slot_ok=True)
    )
    answers = collect(steps, {}, asker)
    assert answers["hashtag"] == "#IndieDevLaunch"
    assert asker.asked.count("hashtag") == 2
    assert asker.asked.count("hashtag_ok") == 1


def test_too_long_question_is_refused(tmp_path: Path) -> None:
    steps = {s.name: s for s in build_steps(_ctx(tmp_path))}
    question = steps["questions"]
    answers = {"hashtag": "#IndieDevLaunch", "_n": 4}
    assert question.validate is not None
    problem = question.validate("x" * 270, answers)
    assert problem is not None and "shorten it by" in problem
    assert question.meter is not None
    assert question.meter("Short one?", answers) == "Q4 as posted: 30/280 (250 left)"


def test_missing_answers_without_terminal_are_listed(tmp_path: Path) -> None:
    partial = tmp_path / "answers.yaml"
    partial.write_text("name: Indie Dev Hour\ntimezone: America/New_York\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path / "c"), "--answers", str(partial)])
    assert result.exit_code == 2
    assert "the answers leave out: topic, host_name, host_email" in result.output
    assert not (tmp_path / "c" / "chat.yaml").exists()


def test_answers_file_round_trips(tmp_path: Path) -> None:
    first = runner.invoke(app, ["init", str(tmp_path / "a"), "--answers", str(ANSWERS)])
    assert first.exit_code == 0, first.output
    written = tmp_path / "a" / "chat.yaml"
    again = runner.invoke(app, ["init", str(tmp_path / "b"), "--answers", str(written)])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "b" / "chat.yaml").read_text() == written.read_text()
    assert "Next steps (nothing has been posted or mailed)" in first.output


def test_set_overrides_answers_file(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["init", str(tmp_path / "c"), "--answers", str(ANSWERS), "--set", "hashtag=#EdChat"],
    )
    assert result.exit_code == 3
    assert "answers: hashtag: #EdChat: taken" in result.output


def test_resume_uses_partial_answers(tmp_path: Path) -> None:
    target = tmp_path / "c"
    target.mkdir()
    data = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    (target / "chat.partial.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["init", str(target), "--resume"])
    assert result.exit_code == 0, result.output
    assert (target / "chat.yaml").is_file()
    assert not (target / "chat.partial.yaml").exists()


def test_missing_steps_are_named_in_order(tmp_path: Path) -> None:
    steps = build_steps(_ctx(tmp_path))
    assert missing_answers(steps, {"name": "x"})[:3] == ["topic", "host_name", "host_email"]


@pytest.mark.parametrize("bad", ["slot=XX 25:00", "first=2026-12-23", "timezone=America/NewYork"])
def test_bad_answers_name_the_key(tmp_path: Path, bad: str) -> None:
    result = runner.invoke(
        app, ["init", str(tmp_path / "c"), "--answers", str(ANSWERS), "--set", bad]
    )
    key = bad.split("=")[0]
    assert result.exit_code == 3, result.output
    assert f"answers: {key}:" in result.output


def test_live_check_is_opt_in_priced_and_can_send_the_host_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_x_api: Any, fake_mastodon: Any
) -> None:
    monkeypatch.setenv("LAUNCHKIT_X_BEARER_TOKEN", "test-bearer-token")
    monkeypatch.setenv("LAUNCHKIT_X_API_BASE_URL", fake_x_api.base_url)
    monkeypatch.setenv("LAUNCHKIT_MASTODON_URL", fake_mastodon.base_url)
    fake_x_api.set_counts("#IndieDevLaunch", [300] * 7)
    fake_mastodon.set_tag("IndieDevLaunch", uses=[2, 1])
    ctx = _ctx(tmp_path)
    steps = {s.name: s for s in build_steps(ctx)}
    assert "$0.005" in steps["hashtag_live"].text({"hashtag": "#IndieDevLaunch"})
    asker = ScriptedAsker(
        wizard_script(
            hashtag=["#IndieDevLaunch", "#IndieDevHour"],
            hashtag_live=[True, False],
            hashtag_live_ok=[False],
        )
    )
    answers = collect(tuple(steps.values()), {}, asker)
    assert answers["hashtag"] == "#IndieDevHour"  # the host went back after seeing the numbers
    shown = asker.shown[asker.asked.index("hashtag_live_ok")]
    assert "x: 2100 uses in 7 days" in shown and "mastodon: 3 uses" in shown
    counts = [r for r in fake_x_api.requests if r.path == "/2/tweets/counts/recent"]
    assert len(counts) == 1  # only the one the host said yes to


def test_no_live_check_without_credentials(tmp_path: Path) -> None:
    asker = ScriptedAsker(wizard_script())
    collect(build_steps(_ctx(tmp_path)), {}, asker)
    assert "hashtag_live" not in asker.asked


def test_review_goes_back_to_one_group_without_retyping_the_rest(tmp_path: Path) -> None:
    from launchkit.commands.init.steps import GROUPS
    from launchkit.commands.init.wizard import run_wizard

    ctx = _ctx(tmp_path)
    steps = build_steps(ctx)
    asker = ScriptedAsker(
        wizard_script(hashtag=["#IndieDevLaunch", "#IndieDevHour"], review=["hashtag", "confirm"])
    )
    reviews: list[str] = []
    confirmed = run_wizard(steps, {}, asker, GROUPS, lambda a: reviews.append(a["hashtag"]))
    assert confirmed
    assert reviews == ["#IndieDevLaunch", "#IndieDevHour"]  # the review shows the change
    assert asker.asked.count("hashtag") == 2
    assert asker.asked.count("name") == 1 and asker.asked.count("slot") == 1


def test_networks_preselect_those_with_credentials(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps = {s.name: s for s in build_steps(_ctx(tmp_path))}
    assert steps["networks"].default is not None and steps["networks"].default({}) == "x"
    monkeypatch.setenv("LAUNCHKIT_MASTODON_TOKEN", "token-of-the-instance")
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_HANDLE", "ada.bsky.social")
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_APP_PASSWORD", "abcd-efgh-ijkl-mnop")
    steps = {s.name: s for s in build_steps(_ctx(tmp_path / "b"))}
    assert steps["networks"].default is not None
    assert steps["networks"].default({}) == "mastodon, bluesky"
    validate = steps["networks"].validate
    assert validate is not None and "'threads' is not a network" in (
        validate("x, threads", {}) or ""
    )
    assert validate("", {}) == "list at least one network: x, mastodon, bluesky"


def test_a_chat_on_three_networks_shows_the_cost_of_each(tmp_path: Path) -> None:
    from launchkit.commands.init.review import review_text

    ctx = _ctx(tmp_path)
    answers = collect(
        build_steps(ctx), {}, ScriptedAsker(wizard_script(networks="x, mastodon, bluesky"))
    )
    assert answers["networks"] == ["x", "mastodon", "bluesky"]
    text = review_text(ctx, answers)
    assert "Networks:  X, Mastodon, Bluesky" in text
    posts = re.search(r"X: (\d+) posts through the X API cost about \$(\d+\.\d\d)", text)
    assert posts is not None and float(posts.group(2)) > 0
    assert f"Mastodon: {posts.group(1)} posts, free." in text
    assert f"Bluesky: {posts.group(1)} posts, free." in text
    result = cmd.finish(ctx, answers, NOW)
    chat = yaml.safe_load(result.chat_file.read_text(encoding="utf-8"))
    assert chat["networks"] == ["x", "mastodon", "bluesky"]


def test_the_live_step_counts_bluesky_with_its_account_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_bluesky: Any, fake_mastodon: Any
) -> None:
    monkeypatch.setenv("LAUNCHKIT_MASTODON_URL", fake_mastodon.base_url)
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_URL", fake_bluesky.base_url)
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_HANDLE", "chathost.test")
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_APP_PASSWORD", "app-pass-word")
    # The context's clock says 2027-01-01 12:00 UTC (tests/support.py's runtime).
    when = datetime(2027, 1, 1, 10, 0, tzinfo=UTC)
    fake_bluesky.add_post("Q1 #IndieDevLaunch", handle="other.test", created_at=when)
    ctx = _ctx(tmp_path)
    steps = build_steps(ctx)
    question = {s.name: s for s in steps}["hashtag_live"].text({"hashtag": "#IndieDevLaunch"})
    assert "on Bluesky (free, signed in)" in question and "$" not in question
    asker = ScriptedAsker(wizard_script(hashtag_live=True, hashtag_live_ok=True))
    collect(steps, {}, asker)
    shown = asker.shown[asker.asked.index("hashtag_live_ok")]
    assert "bluesky: 1 uses in 7 days by 1 accounts" in shown
    assert "x: not checked: no X bearer token" in shown


def test_review_shows_each_posts_opening_in_whole_words(tmp_path: Path) -> None:
    from launchkit.commands.init.review import POST_COLUMNS, review_text

    ctx = _ctx(tmp_path)
    # Each question post names its session ("Q1 (Tue 22 Dec): "), which leaves 43 columns:
    # counted as characters the whole post would fit, measured as shown it does not.
    cjk = "一番大変なことは何ですか？ 教えてください"
    answers = collect(
        build_steps(ctx), {}, ScriptedAsker(wizard_script(questions=[cjk, *QUESTIONS]))
    )
    timeline = review_text(ctx, answers).split("in the chat's zone:\n")[1]
    lines = timeline.splitlines()
    posts = [re.split(r"  X +", line, maxsplit=1)[1] for line in lines if "  X  " in line]
    assert "Q1 (Tue 22 Dec): 一番大変なことは何ですか？ 教えてください…" in posts
    assert "Q2 (Tue 22 Dec): What got you into making games?…" in posts
    for opening in posts:
        assert columns(opening) <= POST_COLUMNS
        if opening.endswith("…"):  # cut after a whole word: no letter follows in the post
            kept = opening.removesuffix("…")
            post = next(p for p in _posts_of(ctx, answers) if p.startswith(kept))
            assert not post[len(kept)].isalnum()


def _posts_of(ctx: cmd.InitContext, answers: dict[str, Any]) -> list[str]:
    """Every post text of the first session, in full."""
    from launchkit.adapters.playbookfile import load_playbook
    from launchkit.adapters.templates import load_templates
    from launchkit.commands.init.answers import answers_to_chat
    from launchkit.commands.pack import build_pack
    from launchkit.domain.sessions import session_starts

    chat = answers_to_chat(answers)
    env = load_templates(None)
    playbook = load_playbook(chat.playbook, env.names(), ctx.target)
    pack = build_pack(chat, playbook, session_starts(chat, 1), NOW, env)
    return [post.text for post in pack.posts]
