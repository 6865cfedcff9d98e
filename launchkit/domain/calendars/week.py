"""When calendar chats happen: next occurrences and a 7 x 24 count of one week, per viewer zone.

Pure: `now` and the viewer's zone are parameters. Each rule is expanded in the chat's own IANA
zone (dateutil.rrule on local wall-clock dates, then zoneinfo) and only then converted, so a
"Tuesday 8pm ET" chat stays at 8pm New York time across daylight-saving changes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from launchkit.domain.schedule import ScheduleParse, SessionRule
from launchkit.domain.weekdays import DAY_CODES, parse_day_time

# A month has 52/12 weeks on average: a monthly "1st Wednesday" runs in 12 of 52 weeks.
_WEEKS_PER_MONTH = 52 / 12
_NTH_DAY = re.compile(r"^([+-]?\d{0,2})(MO|TU|WE|TH|FR|SA|SU)$")


@dataclass(frozen=True)
class WeeklyShape:
    """A rule seen week by week: its weekdays and the share of weeks it runs in."""

    rrule: str  # a plain weekly rule over the same weekdays
    weight: float  # 1 weekly, 0.5 fortnightly, ~0.23 once a month


def rule_parts(rrule: str) -> dict[str, str]:
    """RFC 5545 rule text as a dict of its parts ("FREQ" -> "WEEKLY")."""
    parts = {}
    for piece in rrule.removeprefix("RRULE:").split(";"):
        key, _, value = piece.partition("=")
        if key:
            parts[key.strip().upper()] = value.strip().upper()
    return parts


def weekly_shape(rrule: str) -> WeeklyShape | None:
    """How often a rule runs per week on which weekdays; None for rules without weekdays."""
    parts = rule_parts(rrule)
    freq = parts.get("FREQ")
    interval = max(1, int(parts.get("INTERVAL", "1") or "1"))
    days: dict[str, float] = {}
    for item in filter(None, parts.get("BYDAY", "").split(",")):
        m = _NTH_DAY.match(item)
        if not m:
            return None
        days[m.group(2)] = days.get(m.group(2), 0) + 1
    if freq == "DAILY" and not days:
        days = dict.fromkeys(DAY_CODES, 1.0)
    if not days or freq not in ("DAILY", "WEEKLY", "MONTHLY"):
        return None
    per_week = 1 / interval
    if freq == "MONTHLY":
        # "1st & 3rd Wed": two Wednesdays a month, i.e. about 0.46 of all Wednesdays.
        occurrences = max(days.values())
        per_week = min(1.0, occurrences / _WEEKS_PER_MONTH) / interval
    ordered = ",".join(d for d in DAY_CODES if d in days)
    return WeeklyShape(f"FREQ=WEEKLY;BYDAY={ordered}", per_week)


def _clock(start: str) -> time | None:
    try:
        hours, minutes = (int(x) for x in start.split(":"))
        return time(hours % 24, minutes)
    except ValueError:
        return None


@lru_cache(maxsize=16384)
def _local_starts(
    rrule: str, start: str, tz: str, first: date, last: date, anchor: date | None
) -> tuple[datetime, ...]:
    """Aware starts of a rule on the chat's local dates first..last (inclusive)."""
    # occurrences brings numpy; imported here so `calendar parse` does not pay for it.
    from launchkit.domain.calendars.occurrences import expand_rule, from_minutes

    if _clock(start) is None:
        return ()
    try:
        minutes = expand_rule(rrule, start, 60, tz, first, last, anchor)
    except (ValueError, TypeError, KeyError):
        return ()
    zone = ZoneInfo(tz)
    return tuple(from_minutes(int(m)).astimezone(zone) for m in minutes)


def placeable(parse: ScheduleParse) -> bool:
    """True when a row has a zone and at least one session with a start time."""
    return parse.status != "unparsed" and bool(parse.tz) and any(s.start for s in parse.sessions)


def occurrences(
    parse: ScheduleParse, start: datetime, end: datetime, *, exact: bool = True
) -> list[tuple[datetime, SessionRule]]:
    """Sessions of one row starting in [start, end), as aware datetimes (any zone).

    `exact=False` ignores INTERVAL when the weeks are unknown, so a fortnightly chat without
    a known date shows its earliest possible session rather than a guessed one. A session
    in its own zone is expanded there.
    """
    if not placeable(parse) or parse.tz is None:
        return []
    found: list[tuple[datetime, SessionRule]] = []
    for session in parse.sessions:
        tz = session.tz or parse.tz
        try:
            zone = ZoneInfo(tz)
        except (ValueError, KeyError):
            continue
        if not session.start:
            continue
        # Expand two days wider than the window: offsets differ by up to 26 hours.
        first = start.astimezone(zone).date() - timedelta(days=2)
        last = end.astimezone(zone).date() + timedelta(days=2)
        known_weeks = exact or session.first is not None
        rule = session.rrule if known_weeks else re.sub(r";?INTERVAL=\d+", "", session.rrule)
        for moment in _local_starts(rule, session.start, tz, first, last, session.first):
            if start <= moment < end:
                found.append((moment, session))
    found.sort(key=lambda pair: pair[0])
    return found


