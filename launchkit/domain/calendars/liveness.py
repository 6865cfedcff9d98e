"""Is a calendar chat still running? Judged from when its hashtag was last seen in use.

Pure: each live source (Mastodon, X, later Bluesky) reports a :class:`TagUse`; this module
turns those reports, the chat's cadence and "today" into `active`, `quiet`, `stale` or
`unknown`, with reasons a calendar keeper can read.

A source sees a limited past: X's recent counts cover 7 days, a Mastodon instance's tag
timeline goes back as far as the instance keeps posts. Only a source that can see 90 days
back can call a chat stale; a short-sighted one that saw nothing makes it `quiet` (look by
hand), never `stale`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from launchkit.domain.calendars.week import weekly_shape
from launchkit.domain.schedule import SessionRule

__all__ = ["STALE_AFTER_DAYS", "Liveness", "TagUse", "expected_gap_days", "judge_liveness"]

# No use of the tag in this many days: the chat has stopped (the definition).
STALE_AFTER_DAYS = 90
# A chat is active when its tag was used within two of its gaps (a missed week is normal),
# but never less than two weeks: sources report by the day and people post late.
_MIN_ACTIVE_DAYS = 14
# A chat whose cadence is unknown is given a month, so it is not called quiet too early.
_UNKNOWN_GAP_DAYS = 31

LiveVerdict = Literal["active", "quiet", "stale", "unknown"]


@dataclass(frozen=True)
class TagUse:
    """What one live source knows about a hashtag's use, or why it could not be checked.

    `last_seen` is the day (UTC) of the newest post seen with the tag; `uses` counts posts in
    the last `window_days` days when the source counts them. `window_days` is how far back
    the source can see (None: as far back as it keeps posts). `where` names the source for a
    person ("mastodon.social", "X").
    """

    service: str
    where: str
    checked: bool
    last_seen: date | None = None
    uses: int | None = None
    window_days: int | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        """A plain dict (for the lookup cache)."""
        return {
            "service": self.service,
            "where": self.where,
            "checked": self.checked,
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "uses": self.uses,
            "window_days": self.window_days,
            "reason": self.reason,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TagUse:
        """The inverse of :meth:`to_json`; KeyError/ValueError/TypeError when malformed."""
        seen = data["last_seen"]
        return cls(
            service=str(data["service"]),
            where=str(data["where"]),
            checked=bool(data["checked"]),
            last_seen=date.fromisoformat(seen) if seen else None,
            uses=None if data["uses"] is None else int(data["uses"]),
            window_days=None if data["window_days"] is None else int(data["window_days"]),
            reason=None if data["reason"] is None else str(data["reason"]),
        )

    @property
    def sees_stale_window(self) -> bool:
        """True when this source can see far enough back to call a tag stale."""
        return self.checked and (self.window_days is None or self.window_days >= STALE_AFTER_DAYS)


@dataclass(frozen=True)
class Liveness:
    """The live part of a row's audit: a verdict, why, and the newest use seen."""

    verdict: LiveVerdict
    reasons: tuple[str, ...]
    last_seen: date | None


def expected_gap_days(sessions: Sequence[SessionRule]) -> int:
    """Days between a chat's sessions: 7 weekly, 14 fortnightly, about 15 or 30 monthly."""
    gaps = []
    for session in sessions:
        shape = weekly_shape(session.rrule)
        if shape is not None and shape.weight > 0:
            days_per_week = len(shape.rrule.partition("BYDAY=")[2].split(","))
            gaps.append(round(7 / (shape.weight * days_per_week)))
    return max(1, min(gaps)) if gaps else _UNKNOWN_GAP_DAYS


def _ago(today: date, seen: date) -> str:
    days = (today - seen).days
    return "today" if days <= 0 else f"{days} day{'s' * (days != 1)} ago"


def judge_liveness(uses: Sequence[TagUse], gap_days: int, today: date) -> Liveness:
    """Judge a tag from every source's report (`uses`), for a chat meeting every `gap_days`."""
    checked = [u for u in uses if u.checked]
    not_checked = tuple(f"{u.where} not checked: {u.reason}" for u in uses if not u.checked)
    if not checked:
        return Liveness("unknown", not_checked or ("not checked live (add --live)",), None)
    seen_by = [u for u in checked if u.last_seen is not None]
    newest = max(seen_by, key=lambda u: u.last_seen or today, default=None)
    seen = newest.last_seen if newest else None
    active_days = min(STALE_AFTER_DAYS, max(_MIN_ACTIVE_DAYS, 2 * gap_days))
    if newest is not None and seen is not None:
        age = (today - seen).days
        where = f"last used on {newest.where} {seen.isoformat()} ({_ago(today, seen)})"
        if age <= active_days:
            return Liveness("active", (where, *not_checked), seen)
        if age <= STALE_AFTER_DAYS:
            expected = f"it should show up every {gap_days} days" if gap_days < 31 else ""
            why = f"{where}; {expected}" if expected else where
            return Liveness("quiet", (why, *not_checked), seen)
    far_sighted = [u for u in checked if u.sees_stale_window]
    if far_sighted:
        places = " or ".join(u.where for u in far_sighted)
        why = f"no use on {places} in the last {STALE_AFTER_DAYS} days"
        if seen is not None:
            why += f" (last used {seen.isoformat()})"
        return Liveness("stale", (why, *not_checked), seen)
    short = ", ".join(
        f"no use on {u.where} in the last {u.window_days} days" for u in checked if not u.last_seen
    )
    why = f"{short}; that source sees no further back, so look by hand"
    return Liveness("quiet", (why, *not_checked), seen)
