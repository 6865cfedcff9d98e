"""`launchkit invite` against a real SMTP server (aiosmtpd on 127.0.0.1): the ledger's email
rows, previewed as .eml files or sent by hand through the send loop."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from launchkit.adapters.dry_run import EmlFolderMailer
from launchkit.adapters.ledger import SqliteLedger, ledger_path
from launchkit.adapters.smtp import SmtpMailer
from launchkit.commands import invite
from launchkit.commands.post import PostOptions
from launchkit.errors import RemoteError, UsageError
from launchkit.settings import Settings
from tests.fakes.smtp_server import Inbox, SmtpServer
from tests.support import invoke, open_ledger, plan, runtime, write_chat

# The guest's session is 2027-03-16: invite due 02-16, brief 03-14, reminder 03-16 18:00 EDT.
AFTER_BRIEF = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with SmtpServer() as server:
        yield server.inbox, server.port


def settings(port: int) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none")


def scheduled(tmp_path: Path) -> Path:
    chat = write_chat(tmp_path)
    plan(chat)
    return chat


def send(chat: Path, port: int, now: datetime = AFTER_BRIEF) -> invite.InviteRun:
    with open_ledger(chat, now) as ledger:
        return invite.send(
            ledger, lambda: SmtpMailer(settings(port)), PostOptions(late_ok=True), lambda: now
        )


def test_due_emails_arrive_parse_and_carry_the_ics(smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    result = send(scheduled(tmp_path), port)
    outcomes = {r.ref.key.split("|")[0]: r.outcome for r in result.results}
    assert outcomes == {
        "guest-invite": "sent",
        "guest-brief": "sent",
        "guest-reminder": "not_yet_due",
    }
    assert len(inbox.messages) == 2
    assert all(rcpt == ["grace@example.org"] for _, rcpt in inbox.envelopes)
    first = inbox.messages[0]
    assert "Guest on Indie Dev Hour" in str(first["Subject"])
    calendars = [p for p in first.walk() if p.get_content_type() == "text/calendar"]
    assert calendars and "BEGIN:VEVENT" in calendars[0].get_content()


def test_a_late_email_is_dated_when_it_is_sent(smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    # The finding: an invitation sent a month late said it was written a month earlier.
    inbox, port = smtp
    send(scheduled(tmp_path), port)
    dates = [parsedate_to_datetime(str(m["Date"])) for m in inbox.messages]
    assert dates == [AFTER_BRIEF, AFTER_BRIEF]


def test_a_rerun_sends_nothing_new(smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    chat = scheduled(tmp_path)
    send(chat, port)
    again = send(chat, port)
    assert len(inbox.messages) == 2
    assert again.sent == 0
    assert [r.outcome for r in again.results].count("already_sent") == 2
    ledger = SqliteLedger.open(ledger_path(chat))
    sent = ledger.items(("sent",), "email")
    assert len(sent) == 2 and all(i.remote_id for i in sent)


def test_later_the_reminder_goes_out_once(smtp: tuple[Inbox, int], tmp_path: Path) -> None:
    inbox, port = smtp
    chat = scheduled(tmp_path)
    send(chat, port)
    send(chat, port, now=datetime(2027, 3, 16, 23, 0, tzinfo=UTC))
    send(chat, port, now=datetime(2027, 3, 16, 23, 5, tzinfo=UTC))
    assert len(inbox.messages) == 3


def test_without_send_it_writes_the_ledgers_emails_as_eml_files(tmp_path: Path) -> None:
    chat = scheduled(tmp_path)
    review = tmp_path / "review"
    ledger = open_ledger(chat)
    result = invite.preview(ledger, EmlFolderMailer(review), AFTER_BRIEF)
    assert {r.outcome for r in result.results} == {"written"}
    files = sorted(review.glob("*.eml"))
    assert len(files) == 3
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert parsed["To"] and "grace@example.org" in str(parsed["To"])
    assert ledger.items(("sent",)) == []


def test_cli_without_send(tmp_path: Path) -> None:
    chat = scheduled(tmp_path)
    result = invoke(runtime(AFTER_BRIEF), ["invite", "--chat", str(chat)])
    assert result.exit_code == 0, result.stderr
    assert len(list((tmp_path / "out" / "emails-review").glob("*.eml"))) == 3
    assert "2027-03-16 18:00 EDT" in result.stdout  # the reminder, in the chat's zone


def test_before_schedule_it_says_to_schedule(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    open_ledger(chat).close()
    with (
        open_ledger(chat) as ledger,
        pytest.raises(UsageError, match="no guest emails are planned"),
    ):
        invite.preview(ledger, EmlFolderMailer(tmp_path / "review"), AFTER_BRIEF)


def test_an_unreachable_server_is_a_remote_error_with_a_hint() -> None:
    with pytest.raises(RemoteError) as caught, SmtpMailer(settings(1)):
        pass
    assert caught.value.hint is not None and "LAUNCHKIT_SMTP_HOST" in caught.value.hint


def test_an_email_planned_by_an_older_launchkit_waits_for_schedule(
    smtp: tuple[Inbox, int], tmp_path: Path
) -> None:
    # A schema 2 ledger has email rows without their message: never sent half-made.
    inbox, port = smtp
    chat = scheduled(tmp_path)
    with open_ledger(chat) as ledger:
        ledger.conn.execute("UPDATE items SET message = NULL WHERE channel = 'email'")
    first = send(chat, port)
    assert {r.outcome for r in first.results if r.outcome != "not_yet_due"} == {"failed"}
    assert "run `launchkit schedule`" in first.failed[0].error
    assert inbox.messages == []
    plan(chat)  # writes the messages; the failed rows go back to planned
    again = send(chat, port)
    assert again.sent == 2 and len(inbox.messages) == 2
