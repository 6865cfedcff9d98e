"""What the calendar site knows: every chat, when its sessions fall, and its calendar events.

Pure: the calendar's rows, "now" and (optionally) an audit go in; the data the page embeds
(and `chats.json` holds) and the text of one .ics file per chat come out.

Why precomputed times: the reader's browser knows its own zone but launchkit's reading of
a chat's schedule (its rules, its zone, daylight saving in that zone) lives here. So every
session of the next year is expanded here, in the chat's own zone, by the same function
`calendar show` uses (week.occurrences), and stored as UTC minutes since 1970. The browser
only picks the first one after its clock and formats it in the reader's zone: its times are
right across every DST change of either zone, and agree with `calendar show`. Chats share a
few hundred distinct schedules, so each schedule's times are stored once.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from launchkit.domain.calendars.audit import RowAudit, matching_audits
from launchkit.domain.calendars.duplicates import row_tag
from launchkit.domain.calendars.occurrences import drop_interval
from launchkit.domain.calendars.row_ics import (
    CALENDAR_FOOT,
    CALENDAR_HEAD,
    ChatEvent,
    SessionStart,
    calendar_text,
    event_text,
    zone_text,
)
from launchkit.domain.calendars.table import CalendarEntry
from launchkit.domain.calendars.week import occurrences, placeable, rule_parts, sessions_text
from launchkit.domain.calendars.week import weekly_shape as shape_of
from launchkit.domain.schedule import ScheduleParse, SessionRule

__all__ = ["HORIZON_WEEKS", "SITE_SCHEMA_VERSION", "SiteContent", "build_site_content"]

SITE_SCHEMA_VERSION = 1
HORIZON_WEEKS = 52
# Every rule launchkit reads recurs within four months (a "5th Wednesday" the longest).
_FIRST_WITHIN = timedelta(days=125)
_ORDINALS = {"1": "1st", "2": "2nd", "3": "3rd", "4": "4th", "5": "5th", "-1": "last"}
_DAYS = {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"}
_NTH = re.compile(r"^([+-]?\d{1,2})?([A-Z]{2})$")


@dataclass(frozen=True)
class SiteContent:
    """The page's data (also chats.json) and each chat's .ics file by relative path."""

    data: dict[str, Any]
    ics_files: dict[str, str]
    scheduled: int  # chats with a next session
    unmatched_audit_rows: int  # audit rows whose hashtag is not the calendar row's any more


def _minutes(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def cadence_label(rrule: str) -> str:
    """ "weekly", "every other week", "monthly: 1st & 3rd Thu", "daily" or "irregular"."""
    parts = rule_parts(rrule)
    freq, interval = parts.get("FREQ"), int(parts.get("INTERVAL", "1") or "1")
    if freq == "WEEKLY":
        return {1: "weekly", 2: "every other week"}.get(interval, f"every {interval} weeks")
    if freq == "DAILY":
        return "daily"
    if freq == "MONTHLY" and parts.get("BYDAY"):
        days = [m.groups() for m in map(_NTH.match, parts["BYDAY"].split(",")) if m]
        nths = " & ".join(_ORDINALS.get(n or "", n or "every") for n, _ in days)
        names = " & ".join(dict.fromkeys(_DAYS.get(d, d) for _, d in days))
        return f"monthly: {nths} {names}"
    if freq == "MONTHLY":
        return "monthly"
    return "irregular"


@dataclass(frozen=True)
class _Placed:
    """One distinct schedule placed on the horizon: its JSON and each session's first start."""

    data: dict[str, Any]
    firsts: tuple[tuple[SessionRule, datetime, bool], ...]  # session, first start, weeks unknown

    @functools.cached_property
    def zones(self) -> list[str]:
        """The zones the sessions are held in (their calendar events' TZIDs)."""
        return sorted({str(first.tzinfo) for _, first, _ in self.firsts})

    @property
    def weeks_unknown(self) -> bool:
        """A session runs every other week (or rarer) on weeks the calendar does not give."""
        return any(unknown for _, _, unknown in self.firsts)


