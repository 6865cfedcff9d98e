"""Guest emails as a channel of the send loop (commands/sending.py).

Each email row holds its whole message (written by `schedule`), so the loop sends exactly
what was planned and reviewed, with the time it is actually sent as its `Date:`. The mail
connection is opened when the first email of a pass is due and closed at the end of the pass
(nothing of the SMTP stack is imported when none is due).

A mail server cannot be asked whether it delivered a message, so a row found in `sending`
(a crash, or an exchange that broke off mid-message) is reported and never sent again
blindly: the host looks in the Sent folder and says (`launchkit invite --resend KEY` or
`--mark-sent KEY`). An address the server refuses fails that email only; a server that
cannot be reached or refuses the login stops the emails for this run, the posts go on.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from launchkit.adapters.ledger import Item
from launchkit.commands.sending import Sender, Stop, crash_point
from launchkit.errors import LaunchkitError

if TYPE_CHECKING:
    from launchkit.adapters.smtp import Mailer

__all__ = ["EMAIL", "UNKNOWN_HINT", "EmailChannel"]

EMAIL = "email"  # the ledger's channel name for emails
UNKNOWN_HINT = (
    "mail servers cannot be asked whether a message went out: look in the Sent folder, then "
    "`launchkit invite --mark-sent KEY` (it went) or `--resend KEY` (it did not)"
)


@dataclass
class EmailChannel:
    """Emails through the mailer `open_mailer()` gives (a context manager: SMTP connects on
    enter), opened on first use in a pass."""

    open_mailer: Callable[[], AbstractContextManager[Mailer]]
    _stack: ExitStack | None = None
    _mailer: Mailer | None = None
    _told: set[str] = field(default_factory=set)  # unknown rows reported in this run

    def mailer(self) -> Mailer:
        if self._mailer is None:
            stack = ExitStack()
            try:
                self._mailer = stack.enter_context(self.open_mailer())
            except LaunchkitError as exc:  # no server, or it refused us: emails stop here
                stack.close()
                raise Stop(exc) from None
            self._stack = stack
        return self._mailer

    def close(self) -> None:
        """Close the connection at the end of a pass."""
        stack, self._stack, self._mailer = self._stack, None, None
        if stack is not None:
            stack.close()

    def settle(self, item: Item, sender: Sender) -> None:
        """Report a row left in `sending` (once a run); never send it again blindly."""
        if item.ref.key in self._told:
            return
        self._told.add(item.ref.key)
        detail = f"an earlier run stopped while sending it; {UNKNOWN_HINT}"
        sender.report(item, "unknown", detail)

    def send(self, item: Item, sender: Sender) -> None:
        """Send one due email, dated now."""
        from launchkit.adapters.smtp import DeliveryUnknown, MessageRefused
        from launchkit.domain.mail import eml_name, sent_at

        ledger = sender.ledger
        data = ledger.message(item)
        if data is None:
            why = "its message was planned by an older launchkit: run `launchkit schedule`"
            sender.report(ledger.mark_failed(item, why), "failed", why)
            return
        mailer = self.mailer()
        item = ledger.mark_sending(item)
        crash_point("before_request")
        message = sent_at(data, sender.waiter.clock())
        name = eml_name(item.ref, item.recipient or "guest")
        try:
            message_id = mailer.send(message, name)
        except MessageRefused as exc:  # this guest's address (or message) only
            sender.report(ledger.mark_failed(item, exc.message), "failed", exc.message)
            return
        except DeliveryUnknown as exc:
            self._told.add(item.ref.key)
            sender.report(item, "unknown", f"{exc.message}; {UNKNOWN_HINT}")
            raise Stop(exc) from None
        except LaunchkitError as exc:  # certainly not sent, and the others would fail too
            sender.report(ledger.mark_planned(item, exc.message), "stopped", exc.message)
            raise Stop(exc) from None
        crash_point("after_request")
        item = ledger.mark_sent(item, message_id or name, None)
        crash_point("after_ledger_write")
        sender.report(item, "sent")
