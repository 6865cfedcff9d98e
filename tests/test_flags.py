"""One rule per kind of value typed by a person: zones, dates, durations, KEY=VALUE."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from launchkit.commands.flags import date_flag, duration_flag, key_values, zone_flag
from launchkit.commands.init.answers import check_zone
from launchkit.domain.hashtag.meeting import parse_slot
from launchkit.errors import UsageError


@pytest.mark.parametrize("typed", ["america/new_york", "America/New_York", "ET", " Eastern "])
def test_a_zone_is_accepted_the_same_way_everywhere(typed: str) -> None:
    assert zone_flag("--tz", typed) == "America/New_York"
    assert check_zone(typed) is None  # init answers
    assert parse_slot(f"Tue 20:00 {typed.strip()}").tz == "America/New_York"  # hashtag --slot


def test_an_unknown_zone_is_refused_the_same_way_everywhere() -> None:
    with pytest.raises(UsageError) as caught:
        zone_flag("--audience", "Europe/Londn")
    assert caught.value.message == "--audience: 'Europe/Londn' is not an IANA time zone"
    assert caught.value.hint is not None and caught.value.hint.startswith("did you mean Europe/")
    assert check_zone("Europe/Londn") == (
        "'Europe/Londn' is not an IANA time zone (" + caught.value.hint + ")"
    )
    with pytest.raises(ValueError, match="'Europe/Londn' is not an IANA time zone"):
        parse_slot("Tue 20:00 Europe/Londn")


def test_dates_and_durations() -> None:
    assert date_flag("--from", "2027-01-12") == date(2027, 1, 12)
    assert date_flag("--from", None) is None
    with pytest.raises(UsageError, match="--cancel: 'soon' is not a date"):
        date_flag("--cancel", "soon")
    assert duration_flag("--shift", "-2w", "dw", "7d") == timedelta(days=-14)
    with pytest.raises(UsageError, match="--shift: '3h' is not a duration: a whole number and d"):
        duration_flag("--shift", "3h", "dw", "7d")


def test_key_values() -> None:
    assert key_values("--map", ["Topic = Theme", "topic=Subject"], "topic=Theme") == {
        "topic": "Subject"
    }
    assert key_values("--set", ["link="], "k=v", empty_ok=True) == {"link": ""}
    with pytest.raises(UsageError, match="--map 'topic' is not KEY=VALUE"):
        key_values("--map", ["topic"], "topic=Theme")
    with pytest.raises(UsageError, match="--map 'topic=' is not KEY=VALUE"):
        key_values("--map", ["topic="], "topic=Theme")
