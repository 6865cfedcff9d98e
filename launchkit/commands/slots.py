"""`launchkit slots`: find open slots for a new chat against the public calendar.

`run` loads the calendar and searches it; `build_query` turns the flag texts into a checked
`SlotQuery` (with one-line errors); `search` is the part the wizard calls with a calendar it
already holds.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from launchkit.commands.flags import zone_flag
from launchkit.domain.calendars.occurrences import parse_clock
from launchkit.domain.calendars.table import Calendar
from launchkit.domain.slots.scoring import AudienceWindow
from launchkit.domain.slots.search import (
    CADENCES,
    CalendarChat,
    Slot,
    SlotQuery,
    SlotResult,
    find_open_slots,
    slot_at,
)
from launchkit.domain.weekdays import DAY_CODES
from launchkit.errors import UsageError

DEFAULT_HOURS = "09:00-22:00"
MAX_WEEKS = 104
_DAY_WORDS = {
    **{code.lower(): code for code in DAY_CODES},
    **{
        word: code
        for code, names in zip(
            DAY_CODES,
            [
                ("mon", "monday"),
                ("tue", "tues", "tuesday"),
                ("wed", "wednesday"),
                ("thu", "thur", "thurs", "thursday"),
                ("fri", "friday"),
                ("sat", "saturday"),
                ("sun", "sunday"),
            ],
            strict=True,
        )
        for word in names
    },
}


@dataclass(frozen=True)
class SlotSearch:
    """The result of `launchkit slots`: ranked slots and what they were measured against."""

    slots: tuple[Slot, ...]
    query: SlotQuery
    calendar_source: str
    chats: int  # calendar rows
    placed: int  # rows with a known day, time and zone
    sessions: int  # their sessions within the horizon
    candidates: int  # starts considered
    in_window: int  # starts inside every audience window in at least one week
    notes: tuple[str, ...]  # what a person should know about the answer
    closest: tuple[Slot, ...] = ()  # when no start fits every window: the nearest misses
    unfit: str | None = None  # then, why none fits


def parse_hours(text: str, flag: str = "--hours") -> tuple[int, int]:
    """'HH:MM-HH:MM' as minutes after midnight; the end may be earlier (wraps midnight)."""
    first, sep, last = text.partition("-")
    try:
        if not sep:
            raise ValueError(text)
        start, end = parse_clock(first), parse_clock(last)
    except ValueError:
        raise UsageError(
            f"{flag}: {text!r} is not a range of hours",
            hint="write HH:MM-HH:MM, e.g. 12:00-22:00 (22:00-09:00 wraps past midnight)",
        ) from None
    return start % 1440, end % 1440


def parse_audience(items: Sequence[str], hours: str, tz: str) -> tuple[AudienceWindow, ...]:
    """`--audience ZONE[=HH:MM-HH:MM]` items (default: `tz` with `hours`) as windows."""
    default = parse_hours(hours)
    windows: dict[str, AudienceWindow] = {}
    for item in items or [tz]:
        zone_text, sep, window = item.partition("=")
        zone = zone_flag("--audience", zone_text)
        start, end = parse_hours(window, "--audience") if sep else default
        windows[zone] = AudienceWindow(zone, start, end)
    return tuple(windows.values())


def parse_days(text: str | None) -> tuple[str, ...]:
    """'MO,TU' (or Mon,Tuesday) as day codes in week order; None means every day."""
    if not text or not text.strip():
        return DAY_CODES
    found = set()
    for word in text.replace(" ", ",").split(","):
        if not word:
            continue
        code = _DAY_WORDS.get(word.strip().lower())
        if code is None:
            raise UsageError(
                f"--days: unknown day {word!r}",
                hint=f"use {','.join(DAY_CODES)} (e.g. --days MO,WE,FR)",
            )
        found.add(code)
    return tuple(code for code in DAY_CODES if code in found)


def _at_least(flag: str, value: int, low: int, high: int, example: str) -> None:
    if not low <= value <= high:
        raise UsageError(f"{flag} must be between {low} and {high}, not {value}", hint=example)


def build_query(
    *,
    tz: str,
    first_day: date,
    audience: Sequence[str] = (),
    hours: str = DEFAULT_HOURS,
    days: str | None = None,
    duration: int = 60,
    cadence: str = "weekly",
    topic: str | None = None,
    hashtag: str | None = None,
    weeks: int = 12,
    step: int = 30,
    top: int = 5,
) -> SlotQuery:
    """Check the flag values and build the search; every problem is a one-line UsageError."""
    zone = zone_flag("--tz", tz)
    _at_least("--weeks", weeks, 1, MAX_WEEKS, "the horizon in weeks, e.g. --weeks 12")
    _at_least("--duration", duration, 5, 720, "the chat's length in minutes, e.g. --duration 60")
    _at_least("--step", step, 5, 720, "minutes between candidate starts, e.g. --step 30")
    _at_least("--top", top, 1, 1000, "how many slots to show, e.g. --top 5")
    if cadence not in CADENCES:
        raise UsageError(
            f"--cadence: unknown cadence {cadence!r}", hint=f"use {', '.join(CADENCES)}"
        )
    return SlotQuery(
        tz=zone,
        first_day=first_day,
        audience=parse_audience(audience, hours, zone),
        days=parse_days(days),
        duration_min=duration,
        cadence=cadence,
        topic=(topic or "").strip() or None,
        hashtag=(hashtag or "").strip() or None,
        weeks=weeks,
        step_min=step,
        top=top,
    )


def search(chats: Sequence[CalendarChat], query: SlotQuery, source: str = "calendar") -> SlotSearch:
    """Rank the slots of `query` against calendar rows already loaded (the wizard's entry)."""
    from launchkit.domain.iana import fixed_offset_warning

    result = find_open_slots(chats, query)
    zones = dict.fromkeys([query.tz, *(w.zone for w in query.audience)])
    notes = [w for w in map(fixed_offset_warning, zones) if w]
    if not chats:
        notes.append("the calendar has no chats: every slot is free")
    elif result.placed == 0:
        notes.append("no calendar chat has a known day, time and zone: every slot is free")
    elif result.skipped:
        notes.append(
            f"{len(result.skipped)} of {result.chats} calendar chats have no known day, time "
            "or zone and were left out (see `launchkit calendar parse`)"
        )
    if result.every_week:
        shown = ", ".join(result.every_week[:5]) + (", ..." if len(result.every_week) > 5 else "")
        notes.append(
            f"{len(result.every_week)} fortnightly chats run on unknown weeks and were counted "
            f"every week: {shown}"
        )
    unfit = None
    if result.in_window == 0:
        unfit = _why_none_fits(result, query)
        notes.append(unfit)
    return SlotSearch(
        slots=result.slots,
        query=query,
        calendar_source=source,
        chats=result.chats,
        placed=result.placed,
        sessions=result.sessions,
        candidates=result.candidates,
        in_window=result.in_window,
        notes=tuple(notes),
        closest=result.closest,
        unfit=unfit,
    )


def _why_none_fits(result: SlotResult, query: SlotQuery) -> str:
    """ "no start ... fits every audience window in any week: a 60-minute chat never fits both
    Europe/London 09:00-22:00 and Australia/Sydney 09:00-22:00"."""
    text = "no start on the allowed days fits every audience window in any week"
    length = f"a {query.duration_min}-minute chat"
    if result.conflicts:
        pairs = "; nor ".join(
            f"{a.zone} {a.label} and {b.zone} {b.label}" for a, b in result.conflicts
        )
        return f"{text}: {length} never fits both {pairs}"
    if len(query.audience) > 2:
        return f"{text}: {length} fits any two of the windows, never all {len(query.audience)}"
    return text


def describe_slot(chats: Sequence[CalendarChat], query: SlotQuery, day: str, start: str) -> Slot:
    """The slot at one weekday and start ("TU", "20:15"), fitting the windows or not."""
    return slot_at(chats, query, day, parse_clock(start))


def run(calendar: Calendar, query: SlotQuery) -> SlotSearch:
    """Search the calendar; what was said about reading it comes first among the notes."""
    found = search(calendar.entries, query, calendar.source)
    if calendar.warnings:
        found = dataclasses.replace(found, notes=(*calendar.warnings, *found.notes))
    return found
