"""`launchkit post`: send everything due, on every channel, in due order, exactly once.

The one sending loop: posts on X, Mastodon and Bluesky and guest emails, each a channel of
commands/sending.py (commands/post_channel.py per network, commands/email_channel.py). The
ledger row goes to `sending` (committed) before the request and to `sent` after it, so a
row found in `sending` had an unknown outcome: a post is looked up among the account's own
posts before anything is sent again, an email is reported. Each pass holds the process lock
only while it sends, and only when there is something to send: `invite --send` and
`schedule` run beside a `post --watch`, which wakes as soon as the plan changes.

Clock, sleep, the lock, the publishers and the mailer are parameters, so tests drive time,
the networks and the mail server.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from launchkit.adapters.ledger import Item, Ledger
from launchkit.adapters.process_lock import LockHeld
from launchkit.adapters.publishing import Publisher
from launchkit.commands.outcomes import Failure
from launchkit.commands.sending import (
    CRASH_ENV,
    Channel,
    Channels,
    Halt,
    Outcome,
    PostResult,
    Sender,
    chat_zone,
    crash_point,
)
from launchkit.commands.waiter import Waiter
from launchkit.domain.backoff import RetryPolicy
from launchkit.domain.networks import NETWORKS

if TYPE_CHECKING:
    from launchkit.adapters.smtp import Mailer

__all__ = [
    "CRASH_ENV",
    "Outcome",
    "PostOptions",
    "PostResult",
    "PostRun",
    "channels",
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
    halt_retry: timedelta = timedelta(minutes=5)  # --watch: a channel stopped for a passing reason
    # Called with each due item right before it is sent; returns the item to send.
    prepare: Callable[[Item], Item] | None = None


@dataclass(frozen=True)
class PostRun:
    """The result of `launchkit post` (and of `invite --send`, the same loop on emails)."""

    results: tuple[PostResult, ...]
    next_due: datetime | None
    failed: tuple[Failure, ...] = ()  # every row left failed (this run or earlier), with why
    stopped: str | None = None  # why channels stopped early (an error the CLI reports)
    hint: str | None = None
    halted: tuple[Halt, ...] = ()  # each channel that stopped, and why
    zone: str | None = None  # the zone its times are shown in (the chat's)

    @property
    def sent(self) -> int:
        """How many items went out (or were confirmed to exist) in this run."""
        return sum(r.outcome in ("sent", "found") for r in self.results)


def channels(
    make_publisher: Callable[[str], Publisher],
    open_mailer: Callable[[], AbstractContextManager[Mailer]] | None,
    options: PostOptions,
    networks: tuple[str, ...] = NETWORKS,
) -> Channels:
    """The loop's channels: a PostChannel per network (its ledger rows' channel is the
    network's name), and emails when there is a mailer. Each is built when first needed, so
    a network with nothing due imports no client and never logs in."""

    def post_channel(network: str) -> Callable[[], Channel]:
        def make() -> Channel:
            from launchkit.commands.post_channel import PostChannel

            rate_wait = None if options.watch else options.max_rate_wait
            return PostChannel(network, make_publisher, options.policy, rate_wait)

        return make

    makers = {network: post_channel(network) for network in networks}
    if open_mailer is not None:
        mailer = open_mailer

        def email_channel() -> Channel:
            from launchkit.commands.email_channel import EmailChannel

            return EmailChannel(mailer)

        makers["email"] = email_channel
    return Channels(makers)


def run(
    ledger: Ledger,
    make_publisher: Callable[[str], Publisher],
    options: PostOptions | None = None,
    clock: Callable[[], datetime] | None = None,
    sleep: Callable[[float], None] | None = None,
    *,
    lock: Lock | None = None,
    notify: Callable[[str], None] | None = None,
    open_mailer: Callable[[], AbstractContextManager[Mailer]] | None = None,
    only: Channels | None = None,
) -> PostRun:
    """Send what is due; with `options.watch`, keep going until `options.until` or Ctrl-C.

    Posts go through `make_publisher(network)`, emails through `open_mailer()` (no mailer:
    emails are left for a run that has one); `only` replaces the channels altogether.
    `lock` is taken around each pass that has something to send; `notify` hears about every
    wait long enough for a person to wonder (the CLI shows it at a terminal).
    """
    import time

    options = options or PostOptions()
    now = clock or (lambda: datetime.now(UTC))
    zone = chat_zone(ledger)
    waiter = Waiter(now, sleep or time.sleep, notify or (lambda text: None), options.until, zone)
    routes = only if only is not None else channels(make_publisher, open_mailer, options)
    sender = Sender(
        ledger,
        routes,
        waiter,
        late_grace=options.late_grace,
        late_ok=options.late_ok,
        prepare=options.prepare,
    )
    _Loop(sender, waiter, options, lock or nullcontext).go()
    halted = tuple(sender.halted.values())
    return PostRun(
        tuple(sender.results),
        sender.next_due(now()),
        tuple(sender.failures()),
        "; ".join(h.message for h in halted) or None,
        next((h.hint for h in halted if h.hint), None),
        halted,
        zone,
    )


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
            if not self.options.watch or self._out_of_time() or self._all_halted():
                return
            if done:  # else the lock was held: the pass is tried again at once
                self._sleep_until_due()

    def _all_halted(self) -> bool:
        halted = {c for c, h in self.sender.halted.items() if h.lasting or not self.options.watch}
        return set(self.sender.channels) <= halted

    def _out_of_time(self) -> bool:
        until = self.options.until
        return until is not None and self.waiter.clock() >= until

    def _pass(self, skipped_late: set[str], retry_failed: bool) -> bool:
        """One pass under the lock, when there is work; False when another process held it."""
        sender, clock = self.sender, self.waiter.clock
        if self.options.watch:
            sender.resume_halted(self.options.halt_retry)
        if not sender.has_work(clock(), retry_failed):
            return True
        before = dict(sender.halted)
        try:
            with self.lock():
                sender.one_pass(clock, skipped_late, retry_failed)
        except LockHeld as held:
            if not self.options.watch:
                raise
            self.waiter.wait(self.options.lock_retry, held.message)
            return False
        if self.options.watch:  # a long run says at once when a channel stops
            for channel, halt in sender.halted.items():
                if before.get(channel) != halt:
                    again = "" if halt.lasting else "; it is tried again in a while"
                    self.waiter.notify(f"{channel} stopped: {halt.message}{again}")
        return True

    def _sleep_until_due(self) -> None:
        """Sleep until the next due post, `--until`, or a change of the plan, whichever first."""
        clock, options = self.waiter.clock, self.options
        now = clock()
        next_due = self.sender.next_due(now)
        wake = next_due or now + options.idle_poll
        if options.until is not None:
            wake = min(wake, options.until)
        for halt in self.sender.halted.values():
            if not halt.lasting:  # a channel stopped for a passing reason is tried again
                wake = min(wake, max(halt.at + options.halt_retry, now))
        if wake <= now:
            return
        why = (
            f"next item due at {self.waiter.moment_text(next_due, date=True)}"
            if next_due
            else "nothing planned yet"
        )
        self.waiter.announce(wake - now, why + " (a new plan wakes it sooner)")
        seen = self.sender.ledger.data_version()
        while (now := clock()) < wake:
            self.waiter.sleep(min(wake - now, options.plan_poll).total_seconds())
            if self.sender.ledger.data_version() != seen:
                return  # `schedule` changed the plan: look again now
