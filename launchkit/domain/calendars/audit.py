"""One verdict per calendar row, with reasons: what a calendar's keepers need to clean it.

Pure: the calendar's rows, what live sources said about each hashtag (if anything) and
"today" go in; a :class:`RowAudit` per row comes out. Verdicts, strongest first:

- ``stale``: no use of the tag in the last 90 days where a source could see that far;
- ``duplicate``: the same chat is listed on another row (by tag, or by near name and time);
- ``conflict``: one tag, two different schedules;
- ``unparsed``: the schedule cannot be read;
- ``quiet``: used within 90 days but less than its cadence says, or not seen by a source
  that cannot look back 90 days;
- ``active``: used recently;
- ``unknown``: nothing wrong on the sheet, and not checked live.

A row has one verdict but keeps every reason, so a stale duplicate says both.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from launchkit.domain.calendars.duplicates import SameChat, find_same_chats, row_tag
from launchkit.domain.calendars.liveness import (
    Liveness,
    TagUse,
    expected_gap_days,
    judge_liveness,
)
from launchkit.domain.calendars.table import CalendarEntry
from launchkit.domain.hashtag.collisions import fold

__all__ = [
    "VERDICTS",
    "RowAudit",
    "Verdict",
    "audit_rows",
    "count_verdicts",
    "matching_audits",
    "split_by_verdict",
]

Verdict = Literal["active", "quiet", "stale", "duplicate", "conflict", "unparsed", "unknown"]
VERDICTS: tuple[Verdict, ...] = (
    "stale",
    "duplicate",
    "conflict",
    "unparsed",
    "quiet",
    "active",
    "unknown",
)


@dataclass(frozen=True)
class RowAudit:
    """The audit of one calendar row. `related` lists rows of the same chat."""

    row: int
    hashtag: str | None
    verdict: Verdict
    reasons: tuple[str, ...]
    last_seen: date | None
    name: str | None = None
    related: tuple[int, ...] = ()
    keeper: int | None = None  # for a duplicate: the row to keep
    fixes: tuple[str, ...] = ()  # what is wrong on the sheet itself (also in `reasons`)
    schedule_text: str = ""

    def as_json(self) -> dict[str, Any]:
        """The documented per-row shape: row, hashtag, verdict, reasons, last_seen."""
        return {
            "row": self.row,
            "hashtag": self.hashtag,
            "verdict": self.verdict,
            "reasons": list(self.reasons),
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
        }


def _sheet_reasons(entry: CalendarEntry, tag: str | None) -> list[str]:
    """What is wrong with the row as written: its schedule and its hashtag."""
    reasons: list[str] = []
    parse = entry.parse
    if parse.status == "unparsed":
        text = entry.schedule_text.strip()
        reasons.append(f'the schedule "{text}" cannot be read' if text else "no schedule given")
    reasons += [f"schedule: {problem}" for problem in parse.problems]
    if tag is None:
        reasons.append("no hashtag on the row" if not entry.hashtag else "no hashtag in the cell")
    return reasons


def _verdict(same: SameChat | None, unparsed: bool, live: Liveness) -> Verdict:
    if live.verdict == "stale":
        return "stale"
    if same is not None:
        return "duplicate" if same.kind == "duplicate" else "conflict"
    if unparsed:
        return "unparsed"
    return live.verdict


def audit_rows(
    entries: Sequence[CalendarEntry],
    today: date,
    uses: Mapping[str, Sequence[TagUse]] | None = None,
) -> tuple[RowAudit, ...]:
    """Audit every row. `uses` maps a folded hashtag to what each live source reported;
    None when nothing was looked up (no --live)."""
    same_chats = find_same_chats(entries, today)
    audits = []
    for entry in entries:
        tag = row_tag(entry)
        if uses is None:
            live = Liveness("unknown", ("not checked live (add --live)",), None)
        elif tag is None:
            live = Liveness("unknown", ("no hashtag to look up",), None)
        else:
            gap = expected_gap_days(entry.parse.sessions)
            live = judge_liveness(uses.get(fold(tag), ()), gap, today)
        same = same_chats.get(entry.row)
        fixes = _sheet_reasons(entry, tag)
        reasons = [same.reason] if same else []
        reasons += fixes
        reasons += live.reasons
        audits.append(
            RowAudit(
                row=entry.row,
                hashtag=tag or entry.hashtag,
                verdict=_verdict(same, entry.parse.status == "unparsed", live),
                reasons=tuple(reasons),
                last_seen=live.last_seen,
                name=entry.name,
                related=same.others if same else (),
                keeper=same.keeper if same else None,
                fixes=tuple(fixes),
                schedule_text=entry.schedule_text,
            )
        )
    return tuple(audits)


def count_verdicts(audits: Sequence[RowAudit]) -> dict[str, int]:
    """How many rows got each verdict, strongest first (every verdict listed)."""
    counts: dict[str, int] = dict.fromkeys(VERDICTS, 0)
    for audit in audits:
        counts[audit.verdict] += 1
    return counts


def matching_audits(
    entries: Sequence[CalendarEntry], audits: Mapping[int, RowAudit]
) -> tuple[dict[int, RowAudit], int]:
    """The audit of each row that still holds the chat audited, and how many rows do not.

    An audit names rows by number; when the sheet changed since, a row may hold another
    chat now, so a row's verdict counts only while its hashtag is the one audited.
    """
    matched: dict[int, RowAudit] = {}
    moved = 0
    for entry in entries:
        audit = audits.get(entry.row)
        if audit is None:
            continue
        if fold(audit.hashtag or "") == fold(row_tag(entry) or entry.hashtag or ""):
            matched[entry.row] = audit
        else:
            moved += 1
    return matched, moved


def split_by_verdict(
    entries: Sequence[CalendarEntry], audits: Mapping[int, RowAudit], verdicts: Collection[str]
) -> tuple[tuple[CalendarEntry, ...], tuple[CalendarEntry, ...], int]:
    """(rows kept, rows whose audit verdict is in `verdicts`, audited rows that moved)."""
    matched, moved = matching_audits(entries, audits)
    kept: list[CalendarEntry] = []
    dropped: list[CalendarEntry] = []
    for entry in entries:
        audit = matched.get(entry.row)
        (dropped if audit is not None and audit.verdict in verdicts else kept).append(entry)
    return tuple(kept), tuple(dropped), moved
