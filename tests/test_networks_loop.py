"""A chat on X, Mastodon and Bluesky through the one sending loop: `schedule` plans one ledger
row per post per network, `launchkit post` sends each network as its own channel (the real
tweepy, Mastodon.py and the XRPC adapter against the fakes on 127.0.0.1), and a ledger of
schema 3 (written by the launchkit before networks joined the loop) is migrated in place."""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from launchkit.adapters.bluesky_session import SESSION_FILE
from launchkit.adapters.ledger import ledger_path
from launchkit.adapters.ledger_schema import SCHEMA_VERSION
from launchkit.domain.networks.identity import PostIdentity
from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.fakes.x_api import FakeXApi
from tests.support import (
    REPO,
    FakeTime,
    Run,
    example_chat_file,
    invoke,
    networks_env,
    open_ledger,
    plan,
    runtime,
)

PLANNED_AT = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
NETWORKS = ["x", "mastodon", "bluesky"]
# launchkit at 84ba2f5 (ledger schema 3) scheduled examples/chat.yaml for one session at
# 2027-01-01 12:00 UTC, then sent its first X post, left the second in `sending` (a crash)
# and failed the third; the file is that ledger, byte for byte.
SCHEMA_3_LEDGER = REPO / "tests" / "data" / "ledger_schema3.db"


@dataclass
class Networks:
    x: FakeXApi
    mastodon: FakeMastodonApi
    bluesky: FakeBlueskyPds
    clock: FakeTime

    @property
    def env(self) -> dict[str, str]:
        return networks_env(self.x.base_url, self.mastodon.base_url, self.bluesky.base_url)

    def texts(self) -> dict[str, list[str]]:
        return {
            "x": self.x.posted_texts(),
            "mastodon": self.mastodon.own_texts(),
            "bluesky": self.bluesky.own_texts(),
        }


@pytest.fixture
def networks() -> Iterator[Networks]:
    clock = FakeTime(PLANNED_AT)
    with (
        FakeXApi(now=clock) as x,
        FakeMastodonApi(clock=clock) as mastodon,
        FakeBlueskyPds(clock=clock) as bluesky,
    ):
        yield Networks(x, mastodon, bluesky, clock)


def a_chat(folder: Path) -> Path:
    """The example chat on all three networks, one session (Tue 12 Jan 2027, 20:00 New York),
    without guests (no mail server here), planned at PLANNED_AT."""
    chat = example_chat_file(folder, networks=NETWORKS, guests=[])
    plan(chat, PLANNED_AT, sessions=1)
    return chat


def post(networks: Networks, chat: Path, env: dict[str, str] | None = None) -> Run:
    rt = runtime(time=networks.clock, env=env or networks.env)
    return invoke(rt, ["post", "--chat", str(chat)])


def due_times(chat: Path) -> list[datetime]:
    with open_ledger(chat) as ledger:
        return sorted({i.ref.due_utc for i in ledger.items() if i.state == "planned"})


