"""When each network is read during the live room, and what it says about itself (pure).

A source reads the span from where it is covered (every post created before `covered` is in
the store) to now, politely: Mastodon's tag timeline every 15 s, Bluesky's search every 20 s,
X once a minute (each read is paid). Posts may be indexed a little late, so a read counts as
complete only up to `SETTLE` before its end, and the next read starts there: what that
overlap re-sends is shown once (the room keys posts by network and id). A read that fails
leaves `covered` where it was, so the first read after it catches up on everything missed;
it is retried after a backoff (domain/backoff.py: a 429 waits for the reset the server
named). A network that cannot be read at all (no credentials, refused) is "not checked".

Mastodon's hashtag stream, when it is connected, delivers posts as they come: the source is
then `live` and covered up to now; each (re)connection is followed by one catch-up read of
the span the stream could not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from launchkit.domain.backoff import RetryPolicy, backoff, rate_limit_wait
from launchkit.domain.recap.figures import Window
from launchkit.domain.timefmt import format_hour_minute

__all__ = ["POLL_EVERY", "RETRY", "SETTLE", "SourceState", "read_span"]

POLL_EVERY = {
    "mastodon": timedelta(seconds=15),
    "bluesky": timedelta(seconds=20),
    "x": timedelta(seconds=60),
}
SETTLE = timedelta(seconds=10)  # how late a post may be indexed; X wants end_time 10 s ago
RETRY = RetryPolicy()  # reads that fail: backoff from 2 s, a 429 until its reset, 5 min at most


@dataclass
class SourceState:
    """One network's reading: where it is covered, when it reads next, what it says."""

    network: str
    window: Window
    covered: datetime  # every post created before this was read
    next_read: datetime
    status: str = "waiting"  # waiting, polling, live, retrying, not checked
    detail: str = ""  # why not checked, or what went wrong
    failures: int = 0  # reads failed in a row
    stream_generation: int | None = None  # the stream connection the last catch-up was for
    recorded: datetime | None = None  # how far the store's captures reach (None: not yet)
    gap: bool = False  # a read was cut short: the window cannot be marked read whole

    @classmethod
    def start(cls, network: str, window: Window) -> SourceState:
        """A source that will read from the window's start."""
        return cls(network, window, window.start, window.start)

    def unrecorded(self) -> tuple[datetime, datetime] | None:
        """The span read whole since the captures were last recorded, if any (never after a
        read was cut short)."""
        since = self.recorded or self.window.start
        if self.gap or self.covered <= since:
            return None
        return since, self.covered

    @property
    def done(self) -> bool:
        """True once the whole window is read, or the network cannot be read."""
        return self.covered >= self.window.end or self.status == "not checked"

    def due(self, now: datetime) -> bool:
        """True when a read should be made now."""
        return not self.done and now >= self.next_read and now >= self.window.start

    def read_succeeded(self, end: datetime, now: datetime, streaming: bool = False) -> None:
        """A read of [covered, end) came back whole."""
        settled = end if end >= self.window.end and now >= end + SETTLE else end - SETTLE
        self.covered = max(self.covered, min(settled, self.window.end))
        self.failures, self.detail = 0, ""
        self.status = "live" if streaming else "polling"
        self.next_read = now + POLL_EVERY.get(self.network, timedelta(seconds=30))

    def stream_covers(self, now: datetime) -> None:
        """The stream has been connected since the last catch-up read: covered up to now."""
        self.covered = max(self.covered, min(now - SETTLE, self.window.end))
        self.status = "live"

    def read_failed(
        self,
        now: datetime,
        reason: str,
        *,
        rate_limited: bool = False,
        reset_at: datetime | None = None,
        policy: RetryPolicy = RETRY,
    ) -> timedelta:
        """A read failed in a way that may pass: try again after a bounded wait (returned)."""
        self.failures += 1
        if rate_limited:
            wait = rate_limit_wait(reset_at, now, self.failures, policy)
        else:
            wait = backoff(self.failures, policy.transient_base, policy.cap)
        self.next_read = now + wait
        self.status, self.detail = "retrying", reason
        return wait

    def label(self, zone: str) -> str:
        """What the source says about itself: "live", "polling", "retrying at 20:31:05 EST:
        reason", "not checked: reason", "waits for 19:50 EST", "read to the end"."""
        if self.status == "not checked":
            return f"not checked: {self.detail}"
        if self.done:
            return "read to the window's end"
        if self.status == "waiting":
            return f"waits for {format_hour_minute(self.window.start, zone)}"
        if self.status == "retrying":
            when = format_hour_minute(self.next_read, zone, seconds=True)
            return f"retrying at {when}: {self.detail}"
        return self.status + (f" ({self.detail})" if self.detail else "")

    def give_up(self, reason: str) -> None:
        """The network cannot be read (credentials, a refusal, a price not confirmed)."""
        self.status, self.detail = "not checked", reason


def read_span(state: SourceState, now: datetime) -> tuple[datetime, datetime]:
    """The span the next read asks for: from where the source is covered to now (never past
    the window's end)."""
    return state.covered, min(now, state.window.end)
