"""The runtime: what a run does differently at a terminal, with --quiet, and in its own zone.

Each test hands the CLI a runtime whose streams say whether they are a terminal, instead of
patching functions by name.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from tests.support import invoke, runtime, write_chat

NOW = datetime(2027, 1, 4, 12, 0, tzinfo=UTC)


def _scheduled(tmp_path: Path) -> Path:
    chat = write_chat(tmp_path)
    assert invoke(runtime(NOW), ["schedule", "--chat", str(chat)]).exit_code == 0
    return chat


def test_post_with_nothing_due_tells_a_person_and_keeps_cron_quiet(tmp_path: Path) -> None:
    chat = _scheduled(tmp_path)
    at_terminal = invoke(runtime(NOW, terminal=True), ["post", "--chat", str(chat)])
    assert at_terminal.exit_code == 0
    assert at_terminal.stdout == "nothing due; next at 2027-02-16 20:00 EST\n"
    from_cron = invoke(runtime(NOW), ["post", "--chat", str(chat)])
    assert (from_cron.exit_code, from_cron.stdout, from_cron.stderr) == (0, "", "")
    verbose = invoke(runtime(NOW), ["-v", "post", "--chat", str(chat)])
    assert verbose.stderr == "nothing due; next at 2027-02-16 20:00 EST\n"


def test_progress_shows_on_a_terminal_only(tmp_path: Path) -> None:
    cal = tmp_path / "calendar.csv"
    cal.write_text("Hashtag,When\n#edchat,Tuesdays 7pm ET\n", encoding="utf-8")
    args = ["slots", "--tz", "UTC", "--calendar", str(cal), "--top", "1"]
    at_terminal = invoke(runtime(NOW, terminal=True), args)
    assert "Reading the calendar and ranking slots …" in at_terminal.stderr
    assert at_terminal.stderr.endswith("\r\x1b[K")  # the line is cleared when done
    assert "Reading the calendar" not in invoke(runtime(NOW), args).stderr
    quiet = invoke(runtime(NOW, terminal=True), ["-q", *args])
    assert quiet.stderr == "" and quiet.stdout == ""


def test_calendar_show_uses_the_machines_zone(tmp_path: Path) -> None:
    cal = tmp_path / "calendar.csv"
    cal.write_text("Hashtag,When\n#edchat,Tuesdays 7pm ET\n", encoding="utf-8")
    shown = invoke(runtime(NOW, zone="Europe/London"), ["calendar", "show", str(cal)])
    assert "Wed 2027-01-06 00:00 GMT (Europe/London)" in shown.stdout
    assert "times in Europe/London" in shown.stdout


def test_an_error_is_one_message_and_a_hint_and_debug_shows_the_traceback(
    tmp_path: Path,
) -> None:
    missing = str(tmp_path / "nope.yaml")
    result = invoke(runtime(NOW), ["render", "--chat", missing])
    assert result.exit_code == 3
    assert result.stderr == (
        f"Error: {missing}: no such file\nHint: run `launchkit init` or pass --chat PATH\n"
    )
    debug = invoke(runtime(NOW), ["--debug", "render", "--chat", missing])
    assert debug.exit_code == 1 and debug.stderr == ""  # raised for the traceback instead
