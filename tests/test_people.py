"""`launchkit people` after recaps of sessions in a row: statuses, the follow-up list, the
CSV and the chart; and the statuses' rules on their own."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from launchkit.domain.recap.people import person_status
from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.recap_hour import AFTER_WINDOW, START, chat_on, env_for, recap, script_hour
from tests.support import invoke, runtime

WEEK = timedelta(days=7)


def people_json(chat: Path) -> dict[str, object]:
    result = invoke(runtime(AFTER_WINDOW + WEEK), ["people", "--chat", str(chat), "--json"])
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_two_sessions_in_a_row_give_new_and_returning_people(
    tmp_path: Path, hour_mastodon: FakeMastodonApi, hour_bluesky: FakeBlueskyPds
) -> None:
    first = script_hour(hour_mastodon, hour_bluesky, chatter=0, who=(0, 1, 2, 3))
    second = script_hour(
        hour_mastodon, hour_bluesky, start=START + WEEK, chatter=0, who=(2, 3, 4, 5), label=" (2)"
    )
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    env = env_for(hour_mastodon, hour_bluesky)
    recap(chat, env)
    after_one = people_json(chat)
    assert {p["status"] for p in after_one["people"]} == {"new"}  # type: ignore[union-attr]
    assert len(after_one["people"]) == len(first.people)  # type: ignore[arg-type]

    recap(chat, env, now=AFTER_WINDOW + WEEK)
    data = people_json(chat)
    assert data["latest_session"] == "2027-03-09"
    assert data["sessions"] == [
        {"session": "2027-03-02", "participants": len(first.people)},
        {"session": "2027-03-09", "participants": len(second.people)},
    ]
    status = {(p["network"], p["handle"].split("@")[0]): p["status"] for p in data["people"]}  # type: ignore[union-attr,index]
    both = {"noor", "olu", "pat", "uma.bsky.test", "vic.bsky.test"}  # noor says hello each time
    only_second = {"quinn", "ravi", "wen.bsky.test", "xio.bsky.test"}
    only_first = {"mia", "sam.bsky.test", "tao.bsky.test"}
    for (_, handle), value in status.items():
        expected = (
            "returning" if handle in both else "new" if handle in only_second else "occasional"
        )
        assert value == expected, handle
    assert {h for (_, h) in status} == both | only_second | only_first
    welcome = {p["handle"].split("@")[0] for p in data["follow_up"]["welcome"]}  # type: ignore[index]
    assert welcome == only_second

    follow = (tmp_path / "out" / "people" / "follow-up.md").read_text(encoding="utf-8")
    assert (
        "## Welcome (new)" in follow and "@quinn@127.0.0.1 (Quinn) on mastodon: 1 session" in follow
    )
    chart = Path(data["files"][1])  # type: ignore[index]
    assert chart.suffix == ".png" and chart.read_bytes().startswith(b"\x89PNG")


def test_the_csv_and_the_svg_chart_without_matplotlib(
    tmp_path: Path,
    hour_mastodon: FakeMastodonApi,
    hour_bluesky: FakeBlueskyPds,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    script_hour(hour_mastodon, hour_bluesky, chatter=0, who=(0,))
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    recap(chat, env_for(hour_mastodon, hour_bluesky))
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    target = tmp_path / "people.csv"
    result = invoke(runtime(AFTER_WINDOW), ["people", "--chat", str(chat), "--csv", str(target)])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [(r["handle"], r["status"], r["posts"]) for r in rows] == [
        ("@sam.bsky.test", "new", "10"),  # 5 answers, 3 of them also in a thread
        ("@mia@127.0.0.1", "new", "5"),
        ("@noor@127.0.0.1", "new", "1"),
    ]
    assert rows[0]["first_seen"].endswith("-05:00")  # the chat's zone, named by its offset
    svg = (tmp_path / "out" / "people" / "participants.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "2027-03-02: 3 people" in svg
    assert not (tmp_path / "out" / "people" / "participants.png").exists()
    assert "Welcome: " in result.stdout and "status" in result.stdout


S = [date(2027, 3, 2) + WEEK * i for i in range(8)]


@pytest.mark.parametrize(
    ("attended", "sessions", "status"),
    [
        ({S[3]}, S[:4], "new"),
        ({S[2], S[3]}, S[:4], "returning"),
        ({S[1]}, S[:4], "occasional"),
        ({S[0], S[1], S[3]}, S[:4], "regular"),  # 3 of the last 4
        ({S[0], S[1], S[2]}, S[:3], "regular"),  # 3 of the 3 so far
        ({S[0], S[1], S[2]}, S[:5], "occasional"),  # came to one of the last 3
        ({S[0], S[1], S[2]}, S[:6], "lapsed"),  # a regular, then missed the last 3
        ({S[1], S[2], S[4]}, S[:8], "lapsed"),
        ({S[1], S[2], S[3], S[7]}, S, "returning"),  # back after lapsing
        ({S[0], S[1]}, S[:3], "occasional"),
        ({S[0], S[2], S[4], S[6]}, S[:7], "returning"),  # every other week: never 3 of 4
    ],
)
def test_statuses(attended: set[date], sessions: list[date], status: str) -> None:
    assert person_status(attended, sessions) == status
