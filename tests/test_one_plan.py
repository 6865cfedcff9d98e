"""One plan everywhere: the sessions `schedule` plans (how many, shifts, cancellations) are
what chat.ics, posts.md, status and sequence.ics show, read back with a real iCalendar
library (icalendar, recurring-ical-events) as the oracle."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from tests.support import Run, invoke, runtime, write_chat

NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
NY = ZoneInfo("America/New_York")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def cli(*args: str, now: datetime = NOW) -> Run:
    result = invoke(runtime(now), list(args))
    assert result.exit_code == 0, result.stderr
    return result


def schedule(chat: Path, *flags: str) -> Run:
    return cli("schedule", "--chat", str(chat), *flags)


def chat_ics_sessions(out: Path, until: date) -> list[datetime]:
    """Session starts chat.ics gives, expanded by recurring-ical-events."""
    cal = icalendar.Calendar.from_ical((out / "chat.ics").read_bytes())
    events = recurring_ical_events.of(cal).between(date(2027, 1, 1), until + timedelta(days=1))
    return sorted(e["DTSTART"].dt.astimezone(NY) for e in events)


def posts_md_sessions(out: Path) -> list[date]:
    """The sessions posts.md has a heading for ("## Session Wed 10 Mar, 8pm ET / ...")."""
    found = re.findall(r"^## Session \w+ (\d+) (\w+),", (out / "posts.md").read_text(), re.M)
    return [date(2027, MONTHS.index(month) + 1, int(day)) for day, month in found]


def sequence_ics_sessions(out: Path) -> set[date]:
    """The sessions with a confirmed item in out/sequence.ics (UIDs hold the item's key)."""
    cal = icalendar.Calendar.from_ical((out / "sequence.ics").read_bytes())
    found = set()
    for event in cal.walk("VEVENT"):
        if str(event["STATUS"]) == "CONFIRMED":
            day = re.search(r"\d{4}-\d{2}-\d{2}", str(event["UID"]))
            assert day is not None
            found.add(date.fromisoformat(day.group()))
    return found


def status_items(chat: Path, now: datetime = NOW) -> list[dict[str, object]]:
    data = json.loads(cli("status", "--chat", str(chat), "--json", now=now).stdout)
    items: list[dict[str, object]] = data["items"]
    return items


def test_shift_extend_cancel_shift_agree_in_chat_ics_posts_md_status_and_sequence_ics(
    tmp_path: Path,
) -> None:
    chat = write_chat(tmp_path)  # Tuesdays 20:00 New York from 2027-03-02; Grace on 03-16
    out = tmp_path / "out"
    schedule(chat, "--shift", "7d")
    schedule(chat, "--sessions", "6")  # the finding: "two sessions would fall on the same day"
    schedule(chat, "--cancel", "2027-03-30")
    last = schedule(chat, "--shift", "1d")  # Tuesdays become Wednesdays, the season with them
    cli("render", "--chat", str(chat))

    held = [date(2027, 3, d) for d in (10, 17, 24)] + [date(2027, 4, d) for d in (7, 14, 21)]
    assert "Sessions (6): " + ", ".join(d.isoformat() for d in held) in last.stdout
    assert "Cancelled: 2027-03-31" in last.stdout
    # chat.ics, expanded by a real recurrence engine: exactly the sessions held, at 20:00.
    starts = chat_ics_sessions(out, held[-1])
    assert [s.date() for s in starts] == held
    assert {(s.hour, s.minute) for s in starts} == {(20, 0)}
    # posts.md renders the same sessions; posts.json names the cancelled one.
    assert posts_md_sessions(out) == held
    pack = json.loads((out / "posts.json").read_text())
    assert (pack["sessions"], pack["cancelled"]) == ([d.isoformat() for d in held], ["2027-03-31"])
    # status: planned rows on the sessions held, and the live post of each at its start.
    items = status_items(chat)
    live = {
        date.fromisoformat(str(i["ref"]["session"])): i["ref"]["due_utc"]  # type: ignore[index]
        for i in items
        if i["status"] != "cancelled" and i["ref"]["step"] == "live"  # type: ignore[index]
    }
    assert sorted(live) == held
    assert [datetime.fromisoformat(str(live[d])) for d in held] == [
        s.astimezone(UTC) for s in starts
    ]
    active = {
        date.fromisoformat(str(i["ref"]["session"])) for i in items if i["status"] != "cancelled"
    }  # type: ignore[index]
    assert active == set(held)
    # sequence.ics: its confirmed items are those sessions' too.
    assert sequence_ics_sessions(out) == set(held)
    # Grace's session (first planned for 03-16) moved twice with the season; her emails too.
    emails = {
        str(i["ref"]["key"])
        for i in items
        if i["status"] == "planned" and i["ref"]["channel"] == "email"
    }  # type: ignore[index]
    assert emails == {
        f"{step}|2027-03-24|1" for step in ("guest-invite", "guest-brief", "guest-reminder")
    }
    # No week is missing: held and cancelled sessions are consecutive Wednesdays.
    weeks = sorted([*held, date(2027, 3, 31)])
    assert all(b - a == timedelta(days=7) for a, b in pairwise(weeks))


def test_a_shift_by_a_day_then_more_sessions(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    schedule(chat, "--shift", "1d")
    result = schedule(chat, "--sessions", "6")
    assert (
        "Sessions (6): 2027-03-03, 2027-03-10, 2027-03-17, 2027-03-24, 2027-03-31, 2027-04-07"
        in result.stdout
    )
    again = schedule(chat)  # a plain schedule keeps the plan
    assert "Sessions (6): 2027-03-03," in again.stdout


def test_chat_ics_ends_where_a_shifted_season_is_planned_no_later_session_on_the_old_day(
    tmp_path: Path,
) -> None:
    chat = write_chat(tmp_path)
    schedule(chat, "--shift", "1d")
    cli("render", "--chat", str(chat))
    starts = chat_ics_sessions(tmp_path / "out", date(2031, 1, 1))
    assert starts and {s.weekday() for s in starts} == {2}  # every one a Wednesday
    assert starts[0].date() == date(2027, 3, 3)


def test_render_follows_the_plan_and_a_guest_after_session_4_is_planned(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    text = chat.read_text().replace("session: 2027-03-16", "session: 2027-04-06")  # session 6
    chat.write_text(text)
    rendered = invoke(runtime(NOW), ["render", "--chat", str(chat), "--json"])
    assert rendered.exit_code == 0, rendered.stderr
    data = json.loads(rendered.stdout)
    assert data["sessions"][-1] == "2027-04-06" and len(data["sessions"]) == 6
    assert data["emails"] == 3
    assert "6 sessions planned, not 4" in rendered.stderr
    scheduled = schedule(chat)
    assert "Sessions (6):" in scheduled.stdout
    schedule(chat, "--sessions", "8")
    again = json.loads(cli("render", "--chat", str(chat), "--json").stdout)
    assert len(again["sessions"]) == 8  # render follows what schedule planned


def test_render_and_schedule_write_beside_the_chat_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "my-chat"
    folder.mkdir()
    chat = write_chat(folder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    cli("render", "--chat", str(chat))
    schedule(chat)
    assert (folder / "out" / "posts.md").is_file() and (folder / "out" / "sequence.ics").is_file()
    assert list(elsewhere.iterdir()) == []
    schedule(chat, "--out", str(tmp_path / "exports"))
    assert (tmp_path / "exports" / "sequence.csv").is_file()


def test_render_one_session_keeps_the_seasons_pack(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    cli("render", "--chat", str(chat))
    emails = sorted(p.name for p in (tmp_path / "out" / "emails").iterdir())
    assert len(emails) == 3
    cli("render", "--chat", str(chat), "--session", "2027-03-09")
    assert sorted(p.name for p in (tmp_path / "out" / "emails").iterdir()) == emails
    one = json.loads((tmp_path / "out" / "session-2027-03-09" / "posts.json").read_text())
    assert one["sessions"] == ["2027-03-09"]


def test_a_guest_on_a_date_that_is_not_a_session_is_told_the_nearest(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    chat.write_text(chat.read_text().replace("session: 2027-03-16", "session: 2027-03-18"))
    result = schedule(chat)
    assert (
        "guest Grace Guest is booked for 2027-03-18, which is not a session date; the nearest "
        "session is 2027-03-16" in result.stderr
    )


def test_a_guest_on_the_shifted_date_is_not_warned(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    schedule(chat, "--shift", "1d")
    chat.write_text(chat.read_text().replace("session: 2027-03-16", "session: 2027-03-17"))
    result = schedule(chat)
    assert "Grace" not in result.stderr
    assert "guest-brief|2027-03-17|1" in result.stdout


def test_cancelling_a_date_that_is_no_session_names_the_planned_ones(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    result = invoke(runtime(NOW), ["schedule", "--chat", str(chat), "--cancel", "2027-03-10"])
    assert result.exit_code == 2
    assert "2027-03-10 is not a session date" in result.stderr
    assert "planned sessions: 2027-03-02, 2027-03-09" in result.stderr


HOLIDAY_CHAT = """\
version: 1
name: Turkey Talk
hashtag: "#TurkeyTalk"
host: {name: Ada Example, email: ada@example.org}
timezone: America/New_York
schedule: {rrule: "FREQ=WEEKLY;BYDAY=MO", start: "20:00", first: 2027-01-18}
audience_timezones: [Australia/Sydney]
questions: ["One?", "Two?", "Three?", "Four?", "Five?"]
"""


def test_schedule_flags_holidays_of_the_host_and_audience_and_skips_them(tmp_path: Path) -> None:
    chat = tmp_path / "chat.yaml"
    chat.write_text(HOLIDAY_CHAT)
    flagged = schedule(chat)
    # Mon 18 Jan is Martin Luther King Jr. Day in the US; Mon 25 Jan 20:00 New York is
    # Tue 26 Jan noon in Sydney: Australia Day.
    assert "the session of Mon 18 Jan 2027: Martin Luther King Jr. Day (US)" in flagged.stderr
    assert "the session of Mon 25 Jan 2027: Australia Day (AU)" in flagged.stderr
    skipped = schedule(chat, "--skip-holidays")
    assert "Sessions (4): 2027-02-01, 2027-02-08, 2027-02-22, 2027-03-01" in skipped.stdout
    # Mon 15 Feb is Washington's Birthday: skipped too; four sessions are still planned.
    assert "Cancelled: 2027-02-15" in skipped.stdout
    assert "Holiday" not in skipped.stderr and "(US)" not in skipped.stderr


def test_steps_already_late_can_be_skipped_or_sent_at_once(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    late_now = datetime(2027, 2, 25, 12, 0, tzinfo=UTC)  # announce (02-16) and 7d reminder late
    planned = cli("schedule", "--chat", str(chat), now=late_now)
    assert "late" in planned.stdout
    skipped = cli("schedule", "--chat", str(chat), "--skip-late", now=late_now)
    assert (
        "3 late steps left out: announce|2027-03-02|0, guest-invite|2027-03-16|1, "
        "reminder-7d|2027-03-02|0" in skipped.stderr
    )
    status = status_items(chat)
    announce = next(i for i in status if i["ref"]["key"] == "announce|2027-03-02|0")  # type: ignore[index]
    assert (announce["status"], announce["error"]) == (
        "cancelled",
        "skipped: it was late when it was planned",
    )
    cli("schedule", "--chat", str(chat), now=late_now)  # a later plan keeps the choice
    status = status_items(chat)
    announce = next(i for i in status if i["ref"]["key"] == "announce|2027-03-02|0")  # type: ignore[index]
    assert announce["status"] == "cancelled"
    sent_late = cli("schedule", "--chat", str(chat), "--send-late", now=late_now)
    assert " late " not in sent_late.stdout  # let through: due, not late
    status = status_items(chat, late_now)
    assert {i["status"] for i in status if i["ref"]["key"] == "reminder-7d|2027-03-02|0"} == {  # type: ignore[index]
        "due"
    }
    dry = cli("post", "--chat", str(chat), "--dry-run", now=late_now)
    assert "would send   2027-02-16 20:00 EST  X: New chat: Indie Dev Hour" in dry.stdout


def test_a_session_in_christmas_week_is_flagged(tmp_path: Path) -> None:
    chat = tmp_path / "chat.yaml"
    chat.write_text(
        HOLIDAY_CHAT.replace("BYDAY=MO", "BYDAY=TU").replace("2027-01-18", "2027-12-14")
    )
    flagged = schedule(chat)
    # Tue 28 Dec is no public holiday itself, but it lies between Christmas and New Year.
    assert "Tue 28 Dec 2027: between Christmas Day" in flagged.stderr
    assert "between Boxing Day and New Year's Day (AU)" in flagged.stderr  # Sydney: Wed 29th
