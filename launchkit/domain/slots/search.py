"""Find open weekly (or fortnightly, monthly) slots for a new chat against a calendar.

Candidates start every `step_min` minutes on the allowed weekdays, recur by the cadence in the
host's zone over the horizon, and are converted to UTC session by session, exactly as the
calendar chats are. A candidate is scored by the chat sessions it overlaps (weighted by topic
closeness, see topics.py) per session it holds. A candidate that falls outside some audience
window in some weeks (clocks change on different dates in different zones) is kept, ranked
lower (DST_PENALTY per such session) and carries a warning naming those dates; one that is
outside in every week is dropped. When every candidate is dropped, the closest fits are
offered instead, each naming the zone it misses (fits.py); `slot_at` describes any one start,
fitting or not, as the wizard needs for a slot the host typed.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

import numpy as np
import numpy.typing as npt
from dateutil.rrule import rrulestr

from launchkit.domain.calendars.occurrences import (
    MINUTES_PER_DAY,
    EntryLike,
    Minutes,
    Occurrences,
    expand_entries,
    to_minutes,
    utc_from_local,
)
from launchkit.domain.slots.fits import (
    LocalTime,
    WindowMiss,
    closest_order,
    dst_warnings,
    local_runs,
    usual_time,
    window_conflicts,
    window_misses,
    zone_text,
)
from launchkit.domain.slots.scoring import AudienceWindow, ChatIndex, Floats, clock
from launchkit.domain.slots.topics import topic_weights
from launchkit.domain.weekdays import DAY_CODES

CADENCES = {
    "weekly": "FREQ=WEEKLY;BYDAY={day}",
    "fortnightly": "FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
    "monthly-1st": "FREQ=MONTHLY;BYDAY=1{day}",
    "monthly-2nd": "FREQ=MONTHLY;BYDAY=2{day}",
    "monthly-3rd": "FREQ=MONTHLY;BYDAY=3{day}",
    "monthly-4th": "FREQ=MONTHLY;BYDAY=4{day}",
    "monthly-last": "FREQ=MONTHLY;BYDAY=-1{day}",
}
# A session outside an audience window costs as much as two same-topic chats that week:
# the audience cannot come at all, rather than being split.
DST_PENALTY = 2.0
# When nothing fits: at most this many closest fits (each is described in full).
MAX_CLOSEST = 10


class CalendarChat(EntryLike, Protocol):
    """A calendar row as the slot search reads it (launchkit CalendarEntry fits)."""

    @property
    def hashtag(self) -> str | None: ...
    @property
    def name(self) -> str | None: ...
    @property
    def topic(self) -> str | None: ...


@dataclass(frozen=True)
class SlotQuery:
    """What the host asks for. `first_day` is the first local date (in `tz`) considered."""

    tz: str
    first_day: date
    audience: tuple[AudienceWindow, ...]
    days: tuple[str, ...] = DAY_CODES
    duration_min: int = 60
    cadence: str = "weekly"
    topic: str | None = None
    hashtag: str | None = None
    weeks: int = 12
    step_min: int = 30
    top: int = 5

    def __post_init__(self) -> None:
        if self.weeks < 1 or self.step_min < 1 or self.duration_min < 1 or self.top < 1:
            raise ValueError("weeks, step, duration and top must be at least 1")
        if self.cadence not in CADENCES:
            raise ValueError(f"unknown cadence {self.cadence!r}")
        if bad := [d for d in self.days if d not in DAY_CODES]:
            raise ValueError(f"unknown day codes {bad}")

    @property
    def last_day(self) -> date:
        """The last local date of the horizon."""
        return self.first_day + timedelta(days=7 * self.weeks - 1)


@dataclass(frozen=True)
class Slot:
    """One ranked slot. `score` is the weighted competition per session (0 = free)."""

    rank: int
    weekday: str  # "TU"
    start: str  # "20:00" in tz
    tz: str
    rrule: str
    score: float
    same_topic: int
    other: int
    overlaps: tuple[str, ...]  # overlapping chats by hashtag (name when none)
    local: dict[str, str]  # zone -> "Wed 01:00" (the usual week)
    warnings: tuple[str, ...]
    first: date = field(compare=False)  # date of the first session in the horizon
    # zone -> each local time the sessions have there, from its first date (clocks change)
    local_times: dict[str, tuple[LocalTime, ...]] = field(default_factory=dict, compare=False)
    misses: tuple[WindowMiss, ...] = ()  # audience windows some sessions fall outside
    # the calendar row (index into the chats searched) of each of `overlaps`
    overlap_rows: tuple[int, ...] = field(default=(), compare=False)

    def as_json(self) -> dict[str, object]:
        """The documented JSON object of `launchkit slots --json`."""
        return {
            "rank": self.rank,
            "weekday": self.weekday,
            "start": self.start,
            "tz": self.tz,
            "rrule": self.rrule,
            "score": self.score,
            "same_topic": self.same_topic,
            "other": self.other,
            "overlaps": list(self.overlaps),
            "local": dict(self.local),
            "local_times": {
                zone: [run.as_json() for run in runs] for zone, runs in self.local_times.items()
            },
            "misses": [miss.as_json() for miss in self.misses],
            "warnings": list(self.warnings),
        }

    def miss(self, zone: str) -> WindowMiss | None:
        """The audience window of `zone` this slot misses in some weeks, if any."""
        return next((m for m in self.misses if m.zone == zone), None)

    def when(self) -> str:
        """Every zone's local times, and the windows missed: "Tue 20:00 America/New_York =
        Wed 01:00 Europe/London (outside 09:00-22:00) = Wed 12:00 Australia/Sydney"."""
        return " = ".join(
            zone_text(zone, self.local_times.get(zone, ()), self.miss(zone)) for zone in self.local
        )


