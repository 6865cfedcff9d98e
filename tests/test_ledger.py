"""The ledger on a real SQLite file: planning in place, the send states, the process lock."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from launchkit.adapters.ledger import PlanRow, SqliteLedger, ledger_path
from launchkit.adapters.process_lock import LockHeld, ProcessLock
from launchkit.adapters.season_store import SeasonStore
from launchkit.domain.items import ItemRef
from launchkit.domain.season import SeasonChanges, Shift

NOW = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
SESSION = date(2027, 1, 12)


def row(step: str = "announce", index: int = 0, text: str = "Join #IndieDevHour") -> PlanRow:
    return PlanRow(
        chat="#IndieDevHour",
        ref=ItemRef(step, SESSION, index, "x", NOW + timedelta(hours=index)),
        text=text,
    )


@pytest.fixture
def ledger(tmp_path: Path) -> SqliteLedger:
    return SqliteLedger.open(ledger_path(tmp_path / "chat.yaml"), clock=lambda: NOW)


def test_ledger_lives_next_to_the_chat_file(tmp_path: Path) -> None:
    assert ledger_path(tmp_path / "chat.yaml") == tmp_path / ".launchkit" / "ledger.db"


def test_the_file_is_in_wal_mode(ledger: SqliteLedger, tmp_path: Path) -> None:
    mode = ledger.conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    assert (tmp_path / ".launchkit" / "ledger.db").is_file()


def test_rescheduling_updates_unsent_rows_in_place(ledger: SqliteLedger) -> None:
    first = ledger.sync_plan("#IndieDevHour", [row(), row("question", 1, "Q1 old")])
    assert (first.added, first.updated) == (2, 0)
    again = ledger.sync_plan("#IndieDevHour", [row(), row("question", 1, "Q1 new")])
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    texts = [i.text for i in ledger.items()]
    assert texts == ["Join #IndieDevHour", "Q1 new"]


def test_sent_rows_are_never_changed(ledger: SqliteLedger) -> None:
    ledger.sync_plan("#IndieDevHour", [row()])
    (item,) = ledger.items()
    ledger.mark_sent(ledger.mark_sending(item), "123", "https://x.com/i/web/status/123")
    counts = ledger.sync_plan("#IndieDevHour", [row(text="edited afterwards")])
    assert counts.kept == 1
    (after,) = ledger.items()
    assert (after.state, after.text, after.remote_id) == ("sent", "Join #IndieDevHour", "123")
    # Dropping it from the plan does not cancel it either.
    assert ledger.sync_plan("#IndieDevHour", []).dropped == 0
    assert ledger.items()[0].state == "sent"


def test_rows_dropped_from_the_plan_are_cancelled_and_come_back(ledger: SqliteLedger) -> None:
    ledger.sync_plan("#IndieDevHour", [row(), row("question", 1)])
    assert ledger.sync_plan("#IndieDevHour", [row()]).dropped == 1
    assert [i.state for i in ledger.items()] == ["planned", "cancelled"]
    assert ledger.sync_plan("#IndieDevHour", [row(), row("question", 1)]).updated == 1
    assert [i.state for i in ledger.items()] == ["planned", "planned"]


def test_state_machine_survives_reopening(tmp_path: Path) -> None:
    path = ledger_path(tmp_path / "chat.yaml")
    ledger = SqliteLedger.open(path, clock=lambda: NOW)
    ledger.sync_plan("#IndieDevHour", [row()])
    sending = ledger.mark_sending(ledger.items()[0])
    ledger.close()  # as if killed: `sending` was committed before the request
    reopened = SqliteLedger.open(path)
    (item,) = reopened.items(("sending",))
    assert item == replace(sending)
    assert item.attempts == 1


def test_dry_run_copy_changes_nothing_on_disk(ledger: SqliteLedger) -> None:
    ledger.sync_plan("#IndieDevHour", [row()])
    copy = ledger.in_memory_copy()
    copy.mark_sent(copy.mark_sending(copy.items()[0]), "1", None)
    assert ledger.items()[0].state == "planned"


def test_the_seasons_plan_is_remembered(ledger: SqliteLedger) -> None:
    store = SeasonStore(ledger)
    assert store.changes("#IndieDevHour") == SeasonChanges()
    changes = SeasonChanges(
        sessions=8,
        start=date(2027, 1, 5),
        shifts=(Shift(SESSION, 7), Shift(date(2027, 2, 2), 1)),
        cancelled=frozenset({date(2027, 1, 26)}),
        moved={date(2027, 1, 19): date(2027, 1, 20)},  # as older launchkits wrote moves
    )
    store.record("#IndieDevHour", changes)
    again = SeasonStore(SqliteLedger(ledger.conn))
    assert again.changes("#IndieDevHour") == changes
    assert again.changes("#OtherChat") == SeasonChanges()
    store.choose("#IndieDevHour", ["announce|2027-01-12|0"], "skip")
    store.choose("#IndieDevHour", ["announce|2027-01-12|0", "live|2027-01-12|0"], "send_late")
    assert store.choices("#IndieDevHour") == {
        "announce|2027-01-12|0": "send_late",
        "live|2027-01-12|0": "send_late",
    }
    assert ledger.late_allowed() == {
        ("#IndieDevHour", "announce|2027-01-12|0"),
        ("#IndieDevHour", "live|2027-01-12|0"),
    }


def test_a_second_process_is_told_who_holds_the_lock(tmp_path: Path) -> None:
    lock_file = tmp_path / ".launchkit" / "post.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from launchkit.adapters.process_lock import ProcessLock\n"
            f"with ProcessLock(Path({str(lock_file)!r})):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockHeld, match=f"pid {holder.pid}"):
            ProcessLock(lock_file).acquire()
    finally:
        holder.kill()  # SIGKILL: the kernel drops the lock with the process
        holder.wait()
    with ProcessLock(lock_file):
        pass