def next_occurrence(parse: ScheduleParse, now: datetime) -> datetime | None:
    """The next session start at or after `now` (within ~6 weeks), or None."""
    found = occurrences(parse, now, now + timedelta(days=45), exact=False)
    return found[0][0] if found else None


@dataclass(frozen=True)
class WeekGrid:
    """Chats per hour of one week in the viewer's zone: counts[day][hour], Monday first."""

    tz: str
    week_start: datetime  # Monday 00:00 in the viewer's zone
    counts: tuple[tuple[float, ...], ...]
    placed: int  # rows counted
    skipped: int  # rows without a day, time or zone
    odd_rules: int  # rows whose rule has no weekdays (e.g. "the 15th of each month")


def week_start_of(now: datetime, viewer: ZoneInfo) -> datetime:
    """Monday 00:00 (viewer's zone) of the week that starts next after `now`; today if Monday."""
    local = now.astimezone(viewer)
    days_ahead = (7 - local.weekday()) % 7
    monday = local.date() + timedelta(days=days_ahead)
    return datetime.combine(monday, time(), tzinfo=viewer)


def week_grid(parses: Iterable[ScheduleParse], viewer_tz: str, week_start: datetime) -> WeekGrid:
    """Count chats in each hour of the week starting at `week_start` in `viewer_tz`.

    A fortnightly chat counts 0.5 and a monthly one by the share of weeks it runs in; a chat
    that spans several hours counts in each of them.
    """
    viewer = ZoneInfo(viewer_tz)
    start = week_start.astimezone(viewer)
    end = start + timedelta(days=7)
    counts = [[0.0] * 24 for _ in range(7)]
    placed = skipped = odd = 0
    for parse in parses:
        if not placeable(parse):
            skipped += 1
            continue
        counted = False
        for session in parse.sessions:
            shape = weekly_shape(session.rrule)
            if shape is None or not session.start:
                continue
            if session.first is not None:
                # A fortnightly chat with a known date runs this week or it does not.
                shape = WeeklyShape(session.rrule, 1.0)
            weekly = ScheduleParse(parse.status, parse.tz, (_as(session, shape.rrule),), ())
            for moment, rule in occurrences(weekly, start, end):
                _add(counts, moment.astimezone(viewer), rule.duration_min, shape.weight, start)
                counted = True
        if counted:
            placed += 1
        else:
            odd += 1
    frozen = tuple(tuple(round(c, 2) for c in day) for day in counts)
    return WeekGrid(viewer_tz, start, frozen, placed, skipped, odd)


def _as(session: SessionRule, rrule: str) -> SessionRule:
    return dataclasses.replace(session, rrule=rrule)


def _add(
    counts: list[list[float]], local: datetime, minutes: int, weight: float, start: datetime
) -> None:
    """Add `weight` to every hour cell the session overlaps (wrapping past Sunday night)."""
    offset_min = int((local - start).total_seconds() // 60)
    first_hour = offset_min // 60
    last_hour = (offset_min + max(1, minutes) - 1) // 60
    for hour in range(first_hour, last_hour + 1):
        slot = hour % (7 * 24)
        counts[slot // 24][slot % 24] += weight


def parse_slot(text: str) -> tuple[int, int]:
    """ "TU 20:00" / "tue 8" as (weekday Monday=0, hour); ValueError when unreadable."""
    written = text.strip()
    try:
        day, start = parse_day_time(written if ":" in written else written + ":00")
    except ValueError:
        raise ValueError(f"not a weekly slot: {text!r} (expected e.g. 'TU 20:00')") from None
    return DAY_CODES.index(day), int(start[:2])


def sessions_text(sessions: Sequence[SessionRule]) -> str:
    """A compact reading of sessions for tables ("TU 20:00 60m")."""
    out = []
    for s in sessions:
        parts = rule_parts(s.rrule)
        text = f"{parts.get('BYDAY', '?').replace(',', '/')} {s.start or '??:??'} {s.duration_min}m"
        if int(parts.get("INTERVAL", "1") or "1") > 1:
            text += f" every {parts['INTERVAL']} weeks" + (f" from {s.first}" if s.first else "")
        out.append(text + (f" ({s.tz})" if s.tz else ""))
    return "; ".join(out)
