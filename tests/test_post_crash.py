"""Crash safety: `launchkit post` SIGKILLed at every point of the send path, then restarted.

A real subprocess talks to the standalone fake X API (its posts outlive the client; like X,
it refuses a post identical to one it holds). After each crash and restart, every planned
post exists on the server exactly once and the ledger agrees with the server's ids. Besides
posts of distinct texts, the plan of two sessions asking the same questions (rendered by the
bundled templates) is crashed too: session 2's posts must never be taken for session 1's.

Emails go through the same loop to a real SMTP server (aiosmtpd): a mail server cannot be
asked what it delivered, so an email caught mid-send is reported and never sent twice; the
host settles it (`invite --send --resend KEY` or `--mark-sent KEY`).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from launchkit.adapters.ledger import PlanRow, SqliteLedger, ledger_path
from launchkit.adapters.playbookfile import load_playbook
from launchkit.adapters.templates import load_templates
from launchkit.commands.pack import build_pack
from launchkit.commands.post import CRASH_ENV
from launchkit.domain.items import ItemRef
from launchkit.domain.sessions import session_starts
from tests.fakes.x_api import XApiProcess
from tests.support import REPO, make_chat

POINTS = ("before_request", "after_request", "after_ledger_write")
POSTS = 4


@pytest.fixture(scope="module")
def x(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XApiProcess]:
    with XApiProcess(tmp_path_factory.mktemp("x")) as server:
        yield server


def plan(workdir: Path, tag: str) -> Path:
    """A chat folder whose ledger holds POSTS posts due in the last few minutes."""
    chat_file = workdir / "chat.yaml"
    workdir.mkdir(parents=True)
    now = datetime.now(UTC)
    ledger = SqliteLedger.open(ledger_path(chat_file))
    ledger.sync_plan(
        "#CrashTest",
        [
            PlanRow(
                "#CrashTest",
                ItemRef("question", date(2027, 1, 12), n, "x", now - timedelta(minutes=POSTS - n)),
                f"{tag} Q{n} #CrashTest",
            )
            for n in range(1, POSTS + 1)
        ],
    )
    ledger.close()
    return chat_file


def plan_two_sessions(workdir: Path, hashtag: str) -> Path:
    """Two sessions' question posts, the same questions in each, all due in the last minutes.

    The texts are the bundled templates' (each names its session's date), so the plan is
    what `schedule` would write; only the due times are moved to now.
    """
    chat = make_chat(hashtag=hashtag, questions=[f"Question {n}?" for n in range(1, 5)])
    templates = load_templates(None)
    playbook = load_playbook("weekly-launch", templates.names(), REPO)
    pack = build_pack(chat, playbook, session_starts(chat, 2), datetime.now(UTC), templates)
    questions = [p for p in pack.posts if p.ref.step == "question"]
    assert len(questions) == 2 * POSTS
    assert len({p.text.split(": ", 1)[1] for p in questions}) == POSTS  # the same questions
    chat_file = workdir / "chat.yaml"
    workdir.mkdir(parents=True)
    now = datetime.now(UTC)
    rows = [
        PlanRow(
            hashtag, replace(p.ref, due_utc=now - timedelta(minutes=len(questions) - n)), p.text
        )
        for n, p in enumerate(questions)
    ]
    with SqliteLedger.open(ledger_path(chat_file)) as ledger:
        ledger.sync_plan(hashtag, rows)
    return chat_file


def launch(
    x: XApiProcess,
    chat_file: Path,
    crash_at: str | None,
    smtp_port: int | None = None,
    command: tuple[str, ...] = ("post",),
) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env.update(
        LAUNCHKIT_X_API_KEY="ck",
        LAUNCHKIT_X_API_SECRET="cs",
        LAUNCHKIT_X_ACCESS_TOKEN="at",
        LAUNCHKIT_X_ACCESS_SECRET="as",
        LAUNCHKIT_X_API_BASE_URL=x.base_url,
    )
    if smtp_port is not None:
        env.update(
            LAUNCHKIT_SMTP_HOST="127.0.0.1",
            LAUNCHKIT_SMTP_PORT=str(smtp_port),
            LAUNCHKIT_SMTP_SECURITY="none",
        )
    env.pop(CRASH_ENV, None)
    if crash_at:
        env[CRASH_ENV] = crash_at
    return subprocess.Popen(
        [sys.executable, "-m", "launchkit", *command, "--chat", str(chat_file)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def post(
    x: XApiProcess,
    chat_file: Path,
    crash_at: str | None = None,
    smtp_port: int | None = None,
    codes: tuple[int, ...] = (0, -signal.SIGKILL),
    command: tuple[str, ...] = ("post",),
) -> int:
    process = launch(x, chat_file, crash_at, smtp_port, command)
    _, err = process.communicate(timeout=60)
    assert process.returncode in codes, err
    return process.returncode


def assert_exactly_once(x: XApiProcess, chat_file: Path, mark: str) -> None:
    """Every planned row's text is on the server once (posts whose text has `mark`), and the
    ledger holds each one's own id."""
    on_server = [p for p in x.posted() if mark in p["text"]]
    ledger = SqliteLedger.open(ledger_path(chat_file))
    items = ledger.items()
    ledger.close()
    texts = [p["text"] for p in on_server]
    assert sorted(texts) == sorted(i.text for i in items), "every planned post exactly once"
    assert {i.state for i in items} == {"sent"}
    assert {i.text: i.remote_id for i in items} == {p["text"]: p["id"] for p in on_server}


