"""`launchkit schedule`: due times across DST, re-planning in place, cost, moves, exports."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from launchkit.adapters.ledger import SqliteLedger, ledger_path
from launchkit.cli import app
from launchkit.commands import schedule
from tests.support import plan, write_chat

NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")


def by_key(result: schedule.ScheduleRun) -> dict[str, schedule.TimelineItem]:
    return {t.ref.key: t for t in result.items}


def test_dst_moves_utc_not_local_time(tmp_path: Path) -> None:
    """Sessions on both sides of 2027-03-14: UTC shifts an hour; -1h is always 19:00 local."""
    items = by_key(plan(write_chat(tmp_path)))
    before, after = items["live|2027-03-09|0"], items["live|2027-03-16|0"]
    assert before.ref.due_utc == datetime(2027, 3, 10, 1, 0, tzinfo=UTC)
    assert after.ref.due_utc == datetime(2027, 3, 17, 0, 0, tzinfo=UTC)
    for day in ("2027-03-02", "2027-03-09", "2027-03-16", "2027-03-23"):
        reminder = items[f"reminder-1h|{day}|0"]
        local = reminder.ref.due_utc.astimezone(NY)
        assert (local.hour, local.minute) == (19, 0)
        assert f"{reminder.due_local:%Y-%m-%d %H:%M}" == f"{day} 19:00"
    assert items["reminder-1h|2027-03-09|0"].due_local.tzname() == "EST"
    assert items["reminder-1h|2027-03-16|0"].due_local.tzname() == "EDT"
    # The -1d reminder keeps the wall time across the change (Sat 13 → Mon 15 Mar).
    assert items["reminder-1d|2027-03-16|0"].due_local == datetime(2027, 3, 15, 20, 0, tzinfo=NY)


def test_rescheduling_after_an_edit_updates_the_row_in_place(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    first = plan(chat)
    write_chat(tmp_path, q1="What first got you making games?")
    second = plan(chat)
    assert len(second.items) == len(first.items)
    assert second.counts.added == 0
    # Q1 in each of the four sessions, and the guest's brief (it lists her questions).
    assert second.counts.updated == 5
    ledger = SqliteLedger.open(ledger_path(chat))
    q1 = [i for i in ledger.items() if i.ref.step == "question" and i.ref.index == 1]
    assert len(q1) == 4
    assert all(i.text.startswith("Q1 (") and "): What first got you" in i.text for i in q1)


def test_sent_posts_are_never_rewritten(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    plan(chat)
    ledger = SqliteLedger.open(ledger_path(chat))
    q1 = next(i for i in ledger.items() if i.ref.key == "question|2027-03-02|1")
    ledger.mark_sent(ledger.mark_sending(q1), "42", "https://x.com/i/web/status/42")
    write_chat(tmp_path, q1="Edited after it went out?")
    result = plan(chat)
    assert result.counts.kept == 1
    sent = by_key(result)["question|2027-03-02|1"]
    assert (sent.state, sent.text) == ("sent", q1.text)


def test_cost_per_post_and_total(tmp_path: Path) -> None:
    result = plan(write_chat(tmp_path))
    posts = [t for t in result.items if t.ref.channel == "x"]
    with_url = [t for t in posts if t.has_url]
    assert with_url and all(t.cost_usd == 0.20 for t in with_url)
    assert all(t.cost_usd == 0.015 for t in posts if not t.has_url)
    assert all(t.cost_usd == 0 for t in result.items if t.ref.channel == "email")
    assert result.total_cost_usd == pytest.approx(
        0.20 * len(with_url) + 0.015 * (len(posts) - len(with_url))
    )


def test_shift_moves_unsent_items_and_is_remembered(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    plan(chat)
    moved = plan(chat, shift=timedelta(days=7))
    assert moved.sessions == (
        date(2027, 3, 9),
        date(2027, 3, 16),
        date(2027, 3, 23),
        date(2027, 3, 30),
    )
    live = [t for t in moved.items if t.ref.key.startswith("live|") and t.state == "planned"]
    assert [t.ref.session for t in live] == list(moved.sessions)
    # The first-session steps follow the first session; the guest's emails follow hers.
    assert "announce|2027-03-09|0" in by_key(moved)
    assert "guest-brief|2027-03-23|1" in by_key(moved)
    assert by_key(moved)["announce|2027-03-02|0"].state == "cancelled"
    again = plan(chat)
    assert again.sessions == moved.sessions


def test_cancel_drops_a_session(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    result = plan(chat, cancel=date(2027, 3, 9))
    assert date(2027, 3, 9) not in result.sessions
    assert all(t.state == "cancelled" for t in result.items if t.ref.session == date(2027, 3, 9))


def test_exports(tmp_path: Path) -> None:
    result = plan(write_chat(tmp_path))
    ics = (tmp_path / "out" / "sequence.ics").read_text(encoding="utf-8")
    assert ics.count("BEGIN:VEVENT") == len(result.items)
    assert ics.count("BEGIN:VALARM") == len(result.items)
    assert "DTSTART:20270303T000000Z" in ics  # reminder-1h, 19:00 EST
    with (tmp_path / "out" / "sequence.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == sum(t.ref.channel == "x" for t in result.items)
    assert rows[0][0] == "16/02/2027 20:00" and len(rows[0]) == 3
    assert [r[0] for r in rows if r[1].startswith("#IndieDevHour is in 1 hour")][:1] == [
        "02/03/2027 19:00"
    ]


def test_cli_prints_the_timeline_with_local_times_and_the_total(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    result = CliRunner().invoke(app, ["schedule", "--chat", str(chat), "--sessions", "2"])
    assert result.exit_code == 0, result.output
    assert "2027-03-02 19:00 EST" in result.output
    assert "$0.200" in result.output and "$0.015" in result.output
    assert "X API cost of the unsent posts: $" in result.output


def test_cli_rejects_a_bad_shift(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["schedule", "--chat", str(write_chat(tmp_path)), "--shift", "soon"]
    )
    assert result.exit_code == 2
    assert "--shift: 'soon' is not a duration" in result.output
