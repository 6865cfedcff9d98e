"""chat.yaml: load/save round trip and one clear line per bad field."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchkit.adapters.chatfile import chat_to_yaml, load_chat, parse_chat, save_chat
from launchkit.errors import ConfigError

GOOD = """\
version: 1
name: Indie Dev Hour
hashtag: "#IndieDevHour"
topic: indie game development, marketing, launch
link: https://example.org/indiedevhour
host: {name: Ada Example, handle: "@ada_example", email: ada@example.org}
timezone: America/New_York
schedule:
  rrule: FREQ=WEEKLY;BYDAY=TU
  start: "20:00"
  duration_min: 60
  first: 2027-01-12
audience_timezones: [America/New_York, Europe/London]
guests:
  - {name: Grace Guest, email: grace@example.org, handle: "@grace", session: 2027-01-12}
questions: ["What got you into making games?", "What is your launch plan?"]
playbook: weekly-launch
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "chat.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as info:
        load_chat(_write(tmp_path, text))
    return info.value.message


def test_round_trip(tmp_path: Path) -> None:
    chat = load_chat(_write(tmp_path, GOOD))
    assert chat.hashtag == "#IndieDevHour"
    assert chat.zones == ["America/New_York", "Europe/London"]
    again = tmp_path / "again.yaml"
    save_chat(chat, again)
    assert load_chat(again) == chat
    assert chat_to_yaml(load_chat(again)) == again.read_text(encoding="utf-8")


def test_bad_time_names_field(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace('start: "20:00"', 'start: "25:00"'))
    assert message.endswith("chat.yaml: schedule.start: '25:00' is not a time (HH:MM)")


def test_unknown_key_suggests_closest(tmp_path: Path) -> None:
    message = _error(tmp_path, GOOD.replace("playbook:", "playbok:"))
    assert "playbok: unknown key (did you mean 'playbook'?)" in message
    nested = _error(tmp_path, GOOD.replace("  duration_min:", "  duraton_min:"))
    assert "schedule.duraton_min: unknown key (did you mean 'duration_min'?)" in nested


def test_zone_typo_suggests_iana_name(tmp_path: Path) -> None:
    message = _error(
        tmp_path, GOOD.replace("timezone: America/New_York", "timezone: America/NewYork")
    )
    assert (
        "timezone: 'America/NewYork' is not an IANA time zone (did you mean America/New_York,"
        in message
    )


@pytest.mark.parametrize(
    ("written", "stored"),
    [("america/new_york", "America/New_York"), ("ET", "America/New_York"), ("utc", "UTC")],
)
def test_zone_in_any_case_or_as_listings_write_it_is_stored_as_iana_spells_it(
    tmp_path: Path, written: str, stored: str
) -> None:
    # One rule for every place a zone is typed (domain/iana.py): chat.yaml, init, --tz.
    path = tmp_path / "chat.yaml"
    path.write_text(GOOD.replace("timezone: America/New_York", f"timezone: {written}"))
    assert load_chat(path).timezone == stored


@pytest.mark.parametrize("tag", ["#2030", "IndieDevHour", "#foo-bar", "#"])
def test_bad_hashtag(tmp_path: Path, tag: str) -> None:
    message = _error(tmp_path, GOOD.replace('"#IndieDevHour"', f'"{tag}"'))
    assert "hashtag:" in message and "not a valid hashtag" in message


def test_several_problems_one_line_each(tmp_path: Path) -> None:
    text = GOOD.replace('start: "20:00"', 'start: "8pm"').replace("ada@example.org", "nope")
    lines = _error(tmp_path, text).splitlines()
    assert len(lines) == 2
    assert all(line.startswith(str(tmp_path / "chat.yaml") + ": ") for line in lines)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "not a mapping"),
        ("name: [unclosed\n", "not valid YAML at line"),
    ],
)
def test_unreadable_files(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in _error(tmp_path, text)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_chat(tmp_path / "nope.yaml")
    assert "no such file" in info.value.message
    assert info.value.hint and "launchkit init" in info.value.hint


def test_missing_field_is_required() -> None:
    with pytest.raises(ConfigError) as info:
        parse_chat({"name": "x"})
    assert "chat.yaml: hashtag: is required" in info.value.message
