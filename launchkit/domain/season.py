"""A chat's season: the sessions planned, after the host's shifts and cancellations (pure).

chat.yaml's rule gives the sessions; the host's changes (`schedule --shift`, `--cancel`,
`--sessions`, kept in the ledger) reshape them, and every output follows the result:

- a **shift** moves every session from one on by some days (`--shift 7d` postpones the
  season; `--shift 1d` moves it from Tuesdays to Wednesdays), sessions planned later too, so
  extending after a shift never puts two sessions on one day;
- a **cancellation** drops one session, named by the date the rule gives it, so it stays
  cancelled whatever moves later;
- a **move** (written by older launchkits) puts one session on another date.

The season is the first N sessions held (cancelled ones do not count), from the chat's first
session or a later date, and reaches at least every guest's session. A date in chat.yaml (a
guest's session, a `sessions:` entry) names a session by the date the rule gives it and
follows it when it moves; a date the rule does not give names the session held on it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from launchkit.domain.sessions import iter_sessions

if TYPE_CHECKING:
    from launchkit.domain.chat import Chat

__all__ = [
    "MAX_SESSIONS",
    "Season",
    "SeasonChanges",
    "SeasonError",
    "SeasonSession",
    "Shift",
    "find_session",
    "plan_season",
    "season_between",
]

# A guest booked years ahead (a typo, often) would plan hundreds of posts: past this many
# sessions the season stops and says which bookings it left out.
MAX_SESSIONS = 52


class SeasonError(ValueError):
    """The changes make no season (two sessions on one day)."""


@dataclass(frozen=True)
class Shift:
    """Sessions from `start` (the rule's date of the first one moved) on move by `days`."""

    start: date
    days: int


@dataclass(frozen=True)
class SeasonChanges:
    """What the host changed about the chat's sessions (the ledger keeps it)."""

    sessions: int | None = None  # how many sessions to plan (None: the default)
    start: date | None = None  # plan from the first session held on or after this day
    shifts: tuple[Shift, ...] = ()
    cancelled: frozenset[date] = frozenset()  # the rule's dates of cancelled sessions
    moved: Mapping[date, date] = field(default_factory=dict)  # rule's date -> date held

    def moved_to(self, original: date) -> date:
        """Where the session the rule gives for `original` is held, cancelled or not."""
        if original in self.moved:
            return self.moved[original]
        return original + timedelta(days=sum(s.days for s in self.shifts if s.start <= original))

    def is_moved(self, original: date) -> bool:
        """True when that session is not held on the rule's date."""
        return self.moved_to(original) != original


@dataclass(frozen=True)
class SeasonSession:
    """One session: the date the rule gives it, and its start where it is held."""

    original: date
    start: datetime  # aware, in the chat's zone

    @property
    def day(self) -> date:
        """The local date it is held on."""
        return self.start.date()


@dataclass(frozen=True)
class Season:
    """The sessions planned, and a chat whose dates agree with them."""

    chat: Chat  # guests, `sessions:` entries and the first session on the dates held
    sessions: tuple[SeasonSession, ...]  # held, in order
    cancelled: tuple[SeasonSession, ...]  # cancelled between the first and last planned
    following: datetime | None  # the session after the last planned one
    warnings: tuple[str, ...]

    @property
    def starts(self) -> list[datetime]:
        """The planned sessions' starts."""
        return [s.start for s in self.sessions]


def _occurrences(chat: Chat, changes: SeasonChanges) -> Iterator[tuple[SeasonSession, bool]]:
    """Each session of the rule where it is held, and whether it is cancelled."""
    for start in iter_sessions(chat):
        original = start.date()
        held = changes.moved_to(original)
        if held != original:
            wall = start.replace(tzinfo=None)
            start = datetime.combine(held, wall.time()).replace(tzinfo=start.tzinfo)
        yield SeasonSession(original, start), original in changes.cancelled


def _bookings(chat: Chat) -> list[tuple[date, str]]:
    """Every date chat.yaml books, with what booked it (for the messages)."""
    found = [(g.session, f"guest {g.name}") for g in chat.guests if g.session is not None]
    found += [(p.date, f"sessions: {p.date}") for p in chat.sessions]
    return found


def find_session(chat: Chat, changes: SeasonChanges, day: date) -> SeasonSession | None:
    """The session held (or, cancelled, that would be held) on `day`, if there is one."""
    for session, _ in _occurrences(chat, changes):
        if session.day == day:
            return session
        if session.original > day + timedelta(days=366) and session.day > day:
            return None
    return None


def plan_season(chat: Chat, changes: SeasonChanges, default_sessions: int) -> Season:
    """The season: `changes.sessions` (else `default_sessions`) sessions held, from
    `changes.start`, reaching every booked date; SeasonError when two fall on one day."""
    count = changes.sessions or default_sessions
    latest = max((d for d, _ in _bookings(chat)), default=None)
    held: list[SeasonSession] = []
    cancelled: list[SeasonSession] = []
    seen: set[date] = set()  # the rule's dates, up to where the season ends
    following = None
    capped = False
    for session, is_cancelled in _occurrences(chat, changes):
        seen.add(session.original)
        if changes.start is not None and session.day < changes.start:
            continue
        booked_later = latest is not None and min(session.original, session.day) <= latest
        if (len(held) >= count and not booked_later) or len(held) >= max(count, MAX_SESSIONS):
            if is_cancelled:
                continue  # the season ends at the next session held
            capped = len(held) >= count and booked_later
            following = session.start
            break
        (cancelled if is_cancelled else held).append(session)
    held.sort(key=lambda s: s.start)
    _refuse_clashes(held)
    if held:
        first, last = held[0].day, held[-1].day
        cancelled = [c for c in cancelled if first <= c.day <= last]
    planned_chat, warnings = _place_bookings(chat, changes, held, seen, capped)
    if len(held) > count:
        warnings.insert(
            0,
            f"{len(held)} sessions planned, not {count}: the season reaches every booked date "
            f"(the last on {latest})",
        )
    return Season(planned_chat, tuple(held), tuple(cancelled), following, tuple(warnings))


def season_between(chat: Chat, changes: SeasonChanges, since: date, until: date) -> Season:
    """The sessions held from `since` through `until` (dates held) under `changes`, however
    many: what `recap` looks through (SeasonError when two fall on one day)."""
    held: list[SeasonSession] = []
    cancelled: list[SeasonSession] = []
    seen: set[date] = set()
    following = None
    for session, is_cancelled in _occurrences(chat, changes):
        seen.add(session.original)
        if session.day < since:
            continue
        if session.day > until:
            if session.original > until and not is_cancelled:
                following = session.start
                break
            continue
        (cancelled if is_cancelled else held).append(session)
    held.sort(key=lambda s: s.start)
    _refuse_clashes(held)
    planned_chat, warnings = _place_bookings(chat, changes, held, seen, capped=False)
    return Season(planned_chat, tuple(held), tuple(cancelled), following, tuple(warnings))


def _refuse_clashes(held: list[SeasonSession]) -> None:
    for before, after in pairwise(held):
        if before.day == after.day:
            raise SeasonError(
                f"two sessions would fall on {after.day}: the ones the rule gives for "
                f"{before.original} and {after.original}"
            )


def _nearest(held: list[SeasonSession], day: date) -> SeasonSession | None:
    return min(held, key=lambda s: (abs((s.day - day).days), s.day < day), default=None)


def _place_bookings(
    chat: Chat,
    changes: SeasonChanges,
    held: list[SeasonSession],
    seen: set[date],
    capped: bool,
) -> tuple[Chat, list[str]]:
    """The chat with each booked date on the day its session is held; a line for each date
    that names no planned session, or that follows its session to another day."""
    by_original = {s.original: s for s in held}
    by_day = {s.day: s for s in held}
    warnings: list[str] = []
    if capped:
        warnings.append(
            f"the season stops at {MAX_SESSIONS} sessions ({held[-1].day}): bookings after "
            "it are not planned; check their dates in chat.yaml"
        )

    def place(day: date, what: str) -> date:
        session = by_original.get(day)
        if session is not None:
            if session.day != day:
                warnings.append(
                    f"{what} is booked for {day}: that session moved to {session.day} "
                    f"(`schedule --shift`), and {what} with it"
                )
            return session.day
        if day in changes.cancelled:
            moved = changes.moved_to(day)
            where = f" (held on {moved})" if moved != day else ""
            warnings.append(
                f"{what} is booked for {day}: that session{where} is cancelled "
                "(`schedule --cancel`), so nothing is planned for it"
            )
            return day
        if day in by_day:
            return day
        if day in seen and held and day < held[0].day:
            return day  # a session before the planned ones (already held, or not planned)
        nearest = _nearest(held, day)
        if capped and nearest is not None and day > nearest.day:
            return day  # said once above
        hint = f"; the nearest session is {nearest.day}" if nearest else ""
        warnings.append(
            f"{what} is booked for {day}, which is not a session date{hint}: nothing is "
            "planned for it until its date in chat.yaml is a session's"
        )
        return day

    guests = [
        g.model_copy(update={"session": place(g.session, f"guest {g.name}")})
        if g.session is not None
        else g
        for g in chat.guests
    ]
    plans = [
        p.model_copy(update={"date": place(p.date, f"sessions: {p.date}")}) for p in chat.sessions
    ]
    first = next((s.day for s, off in _occurrences(chat, changes) if not off), None)
    schedule = chat.schedule.model_copy(update={"first": first or chat.schedule.first})
    update = {"schedule": schedule, "guests": guests, "sessions": plans}
    return chat.model_copy(update=update), warnings
