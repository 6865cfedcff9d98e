"""The season (domain/season.py): how shifts, cancellations and the number of sessions make
the sessions every output follows, and the check the wizard shows before scheduling."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from launchkit.adapters.playbookfile import load_playbook
from launchkit.adapters.templates import load_templates
from launchkit.commands.season import check_season
from launchkit.domain.season import (
    MAX_SESSIONS,
    SeasonChanges,
    SeasonError,
    Shift,
    find_session,
    plan_season,
    season_between,
)
from tests.support import REPO, make_chat

TUESDAYS = [date(2027, 3, 2), date(2027, 3, 9), date(2027, 3, 16), date(2027, 3, 23)]


def days(changes: SeasonChanges, **chat: object) -> list[date]:
    return [s.day for s in plan_season(make_chat(**chat), changes, 4).sessions]


def test_the_default_season_is_the_rules_first_four_sessions() -> None:
    assert days(SeasonChanges()) == TUESDAYS


def test_a_shift_moves_later_sessions_too_so_extending_never_clashes() -> None:
    shifted = SeasonChanges(shifts=(Shift(date(2027, 3, 2), 7),))
    assert days(shifted) == [*TUESDAYS[1:], date(2027, 3, 30)]
    longer = SeasonChanges(sessions=6, shifts=shifted.shifts)
    assert days(longer)[-2:] == [date(2027, 4, 6), date(2027, 4, 13)]


def test_a_shift_from_a_later_session_leaves_the_earlier_ones() -> None:
    changes = SeasonChanges(shifts=(Shift(date(2027, 3, 16), 1),))
    assert days(changes) == [
        date(2027, 3, 2),
        date(2027, 3, 9),
        date(2027, 3, 17),
        date(2027, 3, 24),
    ]


def test_cancelled_sessions_do_not_count_and_stay_cancelled_after_a_shift() -> None:
    changes = SeasonChanges(cancelled=frozenset({date(2027, 3, 9)}))
    season = plan_season(make_chat(), changes, 4)
    assert [s.day for s in season.sessions] == [TUESDAYS[0], *TUESDAYS[2:], date(2027, 3, 30)]
    assert [c.day for c in season.cancelled] == [date(2027, 3, 9)]
    shifted = SeasonChanges(cancelled=changes.cancelled, shifts=(Shift(date(2027, 3, 2), 1),))
    season = plan_season(make_chat(), shifted, 4)
    assert [c.day for c in season.cancelled] == [date(2027, 3, 10)]  # where it would have been
    assert find_session(make_chat(), shifted, date(2027, 3, 10)) is not None


def test_two_sessions_on_one_day_are_refused() -> None:
    # An older launchkit's single move can put a session on another's day.
    moved = SeasonChanges(moved={date(2027, 3, 2): date(2027, 3, 9)})
    with pytest.raises(SeasonError, match="two sessions would fall on 2027-03-09"):
        plan_season(make_chat(), moved, 4)


def test_the_first_session_steps_follow_the_first_session_held() -> None:
    changes = SeasonChanges(cancelled=frozenset({date(2027, 3, 2)}))
    assert plan_season(make_chat(), changes, 4).chat.schedule.first == date(2027, 3, 9)


def test_a_booking_years_ahead_stops_at_the_cap_with_a_warning() -> None:
    guests = [{"name": "Typo", "email": "t@example.org", "session": "2037-03-03"}]
    season = plan_season(make_chat(guests=guests), SeasonChanges(), 4)
    assert len(season.sessions) == MAX_SESSIONS
    assert any(f"the season stops at {MAX_SESSIONS} sessions" in w for w in season.warnings)


def test_recap_finds_the_sessions_held_between_two_dates() -> None:
    changes = SeasonChanges(shifts=(Shift(date(2027, 3, 9), 1),))
    season = season_between(make_chat(), changes, date(2027, 3, 1), date(2027, 3, 20))
    assert [s.day for s in season.sessions] == [
        date(2027, 3, 2),
        date(2027, 3, 10),
        date(2027, 3, 17),
    ]


def test_check_season_lists_late_steps_and_holiday_sessions_for_the_wizard() -> None:
    chat = make_chat(
        schedule={"rrule": "FREQ=WEEKLY;BYDAY=MO", "start": "20:00", "first": "2027-01-11"},
        guests=[{"name": "Grace", "email": "grace@example.org", "session": "2027-01-18"}],
    )
    templates = load_templates(None)
    playbook = load_playbook("weekly-launch", templates.names(), REPO)
    check = check_season(chat, playbook, datetime(2027, 1, 1, 12, tzinfo=UTC))
    late = {(i.ref.step, i.ref.session) for i in check.late}
    # The announcement (14 days ahead) and Grace's invitation (28 days ahead) are already due.
    assert ("announce", date(2027, 1, 11)) in late
    assert ("guest-invite", date(2027, 1, 18)) in late
    assert all(i.ref.due_utc < datetime(2027, 1, 1, 12, tzinfo=UTC) for i in check.late)
    # Mon 18 Jan 2027 is Martin Luther King Jr. Day.
    assert [h.start.date() for h in check.holidays] == [date(2027, 1, 18)]
    assert "Martin Luther King Jr. Day (US)" in check.holidays[0].describe()
