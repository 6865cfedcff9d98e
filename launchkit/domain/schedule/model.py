"""The result of reading one free-text chat schedule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["ok", "partial", "unparsed"]


@dataclass(frozen=True)
class SessionRule:
    """One recurring session: an RFC 5545 rule, a local start time and a length."""

    rrule: str  # without "RRULE:", e.g. "FREQ=MONTHLY;BYDAY=1WE,3WE"
    start: str | None  # "HH:MM" local in the zone; None when no time is known
    duration_min: int  # from a stated range, else 60


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
        return {
            "row": row,
            "hashtag": hashtag,
            "name": name,
            "schedule_text": schedule_text,
            "status": self.status,
            "tz": self.tz,
            "sessions": [
                {"rrule": s.rrule, "start": s.start, "duration_min": s.duration_min}
                for s in self.sessions
            ],
            "problems": list(self.problems),
        }
