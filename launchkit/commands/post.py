"""`launchkit post`: send every due post, in due order, exactly once.

The ledger row goes to `sending` (committed) before the request and to `sent` after it, so a
row found in `sending` had an unknown outcome: it is looked up among the account's own recent
posts before anything is sent again. X's duplicate-content 403 is handled the same way.
Clock, sleep and the publisher are parameters, so tests drive time and the network.
"""

from __future__ import annotations

import html
import os
import re
import signal
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from launchkit.adapters.ledger import Item, Ledger
from launchkit.adapters.publishing import (
    MAX_RECENT,
    AuthFailed,
    CreditsDepleted,
    Duplicate,
    Publisher,
    PublishError,
    RateLimited,
    Transient,
)
from launchkit.domain.items import ItemRef
from launchkit.errors import LaunchkitError, RemoteError

Outcome = Literal["sent", "found", "late", "failed", "rate_limited", "stopped"]
CRASH_ENV = "LAUNCHKIT_TEST_CRASH_AT"


@dataclass(frozen=True)
class PostOptions:
    """How a run behaves; the defaults are what cron gets."""

    late_ok: bool = False
    late_grace: timedelta = timedelta(minutes=30)
    watch: bool = False
    until: datetime | None = None
    max_attempts: int = 4  # tries per post on 5xx / connection errors
    max_rate_wait: timedelta = timedelta(minutes=16)  # X's windows are 15 minutes
    idle_poll: timedelta = timedelta(minutes=1)  # --watch with nothing planned


@dataclass(frozen=True)
class PostResult:
    """What happened to one item in this run."""

    ref: ItemRef
    text: str
    outcome: Outcome
    remote_id: str | None = None
    url: str | None = None
    detail: str | None = None


@dataclass(frozen=True)
class PostRun:
    """The result of `launchkit post`."""

    results: tuple[PostResult, ...]
    next_due: datetime | None
    stopped: str | None = None  # why the run ended early (an error the CLI reports)
    hint: str | None = None

    @property
    def sent(self) -> int:
        """How many posts went out (or were confirmed to exist) in this run."""
        return sum(r.outcome in ("sent", "found") for r in self.results)


class _Stop(Exception):
    def __init__(self, error: LaunchkitError) -> None:
        super().__init__(error.message)
        self.error = error


def normalize(text: str) -> str:
    """Text as X gives it back: entities decoded, links shortened, spacing collapsed."""
    text = re.sub(r"https?://\S+", "<url>", html.unescape(text))
    return " ".join(text.split())


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


