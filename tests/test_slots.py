"""The slot search (domain/slots/, commands/slots.py) on small hand-made calendars."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from launchkit.commands.slots import build_query, search
from launchkit.domain.slots.scoring import AudienceWindow
from launchkit.domain.slots.search import DAY_CODES, SlotQuery, find_open_slots
from tests.support import slot_chat

NY = "America/New_York"
LONDON = "Europe/London"


def window(zone: str, hours: str) -> AudienceWindow:
    a, b = hours.split("-")
    return AudienceWindow(zone, int(a[:2]) * 60 + int(a[3:]), int(b[:2]) * 60 + int(b[3:]))


def test_the_one_free_hour_of_a_full_week_wins() -> None:
    chats = [
        slot_chat(
            f"#ed{day}{hour}", f"FREQ=WEEKLY;BYDAY={day}", f"{hour:02d}:00", "teachers education"
        )
        for day in DAY_CODES
        for hour in range(12, 22)
        if (day, hour) != ("TH", 15)
    ]
    query = SlotQuery(NY, date(2027, 1, 4), (window(NY, "12:00-22:00"),), topic="education")
    best = find_open_slots(chats, query).slots[0]
    assert (best.weekday, best.start, best.score, best.overlaps) == ("TH", "15:00", 0.0, ())


def test_wednesday_1pm_new_york_warns_on_the_weeks_london_is_out_of_step() -> None:
    query = SlotQuery(
        NY,
        date(2027, 3, 1),
        (window(NY, "13:00-14:00"), window(LONDON, "18:00-23:00")),
        days=("WE",),
        weeks=40,
    )
    (slot,) = find_open_slots([], query).slots
    assert (slot.weekday, slot.start, slot.local) == (
        "WE",
        "13:00",
        {NY: "Wed 13:00", LONDON: "Wed 18:00"},
    )
    assert slot.warnings == (
        "on 2027-03-17, 2027-03-24, 2027-11-03 it starts Wed 17:00 Europe/London, outside "
        "18:00-23:00 there (clocks change on different dates)",
    )
    assert slot.score > 0  # ranked below a slot that always fits


def test_a_slot_that_fits_every_week_ranks_above_one_that_does_not() -> None:
    query = SlotQuery(
        NY, date(2027, 3, 1), (window(NY, "13:00-15:00"), window(LONDON, "18:00-23:00")),
        days=("WE",), weeks=12,
    )  # fmt: skip
    slots = find_open_slots([], query).slots
    assert [(s.start, bool(s.warnings)) for s in slots] == [
        ("14:00", False),
        ("13:00", True),
        ("13:30", True),
    ]


def test_monthly_first_thursday_does_not_collide_with_a_second_thursday_slot_chat() -> None:
    chats = [slot_chat("#secondthu", "FREQ=MONTHLY;BYDAY=2TH", "19:00")]
    hours = (window(NY, "19:00-20:00"),)
    monthly = SlotQuery(NY, date(2027, 1, 1), hours, days=("TH",), cadence="monthly-1st")
    (slot,) = find_open_slots(chats, monthly).slots
    assert (slot.rrule, slot.score, slot.overlaps, slot.first) == (
        "FREQ=MONTHLY;BYDAY=1TH", 0.0, (), date(2027, 1, 7)
    )  # fmt: skip
    weekly = SlotQuery(NY, date(2027, 1, 1), hours, days=("TH",))
    assert find_open_slots(chats, weekly).slots[0].overlaps == ("#secondthu",)


def test_same_topic_chats_weigh_more_than_unrelated_ones() -> None:
    chats = [
        slot_chat("#knitting", "FREQ=WEEKLY;BYDAY=MO", "12:00", "knitting and yarn crafts"),
        slot_chat("#edchat", "FREQ=WEEKLY;BYDAY=MO", "14:00", "education"),
    ]
    query = SlotQuery(
        NY, date(2027, 1, 4), (window(NY, "12:00-15:00"),), days=("MO",), step_min=60,
        topic="education for teachers",
    )  # fmt: skip
    slots = find_open_slots(chats, query).slots
    assert [(s.start, s.same_topic, s.other) for s in slots] == [
        ("13:00", 0, 0),
        ("12:00", 0, 1),
        ("14:00", 1, 0),
    ]


def test_a_chat_sharing_our_hashtag_stem_costs_extra() -> None:
    chats = [
        slot_chat("#bookchat", "FREQ=WEEKLY;BYDAY=MO", "12:00", "gardening"),
        slot_chat("#plantchat", "FREQ=WEEKLY;BYDAY=MO", "13:00", "gardening"),
    ]
    query = SlotQuery(
        NY, date(2027, 1, 4), (window(NY, "12:00-14:00"),), days=("MO",), step_min=60,
        topic="gardening", hashtag="#BookChat",
    )  # fmt: skip
    slots = find_open_slots(chats, query).slots
    assert [s.start for s in slots] == ["13:00", "12:00"]
    assert slots[1].score > slots[0].score


def test_hours_may_wrap_midnight() -> None:
    query = SlotQuery(
        "UTC", date(2027, 1, 4), (window("UTC", "22:00-01:00"),), days=("MO",), top=10
    )
    slots = find_open_slots([], query).slots
    assert [s.start for s in slots] == ["00:00", "22:00", "22:30", "23:00", "23:30"]


def test_an_empty_calendar_leaves_every_slot_free_and_says_so() -> None:
    query = build_query(tz=NY, first_day=date(2027, 1, 4), days="MO", hours="12:00-14:00")
    found = search([], query)
    assert [s.start for s in found.slots] == ["12:00", "12:30", "13:00"]
    assert all(s.score == 0 and not s.overlaps for s in found.slots)
    assert "every slot is free" in found.notes[0]


def _cli_json(tmp_path: Path, tz_env: str) -> list[dict[str, object]]:
    csv = tmp_path / "cal.csv"
    csv.write_text(
        "hashtag,schedule,timezone,topic\n"
        "#edchat,Tuesdays 8pm ET,,education\n"
        "#ukedchat,Thursdays 8pm,Europe/London,UK education\n"
        "#litchat,Wednesdays 1pm ET,,books\n",
        encoding="utf-8",
    )
    args = [
        sys.executable, "-m", "launchkit", "slots", "--calendar", str(csv), "--tz", NY,
        "--audience", f"{NY}=12:00-22:00", "--audience", f"{LONDON}=18:00-23:00",
        "--from", "2027-03-01", "--weeks", "40", "--topic", "education", "--top", "200", "--json",
    ]  # fmt: skip
    env = {**os.environ, "TZ": tz_env}
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_same_answer_whatever_the_machine_zone(tmp_path: Path) -> None:
    utc, tokyo = _cli_json(tmp_path, "UTC"), _cli_json(tmp_path, "Asia/Tokyo")
    assert utc == tokyo
    assert list(utc[0]) == [
        "rank", "weekday", "start", "tz", "rrule", "score", "same_topic", "other",
        "overlaps", "local", "local_times", "misses", "warnings",
    ]  # fmt: skip
    wed_1pm = next(s for s in utc if (s["weekday"], s["start"]) == ("WE", "13:00"))
    assert wed_1pm["overlaps"] == ["#litchat"]
    assert "2027-03-17, 2027-03-24, 2027-11-03" in str(wed_1pm["warnings"])


@pytest.mark.parametrize("cadence", ["fortnightly", "monthly-last"])
def test_other_cadences_give_their_rule(cadence: str) -> None:
    query = SlotQuery(
        NY, date(2027, 1, 6), (window(NY, "12:00-13:00"),), days=("TU",), cadence=cadence
    )
    (slot,) = find_open_slots([], query).slots
    assert (
        slot.rrule
        == {
            "fortnightly": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            "monthly-last": "FREQ=MONTHLY;BYDAY=-1TU",
        }[cadence]
    )
    assert (
        slot.first == {"fortnightly": date(2027, 1, 12), "monthly-last": date(2027, 1, 26)}[cadence]
    )
