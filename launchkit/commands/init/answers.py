"""The wizard's answers: reading them from a file, checking each, and turning them into a Chat.

Answers are a flat mapping (name, topic, host_email, slot "TU 20:00", cadence, ...). An answers
file may also be a chat.yaml: `chat_data_to_answers` reads that shape, so a chat.yaml written by
the wizard is itself a complete answers file for a non-interactive rerun.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date
from pathlib import Path
from typing import Any

from launchkit.adapters.yamlfile import read_yaml
from launchkit.domain.chat import Chat
from launchkit.domain.iana import UnknownZone, iana_zone
from launchkit.domain.slots.search import CADENCES as SLOT_CADENCES
from launchkit.domain.timetext import parse_date
from launchkit.domain.weekdays import DAY_CODES, parse_day_time
from launchkit.errors import ConfigError

CADENCES = tuple(SLOT_CADENCES)
# Answers a file may give beyond the wizard's questions (the schedule's finer points, and
# chat.yaml's per-session entries), and the keys of chat.yaml's own shape (a chat.yaml is a
# complete answers file) with the keys read inside them.
EXTRA_KEYS = ("duration_min", "rrule", "sessions")
CHAT_FILE_KEYS = {
    "version": (),
    "host": ("name", "handle", "email"),
    "schedule": ("rrule", "start", "duration_min", "first"),
}
_ORDINAL = {"1st": "1", "2nd": "2", "3rd": "3", "4th": "4", "last": "-1"}

Answers = dict[str, Any]
# The answers key that names a list or records step left unfinished by a Ctrl-C (kept in
# chat.partial.yaml, so a resume asks that step again with what was typed already filled in).
UNFINISHED = "_unfinished"


def slot_rrule(day: str, cadence: str) -> str:
    """The RRULE for a weekday at a cadence ('monthly-1st' → FREQ=MONTHLY;BYDAY=1TU)."""
    if cadence in SLOT_CADENCES:
        return SLOT_CADENCES[cadence].format(day=day)
    raise ValueError(f"{cadence!r} is not a cadence ({', '.join(CADENCES)})")


def rrule_to_slot(rrule: str) -> tuple[str, str] | None:
    """The (weekday, cadence) a simple RRULE stands for, or None when it is not that simple."""
    parts = dict(p.split("=", 1) for p in rrule.removeprefix("RRULE:").split(";") if "=" in p)
    byday = parts.get("BYDAY", "")
    day = byday[-2:]
    if day not in DAY_CODES or "," in byday:
        return None
    if parts.get("FREQ") == "WEEKLY":
        return day, "fortnightly" if parts.get("INTERVAL") == "2" else "weekly"
    ordinal = byday[:-2]
    for name, number in _ORDINAL.items():
        if parts.get("FREQ") == "MONTHLY" and ordinal == number:
            return day, f"monthly-{name}"
    return None


def check_email(value: str) -> str | None:
    """None when `value` is an email address (chat.yaml's rule), else the problem."""
    from launchkit.domain.mail import check_address

    try:
        check_address(value.strip())
    except ValueError as exc:
        return str(exc)
    return None


def check_zone(value: str) -> str | None:
    """None when `value` names a time zone (domain/iana.py), else the problem."""
    try:
        iana_zone(value)
    except UnknownZone as exc:
        return str(exc)
    return None


def check_date(value: str) -> str | None:
    """None when `value` is a date (YYYY-MM-DD), else the problem."""
    try:
        parse_date(value)
    except ValueError as exc:
        return str(exc)
    return None


def chat_data_to_answers(data: dict[str, Any]) -> Answers:
    """Turn chat.yaml-shaped data into flat answers (flat answers pass through unchanged)."""
    answers: Answers = {k: v for k, v in data.items() if k not in {"host", "schedule", "version"}}
    host = data.get("host")
    if isinstance(host, dict):
        for key in ("name", "handle", "email"):
            if host.get(key) is not None:
                answers[f"host_{key}"] = host[key]
    schedule = data.get("schedule")
    if isinstance(schedule, dict):
        slot = rrule_to_slot(str(schedule.get("rrule", "")))
        if slot and schedule.get("start"):
            answers["slot"] = f"{slot[0]} {schedule['start']}"
            answers["cadence"] = slot[1]
        elif schedule.get("rrule"):
            answers["rrule"] = schedule["rrule"]
            answers["slot"] = f"{_first_day(str(schedule['rrule']))} {schedule.get('start')}"
        for key in ("duration_min", "first"):
            if schedule.get(key) is not None:
                answers[key] = schedule[key]
    if isinstance(answers.get("first"), date):
        answers["first"] = answers["first"].isoformat()
    for guest in answers.get("guests") or []:
        if isinstance(guest, dict) and isinstance(guest.get("session"), date):
            guest["session"] = guest["session"].isoformat()
    return answers


def _first_day(rrule: str) -> str:
    match = re.search(r"(MO|TU|WE|TH|FR|SA|SU)", rrule.split("BYDAY=", 1)[-1])
    return match.group(1) if match else "MO"


def answers_to_chat(answers: Answers) -> Chat:
    """Build and validate the Chat from complete answers (errors name the answer keys)."""
    from launchkit.adapters.chatfile import parse_chat

    day, start = parse_day_time(str(answers["slot"]))
    rrule = answers.get("rrule") or slot_rrule(day, str(answers.get("cadence", "weekly")))
    host = {k: answers.get(f"host_{k}") for k in ("name", "handle", "email")}
    data: dict[str, Any] = {
        "version": 1,
        "name": answers.get("name"),
        "hashtag": answers.get("hashtag"),
        "topic": answers.get("topic") or "",
        "link": answers.get("link") or None,
        "host": {k: v for k, v in host.items() if v},
        "timezone": answers.get("timezone"),
        "schedule": {
            "rrule": rrule,
            "start": start,
            "duration_min": int(answers.get("duration_min") or 60),
            "first": answers.get("first"),
        },
        "audience_timezones": list(answers.get("audience_timezones") or []),
        "guests": list(answers.get("guests") or []),
        "questions": list(answers.get("questions") or []),
        "sessions": list(answers.get("sessions") or []) or None,
        "playbook": answers.get("playbook") or "weekly-launch",
        "networks": answers.get("networks") or None,
    }
    return parse_chat({k: v for k, v in data.items() if v is not None}, "answers")


def unknown_key_error(key: str, known: Collection[str], where: str) -> ConfigError:
    """The error for an answer nobody asks for, with the nearest known key."""
    import difflib

    near = difflib.get_close_matches(key, list(known), 1, 0.6)
    return ConfigError(
        f"{where}: {key!r} is not an answer" + (f" (did you mean {near[0]!r}?)" if near else ""),
        hint="`launchkit init --help` lists every answer key",
    )


def check_answer_keys(data: dict[str, Any], known: Collection[str], where: str) -> None:
    """Every key of `data` is an answer (or part of chat.yaml's shape), else a ConfigError."""
    for key, value in data.items():
        inner = CHAT_FILE_KEYS.get(str(key))
        if key not in known and inner is None:
            raise unknown_key_error(str(key), [*known, *CHAT_FILE_KEYS], where)
        if inner and isinstance(value, dict):
            for sub in value:
                if sub not in inner:
                    raise unknown_key_error(str(sub), inner, f"{where}: {key}")


def load_answers(path: Path, known: Collection[str] | None = None) -> Answers:
    """Read an answers file (flat answers or a chat.yaml) with a clear error naming it;
    with `known`, a key that is not an answer is an error too."""
    data = read_yaml(path, missing_hint="pass --answers with an answers file or a chat.yaml")
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: answers must be a mapping of question to answer")
    if known is not None:
        check_answer_keys(data, known, str(path))
    return chat_data_to_answers(data)
