"""The ledger's SQLite schema, its migrations and row conversions (see ledger.py for how rows
move).

Schema 2 added two columns to `items`: `version`, raised by every change of a row so that a
writer can check, in the same statement, that the row is still the one it read (the row
guard); and `sending_utc`, the moment a row entered `sending`, which is what an unknown
outcome is reconciled against (only posts created after it can be this row's post).

Schema 3 keeps what the send loop sends and the season's plan in the ledger: `message`, an
email's whole message (sent as it is, with the Date it is sent at), so `post` sends emails
without chat.yaml or the templates; `season_shifts` (`schedule --shift`), beside
`session_changes` (cancelled and moved sessions) and the `meta` keys `plan.sessions` and
`plan.from`; `item_choices`, the host's word on a late item (skip it, or send it late).

Schema 4 makes a row one item on one channel: the primary key includes `channel`, whose
CHECK allows the networks (`x`, `mastodon`, `bluesky`) and `email`, so one item posted on
three networks is three rows. SQLite cannot change a primary key in place, so the migration
copies the rows into a table of the new shape and puts it in the old one's place (in the
same transaction as the rest). `sending_utc` is from now on the moment a row FIRST entered
`sending`: it is kept through retries, rate-limit waits and re-plans, because Bluesky's
record key is derived from it (a changed moment would be a new key, and a second post).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal

from launchkit.domain.items import ItemRef
from launchkit.errors import ConfigError

State = Literal["planned", "sending", "sent", "failed", "cancelled"]
STATES: tuple[State, ...] = ("planned", "sending", "sent", "failed", "cancelled")
# Rows in these states may be rewritten by a new plan; `sending` and `sent` never are.
REPLANNABLE: tuple[State, ...] = ("planned", "failed", "cancelled")

KEEP_HINT = "the ledger remembers what was already sent: do not delete it"
LEDGER_DIR = ".launchkit"
LEDGER_FILE = "ledger.db"
SCHEMA_VERSION = 4
# Where a row goes: a network's name, or email (rows of one item are listed in this order).
CHANNELS = ("x", "mastodon", "bluesky", "email")
CHANNEL_ORDER = (
    "CASE channel " + " ".join(f"WHEN '{c}' THEN {n}" for n, c in enumerate(CHANNELS)) + " END"
)

_ITEMS_TABLE = f"""
CREATE TABLE {{table}} (
    chat        TEXT NOT NULL,
    step_id     TEXT NOT NULL,
    session     TEXT NOT NULL,
    idx         INTEGER NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ({", ".join(repr(c) for c in CHANNELS)})),
    due_utc     TEXT NOT NULL,
    text        TEXT NOT NULL,
    has_url     INTEGER NOT NULL DEFAULT 0,
    recipient   TEXT,
    state       TEXT NOT NULL DEFAULT 'planned'
                CHECK (state IN ({", ".join(repr(s) for s in STATES)})),
    remote_id   TEXT,
    url         TEXT,
    error       TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    updated_utc TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    sending_utc TEXT,
    message     BLOB,
    PRIMARY KEY (chat, step_id, session, idx, channel)
);
"""
# Every column but `message`: what rows read in bulk hold.
ITEM_COLUMNS = (
    "chat, step_id, session, idx, channel, due_utc, text, has_url, recipient, state,"
    " remote_id, url, error, attempts, updated_utc, version, sending_utc"
)
_ALL_COLUMNS = ITEM_COLUMNS + ", message"

_OTHERS = """
CREATE INDEX IF NOT EXISTS items_by_state_due ON items (state, due_utc);
CREATE TABLE IF NOT EXISTS meta (
    chat  TEXT NOT NULL,
    key   TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (chat, key)
);
CREATE TABLE IF NOT EXISTS session_changes (
    chat      TEXT NOT NULL,
    session   TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('cancel', 'move')),
    moved_to  TEXT,
    PRIMARY KEY (chat, session)
);
CREATE TABLE IF NOT EXISTS season_shifts (
    chat    TEXT NOT NULL,
    seq     INTEGER NOT NULL,
    session TEXT NOT NULL,
    days    INTEGER NOT NULL,
    PRIMARY KEY (chat, seq)
);
CREATE TABLE IF NOT EXISTS item_choices (
    chat   TEXT NOT NULL,
    item   TEXT NOT NULL,
    choice TEXT NOT NULL CHECK (choice IN ('skip', 'send_late')),
    PRIMARY KEY (chat, item)
);
"""

# Schema 1, 2 or 3 -> 4, in place: every row keeps its content and state. A column is added
# only when missing (an older launchkit run on a migrated file sets user_version back, but
# keeps the columns). A row left in `sending` without its moment entered `sending` at its
# last update. An email row planned before schema 3 has no message yet: the next `schedule`
# writes it, and until then the send loop says so instead of sending.
_NEW_COLUMNS = {
    "version": "INTEGER NOT NULL DEFAULT 1",
    "sending_utc": "TEXT",
    "message": "BLOB",
}
_MIGRATE_1_TO_2 = "UPDATE items SET sending_utc = updated_utc WHERE state = 'sending'" + (
    " AND sending_utc IS NULL;"
)


def _found_version(conn: sqlite3.Connection) -> tuple[int, bool]:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    has_items = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'items'"
    ).fetchone()
    return version, has_items is not None


def _keyed_by_channel(conn: sqlite3.Connection) -> bool:
    """Whether `items` has schema 4's shape: the channel in its key, the networks allowed."""
    key = {row[1] for row in conn.execute("PRAGMA table_info(items)") if row[5]}
    (ddl,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'items'").fetchone()
    return "channel" in key and all(f"'{c}'" in ddl for c in CHANNELS)


def _migrate(conn: sqlite3.Connection) -> None:
    """An older ledger's `items` brought to schema 4 (inside the caller's transaction)."""
    found = {row[1] for row in conn.execute("PRAGMA table_info(items)")}
    for name, kind in _NEW_COLUMNS.items():
        if name not in found:
            conn.execute(f"ALTER TABLE items ADD COLUMN {name} {kind}")
    conn.execute(_MIGRATE_1_TO_2)
    if not _keyed_by_channel(conn):
        # A primary key cannot be altered: copy the rows into a table of the new shape.
        conn.execute(_ITEMS_TABLE.format(table="items_v4"))
        conn.execute(f"INSERT INTO items_v4 ({_ALL_COLUMNS}) SELECT {_ALL_COLUMNS} FROM items")
        conn.execute("DROP TABLE items")
        conn.execute("ALTER TABLE items_v4 RENAME TO items")


def prepare(conn: sqlite3.Connection, label: str) -> None:
    """Create the tables of a new ledger, or migrate an older one in place (one transaction).

    A ledger written by a newer launchkit is refused rather than guessed at.
    """
    version, has_items = _found_version(conn)
    if has_items and version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Read again under the write lock: another process may have just done it.
        version, has_items = _found_version(conn)
        if version > SCHEMA_VERSION:
            raise ConfigError(
                f"{label}: the ledger was written by a newer launchkit (schema {version})",
                hint="upgrade launchkit; an older one cannot read it safely",
            )
        if not (has_items and version == SCHEMA_VERSION):
            if has_items:
                _migrate(conn)
            else:
                conn.execute(_ITEMS_TABLE.format(table="items"))
            for statement in _OTHERS.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def refuse_damaged(path: Path) -> None:
    """An existing ledger that is empty or cannot be read is an error, never a new ledger."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            handle.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise ConfigError(
            f"{path}: the ledger cannot be read ({exc.strerror or type(exc).__name__})",
            hint=f"check the file's permissions; {KEEP_HINT}",
        ) from None
    if size == 0:
        raise ConfigError(
            f"{path}: the ledger is empty (0 bytes), so what was already sent is unknown",
            hint="restore it from a backup; only if nothing was ever posted or mailed, delete "
            "it and run `launchkit schedule` again",
        )


def create_ledger_file(path: Path) -> None:
    """Write a new, empty ledger aside and link it into place (a crash leaves no stub)."""
    staging = path.with_name(f".{path.name}.{os.getpid()}.new")
    for leftover in (staging, Path(f"{staging}-wal"), Path(f"{staging}-shm")):
        leftover.unlink(missing_ok=True)
    conn = sqlite3.connect(staging, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        prepare(conn, str(path))
    finally:
        conn.close()
    try:
        # link() refuses when another process created the ledger meanwhile: theirs is kept.
        os.link(staging, path)
    except FileExistsError:
        pass
    finally:
        staging.unlink(missing_ok=True)


@dataclass(frozen=True)
class PlanRow:
    """What `schedule` wants in the ledger for one item (its content, not its progress)."""

    chat: str  # the chat's hashtag
    ref: ItemRef  # which item (step, session, index, channel) and when it is due
    text: str  # a post's text; an email's subject
    has_url: bool = False
    recipient: str | None = None
    # An email's whole message (RFC 5322 bytes). Rows read in bulk (`items()`) leave it out:
    # `message()` reads it when the email is sent.
    message: bytes | None = None


@dataclass(frozen=True)
class Item(PlanRow):
    """One ledger row: planned content plus where it is in planned → sending → sent/failed."""

    state: State = "planned"
    remote_id: str | None = None
    url: str | None = None
    error: str | None = None
    attempts: int = 0
    version: int = 1  # raised by every change: the row guard compares it
    # When the row first entered `sending` (UTC); kept ever after: a Bluesky record key and
    # the reconcile of an unknown outcome are derived from it.
    sending_since: datetime | None = None


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("the ledger stores aware datetimes only")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def from_iso_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def row_to_item(row: sqlite3.Row) -> Item:
    sending = row["sending_utc"]
    return Item(
        chat=row["chat"],
        ref=ItemRef(
            step=row["step_id"],
            session=date.fromisoformat(row["session"]),
            index=row["idx"],
            channel=row["channel"],
            due_utc=from_iso_utc(row["due_utc"]),
        ),
        text=row["text"],
        has_url=bool(row["has_url"]),
        recipient=row["recipient"],
        state=row["state"],
        remote_id=row["remote_id"],
        url=row["url"],
        error=row["error"],
        attempts=row["attempts"],
        version=row["version"],
        sending_since=from_iso_utc(sending) if sending else None,
        message=row["message"] if "message" in row.keys() else None,  # noqa: SIM118 (a Row)
    )


def key_params(item: PlanRow) -> tuple[str, str, str, int, str]:
    """A row's identity: the chat, the item (step, session, index) and its channel."""
    ref = item.ref
    return (item.chat, ref.step, ref.session.isoformat(), ref.index, ref.channel)


KEY_COLUMNS = "chat, step_id, session, idx, channel"
KEY_WHERE = "chat = ? AND step_id = ? AND session = ? AND idx = ? AND channel = ?"

# Item fields and the ledger columns they are stored in, for the guarded update.
COLUMNS = {"sending_since": "sending_utc"}

CONTENT_COLUMNS = "due_utc, text, has_url, recipient, message"


def content_params(row: PlanRow) -> tuple[str, str, int, str | None, bytes | None]:
    return (iso_utc(row.ref.due_utc), row.text, int(row.has_url), row.recipient, row.message)


def as_plan(item: Item) -> PlanRow:
    return PlanRow(item.chat, item.ref, item.text, item.has_url, item.recipient, item.message)
