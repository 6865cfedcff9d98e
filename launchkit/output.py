"""The one place that writes to the terminal: the Console a run writes through, tables, JSON.

The console is made once per run by the runtime (cli/runtime.py) from the process's streams;
a test gives it its own streams (and says whether they are a terminal).

Text shown to a person often comes from elsewhere (calendar cells, a server's error, a
chat.yaml): every line the console writes goes through `visible`, so a control character or
a terminal escape sequence in it is shown as `\x1b`, never acted on by the terminal. JSON
escapes the same characters as `\u001b`.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any, TextIO

# Every --json output that is an object carries this (docs/ARCHITECTURE.md, "JSON outputs").
SCHEMA_VERSION = 1

# C0 controls but tab and newline, DEL, C1 controls (\x9b is a CSI on its own), and the bidi
# embeddings, overrides and isolates that make a line read otherwise than it is.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# In JSON text (where C0 is already escaped): the rest of them.
_HIDDEN_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# The colour sequences launchkit itself writes (heatmap cells): SGR, `ESC [ n;n m`.
_SGR = re.compile("(\x1b\\[[0-9;]*m)")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` made safe for a terminal: control characters shown as escapes, not obeyed.

    >>> print(visible("ok\x1b]0;pwned\x07 \x9b2J done"))
    ok\\x1b]0;pwned\\x07 \\x9b2J done
    """
    return _HIDDEN.sub(_escape, text)


def visible_styled(text: str) -> str:
    """Like `visible`, but launchkit's own colour sequences (SGR) are kept."""
    return "".join(
        part if index % 2 else visible(part) for index, part in enumerate(_SGR.split(text))
    )


def json_safe(text: str) -> str:
    """JSON text whose strings escape every character `visible` would (same data parsed)."""
    return _HIDDEN_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
    return json_safe(json.dumps(data, default=_default, ensure_ascii=False, indent=2))


def json_object(data: Any) -> dict[str, Any]:
    """A result as a JSON object that starts with its `schema_version`."""
    plain = json.loads(to_json(data))
    if not isinstance(plain, dict):
        raise TypeError(f"{type(data).__name__} is not an object")
    return {"schema_version": SCHEMA_VERSION, **plain}


def text_width(text: str) -> int:
    """The columns `text` takes in a terminal: two for CJK and emoji, none for a combining
    accent or a joiner (wcwidth, imported only for text that is not plain ASCII)."""
    if text.isascii():
        return len(text)
    from wcwidth import width

    return int(width(text))


def pad(text: str, columns: int) -> str:
    """`text` with spaces after it to fill `columns` terminal columns (str.ljust counts
    characters, so a CJK name would push the rest of its row to the right)."""
    return text + " " * max(0, columns - text_width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned text table (fast to import, readable in any terminal or log).

    Columns line up by terminal width: CJK, emoji and combining accents are measured as
    they are shown, not by their number of characters. Control characters in a cell are
    shown as escapes (`visible`), and measured as shown.
    """
    cells = [[visible(str(h)) for h in headers]] + [
        ["" if c is None else visible(str(c)) for c in r] for r in rows
    ]
    widths = [max(text_width(r[i]) for r in cells) for i in range(len(headers))]
    lines = [
        "  ".join(pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@dataclass
class Console:
    """Where one run reads and writes, and how much it says (--quiet, --verbose)."""

    stdout: TextIO
    stderr: TextIO
    stdin: TextIO
    quiet: bool = False
    verbose: bool = False
    no_color: bool = False  # NO_COLOR is set

    @property
    def interactive(self) -> bool:
        """True when a person is at a terminal to answer questions."""
        return self.stdin.isatty() and self.stdout.isatty()

    def write_json_text(self, text: str) -> None:
        """Write JSON text made elsewhere to stdout (machine output: never silenced)."""
        self.stdout.write(json_safe(text))

    def emit_json(self, data: Any) -> None:
        """Print data as JSON on stdout (never silenced by --quiet: scripts asked for it)."""
        self.stdout.write(to_json(data) + "\n")

    def echo(self, text: str = "", err: bool = False, *, styled: bool = False) -> None:
        """Print a line for a person (on stderr with `err`), unless --quiet.

        `styled`: the text carries launchkit's own colours, which are kept.
        """
        if not self.quiet:
            shown = visible_styled(text) if styled else visible(text)
            (self.stderr if err else self.stdout).write(shown + "\n")

    def info(self, text: str) -> None:
        """Print a detail only shown with --verbose (on stderr)."""
        if self.verbose and not self.quiet:
            self.stderr.write(visible(text) + "\n")

    def notice(self, text: str) -> None:
        """A line for a person watching (a long wait): on a terminal's stderr, else with -v."""
        if not self.quiet and (self.verbose or self.stderr.isatty()):
            self.stderr.write(visible(text) + "\n")
            self.stderr.flush()

    def warn(self, text: str) -> None:
        """Print a warning on stderr (shown even with --quiet)."""
        self.stderr.write(f"Warning: {visible(text)}\n")

    def error(self, message: str, hint: str | None = None) -> None:
        """Print `Error: ...` and `Hint: ...` on stderr."""
        for line in message.splitlines() or [""]:
            self.stderr.write(f"Error: {visible(line)}\n")
        if hint:
            self.stderr.write(f"Hint: {visible(hint)}\n")

    def _shows_progress(self) -> bool:
        return not self.quiet and self.stderr.isatty()

    def progress(self, text: str) -> None:
        """A progress note on stderr, only when stderr is a terminal and not --quiet."""
        if self._shows_progress():
            self.stderr.write(f"\r{visible(text)}\x1b[K")
            self.stderr.flush()

    @contextmanager
    def working(self, text: str) -> Iterator[None]:
        """Say what is happening on a terminal's stderr during long work; cleared when done."""
        self.progress(text + " …")
        try:
            yield
        finally:
            if self._shows_progress():
                self.stderr.write("\r\x1b[K")
                self.stderr.flush()

    def use_color(self) -> bool:
        """True when stdout is a terminal that wants colour."""
        return self.stdout.isatty() and not self.no_color

    def confirm(self, question: str, err: bool = False) -> bool:
        """Ask a yes/no question (default no) on the terminal; end of input is a no."""
        stream = self.stderr if err else self.stdout
        while True:
            stream.write(f"{visible(question)} [y/N]: ")
            stream.flush()
            line = self.stdin.readline()
            if not line:
                stream.write("\n")
                return False
            answer = line.strip().lower()
            if answer in ("y", "yes"):
                return True
            if answer in ("", "n", "no"):
                return False
            stream.write("Error: answer y or n\n")
