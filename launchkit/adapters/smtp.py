"""Sending email through SMTP (smtplib), with failures turned into launchkit errors.

STARTTLS by default, implicit TLS (SMTPS) on port 465 or with smtp_security=ssl, and plain
SMTP only to this machine (smtp_security=none, meant for a local test server or relay): the
login and the guests' addresses never cross the network unencrypted. The password is handed
to smtplib and never logged or put in an error message.

Every exchange (connecting and logging in; each message) must end within the deadline of
adapters/http.py, not only each read. A message the server refuses (a guest's address it
will not take, 550) is a `MessageRefused`: that message failed, the connection is still good
for the others. A message whose exchange broke off (the connection dropped, the deadline
passed) is a `DeliveryUnknown`: it may have been delivered. Anything else ends the connection.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from types import TracebackType
from typing import Protocol, Self

from launchkit.errors import ConfigError, CredentialsError, RemoteError
from launchkit.settings import Settings

__all__ = ["DeliveryUnknown", "Mailer", "MessageRefused", "SmtpMailer"]


class Mailer(Protocol):
    """Where guest emails go: an SMTP server, .eml files for review, or a dry run's printout."""

    def send(self, message: EmailMessage, name: str) -> str:
        """Deliver or store `message` (`name`: a file-safe label); return a message id or path."""
        ...


class MessageRefused(RemoteError):
    """The server refused this one message (its recipient, sender or content); others may go."""


class DeliveryUnknown(RemoteError):
    """The exchange broke off while a message was being sent: it may or may not have been
    delivered, and no mail server can be asked which."""


class SmtpMailer:
    """One SMTP connection, opened on enter and closed on exit."""

    def __init__(self, settings: Settings) -> None:
        from launchkit.adapters.http import is_loopback_host

        if not settings.smtp_host:
            raise CredentialsError(
                "no SMTP server set", hint="set LAUNCHKIT_SMTP_HOST (and _PORT, _USER, _PASSWORD)"
            )
        security = settings.smtp_security.lower()
        if security not in ("starttls", "ssl", "none"):
            raise ConfigError(
                f"smtp_security {settings.smtp_security!r} is not starttls, ssl or none",
                hint="set LAUNCHKIT_SMTP_SECURITY to starttls (default), ssl or none",
            )
        if security == "none" and not is_loopback_host(settings.smtp_host):
            raise CredentialsError(
                f"LAUNCHKIT_SMTP_SECURITY=none would send the login and the emails to "
                f"{settings.smtp_host} unencrypted",
                hint="use starttls or ssl; none is only for a server on this machine "
                "(127.0.0.1, localhost)",
            )
        if settings.smtp_port == 465 and security == "starttls":
            security = "ssl"  # 465 is implicit TLS by convention (RFC 8314)
        self.settings = settings
        self.security = security
        self._smtp: smtplib.SMTP | None = None

    @property
    def _where(self) -> str:
        return f"{self.settings.smtp_host}:{self.settings.smtp_port}"

    @contextmanager
    def _deadline(self, smtp: smtplib.SMTP) -> Iterator[None]:
        """The exchange inside ends within the deadline; past it, a clear RemoteError."""
        from launchkit.adapters.http import Deadline

        seconds = self.settings.http_timeout_s
        late = RemoteError(
            f"no complete answer from the SMTP server {self._where} within {seconds:g} s",
            hint="try again later, or raise LAUNCHKIT_HTTP_TIMEOUT_S",
        )
        with Deadline(seconds) as deadline:
            deadline.watch(smtp)
            try:
                yield
            except (OSError, smtplib.SMTPException):
                if not deadline.expired:
                    raise
                self._drop(smtp)
                raise late from None
        # smtplib may read a cut-off reply without complaint: the deadline still decides.
        if deadline.expired:
            self._drop(smtp)
            raise late

    def _drop(self, smtp: smtplib.SMTP) -> None:
        self._smtp = None
        smtp.close()

    def __enter__(self) -> Self:
        s = self.settings
        deadline = s.http_timeout_s
        smtp = (
            smtplib.SMTP_SSL(timeout=deadline, context=ssl.create_default_context())
            if self.security == "ssl"
            else smtplib.SMTP(timeout=deadline)
        )
        self._smtp = smtp
        try:
            with self._deadline(smtp):
                code, greeting = smtp.connect(s.smtp_host or "", s.smtp_port)
                if code != 220:
                    raise smtplib.SMTPConnectError(code, greeting)
                if self.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if s.smtp_user and s.smtp_password:
                    smtp.login(s.smtp_user, s.smtp_password)
        except smtplib.SMTPAuthenticationError:
            self._close()
            raise RemoteError(
                f"the SMTP server {self._where} refused the login for {s.smtp_user}",
                hint="check LAUNCHKIT_SMTP_USER and LAUNCHKIT_SMTP_PASSWORD (many providers "
                "need an app password)",
            ) from None
        except smtplib.SMTPNotSupportedError:
            self._close()
            raise RemoteError(
                f"the SMTP server {self._where} does not offer STARTTLS",
                hint="use port 465 (LAUNCHKIT_SMTP_SECURITY=ssl), or =none only for a local test",
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            self._close()
            raise RemoteError(
                f"cannot connect to the SMTP server {self._where} ({type(exc).__name__})",
                hint="check LAUNCHKIT_SMTP_HOST, LAUNCHKIT_SMTP_PORT and LAUNCHKIT_SMTP_SECURITY",
            ) from None
        except RemoteError:
            self._close()
            raise
        return self

    def send(self, message: EmailMessage, name: str = "") -> str:
        """Send one message; return its Message-ID. MessageRefused: only this one failed."""
        if self._smtp is None:
            raise RemoteError(
                f"the connection to the SMTP server {self._where} was lost",
                hint="run `launchkit post` again; messages already sent are skipped",
            )
        if not message["From"]:
            message["From"] = self.settings.smtp_from or self.settings.smtp_user or ""
        try:
            with self._deadline(self._smtp):
                refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise MessageRefused(
                f"the SMTP server refused {_refusals(exc.recipients)}",
                hint="check the guest's email address in chat.yaml",
            ) from None
        except smtplib.SMTPSenderRefused:
            raise RemoteError(
                f"the SMTP server refused the sender {message['From']}",
                hint="set LAUNCHKIT_SMTP_FROM to an address your account may send as",
            ) from None
        except smtplib.SMTPDataError as exc:
            raise MessageRefused(
                f"the SMTP server refused the message ({exc.smtp_code})",
                hint="see the server's answer in the ledger (`launchkit status`)",
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            self._close()
            raise DeliveryUnknown(
                f"the exchange with {self._where} broke off while sending "
                f"({type(exc).__name__}): the message may or may not have been delivered",
                hint="look in the sender's Sent folder or ask the guest",
            ) from None
        except RemoteError as exc:  # the deadline passed mid-message
            raise DeliveryUnknown(
                f"{exc.message}: the message may or may not have been delivered",
                hint="look in the sender's Sent folder or ask the guest",
            ) from None
        if refused:
            raise MessageRefused(
                f"the SMTP server refused {_refusals(refused)}",
                hint="check the guest's email address in chat.yaml",
            )
        return str(message["Message-ID"] or "")

    def _close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._close()


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    """`grace@example.org (550 no such user)`, for each refused recipient."""
    return ", ".join(
        f"{who} ({code} {reason.decode('utf-8', 'replace').strip()[:80]})"
        for who, (code, reason) in refused.items()
    )
