"""Finding 2 of issue 19: rows change under a guard, so `schedule` and `post` may run in any
order without a cancelled or edited row going out in its old form; `post --watch` wakes when
the plan changes and holds the lock only while it sends."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from launchkit.adapters.ledger import PlanRow, RowChanged, SqliteLedger, ledger_path
from launchkit.adapters.ledger_schema import SCHEMA_VERSION
from launchkit.adapters.process_lock import LockHeld, ProcessLock
from launchkit.adapters.publishing import Publisher
from launchkit.adapters.x_post import TweepyPublisher, tweepy_publisher
from launchkit.commands import post
from launchkit.domain.items import ItemRef
from launchkit.domain.networks.identity import OwnPost, PostIdentity
from launchkit.errors import ConfigError
from tests.fakes.x_api import FakeXApi
from tests.support import FakeTime, x_settings

CHAT = "#IndieDevHour"
DAY = date(2027, 1, 11)
START = datetime(2027, 1, 12, 1, 0, tzinfo=UTC)


def plan_row(n: int, text: str | None = None, due: datetime | None = None) -> PlanRow:
    ref = ItemRef("question", DAY, n, "x", due or START + timedelta(minutes=n))
    return PlanRow(CHAT, ref, text or f"Q{n} #IndieDevHour")


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime(START + timedelta(minutes=30))


@pytest.fixture
def chat_file(tmp_path: Path) -> Path:
    return tmp_path / "chat.yaml"


def publisher_of(x: FakeXApi) -> TweepyPublisher:
    return tweepy_publisher(x_settings(x.base_url))


class Meanwhile:
    """A publisher that lets something else happen right after its first post goes out."""

    def __init__(self, inner: Publisher, then: object) -> None:
        self.inner, self.then = inner, then

    def create_post(self, text: str, identity: PostIdentity | None = None) -> tuple[str, str]:
        made = self.inner.create_post(text, identity)
        then, self.then = self.then, None
        if callable(then):
            then()
        return made

    def own_posts_since(self, since: datetime, limit: int = 100) -> list[OwnPost]:
        return self.inner.own_posts_since(since, limit)

    def link(self, post_id: str) -> str:
        return self.inner.link(post_id)


def test_a_schedule_during_a_post_run_is_not_overridden(
    x: FakeXApi, clock: FakeTime, chat_file: Path
) -> None:
    # The finding: ten rows cancelled while `post` ran were posted and marked sent, and an
    # edited question went out with its old text.
    path = ledger_path(chat_file)
    ledger = SqliteLedger.open(path, clock=clock)
    ledger.sync_plan(CHAT, [plan_row(n) for n in range(1, 13)])

    def replan() -> None:
        # `schedule` from another process: rows 2..11 dropped, row 12 edited.
        other = SqliteLedger.open(path, clock=clock)
        other.sync_plan(CHAT, [plan_row(1), plan_row(12, "Q12, edited #IndieDevHour")])
        other.close()

    publisher = Meanwhile(publisher_of(x), replan)
    post.run(ledger, lambda n: publisher, post.PostOptions(), clock, clock.sleep)
    assert x.posted_texts() == ["Q1 #IndieDevHour", "Q12, edited #IndieDevHour"]
    states = {i.ref.index: (i.state, i.text) for i in ledger.items()}
    assert states[12] == ("sent", "Q12, edited #IndieDevHour")
    assert all(states[n][0] == "cancelled" for n in range(2, 12))


def test_a_row_changed_since_it_was_read_cannot_change_state(
    clock: FakeTime, chat_file: Path
) -> None:
    ledger = SqliteLedger.open(ledger_path(chat_file), clock=clock)
    ledger.sync_plan(CHAT, [plan_row(1)])
    (read,) = ledger.items()
    ledger.sync_plan(CHAT, [plan_row(1, "Q1 edited #IndieDevHour")])
    with pytest.raises(RowChanged):
        ledger.mark_sending(read)
    assert ledger.items()[0].state == "planned"
    ledger.mark_sending(ledger.items()[0])  # the row as it is now goes


def test_watch_wakes_when_a_row_is_moved_earlier(
    x: FakeXApi, clock: FakeTime, chat_file: Path
) -> None:
    # The finding: --watch slept until the next due time computed before a re-schedule, so a
    # row moved earlier was missed.
    path = ledger_path(chat_file)
    ledger = SqliteLedger.open(path, clock=clock)
    later = clock.now + timedelta(hours=3)
    ledger.sync_plan(CHAT, [plan_row(1, due=later)])
    moved_to = clock.now + timedelta(minutes=20)

    def schedule_meanwhile(now: datetime) -> None:
        if clock.on_sleep is not None and now >= START + timedelta(minutes=35):
            clock.on_sleep = None
            other = SqliteLedger.open(path, clock=clock)
            other.sync_plan(CHAT, [plan_row(1, due=moved_to)])
            other.close()

    clock.on_sleep = schedule_meanwhile
    options = post.PostOptions(watch=True, until=clock.now + timedelta(hours=1))
    post.run(ledger, lambda n: publisher_of(x), options, clock, clock.sleep)
    (sent,) = x.posted()
    assert sent["created_at"] == moved_to.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_watch_holds_the_lock_only_while_sending(
    x: FakeXApi, clock: FakeTime, chat_file: Path
) -> None:
    # The finding: `post --watch` held the lock for its whole life, so `invite --send` could
    # never run beside it.
    path = ledger_path(chat_file)
    lock_file = path.parent / "post.lock"
    ledger = SqliteLedger.open(path, clock=clock)
    ledger.sync_plan(CHAT, [plan_row(40), plan_row(90)])  # due in 10 and 60 minutes
    seen: dict[str, bool] = {}

    def free(key: str) -> None:
        try:
            with ProcessLock(lock_file):
                seen[key] = True
        except LockHeld:
            seen[key] = False

    clock.on_sleep = lambda now: free(f"idle at {now:%H:%M}")
    sending = Meanwhile(publisher_of(x), lambda: free("while sending"))
    options = post.PostOptions(watch=True, until=clock.now + timedelta(hours=2))
    post.run(
        ledger,
        lambda n: sending,
        options,
        clock,
        clock.sleep,
        lock=lambda: ProcessLock(lock_file),
    )
    assert seen.pop("while sending") is False
    assert seen and all(seen.values()), seen
    assert len(x.posted()) == 2


# -- the ledger's schema: migrated in place, refused when it cannot be trusted ----------------

# The ledger as launchkit wrote it before the row guard (schema 1).
SCHEMA_1 = """
CREATE TABLE items (
    chat TEXT NOT NULL, step_id TEXT NOT NULL, session TEXT NOT NULL, idx INTEGER NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('x', 'email')), due_utc TEXT NOT NULL,
    text TEXT NOT NULL, has_url INTEGER NOT NULL DEFAULT 0, recipient TEXT,
    state TEXT NOT NULL DEFAULT 'planned'
        CHECK (state IN ('planned', 'sending', 'sent', 'failed', 'cancelled')),
    remote_id TEXT, url TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0,
    updated_utc TEXT NOT NULL, PRIMARY KEY (chat, step_id, session, idx));
