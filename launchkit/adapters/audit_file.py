"""Read an audit written by `launchkit calendar audit --json` (for `--audit FILE`).

The file is the documented object (`schema_version` 1 with `rows`) or a bare array of rows;
each row is `{"row", "hashtag", "verdict", "reasons", "last_seen"}`. Anything else is a
one-line error naming the file and the row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from launchkit.domain.calendars.audit import VERDICTS, RowAudit
from launchkit.errors import ConfigError
from launchkit.output import SCHEMA_VERSION

__all__ = ["AuditFile", "read_audit"]

_HINT = "write it with: launchkit calendar audit --live --json > audit.json"


@dataclass(frozen=True)
class AuditFile:
    """An audit read back: its rows by row number, and what it was made from."""

    path: Path
    source: str | None
    audited_on: date | None
    rows: Mapping[int, RowAudit]


def _fail(path: Path, what: str) -> ConfigError:
    return ConfigError(f"{path}: {what}", hint=_HINT)


def _row(path: Path, position: int, item: Any) -> RowAudit:
    where = f"entry {position + 1}"
    if not isinstance(item, dict):
        raise _fail(path, f"{where} is not an object")
    row, verdict, reasons = item.get("row"), item.get("verdict"), item.get("reasons", [])
    if not isinstance(row, int) or isinstance(row, bool) or row < 1:
        raise _fail(path, f"{where}: 'row' must be a row number (1 or more)")
    if verdict not in VERDICTS:
        raise _fail(path, f"row {row}: unknown verdict {verdict!r} (one of {', '.join(VERDICTS)})")
    if not isinstance(reasons, list) or not all(isinstance(r, str) for r in reasons):
        raise _fail(path, f"row {row}: 'reasons' must be a list of texts")
    hashtag = item.get("hashtag")
    if hashtag is not None and not isinstance(hashtag, str):
        raise _fail(path, f"row {row}: 'hashtag' must be a text or null")
    try:
        seen = date.fromisoformat(item["last_seen"]) if item.get("last_seen") else None
    except (TypeError, ValueError):
        raise _fail(path, f"row {row}: 'last_seen' must be a date like 2026-11-30") from None
    return RowAudit(row, hashtag, verdict, tuple(reasons), seen)


def read_audit(path: Path) -> AuditFile:
    """Read and check an audit file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(path, f"cannot be read ({type(exc).__name__})") from None
    except json.JSONDecodeError as exc:
        raise _fail(path, f"not JSON (line {exc.lineno}: {exc.msg})") from None
    source = audited = None
    if isinstance(data, dict):
        if data.get("schema_version") != SCHEMA_VERSION:
            raise _fail(path, f"unknown schema_version {data.get('schema_version')!r}")
        source = data.get("source") if isinstance(data.get("source"), str) else None
        try:
            audited = date.fromisoformat(str(data.get("audited_on")))
        except ValueError:
            audited = None
        data = data.get("rows")
    if not isinstance(data, list):
        raise _fail(path, "not an audit: expected its rows")
    rows = [_row(path, i, item) for i, item in enumerate(data)]
    return AuditFile(path, source, audited, {r.row: r for r in rows})
