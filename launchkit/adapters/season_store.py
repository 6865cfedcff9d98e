"""The season's plan in the ledger: how many sessions, from when, the shifts, the cancelled
and moved sessions, and the host's word on late items (`schedule` writes it; `render`,
`schedule`, the wizard and the exports read it, so every output follows one plan).

It lives in the ledger, not in chat.yaml: chat.yaml is the host's own file (the rule, the
guests), and the plan is state that `schedule` changes, recorded in the same transaction as
the rows it makes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from launchkit.adapters.ledger import SqliteLedger
from launchkit.domain.season import SeasonChanges, Shift

__all__ = ["Choice", "SeasonStore"]

Choice = Literal["skip", "send_late"]

_SESSIONS, _FROM = "plan.sessions", "plan.from"


class SeasonStore:
    """Reads and writes one ledger's season tables."""

    def __init__(self, ledger: SqliteLedger) -> None:
        self.ledger = ledger

    def changes(self, chat: str) -> SeasonChanges:
        """The season's plan as the host last left it (the defaults when never changed)."""
        conn = self.ledger.conn
        meta = {
            r["key"]: r["value"]
            for r in conn.execute(
                "SELECT key, value FROM meta WHERE chat = ? AND key IN (?, ?)",
                (chat, _SESSIONS, _FROM),
            )
        }
        shifts = tuple(
            Shift(date.fromisoformat(r["session"]), int(r["days"]))
            for r in conn.execute(
                "SELECT session, days FROM season_shifts WHERE chat = ? ORDER BY seq", (chat,)
            )
        )
        cancelled, moved = set(), {}
        for r in conn.execute(
            "SELECT session, action, moved_to FROM session_changes WHERE chat = ?", (chat,)
        ):
            if r["action"] == "cancel":
                cancelled.add(date.fromisoformat(r["session"]))
            else:
                moved[date.fromisoformat(r["session"])] = date.fromisoformat(r["moved_to"])
        return SeasonChanges(
            sessions=int(meta[_SESSIONS]) if _SESSIONS in meta else None,
            start=date.fromisoformat(meta[_FROM]) if _FROM in meta else None,
            shifts=shifts,
            cancelled=frozenset(cancelled),
            moved=moved,
        )

    def record(self, chat: str, changes: SeasonChanges) -> None:
        """Make the stored plan `changes` (inside the caller's transaction, or its own)."""
        with self.ledger.transaction() as conn:
            conn.execute(
                "DELETE FROM meta WHERE chat = ? AND key IN (?, ?)", (chat, _SESSIONS, _FROM)
            )
            for key, value in ((_SESSIONS, changes.sessions), (_FROM, changes.start)):
                if value is not None:
                    conn.execute(
                        "INSERT INTO meta (chat, key, value) VALUES (?,?,?)",
                        (chat, key, str(value)),
                    )
            conn.execute("DELETE FROM season_shifts WHERE chat = ?", (chat,))
            for seq, shift in enumerate(changes.shifts):
                conn.execute(
                    "INSERT INTO season_shifts (chat, seq, session, days) VALUES (?,?,?,?)",
                    (chat, seq, shift.start.isoformat(), shift.days),
                )
            conn.execute("DELETE FROM session_changes WHERE chat = ?", (chat,))
            rows: list[tuple[str, str, str | None]] = [
                (d.isoformat(), "cancel", None) for d in sorted(changes.cancelled)
            ]
            rows += [(d.isoformat(), "move", to.isoformat()) for d, to in changes.moved.items()]
            for session, action, moved_to in rows:
                conn.execute(
                    "INSERT INTO session_changes (chat, session, action, moved_to)"
                    " VALUES (?,?,?,?)",
                    (chat, session, action, moved_to),
                )

    def choices(self, chat: str) -> dict[str, Choice]:
        """Item key → the host's word on it (skip it, or send it although late)."""
        rows = self.ledger.conn.execute(
            "SELECT item, choice FROM item_choices WHERE chat = ?", (chat,)
        )
        return {r["item"]: r["choice"] for r in rows}

    def choose(self, chat: str, keys: Iterable[str], choice: Choice) -> None:
        """Remember `choice` for each item key (a later choice replaces an earlier one)."""
        with self.ledger.transaction() as conn:
            for key in keys:
                conn.execute(
                    "INSERT INTO item_choices (chat, item, choice) VALUES (?,?,?)"
                    " ON CONFLICT (chat, item) DO UPDATE SET choice = excluded.choice",
                    (chat, key, choice),
                )