def _place(
    parse: ScheduleParse, now: datetime, until: datetime, anchor: datetime
) -> _Placed | None:
    """UTC minutes of each session of a schedule over the horizon, with its week weight."""
    if not placeable(parse) or not parse.tz:
        return None
    by_session: dict[SessionRule, list[datetime]] = {}
    # From two days back: a page read on a Monday counts that whole day in its week heatmap.
    since = now - timedelta(days=2)
    for moment, session in occurrences(parse, since, until, exact=False):
        by_session.setdefault(session, []).append(moment)
    unknown = _weeks_unknown(parse, by_session, since, until)
    sessions = []
    for session, moments in by_session.items():
        starts = [_minutes(m) for m in moments]
        item: dict[str, Any] = {"starts": starts, "minutes": max(1, session.duration_min)}
        zone = str(moments[0].tzinfo)
        if zone != parse.tz:
            item["tz"] = zone  # a session held in another zone than its row's
        shape = shape_of(session.rrule)
        # The week heatmap counts a chat by how often it runs (calendar heatmap's rule): a
        # monthly one by its share of weeks, on every weekday it can fall on; a fortnightly
        # one on known weeks runs this week or not at all.
        item["weight"] = round(shape.weight, 4) if shape else None
        if shape is not None and _interval(session) > 1 and session not in unknown:
            item["weight"] = 1.0
        elif shape is not None:
            # The session with its weekly rule: whatever else it holds (its zone) stays.
            rule = dataclasses.replace(session, rrule=shape.rrule)
            weekly = ScheduleParse(parse.status, parse.tz, (rule,), ())
            week = [_minutes(m) for m, _ in occurrences(weekly, since, until)]
            if week != starts:
                item["week"] = week
        sessions.append(item)
    if not sessions:
        return None
    # Calendar files start each session at its first occurrence of the year: the files stay
    # the same all year unless the chat changes, so a published site changes little.
    firsts: dict[SessionRule, datetime] = {}
    for moment, session in occurrences(parse, anchor, anchor + _FIRST_WITHIN, exact=False):
        firsts.setdefault(session, moment)
    for session, moments in by_session.items():
        if session not in firsts and moments[-1] >= now:
            firsts[session] = next(m for m in moments if m >= now)
    placed = tuple((s, first, s in unknown) for s, first in firsts.items())
    return _Placed({"tz": parse.tz, "sessions": sessions}, placed)


def _interval(session: SessionRule) -> int:
    return int(rule_parts(session.rrule).get("INTERVAL", "1") or "1")


def _weeks_unknown(
    parse: ScheduleParse,
    found: dict[SessionRule, list[datetime]],
    since: datetime,
    until: datetime,
) -> set[SessionRule]:
    """Sessions repeating every few weeks whose weeks the calendar does not give.

    `occurrences` keeps such a rule's INTERVAL only when it knows which weeks it runs, so a
    session whose exact expansion differs from the one shown is on unknown weeks.
    """
    if all(_interval(s) <= 1 for s in found):
        return set()
    exact: dict[SessionRule, list[datetime]] = {}
    for moment, session in occurrences(parse, since, until):
        exact.setdefault(session, []).append(moment)
    return {s for s, shown in found.items() if _interval(s) > 1 and exact.get(s) != shown}


def _session_starts(placed: _Placed) -> list[SessionStart]:
    out = []
    for session, first, unknown in placed.firsts:
        written = drop_interval(session.rrule)[0] if unknown else session.rrule
        out.append(SessionStart(written, first, max(1, session.duration_min), unknown))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "chat"


def _link(text: str | None) -> str | None:
    # Only web links go on the page: a "javascript:" cell must not become a link.
    return text if text and text.startswith(("https://", "http://")) else None


def _chat_event(entry: CalendarEntry, tag: str | None) -> ChatEvent:
    title = " ".join(filter(None, (tag, f"({entry.name})" if entry.name and tag else entry.name)))
    title = title or f"Chat from row {entry.row}"
    lines = [entry.topic or "", f"As listed: {entry.schedule_text}" if entry.schedule_text else ""]
    lines.append("From the public chat calendar.")
    return ChatEvent(
        tag or entry.name or f"row {entry.row}",
        title,
        "\n".join(filter(None, lines)),
        _link(entry.link),
    )


