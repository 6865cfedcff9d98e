"""What a parse says reaches every place that uses it: lengths said in words, a session kept
in its own zone, and the dated weeks of a fortnightly chat flow into the occurrences (calendar
site, audit), the week grid (heatmap), the same-hour check and the slot search."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from launchkit.domain.calendars.occurrences import expand_entries, from_minutes
from launchkit.domain.calendars.table import build_calendar
from launchkit.domain.calendars.week import occurrences, sessions_text, week_grid
from launchkit.domain.hashtag.meeting import PlannedSlot, meets_same_hour
from launchkit.domain.schedule import parse_schedule
from launchkit.domain.slots.scoring import AudienceWindow
from launchkit.domain.slots.search import SlotQuery, find_open_slots
from tests.test_occurrences import Row

NY, LON = "America/New_York", "Europe/London"
TWO_ZONES = "Fridays 9am London and again at 9am New York"
FORTNIGHTLY = "every other Monday; the first chat is Monday, March 6th, 2023 at 6pm ET"


def _local(minutes: object, tz: str) -> list[str]:
    return [
        from_minutes(int(m)).astimezone(ZoneInfo(tz)).strftime("%a %m-%d %H:%M")
        for m in minutes  # type: ignore[attr-defined]
    ]


def test_a_length_in_words_sets_how_long_each_occurrence_lasts() -> None:
    rows = [Row("#long", parse_schedule("Tuesdays 8pm ET, lasts about two hours"))]
    occ = expand_entries(rows, date(2027, 1, 4), date(2027, 1, 29))
    assert len(occ) == 4 and ((occ.ends - occ.starts) == 120).all()


def test_a_session_in_its_own_zone_is_expanded_in_that_zone() -> None:
    parse = parse_schedule(TWO_ZONES)
    occ = expand_entries([Row("#two", parse)], date(2027, 3, 8), date(2027, 3, 21))
    # 9am in London and 9am in New York every Friday; New York changes its clocks on
    # 14 March, London on the 28th, so for two weeks the gap is 4 hours, not 5.
    assert _local(sorted(occ.starts.tolist()), LON) == [
        "Fri 03-12 09:00",
        "Fri 03-12 14:00",
        "Fri 03-19 09:00",
        "Fri 03-19 13:00",
    ]
    window = (datetime(2027, 1, 11, tzinfo=UTC), datetime(2027, 1, 18, tzinfo=UTC))
    found = [(m.astimezone(ZoneInfo(NY)).hour, s.tz) for m, s in occurrences(parse, *window)]
    assert found == [(4, None), (9, NY)]
    assert sessions_text(parse.sessions) == "FR 09:00 60m; FR 09:00 60m (America/New_York)"


def test_a_dated_fortnightly_chat_runs_only_in_its_weeks() -> None:
    parse = parse_schedule(FORTNIGHTLY)
    occ = expand_entries([Row("#fort", parse)], date(2027, 1, 4), date(2027, 1, 29))
    # 4 January 2027 is 200 weeks after 6 March 2023: the 4th and the 18th, not the 11th.
    assert _local(occ.starts.tolist(), NY) == ["Mon 01-04 18:00", "Mon 01-18 18:00"]
    assert occ.every_week == ()
    assert "every 2 weeks from 2023-03-06" in sessions_text(parse.sessions)


def test_the_week_grid_counts_what_the_parse_says() -> None:
    ny = ZoneInfo(NY)
    parses = [
        parse_schedule(FORTNIGHTLY),
        parse_schedule("Fridays 9am Eastern, and again at 9am Pacific"),
        parse_schedule("Wednesdays 3pm ET, a two-hour chat"),
    ]
    on = week_grid(parses, NY, datetime(2027, 1, 18, tzinfo=ny))
    off = week_grid(parses, NY, datetime(2027, 1, 11, tzinfo=ny))
    assert on.counts[0][18] == 1 and off.counts[0][18] == 0  # its week, and not
    assert on.counts[4][9] == on.counts[4][12] == 1  # 9am Pacific is noon Eastern
    assert on.counts[2][15] == on.counts[2][16] == 1  # two hours fill two cells
    assert sum(map(sum, off.counts)) == 4


def test_the_same_hour_check_uses_each_sessions_zone_and_length() -> None:
    on = date(2027, 1, 15)
    parse = parse_schedule(TWO_ZONES)
    assert meets_same_hour(PlannedSlot("FR", "09:00", NY), parse.tz, parse.sessions, on)
    assert not meets_same_hour(PlannedSlot("FR", "11:00", NY), parse.tz, parse.sessions, on)
    long = parse_schedule("Wednesdays 3pm ET, a two-hour chat")
    assert meets_same_hour(PlannedSlot("WE", "16:30", NY), long.tz, long.sessions, on)


def test_the_slot_search_sees_the_second_session_and_the_length() -> None:
    chats = [
        Row("#eastwest", parse_schedule("Fridays 9am Eastern, and again at 9am Pacific")),
        Row("#long", parse_schedule("Fridays 10am ET, lasts about two hours")),
    ]
    window = (AudienceWindow(NY, 9 * 60, 13 * 60),)
    query = SlotQuery(NY, date(2027, 1, 4), window, days=("FR",), top=10)
    overlaps = {s.start: s.overlaps for s in find_open_slots(chats, query).slots}
    assert overlaps["12:00"] == ("#eastwest",)  # 9am Pacific
    assert overlaps["11:00"] == ("#long",)  # 10am for two hours
    assert all(overlaps.values())  # no free hour left on Friday morning


def test_the_rows_other_cells_settle_ist() -> None:
    table = [
        ["Hashtag", "Name", "Schedule", "Topic"],
        ["#edtechin", "EdTech India", "Tuesdays 8pm IST", "teachers"],
        ["#libchat", "Library chat", "Tuesdays 8pm IST", "Irish librarians"],
        ["#books", "Books", "Tuesdays 8pm IST", "reading"],
    ]
    entries = build_calendar("t", table).entries
    assert [(e.parse.tz, e.parse.status) for e in entries] == [
        ("Asia/Kolkata", "ok"),
        ("Europe/Dublin", "ok"),
        (None, "partial"),
    ]


def test_json_carries_the_sessions_own_zone_and_first_date() -> None:
    two = parse_schedule(TWO_ZONES).to_json(1, None, None, TWO_ZONES)
    assert two["sessions"][1] == {
        "rrule": "FREQ=WEEKLY;BYDAY=FR",
        "start": "09:00",
        "duration_min": 60,
        "tz": NY,
    }
    fort = parse_schedule(FORTNIGHTLY).to_json(2, None, None, FORTNIGHTLY)
    assert fort["sessions"][0]["first"] == "2023-03-06"
    assert "tz" not in fort["sessions"][0]
