"""Sessions expanded in the chat's own zone, then converted to UTC (domain/occurrences.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from launchkit.domain.calendars.occurrences import (
    expand_entries,
    expand_rule,
    from_minutes,
    local_minutes,
    to_minutes,
    utc_from_local,
)
from launchkit.domain.schedule import ScheduleParse, SessionRule, parse_schedule

NY = "America/New_York"


@dataclass(frozen=True)
class Row:
    hashtag: str | None
    parse: ScheduleParse
    name: str | None = None
    topic: str | None = None


def _utc(minutes: np.ndarray) -> list[str]:
    return [from_minutes(int(m)).strftime("%Y-%m-%d %H:%M") for m in minutes]


def test_tuesday_8pm_new_york_stays_8pm_local_across_the_march_change() -> None:
    starts = expand_rule(
        "FREQ=WEEKLY;BYDAY=TU", "20:00", 60, NY, date(2027, 3, 1), date(2027, 3, 31)
    )
    assert _utc(starts) == [
        "2027-03-03 01:00",  # EST: UTC-5
        "2027-03-10 01:00",
        "2027-03-17 00:00",  # EDT from 14 March: UTC-4
        "2027-03-24 00:00",
        "2027-03-31 00:00",
    ]


def test_the_same_chat_moves_by_an_hour_in_london_between_the_us_and_uk_changes() -> None:
    starts = expand_rule(
        "FREQ=WEEKLY;BYDAY=TU", "20:00", 60, NY, date(2027, 3, 1), date(2027, 4, 10)
    )
    london = local_minutes("Europe/London", starts)
    seen = [from_minutes(int(m)).strftime("%a %Y-%m-%d %H:%M") for m in london]
    assert seen == [
        "Wed 2027-03-03 01:00",
        "Wed 2027-03-10 01:00",
        "Wed 2027-03-17 00:00",  # US has changed (14 March), UK not yet (28 March)
        "Wed 2027-03-24 00:00",
        "Wed 2027-03-31 01:00",
        "Wed 2027-04-07 01:00",
    ]


@pytest.mark.parametrize(
    ("rrule", "expected"),
    [
        ("FREQ=MONTHLY;BYDAY=1WE,3WE", ["01-06", "01-20", "02-03", "02-17", "03-03", "03-17"]),
        ("FREQ=MONTHLY;BYDAY=-1TU", ["01-26", "02-23", "03-30"]),
        ("FREQ=MONTHLY;BYDAY=1TH", ["01-07", "02-04", "03-04"]),
    ],
)
def test_monthly_nth_weekday(rrule: str, expected: list[str]) -> None:
    starts = expand_rule(rrule, "12:00", 60, NY, date(2027, 1, 1), date(2027, 3, 31))
    local = local_minutes(NY, starts)
    assert [from_minutes(int(m)).strftime("%m-%d") for m in local] == expected


def test_fortnightly_chat_on_unknown_weeks_counts_every_week_and_is_flagged() -> None:
    rows = [
        Row("#weekly", parse_schedule("Thursdays 12pm ET")),
        Row("#fortnight", parse_schedule("every other Thursday 12pm PT")),
    ]
    occ = expand_entries(rows, date(2027, 1, 4), date(2027, 1, 31))
    per_chat = np.bincount(occ.entry, minlength=2)
    assert per_chat[0] == per_chat[1]  # every week for both
    assert occ.every_week == (1,)


def test_rows_without_time_or_zone_are_skipped_not_guessed() -> None:
    rows = [
        Row(
            "#ok", ScheduleParse("ok", NY, (SessionRule("FREQ=WEEKLY;BYDAY=MO", "12:00", 60),), ())
        ),
        Row(
            "#notime",
            ScheduleParse("partial", NY, (SessionRule("FREQ=WEEKLY;BYDAY=MO", None, 60),), ()),
        ),
        Row(
            "#nozone",
            ScheduleParse("partial", None, (SessionRule("FREQ=WEEKLY;BYDAY=MO", "12:00", 60),), ()),
        ),
        Row("#unparsed", ScheduleParse("unparsed", None, (), ("no day",))),
    ]
    occ = expand_entries(rows, date(2027, 1, 4), date(2027, 1, 10))
    assert set(occ.entry.tolist()) == {0}
    assert occ.skipped == (1, 2, 3)
    assert (occ.ends - occ.starts == 60).all()


@pytest.mark.parametrize("tz", [NY, "Europe/London", "Australia/Lord_Howe", "America/Santiago"])
def test_vectorised_conversion_matches_zoneinfo_in_gaps_and_folds(tz: str) -> None:
    zone = ZoneInfo(tz)
    base = datetime(2027, 1, 1)
    local = to_minutes(base.replace(tzinfo=UTC)) + np.arange(0, 366 * 1440, 13, dtype=np.int64)
    expected = [
        to_minutes((base + timedelta(minutes=int(m))).replace(tzinfo=zone))
        for m in local - local[0]
    ]
    assert utc_from_local(tz, local).tolist() == expected
    back = [to_minutes(from_minutes(u).astimezone(zone).replace(tzinfo=UTC)) for u in expected]
    assert local_minutes(tz, np.asarray(expected, dtype=np.int64)).tolist() == back


def test_expansions_are_shared_read_only() -> None:
    args = ("FREQ=WEEKLY;BYDAY=FR", "09:00", 30, "Asia/Tokyo", date(2027, 1, 1), date(2027, 2, 1))
    assert expand_rule(*args) is expand_rule(*args)
    assert not expand_rule(*args).flags.writeable
