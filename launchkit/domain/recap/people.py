"""The people who came, session after session, and what a host does about each (pure).

Statuses are counted over the sessions that have a recap, the latest of them last:

- `new`: their first session is the latest one;
- `regular`: at least 3 of the last 4 sessions;
- `lapsed`: was a regular once (3 of 4 sessions in a row), and missed the last 3;
- `returning`: came to the latest session, and to an earlier one;
- `occasional`: anyone else (came before, not to the latest session).

>>> sessions = [date(2027, 3, d) for d in (2, 9, 16, 23)]
>>> person_status(set(sessions[1:]), sessions), person_status({sessions[-1]}, sessions)
('regular', 'new')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

__all__ = ["FollowUp", "Person", "follow_up", "person_status"]

Status = Literal["new", "regular", "lapsed", "returning", "occasional"]
STATUSES: tuple[Status, ...] = ("new", "regular", "lapsed", "returning", "occasional")
_REGULAR_OF, _REGULAR_IN = 3, 4
_LAPSED_AFTER = 3


def _regular_at(attended: set[date], sessions: Sequence[date]) -> bool:
    recent = sessions[-_REGULAR_IN:]
    return len(recent) >= _REGULAR_OF and sum(s in attended for s in recent) >= _REGULAR_OF


def person_status(attended: set[date], sessions: Sequence[date]) -> Status:
    """The status of someone who came to `attended`, among the recapped `sessions` (oldest
    first)."""
    ordered = sorted(sessions)
    if not ordered or not attended:
        return "occasional"
    latest = ordered[-1]
    if min(attended) == latest:
        return "new"
    if _regular_at(attended, ordered):
        return "regular"
    missed_recent = not attended & set(ordered[-_LAPSED_AFTER:])
    was_regular = any(_regular_at(attended, ordered[:end]) for end in range(1, len(ordered) + 1))
    if missed_recent and was_regular:
        return "lapsed"
    return "returning" if latest in attended else "occasional"


@dataclass(frozen=True)
class Person:
    """Someone who posted in at least one recapped session."""

    network: str
    handle: str
    display_name: str
    status: Status
    sessions: int  # how many recapped sessions they posted in
    posts: int
    first_session: date
    last_session: date
    first_seen: datetime  # their first post, aware
    last_seen: datetime  # their latest post


@dataclass(frozen=True)
class FollowUp:
    """Who to write to after the latest session."""

    welcome: tuple[Person, ...]  # new
    thank: tuple[Person, ...]  # regulars
    invite_back: tuple[Person, ...]  # lapsed regulars


def follow_up(people: Sequence[Person]) -> FollowUp:
    """New people to welcome, regulars to thank, lapsed regulars to invite back."""

    def having(status: Status) -> tuple[Person, ...]:
        chosen = [p for p in people if p.status == status]
        return tuple(sorted(chosen, key=lambda p: (-p.posts, p.network, p.handle.lower())))

    return FollowUp(having("new"), having("regular"), having("lapsed"))
