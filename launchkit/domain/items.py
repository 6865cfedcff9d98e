"""The identity of a planned item: one record for the pack, the ledger, the timeline, status,
post and invite results and the exports (no heavy imports: `launchkit post` reads it).

>>> from datetime import UTC, date, datetime
>>> ItemRef("question", date(2027, 3, 2), 4, "x", datetime(2027, 3, 3, 1, 35, tzinfo=UTC)).key
'question|2027-03-02|4'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = ["ItemRef", "item_key"]


def item_key(step_id: str, session: date, index: int) -> str:
    """The stable identity of a planned item within one chat."""
    return f"{step_id}|{session.isoformat()}|{index}"


@dataclass(frozen=True)
class ItemRef:
    """Which planned item this is, and when it is due: one record shared by the content pack,
    the ledger, the schedule timeline, `status`, `post`, `invite` and the exports."""

    step: str  # the playbook step's id
    session: date  # local date of the session it belongs to
    index: int  # 1-based question or guest number; 0 when the step is not repeated
    channel: str  # where it goes: "x" or "email" (a network's name for the ones to come)
    due_utc: datetime  # aware, UTC
    # "step|YYYY-MM-DD|index": stable across re-plans; with the hashtag, the ledger's key.
    key: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", item_key(self.step, self.session, self.index))
