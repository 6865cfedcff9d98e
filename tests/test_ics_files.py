"""Every .ics file launchkit writes, read back with icalendar as a calendar app reads it.

The VTIMEZONE of a recurring chat is compared with zoneinfo hour by hour over three years for
every zone zoneinfo knows; invitations, chat.ics and sequence.ics are read with icalendar and
recurring-ical-events (test-only dependencies), with each zone taken from the file's own
VTIMEZONE rather than from a zone database.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import available_timezones

import icalendar
import pytest
import recurring_ical_events

from launchkit.commands.render import run as render
from launchkit.domain.chat import Chat
from launchkit.domain.ics import COVERED_YEARS, chat_ics
from launchkit.domain.sessions import first_session, session_starts
from launchkit.domain.vtimezone import vtimezone
from tests.ics_oracle import from_body, hourly, the_vtimezone, wrong_hours
from tests.support import example_chat_file, folder, make_chat, plan, write_chat

REPO = Path(__file__).resolve().parents[1]
ZONES = sorted(available_timezones())
CHUNKS = 8  # spread over the xdist workers
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _chat(zone: str, first: str = "2027-01-05", **schedule: Any) -> Chat:
    return make_chat(
        timezone=zone,
        audience_timezones=[],
        guests=[],
        schedule={"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "20:00", "first": first, **schedule},
    )


def _unfolded(text: str) -> str:
    return text.replace("\r\n ", "")


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_zone_matches_zoneinfo_hour_by_hour_for_three_years(chunk: int) -> None:
    wrong = {}
    for zone in ZONES[chunk::CHUNKS]:
        chat = _chat(zone)
        body = the_vtimezone(icalendar.Calendar.from_ical(chat_ics(chat)))
        count = wrong_hours(body, zone, hourly(first_session(chat), COVERED_YEARS))
        if count:
            wrong[zone] = count
    assert wrong == {}, f"hours at another UTC offset than zoneinfo's: {wrong}"


@pytest.mark.parametrize(
    ("zone", "rule"),
    [
        ("America/New_York", "BYMONTH=3;BYDAY=2SU"),
        # Clocks change at local midnight: the rule's weekday is that of the new day.
        ("Atlantic/Azores", "BYMONTH=3;BYDAY=-1SU"),
        ("Atlantic/Azores", "BYMONTH=10;BYDAY=-1SU"),
        ("Africa/Cairo", "BYMONTH=4;BYDAY=-1FR"),
        # Chile changes on the first Sunday on or after the 2nd: 8 April in 2029, not 1SU.
        ("America/Santiago", "BYMONTH=4;BYDAY=SU;BYMONTHDAY=2,3,4,5,6,7,8"),
        # Israel: the Friday on or after 23 March.
        ("Asia/Jerusalem", "BYMONTH=3;BYDAY=FR;BYMONTHDAY=23,24,25,26,27,28,29"),
    ],
)
def test_yearly_rules_follow_the_zones_own_rule(zone: str, rule: str) -> None:
    assert f"RRULE:FREQ=YEARLY;{rule}\r\n" in _unfolded(chat_ics(_chat(zone)))


@pytest.mark.parametrize(
    ("zone", "first"), [("Africa/Casablanca", "2027-01-05"), ("Asia/Gaza", "2036-01-01")]
)
def test_irregular_zones_get_their_dates_listed(zone: str, first: str) -> None:
    """Morocco's Ramadan changes and Gaza's from 2036 follow no yearly rule: each is listed."""
    chat = _chat(zone, first=first)
    text = _unfolded(chat_ics(chat))
    assert "RDATE:" in text
    body = the_vtimezone(icalendar.Calendar.from_ical(text))
    assert wrong_hours(body, zone, hourly(first_session(chat), COVERED_YEARS)) == 0


def test_a_rule_that_ends_later_is_covered_to_its_last_session() -> None:
    chat = _chat("Asia/Gaza", first="2032-01-06", rrule="FREQ=MONTHLY;BYDAY=1TU;COUNT=72")
    last = session_starts(chat, 100)[-1]
    assert last.year == 2037
    body = the_vtimezone(icalendar.Calendar.from_ical(chat_ics(chat)))
    assert wrong_hours(body, "Asia/Gaza", hourly(first_session(chat), 6)) == 0


def test_zones_without_changes_state_their_offset() -> None:
    lines = vtimezone(
        "Asia/Kolkata", datetime(2027, 1, 5, tzinfo=UTC), datetime(2030, 1, 5, tzinfo=UTC)
    )
    assert "TZOFFSETFROM:+0530" in lines and "TZOFFSETTO:+0530" in lines
    assert not any(line.startswith(("RRULE", "RDATE", "BEGIN:DAYLIGHT")) for line in lines)


SESSION_ZONES = [
    "America/New_York",
    "Atlantic/Azores",
    "America/Santiago",
    "Asia/Gaza",
    "Africa/Casablanca",
    "Asia/Beirut",
    "America/Havana",
    "America/Nuuk",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Europe/Dublin",
    "Asia/Kolkata",
]


@pytest.mark.parametrize("zone", SESSION_ZONES)
def test_chat_ics_sessions_from_the_vtimezone_body(zone: str) -> None:
    """recurring-ical-events expands chat.ics, placing sessions by its VTIMEZONE alone."""
    chat = _chat(zone)
    start = first_session(chat)
    until = start + timedelta(days=366 * COVERED_YEARS)
    calendar_ = from_body(chat_ics(chat), zone)
    found = recurring_ical_events.of(calendar_).between(start, until)
    got = sorted(event["DTSTART"].dt.astimezone(UTC) for event in found)
    want = [s.astimezone(UTC) for s in session_starts(chat, 400) if s < until]
    assert got == want


def _invitation(path: Path) -> tuple[str, str]:
    """The .eml's recipient and its text/calendar part."""
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    content = part.get_content()
    text = content.decode("utf-8") if isinstance(content, bytes) else str(content)
    return msg["To"].addresses[0].addr_spec, text


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Lord_Howe", "Atlantic/Azores"])
def test_rendered_chat_ics_and_invitations_read_back(tmp_path: Path, zone: str) -> None:
    guests = [
        {"name": "Grace Guest", "email": "grace@example.org", "session": "2027-03-30"},
        {"name": "Zoë Ørsted", "email": "zoe@example.net", "session": "2027-04-06"},
    ]
    chat_path = example_chat_file(
        tmp_path,
        timezone=zone,
        guests=guests,
        schedule={
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
            "start": "20:00",
            "duration_min": 90,
            "first": "2027-03-23",
        },
    )
    out = tmp_path / "out"
    render(folder(chat_path), out, now=NOW)
    from launchkit.adapters.chatfile import load_chat

    chat = load_chat(chat_path)
    starts = {s.date(): s for s in session_starts(chat, 10)}
    emails = sorted((out / "emails").glob("*.eml"))
    assert len(emails) == 6
    for path in emails:
        recipient, text = _invitation(path)
        calendar_ = from_body(text, zone)
        assert calendar_["METHOD"] == "REQUEST"
        (event,) = calendar_.walk("VEVENT")
        session = starts[date.fromisoformat(path.name[:10])]
        assert event["DTSTART"].dt.astimezone(UTC) == session.astimezone(UTC)
        assert event["DTEND"].dt - event["DTSTART"].dt == timedelta(minutes=90)
        assert str(event["SUMMARY"]) == "Indie Dev Hour (#IndieDevHour)"
        assert str(event["ATTENDEE"]) == f"mailto:{recipient}"
    whole = from_body((out / "chat.ics").read_text(encoding="utf-8"), zone)
    (series,) = whole.walk("VEVENT")
    assert str(series["DESCRIPTION"]) == "indie game development, marketing, launch"
    found = recurring_ical_events.of(whole).between(date(2027, 3, 1), date(2027, 6, 1))
    got = sorted(e["DTSTART"].dt.astimezone(UTC) for e in found)
    want = [s for s in session_starts(chat, 20) if s.date() < date(2027, 6, 1)]
    assert got == [s.astimezone(UTC) for s in want]


