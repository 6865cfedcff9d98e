"""What a slot looks like from each audience zone: its local times through the searched weeks,
the windows it misses, and, when no start fits every window, the closest fits (pure).

Clocks change on different dates in different zones, so a Tuesday 19:00 New York chat is at
11:00, then 10:00, then 09:00 in Sydney within twelve weeks; `local_runs` lists each of those
times from the date it starts. A window a slot misses is named with how the slot looks there
("Wed 01:00 Europe/London, outside 09:00-22:00"), so a host can judge who is left out.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from launchkit.domain.calendars.occurrences import (
    MINUTES_PER_DAY,
    Minutes,
    local_date,
    local_minutes,
    weekday_of,
)
from launchkit.domain.slots.scoring import AudienceWindow, clock
from launchkit.domain.weekdays import DAY_NAMES

__all__ = [
    "LocalTime",
    "WindowMiss",
    "closest_order",
    "day_clock",
    "dst_warnings",
    "local_runs",
    "usual_time",
    "window_conflicts",
    "window_misses",
    "zone_text",
]


@dataclass(frozen=True)
class LocalTime:
    """A session's local weekday and time in one zone, from the date it first holds."""

    since: date  # the local date, in that zone, of the first session at this time
    label: str  # "Wed 11:00"

    def as_json(self) -> dict[str, str]:
        """{"from": "2027-03-17", "local": "Wed 10:00"}."""
        return {"from": self.since.isoformat(), "local": self.label}


@dataclass(frozen=True)
class WindowMiss:
    """An audience window some sessions of a slot fall outside."""

    zone: str
    window: str  # "09:00-22:00"
    local: str  # how the first session outside looks there: "Wed 01:00"
    outside: int  # sessions outside the window
    sessions: int  # sessions searched
    minutes: int  # how far the sessions outside are from fitting, on average

    @property
    def every_week(self) -> bool:
        """True when no session of the slot fits this window."""
        return self.outside == self.sessions

    def as_json(self) -> dict[str, object]:
        """The documented JSON object of a miss (`launchkit slots --json`, "misses")."""
        return {
            "zone": self.zone,
            "window": self.window,
            "local": self.local,
            "outside": self.outside,
            "sessions": self.sessions,
            "minutes": self.minutes,
        }


def day_clock(local: int) -> str:
    """Local wall-clock minutes as "Wed 01:00"."""
    weekday = int(weekday_of(np.asarray([local], dtype=np.int64))[0])
    return f"{DAY_NAMES[weekday]} {clock(local % MINUTES_PER_DAY)}"


def local_runs(zone: str, starts: Minutes) -> tuple[LocalTime, ...]:
    """Each local weekday and time the sessions (UTC minutes, in order) have in `zone`, from
    the first session that has it: one entry when the zone's clocks keep step."""
    runs: list[LocalTime] = []
    for minute in local_minutes(zone, starts):
        label = day_clock(int(minute))
        if not runs or runs[-1].label != label:
            runs.append(LocalTime(local_date(int(minute)), label))
    return tuple(runs)


def usual_time(zone: str, starts: Minutes) -> str:
    """The most common local weekday and time of some sessions in a zone ("Wed 01:00")."""
    labels = [day_clock(int(m)) for m in local_minutes(zone, starts)]
    return Counter(labels).most_common(1)[0][0] if labels else ""


def dst_warnings(
    windows: Sequence[AudienceWindow], duration_min: int, starts: Minutes, days: Minutes
) -> list[str]:
    """One warning per audience window and local time where some sessions fall outside it
    (clocks change on different dates); a window no session fits is a miss, not a warning.
    `days` are the sessions' local day numbers in the host's zone."""
    warnings = []
    for window in windows:
        outside = ~window.contains(starts, duration_min)
        if not outside.any() or outside.all():
            continue
        local = local_minutes(window.zone, starts[outside])
        groups: dict[str, list[str]] = {}
        for minute, day in zip(local, days[outside], strict=True):
            when = local_date(int(day) * MINUTES_PER_DAY).isoformat()
            groups.setdefault(day_clock(int(minute)), []).append(when)
        for label, dates in groups.items():
            warnings.append(
                f"on {', '.join(dates)} it starts {label} {window.zone}, outside "
                f"{window.label} there (clocks change on different dates)"
            )
    return warnings


def _run_text(previous: LocalTime, run: LocalTime) -> str:
    """ "from 17 Mar 10:00" (the weekday is said again only when it changes)."""
    day, _, time_of_day = run.label.partition(" ")
    same_day = previous.label.partition(" ")[0] == day
    when = (
        f"{run.since.day} {run.since:%b}" if same_day else f"{day} {run.since.day} {run.since:%b}"
    )
    return f"from {when} {time_of_day}"


