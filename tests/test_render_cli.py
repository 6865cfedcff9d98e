"""`launchkit render`: files, golden output, determinism and bad input (via CliRunner)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchkit.cli import app
from launchkit.commands import render
from tests.support import example_chat_file, folder

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 12, 1, tzinfo=UTC)
# Set UPDATE_GOLDEN=1 to rewrite tests/golden/ after an intended change (then review the diff).
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


GRACE = {"name": "Grace Guest", "email": "grace@example.org", "handle": "@grace_makes"}
ZOE = {"name": "Zoë Ørsted", "email": "zoe@example.net", "handle": "@zoe_pixels"}
# Each golden pack is a chat as its host would set it up: the playbook with a schedule that
# fits it. tests/golden/NAME holds what the host reads before anything goes out.
GOLDEN_CHATS: dict[str, dict[str, object]] = {
    "weekly-launch": {"playbook": "weekly-launch"},
    "monthly": {
        "playbook": "monthly",
        "schedule": {"rrule": "FREQ=MONTHLY;BYDAY=2TU", "start": "20:00", "first": "2027-01-12"},
        "guests": [{**GRACE, "session": "2027-01-12"}, {**ZOE, "session": "2027-02-09"}],
    },
    "one-off": {
        "playbook": "one-off",
        "schedule": {"rrule": "FREQ=DAILY;COUNT=1", "start": "20:00", "first": "2027-01-12"},
        "guests": [{**GRACE, "session": "2027-01-12"}, {**ZOE, "session": "2027-01-12"}],
    },
    # Three audience zones around the spring clock changes; a topic with a colon and commas.
    "three-zones": {
        "name": "Community Builders",
        "hashtag": "#CommunityBuilders",
        "topic": "running online communities: moderation, safety, growth",
        "link": "https://example.org/communitybuilders",
        "questions": [
            "What first made you want to build a community?",
            "How do you welcome someone on their first day?",
            "Which rule saved your community, and which one did you drop?",
            "How do you keep moderators from burning out?",
            "What do you do when a long-time member breaks the rules?",
            "What does healthy growth look like to you?",
        ],
        "audience_timezones": ["America/New_York", "Europe/London", "Australia/Sydney"],
        "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "20:00", "first": "2027-03-23"},
        "guests": [{**GRACE, "name": "Dr. Grace Hopper-Guest", "session": "2027-03-30"}],
        # One session with its own theme and questions; a guest listed under her session.
        "sessions": [
            {
                "date": "2027-03-30",
                "theme": "moderation that lasts",
                "questions": [
                    "How did you choose your first moderators?",
                    "What does a good week look like for a moderator?",
                    "Which tool saves your moderators the most time?",
                    "How do you say no to a well-meaning member?",
                    "What would you tell a new moderator on day one?",
                ],
            },
            {"date": "2027-04-06", "guests": [{**ZOE, "name": "Ørsted, Zoë"}]},
        ],
    },
}


@pytest.mark.parametrize("name", list(GOLDEN_CHATS))
def test_golden_pack(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    render.run(folder(example_chat_file(tmp_path, **GOLDEN_CHATS[name])), out, now=NOW)
    golden = GOLDEN / name
    if UPDATE:
        import shutil

        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(out, golden)
    got, want = _tree(out), _tree(golden)
    assert sorted(got) == sorted(want)
    for path, data in want.items():
        assert got[path] == data, f"{name}/{path} differs from the golden file"


def test_re_render_is_byte_identical_and_keeps_other_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    chat = example_chat_file(tmp_path)
    render.run(folder(chat), out, now=NOW)
    first = _tree(out)
    (out / "sequence.csv").write_text("kept\n")  # another command's export
    (out / "emails" / "stale.eml").write_text("old")
    render.run(folder(chat), out, now=datetime(2027, 2, 1, tzinfo=UTC))
    second = _tree(out)
    assert second.pop("sequence.csv") == b"kept\n"
    assert first == second  # "late" depends on now, so it is not written to files


def test_cli_render_human_and_json(tmp_path: Path) -> None:
    chat = example_chat_file(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["render", "--chat", str(chat), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 47 posts and 6 emails" in result.stdout
    assert (out / "posts.md").is_file() and (out / "chat.ics").is_file()
    posts = json.loads((out / "posts.json").read_text(encoding="utf-8"))["posts"]
    q1 = next(p for p in posts if p["key"] == "question|2027-01-12|1")
    assert q1["due_utc"] == "2027-01-13T01:05:00Z"
    assert q1["due_local"] == "2027-01-12T20:05:00-05:00"
    assert {"step", "session", "text", "weighted_length", "has_url"} <= set(q1)
    result = CliRunner().invoke(
        app, ["render", "--chat", str(chat), "--out", str(out), "--session", "2027-01-19", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["sessions"] == ["2027-01-19"]


def test_cli_session_not_a_session(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["render", "--chat", str(example_chat_file(tmp_path)), "--session", "2027-01-13"]
    )
    assert result.exit_code == 2
    assert "Error: 2027-01-13 is not a planned session of #IndieDevHour" in result.stderr
    assert "the planned sessions are 2027-01-12, 2027-01-19" in result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"questions": []}, "has no questions"),
        ({"questions": ["y" * 290]}, "Q1 is 290/280 on its own"),
        ({"questions": ["Why " + "really " * 38 + "?"]}, "shorten the question by"),
        ({"guests": [{"name": "No Mail"}]}, "guests.0.email: is required"),
        ({"playbook": "weekly"}, "not a bundled playbook"),
    ],
)
def test_bad_input_writes_nothing(tmp_path: Path, changes: dict[str, object], message: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "posts.json").write_text("previous")
    result = CliRunner().invoke(
        app, ["render", "--chat", str(example_chat_file(tmp_path, **changes)), "--out", str(out)]
    )
    assert result.exit_code == 3, result.output
    assert message in result.stderr
    assert [p.name for p in out.iterdir()] == ["posts.json"]
    assert (out / "posts.json").read_text() == "previous"


def test_warnings_for_few_questions_and_no_guests(tmp_path: Path) -> None:
    chat = example_chat_file(tmp_path, questions=["One?", "Two?"], guests=[])
    result = CliRunner().invoke(app, ["render", "--chat", str(chat), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "Warning: 2 questions" in result.stderr
    assert "Warning: no guests" in result.stderr


def test_warning_for_guest_on_a_non_session_date(tmp_path: Path) -> None:
    guests = [{"name": "Lin", "email": "lin@example.org", "session": "2027-01-13"}]
    chat = example_chat_file(tmp_path, guests=guests)
    result = CliRunner().invoke(app, ["render", "--chat", str(chat), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "Warning: guest Lin is booked for 2027-01-13, which is not a session date" in (
        result.stderr
    )
    assert "the nearest session is 2027-01-12" in result.stderr


def test_template_syntax_error_in_user_folder(tmp_path: Path) -> None:
    chat = example_chat_file(tmp_path)
    (tmp_path / "templates" / "x").mkdir(parents=True)
    (tmp_path / "templates" / "x" / "recap.txt.j2").write_text("{{ hashtag }\n")
    result = CliRunner().invoke(app, ["render", "--chat", str(chat), "--out", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "recap.txt.j2, line 1" in result.stderr
    assert not (tmp_path / "o").exists()
