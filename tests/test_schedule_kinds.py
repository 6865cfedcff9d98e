"""The kinds of phrasing real calendars use that a first parser got wrong, each in many of our
own wordings: lengths in words, a session per zone, one session said in two zones, a dated
session plus the rule, a range plus a monthly ordinal, and zones only the chat's row settles.

Each kind has readings that must be `ok` with exactly this answer, and wordings that do not
say enough and must stay `partial` with the reason named."""

from __future__ import annotations

from datetime import date

import pytest

from launchkit.domain.schedule import ScheduleParse, SessionRule, parse_schedule
from launchkit.domain.schedule.moments import shift_clock

NY, CHI, LA = "America/New_York", "America/Chicago", "America/Los_Angeles"
LON, PAR, SYD = "Europe/London", "Europe/Paris", "Australia/Sydney"
KOL, DUB = "Asia/Kolkata", "Europe/Dublin"


def _w(days: str, start: str, duration: int = 60, **extra: object) -> SessionRule:
    return SessionRule(f"FREQ=WEEKLY;BYDAY={days}", start, duration, **extra)  # type: ignore[arg-type]


def _m(days: str, start: str, duration: int = 60) -> SessionRule:
    return SessionRule(f"FREQ=MONTHLY;BYDAY={days}", start, duration)


def _ok(
    text: str, tz: str, *sessions: SessionRule, hint: str | None = None, context: str = ""
) -> None:
    assert parse_schedule(text, hint, context) == ScheduleParse("ok", tz, sessions, ()), text


def _partial(text: str, why: str, hint: str | None = None, context: str = "") -> ScheduleParse:
    result = parse_schedule(text, hint, context)
    assert result.status == "partial", (text, result)
    assert any(why in p for p in result.problems), (text, result.problems)
    return result


@pytest.mark.parametrize(
    ("text", "tz", "session"),
    [
        ("Wednesdays at 7pm ET; the chat lasts 90 minutes", NY, _w("WE", "19:00", 90)),
        ("Join our 30-minute chat every Monday at noon PT", LA, _w("MO", "12:00", 30)),
        ("Sundays 8pm GMT, running for two hours", LON, _w("SU", "20:00", 120)),
        ("Thursdays 6pm CET for an hour and a half", PAR, _w("TH", "18:00", 90)),
        ("every Friday 10am AEST (a 45 min chat)", SYD, _w("FR", "10:00", 45)),
        ("Mondays 1pm ET, lasts an hour and 15 minutes", NY, _w("MO", "13:00", 75)),
        ("Saturdays 11am ET. Chat length: 2 hours.", NY, _w("SA", "11:00", 120)),
        ("Tuesday nights at 8 ET, about two hours long", NY, _w("TU", "20:00", 120)),
        ("Wednesdays 3pm PT, a two-hour tweetchat", LA, _w("WE", "15:00", 120)),
        ("Fridays 2pm ET (1h30)", NY, _w("FR", "14:00", 90)),
        ("an hour-long conversation every Tuesday at 9pm ET", NY, _w("TU", "21:00", 60)),
        ("Tuesdays 7-8:30pm ET, a 90-minute chat", NY, _w("TU", "19:00", 90)),
        ("Sundays 5pm PT; runs 1.5 hours", LA, _w("SU", "17:00", 90)),
        # Minutes that are not the chat's length leave the hour alone.
        ("Thursdays 8pm ET (reminders go out 15 minutes before)", NY, _w("TH", "20:00")),
        ("Thursdays 8pm ET, questions every 10 minutes", NY, _w("TH", "20:00")),
        ("Thursdays 8pm ET; the first 30 minutes are introductions", NY, _w("TH", "20:00")),
        ("Tuesdays 8pm ET followed by a 30 minute chat for newcomers", NY, _w("TU", "20:00")),
    ],
)
def test_a_length_in_words_is_the_sessions_length(text: str, tz: str, session: SessionRule) -> None:
    _ok(text, tz, session)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Tuesdays 8pm ET, lasts a couple of hours", "not exact"),
        ("Tuesdays 8pm ET for 1-2 hours", "not exact"),
        ("Tuesdays at 8pm ET, up to an hour", "not exact"),
        ("Tuesdays at 8pm ET for an hour or so", "not exact"),
        ("Tuesdays 7-8pm ET, lasts 90 minutes", "does not match the time range"),
        ("Tuesdays 8pm ET for an hour; runs 90 minutes", "different lengths"),
    ],
)
def test_a_vague_or_contradicted_length_is_partial(text: str, why: str) -> None:
    _partial(text, why)