# Four posts of distinct texts; and two sessions' four questions each (nth 5..8: session 2).
PLANS = [("distinct", n) for n in range(1, POSTS + 1)] + [("two sessions", n) for n in (1, 4, 5, 8)]


@pytest.mark.parametrize(("kind", "nth"), PLANS)
@pytest.mark.parametrize("point", POINTS)
def test_killed_at_a_point_then_restarted(
    x: XApiProcess, tmp_path: Path, point: str, kind: str, nth: int
) -> None:
    if kind == "distinct":
        mark = f"{point}-{nth} "
        chat_file = plan(tmp_path / "chat", mark.strip())
    else:
        hashtag = f"#Crash{POINTS.index(point)}x{nth}"
        mark = f" {hashtag}"
        chat_file = plan_two_sessions(tmp_path / "chat", hashtag)
    assert post(x, chat_file, f"{point}:{nth}") == -signal.SIGKILL
    assert post(x, chat_file) == 0
    assert_exactly_once(x, chat_file, mark)


def test_killed_again_and_again(x: XApiProcess, tmp_path: Path) -> None:
    """Crashes during recovery too: each restart dies at another point until one finishes."""
    rng = random.Random(7)
    for run in range(5):
        tag = f"chain{run}"
        chat_file = plan(tmp_path / tag, tag)
        for _ in range(6):
            post(x, chat_file, f"{rng.choice(POINTS)}:{rng.randint(1, 2)}")
        post(x, chat_file)
        assert_exactly_once(x, chat_file, f"{tag} ")


def test_killed_at_random_moments_while_the_server_holds_responses(
    x: XApiProcess, tmp_path: Path
) -> None:
    """SIGKILL at arbitrary times, mostly while X has applied a post but not yet answered."""
    rng = random.Random(11)
    for run in range(6):
        tag = f"random{run}"
        chat_file = plan(tmp_path / tag, tag)
        for _ in range(3):
            for _ in range(POSTS):
                x.hold_next("POST /2/tweets", 0.4)
            process = launch(x, chat_file, None)
            time.sleep(rng.uniform(0.3, 1.5))
            process.kill()
            process.communicate(timeout=30)
        post(x, chat_file)
        assert_exactly_once(x, chat_file, f"{tag} ")


# -- emails: a crash mid-send never mails a guest twice -------------------------------------

EMAILS = 3


def plan_emails(workdir: Path) -> Path:
    """A ledger with EMAILS guest emails due in the last minutes, whole messages and all."""
    from launchkit.domain.mail import Mailbox, build_message, message_bytes

    chat_file = workdir / "chat.yaml"
    workdir.mkdir(parents=True)
    now = datetime.now(UTC)
    rows = []
    for n in range(1, EMAILS + 1):
        subject = f"Guest brief {n} for #CrashMail"
        message = build_message(
            Mailbox("Ada", "ada@example.org"),
            Mailbox(f"Guest {n}", f"guest{n}@example.org"),
            subject,
            f"Your questions, guest {n}.\n",
            now,
        )
        due = now - timedelta(minutes=EMAILS - n)
        rows.append(
            PlanRow(
                "#CrashMail",
                ItemRef("guest-brief", date(2027, 1, 12), n, "email", due),
                subject,
                recipient=f"guest{n}@example.org",
                message=message_bytes(message),
            )
        )
    with SqliteLedger.open(ledger_path(chat_file)) as ledger:
        ledger.sync_plan("#CrashMail", rows)
    return chat_file


def email_states(chat_file: Path) -> dict[str, str]:
    with SqliteLedger.open(ledger_path(chat_file)) as ledger:
        return {i.ref.key: i.state for i in ledger.items()}


@pytest.mark.parametrize("nth", range(1, EMAILS + 1))
@pytest.mark.parametrize("point", POINTS)
def test_an_email_killed_mid_send_is_never_sent_twice(
    x: XApiProcess, tmp_path: Path, point: str, nth: int
) -> None:
    from tests.fakes.smtp_server import SmtpServer

    chat_file = plan_emails(tmp_path / "chat")
    key = f"guest-brief|2027-01-12|{nth}"
    with SmtpServer() as smtp:
        port = smtp.port
        assert post(x, chat_file, f"{point}:{nth}", port) == -signal.SIGKILL
        delivered = [str(m["To"]) for m in smtp.messages]
        # The restart sends the others; the one caught mid-send is reported, never resent.
        expected_code = 0 if point == "after_ledger_write" else 4
        assert post(x, chat_file, None, port, codes=(expected_code,)) == expected_code
        again = [str(m["To"]) for m in smtp.messages]
        assert again[: len(delivered)] == delivered
        assert Counter(again).most_common(1)[0][1] == 1, "no guest is mailed twice"
        if point == "after_ledger_write":
            assert set(email_states(chat_file).values()) == {"sent"}
        else:
            assert email_states(chat_file)[key] == "sending"
            reached = any(f"guest{nth}@" in to for to in again)
            assert reached == (point == "after_request")
            # The host looked in the Sent folder and says what happened.
            word = ("--mark-sent",) if reached else ("--resend",)
            settle = ("invite", "--send", *word, key)
            assert post(x, chat_file, None, port, codes=(0,), command=settle) == 0
            assert post(x, chat_file, None, port, codes=(0,)) == 0
        final = Counter(str(m["To"]) for m in smtp.messages)
        assert sorted(final) == [f"Guest {n} <guest{n}@example.org>" for n in range(1, 4)]
        assert set(final.values()) == {1}
        assert set(email_states(chat_file).values()) == {"sent"}
