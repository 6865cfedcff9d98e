"""Finding 4 of issue 19: a run that leaves anything failed exits non-zero with what failed
and why; `post --retry-failed` and `invite --send --retry-failed` send them again; one
address refused by the mail server fails that guest's email only."""

from __future__ import annotations

import socket
from datetime import UTC, date, datetime
from pathlib import Path

from launchkit.adapters.ledger import PlanRow, SqliteLedger, ledger_path
from launchkit.domain.items import ItemRef
from tests.fakes.smtp_server import SmtpServer
from tests.fakes.x_api import SERVER_ERROR, FakeXApi
from tests.support import FakeTime, invoke, plan, runtime, write_chat, x_env

START = datetime(2027, 1, 12, 1, 0, tzinfo=UTC)
CHAT = "#IndieDevHour"


def planned(tmp_path: Path, clock: FakeTime, *texts: str) -> Path:
    chat = tmp_path / "chat.yaml"
    with SqliteLedger.open(ledger_path(chat), clock=clock) as ledger:
        rows = [
            PlanRow(CHAT, ItemRef("question", date(2027, 1, 11), n, "x", START), text)
            for n, text in enumerate(texts, 1)
        ]
        ledger.sync_plan(CHAT, rows)
    return chat


def post(chat: Path, clock: FakeTime, base_url: str, *flags: str) -> tuple[int, str]:
    result = invoke(runtime(time=clock, env=x_env(base_url)), ["post", "--chat", str(chat), *flags])
    return result.exit_code, result.stderr


def test_four_500s_leave_a_failed_post_and_a_non_zero_exit_until_it_is_retried(
    x: FakeXApi, clock: FakeTime, tmp_path: Path
) -> None:
    # The finding: four 500s left the row failed with exit 0, and no later run said so.
    chat = planned(tmp_path, clock, "Q1 #IndieDevHour", "Q2 #IndieDevHour")
    x.fail_next("POST /2/tweets", 500, SERVER_ERROR, times=4)
    code, err = post(chat, clock, x.base_url)
    assert code == 4
    assert "Error: 1 post failed:" in err
    assert "question|2027-01-11|1 (due 2027-01-12 01:00 UTC)" in err
    assert "X had a server error (500)" in err
    assert "--retry-failed" in err
    assert x.posted_texts() == ["Q2 #IndieDevHour"]
    # A later run sends nothing new, and still says what is failed.
    code, err = post(chat, clock, x.base_url)
    assert code == 4 and "1 post failed" in err
    assert x.posted_texts() == ["Q2 #IndieDevHour"]
    # Retried, it goes, and the run is clean.
    code, err = post(chat, clock, x.base_url, "--retry-failed")
    assert code == 0, err
    assert x.posted_texts() == ["Q2 #IndieDevHour", "Q1 #IndieDevHour"]


def test_a_refused_connection_is_a_failure_not_a_success(clock: FakeTime, tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{closed.getsockname()[1]}"
    chat = planned(tmp_path, clock, "Q1 #IndieDevHour")
    code, err = post(chat, clock, nobody)
    assert code == 4
    assert "1 post failed" in err and "could not reach X" in err


def test_a_row_whose_outcome_cannot_be_checked_is_not_sent_blind(
    x: FakeXApi, clock: FakeTime, tmp_path: Path
) -> None:
    chat = planned(tmp_path, clock, "Q1 #IndieDevHour")
    with SqliteLedger.open(ledger_path(chat), clock=clock) as ledger:
        ledger.mark_sending(ledger.items()[0])  # a crash while sending
    x.fail_next("GET /2/users/me", 503, SERVER_ERROR)  # and X cannot say whether it exists
    code, err = post(chat, clock, x.base_url)
    assert code == 4 and "could not be looked up" in err
    assert x.posted_texts() == []
    code, err = post(chat, clock, x.base_url)  # X answers again: looked up, then sent
    assert code == 0, err
    assert x.posted_texts() == ["Q1 #IndieDevHour"]


def test_retry_failed_is_documented_in_help() -> None:
    result = invoke(runtime(), ["post", "--help"])
    assert "--retry-failed" in result.stdout + result.output


# -- invite: one refused address fails that email only ----------------------------------------

TWO_GUESTS = """\
  - {name: Grace Guest, email: grace@example.org, handle: "@grace", session: 2027-03-16}
  - {name: Lin Nobody, email: lin@nowhere.example.org, session: 2027-03-16}
"""
AFTER_BRIEF = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)


def two_guest_chat(tmp_path: Path) -> Path:
    chat = write_chat(tmp_path)
    text = chat.read_text(encoding="utf-8")
    start = text.index("guests:\n") + len("guests:\n")
    end = text.index("questions:")
    chat.write_text(text[:start] + TWO_GUESTS + text[end:], encoding="utf-8")
    plan(chat)  # the emails are the ledger's rows
    return chat


def invite(chat: Path, port: int, *flags: str) -> tuple[int, str, str]:
    env = {
        "LAUNCHKIT_SMTP_HOST": "127.0.0.1",
        "LAUNCHKIT_SMTP_PORT": str(port),
        "LAUNCHKIT_SMTP_SECURITY": "none",
    }
    result = invoke(
        runtime(AFTER_BRIEF, env=env), ["invite", "--chat", str(chat), "--send", *flags]
    )
    return result.exit_code, result.stdout, result.stderr


def test_one_refused_guest_fails_alone_and_the_others_are_sent(tmp_path: Path) -> None:
    # The finding: one address refused (550) stopped every later invitation, on every run.
    chat = two_guest_chat(tmp_path)
    with SmtpServer(refuse={"lin@nowhere.example.org"}) as smtp:
        code, out, err = invite(chat, smtp.port)
        assert code == 4
        assert out.count("failed ") == 2 and out.count("sent ") == 2
        assert "Error: 2 emails failed:" in err
        assert "lin@nowhere.example.org (550" in err
        to = [str(m["To"]) for m in smtp.messages]
        assert len(to) == 2 and all("grace@example.org" in t for t in to)  # invite and brief
        # The next run sends nothing again and still reports the failures.
        code, _, err = invite(chat, smtp.port)
        assert code == 4 and "2 emails failed" in err
        assert len(smtp.messages) == 2
    # The address fixed on the server's side: --retry-failed sends them.
    with SmtpServer() as smtp:
        code, _, err = invite(chat, smtp.port, "--retry-failed")
        assert code == 0, err
        assert len(smtp.messages) == 2
        assert all("lin@nowhere.example.org" in str(m["To"]) for m in smtp.messages)
