"""An audit put to use: `slots --audit` stops counting dead chats and second listings as
competition; `hashtag check --audit` marks the tags of stale chats as free to reuse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support import invoke, runtime

CALENDAR = (
    "Hashtag,Chat name,When,Topic\n"
    "#oldchat,Old Chat,Tuesdays 8pm ET,indie games\n"
    "#livechat,Live Chat,Wednesdays 8pm ET,indie games\n"
    "#livechat,Live Chat,every Wednesday at 8pm Eastern,indie games\n"
)


def audit_row(row: int, hashtag: str, verdict: str, reason: str) -> dict[str, object]:
    return {"row": row, "hashtag": hashtag, "verdict": verdict, "reasons": [reason],
            "last_seen": None}  # fmt: skip


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    calendar = tmp_path / "calendar.csv"
    calendar.write_text(CALENDAR, encoding="utf-8")
    audit = tmp_path / "audit.json"
    rows = [
        audit_row(1, "#oldchat", "stale", "no use on mastodon.example in the last 90 days"),
        audit_row(2, "#livechat", "active", "last used 2026-11-28"),
        audit_row(3, "#livechat", "duplicate", "the same chat as row 2 (#livechat)"),
    ]
    doc = {"schema_version": 1, "source": str(calendar), "audited_on": "2026-11-30", "rows": rows}
    audit.write_text(json.dumps(doc), encoding="utf-8")
    return calendar, audit


def slot_at(calendar: Path, day: str, *extra: str) -> dict[str, object]:
    args = ["slots", "--tz", "America/New_York", "--calendar", str(calendar), "--days", day,
            "--hours", "20:00-21:00", "--topic", "indie games", "--from", "2027-01-04",
            "--top", "1", "--json", *extra]  # fmt: skip
    result = invoke(runtime(), args)
    assert result.exit_code == 0, result.stderr
    (slot,) = json.loads(result.stdout)
    return dict(slot)


def test_slots_stop_counting_stale_chats(files: tuple[Path, Path]) -> None:
    calendar, audit = files
    before = slot_at(calendar, "TU")
    assert before["overlaps"] and before["score"] > 0
    after = slot_at(calendar, "TU", "--audit", str(audit))
    assert after["start"] == "20:00" and after["overlaps"] == [] and after["score"] == 0


def test_slots_count_a_chat_listed_twice_once(files: tuple[Path, Path]) -> None:
    calendar, audit = files
    before = slot_at(calendar, "WE")
    after = slot_at(calendar, "WE", "--audit", str(audit))
    assert before["same_topic"] == 2 * after["same_topic"] > 0


def test_slots_say_what_the_audit_left_out(files: tuple[Path, Path]) -> None:
    calendar, audit = files
    args = ["slots", "--tz", "America/New_York", "--calendar", str(calendar), "--audit", str(audit)]
    result = invoke(runtime(), args)
    assert result.exit_code == 0
    assert (
        "Note: 2 rows left out as duplicate or stale in the audit of 2026-11-30 (audit.json)"
        in (result.stdout)
    )


def test_hashtag_check_marks_a_stale_chats_tag_reusable(files: tuple[Path, Path]) -> None:
    calendar, audit = files
    taken = invoke(runtime(), ["hashtag", "check", "#OldChat", "--calendar", str(calendar)])
    assert taken.exit_code == 1 and "#OldChat: TAKEN" in taken.stdout
    args = ["hashtag", "check", "#OldChat", "--calendar", str(calendar), "--audit", str(audit)]
    free = invoke(runtime(), args)
    assert free.exit_code == 0, free.stdout
    assert "#OldChat: TAKEN" not in free.stdout
    assert "reusable: #oldchat (row 1) is a chat the audit found stale" in free.stdout
    (report,) = json.loads(invoke(runtime(), [*args, "--json"]).stdout)
    assert report["reusable"] == [{"hashtag": "#oldchat", "row": 1}]
    assert all(c["row"] != 1 for c in report["collisions"])


def test_a_live_chat_is_still_taken_with_an_audit(files: tuple[Path, Path]) -> None:
    calendar, audit = files
    args = ["hashtag", "check", "#livechat", "--calendar", str(calendar), "--audit", str(audit)]
    result = invoke(runtime(), [*args, "--json"])
    assert result.exit_code == 1
    (report,) = json.loads(result.stdout)
    assert report["verdict"] == "taken" and report["reusable"] == []


def test_audit_rows_that_now_hold_another_chat_are_ignored(
    files: tuple[Path, Path], tmp_path: Path
) -> None:
    calendar, _ = files
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps([audit_row(1, "#gonechat", "stale", "gone")]), encoding="utf-8")
    args = ["hashtag", "check", "#oldchat", "--calendar", str(calendar), "--audit", str(moved)]
    result = invoke(runtime(), args)
    assert result.exit_code == 1 and "#oldchat: TAKEN" in result.stdout
    assert "1 rows of moved.json hold another chat now; their verdicts were ignored" in (
        result.stderr
    )
