"""iCalendar events for the chats of the public calendar: one recurring event per session.

Pure. Each session is a recurring VEVENT in the chat's own zone (DTSTART;TZID=..., RRULE),
so a calendar app keeps it at the chat's local hour across daylight-saving changes; the
VTIMEZONE comes from launchkit.domain.ics. A fortnightly chat whose weeks the calendar does
not state is written weekly and says so: a reader then sees every possible week rather than
half the sessions on wrong weeks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from launchkit.domain.ics import COVERED_YEARS, escape_text, join_lines
from launchkit.domain.vtimezone import vtimezone

__all__ = [
    "CALENDAR_FOOT",
    "CALENDAR_HEAD",
    "ChatEvent",
    "SessionStart",
    "calendar_text",
    "event_text",
    "zone_text",
]

# A calendar file is HEAD, the VTIMEZONEs of its zones, its VEVENTs, FOOT; the site's page
# builds a file for the chats a reader picked the same way, from these same parts.
CALENDAR_HEAD = join_lines(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//launchkit//calendar site//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
)
CALENDAR_FOOT = join_lines(["END:VCALENDAR"])
WEEKS_UNKNOWN_NOTE = (
    "Every other week: the calendar does not say which weeks, so every week is listed. "
    "Check with the host."
)


@dataclass(frozen=True)
class SessionStart:
    """One session of a chat: its rule as written to the file and its first start."""

    rrule: str
    first: datetime  # aware, in the zone the session is held in (a ZoneInfo)
    duration_min: int
    weeks_unknown: bool = False  # a fortnightly rule written weekly

    @property
    def tz(self) -> str:
        """The IANA name of the session's zone: the event's TZID."""
        return str(self.first.tzinfo)


@dataclass(frozen=True)
class ChatEvent:
    """What an event says about a chat (the same for each of its sessions)."""

    key: str  # what identifies the chat across rebuilds: its hashtag, else its name
    summary: str
    description: str
    url: str | None


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def _timing(session: SessionStart, stamp: datetime) -> tuple[str, str]:
    """What every chat holding this session shares: its part of the UID seed, and its
    DTSTAMP, DTSTART, DTEND and RRULE lines (a calendar repeats a few hundred sessions)."""
    # The zone is part of the key: aware datetimes in two zones are equal at one instant.
    return _timing_in(session.rrule, session.first, session.tz, session.duration_min, stamp)


@lru_cache(maxsize=4096)
def _timing_in(
    rrule: str, first: datetime, tz: str, duration_min: int, stamp: datetime
) -> tuple[str, str]:
    end = (first + timedelta(minutes=duration_min)).astimezone(first.tzinfo)
    lines = [
        f"DTSTAMP:{_stamp(stamp)}",
        f"DTSTART;TZID={tz}:{_local(first)}",
        f"DTEND;TZID={tz}:{_local(end)}",
        f"RRULE:{rrule}",
    ]
    return f"{rrule}|{first:%H:%M}|{tz}", join_lines(lines)


def event_text(chat: ChatEvent, sessions: Sequence[SessionStart], stamp: datetime) -> str:
    """The VEVENTs of one chat (one per session), folded and CRLF-ended.

    The UID comes from the chat's key and the session, so rebuilding keeps each event's UID.
    """
    parts: list[str] = []
    for session in sessions:
        seed, timing = _timing(session, stamp)
        digest = hashlib.sha256(f"{chat.key.lower()}|{seed}".encode()).hexdigest()[:24]
        summary = chat.summary + (" (every other week)" if session.weeks_unknown else "")
        description = chat.description
        if session.weeks_unknown:
            description = f"{WEEKS_UNKNOWN_NOTE}\n{description}"
        tail = [f"SUMMARY:{escape_text(summary)}", f"DESCRIPTION:{escape_text(description)}"]
        if chat.url:
            tail.append(f"URL:{chat.url}")
        parts.append(join_lines(["BEGIN:VEVENT", f"UID:{digest}@launchkit-calendar"]))
        parts.append(timing)
        parts.append(join_lines([*tail, "END:VEVENT"]))
    return "".join(parts)


@lru_cache(maxsize=1024)
def zone_text(zone: str, year: int) -> str:
    """The folded VTIMEZONE of `zone`, exact from the start of `year` for COVERED_YEARS years
    (a chat has no end), built once per zone."""
    start = datetime(year, 1, 1, tzinfo=UTC)
    return join_lines(vtimezone(zone, start, start + timedelta(days=366 * COVERED_YEARS)))


def calendar_text(events: Iterable[str], zones: Iterable[str], year: int) -> str:
    """A whole VCALENDAR: the zones' VTIMEZONEs, then the events (as from `event_text`)."""
    body = "".join(zone_text(zone, year) for zone in sorted(set(zones)))
    return CALENDAR_HEAD + body + "".join(events) + CALENDAR_FOOT
