"""RFC 5322 messages with the standard library's EmailMessage (pure, deterministic).

Named mail.py so it does not shadow the standard library's `email` package. Non-ASCII
subjects and display names are encoded by the `email` policy (RFC 2047); bodies are UTF-8.
Every random part of a message is fixed from its inputs: the MIME boundaries and the
Message-ID are hashes of the content, the Date is the planned send time, so rendering the
same chat twice gives byte-identical .eml files.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from launchkit.domain.items import ItemRef

__all__ = [
    "Mailbox",
    "build_message",
    "check_address",
    "check_header",
    "eml_name",
    "file_slug",
    "message_bytes",
    "sent_at",
    "split_subject",
]

# Control characters (CR and LF among them) end a header line or hide what it says.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def check_address(text: str) -> str:
    """`text` when it is one plain email address as the standard library parses it.

    ValueError otherwise: `a,b@example.org` (two addresses), `a"b@example.org`, spaces,
    control characters, or a domain without a dot.

    >>> check_address("ada@example.org")
    'ada@example.org'
    >>> check_address("a,b@example.org")
    Traceback (most recent call last):
    ...
    ValueError: 'a,b@example.org' is not an email address
    """
    problem = ValueError(f"{text!r} is not an email address")
    if not text or _CONTROL.search(text) or any(c.isspace() or c == '"' for c in text):
        raise problem
    try:
        parsed = Address(addr_spec=text)
    except (ValueError, IndexError, MessageError):
        raise problem from None
    domain = parsed.domain
    if parsed.addr_spec != text or "." not in domain or domain[0] in ".-[" or domain[-1] in ".-":
        raise problem
    return text


def check_header(value: str, what: str) -> str:
    """A header value as given, when it is one line without control characters; else
    ValueError naming `what` (a newline would end the header and start another)."""
    if _CONTROL.search(value):
        raise ValueError(f"{what} {value!r} has a line break or a control character")
    return value


@dataclass(frozen=True)
class Mailbox:
    """A person's name and address."""

    name: str
    email: str

    def address(self) -> Address:
        """As an `email.headerregistry.Address` (the policy encodes non-ASCII names)."""
        return Address(display_name=self.name, addr_spec=self.email)


def split_subject(text: str, template: str) -> tuple[str, str]:
    """Split a rendered email template into (subject, body).

    The template's first line is `Subject: ...`, then a blank line, then the body.
    """
    first, _, rest = text.lstrip("\n").partition("\n")
    if not first.lower().startswith("subject:"):
        raise ValueError(
            f"template {template}: the first line must be 'Subject: ...' (then a blank line)"
        )
    subject = first.split(":", 1)[1].strip()
    if not subject:
        raise ValueError(f"template {template}: the subject line is empty")
    return subject, rest.strip("\n") + "\n"


def _cte(text: str) -> str:
    # Non-ASCII bodies go quoted-printable: 8bit needs an SMTP server with 8BITMIME.
    return "7bit" if text.isascii() else "quoted-printable"


def build_message(
    sender: Mailbox,
    to: Mailbox,
    subject: str,
    body: str,
    date: datetime,
    html: str | None = None,
    ics: str | None = None,
    ics_name: str = "invite.ics",
) -> EmailMessage:
    """A complete message: text body, optional HTML alternative, optional .ics invitation."""
    for value, what in ((sender.name, "the sender's name"), (to.name, "the recipient's name")):
        check_header(value, what)
    check_address(sender.email)
    check_address(to.email)
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender.address()
    msg["To"] = to.address()
    msg["Subject"] = check_header(subject, "the subject")
    msg["Date"] = format_datetime(date)
    seed = "\n".join([sender.email, to.email, subject, body, html or "", ics or ""])
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()
    domain = sender.email.rpartition("@")[2] or "launchkit.invalid"
    msg["Message-ID"] = f"<{digest[:32]}@{domain}>"
    msg["MIME-Version"] = "1.0"
    msg.set_content(body, subtype="plain", charset="utf-8", cte=_cte(body))
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte=_cte(html))
    if ics is not None:
        # A text/calendar part with method=REQUEST is what mail clients show as an invitation.
        msg.add_attachment(
            ics.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename=ics_name,
            params={"method": "REQUEST", "charset": "utf-8"},
        )
    for number, part in enumerate(msg.walk()):
        if part.is_multipart():
            # The generator would pick random boundaries; content hashes keep output stable.
            part.set_boundary(f"==launchkit-{digest[:24]}-{number}==")
    return msg


def message_bytes(msg: EmailMessage) -> bytes:
    """The message as an .eml file (CRLF line endings, as RFC 5322 specifies)."""
    return msg.as_bytes(policy=policy.SMTP)


def sent_at(data: bytes, moment: datetime) -> EmailMessage:
    """The message `data` (as `message_bytes` wrote it) dated `moment`: an email goes out with
    the time it is actually sent, not the time it was planned for."""
    from email import message_from_bytes

    msg = message_from_bytes(data, _class=EmailMessage, policy=policy.SMTP)
    if msg["Date"] is None:
        msg["Date"] = format_datetime(moment)
    else:
        msg.replace_header("Date", format_datetime(moment))
    return msg


def file_slug(text: str) -> str:
    """`text` as a file-name part: ASCII letters and digits joined by `-`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "guest"


def eml_name(ref: ItemRef, recipient: str) -> str:
    """The .eml file name (without .eml) of an email item: `2027-03-16-guest-brief-1-grace`."""
    who = file_slug(recipient.partition("@")[0])
    return f"{ref.session.isoformat()}-{ref.step}-{ref.index}-{who}"