CREATE INDEX items_by_state_due ON items (state, due_utc);
CREATE TABLE meta (chat TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (chat, key));
CREATE TABLE session_changes (chat TEXT NOT NULL, session TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('cancel', 'move')), moved_to TEXT,
    PRIMARY KEY (chat, session));
INSERT INTO items VALUES ('#IndieDevHour', 'question', '2027-01-11', 1, 'x',
    '2027-01-12T01:05:00Z', 'Q1 #IndieDevHour', 0, NULL, 'sent', '111', 'https://x/111', NULL,
    1, '2027-01-12T01:05:01Z');
INSERT INTO items VALUES ('#IndieDevHour', 'question', '2027-01-11', 2, 'x',
    '2027-01-12T01:15:00Z', 'Q2 #IndieDevHour', 0, NULL, 'sending', NULL, NULL, NULL,
    1, '2027-01-12T01:15:02Z');
INSERT INTO items VALUES ('#IndieDevHour', 'question', '2027-01-11', 3, 'x',
    '2027-01-12T01:25:00Z', 'Q3 #IndieDevHour', 0, NULL, 'planned', NULL, NULL, NULL,
    0, '2027-01-05T10:00:00Z');
INSERT INTO meta VALUES ('#IndieDevHour', 'timezone', 'America/New_York');
PRAGMA user_version = 1;
"""


def test_an_old_ledger_file_is_migrated_in_place(chat_file: Path) -> None:
    path = ledger_path(chat_file)
    path.parent.mkdir(parents=True)
    old = sqlite3.connect(path)
    old.executescript(SCHEMA_1)
    old.close()
    ledger = SqliteLedger.open(path)
    assert ledger.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    sent, unknown, planned = ledger.items()
    assert (sent.state, sent.remote_id, sent.text) == ("sent", "111", "Q1 #IndieDevHour")
    # The moment a row entered `sending` was its last update: what it is reconciled against.
    assert unknown.state == "sending"
    assert unknown.sending_since == datetime(2027, 1, 12, 1, 15, 2, tzinfo=UTC)
    assert planned.state == "planned" and planned.sending_since is None
    assert ledger.meta("timezone") == {CHAT: "America/New_York"}
    ledger.mark_sending(planned)  # the guard works on migrated rows
    ledger.close()
    assert SqliteLedger.open(path).items()[2].state == "sending"  # and it stays migrated


def test_a_ledger_an_older_launchkit_wrote_to_is_migrated_again(chat_file: Path) -> None:
    # An older copy of launchkit sets user_version back to 1 and keeps the new columns.
    path = ledger_path(chat_file)
    with SqliteLedger.open(path) as ledger:
        ledger.sync_plan(CHAT, [plan_row(1)])
        ledger.mark_sending(ledger.items()[0])
    older = sqlite3.connect(path)
    older.execute("PRAGMA user_version = 1")
    older.close()
    with SqliteLedger.open(path) as again:
        (item,) = again.items()
        assert item.state == "sending" and item.version == 2


def test_a_ledger_from_a_newer_launchkit_is_refused(chat_file: Path) -> None:
    path = ledger_path(chat_file)
    SqliteLedger.open(path).close()
    newer = sqlite3.connect(path)
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    newer.close()
    with pytest.raises(ConfigError, match="newer launchkit"):
        SqliteLedger.open(path)