@dataclass(frozen=True)
class SlotResult:
    """Ranked slots and what the search was based on."""

    slots: tuple[Slot, ...]
    candidates: int  # starts considered on the allowed days
    in_window: int  # of those, inside every audience window in at least one week
    chats: int  # calendar rows given
    placed: int  # rows with at least one session in the horizon
    sessions: int  # chat sessions in the horizon
    skipped: tuple[int, ...]  # row indices with no placeable session
    every_week: tuple[str, ...]  # fortnightly chats on unknown weeks, counted every week
    # When no start fits every window: the closest fits, and the windows that share no hour.
    closest: tuple[Slot, ...] = ()
    conflicts: tuple[tuple[AudienceWindow, AudienceWindow], ...] = ()


def _label(chat: CalendarChat, index: int) -> str:
    return chat.hashtag or chat.name or f"row {index + 1}"


def _candidate_starts(query: SlotQuery) -> tuple[Minutes, Minutes, Minutes, list[date]]:
    """Every candidate session: (candidate id, UTC start, local day number), and first dates.

    Candidate id = day position * steps per day + step number. Local dates are expanded once
    per weekday; the times of day are added and converted to UTC in one vectorised step.
    """
    per_day = _per_day(query)
    offsets = np.arange(per_day, dtype=np.int64) * query.step_min
    ids, locals_, firsts = [], [], []
    end = datetime.combine(query.last_day, time())
    for position, day in enumerate(query.days):
        ahead = (DAY_CODES.index(day) - query.first_day.weekday()) % 7
        first = query.first_day + timedelta(days=ahead)
        # Fortnightly counts its weeks from the first matching date, so start there.
        begin = datetime.combine(
            first if query.cadence == "fortnightly" else query.first_day, time()
        )
        rule = rrulestr(CADENCES[query.cadence].format(day=day), dtstart=begin)
        dates = rule.between(begin, end, inc=True)
        firsts.append(dates[0].date() if dates else first)
        day_minutes = np.asarray([to_minutes(d.replace(tzinfo=UTC)) for d in dates], dtype=np.int64)
        grid = day_minutes[None, :] + offsets[:, None]  # (step, date)
        ids.append(np.repeat(position * per_day + np.arange(per_day, dtype=np.int64), len(dates)))
        locals_.append(grid.ravel())
    local = np.concatenate(locals_)
    cand = np.concatenate(ids)
    return cand, utc_from_local(query.tz, local), local // MINUTES_PER_DAY, firsts


