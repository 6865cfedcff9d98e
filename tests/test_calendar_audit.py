"""The audit's verdicts and the keepers' report, from calendar rows and live answers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from launchkit.domain.calendars.audit import audit_rows
from launchkit.domain.calendars.audit_report import ReportLinks, audit_markdown
from launchkit.domain.calendars.liveness import TagUse, expected_gap_days, judge_liveness
from launchkit.domain.calendars.table import build_calendar
from launchkit.domain.schedule import SessionRule

TODAY = date(2026, 11, 30)


def rows(*lines: str) -> list[list[str]]:
    return [["Hashtag", "Chat name", "When"], *(line.split("|") for line in lines)]


def audit(*lines: str, uses: dict[str, list[TagUse]] | None = None) -> dict[int, object]:
    calendar = build_calendar("test.csv", rows(*lines))
    return {a.row: a for a in audit_rows(calendar.entries, TODAY, uses)}


def mastodon(days_ago: int | None) -> TagUse:
    seen = None if days_ago is None else TODAY - timedelta(days=days_ago)
    return TagUse("mastodon", "mastodon.example", checked=True, last_seen=seen)


def x_counts(days_ago: int | None) -> TagUse:
    seen = None if days_ago is None else TODAY - timedelta(days=days_ago)
    return TagUse("x", "X", checked=True, last_seen=seen, uses=3 if seen else 0, window_days=7)


@pytest.mark.parametrize(
    ("answers", "gap", "verdict"),
    [
        ([mastodon(3)], 7, "active"),
        ([mastodon(13)], 7, "active"),  # one missed week is still active
        ([mastodon(20)], 7, "quiet"),
        ([mastodon(50)], 30, "active"),  # a monthly chat seen 50 days ago
        ([mastodon(89)], 7, "quiet"),
        ([mastodon(91)], 7, "stale"),
        ([mastodon(None)], 7, "stale"),
        ([x_counts(None)], 7, "quiet"),  # X sees 7 days back: not enough to call it stale
        ([x_counts(2), mastodon(None)], 7, "active"),
        ([x_counts(None), mastodon(None)], 7, "stale"),
        ([TagUse("mastodon", "m.example", checked=False, reason="it answered 503")], 7, "unknown"),
    ],
)
def test_liveness_verdicts(answers: list[TagUse], gap: int, verdict: str) -> None:
    assert judge_liveness(answers, gap, TODAY).verdict == verdict


def test_liveness_reasons_name_the_source_and_the_day() -> None:
    judged = judge_liveness([mastodon(40), TagUse("x", "X", False, reason="no token")], 7, TODAY)
    assert judged.verdict == "quiet"
    assert judged.reasons[0].startswith("last used on mastodon.example 2026-10-21 (40 days ago)")
    assert judged.reasons[1] == "X not checked: no token"
    assert judged.last_seen == date(2026, 10, 21)


@pytest.mark.parametrize(
    ("rrule", "days"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", 7),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", 14),
        ("FREQ=MONTHLY;BYDAY=2MO", 30),
        ("FREQ=MONTHLY;BYDAY=1TH,3TH", 15),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", 2),
    ],
)
def test_expected_gap(rrule: str, days: int) -> None:
    assert expected_gap_days([SessionRule(rrule, "20:00", 60)]) == days


def test_same_tag_same_time_written_differently_is_a_duplicate_of_the_fuller_row() -> None:
    found = audit(
        "#hcsm|HCSM|convenes on Sunday evenings",
        "#hcsm|Healthcare Social Media|Sundays at 9pm EST",
        "#HCSM||Sunday night, 8 p.m. CT",
    )
    assert found[2].verdict == "unknown"  # the row to keep; nothing else known without --live
    assert found[1].verdict == "duplicate" and found[1].keeper == 2
    assert "says less" in found[1].reasons[0]
    assert found[3].verdict == "duplicate" and found[3].keeper == 2


def test_one_tag_two_times_is_a_conflict_on_both_rows() -> None:
    found = audit("#edtechchat||Mondays 8pm-9pm CST", "#EdTechChat||Mondays at 8pm Eastern")
    assert found[1].verdict == found[2].verdict == "conflict"
    assert "Mondays 8pm-9pm CST" in found[2].reasons[0]
    assert "Mondays at 8pm Eastern" in found[1].reasons[0]


def test_near_name_and_same_time_without_a_shared_tag_is_a_duplicate() -> None:
    found = audit(
        "|Healthcare Communications & Social Media|Sundays 9pm ET",
        "#hcsm|Health Care Communications and Social Media|Sundays 9pm ET",
        "|Health Care Communications and Social Media|Mondays 9pm ET",  # another hour
        "#other|Healthcare Communications & Social Media|Sundays 9pm ET",
    )
    assert found[2].verdict == "duplicate" and found[2].keeper == 1
    assert found[3].verdict == "unknown"
    assert found[4].verdict == "duplicate"  # no tag on row 1: the name and hour decide


def test_two_tags_at_one_hour_are_two_chats() -> None:
    found = audit("#hcsmca|Healthcare SM|Sundays 9pm ET", "#hcsmeu|Healthcare SM|Sundays 9pm ET")
    assert found[1].verdict == found[2].verdict == "unknown"


def test_unparsed_rows_and_what_to_fix() -> None:
    found = audit("#prose||we meet when we feel like it", "#later||Tuesdays", "||Tuesdays 8pm ET")
    assert found[1].verdict == "unparsed"
    assert 'the schedule "we meet when we feel like it" cannot be read' in found[1].reasons
    assert found[2].verdict == "unknown" and any("time" in f for f in found[2].fixes)
    assert "no hashtag on the row" in found[3].fixes


def test_live_answers_give_active_quiet_stale_and_stale_beats_duplicate() -> None:
    uses = {
        "#busy": [mastodon(2)],
        "#slow": [mastodon(45)],
        "#gone": [mastodon(None)],
        "#prose": [mastodon(1)],
    }
    found = audit(
        "#Busy||Tuesdays 8pm ET",
        "#slow||Wednesdays 8pm ET",
        "#gone||Thursdays 8pm ET",
        "#GONE||Thursdays 8pm ET",
        "#prose||whenever",
        "#never||Fridays 8pm ET",
        uses=uses,
    )
    assert [found[r].verdict for r in range(1, 7)] == [
        "active",
        "quiet",
        "stale",
        "stale",
        "unparsed",
        "unknown",
    ]
    assert found[1].last_seen == TODAY - timedelta(days=2)
    assert any("the same chat as row 3" in r for r in found[4].reasons)
    assert found[1].as_json() == {
        "row": 1,
        "hashtag": "#Busy",
        "verdict": "active",
        "reasons": ["last used on mastodon.example 2026-11-28 (2 days ago)"],
        "last_seen": "2026-11-28",
    }


def test_report_lists_rows_to_remove_merge_and_fix_with_links() -> None:
    calendar = build_calendar(
        "sheet",
        rows(
            "#gone|Gone Chat|Thursdays 8pm ET",
            "#dup|Dup|Mondays 9pm ET",
            "#dup|Dup again|Mondays 9pm ET",
            "#prose||whenever",
        ),
    )
    audits = audit_rows(calendar.entries, TODAY, {"#gone": [mastodon(None)], "#dup": [mastodon(1)]})
    text = audit_markdown(
        audits,
        source="https://docs.google.com/spreadsheets/d/KEY/edit",
        audited_on=TODAY,
        live_note="Live use looked up on mastodon.example.",
        links=ReportLinks(
            row_url="https://docs.google.com/spreadsheets/d/KEY/edit#gid=0&range={line}:{line}",
            tag_pages=(
                ("mastodon.example", "https://mastodon.example/tags/{tag}"),
                ("X", "https://x.com/hashtag/{tag}"),
            ),
        ),
    )
    remove = text.split("## Rows to remove (1)")[1].split("##")[0]
    assert "[1](https://docs.google.com/spreadsheets/d/KEY/edit#gid=0&range=2:2)" in remove
    assert "[mastodon.example](https://mastodon.example/tags/gone)" in remove
    assert "[X](https://x.com/hashtag/gone)" in remove
    merge = text.split("## Rows to merge (1)")[1].split("##")[0]
    assert "**#dup**" in merge and "keep row [2]" in merge
    fix = text.split("## Rows to fix (1)")[1].split("##")[0]
    assert '"whenever" cannot be read' in fix