def test_a_chat_on_three_networks_posts_every_due_item_once_per_network(
    tmp_path: Path, networks: Networks
) -> None:
    chat = a_chat(tmp_path)
    with open_ledger(chat) as ledger:
        planned = Counter(i.ref.channel for i in ledger.items())
    assert planned["x"] == planned["mastodon"] == planned["bluesky"] > 10
    for due in due_times(chat):  # as cron would: a little after each due time
        networks.clock.now = due + timedelta(seconds=30)
        run = post(networks, chat)
        assert run.exit_code == 0, run.stderr
        # Each item's rows in the ledger's order, each line naming its network.
        lines = run.stdout.splitlines()
        shown = [[p for p in line.split("  ") if p][2].split(":")[0] for line in lines]
        assert shown == ["X", "Mastodon", "Bluesky"] * (len(shown) // 3) and shown
        assert post(networks, chat).exit_code == 0  # a second run finds nothing to send
    texts = networks.texts()
    with open_ledger(chat) as ledger:
        rows = ledger.items()
    for network in NETWORKS:
        mine = [i for i in rows if i.ref.channel == network]
        assert {i.state for i in mine} == {"sent"}
        # Each item once on its network: the server holds exactly the ledger's texts.
        assert sorted(texts[network]) == sorted(i.text for i in mine)
        assert len({i.remote_id for i in mine}) == len(mine)
    # A Bluesky row records its post's at:// URI, at the record key derived from the row.
    for item in (i for i in rows if i.ref.channel == "bluesky"):
        assert item.sending_since is not None and item.remote_id and item.url
        rkey = PostIdentity(item.chat, item.ref.key, "bluesky", item.sending_since).record_key
        assert item.remote_id.endswith(f"/app.bsky.feed.post/{rkey}")
        assert item.url.endswith(f"/post/{rkey}")
    # Every Mastodon status carried the row's Idempotency-Key.
    keys = [r.headers.get("Idempotency-Key") for r in networks.mastodon.requests_to(
        "POST /api/v1/statuses"
    )]  # fmt: skip
    assert len(keys) == planned["mastodon"] and len(set(keys)) == len(keys) and all(keys)


def test_bluesky_is_logged_in_to_once_across_five_post_runs(
    tmp_path: Path, networks: Networks
) -> None:
    chat = a_chat(tmp_path)
    for due in due_times(chat)[:5]:
        networks.clock.now = due + timedelta(seconds=30)
        assert post(networks, chat).exit_code == 0
    assert len(networks.bluesky.logins) == 1
    saved = ledger_path(chat).parent / SESSION_FILE
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert "app-pass-word" not in saved.read_text(encoding="utf-8")


# The secret each network refuses: a revoked Mastodon token, a wrong Bluesky app password.
REFUSED = {"mastodon": "LAUNCHKIT_MASTODON_TOKEN", "bluesky": "LAUNCHKIT_BLUESKY_APP_PASSWORD"}


@pytest.mark.parametrize("refusing", sorted(REFUSED))
def test_a_401_on_one_network_stops_that_network_and_the_others_post(
    tmp_path: Path, networks: Networks, refusing: str
) -> None:
    chat = a_chat(tmp_path)
    first = due_times(chat)[0]
    networks.clock.now = first + timedelta(seconds=30)
    refused = {**networks.env, REFUSED[refusing]: "revoked-secret"}
    run = post(networks, chat, refused)
    assert run.exit_code == 4, run.stderr
    assert refusing.capitalize() in run.stderr
    assert "revoked-secret" not in run.stderr + run.stdout
    with open_ledger(chat) as ledger:
        due = {(i.ref.channel, i.state) for i in ledger.items() if i.ref.due_utc == first}
    others = {(n, "sent") for n in NETWORKS if n != refusing}
    assert due == others | {(refusing, "planned")}
    assert networks.texts()[refusing] == []
    # With the secret mended, the next run posts what that network missed, nothing twice.
    run = post(networks, chat)
    assert run.exit_code == 0, run.stderr
    texts = networks.texts()
    assert len(texts["mastodon"]) == len(texts["x"]) == len(texts["bluesky"]) >= 1


def test_a_schema_3_ledger_is_migrated_in_place_and_its_rows_keep_working(
    tmp_path: Path,
) -> None:
    chat = example_chat_file(tmp_path, networks=NETWORKS)
    path = ledger_path(chat)
    path.parent.mkdir()
    shutil.copyfile(SCHEMA_3_LEDGER, path)
    old = sqlite3.connect(path)
    before = old.execute("SELECT * FROM items ORDER BY 1, 2, 3, 4").fetchall()
    assert old.execute("PRAGMA user_version").fetchone()[0] == 3
    old.close()
    with open_ledger(chat) as ledger:
        assert ledger.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 4
        after = ledger.conn.execute("SELECT * FROM items ORDER BY 1, 2, 3, 4").fetchall()
        # Every row, column by column, as it was (emails keep their whole message).
        assert [tuple(r) for r in after] == before
        rows = ledger.items(channel="x")
        sent, unknown, failed = (next(i for i in rows if i.state == s) for s in STATES_SEEN)
        assert sent.remote_id == "1900000000000000001"
        assert unknown.sending_since == datetime(2027, 1, 2, 15, 0, tzinfo=UTC)
        assert failed.error == "X said 400: text too long"
        assert ledger.meta("timezone") == {"#IndieDevHour": "America/New_York"}
    # The next `schedule` adds the item's Mastodon and Bluesky rows beside the X row; the
    # X rows sent and in `sending` are kept as they are.
    result = plan(chat, PLANNED_AT, sessions=1)
    assert result.counts.kept == 2
    with open_ledger(chat) as ledger:
        rows = ledger.items()
        by_channel = Counter(i.ref.channel for i in rows if i.state != "cancelled")
        assert by_channel["x"] == by_channel["mastodon"] == by_channel["bluesky"]
        again = next(i for i in rows if i.ref == unknown.ref)
        assert (again.state, again.sending_since) == ("sending", unknown.sending_since)
        # The row guard works on a migrated row.
        planned = next(i for i in rows if i.ref.channel == "mastodon")
        assert ledger.mark_sending(planned).state == "sending"


STATES_SEEN = ("sent", "sending", "failed")


def test_status_shows_the_network_of_each_row(tmp_path: Path, networks: Networks) -> None:
    chat = a_chat(tmp_path)
    networks.clock.now = due_times(chat)[0] + timedelta(seconds=30)
    assert post(networks, chat).exit_code == 0
    rt = runtime(time=networks.clock, env=networks.env)
    shown = json.loads(invoke(rt, ["status", "--chat", str(chat), "--json"]).stdout)
    assert shown["schema_version"] == 1
    first = shown["items"][0]["ref"]["key"]
    rows = [(r["network"], r["status"]) for r in shown["items"] if r["ref"]["key"] == first]
    assert rows == [("x", "sent"), ("mastodon", "sent"), ("bluesky", "sent")]
    table = invoke(runtime(time=networks.clock), ["status", "--chat", str(chat)]).stdout
    header, *lines = [line for line in table.splitlines() if line.startswith(("status", "sent "))]
    assert header.split()[:4] == ["status", "due", "network", "item"]
    assert [line.split()[4] for line in lines] == ["x", "mastodon", "bluesky"]


def test_bluesky_s_login_rate_limit_is_waited_out_or_stops_bluesky_alone(
    tmp_path: Path, networks: Networks
) -> None:
    chat = a_chat(tmp_path)
    first, second = due_times(chat)[:2]
    # Someone used up the 300 logins of the day: the reset is hours away, past any wait.
    networks.clock.now = first + timedelta(seconds=30)
    networks.bluesky.logins.extend([networks.clock.now - timedelta(hours=1)] * 300)
    run = post(networks, chat)
    assert run.exit_code == 4, run.stderr
    assert "Bluesky rate limit" in run.stderr
    with open_ledger(chat) as ledger:
        due = {(i.ref.channel, i.state) for i in ledger.items() if i.ref.due_utc == first}
    assert due == {("x", "sent"), ("mastodon", "sent"), ("bluesky", "planned")}
    # 30 logins in the last 5 minutes: the run waits for the reset the server names, then
    # logs in once and posts the item now due (the first one, a week late, waits for
    # --late-ok as on any network).
    networks.bluesky.logins[:] = [second - timedelta(minutes=2)] * 31
    networks.clock.now = second + timedelta(seconds=30)
    run = post(networks, chat)
    assert run.exit_code == 0, run.stderr
    assert networks.clock.now >= second + timedelta(minutes=3)  # it waited
    with open_ledger(chat) as ledger:
        bluesky = {i.ref.due_utc: i.state for i in ledger.items(channel="bluesky")}
    assert (bluesky[first], bluesky[second]) == ("planned", "sent")
    assert len(networks.bluesky.own_texts()) == 1
    assert len(networks.bluesky.logins) == 31 + 2  # one refused, one allowed