@dataclass(frozen=True)
class _Described:
    """How a schedule reads on the page (the same for every row that shares it)."""

    sessions_text: str | None
    cadence: str | None


def _describe(parse: ScheduleParse) -> _Described:
    labels = dict.fromkeys(cadence_label(s.rrule) for s in parse.sessions)
    text = sessions_text(parse.sessions) if parse.sessions else None
    return _Described(text, " + ".join(labels) or None)


def build_site_content(
    entries: Sequence[CalendarEntry],
    *,
    source: str,
    now: datetime,
    audits: Mapping[int, RowAudit] | None = None,
    audited_on: date | None = None,
) -> SiteContent:
    """Everything the site shows, for a page built at `now` (an aware datetime)."""
    until = now + timedelta(weeks=HORIZON_WEEKS)
    anchor = datetime(now.year, 1, 1, tzinfo=UTC)
    # Each distinct schedule: where it falls, how it reads, its index in `schedules`.
    known: dict[ScheduleParse, tuple[_Placed | None, _Described, int | None]] = {}
    by_id: dict[int, tuple[_Placed | None, _Described, int | None]] = {}
    schedules: list[dict[str, Any]] = []
    chats: list[dict[str, Any]] = []
    ics_files: dict[str, str] = {}
    zones: set[str] = set()
    scheduled = 0
    verdicts, unmatched = matching_audits(entries, audits or {})
    for entry in entries:
        parse = entry.parse
        # Rows share parse objects (the table reads each distinct text once): look them up by
        # identity first, since hashing a parse costs more than the rest of a row.
        shared = by_id.get(id(parse))
        if shared is None:
            shared = known.get(parse)
            if shared is None:
                found = _place(parse, now, until, anchor)
                position = None if found is None else len(schedules)
                if found is not None:
                    schedules.append(found.data)
                shared = known[parse] = (found, _describe(parse), position)
            by_id[id(parse)] = shared
        here, reads, position = shared
        tag = row_tag(entry)
        chat: dict[str, Any] = {
            "row": entry.row,
            "hashtag": tag or entry.hashtag,
            "name": entry.name,
            "topic": entry.topic,
            "link": _link(entry.link),
            "schedule_text": entry.schedule_text,
            "status": parse.status,
            "tz": parse.tz,
            "sessions_text": reads.sessions_text,
            "cadence": reads.cadence,
            "problems": list(parse.problems),
            "schedule": position,
            "ics": None,
            "events": None,
            "zones": [],  # the zones its calendar events are written in
            "weeks_unknown": False,
            "verdict": None,
            "reasons": [],
        }
        if here is not None and here.firsts:
            scheduled += 1
            zones.update(here.zones)
            # Stamped with the year's start too, so an unchanged chat's file is unchanged.
            events = event_text(_chat_event(entry, tag), _session_starts(here), anchor)
            name = f"ics/{entry.row:04d}-{_slug(tag or entry.name or 'chat')}.ics"
            ics_files[name] = calendar_text([events], here.zones, anchor.year)
            chat.update(ics=name, events=events, zones=here.zones, weeks_unknown=here.weeks_unknown)
        audit = verdicts.get(entry.row)
        if audit is not None:
            chat.update(verdict=audit.verdict, reasons=list(audit.reasons))
        chats.append(chat)
    data = {
        "schema_version": SITE_SCHEMA_VERSION,
        "source": source,
        "built": now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "until": until.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "audited_on": audited_on.isoformat() if audited_on else None,
        "schedules": schedules,
        "chats": chats,
        "calendar": {
            "head": CALENDAR_HEAD,
            "foot": CALENDAR_FOOT,
            "zones": {zone: zone_text(zone, anchor.year) for zone in sorted(zones)},
        },
    }
    return SiteContent(data, ics_files, scheduled, unmatched)