@pytest.mark.parametrize(
    ("text", "tz", "sessions"),
    [
        (
            "Fridays 9am Eastern, and again at 9am Pacific",
            NY,
            [_w("FR", "09:00"), _w("FR", "12:00")],
        ),
        ("Mondays 9am ET and again at 9am PT", NY, [_w("MO", "09:00"), _w("MO", "12:00")]),
        ("Thursdays 8pm ET & PT", NY, [_w("TH", "20:00"), _w("TH", "23:00")]),
        ("Saturdays 10am Eastern and 10am Pacific", NY, [_w("SA", "10:00"), _w("SA", "13:00")]),
        ("Wednesdays noon ET, repeated at noon PT", NY, [_w("WE", "12:00"), _w("WE", "15:00")]),
        (
            "Thursdays at 8pm in both Eastern and Pacific time",
            NY,
            [_w("TH", "20:00"), _w("TH", "23:00")],
        ),
        # 11pm in Los Angeles is 2am the next day in New York.
        ("Fridays 11pm ET and again at 11pm PT", NY, [_w("FR", "23:00"), _w("SA", "02:00")]),
        (
            "Tuesdays 7pm Central and again at 7pm Pacific",
            CHI,
            [_w("TU", "19:00"), _w("TU", "21:00")],
        ),
        ("Fridays 9am ET and Saturdays 9am PT", NY, [_w("FR", "09:00"), _w("SA", "12:00")]),
        ("Sundays 8pm UK time and again at 8pm CET", LON, [_w("SU", "20:00"), _w("SU", "19:00")]),
        ("Mon & Wed 6pm ET, again at 6pm PT", NY, [_w("MO,WE", "18:00"), _w("MO,WE", "21:00")]),
    ],
)
def test_a_session_per_zone_is_written_in_the_rows_zone(
    text: str, tz: str, sessions: list[SessionRule]
) -> None:
    _ok(text, tz, *sessions)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Fridays 9am ET/PT", "one time for two zones"),
        ("Tuesdays 8pm ET and 6pm PT", "does not agree"),
        ("Tuesdays at 8pm ET, 8pm PT", "does not agree"),
        ("Mondays 7pm CT (or 8pm)", "has no zone"),
        ("Tuesdays 8pm GMT (9pm BST)", "winter and summer time"),
        ("Tuesdays 8pm EST / 9pm EDT", "winter and summer time"),
        (
            "Thursdays 8pm. Times are Eastern; West Coast folks join at 5pm Pacific",
            "without a zone",
        ),
    ],
)
def test_times_in_several_zones_that_do_not_say_how_they_relate_are_partial(
    text: str, why: str
) -> None:
    _partial(text, why)


def test_a_session_whose_zone_drifts_from_the_rows_keeps_its_own_zone() -> None:
    # London and New York are 5 hours apart most of the year but 4 for a few weeks, so the
    # New York session cannot be written as a London time: it keeps its zone, and says so.
    result = _partial("Fridays 9am London and again at 9am New York", "cannot be written in")
    assert result.tz == LON
    assert result.sessions == (_w("FR", "09:00"), _w("FR", "09:00", tz=NY))
    assert result.to_json(1, None, None, "")["sessions"][1]["tz"] == NY


