"""The send loop's core: every due row, on every channel, through planned → sending → sent |
failed, exactly once.

A **channel** is one way out (the ledger's `channel` column names it): posts on a network go
through a `Publisher` (commands/post_channel.py), guest emails through a `Mailer`
(commands/email_channel.py). The loop here is the same for all of them:

- **Due order and late rules.** Rows of every channel are sent in due order; a row past the
  grace period is reported late, not sent, unless the run allows it (`--late-ok`) or the host
  said so for that item (`schedule --send-late`).
- **Row guard.** Every state change names the row version it read (adapters/ledger.py); when
  a new plan changed or cancelled the row meanwhile, `RowChanged` ends the attempt before
  anything goes out, and the plan is read again.
- **Unknown outcomes.** A row found in `sending` is settled by its channel: a post is looked
  for among the account's own posts (domain/reconcile.py); an email cannot be looked up, so
  it is reported and never sent again blindly.
- **One channel stops alone.** Credentials refused, credits gone, a rate limit past
  `--until`: that channel stops for the run (`Stop`), the others go on, the run says why.

The caller (commands/post.py, commands/invite.py) decides when passes run and holds the lock.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal, Protocol

from launchkit.adapters.ledger import Item, Ledger, RowChanged
from launchkit.commands.outcomes import Failure
from launchkit.commands.waiter import Waiter
from launchkit.domain.items import ItemRef
from launchkit.errors import LaunchkitError

__all__ = [
    "CRASH_ENV",
    "Channel",
    "Channels",
    "Halt",
    "Outcome",
    "PostResult",
    "Sender",
    "Stop",
    "chat_zone",
    "crash_point",
]

# `unknown`: the row stays in `sending` (its outcome could not be checked).
Outcome = Literal["sent", "found", "late", "failed", "rate_limited", "stopped", "unknown"]
CRASH_ENV = "LAUNCHKIT_TEST_CRASH_AT"
# How often one pass reads the plan again after a row changed under it before giving up
# for this pass (the next pass, or the next run, goes on).
MAX_RESCANS = 20


@dataclass(frozen=True)
class PostResult:
    """What happened to one item (a post or an email) in this run."""

    ref: ItemRef
    text: str  # a post's text; an email's subject
    outcome: Outcome
    remote_id: str | None = None
    url: str | None = None
    detail: str | None = None
    due_local: datetime | None = None  # the due time in the chat's zone (UTC when unknown)
    recipient: str | None = None  # an email's


@dataclass(frozen=True)
class Halt:
    """A channel that stopped, when and why. A `lasting` halt (credentials missing or
    refused, credits gone) holds for the rest of the run; another one (the mail server did
    not answer) is tried again by a --watch run after a while."""

    channel: str
    message: str
    hint: str | None
    exit_code: int
    at: datetime
    lasting: bool


class Stop(Exception):
    """A channel cannot go on (credentials refused, credits gone, a rate limit past --until)."""

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


def chat_zone(ledger: Ledger) -> str | None:
    """The chat's zone as `schedule` recorded it, when the ledger holds one chat (as usual):
    the zone a run's times are shown in."""
    zones = set(ledger.meta("timezone").values())
    return zones.pop() if len(zones) == 1 else None


class Channel(Protocol):
    """One way out of the send loop. Its methods move one row and report through `sender`;
    RowChanged (raised before anything is sent) means a new plan changed the row, and Stop
    that the channel cannot go on this run."""

    def send(self, item: Item, sender: Sender) -> None:
        """Send one due row through planned → sending → sent | failed."""
        ...

    def settle(self, item: Item, sender: Sender) -> None:
        """A row found in `sending`: find out what happened, or report it unknown."""
        ...

    def close(self) -> None:
        """The pass is over: let go of connections (a --watch run sleeps between passes)."""
        ...


class Channels(Mapping[str, "Channel"]):
    """The loop's channels by the ledger's channel name, each built on first use: a channel
    with nothing due imports nothing (no network client, no SMTP stack)."""

    def __init__(self, makers: Mapping[str, Callable[[], Channel]]) -> None:
        self._makers = dict(makers)
        self._built: dict[str, Channel] = {}

    def __getitem__(self, name: str) -> Channel:
        if name not in self._built:
            self._built[name] = self._makers[name]()
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def built(self) -> list[Channel]:
        """The channels used so far."""
        return list(self._built.values())


