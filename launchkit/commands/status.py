"""`launchkit status`: the ledger at a glance — sent, due, planned, failed, unknown."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from launchkit.adapters.ledger import Item, SqliteLedger
from launchkit.adapters.submissions import Submission
from launchkit.domain.items import ItemRef

# What a person calls each row; `unknown` is a row left in `sending` by a crash.
LABELS = {"sending": "unknown", "sent": "sent", "failed": "failed", "cancelled": "cancelled"}
ORDER = ("sent", "due", "late", "planned", "failed", "unknown", "cancelled")


@dataclass(frozen=True)
class StatusRow:
    """One ledger row as shown by `status`."""

    chat: str
    ref: ItemRef
    network: str  # where it goes: x, mastodon, bluesky, or email
    due_local: datetime  # in the chat's zone when known, else UTC
    status: str
    text: str
    recipient: str | None
    url: str | None
    error: str | None


@dataclass(frozen=True)
class StatusReport:
    """The result of `launchkit status`."""

    counts: dict[str, int]
    items: list[StatusRow]
    submissions: tuple[Submission, ...]  # the chat's rows written to calendar sheets


def label(item: Item, now: datetime, grace: timedelta, late_ok: bool = False) -> str:
    """sent, due (send now), late (past the grace period), planned, failed, unknown, cancelled.
    `late_ok`: the host let it go late (`schedule --send-late`), so it is due, not late."""
    if item.state != "planned":
        return LABELS[item.state]
    if item.ref.due_utc > now:
        return "planned"
    return "late" if now - item.ref.due_utc > grace and not late_ok else "due"


def _local(moment: datetime, zone_name: str | None) -> datetime:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(zone_name)) if zone_name else moment


def run(
    ledger: SqliteLedger, submissions: Sequence[Submission], now: datetime, grace: timedelta
) -> StatusReport:
    """Summarise every ledger row (in due order) and any calendar submissions."""
    zones = ledger.meta("timezone")
    allowed = ledger.late_allowed()
    rows = [
        StatusRow(
            chat=i.chat,
            ref=i.ref,
            network=i.ref.channel,
            due_local=_local(i.ref.due_utc, zones.get(i.chat)),
            status=label(i, now, grace, (i.chat, i.ref.key) in allowed),
            text=i.text,
            recipient=i.recipient,
            url=i.url,
            error=i.error,
        )
        for i in ledger.items()
    ]
    counted = Counter(r.status for r in rows)
    counts = {name: counted.get(name, 0) for name in ORDER}
    return StatusReport(counts, rows, tuple(submissions))