@dataclass
class _Sender:
    ledger: Ledger
    make_publisher: Callable[[str], Publisher]  # network name -> publisher
    options: PostOptions
    clock: Callable[[], datetime]
    sleep: Callable[[float], None]
    results: list[PostResult] = field(default_factory=list)
    _publisher: Publisher | None = None

    @property
    def publisher(self) -> Publisher:
        # Built on first use: with nothing due, tweepy is never imported.
        if self._publisher is None:
            self._publisher = self.make_publisher("x")
        return self._publisher

    def report(self, item: Item, outcome: Outcome, detail: str | None = None) -> None:
        self.results.append(
            PostResult(item.ref, item.text, outcome, item.remote_id, item.url, detail)
        )

    def find_posted(self, item: Item) -> tuple[str, str] | None:
        """The id of an own recent post with the item's text, if there is one."""
        wanted = normalize(item.text)
        for post_id, text in self.publisher.recent_own_posts(MAX_RECENT):
            if normalize(text) == wanted:
                return post_id, self.publisher.link(post_id)
        return None

    def resolve_unknown(self) -> None:
        """Settle rows left in `sending` by a crash: found → sent; not found → send now."""
        for item in self.ledger.items(("sending",), "x"):
            found = self.find_posted(item)
            if found is not None:
                item = self.ledger.mark_sent(item, *found)
                self.report(item, "found", "was sent before an interruption")
            else:
                self.send(item)

    def wait_for_reset(self, item: Item, exc: RateLimited) -> None:
        """Sleep until X's reset when that fits the run; otherwise stop, leaving it planned."""
        now = self.clock()
        reset = (
            datetime.fromtimestamp(exc.reset_epoch, UTC)
            if exc.reset_epoch is not None
            else now + timedelta(minutes=1)
        )
        limit = self.options.until or (
            None if self.options.watch else now + self.options.max_rate_wait
        )
        if limit is not None and reset > limit:
            self.report(item, "rate_limited", f"X rate limit resets at {reset:%H:%M} UTC")
            raise _Stop(
                RemoteError(
                    f"X rate limit reached; it resets at {reset:%Y-%m-%d %H:%M} UTC",
                    hint="the post stays planned; run `launchkit post` again after the reset",
                )
            )
        self.sleep(max((reset - now).total_seconds(), 0) + 1)

    def send(self, item: Item) -> None:
        """Send one item through planned → sending → sent | failed."""
        attempt = 0
        while True:
            item = self.ledger.mark_sending(item)
            crash_point("before_request")
            try:
                post_id, url = self.publisher.create_post(item.text)
            except Duplicate:
                found = self.find_posted(item)
                if found is not None:
                    item = self.ledger.mark_sent(item, *found)
                    self.report(item, "found", "X already had it (duplicate)")
                else:
                    detail = "X calls it a duplicate of a post that is not among recent ones"
                    self.report(self.ledger.mark_failed(item, detail), "failed", detail)
                return
            except RateLimited as exc:
                item = self.ledger.mark_planned(item, "rate limited")
                self.wait_for_reset(item, exc)
                continue
            except Transient as exc:
                attempt += 1
                found = self._lookup_quietly(item)
                if found is not None:
                    self.report(self.ledger.mark_sent(item, *found), "found", str(exc))
                    return
                if attempt >= self.options.max_attempts:
                    self.report(self.ledger.mark_failed(item, str(exc)), "failed", str(exc))
                    return
                self.sleep(min(2.0**attempt, 60.0))
                continue
            except (AuthFailed, CreditsDepleted) as exc:
                self.report(self.ledger.mark_planned(item, str(exc)), "stopped", str(exc))
                raise _Stop(exc) from None
            except PublishError as exc:
                self.report(self.ledger.mark_failed(item, str(exc)), "failed", str(exc))
                return
            crash_point("after_request")
            item = self.ledger.mark_sent(item, post_id, url)
            crash_point("after_ledger_write")
            self.report(item, "sent")
            return

    def _lookup_quietly(self, item: Item) -> tuple[str, str] | None:
        # After a 5xx or a timeout the post may exist; look before retrying. If the lookup
        # fails too, X's duplicate-content check still stops a second copy.
        try:
            return self.find_posted(item)
        except Transient:
            return None

    def pass_over_due(self, skipped_late: set[str]) -> None:
        """Send everything planned and due now; report (once) what is too late to send."""
        now = self.clock()
        for item in self.ledger.items(("planned",), "x"):
            if item.ref.due_utc > now:
                break
            late_by = now - item.ref.due_utc
            if late_by > self.options.late_grace and not self.options.late_ok:
                if item.ref.key not in skipped_late:
                    skipped_late.add(item.ref.key)
                    minutes = int(late_by.total_seconds() // 60)
                    self.report(item, "late", f"{minutes} min late; use --late-ok to send")
                continue
            self.send(item)

    def next_due(self) -> datetime | None:
        now = self.clock()
        upcoming = [
            i.ref.due_utc for i in self.ledger.items(("planned",), "x") if i.ref.due_utc > now
        ]
        return min(upcoming, default=None)


def run(
    ledger: Ledger,
    make_publisher: Callable[[str], Publisher],
    options: PostOptions | None = None,
    clock: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> PostRun:
    """Send what is due; with `options.watch`, keep going until `options.until` or Ctrl-C."""
    import time

    options = options or PostOptions()
    sender = _Sender(
        ledger,
        make_publisher,
        options,
        clock or (lambda: datetime.now(UTC)),
        sleep or time.sleep,
    )
    skipped_late: set[str] = set()
    try:
        sender.resolve_unknown()
        while True:
            sender.pass_over_due(skipped_late)
            if not options.watch:
                break
            now = sender.clock()
            if options.until is not None and now >= options.until:
                break
            wake = sender.next_due() or now + options.idle_poll
            if options.until is not None:
                wake = min(wake, options.until)
            sender.sleep(max((wake - now).total_seconds(), 0.0))
    except _Stop as stop:
        return PostRun(
            tuple(sender.results), sender.next_due(), stop.error.message, stop.error.hint
        )
    return PostRun(tuple(sender.results), sender.next_due())