def _per_day(query: SlotQuery) -> int:
    return -(-MINUTES_PER_DAY // query.step_min)


@dataclass(frozen=True)
class _Search:
    """Everything computed once per search, for describing the ranked candidates."""

    chats: Sequence[CalendarChat]
    query: SlotQuery
    index: ChatIndex
    chat_ends: Minutes
    chat_entry: Minutes
    same_topic: npt.NDArray[np.bool_]
    similarity: npt.NDArray[np.float64]
    every_week: frozenset[int]
    cand: Minutes
    starts: Minutes
    days: Minutes
    firsts: list[date]

    def describe(self, cid: int, rank: int, score: float) -> Slot:
        """The ranked slot for candidate `cid`, with its overlaps, local times and warnings."""
        query, per_day = self.query, _per_day(self.query)
        day = query.days[cid // per_day]
        mine = self.cand == cid
        starts, days = self.starts[mine], self.days[mine]
        entries: set[int] = set()
        for start in starts:
            found = self.index.overlapping(
                int(start), int(start) + query.duration_min, self.chat_ends
            )
            entries.update(int(e) for e in self.chat_entry[found])
        ordered = sorted(
            entries,
            key=lambda e: (not self.same_topic[e], -self.similarity[e], _label(self.chats[e], e)),
        )
        same = sum(1 for e in ordered if self.same_topic[e])
        rows: dict[str, int] = {}  # each overlapping chat's label and its first row
        for e in ordered:
            rows.setdefault(_label(self.chats[e], e), e)
        zones = dict.fromkeys([query.tz, *(w.zone for w in query.audience)])
        order = np.argsort(starts, kind="stable")
        starts, days = starts[order], days[order]
        warnings = dst_warnings(query.audience, query.duration_min, starts, days)
        warnings += [
            f"{_label(self.chats[e], e)} runs every other week on unknown weeks: counted every week"
            for e in ordered
            if e in self.every_week
        ]
        return Slot(
            rank=rank,
            weekday=day,
            start=clock(cid % per_day * query.step_min),
            tz=query.tz,
            rrule=CADENCES[query.cadence].format(day=day),
            score=round(score, 2),
            same_topic=same,
            other=len(ordered) - same,
            overlaps=tuple(rows),
            local={zone: usual_time(zone, starts) for zone in zones},
            warnings=tuple(warnings),
            first=self.firsts[cid // per_day],
            local_times={zone: local_runs(zone, starts) for zone in zones},
            misses=window_misses(query.audience, starts, query.duration_min),
            overlap_rows=tuple(rows.values()),
        )


def _prepare(chats: Sequence[CalendarChat], query: SlotQuery) -> tuple[_Search, Occurrences]:
    """The calendar's sessions and every candidate's, indexed once per search."""
    occ = expand_entries(chats, query.first_day, query.last_day)
    topics = topic_weights(
        [(c.hashtag, c.name, c.topic) for c in chats], query.topic, query.hashtag
    )
    index = ChatIndex.build(occ.starts, occ.ends, topics.weight[occ.entry])
    cand, starts, days, firsts = _candidate_starts(query)
    search = _Search(
        chats,
        query,
        index,
        occ.ends,
        occ.entry,
        topics.same_topic,
        topics.similarity,
        frozenset(occ.every_week),
        cand,
        starts,
        days,
        firsts,
    )
    return search, occ


def _scores(search: _Search) -> tuple[Floats, Floats, Floats]:
    """Per candidate: sessions, sessions outside some window, and the score (competition per
    session, plus DST_PENALTY for each session outside)."""
    query, cand, starts = search.query, search.cand, search.starts
    inside = np.ones(starts.size, dtype=np.bool_)
    for window in query.audience:
        inside &= window.contains(starts, query.duration_min)
    total = len(query.days) * _per_day(query)
    sessions = np.bincount(cand, minlength=total).astype(np.float64)
    outside = np.bincount(cand, weights=~inside, minlength=total).astype(np.float64)
    overlap = np.bincount(
        cand,
        weights=search.index.overlap_weight(starts, starts + query.duration_min),
        minlength=total,
    )
    score = (overlap + DST_PENALTY * outside) / np.maximum(sessions, 1)
    return sessions, outside, score


def find_open_slots(chats: Sequence[CalendarChat], query: SlotQuery) -> SlotResult:
    """Rank the candidate slots of `query` against the calendar `chats` (best first); when
    none fits every audience window in any week, the closest fits instead (`closest`)."""
    search, occ = _prepare(chats, query)
    sessions, outside, score = _scores(search)
    kept = np.flatnonzero((sessions > 0) & (outside < sessions))
    # Equal scores keep week order (ids grow with day, then time): deterministic output.
    ranked = kept[np.lexsort((kept, np.round(score[kept], 6)))][: query.top]
    slots = tuple(
        search.describe(int(cid), rank, float(score[cid])) for rank, cid in enumerate(ranked, 1)
    )
    closest: tuple[Slot, ...] = ()
    conflicts: list[tuple[AudienceWindow, AudienceWindow]] = []
    if kept.size == 0 and sessions.any():
        # Every session is outside a window, so the penalty is the same for all: rank and
        # show them by competition alone.
        competition = score - DST_PENALTY * outside / np.maximum(sessions, 1)
        order = closest_order(
            query.audience,
            search.cand,
            search.starts,
            query.duration_min,
            competition,
            _per_day(query),
        )
        closest = tuple(
            search.describe(cid, rank, float(competition[cid]))
            for rank, cid in enumerate(order[: min(query.top, MAX_CLOSEST)], 1)
        )
        conflicts = window_conflicts(query.audience, search.starts, query.duration_min)
    return SlotResult(
        slots=slots,
        candidates=len(sessions),
        in_window=int(kept.size),
        chats=len(chats),
        placed=len(chats) - len(occ.skipped),
        sessions=len(occ),
        skipped=occ.skipped,
        every_week=tuple(_label(chats[i], i) for i in occ.every_week),
        closest=closest,
        conflicts=tuple(conflicts),
    )


def slot_at(chats: Sequence[CalendarChat], query: SlotQuery, day: str, minute: int) -> Slot:
    """The slot that starts at `minute` after local midnight on `day`, described as the
    search describes its picks, whether or not it fits the audience windows."""
    step = math.gcd(minute % MINUTES_PER_DAY, MINUTES_PER_DAY)  # the start is on the grid
    one = dataclasses.replace(query, days=(day,), step_min=step, top=1)
    search, _ = _prepare(chats, one)
    _, _, score = _scores(search)
    cid = minute % MINUTES_PER_DAY // step
    return search.describe(cid, 1, float(score[cid]))
