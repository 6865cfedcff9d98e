"""The vectorised arithmetic of the slot search: audience windows and weighted overlaps.

Chat sessions are [start, end) intervals in UTC minutes. A candidate session [s, e) overlaps
a chat session [cs, ce) iff cs < e and ce > s. Every chat with ce <= s also has cs < e, so

    weight of overlaps = W(chats with cs < e) - W(chats with ce <= s)

and both terms are a binary search into prefix sums over the chats sorted by start and by
end. That scores every candidate session against 100,000+ chat sessions without a Python loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from launchkit.domain.calendars.occurrences import MINUTES_PER_DAY, Minutes, local_minutes

Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class AudienceWindow:
    """Acceptable local hours for people in one zone; end < start wraps past midnight."""

    zone: str
    start: int  # minutes after local midnight
    end: int  # equal to start means the whole day

    @property
    def label(self) -> str:
        """'22:00-09:00'."""
        return f"{clock(self.start)}-{clock(self.end)}"

    def contains(self, utc_starts: Minutes, duration_min: int) -> npt.NDArray[np.bool_]:
        """Which sessions (UTC start minutes, all of one length) lie wholly inside the window."""
        span = (self.end - self.start) % MINUTES_PER_DAY or MINUTES_PER_DAY
        of_day = local_minutes(self.zone, utc_starts) % MINUTES_PER_DAY
        result: npt.NDArray[np.bool_] = (
            of_day - self.start
        ) % MINUTES_PER_DAY + duration_min <= span
        return result


def clock(minutes: int) -> str:
    """Minutes after midnight as 'HH:MM'."""
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class ChatIndex:
    """Chat sessions sorted for overlap queries, with each session's weight."""

    by_start: Minutes  # session indices ordered by start
    sorted_starts: Minutes
    sorted_ends: Minutes
    cum_by_start: Floats  # cum_by_start[k] = total weight of the first k sessions by start
    cum_by_end: Floats
    longest: int  # the longest session, in minutes (bounds the search for details)

    @classmethod
    def build(cls, starts: Minutes, ends: Minutes, weights: Floats) -> ChatIndex:
        """Index sessions [starts, ends) with per-session weights."""
        by_start = np.argsort(starts, kind="stable")
        by_end = np.argsort(ends, kind="stable")
        zero = np.zeros(1)
        return cls(
            by_start=by_start,
            sorted_starts=starts[by_start],
            sorted_ends=ends[by_end],
            cum_by_start=np.concatenate([zero, np.cumsum(weights[by_start])]),
            cum_by_end=np.concatenate([zero, np.cumsum(weights[by_end])]),
            longest=int((ends - starts).max()) if starts.size else 0,
        )

    def overlap_weight(self, starts: Minutes, ends: Minutes) -> Floats:
        """Total weight of the chat sessions overlapping each [start, end)."""
        begun = self.cum_by_start[np.searchsorted(self.sorted_starts, ends, side="left")]
        over = self.cum_by_end[np.searchsorted(self.sorted_ends, starts, side="right")]
        result: Floats = np.maximum(begun - over, 0.0)  # clamp float rounding below zero
        return result

    def overlapping(self, start: int, end: int, session_ends: Minutes) -> Minutes:
        """Indices of the chat sessions overlapping [start, end) (for the few ranked slots)."""
        lo = np.searchsorted(self.sorted_starts, start - self.longest, side="left")
        hi = np.searchsorted(self.sorted_starts, end, side="left")
        near = self.by_start[lo:hi]
        result: Minutes = near[session_ends[near] > start]
        return result
