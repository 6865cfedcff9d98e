"""A fresh plan: `schedule --fresh-plan`, and `init` replacing a chat.yaml, forget the stored
shifts, cancellations and number of sessions and plan from the rule again, while what was
already sent stays in the ledger as history."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.fakes.smtp_server import SmtpServer
from tests.fakes.x_api import FakeXApi
from tests.support import REPO, FakeTime, invoke, runtime, write_chat, x_env
from tests.test_one_plan import chat_ics_sessions, cli, posts_md_sessions, schedule, status_items

ANSWERS = str(REPO / "examples" / "answers.yaml")
WIZARD_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _sessions_line(days: list[date]) -> str:
    return f"Sessions ({len(days)}): " + ", ".join(d.isoformat() for d in days)


def _planned_sessions(items: list[dict[str, object]]) -> set[date]:
    """The sessions status lists a planned row for."""
    return {
        date.fromisoformat(str(i["ref"]["session"]))  # type: ignore[index]
        for i in items
        if i["status"] == "planned"
    }


def test_schedule_fresh_plan_after_a_shift_and_a_cancel_restores_the_rules_dates(
    tmp_path: Path,
) -> None:
    chat = write_chat(tmp_path)  # Tuesdays 20:00 New York from 2027-03-02; Grace on 03-16
    out = tmp_path / "out"
    rule = [date(2027, 3, d) for d in (2, 9, 16, 23)]
    assert _sessions_line(rule) in schedule(chat).stdout
    schedule(chat, "--shift", "7d")
    schedule(chat, "--cancel", "2027-03-23")  # held on 03-23: the rule's 03-16
    kept = schedule(chat)  # without --fresh-plan the plan stays as the host left it
    shifted = [date(2027, 3, 9), date(2027, 3, 16), date(2027, 3, 30), date(2027, 4, 6)]
    assert _sessions_line(shifted) in kept.stdout
    assert "Cancelled: 2027-03-23" in kept.stdout
    assert "afresh" not in kept.stdout

    fresh = schedule(chat, "--fresh-plan")
    assert _sessions_line(rule) in fresh.stdout
    assert "Cancelled:" not in fresh.stdout
    assert "Plan started afresh from chat.yaml's rule" in fresh.stdout
    cli("render", "--chat", str(chat))
    assert [s.date() for s in chat_ics_sessions(out, rule[-1])] == rule
    assert posts_md_sessions(out) == rule
    assert _planned_sessions(status_items(chat)) == set(rule)
    # The plan is forgotten in the ledger, not only for this run: a plain schedule agrees.
    again = schedule(chat, "--json")
    data = json.loads(again.stdout)
    assert (data["sessions"], data["cancelled"], data["fresh_plan"]) == (
        [d.isoformat() for d in rule],
        [],
        False,
    )
    # With --sessions in the same run: that many sessions from the rule.
    six = json.loads(schedule(chat, "--shift", "1d", "--json").stdout)
    assert six["sessions"][0] == "2027-03-03"
    six = json.loads(schedule(chat, "--fresh-plan", "--sessions", "6", "--json").stdout)
    assert six["fresh_plan"] is True
    assert six["sessions"] == [
        (date(2027, 3, 2) + timedelta(weeks=n)).isoformat() for n in range(6)
    ]


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime(WIZARD_NOW)


def _init(rt_time: FakeTime, env: dict[str, str], folder: Path, *flags: str) -> dict[str, object]:
    run = invoke(
        runtime(time=rt_time, env=env),
        ["init", str(folder), "--answers", ANSWERS, *flags, "--json"],
    )
    assert run.exit_code == 0, run.stderr
    data: dict[str, object] = json.loads(run.stdout)
    return data


def test_init_force_over_a_shifted_and_cancelled_season_plans_the_new_chats_rule_sessions(
    tmp_path: Path, x: FakeXApi, clock: FakeTime
) -> None:
    env = x_env(x.base_url)
    folder = tmp_path / "chat"
    chat = str(folder / "chat.yaml")
    first = _init(clock, env, folder)
    sessions = [date.fromisoformat(d) for d in first["schedule"]["sessions"]]  # type: ignore[index]
    # The steps up to the first X post go out (the guest's invitation first): sent rows of
    # the old plan, an email and a post.
    dues = sorted(
        (datetime.fromisoformat(str(i["ref"]["due_utc"])), str(i["ref"]["channel"]))  # type: ignore[index]
        for i in status_items(Path(chat), clock.now)
    )
    with SmtpServer() as smtp:
        mail = {
            "LAUNCHKIT_SMTP_HOST": "127.0.0.1",
            "LAUNCHKIT_SMTP_PORT": str(smtp.port),
            "LAUNCHKIT_SMTP_SECURITY": "none",
        }
        first_post = [channel for _, channel in dues].index("x")
        for due, _ in dues[: first_post + 1]:
            clock.now = due + timedelta(minutes=1)
            posted = invoke(runtime(time=clock, env={**env, **mail}), ["post", "--chat", chat])
            assert posted.exit_code == 0, posted.stderr
    sent = {
        str(i["ref"]["key"])  # type: ignore[index]
        for i in status_items(Path(chat), clock.now)
        if i["status"] == "sent"
    }
    assert len(x.posted()) == 1 and len(smtp.messages) >= 1
    assert len(sent) == len(x.posted()) + len(smtp.messages)
    # The host shifts the season a week and cancels the session held on the rule's 3rd date.
    for flags in (["--shift", "7d"], ["--cancel", (sessions[2] + timedelta(days=7)).isoformat()]):
        moved = invoke(runtime(time=clock, env=env), ["schedule", "--chat", chat, *flags])
        assert moved.exit_code == 0, moved.stderr

    # A new chat.yaml on the same rule and first date replaces it.
    same = ["--set", f"first={sessions[0].isoformat()}", "--set", "late_steps=skip"]
    replaced = _init(clock, env, folder, "--force", *same)
    oracle = _init(clock, env, tmp_path / "new", *same)  # the same answers in an empty folder
    new = [date.fromisoformat(d) for d in replaced["schedule"]["sessions"]]  # type: ignore[index]
    assert new == sessions
    assert replaced["schedule"]["sessions"] == oracle["schedule"]["sessions"]  # type: ignore[index]
    assert replaced["schedule"]["cancelled"] == oracle["schedule"]["cancelled"]  # type: ignore[index]
    out = folder / "out"
    assert [s.date() for s in chat_ics_sessions(out, new[-1])] == new
    assert posts_md_sessions(out) == new
    items = status_items(Path(chat), clock.now)
    assert _planned_sessions(items) == set(new)
    # What went out stays in the ledger, listed by status as sent, with its link.
    still = {str(i["ref"]["key"]): i for i in items if i["status"] == "sent"}  # type: ignore[index]
    assert set(still) == sent
    links = [str(i["url"]) for i in still.values() if i["ref"]["channel"] == "x"]  # type: ignore[index]
    assert len(links) == 1 and links[0].endswith("/status/" + x.posted()[0]["id"])


def test_init_force_with_another_hashtag_cancels_the_replaced_chats_unsent_posts(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "chat"
    chat = folder / "chat.yaml"
    run = invoke(runtime(WIZARD_NOW), ["init", str(folder), "--answers", ANSWERS])
    assert run.exit_code == 0, run.stderr
    before = status_items(chat, WIZARD_NOW)
    old = {str(i["chat"]) for i in before}
    planned = sum(i["status"] == "planned" for i in before)
    assert len(old) == 1 and planned
    again = ["init", str(folder), "--answers", ANSWERS, "--force"]
    run = invoke(runtime(WIZARD_NOW), [*again, "--set", "hashtag=#FreshPlanChat"])
    assert run.exit_code == 0, run.stderr
    (tag,) = old
    cancelled = f"Replaced the chat {tag}: {planned} of its unsent posts and emails cancelled"
    assert cancelled in run.stdout
    # `post` sends every chat the ledger holds: nothing of the replaced one is left to send.
    items = status_items(chat, WIZARD_NOW)
    assert {i["status"] for i in items if i["chat"] == tag} == {"cancelled"}
    assert {i["status"] for i in items if i["chat"] == "#FreshPlanChat"} == {"planned"}
    dry = invoke(
        runtime(WIZARD_NOW + timedelta(days=60)),
        ["post", "--chat", str(chat), "--dry-run", "--late-ok"],
    )
    assert tag not in dry.stdout and "#FreshPlanChat" in dry.stdout
