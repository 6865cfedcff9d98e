"""iCalendar (RFC 5545) text for a chat: session invitations and the recurring chat (pure).

Output is deterministic: no current time goes in. DTSTAMP comes from the caller (the
invitation's planned send time, so a later email's invitation supersedes an earlier one for
the same UID) or, for the recurring chat, from the chat's first date. UIDs are derived from
the hashtag and the session date, so re-rendering updates a calendar entry instead of
adding a second one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from launchkit.domain.chat import Chat
from launchkit.domain.sessions import first_session
from launchkit.domain.weekdays import DAY_CODES

__all__ = ["Attendee", "chat_ics", "session_invite_ics", "session_uid", "vtimezone"]

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


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> Iterator[str]:
    """Lines of at most 75 octets, continuations starting with a space (RFC 5545 3.1)."""
    data = line.encode("utf-8")
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut > 0 and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 sequence
            cut -= 1
        yield data[:cut].decode("utf-8")
        data = b" " + data[cut:]
        limit = 75
    yield data.decode("utf-8")


def _join(lines: Sequence[str]) -> str:
    return "".join(f"{part}\r\n" for line in lines for part in _fold(line))


def _utc(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(dt: datetime) -> str:
    return dt.strftime("%Y%m%dT%H%M%S")


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _transitions(zone: ZoneInfo, year: int) -> list[datetime]:
    """UTC instants in `year` when the zone's offset changes (found day by day, then bisected)."""
    found = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        nxt = day + timedelta(days=1)
        if day.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            lo, hi = day, nxt
            while hi - lo > timedelta(minutes=1):
                mid = lo + (hi - lo) / 2
                if mid.astimezone(zone).utcoffset() == lo.astimezone(zone).utcoffset():
                    lo = mid
                else:
                    hi = mid
            found.append(hi.replace(second=0, microsecond=0))
        day = nxt
    return found


def _byday(local: datetime) -> str:
    """The RRULE BYDAY for a local date: "2SU" (second Sunday) or "-1SU" (last Sunday)."""
    weekday = DAY_CODES[local.weekday()]
    if (local + timedelta(days=7)).month != local.month:
        return f"-1{weekday}"
    return f"{(local.day - 1) // 7 + 1}{weekday}"


def _observance(change: datetime, zone: ZoneInfo, rule: str | None) -> list[str]:
    before = (change - timedelta(minutes=1)).astimezone(zone)
    after = change.astimezone(zone)
    kind = "DAYLIGHT" if after.dst() else "STANDARD"
    # DTSTART is the wall time at the change, in the old offset (RFC 5545 3.6.5).
    wall = change.replace(tzinfo=None) + (before.utcoffset() or timedelta(0))
    lines = [
        f"BEGIN:{kind}",
        f"DTSTART:{_local(wall)}",
        f"TZOFFSETFROM:{_offset(before.utcoffset())}",
        f"TZOFFSETTO:{_offset(after.utcoffset())}",
        f"TZNAME:{after.tzname()}",
    ]
    if rule:
        lines.append(f"RRULE:FREQ=YEARLY;BYMONTH={wall.month};BYDAY={rule}")
    return [*lines, f"END:{kind}"]


def vtimezone(zone_name: str, year: int) -> list[str]:
    """A VTIMEZONE for `zone_name` covering `year` onwards where the zone repeats its rules.

    Observances start in the year before, so an event early in `year` is covered. Yearly
    rules ("second Sunday of March") get an RRULE; irregular changes are listed one by one.
    """
    zone = ZoneInfo(zone_name)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{zone_name}"]
    changes = _transitions(zone, year - 1)
    following = _transitions(zone, year)
    rules = [_byday((c - timedelta(minutes=1)).astimezone(zone)) for c in changes]
    repeats = len(changes) == len(following) and rules == [
        _byday((c - timedelta(minutes=1)).astimezone(zone)) for c in following
    ]
    if not changes and not following:
        at = datetime(year, 1, 1, tzinfo=UTC).astimezone(zone)
        off = _offset(at.utcoffset())
        lines += [
            "BEGIN:STANDARD",
            f"DTSTART:{year - 1}0101T000000",
            f"TZOFFSETFROM:{off}",
            f"TZOFFSETTO:{off}",
            f"TZNAME:{at.tzname()}",
            "END:STANDARD",
        ]
    elif repeats:
        for change, rule in zip(changes, rules, strict=True):
            lines += _observance(change, zone, rule)
    else:
        for change in [*changes, *following]:
            lines += _observance(change, zone, None)
    lines.append("END:VTIMEZONE")
    return lines


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
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_PRODID}", "CALSCALE:GREGORIAN"]
    lines += ["METHOD:REQUEST", *vtimezone(zone, session_start.year)]
    lines += [
        "BEGIN:VEVENT",
        f"UID:{session_uid(chat, session_start.astimezone(ZoneInfo(zone)).date())}",
        f"DTSTAMP:{_utc(dtstamp)}",
        "SEQUENCE:0",
        *_event_times(session_start, chat.schedule.duration_min, zone),
        f"SUMMARY:{_escape(f'{chat.name} ({chat.hashtag})')}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{_escape(description)}")
    if chat.link:
        lines.append(f"URL:{chat.link}")
    lines.append(f"LOCATION:{_escape(f'On X: {chat.hashtag}')}")
    organizer = chat.host.email or "noreply@invalid"
    lines.append(f"ORGANIZER;CN={_quote(chat.host.name)}:mailto:{organizer}")
    for person in attendees:
        lines.append(
            f"ATTENDEE;CN={_quote(person.name)};ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
            f"RSVP=TRUE:mailto:{person.email}"
        )
    lines += ["STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR"]
    return _join(lines)


def _quote(value: str) -> str:
    # Parameter values with : ; , must be quoted; a double quote cannot appear at all.
    return '"' + value.replace('"', "'") + '"'


def chat_ics(chat: Chat) -> str:
    """The recurring chat for the host's calendar: RRULE expanded in the chat's zone."""
    start = first_session(chat)
    # DTSTAMP from the inputs (midnight UTC of the first date) so re-renders are identical.
    stamp = datetime.combine(chat.schedule.first, time(0), UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_PRODID}", "CALSCALE:GREGORIAN"]
    lines += ["METHOD:PUBLISH", *vtimezone(chat.timezone, start.year)]
    lines += [
        "BEGIN:VEVENT",
        f"UID:{session_uid(chat, None)}",
        f"DTSTAMP:{_utc(stamp)}",
        *_event_times(start, chat.schedule.duration_min, chat.timezone),
        f"RRULE:{chat.schedule.rrule}",
        f"SUMMARY:{_escape(f'{chat.name} ({chat.hashtag})')}",
    ]
    if chat.topic:
        lines.append(f"DESCRIPTION:{_escape(chat.topic)}")
    if chat.link:
        lines.append(f"URL:{chat.link}")
    lines += [f"LOCATION:{_escape(f'On X: {chat.hashtag}')}", "END:VEVENT", "END:VCALENDAR"]
    return _join(lines)