@pytest.mark.parametrize(
    ("text", "tz", "session"),
    [
        ("Sundays 7pm CT (that's 8pm for the East Coast)", CHI, _w("SU", "19:00")),
        ("Mondays 7pm CT (8pm ET)", CHI, _w("MO", "19:00")),
        ("Mondays 7pm Central, which is 8pm Eastern", CHI, _w("MO", "19:00")),
        ("Mondays 7pm CT / 8pm ET / 1am GMT", CHI, _w("MO", "19:00")),
        ("Mondays at 5pm Pacific (8pm on the East Coast)", LA, _w("MO", "17:00")),
        ("Thursdays 2pm London time (9am New York)", LON, _w("TH", "14:00")),
        ("Thursdays 2pm UK time (that's 9am Eastern)", LON, _w("TH", "14:00")),
        ("Wednesdays 6pm PT (9pm in New York)", LA, _w("WE", "18:00")),
        ("Tuesdays 8pm ET (9pm Atlantic)", NY, _w("TU", "20:00")),
        ("Tuesdays 8pm ET and 5pm PT", NY, _w("TU", "20:00")),
        ("Tuesdays, ET 8pm / PT 5pm", NY, _w("TU", "20:00")),
        ("Tuesdays ET: 8pm, PT: 5pm", NY, _w("TU", "20:00")),
        ("Fridays 10am Paris time (9am in London)", PAR, _w("FR", "10:00")),
    ],
)
def test_one_session_said_in_two_zones_is_one_confirmed_session(
    text: str, tz: str, session: SessionRule
) -> None:
    _ok(text, tz, session)


@pytest.mark.parametrize(
    ("text", "tz", "session"),
    [
        ("today, Thursday, at 1pm ET — she hosts it every Thursday", NY, _w("TH", "13:00")),
        ("Weekly on Thursdays; next chat is Thursday, May 4 at 1pm ET", NY, _w("TH", "13:00")),
        ("We meet every Tuesday at 8pm ET — tonight's topic is burnout", NY, _w("TU", "20:00")),
        ("Join us today, Monday, at 7pm PT: the chat runs every Monday", LA, _w("MO", "19:00")),
        ("every Tuesday 8pm GMT. Upcoming: Tuesday, June 4.", LON, _w("TU", "20:00")),
        (
            "every other Monday; the first chat is Monday, March 6th, 2023 at 6pm ET",
            NY,
            SessionRule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "18:00", 60, first=date(2023, 3, 6)),
        ),
        (
            "Every other Wednesday at 2pm ET, starting Wednesday, January 11, 2023",
            NY,
            SessionRule("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "14:00", 60, first=date(2023, 1, 11)),
        ),
        (
            "Biweekly on Fridays 3pm ET; first session 2024-03-01",
            NY,
            SessionRule("FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", "15:00", 60, first=date(2024, 3, 1)),
        ),
        (
            # 3/6/2023 is a Monday read month-first, a Saturday day-first: the rule decides.
            "every other Monday at 6pm ET starting 3/6/2023",
            NY,
            SessionRule("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "18:00", 60, first=date(2023, 3, 6)),
        ),
        (
            "fortnightly on Sundays 4pm GMT (first session 12 March 2023)",
            LON,
            SessionRule("FREQ=WEEKLY;INTERVAL=2;BYDAY=SU", "16:00", 60, first=date(2023, 3, 12)),
        ),
    ],
)
def test_a_dated_session_plus_the_rule_gives_the_rule(
    text: str, tz: str, session: SessionRule
) -> None:
    _ok(text, tz, session)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("every other Monday; the first chat is Monday, March 6th at 6pm ET", "no year"),
        ("every other Thursday 8pm ET, next one Thursday 6/13", "no year"),
        ("Every other Wednesday at 2pm ET, starting Wednesday, January 12, 2023", "not a Wed"),
        ("every Thursday 1pm ET; this week's chat is on Friday, May 5", "not on the chat's day"),
        ("Tuesdays 8pm ET until June 30", "may limit"),
        ("every other Tuesday at 8pm ET", "no start date"),
        (
            "Weekly on Thursdays at 1pm ET; next chat is Thursday, May 4 at 3pm ET",
            "different times",
        ),
    ],
)
def test_a_dated_mention_that_leaves_the_rule_open_is_partial(text: str, why: str) -> None:
    _partial(text, why)


