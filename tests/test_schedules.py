"""Free-text chat schedules read into sessions, zones and a status a user can trust."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launchkit.domain.schedule import (
    ScheduleParse,
    SessionRule,
    parse_schedule,
    render_schedule,
)

NY, CHI, LA, LON = "America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London"


def _w(days: str, start: str, duration: int = 60) -> SessionRule:
    return SessionRule(f"FREQ=WEEKLY;BYDAY={days}", start, duration)


def _m(days: str, start: str, duration: int = 60) -> SessionRule:
    return SessionRule(f"FREQ=MONTHLY;BYDAY={days}", start, duration)


@pytest.mark.parametrize(
    ("text", "hint", "tz", "sessions"),
    [
        ("Wednesdays 8pm EST", None, NY, [_w("WE", "20:00")]),
        ("1st & 3rd Wed 9-10pm ET", None, NY, [_m("1WE,3WE", "21:00")]),
        ("Tuesdays 12PM and 7PM EST", None, NY, [_w("TU", "12:00"), _w("TU", "19:00")]),
        ("Mondays, Wednesdays, Fridays at 4-5 PM EST", None, NY, [_w("MO,WE,FR", "16:00")]),
        ("from 4-5pm EST every MWF", None, NY, [_w("MO,WE,FR", "16:00")]),
        ("Mon-Fri 7am PT", None, LA, [_w("MO,TU,WE,TH,FR", "07:00")]),
        ("weekdays at 7am PT", None, LA, [_w("MO,TU,WE,TH,FR", "07:00")]),
        ("Thurs 8pm ET", None, NY, [_w("TH", "20:00")]),
        ("Wednesday3pm ET", None, NY, [_w("WE", "15:00")]),
        ("each Tuesday night at 9pmET", None, NY, [_w("TU", "21:00")]),
        ("Tuesdays at 2pm ET/11am PT", "ET/PT", NY, [_w("TU", "14:00")]),
        ("Thursdays 2-3pm Eastern / 11-noon Pacific", None, NY, [_w("TH", "14:00")]),
        ("Thursdays 9PM ET / 6PM PT / 2AM GMT (Fri)", None, NY, [_w("TH", "21:00")]),
        ("Mondays 10pm-1am EST", None, NY, [_w("MO", "22:00", 180)]),
        ("Sundays 11pm until 1am ET", None, NY, [_w("SU", "23:00", 120)]),
        ("at 3pm EST Sunday and goes until 6pm EST", None, NY, [_w("SU", "15:00", 180)]),
        ("every Wednesday from noon – 1 p.m. Eastern time", None, NY, [_w("WE", "12:00")]),
        ("Tuesdays at midnight ET", None, NY, [_w("TU", "00:00")]),
        ("Every Sunday at 21:00 EST", None, NY, [_w("SU", "21:00")]),
        ("Time: 8:00 CST Sunday nights.", None, CHI, [_w("SU", "20:00")]),
        ("every Monday evening at 8 EST", None, NY, [_w("MO", "20:00")]),
        ("second Tuesday of every month at 9pm ET", None, NY, [_m("2TU", "21:00")]),
        ("last Tuesday of the month 8pm ET", None, NY, [_m("-1TU", "20:00")]),
        (
            "Every 2nd and 4th Thursday of the month at 21:00 EST",
            None,
            NY,
            [_m("2TH,4TH", "21:00")],
        ),
        (
            "First, Second, Third and Fourth Wednesdays at 8:00 pm ET. 5th Wednesdays are off.",
            None,
            NY,
            [_m("1WE,2WE,3WE,4WE", "20:00")],
        ),
        ("Mondays 7pm and Thursdays 8pm ET", None, NY, [_w("MO", "19:00"), _w("TH", "20:00")]),
        ("Tuesdays at 8pm", "EST", NY, [_w("TU", "20:00")]),
        ("10am (GMT) Wednesday", "GMT", LON, [_w("WE", "10:00")]),
        (
            "Friday nights, 9 to 10 p.m Mountain Time (Arizona)",
            None,
            "America/Phoenix",
            [_w("FR", "21:00")],
        ),
        ("every Tuesday at 8pm America/New_York", None, NY, [_w("TU", "20:00")]),
        ("On Thursday nights at 8pm EST for 1 hour", None, NY, [_w("TH", "20:00")]),
        ("Tuesdays 8pm to 9:30pm ET", None, NY, [_w("TU", "20:00", 90)]),
        ("Tuesdays 8pm ET. Starting March 2015.", None, NY, [_w("TU", "20:00")]),
        ("Sundays 8 PM ET – 9 PM ET", None, NY, [_w("SU", "20:00")]),
        (
            "Every other Tuesday at 8pm ET starting January 5, 2016",
            None,
            NY,
            [SessionRule("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "20:00", 60, first=date(2016, 1, 5))],
        ),
    ],
)
def test_fully_stated_schedules_are_ok(
    text: str, hint: str | None, tz: str, sessions: list[SessionRule]
) -> None:
    result = parse_schedule(text, hint)
    assert result == ScheduleParse("ok", tz, tuple(sessions), ())


@pytest.mark.parametrize(
    ("text", "hint", "problem_word"),
    [
        ("every other Thursday 12pm PT", None, "fortnightly"),
        ("biweekly Tuesdays 8pm ET", None, "fortnightly"),
        ("Every Thursday at 20:30", None, "zone"),
        ("every Tuesday ... from 8-10 EST", None, "am or pm"),
        ("every Wednesday at 5:00 to 6:00 PST", None, "am or pm"),
        ("Saturday night at 1 ET", None, "am or pm"),
        ("convenes on Sunday evenings", None, "time of day"),
        ("7:30 pm CT", None, "day"),
        ("a monthly chat ... on Tuesdays at 6pm GMT", None, "week of the month"),
        ("each Wednesday this Summer from 8-9 p.m. EST", None, "season"),
        (
            "monthy from September through May on the 2nd Tuesday of the month at 8pm ET",
            None,
            "month",
        ),
        ("some Thursdays, about 3pm India Standard Time (IST)", None, "hedged"),
        ("Tuesdays 8pm IST", None, "India, Irish or Israel"),
        ("Tuesdays at 8pm PT", "EST", "time zone column"),
        ("Tuesdays at 8pm ET, 8pm PT", None, "does not agree"),
        ("Mondays 8pm ET except holidays", None, "exception"),
        ("The first Wednesday night at 9pm Eastern", None, "of the month"),
        ("every second Tuesday 8pm ET", None, "every second"),
        (
            "every Wednesday at 1 pm ET. The last Wednesday of the month is our evening chat "
            "at 9 pm ET.",
            None,
            "replaces or adds",
        ),
        ("a Tuesday evening, around 9.30pm GMT (also at 9.30am", None, "cut off"),
        ("Tuesday at 8pm ET and Thursday", None, "which time goes with which day"),
        ("Sun 8pm ET (Feb-May)", None, "part of the year"),
    ],
)
def test_uncertain_schedules_are_partial_and_say_why(
    text: str, hint: str | None, problem_word: str
) -> None:
    result = parse_schedule(text, hint)
    assert result.status == "partial"
    assert any(problem_word in p for p in result.problems), result.problems


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "Details pending.",
        "on a given day, at a given time",
        "October 31st ... at 8:30pm ET",
        "Friday, 9/15 at Noon ET (9 AM PT)",
        "Next Monday, December 8 at 9pm UK time",
        "tonight 8-9",
        "next Thursday from 8pm",
        "On 8 April 2014 at 8pm",
        "Tuesday 4th Feb ... at 11am UK, 12 CET",
    ],
)
def test_empty_prose_and_one_off_events_are_unparsed(text: str) -> None:
    result = parse_schedule(text)
    assert result.status == "unparsed"
    assert result.sessions == ()
    assert result.problems


def test_one_off_event_keeps_its_zone() -> None:
    assert parse_schedule("June 7 at 8 pm GMT").tz == LON


def test_partial_schedule_keeps_what_it_knows() -> None:
    result = parse_schedule("third Thursday of the month")
    assert result.sessions == (SessionRule("FREQ=MONTHLY;BYDAY=3TH", None, 60),)
    assert result.tz is None


def test_to_json_has_the_calendar_parse_shape() -> None:
    result = parse_schedule("Tuesdays 12PM and 7PM EST")
    assert result.to_json(7, "#edchat", None, "Tuesdays 12PM and 7PM EST") == {
        "row": 7,
        "hashtag": "#edchat",
        "name": None,
        "schedule_text": "Tuesdays 12PM and 7PM EST",
        "status": "ok",
        "tz": NY,
        "sessions": [
            {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "12:00", "duration_min": 60},
            {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "19:00", "duration_min": 60},
        ],
        "problems": [],
    }
    assert parse_schedule("").to_json(1, None, None, "")["tz"] is None


def test_huge_text_is_cut_and_said_so() -> None:
    text = "Tuesdays 8pm ET " + "x(" * 5_000_000
    result = parse_schedule(text)
    assert result.status == "partial"
    assert any("first" in p and "characters" in p for p in result.problems)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_text_returns_a_result(text: str) -> None:
    result = parse_schedule(text, text[:20] or None)
    assert result.status in ("ok", "partial", "unparsed")
    if result.status == "ok":
        assert result.sessions and result.tz and not result.problems


_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_ZONES = [NY, CHI, "America/Denver", LA, LON, "Europe/Paris", "Australia/Sydney", "Asia/Tokyo"]
_ORDS = [1, 2, 3, 4, -1]


@st.composite
def _sessions(draw: st.DrawFn) -> SessionRule:
    start = draw(st.integers(0, 24 * 4 - 1)) * 15
    duration = draw(st.sampled_from([30, 45, 60, 90, 120, 180]))
    hhmm = f"{start // 60:02d}:{start % 60:02d}"
    if draw(st.booleans()):
        days = sorted(draw(st.sets(st.sampled_from(_DAYS), min_size=1)), key=_DAYS.index)
        return SessionRule(f"FREQ=WEEKLY;BYDAY={','.join(days)}", hhmm, duration)
    day = draw(st.sampled_from(_DAYS))
    ords = sorted(
        draw(st.sets(st.sampled_from(_ORDS), min_size=1, max_size=3)), key=lambda o: o % 10
    )
    return SessionRule(f"FREQ=MONTHLY;BYDAY={','.join(f'{o}{day}' for o in ords)}", hhmm, duration)


@settings(max_examples=300, deadline=None)
@given(_sessions(), st.sampled_from(_ZONES))
def test_rendered_schedule_reads_back_the_same(session: SessionRule, tz: str) -> None:
    text = render_schedule([session], tz)
    assert parse_schedule(text) == ScheduleParse("ok", tz, (session,), ()), text


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(_DAYS), min_size=2, max_size=2, unique=True),
    st.lists(st.integers(0, 95), min_size=2, max_size=2),
    st.sampled_from(_ZONES),
)
def test_two_rendered_sessions_read_back_in_order(
    days: list[str], quarters: list[int], tz: str
) -> None:
    sessions = [
        _w(d, f"{q * 15 // 60:02d}:{q * 15 % 60:02d}") for d, q in zip(days, quarters, strict=True)
    ]
    text = render_schedule(sessions, tz)
    assert parse_schedule(text).sessions == tuple(sessions), text


def test_render_examples() -> None:
    assert render_schedule([_w("TU", "20:00")], NY) == "Tuesdays 8pm ET"
    assert render_schedule([_m("1WE,3WE", "21:30")], NY) == "1st & 3rd Wednesdays 9:30pm ET"
    assert render_schedule([_w("MO", "22:00", 180)], CHI) == "Mondays 10pm-1am CT"