def test_sequence_ics_reads_back_with_whole_word_titles(tmp_path: Path) -> None:
    result = plan(
        write_chat(
            tmp_path, q1="What got you into making games, and what keeps you going day after day?"
        )
    )
    text = (tmp_path / "out" / "sequence.ics").read_text(encoding="utf-8")
    calendar_ = icalendar.Calendar.from_ical(text)
    events = {str(e["UID"]).partition("@")[0]: e for e in calendar_.walk("VEVENT")}
    assert len(events) == len(result.items)
    for item in result.items:
        event = events[item.ref.key.replace("|", "-")]
        assert event["DTSTART"].dt == item.ref.due_utc
        assert str(event["DESCRIPTION"]).startswith(item.text)
        title = str(event["SUMMARY"])
        if item.ref.channel != "x":
            continue
        shown = title.removeprefix("#IndieDevHour: post — ")
        first_line = item.text.splitlines()[0]
        if shown.endswith("…"):
            kept = shown.removesuffix("…")
            assert first_line.startswith(kept) and first_line[len(kept)] in " ,;:."
            assert len(shown) <= 60
        else:
            assert shown == first_line
        (alarm,) = event.walk("VALARM")
        assert alarm["TRIGGER"].dt == -timedelta(minutes=10)
    assert any(str(e["SUMMARY"]).endswith("…") for e in events.values())
