"""Which session a recap is about and which span of time it reads (pure; "now" is given).

The window runs from 10 minutes before the session starts to 60 minutes after it ends: early
arrivals say hello, late answers and thanks come in after the wrap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from launchkit.domain.recap.figures import Window

__all__ = ["AFTER", "BEFORE", "choose_session", "live_session", "session_window"]

BEFORE = timedelta(minutes=10)
AFTER = timedelta(minutes=60)


def session_window(start: datetime, duration: timedelta) -> Window:
    """The span a recap of the session starting at `start` reads."""
    return Window(start - BEFORE, start + duration + AFTER)


def choose_session(
    starts: Sequence[datetime], duration: timedelta, now: datetime, wanted: date | None
) -> datetime:
    """The start of session `wanted` (a local date), else of the latest that has ended.

    Raises ValueError with a message for a person: no such session, or none has ended yet.
    """
    if wanted is not None:
        for start in starts:
            if start.date() == wanted:
                if start > now:
                    raise ValueError(f"the session of {wanted} has not started yet")
                return start
        near = sorted(starts, key=lambda s: abs((s.date() - wanted).days))[:3]
        listed = ", ".join(s.date().isoformat() for s in sorted(near))
        raise ValueError(
            f"{wanted} is not a session of this chat" + (f" (nearest: {listed})" if listed else "")
        )
    ended = [s for s in starts if s + duration <= now]
    if not ended:
        raise ValueError("no session of this chat has ended yet")
    return max(ended)


def live_session(
    starts: Sequence[datetime],
    duration: timedelta,
    now: datetime,
    wanted: date | None,
    ahead: timedelta = timedelta(hours=12),
) -> datetime:
    """The start of the session a live room follows: session `wanted` (a local date) while
    its window has not closed, else the one whose window is open now, else the next one
    that starts within `ahead`.

    Raises ValueError with a message for a person (no such session, its window is over, the
    next session is further away).
    """
    if wanted is not None:
        for start in starts:
            if start.date() == wanted:
                if session_window(start, duration).end <= now:
                    raise ValueError(f"the session of {wanted} is over (recap it instead)")
                return start
        return choose_session(starts, duration, now, wanted)  # raises, naming the nearest
    for start in sorted(starts):
        if session_window(start, duration).end > now and start - now <= ahead:
            return start
    later = [s for s in starts if s > now]
    if later:
        raise ValueError(f"the next session is on {min(later).date()}: no session is near")
    raise ValueError("this chat has no session to come")
