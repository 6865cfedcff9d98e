"""Which session a recap is about and which span of time it reads (pure; "now" is given).

The window runs from 10 minutes before the session starts to 60 minutes after it ends: early
arrivals say hello, late answers and thanks come in after the wrap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from launchkit.domain.recap.figures import Window

__all__ = ["AFTER", "BEFORE", "choose_session", "session_window"]

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
