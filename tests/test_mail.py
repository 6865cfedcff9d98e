"""Guest emails: real RFC 5322 messages that parse back, with a stable .ics invitation."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from launchkit.commands import render
from launchkit.domain.ics import chat_ics
from launchkit.domain.mail import Mailbox, build_message, message_bytes
from tests.support import REPO, folder, make_chat

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _parse(data: bytes) -> EmailMessage:
    msg = message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _ics(msg: EmailMessage) -> str:
    part = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    content = part.get_content()
    return content.decode("utf-8") if isinstance(content, bytes) else str(content)


def test_utf8_subject_and_names_round_trip() -> None:
    msg = build_message(
        Mailbox("Zoë Host", "zoe@example.org"),
        Mailbox("Grâce Ørsted", "grace@example.org"),
        "Invitée ☕ au #CaféChat ?",
        "Bonjour Grâce,\nà mardi !\n",
        datetime(2027, 1, 1, tzinfo=UTC),
        html="<p>Bonjour Grâce</p>",
        ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
    )
    raw = message_bytes(msg)
    assert raw.isascii()  # headers encoded (RFC 2047), body quoted-printable
    back = _parse(raw)
    assert back["Subject"] == "Invitée ☕ au #CaféChat ?"
    assert back["To"].addresses[0].display_name == "Grâce Ørsted"
    plain = back.get_body(("plain",))
    assert plain is not None
    assert plain.get_content().replace("\r\n", "\n") == "Bonjour Grâce,\nà mardi !\n"
    assert "Grâce" in back.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert message_bytes(msg) == raw


def test_rendered_emails_parse_with_invitation(tmp_path: Path) -> None:
    out = tmp_path / "out"
    render.run(folder(REPO / "examples" / "chat.yaml"), out, now=NOW)
    files = sorted((out / "emails").glob("*.eml"))
    assert files
    uids = {}
    for path in files:
        msg = _parse(path.read_bytes())
        assert msg["From"].addresses[0].addr_spec == "ada@example.org"
        assert msg["Subject"]
        ics = _ics(msg)
        assert "METHOD:REQUEST" in ics
        assert "BEGIN:VTIMEZONE" in ics and "TZID:America/New_York" in ics
        assert "DTSTART;TZID=America/New_York:2027" in ics
        uid = re.search(r"^UID:(.+)\r$", ics, re.M)
        assert uid
        uids.setdefault(path.name[:10], set()).add(uid.group(1))
    # One UID per session: the brief updates the invitation rather than adding an event.
    assert all(len(u) == 1 for u in uids.values())
    assert len({next(iter(u)) for u in uids.values()}) == len(uids)
    zoe = next(p for p in files if "zoe" in p.name)
    assert _parse(zoe.read_bytes())["To"].addresses[0].display_name == "Zoë Ørsted"


def test_uid_stable_across_re_renders(tmp_path: Path) -> None:
    render.run(folder(REPO / "examples" / "chat.yaml"), tmp_path / "a", now=NOW)
    render.run(
        folder(REPO / "examples" / "chat.yaml"),
        tmp_path / "b",
        now=datetime(2027, 6, 1, tzinfo=UTC),
    )
    for path in (tmp_path / "a" / "emails").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / "emails" / path.name).read_bytes()


def test_chat_ics_recurring_in_zone() -> None:
    text = chat_ics(make_chat())
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU\r\n" in text
    assert "DTSTART;TZID=America/New_York:20270302T200000\r\n" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert text == chat_ics(make_chat())
