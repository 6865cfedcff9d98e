"""The chat model: what chat.yaml holds, validated field by field (pure, no I/O)."""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from launchkit.domain.iana import iana_zone
from launchkit.domain.networks import DEFAULT_NETWORKS, check_networks

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _check_hashtag(value: str) -> str:
    from launchkit.domain.tweet.text import is_valid_hashtag

    if not is_valid_hashtag(value):
        raise ValueError(
            f"{value!r} is not a valid hashtag (# then letters, digits or _, at least one letter)"
        )
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Host(_Strict):
    """The person who runs the chat."""

    name: str
    handle: str | None = None
    email: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        if v is not None and not _EMAIL.match(v):
            raise ValueError(f"{v!r} is not an email address")
        return v


class Schedule(_Strict):
    """When the chat runs, in the chat's own zone."""

    rrule: str = "FREQ=WEEKLY"
    start: str
    duration_min: int = Field(default=60, ge=5, le=24 * 60)
    first: date

    @field_validator("start", mode="before")
    @classmethod
    def _start(cls, v: Any) -> Any:
        if isinstance(v, int):  # YAML 1.1 reads an unquoted 20:00 as the number 1200
            v = f"{v // 60:02d}:{v % 60:02d}"
        if not isinstance(v, str) or not _TIME.match(v):
            raise ValueError(f"{v!r} is not a time (HH:MM)")
        return v

    @field_validator("rrule")
    @classmethod
    def _rrule(cls, v: str) -> str:
        from dateutil.rrule import rrulestr

        body = v.removeprefix("RRULE:")
        try:
            rrulestr(body, dtstart=None, forceset=False)
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{v!r} is not an RFC 5545 RRULE ({exc})") from None
        return body

    @field_validator("first")
    @classmethod
    def _first_on_rule(cls, v: date, info: ValidationInfo) -> date:
        from launchkit.domain.rule_dates import first_date_problem

        rrule = info.data.get("rrule")  # absent when the rule itself was refused
        problem = first_date_problem(rrule, v) if rrule else None
        if problem:
            raise ValueError(problem)
        return v


class Guest(_Strict):
    """A guest host invited for one session."""

    name: str
    email: str
    handle: str | None = None
    session: date | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, v: str) -> str:
        if not _EMAIL.match(v):
            raise ValueError(f"{v!r} is not an email address")
        return v


class Chat(_Strict):
    """One chat, as written in chat.yaml."""

    version: int = 1
    name: str
    hashtag: str
    topic: str = ""
    link: str | None = None
    host: Host
    timezone: str
    schedule: Schedule
    audience_timezones: list[str] = Field(default_factory=list)
    guests: list[Guest] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    playbook: str = "weekly-launch"
    networks: list[str] = Field(default_factory=lambda: [str(n) for n in DEFAULT_NETWORKS])

    @field_validator("networks", mode="before")
    @classmethod
    def _networks(cls, v: Any) -> Any:
        return check_networks([v] if isinstance(v, str) else v) if isinstance(v, list | str) else v

    @field_validator("version")
    @classmethod
    def _version(cls, v: int) -> int:
        if v != 1:
            raise ValueError(f"version {v} is not supported (this launchkit reads version 1)")
        return v

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        return iana_zone(v)

    @field_validator("audience_timezones")
    @classmethod
    def _audience(cls, v: list[str]) -> list[str]:
        return [iana_zone(z) for z in v]

    @field_validator("hashtag")
    @classmethod
    def _hashtag(cls, v: str) -> str:
        return _check_hashtag(v)

    @property
    def zones(self) -> list[str]:
        """The chat's zone followed by the other audience zones, without repeats."""
        return list(dict.fromkeys([self.timezone, *self.audience_timezones]))


def _allowed_keys(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The field names valid at the parent of `loc` (for did-you-mean suggestions)."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        if info is None:
            return []
        ann = info.annotation
        args = getattr(ann, "__args__", ())
        current = next(
            (a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None
        )
        if current is None:
            return []
    return list(current.model_fields)


def format_validation_error(label: str, exc: ValidationError) -> str:
    """One line per problem: `chat.yaml: schedule.start: '25:00' is not a time (HH:MM)`."""
    lines = []
    for err in exc.errors():
        loc = err["loc"]
        where = ".".join(str(p) for p in loc) or "(top)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            near = difflib.get_close_matches(str(loc[-1]), _allowed_keys(Chat, loc), 1, 0.5)
            msg = "unknown key" + (f" (did you mean {near[0]!r}?)" if near else "")
        elif err["type"] == "missing":
            msg = "is required"
        lines.append(f"{label}: {where}: {msg}")
    return "\n".join(lines)
