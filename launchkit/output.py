"""The one place that writes to the terminal: plain text, tables and JSON."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, TextIO

QUIET = False
VERBOSE = False


def _default(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def to_json(data: Any) -> str:
    """Serialise results (dataclasses, dates, paths) as indented JSON."""
    return json.dumps(data, default=_default, ensure_ascii=False, indent=2)


def emit_json(data: Any) -> None:
    """Print data as JSON on stdout (never silenced by --quiet: scripts asked for it)."""
    sys.stdout.write(to_json(data) + "\n")


def echo(text: str = "", stream: TextIO | None = None) -> None:
    """Print a line for a person, unless --quiet."""
    if QUIET:
        return
    (stream or sys.stdout).write(text + "\n")


def info(text: str) -> None:
    """Print a detail only shown with --verbose (on stderr)."""
    if VERBOSE and not QUIET:
        sys.stderr.write(text + "\n")


def warn(text: str) -> None:
    """Print a warning on stderr (shown even with --quiet)."""
    sys.stderr.write(f"Warning: {text}\n")


def error(message: str, hint: str | None = None) -> None:
    """Print `Error: ...` and `Hint: ...` on stderr."""
    for line in message.splitlines() or [""]:
        sys.stderr.write(f"Error: {line}\n")
    if hint:
        sys.stderr.write(f"Hint: {hint}\n")


def progress(text: str) -> None:
    """A progress note on stderr, only when stderr is a terminal and not --quiet."""
    if not QUIET and sys.stderr.isatty():
        sys.stderr.write(f"\r{text}\x1b[K")
        sys.stderr.flush()


@contextmanager
def working(text: str) -> Iterator[None]:
    """Say what is happening on a terminal's stderr during long work; cleared when done."""
    progress(text + " …")
    try:
        yield
    finally:
        if not QUIET and sys.stderr.isatty():
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def use_color() -> bool:
    """True when stdout is a terminal that wants colour."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table (fast to import, readable in any terminal or log)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
