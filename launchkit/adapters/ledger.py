"""The post ledger: one SQLite row per planned post or email, so nothing is lost or doubled.

Rows live in `.launchkit/ledger.db` beside chat.yaml (WAL mode, so `launchkit status` can read
while `launchkit post` writes). An item moves planned → sending → sent | failed; `sending` is
committed *before* the HTTP call, so after a crash a row still in `sending` says "outcome
unknown: look before you resend". Re-running `schedule` updates unsent rows in place and never
touches sent ones. Other modules may add their own tables to the same file (`submissions`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol, Self

from launchkit.adapters.ledger_schema import (
    KEY_WHERE,
    LEDGER_DIR,
    LEDGER_FILE,
    REPLANNABLE,
    SCHEMA,
    SCHEMA_VERSION,
    STATES,
    Item,
    PlanRow,
    State,
    as_plan,
    content_params,
    iso_utc,
    key_params,
    row_to_item,
)
from launchkit.errors import ConfigError

__all__ = [
    "LEDGER_DIR",
    "LEDGER_FILE",
    "STATES",
    "Item",
    "Ledger",
    "PlanRow",
    "SqliteLedger",
    "State",
    "SyncCounts",
    "ledger_path",
]


def ledger_path(chat_file: Path) -> Path:
    """Where the ledger of the chat described by `chat_file` lives."""
    return chat_file.resolve().parent / LEDGER_DIR / LEDGER_FILE


@dataclass(frozen=True)
class SyncCounts:
    """What a `sync_plan` did to the ledger."""

    added: int
    updated: int
    unchanged: int
    kept: int  # sent/sending rows the plan could not touch
    dropped: int  # unsent rows no longer in the plan, now cancelled


class Ledger(Protocol):
    """What the send loop needs from a ledger (the SQLite one, or a dry-run copy of it)."""

    def items(
        self, states: Sequence[State] | None = None, channel: str | None = None
    ) -> list[Item]: ...
    def mark_sending(self, item: Item) -> Item: ...
    def mark_sent(self, item: Item, remote_id: str, url: str | None) -> Item: ...
    def mark_failed(self, item: Item, error: str) -> Item: ...
    def mark_planned(self, item: Item, note: str | None = None) -> Item: ...


class SqliteLedger:
    """The ledger in an SQLite file (or in memory, for a dry run)."""

    def __init__(
        self, conn: sqlite3.Connection, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.conn = conn
        self.conn.row_factory = sqlite3.Row
        self.clock = clock or (lambda: datetime.now(UTC))
        self.conn.executescript(SCHEMA)
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @classmethod
    def open(cls, path: Path, clock: Callable[[], datetime] | None = None) -> SqliteLedger:
        """Open (creating when missing) the ledger file at `path`."""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # Autocommit mode: every write below is its own transaction, committed (and
            # durable, synchronous=FULL) before the method returns — the state machine relies
            # on `sending` being on disk before the HTTP request goes out.
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.Error as exc:
            raise ConfigError(
                f"{path}: cannot open the ledger ({exc})",
                hint="check the folder's permissions; the ledger remembers what was posted, "
                "so do not delete it",
            ) from None
        return cls(conn, clock)

    def in_memory_copy(self) -> SqliteLedger:
        """A private in-memory copy: a dry run goes through the same code, changing nothing."""
        memory = sqlite3.connect(":memory:", isolation_level=None)
        self.conn.backup(memory)
        return SqliteLedger(memory, self.clock)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- reading ----------------------------------------------------------------------

    def items(
        self, states: Sequence[State] | None = None, channel: str | None = None
    ) -> list[Item]:
        """Rows in due order, optionally only in `states` and on `channel`."""
        sql, params = "SELECT * FROM items WHERE 1 = 1", list[str]()
        if states is not None:
            sql += f" AND state IN ({', '.join('?' * len(states))})"
            params.extend(states)
        if channel is not None:
            sql += " AND channel = ?"
            params.append(channel)
        sql += " ORDER BY due_utc, session, step_id, idx"
        return [row_to_item(r) for r in self.conn.execute(sql, params)]

    def get(self, item: PlanRow) -> Item | None:
        """The current row for `item`'s key, if any."""
        row = self.conn.execute(f"SELECT * FROM items WHERE {KEY_WHERE}", key_params(item))
        found = row.fetchone()
        return row_to_item(found) if found else None

    def ensure(self, row: PlanRow) -> Item:
        """The row for `row`'s key, inserting it as planned when the ledger lacks it."""
        self.conn.execute(
            "INSERT OR IGNORE INTO items (chat, step_id, session, idx, channel, due_utc, text,"
            " has_url, recipient, updated_utc) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (*key_params(row), *content_params(row), iso_utc(self.clock())),
        )
        found = self.get(row)
        assert found is not None  # just inserted or already there
        return found

    # -- the send state machine --------------------------------------------------------

    def _set(self, item: Item, **changes: object) -> Item:
        columns = ", ".join(f"{name} = ?" for name in changes)
        now = iso_utc(self.clock())
        cur = self.conn.execute(
            f"UPDATE items SET {columns}, updated_utc = ? WHERE {KEY_WHERE}",
            (*changes.values(), now, *key_params(item)),
        )
        if cur.rowcount != 1:
            raise KeyError(f"no ledger row for {item.ref.key}")
        return replace(item, **changes)  # type: ignore[arg-type]

    def mark_sending(self, item: Item) -> Item:
        """Record that the request is about to go out (committed before it does)."""
        return self._set(item, state="sending", error=None, attempts=item.attempts + 1)

    def mark_sent(self, item: Item, remote_id: str, url: str | None) -> Item:
        """Record the remote id (and link) of a delivered item."""
        return self._set(item, state="sent", remote_id=remote_id, url=url, error=None)

    def mark_failed(self, item: Item, error: str) -> Item:
        """Record that the item could not be delivered, and why."""
        return self._set(item, state="failed", error=error)

    def mark_planned(self, item: Item, note: str | None = None) -> Item:
        """Put an item back to planned (it was certainly not delivered), with an optional note."""
        return self._set(item, state="planned", error=note)

    # -- planning ------------------------------------------------------------------------

    def sync_plan(self, chat: str, plan: Iterable[PlanRow]) -> SyncCounts:
        """Make the unsent rows of `chat` match `plan`, in one transaction.

        New keys are inserted; unsent rows are updated in place (a failed or cancelled one goes
        back to planned); sent and sending rows are never changed; unsent rows whose key is no
        longer in the plan are cancelled.
        """
        added = updated = unchanged = kept = 0
        now = iso_utc(self.clock())
        wanted: set[tuple[str, str, str, int]] = set()
        with self._transaction() as conn:
            for row in plan:
                if row.chat != chat:
                    raise ValueError(f"plan row for {row.chat!r} in the plan of {chat!r}")
                wanted.add(key_params(row))
                current = self.get(row)
                if current is None:
                    conn.execute(
                        "INSERT INTO items (chat, step_id, session, idx, channel, due_utc, text,"
                        " has_url, recipient, updated_utc) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        (*key_params(row), *content_params(row), now),
                    )
                    added += 1
                elif current.state not in REPLANNABLE:
                    kept += 1
                elif as_plan(current) == row and current.state == "planned":
                    unchanged += 1
                else:
                    conn.execute(
                        "UPDATE items SET channel = ?, due_utc = ?, text = ?, has_url = ?,"
                        " recipient = ?, state = 'planned', error = NULL, updated_utc = ?"
                        f" WHERE {KEY_WHERE}",
                        (*content_params(row), now, *key_params(row)),
                    )
                    updated += 1
            stale = [
                item
                for item in self.items(("planned", "failed"))
                if item.chat == chat and key_params(item) not in wanted
            ]
            for item in stale:
                conn.execute(
                    "UPDATE items SET state = 'cancelled', error = 'no longer in the plan',"
                    f" updated_utc = ? WHERE {KEY_WHERE}",
                    (now, *key_params(item)),
                )
        return SyncCounts(added, updated, unchanged, kept, len(stale))

    def set_meta(self, chat: str, key: str, value: str) -> None:
        """Remember a fact about a chat (its time zone) for commands that do not read chat.yaml."""
        self.conn.execute(
            "INSERT INTO meta (chat, key, value) VALUES (?,?,?)"
            " ON CONFLICT (chat, key) DO UPDATE SET value = excluded.value",
            (chat, key, value),
        )

    def meta(self, key: str) -> dict[str, str]:
        """`key` for every chat in this ledger, as chat → value."""
        rows = self.conn.execute("SELECT chat, value FROM meta WHERE key = ?", (key,))
        return {r["chat"]: r["value"] for r in rows}

    def session_changes(self, chat: str) -> dict[date, date | None]:
        """Sessions the host moved (original → new date) or cancelled (original → None)."""
        rows = self.conn.execute(
            "SELECT session, action, moved_to FROM session_changes WHERE chat = ?", (chat,)
        )
        return {
            date.fromisoformat(r["session"]): (
                date.fromisoformat(r["moved_to"]) if r["action"] == "move" else None
            )
            for r in rows
        }

    def record_session_change(self, chat: str, session: date, moved_to: date | None) -> None:
        """Remember that `session` moved to `moved_to` (None: cancelled) for later schedules."""
        action = "cancel" if moved_to is None else "move"
        self.conn.execute(
            "INSERT INTO session_changes (chat, session, action, moved_to) VALUES (?,?,?,?)"
            " ON CONFLICT (chat, session) DO UPDATE SET action = excluded.action,"
            " moved_to = excluded.moved_to",
            (chat, session.isoformat(), action, moved_to.isoformat() if moved_to else None),
        )
