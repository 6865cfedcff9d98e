"""Days and moments of a schedule put together into RRULE sessions in the row's zone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from launchkit.domain.schedule import words as st
from launchkit.domain.schedule.model import SessionRule
from launchkit.domain.schedule.moments import Moment, shift_clock
from launchkit.domain.schedule.times import hhmm

Note = Callable[[str], None]
Pairs = list[tuple[list[st.DayMention], list[Moment]]]


def _day_key(group: Sequence[st.DayMention]) -> frozenset[tuple[str, tuple[int, ...]]]:
    return frozenset((code, d.ordinals) for d in group for code in d.days)


def pair(days: list[st.DayMention], moments: list[Moment], note: Note) -> Pairs:
    """Which times go with which days: "Mon 7pm and Thu 8pm" pairs in order; otherwise all
    days share all times ("Mondays and Thursdays at 7pm and 9pm"). Days said again later
    ("today, Thursday, at 1pm ET: she hosts it every Thursday") restate, not add."""
    if len(days) <= 1:
        return [(list(days), list(moments))]
    items: list[tuple[int, str, object]] = [(d.start, "d", d) for d in days]
    items += [(m.start, "m", m) for m in moments]
    items.sort(key=lambda x: x[0])
    groups: list[tuple[str, list[object]]] = []
    for _, kind, obj in items:
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(obj)
        else:
            groups.append((kind, [obj]))
    seen: list[frozenset[tuple[str, tuple[int, ...]]]] = []
    kept: list[tuple[str, list[object]]] = []
    for kind, group in groups:
        if kind == "d":
            key = _day_key(group)  # type: ignore[arg-type]
            if key in seen:
                continue
            seen.append(key)
        if kept and kept[-1][0] == kind:
            kept[-1][1].extend(group)
        else:
            kept.append((kind, list(group)))
    day_groups = [g for k, g in kept if k == "d"]
    time_groups = [g for k, g in kept if k == "m"]
    if len(time_groups) == 1 and len(day_groups) > 1 and kept[-1][0] == "d":
        # "Tuesday at 8pm ET and Thursday": does Thursday share the time? Unknown.
        note("it is unclear which time goes with which day")
    if len(day_groups) <= 1 or len(time_groups) <= 1 or len(day_groups) != len(time_groups):
        if len(day_groups) > 1 and len(time_groups) > 1:
            note("it is unclear which time goes with which day")
        kept_days = [d for g in day_groups for d in g]
        return [(kept_days, list(moments))]  # type: ignore[list-item]
    return [(dg, tg) for dg, tg in zip(day_groups, time_groups, strict=True)]  # type: ignore[misc]


def _byday(mentions: list[st.DayMention]) -> tuple[list[str], list[tuple[int, str]]]:
    weekly: set[str] = set()
    monthly: set[tuple[int, str]] = set()
    for d in mentions:
        for code in d.days:
            if d.ordinals:
                monthly.update((o, code) for o in d.ordinals)
            else:
                weekly.add(code)
    weekly_sorted = sorted(weekly, key=_DAY_ORDER.__getitem__)
    monthly_sorted = sorted(monthly, key=lambda oc: (_DAY_ORDER[oc[1]], oc[0] % 10))
    return weekly_sorted, monthly_sorted


_DAY_ORDER = {code: i for i, code in enumerate(st.WEEKDAYS)}


def _later(code: str, days: int) -> str:
    return st.WEEKDAYS[(_DAY_ORDER[code] + days) % 7]


def _hhmm(minute: int | None) -> str | None:
    return None if minute is None else hhmm(minute)


def build_sessions(
    pairs: Pairs,
    interval: int,
    length: int | None,
    tz: str | None,
    anchor: date | None,
    note: Note,
) -> list[SessionRule]:
    """Sessions in the row's zone `tz`. A session said in another zone is written in the row's
    zone when the two keep the same difference all year (US Eastern and Pacific); otherwise it
    keeps its own zone and the reading says so."""
    rules: list[SessionRule] = []
    for day_group, moment_group in pairs:
        weekly, monthly = _byday(day_group)
        options: list[Moment | None] = list(moment_group) or [None]
        for m in options:
            minute = m.minute if m is not None else None
            duration = (m.duration if m is not None else None) or length or 60
            if m is not None and m.duration and length and m.duration != length:
                note(f"the length said in words ({length} min) does not match the time range")
            own_zone, later = None, 0
            zone = m.zone if m is not None else None
            if zone is not None and zone.iana is None and tz in zone.candidates:
                zone = None  # "8pm IST" on a row whose zone column says Asia/Kolkata
            if zone is not None and zone.iana is None and tz is not None:
                note(zone.note)
                minute = None
            elif zone is not None and zone.iana and tz and zone.iana != tz and minute is not None:
                on = frozenset(_DAY_ORDER[c] for c in [*weekly, *(c for _, c in monthly)])
                shifted = shift_clock(minute, zone.iana, tz, on)
                if shifted is None or (monthly and shifted[1]):
                    own_zone = zone.iana
                    note(f"a session is in {zone.iana}, which cannot be written in {tz}")
                else:
                    minute, later = shifted
            rrules = []
            if weekly:
                if own_zone or not later:
                    ordered = weekly  # in week order already
                else:
                    ordered = sorted((_later(c, later) for c in weekly), key=_DAY_ORDER.__getitem__)
                every = f";INTERVAL={interval}" if interval > 1 else ""
                rrules.append(f"FREQ=WEEKLY{every};BYDAY={','.join(ordered)}")
            if monthly:
                items = ",".join(f"{o}{c}" for o, c in monthly)
                rrules.append(f"FREQ=MONTHLY;BYDAY={items}")
            start = _hhmm(minute)
            for rrule in rrules:
                first = anchor if interval > 1 and rrule.startswith("FREQ=WEEKLY") else None
                rule = SessionRule(rrule, start, duration, own_zone, first)
                if rule not in rules:
                    rules.append(rule)
    return rules


def _minutes(rule: SessionRule) -> int:
    hours, minutes = (rule.start or "0:0").split(":")
    return int(hours) * 60 + int(minutes)


def _days(rule: SessionRule) -> set[str]:
    return {item[-2:] for item in rule.rrule.rsplit("=", 1)[1].split(",")}


def check_overlap(sessions: list[SessionRule], note: Note) -> None:
    """Sessions that fall on each other: a weekly Wednesday plus a "last Wednesday" session
    (replace or add?), or "8pm ET, pre-chat at 7:45pm" (one chat or two?)."""
    if len(sessions) < 2:
        return
    weekly = {d for s in sessions if s.rrule.startswith("FREQ=WEEKLY;BYDAY") for d in _days(s)}
    for s in sessions:
        if s.rrule.startswith("FREQ=MONTHLY") and _days(s) & weekly:
            note("a monthly session falls on a weekly one's day: replaces or adds?")
    for i, a in enumerate(sessions):
        for b in sessions[i + 1 :]:
            if not (a.start and b.start and a.tz == b.tz and a.rrule == b.rrule):
                continue
            gap = (_minutes(b) - _minutes(a)) % (24 * 60)
            if gap < a.duration_min or (24 * 60 - gap) < b.duration_min:
                note(f"two sessions overlap ({a.start} and {b.start}): one chat or two?")
