"""The chat's row for a calendar sheet: columns, conventions, duplicates, form links (pure)."""

from __future__ import annotations

from typing import Any

import pytest

from launchkit.adapters.chatfile import parse_chat
from launchkit.domain.chat import Chat
from launchkit.domain.sheet.rows import (
    SheetRowError,
    changed_cells,
    find_existing,
    form_link,
    plan_row,
)


def make_chat(**changes: Any) -> Chat:
    data: dict[str, Any] = {
        "name": "Indie Dev Hour",
        "hashtag": "#IndieDevHour",
        "topic": "indie game development",
        "link": "https://example.org/idh",
        "host": {"name": "Ada Example", "handle": "@ada_example"},
        "timezone": "America/New_York",
        "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "20:00", "first": "2027-01-12"},
    }
    data.update(changes)
    return parse_chat(data)


def by_header(rows: list[list[str]], chat: Chat | None = None) -> dict[str, str]:
    plan = plan_row(chat or make_chat(), rows)
    return {c.header: c.value for c in plan.cells}


def test_maps_fields_by_the_calendar_synonyms() -> None:
    rows = [
        ["Chat Hashtag", "Title", "When", "Description", "Hosted by", "Website", "Notes"],
        ["#edchat", "Ed Chat", "Tuesdays 7pm ET", "education", "@tom", "https://e.x", ""],
    ]
    plan = plan_row(make_chat(), rows)
    assert plan.values == [
        "#IndieDevHour",
        "Indie Dev Hour",
        "Tuesdays 8pm ET",
        "indie game development",
        "@ada_example",
        "https://example.org/idh",
        "",
    ]
    assert plan.unfilled == ("Notes",)
    assert plan.filled == {i: v for i, v in enumerate(plan.values[:6])}


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Rows state zones in the text: so does the chat.
        ([["Hashtag", "Schedule"], ["#a", "Mondays 9pm PT"]], "Tuesdays 8pm ET"),
        # A header names the zone and rows don't: converted, no zone in the text.
        ([["Hashtag", "Time (PT)"], ["#a", "Mondays 9pm"]], "Tuesdays 5pm"),
        ([["Hashtag", "When? (all times Eastern)"], ["#a", "Mondays 9pm"]], "Tuesdays 8pm"),
        # A timezone column carries the zone.
        ([["Hashtag", "Schedule", "TZ"], ["#a", "Mondays 9pm", "PT"]], "Tuesdays 8pm"),
        # No rows, no zone anywhere: the text names it.
        ([["Hashtag", "Schedule"]], "Tuesdays 8pm ET"),
    ],
)
def test_schedule_follows_the_sheets_convention(rows: list[list[str]], expected: str) -> None:
    plan = plan_row(make_chat(), rows)
    assert plan.values[1] == expected


def test_conversion_to_a_header_zone_moves_the_day() -> None:
    rows = [["Hashtag", "Day", "Time (UK)"], ["#a", "Monday", "19:00"]]
    values = by_header(rows)
    assert values["Day"] == "Wednesdays"  # Tue 8pm New York is Wed 1am London
    assert values["Time (UK)"] == "01:00"  # 24-hour, like the other rows
    notes = plan_row(make_chat(), rows).notes
    assert any("change clocks on different dates" in n for n in notes)


def test_timezone_column_as_iana_or_label() -> None:
    iana = by_header([["Hashtag", "Schedule", "Timezone"], ["#a", "Mon 8pm", "Europe/Paris"]])
    label = by_header([["Hashtag", "Schedule", "Timezone"], ["#a", "Mon 8pm", "CET"]])
    assert iana["Timezone"] == "America/New_York"
    assert label["Timezone"] == "ET"


def test_monthly_ordinals_that_cross_midnight_keep_the_chats_zone() -> None:
    chat = make_chat(
        schedule={"rrule": "FREQ=MONTHLY;BYDAY=1TU", "start": "21:00", "first": "2027-01-05"}
    )
    plan = plan_row(chat, [["Hashtag", "Schedule (GMT)"], ["#a", "Mondays 9pm"]])
    assert plan.values[1] == "1st Tuesday of the month 9pm ET"
    assert any("another day" in n for n in plan.notes)