def zone_text(zone: str, runs: Sequence[LocalTime], miss: WindowMiss | None = None) -> str:
    """How a slot reads in one zone: "Wed 12:00 Australia/Sydney (from 17 Mar 11:00)", with
    the window it misses: "Wed 01:00 Europe/London (outside 09:00-22:00)"."""
    notes = [_run_text(a, b) for a, b in itertools.pairwise(runs)]
    if miss is not None:
        when = "" if miss.every_week else f" in {miss.outside} of {miss.sessions} weeks"
        notes.insert(0, f"outside {miss.window}{when}")
    first = runs[0].label if runs else ""
    return f"{first} {zone}" + (f" ({'; '.join(notes)})" if notes else "")


def distances(window: AudienceWindow, starts: Minutes, duration_min: int) -> Minutes:
    """How many minutes each session would have to move to lie inside `window` (0: it does)."""
    span = (window.end - window.start) % MINUTES_PER_DAY or MINUTES_PER_DAY
    room = span - duration_min  # the starts that fit lie in [start, start + room]
    offset = (local_minutes(window.zone, starts) - window.start) % MINUTES_PER_DAY
    if room < 0:  # the chat is longer than the window: it never fits
        return np.full(starts.shape, MINUTES_PER_DAY, dtype=np.int64)
    late, early = offset - room, MINUTES_PER_DAY - offset
    result: Minutes = np.where(offset <= room, 0, np.minimum(late, early))
    return result


def window_misses(
    windows: Sequence[AudienceWindow], starts: Minutes, duration_min: int
) -> tuple[WindowMiss, ...]:
    """The windows some of one slot's sessions (UTC minutes, in order) fall outside."""
    found = []
    for window in windows:
        away = distances(window, starts, duration_min)
        outside = away > 0
        if not outside.any():
            continue
        first = int(local_minutes(window.zone, starts[outside][:1])[0])
        found.append(
            WindowMiss(
                zone=window.zone,
                window=window.label,
                local=day_clock(first),
                outside=int(outside.sum()),
                sessions=int(starts.size),
                minutes=round(float(away[outside].mean())),
            )
        )
    return tuple(found)


def window_conflicts(
    windows: Sequence[AudienceWindow], starts: Minutes, duration_min: int
) -> list[tuple[AudienceWindow, AudienceWindow]]:
    """The pairs of windows that no candidate session (UTC minutes) fits both of."""
    inside = [w.contains(starts, duration_min) for w in windows]
    return [
        (windows[a], windows[b])
        for a in range(len(windows))
        for b in range(a + 1, len(windows))
        if not (inside[a] & inside[b]).any()
    ]


def closest_order(
    windows: Sequence[AudienceWindow],
    cand: Minutes,
    starts: Minutes,
    duration_min: int,
    score: npt.NDArray[np.float64],
    per_day: int,
) -> list[int]:
    """Candidate ids from the closest fit down, for when none fits every window.

    Closest: fewest windows missed, then fewest minutes off on average, then least
    competition. Among those that miss the fewest windows, the first candidates each miss a
    different zone's window (one that leaves out London, one that leaves out Sydney...),
    then each of those on another weekday (candidate id // `per_day` is its weekday's
    position); the rest follow."""
    total = score.size
    counts = np.bincount(cand, minlength=total)
    sessions = np.maximum(counts, 1)
    missed = np.zeros(total, dtype=np.int64)
    off = np.zeros(total)
    zones_missed: list[npt.NDArray[np.bool_]] = []
    for window in windows:
        away = distances(window, starts, duration_min)
        per_candidate = np.bincount(cand, weights=away, minlength=total) / sessions
        zones_missed.append(per_candidate > 0)
        missed += per_candidate > 0
        off += per_candidate
    ids = np.flatnonzero(counts > 0)
    ranked = ids[np.lexsort((ids, np.round(score[ids], 6), np.round(off[ids], 3), missed[ids]))]
    fewest = int(missed[ranked[0]]) if ranked.size else 0
    order: dict[int, None] = {}
    for by_day in (False, True):
        seen: set[tuple[object, ...]] = set()
        for cid in ranked.tolist():
            if missed[cid] != fewest:
                break  # ranked by windows missed first: the rest miss more
            key = (tuple(bool(m[cid]) for m in zones_missed), cid // per_day if by_day else 0)
            if key not in seen:
                seen.add(key)
                order.setdefault(cid)
    order.update(dict.fromkeys(ranked.tolist()))
    return list(order)
