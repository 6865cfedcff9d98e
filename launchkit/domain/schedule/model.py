"""The result of reading one free-text chat schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

Status = Literal["ok", "partial", "unparsed"]


@dataclass(frozen=True)
class SessionRule:
    """One recurring session: an RFC 5545 rule, a local start time and a length.

    `tz` is set only for a session held in another zone than its row's, when it cannot be
    written in the row's zone (their difference changes during the year); `first` is the date
    of a known session, which fixes the weeks of a fortnightly rule.
    """

    rrule: str  # without "RRULE:", e.g. "FREQ=MONTHLY;BYDAY=1WE,3WE"
    start: str | None  # "HH:MM" local in the zone; None when no time is known
    duration_min: int  # from a stated range or length, else 60
    tz: str | None = None  # the session's own zone; None: the row's zone
    first: date | None = None  # a date the rule runs on (its DTSTART), when stated


@dataclass(frozen=True)
class ScheduleParse:
    """What a schedule text says: status, zone, sessions, and what was missing or assumed."""

    status: Status
    tz: str | None
    sessions: tuple[SessionRule, ...]
    problems: tuple[str, ...]

    def to_json(
        self, row: int, hashtag: str | None, name: str | None, schedule_text: str
    ) -> dict[str, Any]:
        """The object `launchkit calendar parse --json` prints for one calendar row."""
        row_part: dict[str, Any] = {
            "row": row,
            "hashtag": hashtag,
            "name": name,
            "schedule_text": schedule_text,
        }
        return row_part | self.reading_json()

    def reading_json(self) -> dict[str, Any]:
        """The part of `to_json` that is the reading itself (the same for every row that
        reads the same): status, zone, sessions and problems."""
        return {
            "status": self.status,
            "tz": self.tz,
            "sessions": [session_json(s) for s in self.sessions],
            "problems": list(self.problems),
        }


def session_json(session: SessionRule) -> dict[str, Any]:
    """A session as JSON: `tz` and `first` appear only when the session has them."""
    out: dict[str, Any] = {
        "rrule": session.rrule,
        "start": session.start,
        "duration_min": session.duration_min,
    }
    if session.tz is not None:
        out["tz"] = session.tz
    if session.first is not None:
        out["first"] = session.first.isoformat()
    return out
