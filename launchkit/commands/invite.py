"""`launchkit invite`: the guest emails the ledger holds, written for review or sent now.

The emails are the ledger's rows, planned by `schedule` with their whole messages, so what
`invite` shows is what the send loop sends. Without --send each is written to
out/emails-review/*.eml, dated when it will go. `launchkit post` sends them at their time;
with --send the due ones go now, by hand, through the same loop (commands/sending.py with
the email channel only): once each, --retry-failed; the CLI lets a late one go too (dated
now), since the person running it decided.

An email whose outcome is unknown (a run stopped while sending it) is never sent again
blindly: after a look in the Sent folder, `mark_sent` records that it went and `resend`
sends it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from launchkit.adapters.ledger import Item, SqliteLedger
from launchkit.commands.outcomes import Failure
from launchkit.commands.sending import Channels, chat_zone
from launchkit.domain.items import ItemRef
from launchkit.errors import UsageError

if TYPE_CHECKING:
    from launchkit.adapters.publishing import Publisher
    from launchkit.adapters.smtp import Mailer
    from launchkit.commands.post import Lock, PostOptions, PostRun

__all__ = ["InviteResult", "InviteRun", "preview", "send"]

Outcome = Literal[
    "written", "sent", "already_sent", "not_yet_due", "late", "unknown", "failed", "stopped"
]


@dataclass(frozen=True)
class InviteResult:
    """What happened to one email."""

    ref: ItemRef
    recipient: str
    subject: str
    outcome: Outcome
    where: str | None = None  # the .eml path or the Message-ID
    detail: str | None = None
    due_local: datetime | None = None  # in the chat's zone


@dataclass(frozen=True)
class InviteRun:
    """The result of `launchkit invite`."""

    results: tuple[InviteResult, ...]
    failed: tuple[Failure, ...] = ()  # every email left failed, with why
    stopped: str | None = None
    hint: str | None = None
    zone: str | None = None  # the chat's, which due times are shown in

    @property
    def sent(self) -> int:
        """How many emails went out in this run."""
        return sum(r.outcome == "sent" for r in self.results)


def _emails(ledger: SqliteLedger) -> list[Item]:
    from launchkit.commands.email_channel import EMAIL

    rows = ledger.items(None, EMAIL)
    if not rows:
        raise UsageError(
            "no guest emails are planned in the ledger",
            hint="run `launchkit schedule` first (guests come from chat.yaml)",
        )
    return [i for i in rows if i.state != "cancelled"]


def _local(ledger: SqliteLedger, item: Item, moment: datetime) -> datetime:
    from zoneinfo import ZoneInfo

    zone = ledger.meta("timezone").get(item.chat)
    return moment.astimezone(ZoneInfo(zone)) if zone else moment


def preview(ledger: SqliteLedger, mailer: Mailer, now: datetime) -> InviteRun:
    """Write every planned email as `mailer` stores it (.eml files), dated when it will go."""
    from launchkit.domain.mail import eml_name, sent_at

    results = []
    for item in _emails(ledger):
        data = ledger.message(item)
        if data is None:
            detail = "planned by an older launchkit: run `launchkit schedule`"
            results.append(_result(ledger, item, "failed", None, detail))
            continue
        message = sent_at(data, max(now, item.ref.due_utc))
        where = mailer.send(message, eml_name(item.ref, item.recipient or "guest"))
        results.append(_result(ledger, item, "written", where))
    return InviteRun(tuple(results), zone=chat_zone(ledger))


def send(
    ledger: SqliteLedger,
    open_mailer: Callable[[], AbstractContextManager[Mailer]],
    options: PostOptions,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None] | None = None,
    *,
    lock: Lock | None = None,
    notify: Callable[[str], None] | None = None,
    resend: Sequence[str] = (),
    mark_sent: Sequence[str] = (),
) -> InviteRun:
    """Send the due emails now through the send loop; first settle the unknown ones the host
    looked up (`mark_sent`: it went; `resend`: it did not, send it again, late or not)."""
    from launchkit.commands import post
    from launchkit.commands.email_channel import EMAIL, EmailChannel

    _settle_by_hand(ledger, resend, mark_sent)
    run = post.run(
        ledger,
        _no_publisher,
        options,
        clock,
        sleep,
        lock=lock,
        notify=notify,
        only=Channels({EMAIL: lambda: EmailChannel(open_mailer)}),
    )
    return _summary(ledger, run, clock())


def _no_publisher(network: str) -> Publisher:
    raise AssertionError(f"invite sends emails only, not {network} posts")


def _settle_by_hand(ledger: SqliteLedger, resend: Sequence[str], mark_sent: Sequence[str]) -> None:
    from launchkit.adapters.season_store import SeasonStore

    unknown = {i.ref.key: i for i in _emails(ledger) if i.state == "sending"}
    for key in (*resend, *mark_sent):
        if key not in unknown:
            listed = ", ".join(sorted(unknown)) or "none"
            raise UsageError(
                f"{key} is not an email whose outcome is unknown",
                hint=f"emails in that state: {listed} (`launchkit status` lists every email)",
            )
    for key in mark_sent:
        ledger.mark_sent(unknown[key], "marked sent by hand", None)
    for key in resend:
        item = unknown[key]
        ledger.mark_planned(item, "sent again by hand")
        SeasonStore(ledger).choose(item.chat, [key], "send_late")  # late or not, it goes


def _summary(ledger: SqliteLedger, run: PostRun, now: datetime) -> InviteRun:
    """Every planned email: what this run did to it, else where it stands."""
    acted = {r.ref.key: r for r in run.results}
    results = []
    for item in _emails(ledger):
        done = acted.get(item.ref.key)
        if done is not None:
            outcome: Outcome = "sent" if done.outcome in ("sent", "found") else done.outcome  # type: ignore[assignment]
            where = item.remote_id if outcome == "sent" else None
            results.append(_result(ledger, item, outcome, where, done.detail))
        elif item.state == "sent":
            results.append(_result(ledger, item, "already_sent", item.remote_id))
        elif item.state == "failed":
            results.append(_result(ledger, item, "failed", None, item.error))
        elif item.state == "sending":
            results.append(_result(ledger, item, "unknown", None, "see `launchkit status`"))
        elif item.ref.due_utc > now:
            results.append(_result(ledger, item, "not_yet_due"))
    return InviteRun(tuple(results), run.failed, run.stopped, run.hint, run.zone)


def _result(
    ledger: SqliteLedger,
    item: Item,
    outcome: Outcome,
    where: str | None = None,
    detail: str | None = None,
) -> InviteResult:
    due = _local(ledger, item, item.ref.due_utc)
    return InviteResult(item.ref, item.recipient or "", item.text, outcome, where, detail, due)
