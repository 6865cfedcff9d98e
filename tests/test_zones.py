"""Zone names and abbreviations as chat listings write them."""

from __future__ import annotations

import pytest

from launchkit.domain.zones import closest_zone_names, find_zones, resolve_zone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("EST", "America/New_York"),
        ("EDT", "America/New_York"),
        ("Eastern Time", "America/New_York"),
        ("Time (ET)", "America/New_York"),
        ("When? (all times Eastern)", "America/New_York"),
        ("ET/PT", "America/New_York"),
        ("PST / CST / EST", "America/Los_Angeles"),
        ("CDT", "America/Chicago"),
        ("Central", "America/Chicago"),
        ("Mountain", "America/Denver"),
        ("Mountain Time (Arizona)", "America/Phoenix"),
        ("Pacific time", "America/Los_Angeles"),
        ("ADT", "America/Halifax"),
        ("GMT", "Europe/London"),
        ("UK time / BST", "Europe/London"),
        ("Irish time / BST", "Europe/Dublin"),
        ("Central European Time / C.E.T.", "Europe/Paris"),
        ("CEST", "Europe/Paris"),
        ("AEDT", "Australia/Sydney"),
        ("NZDT", "Pacific/Auckland"),
        ("HST", "Pacific/Honolulu"),
        ("AKST", "America/Anchorage"),
        ("SGT", "Asia/Singapore"),
        ("JST", "Asia/Tokyo"),
        ("India Standard Time (IST)", "Asia/Kolkata"),
        ("America/New_York", "America/New_York"),
        ("europe/berlin", "Europe/Berlin"),
        ("UTC+2", "Etc/GMT-2"),
        ("Est / PST", "America/New_York"),
    ],
)
def test_resolve_zone_names_the_iana_zone(text: str, expected: str) -> None:
    assert resolve_zone(text) == expected


@pytest.mark.parametrize("text", ["IST", "GST", "U.S.", "", "Pacific Northwest", "whenever"])
def test_resolve_zone_refuses_ambiguous_or_unknown_text(text: str) -> None:
    assert resolve_zone(text) is None


def test_lower_case_abbreviation_is_not_strict() -> None:
    (mention,) = find_zones("9pm Est")
    assert mention.iana == "America/New_York"
    assert not mention.strict


def test_closest_zone_names_suggests_the_intended_name() -> None:
    assert closest_zone_names("America/NewYork")[0] == "America/New_York"
    assert "Europe/London" in closest_zone_names("Europe/Londn")
    assert len(closest_zone_names("Asia/Tokio", n=2)) <= 2
