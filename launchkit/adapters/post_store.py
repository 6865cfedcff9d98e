"""The posts of each session, kept in `.launchkit/community.db` beside the ledger (SQLite).

`recap` fills it from the networks; the live room (during the hour) writes into the same
table, so a recap after a live session reads what is here instead of fetching it again, and
marks the posts the host chose for the transcript's highlights (`highlights`), and drops
the posts their authors delete while it runs (`delete_posts`). A
post is keyed by (chat, network, post id): writing one twice is harmless. `captures` records
which spans were read completely on which network, so a reader knows when the store already
holds the whole window. Only public posts are stored, never those of people left out.

    with PostStore.open(community_path(chat_file)) as store:
        store.add_posts("#IndieDevHour", session, posts)          # insert-or-ignore
        store.mark_captured("#IndieDevHour", "mastodon", start, end)
        store.posts_in_window("#IndieDevHour", start, end)        # oldest first
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Literal, Self

from launchkit.adapters.fsutil import sqlite_writing
from launchkit.domain.recap.posts import HandleRule, Post, matches_any
from launchkit.errors import ConfigError

__all__ = ["COMMUNITY_FILE", "PostStore", "SqliteStore", "community_path", "connect"]

COMMUNITY_FILE = "community.db"

SCHEMA = """
CREATE TABLE IF NOT EXISTS posts (
    chat         TEXT NOT NULL,
    network      TEXT NOT NULL,
    post_id      TEXT NOT NULL,
    session      TEXT,
    handle       TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    created_utc  TEXT NOT NULL,
    text         TEXT NOT NULL,
    url          TEXT NOT NULL DEFAULT '',
    reply_to     TEXT,
    question     INTEGER,
    PRIMARY KEY (chat, network, post_id)
);
CREATE INDEX IF NOT EXISTS posts_by_time ON posts (chat, created_utc);
CREATE TABLE IF NOT EXISTS highlights (
    chat    TEXT NOT NULL,
    network TEXT NOT NULL,
    post_id TEXT NOT NULL,
    PRIMARY KEY (chat, network, post_id)
);
CREATE TABLE IF NOT EXISTS captures (
    chat      TEXT NOT NULL,
    network   TEXT NOT NULL,
    start_utc TEXT NOT NULL,
    end_utc   TEXT NOT NULL,
    PRIMARY KEY (chat, network, start_utc, end_utc)
);
"""
_COLUMNS = (
    "chat, network, post_id, session, handle, display_name, created_utc, text, url, reply_to, "
    "question"
)


def community_path(chat_file: Path) -> Path:
    """Where the post and people store of the chat in `chat_file` lives (beside the ledger)."""
    from launchkit.adapters.ledger import ledger_path

    return ledger_path(chat_file).parent / COMMUNITY_FILE


def connect(path: Path, schema: str, *, any_thread: bool = False) -> sqlite3.Connection:
    """Open (creating) the store at `path` with `schema`; a failure is a ConfigError.

    `any_thread`: the connection may be used from other threads than this one (one at a
    time: the caller serialises), as the live room's readers do.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            path, timeout=30, isolation_level=None, check_same_thread=not any_thread
        )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(schema)
    except (sqlite3.Error, OSError) as exc:
        raise ConfigError(
            f"{path}: cannot open the post store ({exc})",
            hint="check the folder's permissions, or delete the file: recap fills it again",
        ) from None
    conn.row_factory = sqlite3.Row
    return conn


def stamp(moment: datetime) -> str:
    """A fixed-width UTC time, so that text order is time order."""
    if moment.tzinfo is None:
        raise ValueError("the post store keeps aware times only")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def unstamp(text: str) -> datetime:
    """A time written by :func:`stamp`."""
    return datetime.fromisoformat(text)  # fast, and reads the "Z" since Python 3.11


