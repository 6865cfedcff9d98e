"""`launchkit slots` flags, output and errors, through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchkit.cli import app

NY = "America/New_York"


@pytest.fixture
def calendar(tmp_path: Path) -> Path:
    path = tmp_path / "calendar.csv"
    path.write_text(
        "hashtag,schedule,timezone,topic\n"
        "#edchat,Tuesdays 8pm ET,,education\n"
        "#ukedchat,Thursdays 8pm,Europe/London,UK education\n",
        encoding="utf-8",
    )
    return path


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["slots", *args])
    return result.exit_code, result.stdout, result.stderr


def test_table_shows_local_times_in_every_audience_zone(calendar: Path) -> None:
    code, out, _ = _run(
        "--calendar", str(calendar), "--tz", NY, "--audience", "America/New_York=20:00-21:00",
        "--audience", "Europe/London", "--hours", "00:00-24:00", "--days", "TU",
        "--from", "2027-01-04", "--topic", "education",
    )  # fmt: skip
    assert code == 0
    assert "Tue 20:00 America/New_York = Wed 01:00 Europe/London" in out
    assert "#edchat" in out
    assert "2 of 2 chats placed" in out


def test_json_is_the_documented_list(calendar: Path) -> None:
    code, out, _ = _run(
        "--calendar", str(calendar), "--tz", NY, "--hours", "20:00-21:00", "--days", "TU",
        "--from", "2027-01-04", "--topic", "education", "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out) == [
        {
            "rank": 1,
            "weekday": "TU",
            "start": "20:00",
            "tz": NY,
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
            "score": 1.0,
            "same_topic": 1,
            "other": 0,
            "overlaps": ["#edchat"],
            "local": {NY: "Tue 20:00"},
            "local_times": {NY: [{"from": "2027-01-05", "local": "Tue 20:00"}]},
            "misses": [],
            "warnings": [],
        }
    ]


def test_hours_may_wrap_midnight(calendar: Path) -> None:
    code, out, _ = _run(
        "--calendar", str(calendar), "--tz", "UTC", "--hours", "22:00-09:00", "--top", "200",
        "--from", "2027-01-04", "--json",
    )  # fmt: skip
    assert code == 0
    starts = {slot["start"] for slot in json.loads(out)}
    assert "23:30" in starts and "08:00" in starts and "12:00" not in starts


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            ["--tz", "America/NewYork"],
            "--tz: 'America/NewYork' is not an IANA time zone",
            "America/New_York",
        ),
        (
            ["--tz", NY, "--audience", "Europe/Londn"],
            "--audience: 'Europe/Londn' is not an IANA time zone",
            "Europe/London",
        ),
        (["--tz", NY, "--weeks", "0"], "--weeks must be between 1 and 104, not 0", "--weeks 12"),
        (["--tz", NY, "--days", "MO,TUE,WEN"], "--days: unknown day 'WEN'", "MO,TU,WE,TH,FR,SA,SU"),
        (
            ["--tz", NY, "--hours", "noon-late"],
            "--hours: 'noon-late' is not a range",
            "HH:MM-HH:MM",
        ),
        (["--tz", NY, "--cadence", "daily"], "--cadence: unknown cadence 'daily'", "monthly-last"),
        (["--tz", NY, "--from", "next week"], "--from: 'next week' is not a date", "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_one_error_line_with_a_hint(
    calendar: Path, args: list[str], message: str, hint: str
) -> None:
    code, out, err = _run("--calendar", str(calendar), *args)
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 2 and lines[0].startswith("Error: ") and message in lines[0]
    assert lines[1].startswith("Hint: ") and hint in lines[1]


def test_unplaceable_calendar_says_every_slot_is_free(tmp_path: Path) -> None:
    path = tmp_path / "vague.csv"
    path.write_text("hashtag,schedule\n#vague,sometimes\n", encoding="utf-8")
    code, out, err = _run(
        "--calendar", str(path), "--tz", NY, "--from", "2027-01-04", "--json", "--top", "1"
    )
    assert code == 0
    assert json.loads(out)[0]["score"] == 0.0
    assert "every slot is free" in err


def test_empty_calendar_says_every_slot_is_free(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("hashtag,schedule\n", encoding="utf-8")
    code, out, err = _run(
        "--calendar", str(path), "--tz", NY, "--from", "2027-01-04", "--json", "--top", "3"
    )
    assert code == 0
    assert [slot["score"] for slot in json.loads(out)] == [0.0, 0.0, 0.0]
    assert "the calendar has no chats: every slot is free" in err


def test_help_says_how_dst_misfits_are_ranked() -> None:
    result = CliRunner().invoke(app, ["slots", "--help"])
    assert result.exit_code == 0
    assert "ranked lower" in result.stdout and "--audience" in result.stdout
