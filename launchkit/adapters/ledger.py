"""The post ledger: one SQLite row per planned post or email, so nothing is lost or doubled.

Rows live in `.launchkit/ledger.db` beside chat.yaml (WAL mode, so `launchkit status` can read
while `launchkit post` writes). An item moves planned → sending → sent | failed; `sending` is
committed *before* the HTTP call, so after a crash a row still in `sending` says "outcome
unknown: look before you resend". Re-running `schedule` updates unsent rows in place and never
touches sent ones. Other modules may add their own tables to the same file (`submissions`).

Every change of a row is guarded: it names the `version` it read, and the UPDATE applies only
while the row still has it (`RowChanged` otherwise), so `schedule` and `post` may run in any
order without a cancelled or edited row going out in its old form. A missing ledger is created
whole (written aside, then renamed into place); an empty or unreadable one is refused, never
silently started afresh: it is the only memory of what was already sent.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol, Self

from launchkit.adapters.fsutil import sqlite_writing
from launchkit.adapters.ledger_schema import (
    CHANNEL_ORDER,
    COLUMNS,
    CONTENT_COLUMNS,
    ITEM_COLUMNS,
    KEEP_HINT,
    KEY_COLUMNS,
    KEY_WHERE,
    LEDGER_DIR,
    LEDGER_FILE,
    REPLANNABLE,
    SCHEMA_VERSION,
    STATES,
    Item,
    PlanRow,
    State,
    as_plan,
    content_params,
    create_ledger_file,
    iso_utc,
    key_params,
    prepare,
    refuse_damaged,
    row_to_item,
)
from launchkit.errors import ConfigError, LaunchkitError

__all__ = [
    "LEDGER_DIR",
    "LEDGER_FILE",
    "SCHEMA_VERSION",
    "STATES",
    "Item",
    "Ledger",
    "PlanRow",
    "RowChanged",
    "SqliteLedger",
    "State",
    "SyncCounts",
    "ledger_path",
]


def ledger_path(chat_file: Path) -> Path:
    """Where the ledger of the chat described by `chat_file` lives."""
    return chat_file.resolve().parent / LEDGER_DIR / LEDGER_FILE


class RowChanged(LaunchkitError):
    """A row was changed by someone else (a new plan) since it was read: read it again."""

    def __init__(self, item: PlanRow) -> None:
        super().__init__(
            f"{item.ref.key} was changed while it was being handled",
            hint="run the command again: it reads the row as it is now",
        )
        self.item = item


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
    def get(self, item: PlanRow) -> Item | None: ...
    def remote_ids(self, channel: str) -> set[str]: ...
    def data_version(self) -> int: ...
    def message(self, item: PlanRow) -> bytes | None: ...
    def late_allowed(self) -> set[tuple[str, str]]: ...
    def meta(self, key: str) -> dict[str, str]: ...
    def mark_sending(self, item: Item) -> Item: ...
    def mark_sent(self, item: Item, remote_id: str, url: str | None) -> Item: ...
    def mark_failed(self, item: Item, error: str) -> Item: ...
    def mark_planned(self, item: Item, note: str | None = None) -> Item: ...


class SqliteLedger:
    """The ledger in an SQLite file (or in memory, for a dry run)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        clock: Callable[[], datetime] | None = None,
        label: str = "the ledger",
    ) -> None:
        self.conn = conn
        self.conn.row_factory = sqlite3.Row
        self.clock = clock or (lambda: datetime.now(UTC))
        self.label = label
        with self._writing():
            prepare(self.conn, label)

    @classmethod
    def open(cls, path: Path, clock: Callable[[], datetime] | None = None) -> SqliteLedger:
        """Open the ledger file at `path`, creating it when missing, migrating an older one."""
        refuse_damaged(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists():
                create_ledger_file(path)
            # Autocommit mode: every write below is its own transaction, committed (and
            # durable, synchronous=FULL) before the method returns — the state machine relies
            # on `sending` being on disk before the HTTP request goes out.
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
        except (sqlite3.Error, OSError) as exc:
            raise ConfigError(
                f"{path}: cannot open the ledger ({exc})",
                hint=f"check the folder's permissions and free space; {KEEP_HINT}",
            ) from None
        return cls(conn, clock, str(path))

    def in_memory_copy(self) -> SqliteLedger:
        """A private in-memory copy: a dry run goes through the same code, changing nothing."""
        memory = sqlite3.connect(":memory:", isolation_level=None)
        self.conn.backup(memory)
        return SqliteLedger(memory, self.clock, "the dry-run copy of the ledger")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _writing(self) -> AbstractContextManager[None]:
        """Turn SQLite's write failures (disk full, read-only file) into one clear error."""
        return sqlite_writing(self.label, "nothing was changed")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One transaction (a savepoint when already inside one): all of it or nothing.

        Whatever the block raises (a file that could not be written, say) rolls the ledger
        back to how it was before.
        """
        nested = self.conn.in_transaction
        begin, commit = (
            ("SAVEPOINT inner", "RELEASE inner") if nested else ("BEGIN IMMEDIATE", "COMMIT")
        )
        undo = ("ROLLBACK TO inner", "RELEASE inner") if nested else ("ROLLBACK",)
        with self._writing():
            self.conn.execute(begin)
        try:
            with self._writing():
                yield self.conn
                self.conn.execute(commit)
        except BaseException:
            if self.conn.in_transaction:
                for statement in undo:
                    self.conn.execute(statement)
            raise

    # -- reading ----------------------------------------------------------------------

    def items(
        self, states: Sequence[State] | None = None, channel: str | None = None
    ) -> list[Item]:
        """Rows in due order, optionally only in `states` and on `channel`."""
        sql, params = f"SELECT {ITEM_COLUMNS} FROM items WHERE 1 = 1", list[str]()
        if states is not None:
            sql += f" AND state IN ({', '.join('?' * len(states))})"
            params.extend(states)
        if channel is not None:
            sql += " AND channel = ?"
            params.append(channel)
        sql += f" ORDER BY due_utc, session, step_id, idx, {CHANNEL_ORDER}"
        return [row_to_item(r) for r in self.conn.execute(sql, params)]

    def get(self, item: PlanRow) -> Item | None:
        """The current row for `item`'s key, if any."""
        row = self.conn.execute(f"SELECT * FROM items WHERE {KEY_WHERE}", key_params(item))
        found = row.fetchone()
        return row_to_item(found) if found else None

    def remote_ids(self, channel: str) -> set[str]:
        """Every remote id already recorded on `channel`: a post that is one row's is no other's."""
        rows = self.conn.execute(
            "SELECT remote_id FROM items WHERE channel = ? AND remote_id IS NOT NULL", (channel,)
        )
        return {r["remote_id"] for r in rows}

    def data_version(self) -> int:
        """A number that changes when another connection commits (a new plan, say)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def message(self, item: PlanRow) -> bytes | None:
        """An email row's whole message, as `schedule` wrote it (None: not written yet)."""
        row = self.conn.execute(f"SELECT message FROM items WHERE {KEY_WHERE}", key_params(item))
        found = row.fetchone()
        return bytes(found["message"]) if found and found["message"] is not None else None

    def late_allowed(self) -> set[tuple[str, str]]:
        """(chat, item key) of the items the host said may go out late (`--send-late`)."""
        rows = self.conn.execute("SELECT chat, item FROM item_choices WHERE choice = 'send_late'")
        return {(r["chat"], r["item"]) for r in rows}

    def retext(self, row: PlanRow) -> bool:
        """Give the row of `row`'s key (its item on its channel) `row`'s text while it is
        still planned (a recap post once its figures are known); False when there is no such
        planned row or it already reads so. Raises the row's version, as every change does,
        so a sender holding it with the old text cannot send that text."""
        content = (row.text, int(row.has_url))
        with self._writing():
            cur = self.conn.execute(
                "UPDATE items SET text = ?, has_url = ?, version = version + 1, updated_utc = ?"
                f" WHERE {KEY_WHERE} AND state = 'planned'"
                " AND (text IS NOT ? OR has_url IS NOT ?)",
                (*content, iso_utc(self.clock()), *key_params(row), *content),
            )
        return cur.rowcount == 1

    # -- the send state machine --------------------------------------------------------

    def _set(self, item: Item, **changes: object) -> Item:
        """Apply `changes` to the row only while it is still the version `item` was read at."""
        columns = "".join(f"{COLUMNS.get(name, name)} = ?, " for name in changes)
        values = [iso_utc(v) if isinstance(v, datetime) else v for v in changes.values()]
        with self._writing():
            cur = self.conn.execute(
                f"UPDATE items SET {columns}version = version + 1, updated_utc = ?"
                f" WHERE {KEY_WHERE} AND version = ?",
                (*values, iso_utc(self.clock()), *key_params(item), item.version),
            )
        if cur.rowcount != 1:
            if self.get(item) is None:
                raise KeyError(f"no ledger row for {item.ref.key}")
            raise RowChanged(item)
        return replace(item, version=item.version + 1, **changes)  # type: ignore[arg-type]

    def mark_sending(self, item: Item) -> Item:
        """Record that the request is about to go out (committed before it does).

        The moment the row first entered `sending` is kept ever after (retries, rate-limit
        waits, --retry-failed, a new plan): the row's Bluesky record key is derived from it,
        so every try writes to the same record, and an unknown outcome is looked for among
        the posts created since then.
        """
        first = item.sending_since or self.clock().astimezone(UTC).replace(microsecond=0)
        return self._set(
            item, state="sending", error=None, attempts=item.attempts + 1, sending_since=first
        )

    def mark_sent(self, item: Item, remote_id: str, url: str | None) -> Item:
        """Record the remote id (and link) of a delivered item."""
        return self._set(item, state="sent", remote_id=remote_id, url=url, error=None)

    def mark_failed(self, item: Item, error: str) -> Item:
        """Record that the item could not be delivered, and why."""
        return self._set(item, state="failed", error=error)

    def mark_planned(self, item: Item, note: str | None = None) -> Item:
        """Put an item back to planned (it was certainly not delivered), with an optional note.
        It keeps the moment it first entered `sending` (see mark_sending)."""
        return self._set(item, state="planned", error=note)

    # -- planning ------------------------------------------------------------------------

    def sync_plan(
        self, chat: str, plan: Iterable[PlanRow], why_not: Mapping[str, str] | None = None
    ) -> SyncCounts:
        """Make the unsent rows of `chat` match `plan`, in one transaction.

        A row is an item on a channel (a network, or email). New rows are inserted; unsent
        rows are updated in place (a failed or cancelled one goes back to planned, keeping
        the moment it first entered `sending`); sent and sending rows are never changed;
        unsent rows no longer in the plan are cancelled (with `why_not[item key]`, when
        given, as the reason). Every change raises the row's version, so a sender holding
        the old row cannot send it.
        """
        added = updated = unchanged = kept = 0
        now = iso_utc(self.clock())
        wanted: set[tuple[str, str, str, int, str]] = set()
        with self.transaction() as conn:
            for row in plan:
                if row.chat != chat:
                    raise ValueError(f"plan row for {row.chat!r} in the plan of {chat!r}")
                wanted.add(key_params(row))
                current = self.get(row)
                if current is None:
                    conn.execute(
                        f"INSERT INTO items ({KEY_COLUMNS}, {CONTENT_COLUMNS}, updated_utc)"
                        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (*key_params(row), *content_params(row), now),
                    )
                    added += 1
                elif current.state not in REPLANNABLE:
                    kept += 1
                elif as_plan(current) == row and current.state == "planned":
                    unchanged += 1
                else:
                    conn.execute(
                        "UPDATE items SET due_utc = ?, text = ?, has_url = ?, recipient = ?,"
                        " message = ?, state = 'planned', error = NULL,"
                        f" version = version + 1, updated_utc = ? WHERE {KEY_WHERE}",
                        (*content_params(row), now, *key_params(row)),
                    )
                    updated += 1
            stale = [
                item
                for item in self.items(("planned", "failed"))
                if item.chat == chat and key_params(item) not in wanted
            ]
            for item in stale:
                why = (why_not or {}).get(item.ref.key, "no longer in the plan")
                conn.execute(
                    "UPDATE items SET state = 'cancelled', error = ?,"
                    f" version = version + 1, updated_utc = ? WHERE {KEY_WHERE}",
                    (why, now, *key_params(item)),
                )
        return SyncCounts(added, updated, unchanged, kept, len(stale))

    def set_meta(self, chat: str, key: str, value: str) -> None:
        """Remember a fact about a chat (its time zone) for commands that do not read chat.yaml."""
        with self._writing():
            self.conn.execute(
                "INSERT INTO meta (chat, key, value) VALUES (?,?,?)"
                " ON CONFLICT (chat, key) DO UPDATE SET value = excluded.value",
                (chat, key, value),
            )

    def meta(self, key: str) -> dict[str, str]:
        """`key` for every chat in this ledger, as chat → value."""
        rows = self.conn.execute("SELECT chat, value FROM meta WHERE key = ?", (key,))
        return {r["chat"]: r["value"] for r in rows}
