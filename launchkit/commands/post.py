"""`launchkit post`: send every due post, in due order, exactly once.

The ledger row goes to `sending` (committed) before the request and to `sent` after it, so a
row found in `sending` had an unknown outcome: it is looked up among the account's own posts
before anything is sent again (commands/sending.py has the rules). Each pass holds the
process lock only while it sends, and only when there is something to send: `invite --send`
and `schedule` run beside a `post --watch`, which wakes as soon as the plan changes.

Clock, sleep, the lock and the publisher are parameters, so tests drive time and the network.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from launchkit.adapters.ledger import Item, Ledger
from launchkit.adapters.process_lock import LockHeld
from launchkit.adapters.publishing import Publisher
from launchkit.commands.outcomes import Failure
from launchkit.commands.sending import (
    CRASH_ENV,
    Outcome,
    PostResult,
    Sender,
    Stop,
    crash_point,
)
from launchkit.commands.waiter import Waiter
from launchkit.domain.backoff import RetryPolicy

__all__ = [
    "CRASH_ENV",
    "Outcome",
    "PostOptions",
    "PostResult",
    "PostRun",
    "crash_point",
    "run",
]

Lock = Callable[[], AbstractContextManager[object]]


@dataclass(frozen=True)
class PostOptions:
    """How a run behaves; the defaults are what cron gets."""

    late_ok: bool = False
    late_grace: timedelta = timedelta(minutes=30)
    watch: bool = False
    until: datetime | None = None
    retry_failed: bool = False  # failed rows go back to planned before the first pass
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    max_rate_wait: timedelta = timedelta(minutes=16)  # without --watch: X's windows are 15 min
    idle_poll: timedelta = timedelta(minutes=1)  # --watch with nothing planned
    plan_poll: timedelta = timedelta(seconds=5)  # --watch: how often it looks for a new plan
    lock_retry: timedelta = timedelta(seconds=30)  # --watch: when another process sends
    # Called with each due item right before it is sent; returns the item to send (the
    # recap hook, commands/recap_post.py, gives a recap post its figures this way).
    prepare: Callable[[Item], Item] | None = None


@dataclass(frozen=True)
class PostRun:
    """The result of `launchkit post`."""

    results: tuple[PostResult, ...]
    next_due: datetime | None
    failed: tuple[Failure, ...] = ()  # every row left failed (this run or earlier), with why
    stopped: str | None = None  # why the run ended early (an error the CLI reports)
    hint: str | None = None

    @property
    def sent(self) -> int:
        """How many posts went out (or were confirmed to exist) in this run."""
        return sum(r.outcome in ("sent", "found") for r in self.results)


def run(
    ledger: Ledger,
    make_publisher: Callable[[str], Publisher],
    options: PostOptions | None = None,
    clock: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] | None = None,
    *,
    lock: Lock | None = None,
    notify: Callable[[str], None] | None = None,
) -> PostRun:
    """Send what is due; with `options.watch`, keep going until `options.until` or Ctrl-C.

    `lock` is taken around each pass that has something to send; `notify` hears about every
    wait long enough for a person to wonder (the CLI shows it at a terminal).
    """
    import time

    options = options or PostOptions()
    now = clock or (lambda: datetime.now(UTC))
    waiter = Waiter(now, sleep or time.sleep, notify or (lambda text: None), options.until)
    sender = Sender(
        ledger,
        make_publisher,
        waiter,
        policy=options.policy,
        late_grace=options.late_grace,
        late_ok=options.late_ok,
        max_rate_wait=None if options.watch else options.max_rate_wait,
        prepare=options.prepare,
    )
    loop = _Loop(sender, waiter, options, lock or nullcontext)
    try:
        loop.go()
    except Stop as stop:
        return _result(sender, now(), stop.error.message, stop.error.hint)
    return _result(sender, now())


def _result(
    sender: Sender, now: datetime, stopped: str | None = None, hint: str | None = None
) -> PostRun:
    failed = tuple(sender.failures())
    return PostRun(tuple(sender.results), sender.next_due(now), failed, stopped, hint)


@dataclass
class _Loop:
    sender: Sender
    waiter: Waiter
    options: PostOptions
    lock: Lock

    def go(self) -> None:
        skipped_late: set[str] = set()
        retry = self.options.retry_failed
        while True:
            done = self._pass(skipped_late, retry)
            retry = retry and not done
            if not self.options.watch or self._out_of_time():
                return
            if done:  # else the lock was held: the pass is tried again at once
                self._sleep_until_due()

    def _out_of_time(self) -> bool:
        until = self.options.until
        return until is not None and self.waiter.clock() >= until

    def _pass(self, skipped_late: set[str], retry_failed: bool) -> bool:
        """One pass under the lock, when there is work; False when another process held it."""
        sender, clock = self.sender, self.waiter.clock
        if not sender.has_work(clock(), retry_failed):
            return True
        try:
            with self.lock():
                if retry_failed:
                    sender.requeue_failed()
                sender.resolve_unknown()
                sender.pass_over_due(clock, skipped_late)
        except LockHeld as held:
            if not self.options.watch:
                raise
            self.waiter.wait(self.options.lock_retry, held.message)
            return False
        return True

    def _sleep_until_due(self) -> None:
        """Sleep until the next due post, `--until`, or a change of the plan, whichever first."""
        clock, options = self.waiter.clock, self.options
        now = clock()
        next_due = self.sender.next_due(now)
        wake = next_due or now + options.idle_poll
        if options.until is not None:
            wake = min(wake, options.until)
        if wake <= now:
            return
        why = f"next post due at {next_due:%H:%M} UTC" if next_due else "nothing planned yet"
        self.waiter.announce(wake - now, why + " (a new plan wakes it sooner)")
        seen = self.sender.ledger.data_version()
        while (now := clock()) < wake:
            self.waiter.sleep(min(wake - now, options.plan_poll).total_seconds())
            if self.sender.ledger.data_version() != seen:
                return  # `schedule` changed the plan: look again now
