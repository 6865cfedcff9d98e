"""Calendar columns by header name, header zones, day + time columns, and week expansion."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from launchkit.domain.calendars.heatmap import grid_html, grid_svg, grid_text
from launchkit.domain.calendars.table import (
    CalendarError,
    build_calendar,
    entries_json,
    map_columns,
)
from launchkit.domain.calendars.week import (
    next_occurrence,
    parse_slot,
    week_grid,
    week_start_of,
    weekly_shape,
)
from launchkit.domain.schedule import parse_schedule


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Hashtag", "Name", "Schedule"], {"hashtag": "Hashtag", "name": "Name"}),
        (["TAG", "Title", "When"], {"hashtag": "TAG", "name": "Title", "schedule": "When"}),
        (
            ["Chat name", "Day & Time", "Time zone"],
            {"schedule": "Day & Time", "timezone": "Time zone"},
        ),
        (["Day", "Time (ET)", "TZ"], {"day": "Day", "time": "Time (ET)", "timezone": "TZ"}),
        (["Description", "Hosts", "Website"], {"topic": "Description", "moderators": "Hosts"}),
        (
            ["Twitter chat hashtag", "Chat topic"],
            {"hashtag": "Twitter chat hashtag", "topic": "Chat topic"},
        ),
        (
            ["When? (all times Eastern)", "URL"],
            {"schedule": "When? (all times Eastern)", "link": "URL"},
        ),
    ],
)
def test_headers_map_by_synonym(headers: list[str], expected: dict[str, str]) -> None:
    mapped = map_columns(headers)
    assert {k: mapped[k] for k in expected} == expected


def test_map_override_wins_and_unknowns_list_what_exists() -> None:
    mapped = map_columns(["Hashtag", "Meeting time", "Schedule"], {"schedule": "meeting time"})
    assert mapped["schedule"] == "Meeting time"
    assert "Schedule" not in mapped.values()
    with pytest.raises(CalendarError) as err:
        map_columns(["Hashtag"], {"schedule": "Nope"})
    assert "'Hashtag'" in (err.value.hint or "")
    with pytest.raises(CalendarError, match="unknown field 'colour'"):
        map_columns(["Hashtag"], {"colour": "Hashtag"})


def test_header_zone_applies_to_rows_without_one() -> None:
    cal = build_calendar(
        "t",
        [
            ["Hashtag", "When? (all times Eastern)", "Zone"],
            ["#a", "Tuesdays 8pm", ""],
            ["#b", "Tuesdays 8pm", "PT"],
            ["#c", "Tuesdays 8pm GMT", ""],
        ],
    )
    assert cal.header_zone == "America/New_York"
    assert [e.parse.tz for e in cal.entries] == [
        "America/New_York",
        "America/Los_Angeles",
        "Europe/London",
    ]
    assert cal.entries[0].parse.status == "ok"


def test_day_and_time_columns_combine() -> None:
    cal = build_calendar("t", [["Tag", "Day", "Time (ET)"], ["#a", "Thursdays", "9pm"]])
    entry = cal.entries[0]
    assert entry.schedule_text == "Thursdays 9pm"
    assert entry.parse.status == "ok"
    assert entry.parse.sessions[0].rrule == "FREQ=WEEKLY;BYDAY=TH"
    assert entry.parse.sessions[0].start == "21:00"


def test_rows_keep_their_numbers_and_blank_rows_are_skipped() -> None:
    cal = build_calendar(
        "t", [["hashtag", "schedule"], ["#a", "Mondays 8pm ET"], ["", ""], ["#b", "hello"]]
    )
    assert [(e.row, e.hashtag, e.parse.status) for e in cal.entries] == [
        (1, "#a", "ok"),
        (3, "#b", "unparsed"),
    ]


def test_no_hashtag_or_schedule_column_lists_the_headers() -> None:
    with pytest.raises(CalendarError) as err:
        build_calendar("cal.csv", [["Foo", "Bar"], ["1", "2"]])
    assert err.value.message == "cal.csv: no hashtag or schedule column"
    assert "'Foo', 'Bar'" in (err.value.hint or "")


def test_header_only_is_an_empty_calendar_that_says_so() -> None:
    calendar = build_calendar("cal.csv", [["hashtag", "schedule"]])
    assert calendar.entries == ()
    assert calendar.warnings == ("cal.csv: only a header row, no chats",)


def test_ten_megabyte_schedule_is_a_row_not_a_crash() -> None:
    cal = build_calendar("t", [["hashtag", "schedule"], ["#a", "x" * 10_000_000]])
    assert cal.entries[0].parse.status == "unparsed"
    assert cal.entries[0].parse.problems


def test_json_object_has_design_shape() -> None:
    cal = build_calendar("t", [["hashtag", "schedule"], ["#edchat", "Tuesdays 12PM and 7PM EST"]])
    assert cal.entries[0].to_json() == {
        "row": 1,
        "hashtag": "#edchat",
        "name": None,
        "schedule_text": "Tuesdays 12PM and 7PM EST",
        "status": "ok",
        "tz": "America/New_York",
        "sessions": [
            {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "12:00", "duration_min": 60},
            {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "19:00", "duration_min": 60},
        ],
        "problems": [],
    }


def test_weekly_shape_weights() -> None:
    assert weekly_shape("FREQ=WEEKLY;BYDAY=TU") is not None
    assert weekly_shape("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH").weight == 0.5  # type: ignore[union-attr]
    monthly = weekly_shape("FREQ=MONTHLY;BYDAY=1WE,3WE")
    assert monthly is not None and monthly.rrule == "FREQ=WEEKLY;BYDAY=WE"
    assert monthly.weight == pytest.approx(24 / 52)
    assert weekly_shape("FREQ=MONTHLY;BYMONTHDAY=15") is None


def test_next_occurrence_stays_at_local_time_across_dst() -> None:
    parse = parse_schedule("Tuesdays 8pm ET")
    # US DST ended on Sunday 2026-11-01: 20:00 New York is 00:00 UTC in October, 01:00 after.
    before = next_occurrence(parse, datetime(2026, 10, 26, tzinfo=UTC))
    after = next_occurrence(parse, datetime(2026, 11, 2, tzinfo=UTC))
    assert before == datetime(2026, 10, 28, 0, 0, tzinfo=UTC)
    assert after == datetime(2026, 11, 4, 1, 0, tzinfo=UTC)
    ny = ZoneInfo("America/New_York")
    assert before is not None and after is not None
    assert before.astimezone(ny).hour == after.astimezone(ny).hour == 20


def test_week_grid_in_viewer_zone_with_weights() -> None:
    parses = [
        parse_schedule("Tuesdays 8pm ET"),
        parse_schedule("every other Tuesday 8pm ET"),
        parse_schedule("Tuesdays 8-10pm ET"),
        parse_schedule("some prose"),
    ]
    london = ZoneInfo("Europe/London")
    start = week_start_of(datetime(2026, 11, 25, 12, tzinfo=UTC), london)
    assert start == datetime(2026, 11, 30, tzinfo=london)
    grid = week_grid(parses, "Europe/London", start)
    # 8pm New York is 1am Wednesday in London (both on standard time).
    assert grid.counts[2][1] == 2.5
    assert grid.counts[2][2] == 1  # the two-hour chat runs into the next hour
    assert sum(map(sum, grid.counts)) == 3.5
    assert grid.skipped == 1
    assert "Wed" in grid_text(grid, (2, 1))
    assert "\x1b[48;5;" in grid_text(grid, (2, 1), color=True)
    svg = grid_svg(grid, (2, 1), "cal.csv")
    import xml.etree.ElementTree as ET

    ET.fromstring(svg)  # well-formed
    assert "Europe/London" in svg and "your slot" in svg
    assert grid_html(grid).startswith("<!doctype html>")


def test_parse_slot() -> None:
    assert parse_slot("TU 20:00") == (1, 20)
    assert parse_slot("sun 9") == (6, 9)
    with pytest.raises(ValueError):
        parse_slot("someday")


def test_entries_json_is_exactly_json_dumps_of_to_json(dev_data: Path) -> None:
    from launchkit.adapters.calendar_files import read_table

    table = read_table(dev_data / "calendar_dev.csv")
    table.append(['#q"uote', "na\\me ☃", "Tuesdays 8pm ET\ttab", "", ""])
    cal = build_calendar("dev", table)
    expected = json.dumps([e.to_json() for e in cal.entries], ensure_ascii=False)
    assert entries_json(cal.entries) == expected


def test_weekly_slot_reading_is_shared() -> None:
    from launchkit.commands.init.answers import slot_rrule
    from launchkit.domain.hashtag.meeting import parse_slot as meeting_slot
    from launchkit.domain.weekdays import parse_day_time

    assert parse_day_time("Tuesday 8:05") == ("TU", "08:05")
    assert meeting_slot("tue 20:00 Europe/London").weekday == "TU"
    assert slot_rrule(*parse_day_time("TH 09:00")[:1], "monthly-last") == "FREQ=MONTHLY;BYDAY=-1TH"
    with pytest.raises(ValueError, match="not a day and time"):
        parse_day_time("TU 25:00")