@pytest.mark.parametrize(
    ("text", "tz", "session"),
    [
        ("7-9pm CT … the third Tuesday is for food", CHI, _m("3TU", "19:00", 120)),
        ("the third Tuesday 7-9pm CT", CHI, _m("3TU", "19:00", 120)),
        ("on the fourth Thursday, 8-9pm ET", NY, _m("4TH", "20:00")),
        ("The last Friday at 10am PT is our monthly chat", LA, _m("-1FR", "10:00")),
        ("7-9pm CT, the second Wednesday of every month", CHI, _m("2WE", "19:00", 120)),
        ("The second Monday is book night, 8-9:30pm ET", NY, _m("2MO", "20:00", 90)),
        ("6:30-8pm GMT ... the fourth Saturday is open questions", LON, _m("4SA", "18:30", 90)),
        ("2nd & 4th Tuesdays, 7-8pm ET", NY, _m("2TU,4TU", "19:00")),
        ("20:00-21:30 CET, the last Sunday of each month", PAR, _m("-1SU", "20:00", 90)),
        ("from 7 to 9pm ET on the third Wednesday", NY, _m("3WE", "19:00", 120)),
    ],
)
def test_a_range_and_a_monthly_ordinal_give_a_monthly_rule_and_its_length(
    text: str, tz: str, session: SessionRule
) -> None:
    _ok(text, tz, session)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("first Monday 8pm ET", "without 'of the month'"),
        ("7-9pm CT … the first Tuesday is for food", "without 'of the month'"),
        ("every third Tuesday 7-9pm CT", "every few weeks"),
        ("Chat happens at 2pm ET. The last Friday we had 50 people!", "without 'of the month'"),
        ("Tuesdays 8pm ET, the 2nd Tuesday of the month is a guest chat", "replaces or adds"),
    ],
)
def test_an_ordinal_that_may_not_be_of_the_month_is_partial(text: str, why: str) -> None:
    _partial(text, why)


@pytest.mark.parametrize(
    ("text", "context", "hint", "tz"),
    [
        ("Tuesdays 8pm IST", "Indian edtech teachers", None, KOL),
        ("every Sunday 7pm IST", "Mumbai startup founders", None, KOL),
        ("Wednesdays 9pm IST", "#DesiWriters", None, KOL),
        ("Mondays 8pm IST", "https://chat.example.in/", None, KOL),
        ("Thursdays 8pm IST", "Irish librarians", None, DUB),
        ("Fridays 1pm IST", "#IrishWriters chat", None, DUB),
        ("Tuesdays 8pm IST (India)", "", None, KOL),
        ("Tuesdays 8pm IST", "", "Asia/Kolkata", KOL),
        ("Tuesdays 8pm GST", "Dubai creators", None, "Asia/Dubai"),
        ("Saturdays 10am IST", "Tel Aviv founders", None, "Asia/Jerusalem"),
    ],
)
def test_an_abbreviation_the_chats_own_row_settles(
    text: str, context: str, hint: str | None, tz: str
) -> None:
    assert parse_schedule(text, hint, context).tz == tz
    assert parse_schedule(text, hint, context).status == "ok"


@pytest.mark.parametrize(
    ("text", "context", "why"),
    [
        ("Tuesdays 8pm IST", "", "India, Irish or Israel"),
        ("Tuesdays 8pm IST", "book lovers", "India, Irish or Israel"),
        ("Tuesdays 8pm IST", "Irish writers living in India", "India, Irish or Israel"),
        ("Tuesdays 8pm PST", "Filipino writers in Manila", "Asia/Manila"),
        ("Tuesdays 8pm CST", "Chinese language learners", "Asia/Shanghai"),
        ("Tuesdays 8pm EST", "Aussie teachers", "Australia/Sydney"),
        ("Tuesdays 8pm GST", "", "Gulf"),
    ],
)
def test_an_abbreviation_nothing_settles_is_not_guessed(text: str, context: str, why: str) -> None:
    result = _partial(text, why, context=context)
    assert result.tz is None


@pytest.mark.parametrize(
    ("minute", "source", "target", "weekdays", "expected"),
    [
        (9 * 60, LA, NY, {4}, (12 * 60, 0)),  # 9am Pacific is noon Eastern all year
        (23 * 60, LA, NY, {4}, (2 * 60, 1)),  # and 11pm Pacific is 2am the next day
        (9 * 60, NY, LON, {4}, None),  # 4 or 5 hours apart, depending on the week
        (9 * 60, DUB, LON, {0, 1, 2, 3, 4, 5, 6}, (9 * 60, 0)),
        # US clocks change at 2am on a Sunday, three hours apart from coast to coast.
        (23 * 60 + 30, LA, NY, {5}, None),
    ],
)
def test_a_clock_time_moves_between_zones_only_if_it_does_so_all_year(
    minute: int, source: str, target: str, weekdays: set[int], expected: tuple[int, int] | None
) -> None:
    assert shift_clock(minute, source, target, frozenset(weekdays)) == expected
