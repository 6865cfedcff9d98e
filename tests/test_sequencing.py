"""Sessions and sequencing: due times in the chat's zone, stable keys, DST."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from launchkit.adapters.playbookfile import load_playbook
from launchkit.adapters.templates import load_templates
from launchkit.domain.sequencing import guests_for_session, plan_sequence
from launchkit.domain.sessions import session_starts
from tests.support import make_chat

NY = ZoneInfo("America/New_York")


def weekly() -> Any:
    return load_playbook("weekly-launch", load_templates().names())


def test_session_starts_keep_local_time_across_dst() -> None:
    starts = session_starts(make_chat(), 4)
    assert [s.date() for s in starts] == [
        date(2027, 3, 2),
        date(2027, 3, 9),
        date(2027, 3, 16),
        date(2027, 3, 23),
    ]
    assert all(s.tzinfo == NY and s.time() == time(20, 0) for s in starts)
    utc_hours = [s.astimezone(UTC).hour for s in starts]
    assert utc_hours == [1, 1, 0, 0]  # EST is UTC-5, EDT UTC-4 (next UTC day)


def test_session_starts_from_date_and_count() -> None:
    starts = session_starts(make_chat(), 2, from_date=date(2027, 3, 10))
    assert [s.date() for s in starts] == [date(2027, 3, 16), date(2027, 3, 23)]
    assert session_starts(make_chat(), 0) == []


def test_finite_rule_gives_fewer() -> None:
    chat = make_chat(
        schedule={"rrule": "FREQ=WEEKLY;COUNT=2", "start": "20:00", "first": "2027-03-02"}
    )
    assert len(session_starts(chat, 5)) == 2


def test_plan_weekly_launch_first_session() -> None:
    chat = make_chat()
    items = plan_sequence(chat, weekly(), session_starts(chat, 1))
    by_key = {i.ref.key: i for i in items}
    announce = by_key["announce|2027-03-02|0"]
    assert announce.due_local == datetime(2027, 2, 16, 20, 0, tzinfo=NY)
    assert by_key["guest-invite|2027-03-02|1"].recipient == "grace@example.org"
    assert by_key["guest-invite|2027-03-02|1"].ref.channel == "email"
    assert by_key["guest-invite|2027-03-02|1"].due_local.date() == date(2027, 2, 2)
    questions = [i for i in items if i.ref.step == "question"]
    assert [q.ref.index for q in questions] == [1, 2, 3, 4, 5, 6]
    assert [q.due_local.time() for q in questions[:3]] == [time(20, 5), time(20, 15), time(20, 25)]
    assert by_key["recap|2027-03-02|0"].due_local.time() == time(23, 0)
    assert items == sorted(items, key=lambda i: (i.ref.due_utc, i.ref.key))
    assert all(i.ref.due_utc.tzinfo == UTC and i.due_local.tzinfo == NY for i in items)


def test_later_sessions_follow_the_weekly_rhythm() -> None:
    chat = make_chat()
    items = plan_sequence(chat, weekly(), session_starts(chat, 2))
    later = {i.ref.step for i in items if i.ref.session == date(2027, 3, 9)}
    assert later == {"reminder-1d", "reminder-1h", "live", "question", "wrap", "recap"}


def test_dst_weekly_20h_new_york() -> None:
    chat = make_chat()
    starts = session_starts(chat, 4)  # 2 sessions before 2027-03-14, 2 after
    items = plan_sequence(chat, weekly(), starts)
    for item in items:
        if item.ref.step == "reminder-1h":
            assert item.due_local.time() == time(19, 0)
        if item.ref.step == "reminder-1d":
            assert item.due_local.time() == time(20, 0)
    lives = [i for i in items if i.ref.step == "live"]
    shifts = [b.ref.due_utc - a.ref.due_utc for a, b in itertools.pairwise(lives)]
    assert shifts == [timedelta(days=7), timedelta(days=7, hours=-1), timedelta(days=7)]
    # A day offset spanning the change keeps local time: -1d before 2027-03-16 is 03-15 20:00.
    before = next(i for i in items if i.ref.key == "reminder-1d|2027-03-16|0")
    assert before.due_local == datetime(2027, 3, 15, 20, 0, tzinfo=NY)


def test_keys_are_stable_when_replanned() -> None:
    chat = make_chat()
    a = plan_sequence(chat, weekly(), session_starts(chat, 3))
    b = plan_sequence(chat, weekly(), session_starts(chat, 3))
    assert [i.ref.key for i in a] == [i.ref.key for i in b]
    assert len({i.ref.key for i in a}) == len(a)


def test_unbooked_guests_join_the_first_session() -> None:
    chat = make_chat(guests=[{"name": "Lin", "email": "lin@example.org"}])
    assert [g.name for g in guests_for_session(chat, date(2027, 3, 2))] == ["Lin"]
    assert guests_for_session(chat, date(2027, 3, 9)) == []


@pytest.mark.parametrize("playbook", ["monthly", "one-off"])
def test_other_playbooks(playbook: str) -> None:
    chat = make_chat()
    book = load_playbook(playbook, load_templates().names())
    items = plan_sequence(chat, book, session_starts(chat, 2))
    assert any(i.ref.step == "announce" for i in items)
    if playbook == "one-off":
        assert {i.ref.session for i in items} == {date(2027, 3, 2)}
