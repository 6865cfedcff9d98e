"""Playbooks: the announcement sequence as data, validated on load (pure, no I/O).

A playbook is a list of steps. Each step posts or sends an email from a template at an
offset from a session's start, optionally once per question or per guest:

```yaml
name: weekly-launch
steps:
  - {id: announce, channel: post, template: x/announce, offset: -14d, sessions: first}
  - {id: question, channel: post, template: x/question, offset: +5m, each: question, every: 10m}
  - {id: thread, channel: post, network: bluesky, template: bluesky/thread, offset: +1h}
```

A `post` step goes to every network of the chat (chat.yaml's `networks`), or only to the one
it names with `network:`; `channel: x` (the form before there were other networks) is a post
step on X alone. The social templates live under `x/`; a network's own variant of one, by the
same name under its folder (`mastodon/question` for `x/question`), is used on that network.

Offsets in days (`-14d`) are calendar days in the chat's zone (the same local wall time,
even across a daylight-saving change); offsets in hours and minutes (`-1h`, `+5m`) are
elapsed time. `every` spaces repeats by elapsed time.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from launchkit.domain.networks import NETWORKS
from launchkit.domain.timetext import parse_duration

__all__ = [
    "Channel",
    "Each",
    "Offset",
    "Playbook",
    "PlaybookError",
    "SessionFilter",
    "Step",
    "network_template",
    "parse_offset",
    "parse_playbook",
]

Channel = Literal["post", "email"]
Each = Literal["question", "guest"]
SessionFilter = Literal["first", "later", "all"]

_CHANNELS: tuple[str, ...] = ("post", "email", "x")  # "x": a post step on X alone
_EACH: tuple[Each, ...] = ("question", "guest")
_SESSIONS: tuple[SessionFilter, ...] = ("first", "later", "all")
_STEP_KEYS = ("id", "channel", "network", "template", "offset", "each", "every", "sessions")
_POST_FOLDERS = tuple(f"{n}/" for n in NETWORKS)
_TOP_KEYS = ("version", "name", "description", "steps")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class PlaybookError(ValueError):
    """A playbook that cannot be used; the message names the file and the step."""


@dataclass(frozen=True)
class Offset:
    """A signed offset from a session start, as written (`-14d`) and as a duration."""

    text: str
    delta: timedelta
    calendar_days: bool  # True for `d` offsets: applied to the local wall time

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Step:
    """One step of a playbook."""

    id: str
    channel: Channel
    template: str
    offset: Offset
    each: Each | None = None
    every: timedelta = timedelta(0)
    sessions: SessionFilter = "all"
    network: str | None = None  # a post step for one network only; None: every network

    def networks(self, chat_networks: Sequence[str]) -> list[str]:
        """Where this step's items go for a chat on `chat_networks` (an email: ["email"])."""
        if self.channel == "email":
            return ["email"]
        if self.network is not None:
            return [self.network] if self.network in chat_networks else []
        return list(chat_networks)


@dataclass(frozen=True)
class Playbook:
    """A named, validated announcement sequence."""

    name: str
    steps: tuple[Step, ...]
    description: str = ""

    @property
    def needs_questions(self) -> bool:
        """True when some step repeats per question (so a chat with none cannot use it)."""
        return any(s.each == "question" for s in self.steps)

    @property
    def needs_guests(self) -> bool:
        """True when some step repeats per guest."""
        return any(s.each == "guest" for s in self.steps)


def parse_offset(text: str) -> timedelta:
    """`-14d`, `-1h`, `0m`, `+5m` as a timedelta; ValueError for anything else."""
    return _offset(text).delta


def _offset(text: object) -> Offset:
    raw = str(text).strip() if isinstance(text, str | int) else ""
    if raw == "0":
        raw = "0m"
    try:
        delta = parse_duration(raw, "dhm")
    except ValueError:
        raise ValueError(
            f"{text!r} is not an offset (a sign, a number and d, h or m: -14d, -1h, +5m, 0m)"
        ) from None
    return Offset(raw, delta, raw.endswith("d"))


def _unknown(key: str, allowed: Collection[str]) -> str:
    near = difflib.get_close_matches(key, list(allowed), 1, 0.5)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"unknown key {key!r}{hint}; allowed: {', '.join(allowed)}"


