"""Expanding a playbook over a chat's sessions into planned items with due times (pure).

How offsets are applied (see also domain/playbooks.py):

- day offsets (`-14d`, `-1d`) move the session's LOCAL start by whole calendar days in the
  chat's zone, so `-1d` before a 20:00 session is 20:00 local the day before, even when a
  daylight-saving change falls in between;
- hour and minute offsets (`-1h`, `+5m`) and `every` are elapsed time, added in UTC, so the
  `-1h` reminder is always exactly one hour before the start (19:00 local for a 20:00 chat).

Nothing here knows "now": an item already due is still planned; callers mark it late.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from launchkit.domain.chat import Chat, Guest
from launchkit.domain.items import ItemRef
from launchkit.domain.playbooks import Playbook, Step

__all__ = [
    "PlannedItem",
    "apply_offset",
    "group_by_session",
    "guests_for_session",
    "plan_sequence",
]


@dataclass(frozen=True)
class PlannedItem:
    """One post or email of the sequence, for one session, before it is rendered."""

    ref: ItemRef
    template: str
    due_local: datetime  # aware, in the chat's zone
    recipient: str | None  # email steps: the guest's (or host's) address; None for posts


def apply_offset(session_start: datetime, step: Step, repeat: int = 0) -> datetime:
    """The due time (UTC) of a step for a session start given in the chat's zone.

    `repeat` is the 0-based repetition; each adds `step.every` of elapsed time.
    """
    if step.offset.calendar_days:
        # Aware + timedelta is wall-clock arithmetic in Python: same local time, other day.
        base = (session_start + step.offset.delta).astimezone(UTC)
    else:
        base = session_start.astimezone(UTC) + step.offset.delta
    return base + step.every * repeat


def guests_for_session(chat: Chat, session: date) -> list[Guest]:
    """Guests of one session: those booked for its date; unbooked guests join the first one."""
    return [
        g
        for g in chat.all_guests
        if g.session == session or (g.session is None and session == chat.schedule.first)
    ]


def _applies(step: Step, session: date, first: date) -> bool:
    if step.sessions == "all":
        return True
    return (session == first) == (step.sessions == "first")


def _items_for(chat: Chat, step: Step, start: datetime) -> list[PlannedItem]:
    zone = ZoneInfo(chat.timezone)
    session = start.date()
    targets: list[tuple[int, str | None]]
    if step.each == "question":
        targets = [(n, None) for n in range(1, len(chat.questions_for(session)) + 1)]
    elif step.each == "guest":
        targets = [(n, g.email) for n, g in enumerate(guests_for_session(chat, session), 1)]
    else:
        targets = [(0, chat.host.email if step.channel == "email" else None)]
    items = []
    for index, recipient in targets:
        due = apply_offset(start, step, max(index - 1, 0))
        # A post step makes one item per network (the channel names it), an email one.
        for channel in step.networks(chat.networks):
            items.append(
                PlannedItem(
                    ItemRef(step.id, session, index, channel, due),
                    template=step.template,
                    due_local=due.astimezone(zone),
                    recipient=recipient,
                )
            )
    return items


def plan_sequence(
    chat: Chat, playbook: Playbook, sessions: Sequence[datetime]
) -> list[PlannedItem]:
    """Every item of `playbook` for each session start, sorted by due time (UTC) then key.

    `sessions` are aware starts in the chat's zone (from `session_starts`). A session counts
    as the first one when its local date is `schedule.first`.
    """
    zone = ZoneInfo(chat.timezone)
    items: list[PlannedItem] = []
    for raw_start in sessions:
        start = raw_start.astimezone(zone)
        for step in playbook.steps:
            if _applies(step, start.date(), chat.schedule.first):
                items.extend(_items_for(chat, step, start))
    order = {name: n for n, name in enumerate(chat.networks)}
    return sorted(items, key=lambda i: (i.ref.due_utc, i.ref.key, order.get(i.ref.channel, -1)))


def group_by_session(items: Sequence[PlannedItem]) -> dict[date, list[PlannedItem]]:
    """Items grouped by session date, in session order (for review sheets and timelines)."""
    grouped: dict[date, list[PlannedItem]] = {}
    for item in sorted(items, key=lambda i: (i.ref.session, i.ref.due_utc, i.ref.key)):
        grouped.setdefault(item.ref.session, []).append(item)
    return grouped
