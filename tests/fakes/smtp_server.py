"""A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives and can refuse
chosen recipients the way a mail server refuses an unknown address (550 at RCPT TO).

    with SmtpServer(refuse={"nobody@example.org"}) as smtp:
        ...  # send to 127.0.0.1:smtp.port; smtp.messages holds what arrived
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Collection
from email.message import EmailMessage
from typing import Any, Self

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self, refuse: Collection[str] = ()) -> None:
        self.refuse = {address.lower() for address in refuse}
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_RCPT(
        self, server: Any, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if address.lower() in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((str(envelope.mail_from), list(envelope.rcpt_tos)))
        return "250 OK"


class SmtpServer:
    """aiosmtpd's Controller on a free port of 127.0.0.1, with an Inbox."""

    def __init__(self, refuse: Collection[str] = ()) -> None:
        self.inbox = Inbox(refuse)
        # Controller checks readiness by connecting to its port, so it cannot take port 0.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[EmailMessage]:
        """The messages received, in order."""
        return self.inbox.messages

    def __enter__(self) -> Self:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()