@dataclass
class Sender:
    """Sends the due rows of its channels; collects what happened."""

    ledger: Ledger
    channels: Channels  # the ledger's channel name -> how it is sent
    waiter: Waiter
    late_grace: timedelta = timedelta(minutes=30)
    late_ok: bool = False
    results: list[PostResult] = field(default_factory=list)
    halted: dict[str, Halt] = field(default_factory=dict)
    # Called with each due row right before it is sent; returns the row to send.
    prepare: Callable[[Item], Item] | None = None
    _zones: dict[str, str] | None = None

    def report(self, item: Item, outcome: Outcome, detail: str | None = None) -> None:
        """Record what happened to `item` in this run."""
        self.results.append(
            PostResult(
                item.ref,
                item.text,
                outcome,
                item.remote_id,
                item.url,
                detail,
                self.local(item.chat, item.ref.due_utc),
                item.recipient,
            )
        )

    def local(self, chat: str, moment: datetime) -> datetime:
        """`moment` in the chat's zone (as `schedule` recorded it), else as it is (UTC)."""
        from zoneinfo import ZoneInfo

        if self._zones is None:
            self._zones = self.ledger.meta("timezone")
        zone = self._zones.get(chat)
        return moment.astimezone(ZoneInfo(zone)) if zone else moment

    # -- what there is to do ------------------------------------------------------------

    def rows(self, *states: str, halted_too: bool = True) -> list[Item]:
        """Rows of these channels in `states`, in due order."""
        return [
            i
            for i in self.ledger.items(states)  # type: ignore[arg-type]
            if i.ref.channel in self.channels and (halted_too or i.ref.channel not in self.halted)
        ]

    def has_work(self, now: datetime, retry_failed: bool = False) -> bool:
        """Rows to settle or send now (read without the lock: the pass reads them again)."""
        wanted = ("sending", "planned", "failed") if retry_failed else ("sending", "planned")
        rows = self.rows(*wanted, halted_too=False)
        return any(i.state != "planned" or i.ref.due_utc <= now for i in rows)

    def failures(self) -> list[Failure]:
        """Every row of these channels left failed, with why."""
        return [Failure(i.ref, i.text, i.error or "unknown error") for i in self.rows("failed")]

    def next_due(self, now: datetime) -> datetime | None:
        """When the next planned row of a channel still going is due."""
        planned = self.rows("planned", halted_too=False)
        return min((i.ref.due_utc for i in planned if i.ref.due_utc > now), default=None)

    # -- one pass ------------------------------------------------------------------------

    def requeue_failed(self) -> None:
        """--retry-failed: failed rows go back to planned (then the usual rules apply)."""
        for item in self.rows("failed"):
            try:
                self.ledger.mark_planned(item, f"retried after: {item.error}")
            except RowChanged:
                continue  # a new plan already put it back

    def one_pass(
        self, now: Callable[[], datetime], skipped_late: set[str], retry_failed: bool = False
    ) -> None:
        """Failed rows back to planned (when asked), rows left in `sending` settled, then every
        due row sent; the channels let go of their connections at the end."""
        try:
            if retry_failed:
                self.requeue_failed()
            self.resolve_unknown()
            self.pass_over_due(now, skipped_late)
        finally:
            for channel in self.channels.built():
                channel.close()

    def resolve_unknown(self) -> None:
        """Settle the rows left in `sending`, each by its channel."""
        for item in self.rows("sending", halted_too=False):
            if item.ref.channel in self.halted:
                continue  # stopped while settling an earlier row
            try:
                self._on_channel(item, self.channels[item.ref.channel].settle)
            except RowChanged:
                continue  # another run settled it meanwhile

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
        # A stable sort: one item's rows keep the ledger's order of channels (X, Mastodon,
        # Bluesky, email), the order `status` lists them in.
        due = sorted(
            (i for i in self.rows("planned", halted_too=False) if i.ref.due_utc <= now),
            key=lambda i: (i.ref.due_utc, i.ref.key),
        )
        allowed = self.ledger.late_allowed() if due else set()
        for item in due:
            if item.ref.channel in self.halted:
                continue  # stopped earlier in this pass
            late_by = now - item.ref.due_utc
            allowed_late = self.late_ok or (item.chat, item.ref.key) in allowed
            if late_by > self.late_grace and not allowed_late:
                mark = f"{item.ref.channel}|{item.ref.key}"
                if mark not in skipped_late:
                    skipped_late.add(mark)
                    minutes = int(late_by.total_seconds() // 60)
                    self.report(item, "late", f"{minutes} min late; use --late-ok to send")
                continue
            if self.prepare is not None:
                item = self.prepare(item)
            self._on_channel(item, self.channels[item.ref.channel].send)

    def resume_halted(self, after: timedelta) -> None:
        """Let the channels halted for a passing reason at least `after` ago try again."""
        now = self.waiter.clock()
        for channel, halt in list(self.halted.items()):
            if not halt.lasting and now - halt.at >= after:
                del self.halted[channel]

    def _on_channel(self, item: Item, step: Callable[[Item, Sender], None]) -> None:
        """Run one channel step; a Stop halts that channel (see Halt)."""
        from launchkit.adapters.publishing import AuthFailed, CreditsDepleted
        from launchkit.errors import ConfigError

        try:
            step(item, self)
        except Stop as stop:
            error = stop.error
            lasting = isinstance(error, AuthFailed | CreditsDepleted | ConfigError)
            now = self.waiter.clock()
            halt = Halt(
                item.ref.channel, error.message, error.hint, int(error.exit_code), now, lasting
            )
            self.halted.setdefault(item.ref.channel, halt)
