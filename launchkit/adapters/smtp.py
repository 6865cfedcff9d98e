"""Sending email through SMTP (smtplib), with failures turned into launchkit errors.

STARTTLS by default, implicit TLS (SMTPS) on port 465 or with smtp_security=ssl, and plain
SMTP only when asked (smtp_security=none, meant for a local test server). The password is
handed to smtplib and never logged or put in an error message.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from types import TracebackType
from typing import Protocol, Self

from launchkit.errors import ConfigError, CredentialsError, RemoteError
from launchkit.settings import Settings


class Mailer(Protocol):
    """Where invitation emails go: an SMTP server, or .eml files for review."""

    delivers: bool  # True when a sent message reached someone (and goes in the ledger)

    def send(self, message: EmailMessage, name: str) -> str:
        """Deliver or store `message` (`name`: a file-safe label); return a message id or path."""
        ...


class SmtpMailer:
    """One SMTP connection, opened on enter and closed on exit."""

    delivers = True

    def __init__(self, settings: Settings) -> None:
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
        if settings.smtp_port == 465 and security == "starttls":
            security = "ssl"  # 465 is implicit TLS by convention (RFC 8314)
        self.settings = settings
        self.security = security
        self._smtp: smtplib.SMTP | None = None

    @property
    def _where(self) -> str:
        return f"{self.settings.smtp_host}:{self.settings.smtp_port}"

    def __enter__(self) -> Self:
        s = self.settings
        host = s.smtp_host or ""
        try:
            if self.security == "ssl":
                context = ssl.create_default_context()
                self._smtp = smtplib.SMTP_SSL(
                    host, s.smtp_port, timeout=s.http_timeout_s, context=context
                )
            else:
                self._smtp = smtplib.SMTP(host, s.smtp_port, timeout=s.http_timeout_s)
                if self.security == "starttls":
                    self._smtp.starttls(context=ssl.create_default_context())
            if s.smtp_user and s.smtp_password:
                self._smtp.login(s.smtp_user, s.smtp_password)
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
        return self

    def send(self, message: EmailMessage, name: str = "") -> str:
        """Send one message; return its Message-ID."""
        if self._smtp is None:
            raise RuntimeError("use SmtpMailer as a context manager")
        if not message["From"]:
            message["From"] = self.settings.smtp_from or self.settings.smtp_user or ""
        try:
            refused = self._smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise RemoteError(
                f"the SMTP server refused {', '.join(exc.recipients)}",
                hint="check the guest's email address in chat.yaml",
            ) from None
        except smtplib.SMTPSenderRefused:
            raise RemoteError(
                f"the SMTP server refused the sender {message['From']}",
                hint="set LAUNCHKIT_SMTP_FROM to an address your account may send as",
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise RemoteError(
                f"sending through {self._where} failed ({type(exc).__name__})",
                hint="run `launchkit invite --send` again; messages already sent are skipped",
            ) from None
        if refused:
            raise RemoteError(
                f"the SMTP server refused {', '.join(refused)}",
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
