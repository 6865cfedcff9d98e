"""Hashtag collisions, guidance and suggestions (pure domain, no I/O)."""

from __future__ import annotations

from datetime import date

import pytest

from launchkit import resources
from launchkit.adapters.calendar_source import read_calendar
from launchkit.commands.hashtag import tag_index
from launchkit.domain.calendars.table import CalendarEntry
from launchkit.domain.hashtag.check import check_hashtag
from launchkit.domain.hashtag.collisions import TagIndex, find_collisions
from launchkit.domain.hashtag.meeting import PlannedSlot, meets_same_hour, parse_slot
from launchkit.domain.hashtag.suggest import candidates_from, suggest_hashtags
from launchkit.domain.hashtag.words import camel_case, known_spellings
from launchkit.domain.schedule.model import ScheduleParse, SessionRule
from launchkit.settings import load_settings

UNPARSED = ScheduleParse("unparsed", None, (), ())
ENGLISH = known_spellings([], resources.word_costs)  # the bundled word list, no calendar


def entry(
    row: int, hashtag: str | None, schedule: str = "", parse: ScheduleParse = UNPARSED
) -> CalendarEntry:
    return CalendarEntry(row, hashtag, f"chat {row}", schedule, None, None, None, parse)


TUESDAY_8PM_ET = ScheduleParse(
    "ok", "America/New_York", (SessionRule("FREQ=WEEKLY;BYDAY=TU", "20:00", 60),), ()
)
CALENDAR = [
    entry(1, "#blogchat", "Sundays 8pm CT"),
    entry(2, "#hcsm", "Sundays at 7pm ET"),
    entry(3, "#edchat", "Tuesdays 8pm ET", TUESDAY_8PM_ET),
    entry(4, "#GardenChat"),
    entry(5, "#bookclub"),
    entry(6, "#teachers"),
    entry(7, "#Indie_Game_Talk"),
    entry(8, "#smallbusinesshour"),
    entry(9, None, "no tag on this row"),
    entry(10, "#ukedchat"),
    entry(11, "#writingcommunity"),
]


@pytest.fixture(scope="module")
def index() -> TagIndex:
    return tag_index(CALENDAR)


@pytest.mark.parametrize(
    ("candidate", "kind", "row"),
    [
        ("#hcsm", "exact", 2),
        ("#HCSM", "case", 2),
        ("＃ＨＣＳＭ", "case", 2),  # fullwidth '#' and letters are the same tag to X
        ("#blog", "variant", 1),  # without the trailing 'chat'
        ("#bloghour", "variant", 1),  # another chat word
        ("#hcsmca", "variant", 2),  # regional suffix
        ("#hcsm2", "variant", 2),  # numeric suffix
        ("#edchat", "exact", 3),
        ("#auedchat", "variant", 3),  # regional prefix
        ("#bookclubs", "variant", 5),  # plural
        ("#teacher", "variant", 6),  # singular
        ("#IndieGameTalk", "near", 7),  # same but for '_'
        ("#gardenchta", "near", 4),  # two letters swapped: 2 edits, both tags over 8 letters
        ("#smallbusineshour", "near", 8),  # one letter dropped
        ("#writingcommunty", "near", 11),
    ],
)
def test_collision_kinds(index: TagIndex, candidate: str, kind: str, row: int) -> None:
    found = {(c.kind, c.row) for c in find_collisions(candidate, index)}
    assert (kind, row) in found


@pytest.mark.parametrize("candidate", ["#IndieDevHour", "#edx", "#hcx", "#flowers", "#blogger"])
def test_no_collision(index: TagIndex, candidate: str) -> None:
    assert find_collisions(candidate, index) == []


def test_short_tags_allow_only_one_edit(index: TagIndex) -> None:
    # Two letters swapped is two edits: near for long tags only.
    assert find_collisions("#edhcat", index) == []
    assert [c.kind for c in find_collisions("#gardenchta", index)] == ["near"]


def test_collision_names_row_name_and_schedule(index: TagIndex) -> None:
    (collision,) = find_collisions("#blog", index)
    assert (collision.hashtag, collision.row, collision.name) == ("#blogchat", 1, "chat 1")
    assert collision.schedule_text == "Sundays 8pm CT"
    assert "chat" in collision.reason


@pytest.mark.parametrize(
    ("candidate", "verdict"),
    [
        ("#hcsm", "taken"),
        ("#HCSM", "taken"),
        ("＃ＨＣＳＭ", "taken"),
        ("#hcsmca", "caution"),
        ("#blog", "caution"),
        ("#IndieDevHour", "clear"),
        ("IndieDevHour", "clear"),  # '#' added
        ("#2030", "invalid"),
        ("#bad-tag", "invalid"),
        ("#edchаt", "taken"),  # Cyrillic а: the same to the eye as #edchat
        ("#ЕDCHAT", "taken"),  # Cyrillic Е, then capitals: X matches ignoring case
        ("#ThisTagIsMuchTooLongForAChat", "caution"),
        ("#LaunchChat2027", "caution"),
        ("#TechTalkMarch", "caution"),
    ],
)
def test_verdicts(index: TagIndex, candidate: str, verdict: str) -> None:
    assert check_hashtag(candidate, index).verdict == verdict


def test_invalid_tag_says_what_x_would_link(index: TagIndex) -> None:
    report = check_hashtag("#foo-bar", index)
    assert not report.valid
    assert report.problems == ("#foo-bar is not one hashtag: X would only link #foo",)
    numeric = check_hashtag("#2030", index)
    assert not numeric.valid and "needs at least one letter" in numeric.problems[0]


