"""`launchkit invite`: the guest emails of the content pack, written for review or sent once.

Without --send every email is written to out/emails-review/*.eml. With --send, each email
whose planned time has come goes through SMTP and is recorded in the ledger (planned →
sending → sent), so a re-run never mails a guest twice; a row left in `sending` by a crash is
reported, not resent (there is no way to ask a mail server whether it delivered).

An address the server refuses (550) fails that email only: it is recorded as failed with the
server's answer and the other guests are mailed. A failed email is not sent again until
asked (`retry_failed`); the run lists every email left failed, so the CLI exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from launchkit.adapters.chatfolder import ChatFolder
from launchkit.adapters.ledger import PlanRow, SqliteLedger
from launchkit.adapters.smtp import Mailer, MessageRefused
from launchkit.commands.outcomes import Failure
from launchkit.domain.items import ItemRef
from launchkit.errors import LaunchkitError
from launchkit.settings import DEFAULT_SESSIONS

if TYPE_CHECKING:
    from launchkit.commands.pack import PackEmail

Outcome = Literal["written", "sent", "already_sent", "not_yet_due", "unknown", "failed"]


@dataclass(frozen=True)
class InviteResult:
    """What happened to one email."""

    ref: ItemRef
    recipient: str
    subject: str
    outcome: Outcome
    where: str | None = None  # the .eml path or the Message-ID
    detail: str | None = None


@dataclass(frozen=True)
class InviteRun:
    """The result of `launchkit invite`."""

    results: tuple[InviteResult, ...]
    failed: tuple[Failure, ...] = ()  # every email of the pack left failed, with why
    stopped: str | None = None
    hint: str | None = None

    @property
    def sent(self) -> int:
        """How many emails went out in this run."""
        return sum(r.outcome == "sent" for r in self.results)


def run(
    folder: ChatFolder,
    ledger: SqliteLedger,
    mailer: Mailer,
    *,
    now: datetime,
    sessions: int = DEFAULT_SESSIONS,
    retry_failed: bool = False,
) -> InviteRun:
    """Write or send the pack's emails (see the module docstring)."""
    from launchkit.commands.schedule import current_pack

    pack, _, _ = current_pack(folder, ledger, now, sessions)
    results: list[InviteResult] = []
    stopped: LaunchkitError | None = None
    for email in pack.emails:
        try:
            results.append(_deliver(folder.chat.hashtag, email, ledger, mailer, now, retry_failed))
        except _Failed as failed:
            results.append(failed.result)
            stopped = failed.error
            break
    failures = tuple(
        Failure(r.ref, r.subject, r.detail or "unknown error")
        for r in results
        if r.outcome == "failed"
    )
    if stopped is None:
        return InviteRun(tuple(results), failures)
    return InviteRun(tuple(results), failures, stopped.message, stopped.hint)


class _Failed(Exception):
    def __init__(self, result: InviteResult, error: LaunchkitError) -> None:
        super().__init__(error.message)
        self.result = result
        self.error = error


def _deliver(
    hashtag: str,
    email: PackEmail,
    ledger: SqliteLedger,
    mailer: Mailer,
    now: datetime,
    retry_failed: bool,
) -> InviteResult:
    row = PlanRow(hashtag, email.ref, email.subject, recipient=email.recipient)

    def result(
        outcome: Outcome, where: str | None = None, detail: str | None = None
    ) -> InviteResult:
        return InviteResult(email.ref, email.recipient, email.subject, outcome, where, detail)

    if not mailer.delivers:
        return result("written", mailer.send(email.message, email.filename.removesuffix(".eml")))
    item = ledger.ensure(row)
    if item.state == "sent":
        return result("already_sent", item.remote_id)
    if item.state == "sending":
        return result("unknown", None, "an earlier run was interrupted while sending; check")
    if item.state == "failed" and not retry_failed:
        return result("failed", None, item.error)
    if email.ref.due_utc > now:
        return result("not_yet_due")
    item = ledger.mark_sending(item)
    try:
        message_id = mailer.send(email.message, email.filename)
    except MessageRefused as exc:
        # This guest's address (or this message) only: recorded, and the others go on.
        ledger.mark_failed(item, exc.message)
        return result("failed", None, exc.message)
    except LaunchkitError as exc:
        ledger.mark_failed(item, exc.message)
        raise _Failed(result("failed", None, exc.message), exc) from None
    ledger.mark_sent(item, message_id, None)
    return result("sent", message_id)