class SqliteStore:
    """A table set in the community file: its connection, closed by `with`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def writing(self) -> AbstractContextManager[None]:
        """Turn SQLite's write failures (disk full, read-only file) into one clear error;
        the transaction inside is rolled back, so what was stored before stays whole."""
        return sqlite_writing(COMMUNITY_FILE, "nothing of it was stored")

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class PostStore(SqliteStore):
    """The `posts` and `captures` tables (see the module docstring)."""

    @classmethod
    def open(cls, path: Path, *, any_thread: bool = False) -> PostStore:
        """The store at `path`, created when missing (see `connect` for `any_thread`)."""
        return cls(connect(path, SCHEMA, any_thread=any_thread))

    def _rows(
        self, chat: str, session: date | None, posts: Iterable[Post]
    ) -> list[tuple[object, ...]]:
        day = session.isoformat() if session else None
        return [
            (chat, p.network, p.post_id, day, p.handle, p.display_name, stamp(p.created_at),
             p.text, p.url, p.reply_to, p.question)
            for p in posts
        ]  # fmt: skip

    def add_posts(self, chat: str, session: date | None, posts: Iterable[Post]) -> int:
        """Insert the posts not stored yet (insert-or-ignore); how many were new."""
        rows = self._rows(chat, session, posts)
        before = self.conn.total_changes
        with self.writing(), self.conn:  # one transaction: a live batch is all or nothing
            self.conn.execute("BEGIN")
            self.conn.executemany(
                f"INSERT OR IGNORE INTO posts ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows
            )
        return self.conn.total_changes - before

    def replace_window(
        self,
        chat: str,
        network: str,
        start: datetime,
        end: datetime,
        session: date | None,
        posts: Sequence[Post],
    ) -> None:
        """A complete read of `network` over [start, end): the store now holds exactly
        `posts` there (a post deleted since an earlier read is gone), and the span is
        marked captured."""
        span = (chat, network, stamp(start), stamp(end))
        with self.writing(), self.conn:
            self.conn.execute("BEGIN")
            self.conn.execute(
                "DELETE FROM posts WHERE chat = ? AND network = ? AND created_utc >= ?"
                " AND created_utc < ?",
                span,
            )
            self.conn.executemany(
                f"INSERT OR REPLACE INTO posts ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                self._rows(chat, session, posts),
            )
            self.conn.execute("INSERT OR IGNORE INTO captures VALUES (?,?,?,?)", span)

    def mark_captured(self, chat: str, network: str, start: datetime, end: datetime) -> None:
        """Record that every post of `network` over [start, end) is in the store."""
        span = (chat, network, stamp(start), stamp(end))
        with self.writing():
            self.conn.execute("INSERT OR IGNORE INTO captures VALUES (?,?,?,?)", span)

    def captured(self, chat: str, network: str, start: datetime, end: datetime) -> bool:
        """True when the recorded captures of `network` together cover [start, end)."""
        rows = self.conn.execute(
            "SELECT start_utc, end_utc FROM captures WHERE chat = ? AND network = ?"
            " AND end_utc > ? AND start_utc < ? ORDER BY start_utc",
            (chat, network, stamp(start), stamp(end)),
        )
        reached = stamp(start)
        for row in rows:
            if row["start_utc"] > reached:
                return False
            reached = max(reached, row["end_utc"])
        return reached >= stamp(end)

    def posts_in_window(
        self, chat: str, start: datetime, end: datetime, networks: Sequence[str] | None = None
    ) -> list[Post]:
        """The stored posts created in [start, end), oldest first (on `networks` only)."""
        sql = "SELECT * FROM posts WHERE chat = ? AND created_utc >= ? AND created_utc < ?"
        params: list[object] = [chat, stamp(start), stamp(end)]
        if networks is not None:
            sql += f" AND network IN ({', '.join('?' * len(networks))})"
            params.extend(networks)
        rows = self.conn.execute(sql + " ORDER BY created_utc, network, post_id", params)
        return [
            Post(
                network=r["network"],
                post_id=r["post_id"],
                handle=r["handle"],
                display_name=r["display_name"],
                created_at=unstamp(r["created_utc"]),
                text=r["text"],
                url=r["url"],
                reply_to=r["reply_to"],
                question=r["question"],
            )
            for r in rows
        ]

    def set_highlight(self, chat: str, network: str, post_id: str, marked: bool) -> None:
        """Mark a post for the transcript's highlights (the live room's key), or unmark it."""
        if marked:
            sql = "INSERT OR IGNORE INTO highlights VALUES (?,?,?)"
        else:
            sql = "DELETE FROM highlights WHERE chat = ? AND network = ? AND post_id = ?"
        with self.writing():
            self.conn.execute(sql, (chat, network, post_id))

    def delete_posts(self, chat: str, keys: Iterable[tuple[str, str]]) -> int:
        """Delete the posts their authors deleted (network, post id), with their highlights;
        how many the store held. Their spans stay captured: they are gone, not unread."""
        return self._delete(
            chat, "post_id", [(chat, network, post_id) for network, post_id in keys]
        )

    def highlights(self, chat: str) -> set[tuple[str, str]]:
        """The (network, post id) of every post marked for the highlights."""
        rows = self.conn.execute("SELECT network, post_id FROM highlights WHERE chat = ?", (chat,))
        return {(r["network"], r["post_id"]) for r in rows}

    def forget(self, chat: str, rules: Sequence[HandleRule]) -> int:
        """Delete every stored post by the people `rules` name; how many went."""
        if not rules:
            return 0
        authors = self.conn.execute(
            "SELECT DISTINCT network, handle FROM posts WHERE chat = ?", (chat,)
        ).fetchall()
        gone = [
            (chat, a["network"], a["handle"])
            for a in authors
            if matches_any(rules, a["network"], a["handle"])
        ]
        return self._delete(chat, "handle", gone)

    def _delete(
        self, chat: str, column: Literal["post_id", "handle"], rows: list[tuple[str, str, str]]
    ) -> int:
        """Delete the posts of `chat` that `rows` (chat, network, `column`) name, and the
        highlights of posts no longer stored, in one transaction; how many posts went."""
        before = self.conn.total_changes
        with self.writing(), self.conn:  # the posts and their highlights go together
            self.conn.execute("BEGIN")
            self.conn.executemany(
                f"DELETE FROM posts WHERE chat = ? AND network = ? AND {column} = ?", rows
            )
            removed = self.conn.total_changes - before
            # A highlight names a post by id only: it goes with its post.
            self.conn.execute(
                "DELETE FROM highlights WHERE chat = ? AND NOT EXISTS (SELECT 1 FROM posts p"
                " WHERE p.chat = highlights.chat AND p.network = highlights.network"
                " AND p.post_id = highlights.post_id)",
                (chat,),
            )
        return removed