def test_advice_length_date_camelcase_and_cost(index: TagIndex) -> None:
    long = check_hashtag("#ThisTagIsMuchTooLongForAChat", index)
    assert any("over 15" in a for a in long.advice)
    dated = check_hashtag("#LaunchChat2027", index)
    assert any("'2027' dates the tag" in a for a in dated.advice)
    lower = check_hashtag("#indiedevhour", index)
    assert lower.verdict == "clear"
    assert any("#IndieDevHour" in a for a in lower.advice)
    assert check_hashtag("#IndieDevHour", index).advice == (
        "costs 14 of 280 characters in every tweet (tag + space)",
    )


def test_may_alone_is_not_a_month(index: TagIndex) -> None:
    assert check_hashtag("#maybe", index).verdict == "clear"


@pytest.mark.parametrize(
    ("text", "camel"),
    [
        ("indiedevhour", "IndieDevHour"),
        ("blogchat", "BlogChat"),
        ("smallbizchat", "SmallBizChat"),
        # Scored by how often words occur, not by whether they exist at all:
        ("therapistchat", "TherapistChat"),  # not #TheRapistChat
        ("nonprofitchat", "NonprofitChat"),  # not #NonProFitChat
        ("teachersofinstagram", "TeachersOfInstagram"),  # not #TeachersOfInStagrAm
        ("hertshour", "HertsHour"),  # not #HerTshOur
        ("mentalhealthchat", "MentalHealthChat"),
        # Silent when unsure: acronyms and names are not words.
        ("edchat", None),  # "ed" is as likely ED; never #EdcHat
        ("ukedchat", None),
        ("hcsm", None),
        ("journchat", None),
        ("pinchat", None),  # pin + chat, or pinch + at?
        ("photography", None),  # one word needs no capitals
        ("IndieDevHour", None),
        ("xqzwvk", None),
    ],
)
def test_camel_case(text: str, camel: str | None) -> None:
    assert camel_case(text, ENGLISH) == camel


def test_camel_case_follows_the_calendars_spelling() -> None:
    calendar = tag_index([entry(1, "#HertsHour"), entry(2, "#JournChat"), entry(3, "#SEOchat")])
    spellings = calendar.spellings
    assert camel_case("hertshour", spellings) == "HertsHour"
    assert camel_case("seochat", spellings) == "SEOchat"  # that chat's own spelling
    assert camel_case("journhour", spellings) == "JournHour"  # "Journ" is a word there
    assert camel_case("journhour", ENGLISH) is None
    report = check_hashtag("#hertshour", calendar)
    assert report.verdict == "taken"
    assert any("write it as #HertsHour" in a for a in report.advice)


def test_same_hour_with_a_planned_slot(index: TagIndex) -> None:
    on = date(2027, 1, 12)
    same = check_hashtag("#edchat", index, slot=parse_slot("Tue 20:30 America/New_York"), on=on)
    assert [c.row for c in same.collisions] == [3, 10]
    assert same.same_hour == (True, None)  # row 10's schedule was not parsed
    # 8pm New York is 1am Wednesday in London: the same moment, written differently.
    london = PlannedSlot("WE", "01:00", "Europe/London")
    assert meets_same_hour(london, "America/New_York", TUESDAY_8PM_ET.sessions, on)
    later = check_hashtag("#edchat", index, slot=parse_slot("Tue 22:00 America/New_York"), on=on)
    assert later.same_hour == (False, None)
    unknown = check_hashtag("#hcsm", index, slot=parse_slot("Sun 19:00 UTC"), on=on)
    assert unknown.same_hour == (None,)  # no time known for row 2
    assert "same_hour" not in check_hashtag("#edchat", index).as_json()["collisions"][0]


@pytest.mark.parametrize(
    "bad", ["Tue 8pm America/New_York", "Xyz 20:00 UTC", "Tue 20:00 Mars/Base"]
)
def test_parse_slot_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_slot(bad)


def test_json_shape(index: TagIndex) -> None:
    data = check_hashtag("#blog", index).as_json()
    assert list(data) == [
        "hashtag", "valid", "problems", "weighted_length", "verdict", "collisions", "usage",
        "advice",
    ]  # fmt: skip
    assert {"hashtag", "kind", "row", "name", "schedule_text"} <= set(data["collisions"][0])


def test_bundled_snapshot() -> None:
    index = tag_index(read_calendar(None, load_settings()).entries)
    assert check_hashtag("#IndieDevHour", index).verdict == "clear"
    assert check_hashtag("#HCSM", index).verdict == "taken"
    hcsmca = check_hashtag("#hcsmca", index)
    assert hcsmca.verdict == "taken"  # it is on the calendar itself
    assert any(c.hashtag == "#hcsm" and c.kind == "variant" for c in hcsmca.collisions)
    assert check_hashtag("#blog", index).verdict == "caution"


def test_candidates_and_suggestions(index: TagIndex) -> None:
    candidates = candidates_from(["indie", "game", "development"])
    assert "#IndieGameDev" in candidates and "#IGDChat" in candidates
    assert "#Dev" not in candidates  # one generic word alone is not a chat's tag
    found, checked = suggest_hashtags(["education", "technology"], index)
    tags = [s.hashtag for s in found]
    assert checked > len(tags) > 0
    assert "#EdChat" not in tags  # #edchat is on the calendar
    lengths = [s.weighted_length for s in found]
    assert lengths == sorted(lengths)
    assert all(s.report.verdict == "clear" for s in found)
