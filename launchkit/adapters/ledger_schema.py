"""The ledger's SQLite schema and row conversions (see ledger.py for how rows move)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from launchkit.domain.items import ItemRef

State = Literal["planned", "sending", "sent", "failed", "cancelled"]
STATES: tuple[State, ...] = ("planned", "sending", "sent", "failed", "cancelled")
# Rows in these states may be rewritten by a new plan; `sending` and `sent` never are.
REPLANNABLE: tuple[State, ...] = ("planned", "failed", "cancelled")

LEDGER_DIR = ".launchkit"
LEDGER_FILE = "ledger.db"
SCHEMA_VERSION = 1

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS items (
    chat        TEXT NOT NULL,
    step_id     TEXT NOT NULL,
    session     TEXT NOT NULL,
    idx         INTEGER NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('x', 'email')),
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
    PRIMARY KEY (chat, step_id, session, idx)
);
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
"""


@dataclass(frozen=True)
class PlanRow:
    """What `schedule` wants in the ledger for one item (its content, not its progress)."""

    chat: str  # the chat's hashtag
    ref: ItemRef  # which item (step, session, index, channel) and when it is due
    text: str  # a post's text; an email's subject
    has_url: bool = False
    recipient: str | None = None


@dataclass(frozen=True)
class Item(PlanRow):
    """One ledger row: planned content plus where it is in planned → sending → sent/failed."""

    state: State = "planned"
    remote_id: str | None = None
    url: str | None = None
    error: str | None = None
    attempts: int = 0


def iso_utc(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("the ledger stores aware datetimes only")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def row_to_item(row: sqlite3.Row) -> Item:
    return Item(
        chat=row["chat"],
        ref=ItemRef(
            step=row["step_id"],
            session=date.fromisoformat(row["session"]),
            index=row["idx"],
            channel=row["channel"],
            due_utc=datetime.fromisoformat(row["due_utc"].replace("Z", "+00:00")),
        ),
        text=row["text"],
        has_url=bool(row["has_url"]),
        recipient=row["recipient"],
        state=row["state"],
        remote_id=row["remote_id"],
        url=row["url"],
        error=row["error"],
        attempts=row["attempts"],
    )


def key_params(item: PlanRow) -> tuple[str, str, str, int]:
    return (item.chat, item.ref.step, item.ref.session.isoformat(), item.ref.index)


KEY_WHERE = "chat = ? AND step_id = ? AND session = ? AND idx = ?"


def content_params(row: PlanRow) -> tuple[str, str, str, int, str | None]:
    ref = row.ref
    return (ref.channel, iso_utc(ref.due_utc), row.text, int(row.has_url), row.recipient)


def as_plan(item: Item) -> PlanRow:
    return PlanRow(item.chat, item.ref, item.text, item.has_url, item.recipient)
