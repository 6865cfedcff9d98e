"""Crash safety: `launchkit post` SIGKILLed at every point of the send path, then restarted.

A real subprocess talks to the standalone fake X API (its posts outlive the client; like X,
it refuses a post identical to one it holds). After each crash and restart, every planned
post exists on the server exactly once and the ledger agrees with the server's ids. Besides
posts of distinct texts, the plan of two sessions asking the same questions (rendered by the
bundled templates) is crashed too: session 2's posts must never be taken for session 1's.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
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


def launch(x: XApiProcess, chat_file: Path, crash_at: str | None) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env.update(
        LAUNCHKIT_X_API_KEY="ck",
        LAUNCHKIT_X_API_SECRET="cs",
        LAUNCHKIT_X_ACCESS_TOKEN="at",
        LAUNCHKIT_X_ACCESS_SECRET="as",
        LAUNCHKIT_X_API_BASE_URL=x.base_url,
    )
    env.pop(CRASH_ENV, None)
    if crash_at:
        env[CRASH_ENV] = crash_at
    return subprocess.Popen(
        [sys.executable, "-m", "launchkit", "post", "--chat", str(chat_file)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def post(x: XApiProcess, chat_file: Path, crash_at: str | None = None) -> int:
    process = launch(x, chat_file, crash_at)
    _, err = process.communicate(timeout=60)
    assert process.returncode in (0, -signal.SIGKILL), err
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
