"""Every --json output against its golden file (tests/golden/json/), with a fixed clock and
fixed inputs. Objects carry `schema_version`; arrays keep their documented shape.

Set UPDATE_GOLDEN=1 to rewrite the files after an intended change, then review the diff (and
bump output.SCHEMA_VERSION when a shape changed).
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support import REPO, invoke, runtime, write_chat

GOLDEN = Path(__file__).parent / "golden" / "json"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
NOW = datetime(2027, 1, 4, 12, 0, tzinfo=UTC)
# The first session is Tue 2027-03-02 20:00 New York; its T-14d announcement is due at
# 2027-02-17 01:00 UTC.
AT_ANNOUNCEMENT = datetime(2027, 2, 17, 1, 5, tzinfo=UTC)
CALENDAR = (
    "Hashtag,Chat name,When,Topic\n"
    "#hcsm,Healthcare Social Media,Sundays at 9pm ET,health care\n"
    "#blogchat,,Sundays 8pm CT,blogging\n"
    "#edchat,Ed Chat,Tuesdays 7pm ET,education\n"
    "#gamedevchat,Game Dev Chat,1st & 3rd Wed 9-10pm ET,indie game development\n"
)

SCHEDULED = [["schedule", "--chat", "{chat}"]]
# After the first session's window (Tue 2027-03-02 20:00 New York, 01:00-03:00 UTC).
AFTER_FIRST = datetime(2027, 3, 3, 4, 0, tzinfo=UTC)
RECAPPED = [["recap", "--chat", "{chat}"]]
ANSWERS = str(REPO / "examples" / "answers.yaml")

# name -> (arguments, clock, commands run first to set the scene)
CASES: dict[str, tuple[list[str], datetime, list[list[str]]]] = {
    "text-count": (["text", "count", "Tonight 8pm ET: #IndieDevHour https://x.org"], NOW, []),
    "doctor": (["doctor"], NOW, []),
    "hashtag-check": (["hashtag", "check", "#IndieDevHour", "#EdChats", "--calendar", "{cal}"],
                      NOW, []),
    "hashtag-suggest": (["hashtag", "suggest", "indie", "games", "--calendar", "{cal}"], NOW, []),
    "slots": (["slots", "--tz", "america/new_york", "--calendar", "{cal}", "--top", "3"], NOW, []),
    # Sydney's clocks go back and New York's forward in the searched weeks: three local times.
    "slots-zones": (["slots", "--tz", "America/New_York", "--audience", "America/New_York",
                     "--audience", "Australia/Sydney", "--from", "2027-02-01", "--calendar",
                     "{cal}", "--top", "2"], NOW, []),
    "calendar-parse": (["calendar", "parse", "{cal}"], NOW, []),
    "calendar-show": (["calendar", "show", "{cal}", "--tz", "America/New_York"], NOW, []),
    "calendar-heatmap": (["calendar", "heatmap", "{cal}", "--tz", "ET", "--mark", "TU 20:00"],
                         NOW, []),
    "calendar-audit": (["calendar", "audit", "{cal}"], NOW, []),
    "calendar-site": (["calendar", "site", "{cal}", "--out", "{dir}/site"], NOW, []),
    "render": (["render", "--chat", "{chat}", "--out", "{dir}/out"], NOW, []),
    "schedule": (["schedule", "--chat", "{chat}"], NOW, []),
    "status": (["status", "--chat", "{chat}"], AT_ANNOUNCEMENT, SCHEDULED),
    "post": (["post", "--chat", "{chat}", "--dry-run"], AT_ANNOUNCEMENT, SCHEDULED),
    "invite": (["invite", "--chat", "{chat}"], AT_ANNOUNCEMENT, SCHEDULED),
    "submit": (["submit", "--chat", "{chat}", "--sheet", "1calendarSheetKey", "--dry-run"],
               NOW, []),
    "init": (["init", "{dir}/new", "--answers", ANSWERS, "--calendar", "{cal}"], NOW, []),
    "recap": (["recap", "--chat", "{chat}"], AFTER_FIRST, []),
    "people": (["people", "--chat", "{chat}"], AFTER_FIRST, RECAPPED),
}  # fmt: skip


def seed_posts(chat: Path) -> None:
    """The first session's posts in the post store, read whole (as the live room leaves
    them), so `recap` reads no network."""
    from launchkit.adapters.post_store import PostStore, community_path
    from launchkit.domain.recap.posts import Post

    start = datetime(2027, 3, 3, 0, 50, tzinfo=UTC)
    lines = [
        ("ada_example", "Q1: What got you into making games? #IndieDevHour", None),
        ("bo", "A1: a jam weekend #IndieDevHour", None),
        ("cy", "my dad's old PC #indiedevhour", "1"),
        ("bo", "@cy same here! #IndieDevHour", "3"),
        ("ada_example", "Q2: Which engine would you pick again? #IndieDevHour", None),
        ("cy", "A2 - Godot, every time #IndieDevHour", None),
    ]
    posts = [
        Post("x", str(i), who, who.title(), start + timedelta(minutes=15 + 5 * i), text,
             f"https://x.com/{who}/status/{i}", reply)
        for i, (who, text, reply) in enumerate(lines, 1)
    ]  # fmt: skip
    with PostStore.open(community_path(chat)) as store:
        store.add_posts("#IndieDevHour", start.date(), posts)
        store.mark_captured("#IndieDevHour", "x", start, start + timedelta(hours=2, minutes=10))


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_output_matches_its_golden_file(name: str, tmp_path: Path) -> None:
    args, clock, before = CASES[name]
    cal = tmp_path / "calendar.csv"
    cal.write_text(CALENDAR, encoding="utf-8")
    chat = write_chat(tmp_path)
    names = {"cal": str(cal), "chat": str(chat), "dir": str(tmp_path)}
    if name in ("recap", "people"):
        seed_posts(chat)
    for setup in before:
        done = invoke(runtime(clock), [a.format(**names) for a in setup])
        assert done.exit_code == 0, done.stderr
    result = invoke(runtime(clock), [*(a.format(**names) for a in args), "--json"])
    assert result.exit_code == 0, result.stderr + result.output
    data = json.loads(result.stdout)  # stdout holds the JSON and nothing else
    if isinstance(data, dict):
        assert data["schema_version"] == 1
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    text = text.replace(str(tmp_path), "<dir>").replace(str(REPO), "<repo>") + "\n"
    golden = GOLDEN / f"{name}.json"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
