"""A chat's sessions: its RRULE expanded in the chat's own zone (pure, no clock).

Expansion happens on local wall times and only then gets the zone attached, so a Tuesday
20:00 America/New_York chat is at 20:00 local in January and in July; its UTC time moves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # annotations only: the exports need no pydantic
    from launchkit.domain.chat import Chat


__all__ = [
    "clock_change_warnings",
    "first_session",
    "iter_sessions",
    "last_session",
    "next_session",
    "session_starts",
    "session_time",
    "zone_warnings",
]

# An RRULE that never matches (BYMONTHDAY=31;BYMONTH=2) would scan forever; stop after this.
_HORIZON_YEARS = 30


def session_time(chat: Chat) -> time:
    """The chat's local start time."""
    hour, minute = (int(p) for p in chat.schedule.start.split(":"))
    return time(hour, minute)


def first_session(chat: Chat) -> datetime:
    """The start of the chat's first session, aware, in the chat's zone."""
    return datetime.combine(chat.schedule.first, session_time(chat), ZoneInfo(chat.timezone))


def iter_sessions(chat: Chat) -> Iterator[datetime]:
    """Every session start of the chat's rule, in order, from its first session.

    Aware datetimes in the chat's zone. As in RFC 5545, `schedule.first` (the DTSTART) is
    always a session even when the RRULE would not produce it; the iteration ends with the
    rule (COUNT, UNTIL) or after _HORIZON_YEARS.
    """
    from dateutil.rrule import rrulestr

    zone = ZoneInfo(chat.timezone)
    start = datetime.combine(chat.schedule.first, session_time(chat))
    try:
        rule = rrulestr(chat.schedule.rrule, dtstart=start)
    except ValueError:
        # dateutil insists UNTIL is UTC ("...Z") exactly when DTSTART is aware.
        rule = rrulestr(chat.schedule.rrule, dtstart=start.replace(tzinfo=zone))
    limit = chat.schedule.first.year + _HORIZON_YEARS
    yield start.replace(tzinfo=zone)
    for occurrence in rule:
        if occurrence.year > limit:
            return
        local = occurrence.replace(tzinfo=zone)
        if local.date() > chat.schedule.first:
            yield local


def session_starts(chat: Chat, count: int, from_date: date | None = None) -> list[datetime]:
    """The first `count` session starts on or after `from_date` (default: the first session).

    Aware datetimes in the chat's zone (see `iter_sessions`); an RRULE with COUNT or UNTIL
    may give fewer than `count`.
    """
    since = from_date or chat.schedule.first
    found: list[datetime] = []
    if count <= 0:
        return found
    for start in iter_sessions(chat):
        if start.date() >= since:
            found.append(start)
            if len(found) >= count:
                break
    return found


def next_session(chat: Chat, after: datetime) -> datetime | None:
    """The first session on a later local date than `after`, or None when the rule has ended."""
    day = after.astimezone(ZoneInfo(chat.timezone)).date()
    return next((s for s in session_starts(chat, 2, from_date=day) if s.date() > day), None)


def last_session(chat: Chat) -> datetime | None:
    """The start of the chat's last session when its rule ends (COUNT or UNTIL), else None."""
    parts = {part.partition("=")[0].strip().upper() for part in chat.schedule.rrule.split(";")}
    if not parts & {"COUNT", "UNTIL"}:
        return None
    every = session_starts(chat, 366 * _HORIZON_YEARS)  # a daily rule's sessions, at most
    return every[-1] if every else None


def zone_warnings(chat: Chat) -> list[str]:
    """A warning for each zone of the chat that never changes its clocks (EST, Etc/GMT+5),
    naming the zone people usually mean and from when the hours differ (domain/iana.py)."""
    from launchkit.domain.iana import fixed_offset_warning

    first = first_session(chat)
    found = []
    for key, zone in [("timezone", chat.timezone)] + [
        ("audience_timezones", z) for z in chat.audience_timezones if z != chat.timezone
    ]:
        local = first.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
        warning = fixed_offset_warning(zone, local)
        if warning:
            found.append(f"{key} {zone}: {warning}")
    return found


def clock_change_warnings(starts: Sequence[datetime]) -> list[str]:
    """A warning for each session whose local start its zone skips or repeats on a
    clock-change day (02:30 on a spring-forward Sunday), saying when it is really held.

    A skipped time is held with the offset before the change, as RFC 5545 and zoneinfo
    read it (02:30 EST is 03:30 EDT); a repeated one at its first occurrence (fold 0).
    """
    from launchkit.domain.timefmt import format_day, format_local

    found = []
    for start in starts:
        wall = start.replace(tzinfo=None)
        held = start.astimezone(UTC).astimezone(start.tzinfo)
        zone = getattr(start.tzinfo, "key", str(start.tzinfo))
        day = f"{format_day(start)} {wall:%Y %H:%M}"
        if held.replace(tzinfo=None) != wall:
            found.append(
                f"the session of {day} falls in the hour {zone} skips when its clocks go "
                f"forward: it is held at {format_local(held)}; move the start time, or tell "
                "people that day's time"
            )
        elif start.replace(fold=1).utcoffset() != start.utcoffset():
            found.append(
                f"the session of {day} happens twice in {zone} (its clocks go back): it is "
                f"held at the first, {format_local(start)}; tell people that day's time"
            )
    return found
