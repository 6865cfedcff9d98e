"""The chat model: what chat.yaml holds, validated field by field (pure, no I/O).

Everything in it ends up in posts, email headers, calendar files and terminals, so every
field is checked where it is read: text fields are one line without control characters and
have a length limit; `link` is an http(s) URL; email addresses are what the standard
library's parser takes as one address.

`sessions:` gives a session what is its own, by date: a theme, its own questions (else the
chat's `questions`), its guests (beside `guests:` with a `session:` date):

```yaml
sessions:
  - date: 2027-01-19
    theme: Marketing on a shoestring
    questions: ["What did your first ad cost?", "..."]
    guests: [{name: Grace Guest, email: grace@example.org}]
```
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from launchkit.domain.iana import iana_zone
from launchkit.domain.networks import DEFAULT_NETWORKS, check_networks

_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# Control characters (line breaks among them) and the bidi overrides: none belongs in a name,
# a question or a theme, and each would break a post, a header or a terminal line.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_Date = date  # a field named `date` would otherwise hide the type in its own annotation


def _one_line(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError(f"{value[:40]!r}: must be one line, without control characters")
    return value


def _email(value: str) -> str:
    from launchkit.domain.mail import check_address

    return check_address(value)


def _link(value: str) -> str:
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() for c in value)
        or _CONTROL.search(value)
    ):
        raise ValueError(f"{value[:60]!r} is not a web address (https://..., no spaces)")
    return value


# One-line text fields and their length limits.
Name = Annotated[str, Field(max_length=100), AfterValidator(_one_line)]
Handle = Annotated[str, Field(max_length=50), AfterValidator(_one_line)]
Topic = Annotated[str, Field(max_length=500), AfterValidator(_one_line)]
Theme = Annotated[str, Field(max_length=200), AfterValidator(_one_line)]
# A question must fit a post (twitter-text's weight is checked with the posts); this limit
# only keeps absurd input out.
Question = Annotated[str, Field(max_length=1000), AfterValidator(_one_line)]
Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Link = Annotated[str, Field(max_length=2000), AfterValidator(_link)]


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

    name: Name
    handle: Handle | None = None
    email: Email | None = None


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

    name: Name
    email: Email
    handle: Handle | None = None
    session: date | None = None


class SessionPlan(_Strict):
    """What is particular to one session (by its date): a theme, questions, guests."""

    date: _Date
    theme: Theme | None = None
    questions: list[Question] = Field(default_factory=list, max_length=50)
    guests: list[Guest] = Field(default_factory=list, max_length=20)

    @model_validator(mode="after")
    def _guests_here(self) -> SessionPlan:
        for guest in self.guests:
            if guest.session not in (None, self.date):
                raise ValueError(
                    f"guest {guest.name} is listed under the session of {self.date} but booked "
                    f"for {guest.session}: drop their `session:` here"
                )
        return self


class RecapOptions(_Strict):
    """After the hour: who is left out of recaps, and where transcripts are published."""

    # Handles: @name, network:@name (a Mastodon one with its instance is longer than a Handle).
    exclude: list[Annotated[str, Field(max_length=200), AfterValidator(_one_line)]] = Field(
        default_factory=list, max_length=1000
    )
    transcripts_url: Link | None = None  # out/recap/ published here: URL/DATE/transcript.html

    @field_validator("exclude")
    @classmethod
    def _exclude(cls, v: list[str]) -> list[str]:
        from launchkit.domain.recap.posts import parse_handle_rules

        parse_handle_rules(v)
        return v


class Chat(_Strict):
    """One chat, as written in chat.yaml."""

    version: int = 1
    name: Name
    hashtag: Annotated[str, Field(max_length=100)]
    topic: Topic = ""
    link: Link | None = None
    host: Host
    timezone: str
    schedule: Schedule
    audience_timezones: list[str] = Field(default_factory=list, max_length=20)
    guests: list[Guest] = Field(default_factory=list, max_length=200)
    questions: list[Question] = Field(default_factory=list, max_length=50)
    sessions: list[SessionPlan] = Field(default_factory=list, max_length=520)
    playbook: Annotated[str, Field(max_length=300), AfterValidator(_one_line)] = "weekly-launch"
    networks: list[str] = Field(default_factory=lambda: [str(n) for n in DEFAULT_NETWORKS])
    recap: RecapOptions = Field(default_factory=RecapOptions)

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

    @field_validator("sessions")
    @classmethod
    def _one_entry_per_date(cls, v: list[SessionPlan]) -> list[SessionPlan]:
        seen: set[date] = set()
        for entry in v:
            if entry.date in seen:
                raise ValueError(f"{entry.date} is listed twice: one entry per session")
            seen.add(entry.date)
        return v

    @property
    def zones(self) -> list[str]:
        """The chat's zone followed by the other audience zones, without repeats."""
        return list(dict.fromkeys([self.timezone, *self.audience_timezones]))

    def session_plan(self, day: date) -> SessionPlan | None:
        """The `sessions:` entry of the session on `day`, if it has one."""
        return next((s for s in self.sessions if s.date == day), None)

    def questions_for(self, day: date) -> list[str]:
        """The questions of the session on `day`: its own, else the chat's."""
        plan = self.session_plan(day)
        return list(plan.questions) if plan and plan.questions else list(self.questions)

    def has_own_questions(self, day: date) -> bool:
        """True when the session on `day` asks its own questions, not the chat's list."""
        plan = self.session_plan(day)
        return bool(plan and plan.questions)

    def theme_for(self, day: date) -> str:
        """The theme of the session on `day` ("" when it has none)."""
        plan = self.session_plan(day)
        return plan.theme or "" if plan else ""

    @property
    def all_guests(self) -> list[Guest]:
        """Every guest: those of `guests:`, then those listed under a session (booked for it)."""
        listed = [
            g.model_copy(update={"session": plan.date})
            for plan in self.sessions
            for g in plan.guests
        ]
        return [*self.guests, *listed]


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
