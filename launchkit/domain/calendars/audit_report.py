"""The audit as a Markdown page for a calendar's keepers: what to remove, merge and fix.

Pure text. Links go to the row in the sheet (when the calendar is a Google Sheet), to the
tag's page on the Mastodon instance that was asked and on X, and to the chat's own link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from launchkit.domain.calendars.audit import RowAudit, count_verdicts

__all__ = ["ReportLinks", "audit_markdown"]


@dataclass(frozen=True)
class ReportLinks:
    """How to link a row and a tag.

    `row_url` has a `{line}` for the sheet's line number; `tag_pages` are (label, URL with
    `{tag}`) for each service asked ("mastodon.social", "https://mastodon.social/tags/{tag}").
    """

    row_url: str | None = None
    tag_pages: tuple[tuple[str, str], ...] = ()
    chat_links: Mapping[int, str] | None = None  # row -> the chat's own link


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _row_ref(row: int, links: ReportLinks) -> str:
    if links.row_url:
        # Data row 1 is the sheet's line 2: the header is line 1.
        return f"[{row}]({links.row_url.format(line=row + 1)})"
    return str(row)


def _chat_ref(audit: RowAudit, links: ReportLinks) -> str:
    label = _cell(audit.hashtag or audit.name or "(no tag or name)")
    parts = [label]
    body = (audit.hashtag or "").lstrip("#")
    if audit.hashtag and body.replace("_", "").isalnum():
        for label, page in links.tag_pages:
            parts.append(f"[{_cell(label)}]({page.format(tag=quote(body))})")
    own = (links.chat_links or {}).get(audit.row)
    if own and own.startswith(("https://", "http://")):
        parts.append(f"[site]({own})")
    return " ".join(parts)


def _table(rows: Sequence[RowAudit], links: ReportLinks, why: str) -> list[str]:
    lines = [f"| row | chat | {why} |", "| ---: | --- | --- |"]
    for audit in rows:
        reasons = "; ".join(audit.reasons) or "-"
        lines.append(
            f"| {_row_ref(audit.row, links)} | {_chat_ref(audit, links)} | {_cell(reasons)} |"
        )
    return lines


def _groups(audits: Sequence[RowAudit]) -> list[tuple[int, ...]]:
    """Rows of one chat together: each row with the rows it duplicates or conflicts with."""
    parent: dict[int, int] = {}

    def find(row: int) -> int:
        parent.setdefault(row, row)
        while parent[row] != row:
            row = parent[row]
        return row

    for audit in audits:
        for other in audit.related:
            parent[find(other)] = find(audit.row)
    groups: dict[int, list[int]] = {}
    for row in list(parent):
        groups.setdefault(find(row), []).append(row)
    return sorted(tuple(sorted(g)) for g in groups.values() if len(g) > 1)


def _merge_section(audits: Sequence[RowAudit], links: ReportLinks) -> list[str]:
    by_row = {a.row: a for a in audits}
    out: list[str] = []
    for group in _groups(audits):
        members = [by_row[r] for r in group if r in by_row]
        keepers = sorted(
            {m.keeper for m in members if m.keeper}
            | {m.row for m in members if m.verdict == "conflict"}
        )
        tag = next((m.hashtag for m in members if m.hashtag), None) or members[0].name or "?"
        rows = ", ".join(_row_ref(m.row, links) for m in members)
        if any(m.verdict == "conflict" for m in members):
            advice = "the rows disagree on the time: find the right one, keep one row"
        else:
            keep = ", ".join(_row_ref(r, links) for r in keepers) or _row_ref(group[0], links)
            advice = f"keep row {keep}, remove the others (copy over anything they add)"
        out.append(f"- **{_cell(tag)}**: rows {rows}: {advice}.")
        for member in members:
            said = _cell(member.schedule_text) or "(no schedule)"
            out.append(f'  - row {member.row} ({member.verdict}): "{said}"')
    return out


def audit_markdown(
    audits: Sequence[RowAudit],
    *,
    source: str,
    audited_on: date,
    live_note: str,
    links: ReportLinks,
) -> str:
    """The keepers' report: summary, rows to remove, to merge, to fix, to check by hand."""
    counts = count_verdicts(audits)
    summary = ", ".join(f"{n} {verdict}" for verdict, n in counts.items() if n)
    stale = [a for a in audits if a.verdict == "stale"]
    fix = [
        a
        for a in audits
        if a.verdict in ("unparsed", "conflict")
        or (a.verdict not in ("stale", "duplicate") and a.fixes)
    ]
    quiet = [a for a in audits if a.verdict == "quiet"]
    out = [
        f"# Calendar audit: {_cell(source)}",
        "",
        f"Audited {audited_on.isoformat()}. {live_note}",
        "",
        f"{len(audits)} rows: {summary}.",
        "",
        f"## Rows to remove ({len(stale)})",
        "",
        "Chats whose hashtag nobody has used in 90 days.",
        "",
    ]
    out += _table(stale, links, "why") if stale else ["None."]
    merge = _merge_section(audits, links)
    out += ["", f"## Rows to merge ({sum(1 for line in merge if line.startswith('- '))})", ""]
    out += ["The same chat listed more than once.", ""]
    out += merge or ["None."]
    out += ["", f"## Rows to fix ({len(fix)})", ""]
    out += ["Schedules that cannot be read or say too little, and rows without a hashtag.", ""]
    out += _table(fix, links, "what to fix") if fix else ["None."]
    out += ["", f"## Quiet chats, to check by hand ({len(quiet)})", ""]
    out += _table(quiet, links, "why") if quiet else ["None."]
    return "\n".join(out) + "\n"
