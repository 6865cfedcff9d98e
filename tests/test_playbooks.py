"""Playbooks: parsing offsets, validating steps, and the bundled playbooks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from launchkit import resources
from launchkit.adapters.playbookfile import load_playbook
from launchkit.adapters.templates import load_templates
from launchkit.domain.playbooks import PlaybookError, parse_offset, parse_playbook
from launchkit.errors import ConfigError

NAMES = {"x/announce", "x/question", "x/reminder", "email/guest_invite"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-14d", timedelta(days=-14)),
        ("-1h", timedelta(hours=-1)),
        ("0m", timedelta(0)),
        ("0", timedelta(0)),
        ("+5m", timedelta(minutes=5)),
        ("65m", timedelta(minutes=65)),
        ("+3h", timedelta(hours=3)),
    ],
)
def test_parse_offset(text: str, expected: timedelta) -> None:
    assert parse_offset(text) == expected


@pytest.mark.parametrize("text", ["", "-14", "1w", "two days", "-1.5h", "--1d", "d"])
def test_parse_offset_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not an offset"):
        parse_offset(text)


def _book(*steps: dict[str, Any]) -> dict[str, Any]:
    return {"name": "t", "steps": list(steps)}


ANNOUNCE = {"id": "announce", "channel": "x", "template": "x/announce", "offset": "-14d"}


def test_valid_playbook() -> None:
    q = {**ANNOUNCE, "id": "q", "template": "x/question", "each": "question", "every": "10m"}
    book = parse_playbook(_book(ANNOUNCE, q), "t.yaml", NAMES)
    assert [s.id for s in book.steps] == ["announce", "q"]
    assert book.steps[0].offset.calendar_days
    assert book.steps[1].every == timedelta(minutes=10)
    assert book.needs_questions and not book.needs_guests


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            {**ANNOUNCE, "ofset": "-1d"},
            r"t\.yaml: step 1 \(announce\): unknown key 'ofset' \(did you mean 'offset'\?\)",
        ),
        ({**ANNOUNCE, "offset": "-2 weeks"}, r"step 1 \(announce\): '-2 weeks' is not an offset"),
        (
            {**ANNOUNCE, "template": "x/anounce"},
            r"template 'x/anounce' does not exist \(did you mean 'x/announce'\?\)",
        ),
        ({**ANNOUNCE, "every": "10m"}, r"'every' needs something to repeat over"),
        ({**ANNOUNCE, "each": "tweet"}, r"each 'tweet' is not one of: question, guest"),
        ({**ANNOUNCE, "channel": "fax"}, r"channel 'fax' is not one of"),
        ({**ANNOUNCE, "sessions": "second"}, r"sessions 'second' is not one of"),
        ({**ANNOUNCE, "channel": "email"}, r"does not fit an email step \(use email/\.\.\.\)"),
        ({"id": "a", "channel": "x", "template": "x/announce"}, r"'offset' is required"),
    ],
)
def test_invalid_steps_name_file_and_step(step: dict[str, Any], message: str) -> None:
    with pytest.raises(PlaybookError, match=message):
        parse_playbook(_book(step), "t.yaml", NAMES)


def test_duplicate_ids_and_top_level_keys() -> None:
    with pytest.raises(PlaybookError, match=r"step 2 .*used twice"):
        parse_playbook(_book(ANNOUNCE, ANNOUNCE), "t.yaml", NAMES)
    with pytest.raises(PlaybookError, match=r"t\.yaml: unknown key 'step'"):
        parse_playbook({"step": []}, "t.yaml", NAMES)
    with pytest.raises(PlaybookError, match="non-empty list"):
        parse_playbook({"steps": []}, "t.yaml", NAMES)


@pytest.mark.parametrize("name", ["weekly-launch", "monthly", "one-off"])
def test_bundled_playbooks_load(name: str) -> None:
    book = load_playbook(name, load_templates().names())
    assert book.name == name
    assert book.needs_questions and book.needs_guests


def test_bundled_names() -> None:
    assert {"weekly-launch", "monthly", "one-off"} <= set(resources.bundled_playbook_names())


def test_user_playbook_by_path_and_errors(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "steps:\n  - {id: a, channel: x, template: x/live, offset: 0m, every: 5m}\n"
    )
    with pytest.raises(ConfigError, match=r"mine\.yaml: step 1 \(a\): 'every' needs"):
        load_playbook("mine.yaml", load_templates().names(), tmp_path)
    with pytest.raises(ConfigError, match="not a bundled playbook"):
        load_playbook("weekly", load_templates().names())
