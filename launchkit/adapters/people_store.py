"""The community's memory: which sessions have a recap, and who posted in each.

Two tables in `.launchkit/community.db` (beside the posts): `recaps`, one row per recapped
session with its figures, and `attendance`, one row per person per session. Recapping a
session again replaces its rows, so the store always matches the latest recap. People left
out (`--exclude`, chat.yaml's `recap.exclude`) are never written, and are deleted when they
were stored before.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from launchkit.adapters.post_store import SqliteStore, connect, stamp, unstamp
from launchkit.domain.recap.people import Person, person_status
from launchkit.domain.recap.posts import HandleRule, Post, matches_any

__all__ = ["Attendance", "PeopleStore", "RecapRecord"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS recaps (
    chat         TEXT NOT NULL,
    session      TEXT NOT NULL,
    start_utc    TEXT NOT NULL,
    end_utc      TEXT NOT NULL,
    posts        INTEGER NOT NULL,
    participants INTEGER NOT NULL,
    answers      INTEGER NOT NULL,
    questions    INTEGER NOT NULL,
    PRIMARY KEY (chat, session)
);
CREATE TABLE IF NOT EXISTS attendance (
    chat         TEXT NOT NULL,
    session      TEXT NOT NULL,
    network      TEXT NOT NULL,
    handle       TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    posts        INTEGER NOT NULL,
    first_utc    TEXT NOT NULL,
    last_utc     TEXT NOT NULL,
    PRIMARY KEY (chat, session, network, handle)
);
"""


@dataclass(frozen=True)
class RecapRecord:
    """A recapped session and its figures."""

    session: date
    start: datetime  # the window read, aware UTC
    end: datetime
    posts: int
    participants: int
    answers: int
    questions: int  # questions with at least one answer


@dataclass(frozen=True)
class Attendance:
    """One person's posts in one session."""

    network: str
    handle: str
    display_name: str
    posts: int
    first: datetime
    last: datetime


def attendance_of(posts: Sequence[Post], is_host: Callable[[Post], bool]) -> list[Attendance]:
    """Who posted in a session (the host left out), from its posts."""
    found: dict[tuple[str, str], list[Post]] = {}
    for post in posts:
        if not is_host(post):
            found.setdefault(post.author, []).append(post)
    return [
        Attendance(
            mine[0].network,
            mine[0].handle,
            next((p.display_name for p in reversed(mine) if p.display_name), ""),
            len(mine),
            min(p.created_at for p in mine),
            max(p.created_at for p in mine),
        )
        for mine in found.values()
    ]


class PeopleStore(SqliteStore):
    """The `recaps` and `attendance` tables (see the module docstring)."""

    @classmethod
    def open(cls, path: Path) -> PeopleStore:
        """The store at `path`, created when missing."""
        return cls(connect(path, SCHEMA))

    def record(self, chat: str, recap: RecapRecord, people: Sequence[Attendance]) -> None:
        """Store a session's recap and who came, replacing an earlier recap of it."""
        day = recap.session.isoformat()
        with self.writing(), self.conn:
            self.conn.execute("BEGIN")
            self.conn.execute("DELETE FROM attendance WHERE chat = ? AND session = ?", (chat, day))
            self.conn.execute(
                "INSERT OR REPLACE INTO recaps VALUES (?,?,?,?,?,?,?,?)",
                (chat, day, stamp(recap.start), stamp(recap.end), recap.posts,
                 recap.participants, recap.answers, recap.questions),
            )  # fmt: skip
            self.conn.executemany(
                "INSERT INTO attendance VALUES (?,?,?,?,?,?,?,?)",
                [
                    (chat, day, a.network, a.handle, a.display_name, a.posts, stamp(a.first),
                     stamp(a.last))
                    for a in people
                ],
            )  # fmt: skip

    def recaps(self, chat: str) -> list[RecapRecord]:
        """Every recapped session of `chat`, oldest first."""
        rows = self.conn.execute(
            "SELECT * FROM recaps WHERE chat = ? ORDER BY session", (chat,)
        ).fetchall()
        return [
            RecapRecord(
                date.fromisoformat(r["session"]),
                unstamp(r["start_utc"]),
                unstamp(r["end_utc"]),
                r["posts"],
                r["participants"],
                r["answers"],
                r["questions"],
            )
            for r in rows
        ]

    def recap(self, chat: str, session: date) -> RecapRecord | None:
        """The recap of `session`, when there is one."""
        return next((r for r in self.recaps(chat) if r.session == session), None)

    def people(self, chat: str) -> list[Person]:
        """Everyone who posted in a recapped session, with their status, most sessions first."""
        sessions = [r.session for r in self.recaps(chat)]
        rows = self.conn.execute(
            "SELECT * FROM attendance WHERE chat = ? ORDER BY session", (chat,)
        ).fetchall()
        seen: dict[tuple[str, str], list[sqlite3.Row]] = {}
        for row in rows:
            seen.setdefault((row["network"], row["handle"].lower()), []).append(row)
        people = []
        for mine in seen.values():
            attended = {date.fromisoformat(r["session"]) for r in mine}
            people.append(
                Person(
                    network=mine[-1]["network"],
                    handle=mine[-1]["handle"],
                    display_name=next(
                        (r["display_name"] for r in reversed(mine) if r["display_name"]), ""
                    ),
                    status=person_status(attended, sessions),
                    sessions=len(attended),
                    posts=sum(r["posts"] for r in mine),
                    first_session=min(attended),
                    last_session=max(attended),
                    first_seen=min(unstamp(r["first_utc"]) for r in mine),
                    last_seen=max(unstamp(r["last_utc"]) for r in mine),
                )
            )
        return sorted(people, key=lambda p: (-p.sessions, -p.posts, p.network, p.handle.lower()))

    def participants_per_session(self, chat: str) -> list[tuple[date, int]]:
        """How many people posted in each recapped session, oldest first (from who is stored
        now, so people left out since are not counted)."""
        rows = self.conn.execute(
            "SELECT r.session, COUNT(a.handle) AS n FROM recaps r LEFT JOIN attendance a"
            " ON a.chat = r.chat AND a.session = r.session WHERE r.chat = ?"
            " GROUP BY r.session ORDER BY r.session",
            (chat,),
        )
        return [(date.fromisoformat(r["session"]), int(r["n"])) for r in rows]

    def forget(self, chat: str, rules: Sequence[HandleRule]) -> int:
        """Delete the attendance of the people `rules` name; how many rows went."""
        if not rules:
            return 0
        rows = self.conn.execute(
            "SELECT DISTINCT network, handle FROM attendance WHERE chat = ?", (chat,)
        ).fetchall()
        gone = [
            (chat, r["network"], r["handle"])
            for r in rows
            if matches_any(rules, r["network"], r["handle"])
        ]
        before = self.conn.total_changes
        with self.writing():
            self.conn.executemany(
                "DELETE FROM attendance WHERE chat = ? AND network = ? AND handle = ?", gone
            )
        return self.conn.total_changes - before