def test_hashtag_and_host_follow_the_other_rows() -> None:
    rows = [["Hashtag", "Host"], ["edchat", "Tom Whitby"], ["hcsm", "Dana"]]
    assert by_header(rows) == {"Hashtag": "IndieDevHour", "Host": "Ada Example"}


def test_title_row_above_the_header() -> None:
    rows = [["Twitter chat calendar (updated weekly)"], ["Hashtag", "When"], ["#a", "Mon 8pm ET"]]
    plan = plan_row(make_chat(), rows)
    assert plan.header_row == 2
    assert plan.values == ["#IndieDevHour", "Tuesdays 8pm ET"]


def test_unfamiliar_headers_list_what_was_and_was_not_mapped() -> None:
    with pytest.raises(SheetRowError) as caught:
        plan_row(make_chat(), [["Chat", "Meets", "Blurb"], ["x", "y", "z"]])
    hint = caught.value.hint or ""
    assert "no hashtag column" in caught.value.message
    assert "schedule → 'Meets'" in hint
    assert "'Blurb'" in hint
    assert "--map" in hint


def test_empty_sheet_has_no_header() -> None:
    with pytest.raises(SheetRowError, match="empty: no header row"):
        plan_row(make_chat(), [])


@pytest.mark.parametrize(
    "written", ["#IndieDevHour", "#indiedevhour", "IndieDevHour", "＃ＩｎｄｉｅＤｅｖＨｏｕｒ"]
)
def test_duplicate_found_by_nfkc_casefold(written: str) -> None:
    rows = [["Hashtag", "When"], ["#edchat", "Tue 7pm ET"], [written, "Tuesdays 8pm ET"]]
    plan = plan_row(make_chat(), rows)
    found = find_existing("#IndieDevHour", rows, plan)
    assert found is not None
    assert found.row == 3
    assert found.cells == (("Hashtag", written), ("When", "Tuesdays 8pm ET"))


def test_similar_tags_are_not_duplicates() -> None:
    rows = [["Hashtag"], ["#IndieDevHours"], ["#IndieDev"]]
    assert find_existing("#IndieDevHour", rows, plan_row(make_chat(), rows)) is None


def test_changed_cells_ignore_columns_launchkit_does_not_fill() -> None:
    rows = [
        ["Hashtag", "When", "Notes"],
        ["#IndieDevHour", "Tuesdays 7pm ET", "added by Sam"],
    ]
    plan = plan_row(make_chat(), rows)
    existing = find_existing("#IndieDevHour", rows, plan)
    assert existing is not None
    changes = changed_cells(plan, existing)
    assert [(c.header, c.old, c.new) for c in changes] == [
        ("When", "Tuesdays 7pm ET", "Tuesdays 8pm ET")
    ]


def test_form_link_prefills_entries() -> None:
    link = form_link(
        "https://docs.google.com/forms/d/e/1FAIpQLSf/viewform?usp=sf_link",
        {"hashtag": "entry.111", "schedule": "222", "name": "entry.333"},
        make_chat(name="Games & Co"),
    )
    assert link == (
        "https://docs.google.com/forms/d/e/1FAIpQLSf/viewform?usp=pp_url"
        "&entry.111=%23IndieDevHour&entry.222=Tuesdays%208pm%20ET&entry.333=Games%20%26%20Co"
    )


@pytest.mark.parametrize(
    ("url", "fields", "message"),
    [
        ("https://forms.gle/abc", {"hashtag": "entry.1"}, "not a Google Form URL"),
        ("https://docs.google.com/forms/d/e/x/viewform", {"colour": "entry.1"}, "not a chat field"),
        ("https://docs.google.com/forms/d/e/x/viewform", {"hashtag": "q1"}, "not an entry id"),
    ],
)
def test_form_link_errors(url: str, fields: dict[str, str], message: str) -> None:
    with pytest.raises(SheetRowError, match=message):
        form_link(url, fields, make_chat())