def _choice(value: object, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of: {', '.join(allowed)}")
    return str(value)


def _parse_step(raw: object, template_names: Collection[str]) -> Step:
    if not isinstance(raw, Mapping):
        raise ValueError("a step must be a mapping (id, channel, template, offset, ...)")
    for key in raw:
        if key not in _STEP_KEYS:
            raise ValueError(_unknown(str(key), _STEP_KEYS))
    for key in ("id", "channel", "template", "offset"):
        if key not in raw:
            raise ValueError(f"{key!r} is required")
    step_id = str(raw["id"])
    if not _ID.match(step_id):
        raise ValueError(f"id {step_id!r} must be lower-case letters, digits, - or _")
    channel = _choice(raw["channel"], _CHANNELS, "channel")
    network = _choice(raw["network"], NETWORKS, "network") if raw.get("network") else None
    if channel == "x":
        channel, network = "post", network or "x"
        if network != "x":
            raise ValueError(f"channel x and network {network} disagree (use channel: post)")
    if channel == "email" and network is not None:
        raise ValueError("an email step has no network (network: is for post steps)")
    template = str(raw["template"])
    if template not in template_names:
        near = difflib.get_close_matches(template, sorted(template_names), 1, 0.6)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise ValueError(f"template {template!r} does not exist{hint}")
    folders = _POST_FOLDERS if channel == "post" else ("email/",)
    if not template.startswith(folders):
        allowed = " or ".join(f"{folder}..." for folder in folders)
        kind = "an email" if channel == "email" else "a post"
        raise ValueError(f"template {template!r} does not fit {kind} step (use {allowed})")
    each = _choice(raw["each"], _EACH, "each") if raw.get("each") is not None else None
    every = timedelta(0)
    if raw.get("every") is not None:
        if each is None:
            raise ValueError(
                "'every' needs something to repeat over: add 'each: question' or 'each: guest'"
            )
        every_offset = _offset(raw["every"])
        if every_offset.delta < timedelta(0) or every_offset.calendar_days:
            raise ValueError(f"every {raw['every']!r} must be a positive number of h or m")
        every = every_offset.delta
    sessions = _choice(raw.get("sessions", "all"), _SESSIONS, "sessions")
    if channel == "email" and each == "question":
        raise ValueError("an email step cannot repeat per question (use each: guest)")
    return Step(
        id=step_id,
        channel=channel,  # type: ignore[arg-type]  # checked by _choice
        template=template,
        offset=_offset(raw["offset"]),
        each=each,  # type: ignore[arg-type]
        every=every,
        sessions=sessions,  # type: ignore[arg-type]
        network=network,
    )


def parse_playbook(data: object, label: str, template_names: Collection[str]) -> Playbook:
    """Validate loaded YAML as a Playbook; `label` names the file in every error message.

    `template_names` are the logical template names available (`x/announce`, ...).
    """
    if not isinstance(data, Mapping):
        raise PlaybookError(f"{label}: a playbook must be a mapping with 'name' and 'steps'")
    for key in data:
        if key not in _TOP_KEYS:
            raise PlaybookError(f"{label}: {_unknown(str(key), _TOP_KEYS)}")
    if data.get("version", 1) != 1:
        raise PlaybookError(f"{label}: version {data['version']!r} is not supported (use 1)")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise PlaybookError(f"{label}: 'steps' must be a non-empty list")
    steps: list[Step] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_steps, 1):
        name = raw.get("id") if isinstance(raw, Mapping) else None
        where = f"{label}: step {number}" + (f" ({name})" if name else "")
        try:
            step = _parse_step(raw, template_names)
        except ValueError as exc:
            raise PlaybookError(f"{where}: {exc}") from None
        if step.id in seen:
            raise PlaybookError(f"{where}: id {step.id!r} is used twice (ids must be unique)")
        seen.add(step.id)
        steps.append(step)
    name = str(data.get("name") or label.rsplit("/", 1)[-1].removesuffix(".yaml"))
    return Playbook(name=name, steps=tuple(steps), description=str(data.get("description", "")))


def network_template(template: str, network: str, template_names: Collection[str]) -> str:
    """The template a post step uses on `network`: the network's own variant by the same
    name (`mastodon/question` for `x/question`) when there is one, else the step's own."""
    _, _, name = template.partition("/")
    variant = f"{network}/{name}"
    return variant if variant in template_names else template
