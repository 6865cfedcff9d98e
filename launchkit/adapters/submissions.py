"""Calendar submissions, recorded in the `submissions` table of the chat's ledger file.

The post ledger (`ledger.py`) owns `.launchkit/ledger.db`; this module adds its own table to
the same file. `launchkit status` lists them.
A row number here is only a record of where the row was: `--update` always finds the row
again by hashtag, because other editors may have inserted rows above it since.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from launchkit.errors import ConfigError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    hashtag      TEXT NOT NULL,
    sheet_key    TEXT NOT NULL,
    worksheet    TEXT NOT NULL,
    row_number   INTEGER NOT NULL,
    action       TEXT NOT NULL,
    values_json  TEXT NOT NULL,
    submitted_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_by_hashtag ON submissions (hashtag, id);
"""


@dataclass(frozen=True)
class Submission:
    """One write of a chat's row to a calendar sheet."""

    hashtag: str
    sheet_key: str
    worksheet: str
    row_number: int  # where the row was when it was written
    action: str  # appended | updated
    values: tuple[str, ...]
    submitted_at: datetime

    def __str__(self) -> str:
        when = f"{self.submitted_at:%Y-%m-%d %H:%M} UTC"
        return (
            f"{when}  {self.action} {self.hashtag} on {self.worksheet!r} row {self.row_number} "
            f"(sheet {self.sheet_key})"
        )


def _connect(db_path: Path) -> sqlite3.Connection:
    from launchkit.adapters.ledger_schema import refuse_damaged

    refuse_damaged(db_path)  # an emptied ledger is not silently started afresh here either
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = sqlite3.connect(db_path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.executescript(_SCHEMA)
    except sqlite3.Error as exc:
        raise ConfigError(
            f"{db_path}: cannot open the ledger ({exc})", hint="check the folder's permissions"
        ) from None
    return conn


@dataclass(frozen=True)
class SubmissionLog:
    """The calendar submissions recorded in one ledger file."""

    db_path: Path

    def record(
        self,
        *,
        hashtag: str,
        sheet_key: str,
        worksheet: str,
        row_number: int,
        action: str,
        values: Sequence[str],
        now: datetime | None = None,
    ) -> Submission:
        """Append a submission record and return it."""
        moment = (now or datetime.now(UTC)).astimezone(UTC)
        conn = _connect(self.db_path)
        try:
            conn.execute(
                "INSERT INTO submissions (hashtag, sheet_key, worksheet, row_number, action, "
                "values_json, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    hashtag,
                    sheet_key,
                    worksheet,
                    row_number,
                    action,
                    json.dumps(list(values), ensure_ascii=False),
                    moment.isoformat(),
                ),
            )
        finally:
            conn.close()
        return Submission(hashtag, sheet_key, worksheet, row_number, action, tuple(values), moment)

    def all(self) -> list[Submission]:
        """Every submission in the ledger file, oldest first (none when there is no file yet)."""
        if not self.db_path.is_file():
            return []
        try:
            conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=30)
        except sqlite3.Error:
            return []
        try:
            rows = conn.execute(
                "SELECT hashtag, sheet_key, worksheet, row_number, action, values_json, "
                "submitted_at FROM submissions ORDER BY id"
            ).fetchall()
        except sqlite3.OperationalError:
            return []  # the ledger exists but nothing was ever submitted: no table yet
        finally:
            conn.close()
        return [
            Submission(
                tag, key, tab, row, action, tuple(json.loads(vals)), datetime.fromisoformat(at)
            )
            for tag, key, tab, row, action, vals, at in rows
        ]

    def last(self, hashtag: str) -> Submission | None:
        """The latest submission of `hashtag` (compared case-insensitively), if any."""
        wanted = hashtag.casefold()
        found = [s for s in self.all() if s.hashtag.casefold() == wanted]
        return found[-1] if found else None
