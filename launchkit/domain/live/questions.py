"""The session's question schedule from the ledger's rows (pure): what was posted and when,
what comes next and in how long.

A question posted on several networks is one question: it counts as posted from its first
send, and as due at the earliest due time of its rows not yet sent.

>>> from datetime import UTC, datetime, timedelta
>>> at = datetime(2027, 3, 3, 1, 5, tzinfo=UTC)
>>> rows = [QuestionRow(1, "x", "sent", at, at), QuestionRow(1, "bluesky", "sent", at, at),
...         QuestionRow(2, "x", "planned", at + timedelta(minutes=10), None)]
>>> slots = question_slots(rows, ["Why?", "How?"])
>>> [(s.n, s.posted_on, s.due_at is None) for s in slots]
[(1, ('bluesky', 'x'), True), (2, (), False)]
>>> countdown(next_question(slots).due_at - (at + timedelta(minutes=5, seconds=30)))
'4:30'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["QuestionRow", "QuestionSlot", "countdown", "next_question", "question_slots"]


@dataclass(frozen=True)
class QuestionRow:
    """One ledger row of a question step: question n on one network."""

    n: int
    network: str
    state: str  # the ledger's: planned, sending, sent, failed, cancelled
    due_at: datetime  # aware
    sent_at: datetime | None  # when it went out (entered sending), for sent rows


@dataclass(frozen=True)
class QuestionSlot:
    """Question n of the session, over every network."""

    n: int
    text: str  # chat.yaml's question n ("" when it has fewer)
    posted_at: datetime | None  # its first send on any network
    posted_on: tuple[str, ...]  # the networks it was sent to
    due_at: datetime | None  # the earliest due time of its rows still to send
    failed_on: tuple[str, ...]  # the networks where its row failed


def question_slots(rows: Sequence[QuestionRow], planned: Sequence[str]) -> list[QuestionSlot]:
    """The questions of the rows, by number (chat.yaml's questions without rows are left
    out: nothing is planned for them)."""
    slots = []
    for n in sorted({r.n for r in rows}):
        mine = [r for r in rows if r.n == n]
        sent = [r for r in mine if r.state == "sent"]
        waiting = [r.due_at for r in mine if r.state in ("planned", "sending")]
        slots.append(
            QuestionSlot(
                n=n,
                text=planned[n - 1] if 0 < n <= len(planned) else "",
                posted_at=min((r.sent_at or r.due_at for r in sent), default=None),
                posted_on=tuple(sorted(r.network for r in sent)),
                due_at=min(waiting) if waiting and not sent else None,
                failed_on=tuple(sorted(r.network for r in mine if r.state == "failed")),
            )
        )
    return slots


def next_question(slots: Sequence[QuestionSlot]) -> QuestionSlot | None:
    """The question due next: the earliest due of those not posted anywhere yet."""
    waiting = [s for s in slots if s.due_at is not None]
    return min(waiting, key=lambda s: (s.due_at, s.n)) if waiting else None


def countdown(left: timedelta) -> str:
    """A countdown as a clock shows it: "4:30", "1:02:03"; "-0:15" once it is overdue."""
    seconds = int(left.total_seconds())
    sign = "-" if seconds < 0 else ""
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours}:{minutes:02d}:{secs:02d}" if hours else f"{sign}{minutes}:{secs:02d}"
