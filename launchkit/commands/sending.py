"""The send loop's core: one item through planned → sending → sent | failed, on any network.

- **Row guard.** Every state change names the row version it read (adapters/ledger.py); when
  a new plan changed or cancelled the row meanwhile, `RowChanged` ends the attempt before
  anything goes out, and the caller reads the plan again.
- **Reconcile.** A row whose outcome is unknown (found in `sending`, a 5xx, a timeout, a
  duplicate refusal) is looked for among the account's own posts with the one rule of
  domain/reconcile.py: created after the row entered `sending`, with exactly its text, and
  not already another row's.
- **Bounded waits.** Retries and rate-limit waits come from domain/backoff.py and go through
  the Waiter, which never sleeps past `--until` and announces long waits.

The caller (commands/post.py) decides what is due and holds the lock while this runs.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Literal

from launchkit.adapters.ledger import Item, Ledger, RowChanged
from launchkit.adapters.publishing import (
    AuthFailed,
    CreditsDepleted,
    Duplicate,
    Publisher,
    PublishError,
    RateLimited,
    Transient,
)
from launchkit.commands.outcomes import Failure
from launchkit.commands.waiter import Waiter
from launchkit.domain.backoff import RetryPolicy, backoff, rate_limit_wait
from launchkit.domain.items import ItemRef
from launchkit.domain.reconcile import CLOCK_SKEW, find_own_post
from launchkit.errors import LaunchkitError, RemoteError

if TYPE_CHECKING:
    from launchkit.domain.networks.identity import OwnPost, PostIdentity

__all__ = ["CRASH_ENV", "Outcome", "PostResult", "Sender", "Stop", "crash_point"]

# `unknown`: the row stays in `sending` (its outcome could not be checked); the next run looks.
Outcome = Literal["sent", "found", "late", "failed", "rate_limited", "stopped", "unknown"]
CRASH_ENV = "LAUNCHKIT_TEST_CRASH_AT"
# How often one pass reads the plan again after a row changed under it before giving up
# for this pass (the next pass, or the next run, goes on).
MAX_RESCANS = 20


@dataclass(frozen=True)
class PostResult:
    """What happened to one item in this run."""

    ref: ItemRef
    text: str
    outcome: Outcome
    remote_id: str | None = None
    url: str | None = None
    detail: str | None = None


class Stop(Exception):
    """The run cannot go on (credentials refused, credits gone, a rate limit past --until)."""

    def __init__(self, error: LaunchkitError) -> None:
        super().__init__(error.message)
        self.error = error


_crash_counts: dict[str, int] = {}


def crash_point(name: str) -> None:
    """A test seam: SIGKILL this process at `name` when LAUNCHKIT_TEST_CRASH_AT says so.

    The variable holds `point` or `point:N` (the N-th time the point is reached). Unset, as in
    every normal run, this does nothing.
    """
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    point, _, nth = spec.partition(":")
    if point != name:
        return
    _crash_counts[name] = _crash_counts.get(name, 0) + 1
    if _crash_counts[name] == int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)


def _identity(item: Item) -> PostIdentity:
    """The row as its network sees it (what makes a retry harmless on Mastodon and Bluesky)."""
    from launchkit.domain.networks.identity import PostIdentity

    assert item.sending_since is not None  # set by mark_sending
    return PostIdentity(item.chat, item.ref.key, item.ref.channel, item.sending_since)


@dataclass
class Sender:
    """Sends the rows of `channels` through their publishers; collects what happened."""

    ledger: Ledger
    make_publisher: Callable[[str], Publisher]  # network name -> publisher
    waiter: Waiter
    channels: Sequence[str] = ("x",)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    late_grace: timedelta = timedelta(minutes=30)
    late_ok: bool = False
    max_rate_wait: timedelta | None = timedelta(minutes=16)  # None: any (bounded by count)
    # Gives a due row its final text right before it is sent (post --watch's recap hook);
    # returns the row as the ledger now holds it.
    prepare: Callable[[Item], Item] | None = None
    results: list[PostResult] = field(default_factory=list)
    _publishers: dict[str, Publisher] = field(default_factory=dict)

    def publisher(self, channel: str) -> Publisher:
        # Built on first use: with nothing due, no network client is ever imported.
        if channel not in self._publishers:
            self._publishers[channel] = self.make_publisher(channel)
        return self._publishers[channel]

    def report(self, item: Item, outcome: Outcome, detail: str | None = None) -> None:
        self.results.append(
            PostResult(item.ref, item.text, outcome, item.remote_id, item.url, detail)
        )

    # -- what there is to do ------------------------------------------------------------

    def rows(self, *states: str) -> list[Item]:
        return [i for c in self.channels for i in self.ledger.items(states, c)]  # type: ignore[arg-type]

    def has_work(self, now: datetime, retry_failed: bool = False) -> bool:
        """Rows to settle or send now (read without the lock: the pass reads them again)."""
        wanted = ("sending", "planned", "failed") if retry_failed else ("sending", "planned")
        return any(i.state != "planned" or i.ref.due_utc <= now for i in self.rows(*wanted))

    def failures(self) -> list[Failure]:
        """Every row of these channels left failed, with why."""
        return [Failure(i.ref, i.text, i.error or "unknown error") for i in self.rows("failed")]

    def next_due(self, now: datetime) -> datetime | None:
        return min(
            (i.ref.due_utc for i in self.rows("planned") if i.ref.due_utc > now), default=None
        )

    # -- one pass ------------------------------------------------------------------------

    def requeue_failed(self) -> None:
        """--retry-failed: failed rows go back to planned (then the usual rules apply)."""
        for item in self.rows("failed"):
            try:
                self.ledger.mark_planned(item, f"retried after: {item.error}")
            except RowChanged:
                continue  # a new plan already put it back

    def resolve_unknown(self) -> None:
        """Settle rows left in `sending`: found among own posts → sent; else send again."""
        for item in self.rows("sending"):
            try:
                found = self.reconcile(item)
            except Transient as exc:
                # Never sent blind: it stays unknown until a lookup can say (next pass or run).
                self.report(item, "unknown", f"could not look it up ({exc})")
                continue
            if found is not None:
                item = self._found(item, found)
                self.report(item, "found", "was sent before an interruption")
            else:
                self.send(item)

    def pass_over_due(self, now: Callable[[], datetime], skipped_late: set[str]) -> None:
        """Send everything planned and due; report (once) what is too late to send.

        The plan is read again whenever a row turns out to have changed under us.
        """
        for _ in range(MAX_RESCANS):
            try:
                self._send_due(now(), skipped_late)
                return
            except RowChanged:
                continue

    def _send_due(self, now: datetime, skipped_late: set[str]) -> None:
        due = sorted(
            (i for i in self.rows("planned") if i.ref.due_utc <= now),
            key=lambda i: (i.ref.due_utc, i.ref.key),
        )
        for item in due:
            late_by = now - item.ref.due_utc
            if late_by > self.late_grace and not self.late_ok:
                if item.ref.key not in skipped_late:
                    skipped_late.add(item.ref.key)
                    minutes = int(late_by.total_seconds() // 60)
                    self.report(item, "late", f"{minutes} min late; use --late-ok to send")
                continue
            if self.prepare is not None:
                item = self.prepare(item)
            self.send(item)

    # -- one item ------------------------------------------------------------------------

    def reconcile(self, item: Item) -> OwnPost | None:
        """This row's post among the account's own, by the rule of domain/reconcile.py."""
        if item.sending_since is None:
            return None  # no moment to compare with: never guess
        publisher = self.publisher(item.ref.channel)
        posts = publisher.own_posts_since(item.sending_since - CLOCK_SKEW)
        claimed = self.ledger.remote_ids(item.ref.channel) - {item.remote_id or ""}
        return find_own_post(item.text, item.sending_since, posts, claimed=claimed)

    def _found(self, item: Item, post: OwnPost) -> Item:
        return self.ledger.mark_sent(item, post.id, post.link)

    def send(self, item: Item) -> None:
        """Send one item through planned → sending → sent | failed.

        RowChanged (raised before the request) means a new plan changed the row: nothing
        was sent, and the caller reads the plan again.
        """
        network = item.ref.channel
        attempt = rate_waits = 0
        while True:
            item = self.ledger.mark_sending(item)
            crash_point("before_request")
            try:
                post_id, url = self.publisher(network).create_post(item.text, _identity(item))
            except Duplicate:
                self._settle_duplicate(item)
                return
            except RateLimited as exc:
                item = self.ledger.mark_planned(item, "rate limited")
                rate_waits += 1
                self._wait_out(item, exc, rate_waits)
                continue  # the guard in mark_sending sees any change made meanwhile
            except Transient as exc:
                attempt += 1
                found = self._lookup_quietly(item)
                if found is not None:
                    self.report(self._found(item, found), "found", str(exc))
                    return
                if attempt >= self.policy.attempts:
                    self.report(self.ledger.mark_failed(item, str(exc)), "failed", str(exc))
                    return
                wait = backoff(attempt, self.policy.transient_base, self.policy.cap)
                self.waiter.wait(
                    wait, f"{exc}; trying again ({attempt + 1}/{self.policy.attempts})"
                )
                continue
            except (AuthFailed, CreditsDepleted) as exc:
                self.report(self.ledger.mark_planned(item, str(exc)), "stopped", str(exc))
                raise Stop(exc) from None
            except PublishError as exc:
                self.report(self.ledger.mark_failed(item, str(exc)), "failed", str(exc))
                return
            crash_point("after_request")
            item = self.ledger.mark_sent(item, post_id, url)
            crash_point("after_ledger_write")
            self.report(item, "sent")
            return

    def _settle_duplicate(self, item: Item) -> None:
        try:
            found = self.reconcile(item)
        except Transient as exc:
            self.report(item, "unknown", f"a duplicate, and the lookup failed ({exc})")
            return
        if found is not None:
            self.report(self._found(item, found), "found", "the network already had it")
            return
        detail = (
            f"{item.ref.channel} refused it as a duplicate of an earlier post that is not this "
            "row's (made before it was sent); change its text and schedule again"
        )
        self.report(self.ledger.mark_failed(item, detail), "failed", detail)

    def _wait_out(self, item: Item, exc: RateLimited, count: int) -> None:
        """Wait for a rate limit's reset when that is within every bound; else stop the run."""
        now = self.waiter.clock()
        wait = rate_limit_wait(exc.reset_at, now, count, self.policy)
        resume = (now + wait).astimezone(UTC)
        too_long = self.max_rate_wait is not None and wait > self.max_rate_wait
        if count > self.policy.rate_limit_waits or too_long or not self.waiter.fits(wait):
            why = (
                f"still limited after {count - 1} waits"
                if count > self.policy.rate_limit_waits
                else f"it resets at {resume:%Y-%m-%d %H:%M} UTC"
            )
            self.report(item, "rate_limited", f"{exc.network} rate limit: {why}")
            raise Stop(
                RemoteError(
                    f"{exc.network} rate limit reached; {why}",
                    hint="the post stays planned; run `launchkit post` again later",
                )
            )
        self.waiter.wait(wait, f"{exc.network} rate limit; trying again at {resume:%H:%M:%S} UTC")

    def _lookup_quietly(self, item: Item) -> OwnPost | None:
        # After a 5xx or a timeout the post may exist; look before retrying. If the lookup
        # fails too, the network's duplicate check still stops a second copy.
        try:
            return self.reconcile(item)
        except Transient:
            return None
