"""iCalendar (RFC 5545) text for a chat: session invitations and the recurring chat (pure).

This module is the one home of content-line text (escaping, folding) for every .ics file
launchkit writes (sequence_exports.py uses it too); zones come from vtimezone.py, exact for
the span each file covers.

Output is deterministic: no current time goes in. DTSTAMP comes from the caller (the
invitation's planned send time, so a later email's invitation supersedes an earlier one for
the same UID) or, for the recurring chat, from the chat's first date. UIDs are derived from
the hashtag and the session date, so re-rendering updates a calendar entry instead of
adding a second one.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from launchkit.domain.season import SeasonChanges
from launchkit.domain.sessions import first_session, iter_sessions, last_session
from launchkit.domain.vtimezone import vtimezone

if TYPE_CHECKING:  # annotations only: the exports need no pydantic
    from launchkit.domain.chat import Chat

__all__ = [
    "COVERED_YEARS",
    "Attendee",
    "chat_ics",
    "check_uri",
    "escape_text",
    "join_lines",
    "session_invite_ics",
    "session_uid",
]

# A recurring chat has no end: its file's VTIMEZONE is exact for at least this many years.
COVERED_YEARS = 3

_PRODID = "-//launchkit//launchkit//EN"


@dataclass(frozen=True)
class Attendee:
    """Someone invited to a session."""

    name: str
    email: str


def session_uid(chat: Chat, session: date | None) -> str:
    """A UID stable across re-renders: one per chat session (None: the recurring chat)."""
    which = session.isoformat() if session else "series"
    digest = hashlib.sha256(f"{chat.hashtag.lower()}|{which}".encode()).hexdigest()[:24]
    return f"{digest}@launchkit"


# Characters a content line cannot hold (RFC 5545 3.1: CONTROL but HTAB); a line break in a
# TEXT value is written as \n, any other one becomes a space.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def escape_text(text: str) -> str:
    r"""A TEXT value escaped for a content line (RFC 5545 3.3.11), never breaking the line.

    >>> cr, lf, esc = chr(13), chr(10), chr(27)
    >>> print(escape_text("a;b,c\\d" + cr + lf + "next" + cr + "line" + esc + "."))
    a\;b\,c\\d\nnext\nline .
    """
    escaped = (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )
    return _CONTROL.sub(" ", escaped)


def check_uri(value: str, what: str) -> str:
    """A URI value as given (URL:, mailto:), when nothing in it could end the content line or
    add a parameter; ValueError naming `what` otherwise (it is never silently changed)."""
    if _CONTROL.search(value) or any(c.isspace() or c in '"<>' for c in value):
        raise ValueError(f"{what} {value!r} is not a plain URI (spaces or control characters)")
    return value


def _fold(line: str) -> Iterator[str]:
    """Lines of at most 75 octets, continuations starting with a space (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    while len(data) > 75:
        cut = 75
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        yield data[:cut].decode("utf-8")
        data = b" " + data[cut:]
    yield data.decode("utf-8")


def join_lines(lines: Sequence[str]) -> str:
    """Content lines folded at 75 octets and ended with CRLF: the text of an .ics file."""
    return "".join(f"{part}\r\n" for line in lines for part in _fold(line))


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(dt: datetime) -> str:
    return dt.strftime("%Y%m%dT%H%M%S")


def _event_times(start: datetime, duration_min: int, zone_name: str) -> list[str]:
    local = start.astimezone(ZoneInfo(zone_name))
    end = local + timedelta(minutes=duration_min)
    return [f"DTSTART;TZID={zone_name}:{_local(local)}", f"DTEND;TZID={zone_name}:{_local(end)}"]


def session_invite_ics(
    chat: Chat,
    session_start: datetime,
    attendees: Sequence[Attendee],
    dtstamp: datetime,
    description: str = "",
) -> str:
    """A METHOD:REQUEST invitation to one session, from the host to `attendees`."""
    zone = chat.timezone
    session_end = session_start + timedelta(minutes=chat.schedule.duration_min)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_PRODID}", "CALSCALE:GREGORIAN"]
    lines += ["METHOD:REQUEST", *vtimezone(zone, session_start, session_end)]
    lines += [
        "BEGIN:VEVENT",
        f"UID:{session_uid(chat, session_start.astimezone(ZoneInfo(zone)).date())}",
        f"DTSTAMP:{_utc(dtstamp)}",
        "SEQUENCE:0",
        *_event_times(session_start, chat.schedule.duration_min, zone),
        f"SUMMARY:{escape_text(f'{chat.name} ({chat.hashtag})')}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if chat.link:
        lines.append(f"URL:{check_uri(chat.link, 'the link')}")
    lines.append(f"LOCATION:{escape_text(f'On X: {chat.hashtag}')}")
    organizer = check_uri(chat.host.email or "noreply@invalid", "the host's email")
    lines.append(f"ORGANIZER;CN={_quote(chat.host.name)}:mailto:{organizer}")
    for person in attendees:
        lines.append(
            f"ATTENDEE;CN={_quote(person.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
            f"RSVP=TRUE:mailto:{check_uri(person.email, 'an email address')}"
        )
    lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return join_lines(lines)


def _quote(value: str) -> str:
    # Parameter values with : ; , must be quoted; a double quote or a control character
    # cannot appear at all.
    return '"' + _CONTROL.sub(" ", value.replace('"', "'")) + '"'


def _season_span(chat: Chat, through: date | None) -> datetime:
    """Where the chat's file is exact to: the covered years, the rule's last session, or the
    last planned one, whichever is latest."""
    start = first_session(chat)
    end = start + timedelta(days=366 * COVERED_YEARS)
    last = last_session(chat)
    if last is not None and last > end:
        end = last
    if through is not None:
        end = max(end, datetime.combine(through, start.timetz()))
    return end


def _event_body(chat: Chat) -> list[str]:
    lines = [f"SUMMARY:{escape_text(f'{chat.name} ({chat.hashtag})')}"]
    if chat.topic:
        lines.append(f"DESCRIPTION:{escape_text(chat.topic)}")
    if chat.link:
        lines.append(f"URL:{check_uri(chat.link, 'the link')}")
    return [*lines, f"LOCATION:{escape_text(f'On X: {chat.hashtag}')}"]


def chat_ics(chat: Chat, changes: SeasonChanges | None = None, through: date | None = None) -> str:
    """The recurring chat for the host's calendar: RRULE expanded in the chat's zone, with the
    season's changes (domain/season.py): an EXDATE for each cancelled session and a
    RECURRENCE-ID override for each moved one, exact through `through` (the last planned
    session) and the covered years. When the sessions after that are moved too (a shift),
    the rule ends there (UNTIL) rather than show them on the wrong days."""
    changes = changes or SeasonChanges()
    zone = chat.timezone
    start = first_session(chat)
    end = _season_span(chat, through)
    uid = session_uid(chat, None)
    # DTSTAMP from the inputs (midnight UTC of the first date) so re-renders are identical.
    stamp = f"DTSTAMP:{_utc(datetime.combine(chat.schedule.first, time(0), UTC))}"
    overrides: list[tuple[datetime, datetime]] = []
    last_in_span = start
    for occurrence in iter_sessions(chat):
        if occurrence > end:
            break
        last_in_span = occurrence
        moved = changes.moved_to(occurrence.date())
        if moved != occurrence.date() and occurrence.date() not in changes.cancelled:
            wall = occurrence.replace(tzinfo=None)
            overrides.append((occurrence, datetime.combine(moved, wall.time(), start.tzinfo)))
    rrule = chat.schedule.rrule
    after = end.date() + timedelta(days=1)
    if changes.moved_to(after) != after and last_session(chat) is None:
        rrule += f";UNTIL={_utc(last_in_span)}"
    latest = max([end, *(new for _, new in overrides)])
    duration = chat.schedule.duration_min
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_PRODID}", "CALSCALE:GREGORIAN"]
    lines += ["METHOD:PUBLISH", *vtimezone(zone, start, latest + timedelta(days=1))]
    lines += ["BEGIN:VEVENT", f"UID:{uid}", stamp, *_event_times(start, duration, zone)]
    lines.append(f"RRULE:{rrule}")
    for day in sorted(changes.cancelled):
        lines.append(f"EXDATE;TZID={zone}:{_local(datetime.combine(day, start.timetz()))}")
    lines += [*_event_body(chat), "END:VEVENT"]
    for original, moved_start in overrides:
        lines += ["BEGIN:VEVENT", f"UID:{uid}", stamp]
        lines.append(f"RECURRENCE-ID;TZID={zone}:{_local(original)}")
        lines += [*_event_times(moved_start, duration, zone), *_event_body(chat), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return join_lines(lines)
