"""Posts on one network as a channel of the send loop (commands/sending.py).

- **Reconcile.** A row whose outcome is unknown (found in `sending`, a 5xx, a timeout, a
  duplicate refusal) is looked for among the account's own posts with the one rule of
  domain/reconcile.py: created after the row entered `sending`, with exactly its text, and
  not already another row's. On a network that writes each row at its own record key
  (Bluesky: `RecordKeyed`), the only candidate is the record at that key. Only a row
  certainly not posted is posted again; a lookup that fails leaves the row unknown, and
  credentials refused while looking stop that network alone.
- **Bounded waits.** Retries and rate-limit waits come from domain/backoff.py and go through
  the Waiter, which never sleeps past `--until` and announces long waits.
- **Identity.** Each request carries the row's `PostIdentity` (from the moment it entered
  `sending`), which makes a retry harmless on the networks that offer a way.

A network joins the loop as `PostChannel(network, make_publisher)` under its ledger channel
name (commands/post.py: `channels`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from launchkit.adapters.ledger import Item
from launchkit.adapters.publishing import (
    AuthFailed,
    CreditsDepleted,
    Duplicate,
    Publisher,
    PublishError,
    RateLimited,
    RecordKeyed,
    Transient,
)
from launchkit.commands.sending import Sender, Stop, crash_point
from launchkit.domain.backoff import RetryPolicy, backoff, rate_limit_wait
from launchkit.domain.reconcile import CLOCK_SKEW, find_own_post
from launchkit.errors import LaunchkitError, RemoteError

if TYPE_CHECKING:
    from launchkit.domain.networks.identity import OwnPost, PostIdentity

__all__ = ["PostChannel"]


def _identity(item: Item) -> PostIdentity:
    """The row as its network sees it (what makes a retry harmless on Mastodon and Bluesky)."""
    from launchkit.domain.networks.identity import PostIdentity

    assert item.sending_since is not None  # set by mark_sending
    return PostIdentity(item.chat, item.ref.key, item.ref.channel, item.sending_since)


@dataclass
class PostChannel:
    """Posts on `network` through the publisher `make_publisher(network)` builds on first use
    (with nothing due, no network client is ever imported)."""

    network: str
    make_publisher: Callable[[str], Publisher]
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    max_rate_wait: timedelta | None = timedelta(minutes=16)  # None: any (bounded by count)
    _publisher: Publisher | None = None

    def publisher(self) -> Publisher:
        if self._publisher is None:
            try:
                self._publisher = self.make_publisher(self.network)
            except LaunchkitError as exc:  # no credentials: this network stops, others go on
                raise Stop(exc) from None
        return self._publisher

    def close(self) -> None:
        """Publishers hold no connection between requests: nothing to let go of."""

    # -- rows left in `sending` ------------------------------------------------------------

    def settle(self, item: Item, sender: Sender) -> None:
        """Found among own posts → sent; certainly not posted → post it; else unknown."""
        if self._settled(item, sender, "was sent before an interruption", "could not look it up"):
            return
        self.send(item, sender)

    def _settled(self, item: Item, sender: Sender, found_why: str, unknown_why: str) -> bool:
        """Look the row's post up: found, it is recorded sent; the lookup failing, the row
        stays unknown (never sent blind: the next pass or run looks again). False when the
        post certainly does not exist."""
        try:
            found = self.reconcile(item, sender)
        except PublishError as exc:  # a 5xx, a rate limit, an answer it cannot read
            sender.report(item, "unknown", f"{unknown_why} ({exc})")
            return True
        if found is None:
            return False
        sender.report(self._found(item, found, sender), "found", found_why)
        return True

    def reconcile(self, item: Item, sender: Sender) -> OwnPost | None:
        """This row's post among the account's own, by the rule of domain/reconcile.py.
        Credentials refused while looking stop this network (Stop); other failures are the
        network's errors (PublishError)."""
        if item.sending_since is None:
            return None  # no moment to compare with: never guess
        publisher = self.publisher()
        try:
            if isinstance(publisher, RecordKeyed):
                own = publisher.find_post(_identity(item))
                posts = [own] if own is not None else []
            else:
                posts = publisher.own_posts_since(item.sending_since - CLOCK_SKEW)
        except (AuthFailed, CreditsDepleted) as exc:
            raise Stop(exc) from None
        claimed = sender.ledger.remote_ids(item.ref.channel) - {item.remote_id or ""}
        return find_own_post(item.text, item.sending_since, posts, claimed=claimed)

    def _found(self, item: Item, post: OwnPost, sender: Sender) -> Item:
        return sender.ledger.mark_sent(item, post.id, post.link)

    # -- one row ---------------------------------------------------------------------------

    def send(self, item: Item, sender: Sender) -> None:
        """Post one row; RowChanged (raised before the request) means a new plan changed it."""
        ledger = sender.ledger
        attempt = rate_waits = 0
        publisher = self.publisher()
        while True:
            item = ledger.mark_sending(item)
            crash_point("before_request")
            try:
                post_id, url = publisher.create_post(item.text, _identity(item))
            except Duplicate:
                self._settle_duplicate(item, sender)
                return
            except RateLimited as exc:
                item = ledger.mark_planned(item, "rate limited")
                rate_waits += 1
                self._wait_out(item, exc, rate_waits, sender)
                continue  # the guard in mark_sending sees any change made meanwhile
            except Transient as exc:
                attempt += 1
                found = self._lookup_quietly(item, sender)
                if found is not None:
                    sender.report(self._found(item, found, sender), "found", str(exc))
                    return
                if attempt >= self.policy.attempts:
                    sender.report(ledger.mark_failed(item, str(exc)), "failed", str(exc))
                    return
                wait = backoff(attempt, self.policy.transient_base, self.policy.cap)
                sender.waiter.wait(
                    wait, f"{exc}; trying again ({attempt + 1}/{self.policy.attempts})"
                )
                continue
            except (AuthFailed, CreditsDepleted) as exc:
                sender.report(ledger.mark_planned(item, str(exc)), "stopped", str(exc))
                raise Stop(exc) from None
            except PublishError as exc:
                sender.report(ledger.mark_failed(item, str(exc)), "failed", str(exc))
                return
            crash_point("after_request")
            item = ledger.mark_sent(item, post_id, url)
            crash_point("after_ledger_write")
            sender.report(item, "sent")
            return

    def _settle_duplicate(self, item: Item, sender: Sender) -> None:
        if self._settled(
            item, sender, "the network already had it", "a duplicate, and the lookup failed"
        ):
            return
        detail = (
            f"{item.ref.channel} refused it as a duplicate of an earlier post that is not this "
            "row's (made before it was sent); change its text and schedule again"
        )
        sender.report(sender.ledger.mark_failed(item, detail), "failed", detail)

    def _wait_out(self, item: Item, exc: RateLimited, count: int, sender: Sender) -> None:
        """Wait for a rate limit's reset when that is within every bound; else stop."""
        waiter = sender.waiter
        now = waiter.clock()
        wait = rate_limit_wait(exc.reset_at, now, count, self.policy)
        resume = (now + wait).astimezone(UTC)
        too_long = self.max_rate_wait is not None and wait > self.max_rate_wait
        if count > self.policy.rate_limit_waits or too_long or not waiter.fits(wait):
            why = (
                f"still limited after {count - 1} waits"
                if count > self.policy.rate_limit_waits
                else f"it resets at {waiter.moment_text(resume, date=True)}"
            )
            sender.report(item, "rate_limited", f"{exc.network} rate limit: {why}")
            raise Stop(
                RemoteError(
                    f"{exc.network} rate limit reached; {why}",
                    hint="the post stays planned; run `launchkit post` again later",
                )
            )
        waiter.wait(wait, f"{exc.network} rate limit; trying again at {waiter.moment_text(resume)}")

    def _lookup_quietly(self, item: Item, sender: Sender) -> OwnPost | None:
        # After a 5xx or a timeout the post may exist; look before retrying. If the lookup
        # fails too, the retry carries the row's identity (Mastodon's Idempotency-Key,
        # Bluesky's record key) and X's duplicate check still stops a second copy.
        try:
            return self.reconcile(item, sender)
        except PublishError:
            return None
