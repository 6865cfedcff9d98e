"""A host's whole season through the one sending loop: `launchkit post`, run as cron would as
the clock moves through eight weekly sessions, sends every post (to the fake X) and every
guest email (to a real SMTP server, aiosmtpd) exactly once and on time, across the 2027
clock changes of New York, London and Sydney, with a guest on session 6."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from launchkit.adapters.ledger import Item
from tests.fakes.smtp_server import SmtpServer
from tests.fakes.x_api import FakeXApi
from tests.support import QUESTIONS, FakeTime, Run, invoke, open_ledger, runtime, x_env

CHAT_YAML = f"""\
version: 1
name: Indie Dev Hour
hashtag: "#IndieDevHour"
topic: indie game development
host: {{name: Ada Example, handle: "@ada_example", email: ada@example.org}}
timezone: America/New_York
schedule: {{rrule: "FREQ=WEEKLY;BYDAY=TU", start: "20:00", first: 2027-02-23}}
audience_timezones: [America/New_York, Europe/London, Australia/Sydney]
guests:
  - {{name: Grace Guest, email: grace@example.org, handle: "@grace", session: 2027-03-30}}
questions: {QUESTIONS!r}
"""
PLANNED_AT = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
SIXTH = date(2027, 3, 30)  # session 6: after the US (14 Mar) and UK (28 Mar) clock changes
# What `post` may take after a due time: it runs a little after it, as cron does.
ON_TIME = timedelta(minutes=1)


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime(PLANNED_AT)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    with SmtpServer() as server:
        yield server


def cli(clock: FakeTime, env: dict[str, str], *args: str) -> Run:
    return invoke(runtime(time=clock, env=env), list(args))


def planned_rows(chat: Path) -> list[Item]:
    with open_ledger(chat) as ledger:
        return [i for i in ledger.items() if i.state != "cancelled"]


def test_a_season_sends_every_post_and_email_once_on_time(
    tmp_path: Path, clock: FakeTime, x: FakeXApi, smtp: SmtpServer
) -> None:
    chat = tmp_path / "chat.yaml"
    chat.write_text(CHAT_YAML, encoding="utf-8")
    env = {
        **x_env(x.base_url),
        "LAUNCHKIT_SMTP_HOST": "127.0.0.1",
        "LAUNCHKIT_SMTP_PORT": str(smtp.port),
        "LAUNCHKIT_SMTP_SECURITY": "none",
    }
    planned = cli(clock, env, "schedule", "--chat", str(chat), "--sessions", "8")
    assert planned.exit_code == 0, planned.stderr
    rows = planned_rows(chat)
    sessions = sorted({r.ref.session for r in rows})
    assert len(sessions) == 8 and sessions[5] == SIXTH
    posts = [r for r in rows if r.ref.channel == "x"]
    emails = [r for r in rows if r.ref.channel == "email"]
    assert {(e.ref.step, e.ref.session) for e in emails} == {
        ("guest-invite", SIXTH),
        ("guest-brief", SIXTH),
        ("guest-reminder", SIXTH),
    }

    # Cron: a run a minute before each due time (nothing goes early), and one just after it.
    for due in sorted({r.ref.due_utc for r in rows}):
        clock.now = due - timedelta(minutes=1)
        early = cli(clock, env, "post", "--chat", str(chat))
        assert early.exit_code == 0, early.stderr
        assert len(x.posted()) + len(smtp.messages) == sum(r.ref.due_utc < due for r in rows)
        clock.now = due + timedelta(seconds=20)
        run = cli(clock, env, "post", "--chat", str(chat))
        assert run.exit_code == 0, run.stderr
        assert len(x.posted()) + len(smtp.messages) == sum(r.ref.due_utc <= due for r in rows)

    # Every post exactly once, on time.
    on_x = {p["text"]: p for p in x.posted()}
    assert Counter(p["text"] for p in x.posted()) == Counter(r.text for r in posts)
    for row in posts:
        created = datetime.fromisoformat(on_x[row.text]["created_at"].replace("Z", "+00:00"))
        assert row.ref.due_utc <= created <= row.ref.due_utc + ON_TIME, row.ref.key
    # Every email exactly once, on time, dated when it was sent; the guest got all three.
    assert len(smtp.messages) == len(emails) == 3
    by_subject = {str(m["Subject"]): m for m in smtp.messages}
    assert len(by_subject) == 3
    for row in emails:
        message = by_subject[row.text]
        sent = parsedate_to_datetime(str(message["Date"])).astimezone(UTC)
        assert row.ref.due_utc <= sent <= row.ref.due_utc + ON_TIME, row.ref.key
        assert "grace@example.org" in str(message["To"])
    body = "\n".join(
        part.get_content()
        for m in smtp.messages
        for part in m.walk()
        if part.get_content_type() == "text/plain"
    )
    assert all(question in body for question in QUESTIONS)  # the brief lists her questions
    with open_ledger(chat) as ledger:
        assert {i.state for i in ledger.items() if i.state != "cancelled"} == {"sent"}
    status = cli(clock, env, "status", "--chat", str(chat))
    assert status.exit_code == 0 and f"sent: {len(rows)}" in status.stdout


def season_chat(tmp_path: Path, clock: FakeTime, env: dict[str, str]) -> Path:
    chat = tmp_path / "chat.yaml"
    chat.write_text(CHAT_YAML, encoding="utf-8")
    planned = cli(clock, env, "schedule", "--chat", str(chat), "--sessions", "8")
    assert planned.exit_code == 0, planned.stderr
    return chat


def test_watch_sends_posts_and_emails_as_they_fall_due(
    tmp_path: Path, clock: FakeTime, x: FakeXApi, smtp: SmtpServer
) -> None:
    env = {
        **x_env(x.base_url),
        "LAUNCHKIT_SMTP_HOST": "127.0.0.1",
        "LAUNCHKIT_SMTP_PORT": str(smtp.port),
        "LAUNCHKIT_SMTP_SECURITY": "none",
    }
    chat = season_chat(tmp_path, clock, env)
    start = datetime(2027, 3, 31, 0, 0, tzinfo=UTC)  # session 6: Tue 30 Mar 20:00 EDT
    clock.now = start - timedelta(hours=3)
    watched = cli(clock, env, "post", "--chat", str(chat), "--watch", "--until", "225m")
    assert watched.exit_code == 0, watched.stderr
    due = [
        r for r in planned_rows(chat) if start - timedelta(hours=3) <= r.ref.due_utc <= clock.now
    ]
    assert {r.ref.step for r in due} >= {"guest-reminder", "reminder-1h", "live", "question"}
    assert {r.state for r in due} == {"sent"}
    (reminder,) = smtp.messages  # the guest's day-of reminder, at 18:00 EDT
    assert parsedate_to_datetime(str(reminder["Date"])) == start - timedelta(hours=2)
    assert len(x.posted()) == sum(r.ref.channel == "x" for r in due)


def test_without_a_mail_server_the_posts_go_and_the_run_says_why_emails_wait(
    tmp_path: Path, clock: FakeTime, x: FakeXApi
) -> None:
    env = x_env(x.base_url)  # X, but no LAUNCHKIT_SMTP_HOST
    chat = season_chat(tmp_path, clock, env)
    clock.now = datetime(2027, 3, 3, 1, 0, 30, tzinfo=UTC)  # session 2's live post, Grace's invite
    run = cli(clock, env, "post", "--chat", str(chat), "--late-ok")
    assert run.exit_code == 3
    assert "Error: no SMTP server set" in run.stderr and "LAUNCHKIT_SMTP_HOST" in run.stderr
    assert x.posted()  # the posts went
    with open_ledger(chat) as ledger:
        (invite,) = [i for i in ledger.items() if i.ref.step == "guest-invite"]
    assert invite.state == "planned"  # waiting for a mail server, not failed


def test_watch_tries_the_mail_server_again_after_it_did_not_answer(
    tmp_path: Path, clock: FakeTime, x: FakeXApi
) -> None:
    server = SmtpServer()  # its port is chosen now; it starts answering later
    env = {
        **x_env(x.base_url),
        "LAUNCHKIT_SMTP_HOST": "127.0.0.1",
        "LAUNCHKIT_SMTP_PORT": str(server.port),
        "LAUNCHKIT_SMTP_SECURITY": "none",
    }
    chat = season_chat(tmp_path, clock, env)
    invite_due = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)  # 28 days before session 6
    clock.now = invite_due - timedelta(seconds=10)
    started: list[datetime] = []

    def mail_server_back(now: datetime) -> None:
        if not started and now >= invite_due + timedelta(minutes=2):
            server.__enter__()
            started.append(now)

    clock.on_sleep = mail_server_back
    try:
        watched = cli(clock, env, "post", "--chat", str(chat), "--watch", "--until", "20m")
    finally:
        if started:
            server.__exit__()
    assert watched.exit_code == 0, watched.stderr
    assert started, "the watch never slept past the server's return"
    (invitation,) = server.messages
    sent = parsedate_to_datetime(str(invitation["Date"]))
    assert invite_due + timedelta(minutes=2) <= sent <= invite_due + timedelta(minutes=6)
    assert x.posted()  # session 2's live post, due at the same moment, went at once
