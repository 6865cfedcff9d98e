"""`launchkit calendar site`: the calendar as a static website anyone can read in their zone.

Writes DIR/index.html (one page; its script, style and data inline, so it works from disk
and from any server with no request elsewhere), DIR/chats.json (the same data, for scripts)
and DIR/ics/ with one .ics file per chat that has a known time. The page's parts are the
bundled templates/site/ files.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from launchkit.adapters.audit_file import AuditFile
from launchkit.adapters.fsutil import write_bytes_atomic, write_text_atomic
from launchkit.commands.calendar_audit import audit_notes
from launchkit.domain.calendars.site_data import build_site_content
from launchkit.domain.calendars.table import Calendar
from launchkit.errors import UsageError

__all__ = ["SiteBuild", "build_site"]

DEFAULT_TITLE = "Chat calendar"
_WRITERS = 4


@dataclass(frozen=True)
class SiteBuild:
    """What was written, and how many chats have a time (and so a calendar file)."""

    out: Path
    chats: int
    scheduled: int
    warnings: tuple[str, ...]  # about the audit (the calendar's own were shown on reading it)

    @property
    def index(self) -> Path:
        """The page itself."""
        return self.out / "index.html"


def _template(name: str) -> str:
    from launchkit.resources import templates_dir

    return (templates_dir() / "site" / name).read_text(encoding="utf-8")


def page_html(data: dict[str, object], data_json: str, title: str) -> str:
    """The page: the bundled template with its style, script and data (`data_json`) inline."""
    # "<" is escaped so no text in the data can close the <script> element it sits in.
    payload = data_json.replace("<", "\\u003c")
    built = str(data["built"])
    parts = {
        "@@STYLE@@": _template("site.css"),
        "@@SCRIPT@@": _template("site.js"),
        "@@TITLE@@": html.escape(title),
        "@@BUILT@@": html.escape(f"{built[:10]} {built[11:16]} UTC"),
        "@@SOURCE@@": html.escape(str(data["source"])),
    }
    page = _template("index.html")
    for marker, text in parts.items():
        page = page.replace(marker, text)
    # The data goes in last, so a marker written inside a chat's text stays text.
    return page.replace("@@DATA@@", payload)


def _check_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file", hint="give a folder for the site")


def _sync_file(path: str, data: bytes) -> bool:
    """Make the file at `path` hold `data`; False when it already did."""
    try:
        with open(path, "rb") as handle:
            if handle.read() == data:
                return False
        write_bytes_atomic(Path(path), data, durable=False)
    except FileNotFoundError:
        with open(path, "wb") as handle:  # a new chat: the page does not link it yet
            handle.write(data)
    return True


def write_calendar_files(folder: Path, files: Mapping[str, str]) -> int:
    """Bring `folder` to exactly these .ics files; return how many were written.

    A file whose text is unchanged is left alone (a rebuilt site changes only what changed,
    and 10,000 files are not rewritten daily); a changed one is replaced by rename, so a
    reader never gets half a file; .ics files of chats no longer listed are removed. Other
    files in the folder are not touched.
    """
    from concurrent.futures import ThreadPoolExecutor

    folder.mkdir(parents=True, exist_ok=True)
    # Plain os calls: with 10,000 files, pathlib's own overhead costs as much as the files;
    # a few threads keep the disk busy while one of them waits on it.
    paths = {os.path.basename(name): os.path.join(folder, os.path.basename(name)) for name in files}
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        changed = pool.map(
            _sync_file, paths.values(), (text.encode("utf-8") for text in files.values())
        )
        written = sum(changed)
    for base in os.listdir(folder):
        if base.endswith(".ics") and base not in paths:
            os.unlink(os.path.join(folder, base))
    return written


def build_site(
    calendar: Calendar,
    out: Path,
    now: datetime,
    *,
    audit: AuditFile | None = None,
    title: str = DEFAULT_TITLE,
) -> SiteBuild:
    """Build the site for `calendar` as of `now` into the folder `out`."""
    _check_out(out)
    content = build_site_content(
        calendar.entries,
        source=calendar.source,
        now=now.astimezone(UTC),
        audits=audit.rows if audit else None,
        audited_on=audit.audited_on if audit else None,
    )
    notes = audit_notes(calendar, audit, content.unmatched_audit_rows) if audit else []
    # Calendar files first, the page last: the page never links a file not yet written.
    write_calendar_files(out / "ics", content.ics_files)
    data_json = json.dumps(content.data, ensure_ascii=False, separators=(",", ":"))
    write_text_atomic(out / "chats.json", data_json + "\n")
    write_text_atomic(out / "index.html", page_html(content.data, data_json, title))
    return SiteBuild(out, len(calendar.entries), content.scheduled, tuple(notes))
