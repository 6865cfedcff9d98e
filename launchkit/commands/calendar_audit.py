"""`launchkit calendar audit`: a verdict per calendar row, and a report for its keepers.

Without live sources, the audit reads only the sheet (duplicates, conflicts, unreadable
schedules). With them, each hashtag's last use is looked up on every source (see
adapters/tag_sources.py); the CLI shows the price of paid lookups first (`plan_audit`), then
calls `run_audit`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from launchkit.adapters.audit_file import AuditFile
from launchkit.adapters.lookup_cache import LookupCache
from launchkit.adapters.tag_sources import LiveSources, TagSource
from launchkit.commands.tag_lookups import LookupPlan, Progress, look_up, plan_lookups
from launchkit.domain.calendars.audit import RowAudit, audit_rows, count_verdicts, split_by_verdict
from launchkit.domain.calendars.audit_report import ReportLinks, audit_markdown
from launchkit.domain.calendars.duplicates import row_tag
from launchkit.domain.calendars.table import Calendar, CalendarEntry

__all__ = [
    "NOT_COMPETING",
    "REUSABLE",
    "AppliedAudit",
    "AuditPlan",
    "AuditResult",
    "apply_audit",
    "audit_notes",
    "plan_audit",
    "run_audit",
]


@dataclass(frozen=True)
class AuditPlan:
    """What a live audit will ask, where, and what the paid part costs (nothing when cached)."""

    sources: tuple[TagSource, ...]
    lookups: LookupPlan | None  # None: not live
    cache: LookupCache | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditResult:
    """Every row's audit, where live use was checked, and the report written (if any)."""

    source: str
    audited_on: date
    rows: tuple[RowAudit, ...]
    checked_on: tuple[str, ...]  # "mastodon.social", "X"
    notes: tuple[str, ...]
    requests: int  # lookups sent this run (0 when everything came from today's cache)
    report: Path | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def live_note(self) -> str:
        """One sentence: where use was looked up, and what was not."""
        if not self.checked_on:
            return "Live use not checked (run with --live)."
        text = "Live use looked up on " + " and ".join(self.checked_on) + "."
        return " ".join([text, *self.notes])

    def as_json(self) -> dict[str, Any]:
        """The documented shape (the CLI puts `schema_version` first): the run, then one
        object per row."""
        return {
            "source": self.source,
            "audited_on": self.audited_on.isoformat(),
            "live": list(self.checked_on),
            "counts": self.counts,
            "rows": [row.as_json() for row in self.rows],
        }


def plan_audit(
    calendar: Calendar, live: LiveSources | None = None, cache: LookupCache | None = None
) -> AuditPlan:
    """Decide what a run would look up (so the CLI can show the price before it runs).

    `live` None: nothing is looked up. `cache` holds today's answers of earlier runs.
    """
    if live is None or cache is None:
        return AuditPlan((), None, None)
    tags = filter(None, (row_tag(entry) for entry in calendar.entries))
    lookups = plan_lookups(tags, live.sources, cache)
    return AuditPlan(live.sources, lookups, cache, live.not_asked)


def run_audit(
    calendar: Calendar,
    plan: AuditPlan,
    today: date,
    *,
    out: Path | None = None,
    on_progress: Progress | None = None,
) -> AuditResult:
    """Look up what the plan says, judge every row, and write the Markdown report to `out`."""
    uses = None
    if plan.lookups is not None and plan.cache is not None:
        uses = look_up(plan.lookups, plan.sources, plan.cache, on_progress)
    rows = audit_rows(calendar.entries, today, uses)
    result = AuditResult(
        source=calendar.source,
        audited_on=today,
        rows=rows,
        checked_on=tuple(s.where for s in plan.sources),
        notes=plan.notes,
        requests=plan.lookups.requests if plan.lookups else 0,
        report=out,
        counts=count_verdicts(rows),
    )
    if out is not None:
        from launchkit.adapters.fsutil import write_text_atomic

        links = ReportLinks(
            row_url=_row_url(calendar.source),
            tag_pages=tuple((s.where, s.tag_page) for s in plan.sources),
            chat_links={e.row: e.link for e in calendar.entries if e.link},
        )
        text = audit_markdown(
            rows,
            source=calendar.source,
            audited_on=today,
            live_note=result.live_note,
            links=links,
        )
        write_text_atomic(out, text)
    return result


def _row_url(source: str) -> str | None:
    """A link to a data row of a Google Sheet (with `{line}`), None for files and CSV URLs."""
    from launchkit.adapters.sheets import is_sheet_ref, parse_sheet_ref

    if not is_sheet_ref(source):
        return None
    ref = parse_sheet_ref(source)
    return (
        f"https://docs.google.com/spreadsheets/d/{ref.key}/edit"
        f"#gid={ref.gid or 0}&range={{line}}:{{line}}"
    )


# Rows that no longer compete for a slot: chats that stopped, and second listings of a chat.
NOT_COMPETING = ("stale", "duplicate")
# Rows whose hashtag is free to take again: chats that stopped.
REUSABLE = ("stale",)


@dataclass(frozen=True)
class AppliedAudit:
    """A calendar without the rows an audit found dead; what was left out says why."""

    calendar: Calendar
    left_out: tuple[CalendarEntry, ...]


def apply_audit(calendar: Calendar, audit: AuditFile, verdicts: Collection[str]) -> AppliedAudit:
    """Leave out the rows whose audited verdict is one of `verdicts` (`slots`: stale and
    duplicate, so dead chats and second listings stop counting; `hashtag check`: stale).

    A note on what was left out, and on rows that hold another chat since the audit, joins
    the calendar's warnings, so every command that shows those shows it.
    """
    kept, left_out, moved = split_by_verdict(calendar.entries, audit.rows, verdicts)
    when = f" of {audit.audited_on.isoformat()}" if audit.audited_on else ""
    said = " or ".join(sorted(verdicts))
    notes = [f"{len(left_out)} rows left out as {said} in the audit{when} ({audit.path.name})"]
    notes += audit_notes(calendar, audit, moved)
    filtered = dataclasses.replace(calendar, entries=kept, warnings=(*calendar.warnings, *notes))
    return AppliedAudit(filtered, left_out)


def audit_notes(calendar: Calendar, audit: AuditFile, moved: int) -> list[str]:
    """What a person should know when `audit` no longer quite fits `calendar`."""
    notes = []
    if moved:
        notes.append(
            f"{moved} rows of {audit.path.name} hold another chat now; their verdicts were ignored"
        )
    if audit.source and audit.source != calendar.source:
        notes.append(f"{audit.path.name} is an audit of {audit.source}, not {calendar.source}")
    return notes
