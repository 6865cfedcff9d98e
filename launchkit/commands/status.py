"""`launchkit status`: the ledger at a glance — sent, due, planned, failed, unknown."""

from __future__ import annotations

import importlib
import importlib.util
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from launchkit.adapters.ledger import Item, SqliteLedger

# What a person calls each row; `unknown` is a row left in `sending` by a crash.
LABELS = {"sending": "unknown", "sent": "sent", "failed": "failed", "cancelled": "cancelled"}
ORDER = ("sent", "due", "late", "planned", "failed", "unknown", "cancelled")
SUBMISSIONS_MODULE = "launchkit.adapters.submissions"


@dataclass(frozen=True)
class StatusRow:
    """One ledger row as shown by `status`."""

    key: str
    chat: str
    channel: str
    due_utc: datetime
    due_local: str
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
    submissions: list[Any] | None  # from the `submit` command, when it is installed


def label(item: Item, now: datetime, grace: timedelta) -> str:
    """sent, due (send now), late (past the grace period), planned, failed, unknown, cancelled."""
    if item.state != "planned":
        return LABELS[item.state]
    if item.due_utc > now:
        return "planned"
    return "late" if now - item.due_utc > grace else "due"


def local_text(moment: datetime, zone_name: str | None) -> str:
    """`2027-01-12 20:00 EST`, in the chat's zone when known, else UTC."""
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(zone_name)) if zone_name else moment
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


def _submissions(db_path: Path) -> list[Any] | None:
    # The `submit` command owns its table and reader; show it only when that module exists.
    if importlib.util.find_spec(SUBMISSIONS_MODULE) is None:
        return None
    module = importlib.import_module(SUBMISSIONS_MODULE)
    return list(module.list_submissions(db_path))


def run(ledger: SqliteLedger, db_path: Path, now: datetime, grace: timedelta) -> StatusReport:
    """Summarise every ledger row (in due order) and any calendar submissions."""
    zones = ledger.meta("timezone")
    rows = [
        StatusRow(
            key=i.key,
            chat=i.chat,
            channel=i.channel,
            due_utc=i.due_utc,
            due_local=local_text(i.due_utc, zones.get(i.chat)),
            status=label(i, now, grace),
            text=i.text,
            recipient=i.recipient,
            url=i.url,
            error=i.error,
        )
        for i in ledger.items()
    ]
    counted = Counter(r.status for r in rows)
    counts = {name: counted.get(name, 0) for name in ORDER}
    return StatusReport(counts, rows, _submissions(db_path))
