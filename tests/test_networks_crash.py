"""Crash safety on every network: `launchkit post` (a real subprocess) posting one plan to X,
Mastodon and Bluesky is SIGKILLed at each point of the send path, at a row of each network,
then run again.

The fakes run in processes of their own (they outlive the client and keep what they
accepted). After the restart every row's text is on its network exactly once, and the ledger
holds each post's own id: a row caught in `sending` is looked up (Mastodon: the account's own
statuses since the row entered `sending`; Bluesky: the record at the row's own key) before
anything is sent again. Bluesky is logged in to at most once per chat folder, however many
runs and crashes it takes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from launchkit.adapters.ledger import PlanRow, SqliteLedger, ledger_path
from launchkit.commands.post import CRASH_ENV
from launchkit.domain.items import ItemRef
from tests.fakes.standalone import FakeProcess
from tests.fakes.x_api import XApiProcess
from tests.support import REPO, networks_env

POINTS = ("before_request", "after_request", "after_ledger_write")
NETWORKS = ("x", "mastodon", "bluesky")
ITEMS = 2
LOGIN = "POST /xrpc/com.atproto.server.createSession"


class Servers:
    def __init__(self, x: XApiProcess, mastodon: FakeProcess, bluesky: FakeProcess) -> None:
        self.x, self.mastodon, self.bluesky = x, mastodon, bluesky

    def texts(self, network: str) -> list[str]:
        if network == "x":
            return [p["text"] for p in self.x.posted()]
        return (self.mastodon if network == "mastodon" else self.bluesky).texts()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    workdir = tmp_path_factory.mktemp("networks")
    with (
        XApiProcess(workdir) as x,
        FakeProcess("mastodon", workdir) as mastodon,
        FakeProcess("bluesky", workdir) as bluesky,
    ):
        yield Servers(x, mastodon, bluesky)


def plan(workdir: Path, tag: str) -> Path:
    """ITEMS posts due in the last few minutes, each on the three networks (the loop sends an
    item's rows in the ledger's order: X, Mastodon, Bluesky). Each test is a chat of its own:
    the servers outlive the tests, and a row's identity is its chat's item on a network."""
    chat_file = workdir / "chat.yaml"
    workdir.mkdir(parents=True)
    now = datetime.now(UTC)
    hashtag = "#Crash_" + tag.replace("-", "_")
    rows = [
        PlanRow(
            hashtag,
            ItemRef("question", date(2027, 1, 12), n, network, now - timedelta(minutes=5 - n)),
            f"{tag} Q{n} {hashtag}",
        )
        for n in range(1, ITEMS + 1)
        for network in NETWORKS
    ]
    with SqliteLedger.open(ledger_path(chat_file)) as ledger:
        ledger.sync_plan(hashtag, rows)
    return chat_file


def post(servers: Servers, chat_file: Path, crash_at: str | None = None) -> int:
    env = {
        **os.environ,
        **networks_env(servers.x.base_url, servers.mastodon.base_url, servers.bluesky.base_url),
    }
    env.pop(CRASH_ENV, None)
    if crash_at:
        env[CRASH_ENV] = crash_at
    process = subprocess.run(
        [sys.executable, "-m", "launchkit", "post", "--chat", str(chat_file)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert process.returncode in (0, -signal.SIGKILL), process.stderr
    return process.returncode


def assert_exactly_once(servers: Servers, chat_file: Path, tag: str) -> None:
    with SqliteLedger.open(ledger_path(chat_file)) as ledger:
        items = ledger.items()
    assert {i.state for i in items} == {"sent"}
    for network in NETWORKS:
        mine = [i for i in items if i.ref.channel == network]
        on_server = [t for t in servers.texts(network) if t.startswith(f"{tag} ")]
        assert sorted(on_server) == sorted(i.text for i in mine), f"{network}: exactly once"
        assert len({i.remote_id for i in mine}) == ITEMS


# nth 1, 2, 3: item 1's row on X, Mastodon, Bluesky; 5 and 6: item 2's on Mastodon, Bluesky.
@pytest.mark.parametrize("nth", [1, 2, 3, 5, 6])
@pytest.mark.parametrize("point", POINTS)
def test_killed_at_each_network_then_restarted(
    servers: Servers, tmp_path: Path, point: str, nth: int
) -> None:
    tag = f"{point}-{nth}"
    chat_file = plan(tmp_path / "chat", tag)
    logins = servers.bluesky.requests_to(LOGIN)
    assert post(servers, chat_file, f"{point}:{nth}") == -signal.SIGKILL
    assert post(servers, chat_file) == 0
    assert_exactly_once(servers, chat_file, tag)
    assert servers.bluesky.requests_to(LOGIN) - logins == 1  # the session file was reused


def test_killed_again_and_again_across_networks(servers: Servers, tmp_path: Path) -> None:
    """Crashes during recovery too: each restart dies at another row and point."""
    chat_file = plan(tmp_path / "chain", "chain")
    for point, nth in [("after_request", 3), ("after_request", 1), ("before_request", 2),
                       ("after_ledger_write", 2), ("after_request", 2)]:  # fmt: skip
        post(servers, chat_file, f"{point}:{nth}")
    assert post(servers, chat_file) == 0
    assert_exactly_once(servers, chat_file, "chain")
