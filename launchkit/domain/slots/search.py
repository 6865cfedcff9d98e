"""Find open weekly (or fortnightly, monthly) slots for a new chat against a calendar.

Candidates start every `step_min` minutes on the allowed weekdays, recur by the cadence in the
host's zone over the horizon, and are converted to UTC session by session, exactly as the
calendar chats are. A candidate is scored by the chat sessions it overlaps (weighted by topic
closeness, see topics.py) per session it holds. A candidate that falls outside some audience
window in some weeks (clocks change on different dates in different zones) is kept, ranked
lower (DST_PENALTY per such session) and carries a warning naming those dates; one that is
outside in every week is dropped.
"""

from __future__ import annotations

from collections import Counter
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
    expand_entries,
    local_date,
    local_minutes,
    to_minutes,
    utc_from_local,
    weekday_of,
)
from launchkit.domain.slots.scoring import AudienceWindow, ChatIndex, clock
from launchkit.domain.slots.topics import topic_weights
from launchkit.domain.weekdays import DAY_CODES, DAY_NAMES

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
            "warnings": list(self.warnings),
        }


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


def _day_clock(local: int) -> str:
    """Local wall-clock minutes as "Wed 01:00"."""
    weekday = int(weekday_of(np.asarray([local], dtype=np.int64))[0])
    return f"{DAY_NAMES[weekday]} {clock(local % MINUTES_PER_DAY)}"


def _usual(zone: str, starts: Minutes) -> str:
    """The most common local weekday and time of some sessions in a zone ("Wed 01:00")."""
    labels = [_day_clock(int(m)) for m in local_minutes(zone, starts)]
    return Counter(labels).most_common(1)[0][0] if labels else ""


def _dst_warnings(query: SlotQuery, starts: Minutes, days: Minutes) -> list[str]:
    """One warning per audience window and local time where sessions fall outside it."""
    warnings = []
    for window in query.audience:
        outside = ~window.contains(starts, query.duration_min)
        if not outside.any():
            continue
        local = local_minutes(window.zone, starts[outside])
        groups: dict[str, list[str]] = {}
        for minute, day in zip(local, days[outside], strict=True):
            when = local_date(int(day) * MINUTES_PER_DAY).isoformat()
            groups.setdefault(_day_clock(int(minute)), []).append(when)
        for label, dates in groups.items():
            warnings.append(
                f"on {', '.join(dates)} it starts {label} {window.zone}, outside "
                f"{window.label} there (clocks change on different dates)"
            )
    return warnings


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
        zones = dict.fromkeys([query.tz, *(w.zone for w in query.audience)])
        warnings = _dst_warnings(query, starts, days)
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
            overlaps=tuple(dict.fromkeys(_label(self.chats[e], e) for e in ordered)),
            local={zone: _usual(zone, starts) for zone in zones},
            warnings=tuple(warnings),
            first=self.firsts[cid // per_day],
        )


def find_open_slots(chats: Sequence[CalendarChat], query: SlotQuery) -> SlotResult:
    """Rank the candidate slots of `query` against the calendar `chats` (best first)."""
    occ = expand_entries(chats, query.first_day, query.last_day)
    topics = topic_weights(
        [(c.hashtag, c.name, c.topic) for c in chats], query.topic, query.hashtag
    )
    index = ChatIndex.build(occ.starts, occ.ends, topics.weight[occ.entry])
    cand, starts, days, firsts = _candidate_starts(query)
    inside = np.ones(starts.size, dtype=np.bool_)
    for window in query.audience:
        inside &= window.contains(starts, query.duration_min)
    total = len(query.days) * _per_day(query)
    sessions = np.bincount(cand, minlength=total)
    outside = np.bincount(cand, weights=~inside, minlength=total)
    overlap = np.bincount(
        cand, weights=index.overlap_weight(starts, starts + query.duration_min), minlength=total
    )
    score = (overlap + DST_PENALTY * outside) / np.maximum(sessions, 1)
    kept = np.flatnonzero((sessions > 0) & (outside < sessions))
    # Equal scores keep week order (ids grow with day, then time): deterministic output.
    ranked = kept[np.lexsort((kept, np.round(score[kept], 6)))][: query.top]
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
    slots = tuple(
        search.describe(int(cid), rank, float(score[cid])) for rank, cid in enumerate(ranked, 1)
    )
    return SlotResult(
        slots=slots,
        candidates=total,
        in_window=int(kept.size),
        chats=len(chats),
        placed=len(chats) - len(occ.skipped),
        sessions=len(occ),
        skipped=occ.skipped,
        every_week=tuple(_label(chats[i], i) for i in occ.every_week),
    )
