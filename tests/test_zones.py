"""Zone names and abbreviations as chat listings write them."""

from __future__ import annotations

import pytest

from launchkit.domain.zones import closest_zone_names, find_zones, regions_of, resolve_zone


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


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("Indian edtech teachers", {"india"}),
        ("#DesiWriters", {"india"}),
        ("#indiaedchat", {"india"}),
        ("https://chat.example.in/join", {"india"}),
        ("Irish librarians in Tel Aviv", {"ireland", "israel"}),
        ("Writers from Dubai", {"gulf"}),
        ("Chicago teachers", set()),
        ("", set()),
    ],
)
def test_regions_of_reads_the_chats_own_words(text: str, regions: set[str]) -> None:
    assert regions_of(text) == regions


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8pm UTC+5:30", "Asia/Kolkata"),
        ("8pm GMT+5:45", "Asia/Kathmandu"),
        ("8pm UTC-5", "Etc/GMT+5"),
        ("8pm London", "Europe/London"),
        ("8pm New York time", "America/New_York"),
        ("8pm for the East Coast", "America/New_York"),
    ],
)
def test_offsets_and_places_name_their_zone(text: str, expected: str) -> None:
    assert [z.iana for z in find_zones(text)] == [expected]


def test_an_offset_no_zone_keeps_is_refused() -> None:
    (mention,) = find_zones("8pm UTC+3:15")
    assert mention.iana is None and "all year" in mention.note


def test_a_bare_place_names_a_zone_only_next_to_a_time() -> None:
    (london,) = find_zones("teachers in London")
    assert not london.strict  # read only when it follows a time
    assert find_zones("London time")[0].strict
