"""The fake Sheets server's data model: tabs of string cells, formulas, and A1 notation.

Covers what gspread sends: ``'Tab'!A1:Z``, ``'Tab'`` (whole tab), ``'Tab'!A1:1`` (a row),
``A:B`` (columns), and ``''`` escaping of quotes in tab names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# What a formula cell reads back as, unless valueRenderOption=FORMULA: a test can tell it apart.
FORMULA_RESULT = "#FORMULA-EVALUATED"


class Formula(str):
    """A cell entered as a formula (USER_ENTERED and starting with ``=``)."""


@dataclass
class Worksheet:
    """One tab: its id, title and rows of cells."""

    sheet_id: int
    title: str
    rows: list[list[str]]

    def grid(self) -> tuple[int, int]:
        """(rowCount, columnCount): Sheets' default 1000 x 26, grown to fit the data."""
        return max(1000, len(self.rows)), max([26, *(len(r) for r in self.rows)])


@dataclass
class Spreadsheet:
    """A spreadsheet: title and tabs in order."""

    title: str
    sheets: list[Worksheet]


def cell_text(value: Any, user_entered: bool) -> str:
    """What a written JSON value becomes in a cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    text = str(value)
    return Formula(text) if user_entered and text.startswith("=") else text


# Sheets columns stop at ZZZ, so "Sheet1" is never read as a cell.
_CELL = re.compile(r"^([A-Za-z]{0,3})(\d*)$")


def col_number(letters: str) -> int:
    """``A`` → 1, ``AA`` → 27."""
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def col_letters(number: int) -> str:
    """1 → ``A``, 27 → ``AA``."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_title(title: str) -> str:
    """A tab title as written in a range: bare when plain, else quoted with ``''``."""
    if re.fullmatch(r"[A-Za-z0-9_]+", title):
        return title
    return "'" + title.replace("'", "''") + "'"


def split_range(a1: str) -> tuple[str | None, str]:
    """``'My tab'!A1:B2`` → ("My tab", "A1:B2"); ``'Tab'`` → ("Tab", ""); ``A1`` → (None, "A1").

    A bare ``Tab`` comes back as (None, "Tab"); :meth:`FakeSheets._resolve` first checks
    whether it is a tab's title, as Sheets does.
    """
    if a1.startswith("'"):
        end = re.match(r"'((?:[^']|'')*)'", a1)
        if end is None:
            raise ValueError(a1)
        rest = a1[end.end() :]
        return end.group(1).replace("''", "'"), rest.removeprefix("!")
    if "!" in a1:
        title, cells = a1.rsplit("!", 1)
        return title, cells
    return None, a1


def parse_cells(cells: str) -> tuple[int, int, int | None, int | None]:
    """``A1:C`` → (row0, col0, row1, col1), 0-based, ends inclusive; None means open."""
    if not cells:
        return 0, 0, None, None
    first, _, last = cells.partition(":")
    m1, m2 = _CELL.match(first), _CELL.match(last or first)
    if m1 is None or m2 is None:
        raise ValueError(cells)
    row0 = int(m1.group(2)) - 1 if m1.group(2) else 0
    col0 = col_number(m1.group(1)) - 1 if m1.group(1) else 0
    row1 = int(m2.group(2)) - 1 if m2.group(2) else None
    col1 = col_number(m2.group(1)) - 1 if m2.group(1) else None
    return row0, col0, row1, col1


def a1_range(title: str, row0: int, col0: int, row1: int, col1: int) -> str:
    """0-based inclusive bounds → ``Tab!A1:C3`` (``Tab!A1`` for one cell)."""
    start, end = f"{col_letters(col0 + 1)}{row0 + 1}", f"{col_letters(col1 + 1)}{row1 + 1}"
    return f"{quote_title(title)}!{start}" + ("" if start == end else f":{end}")
