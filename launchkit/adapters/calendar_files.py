"""Read a calendar file (CSV, TSV or XLSX) into rows of text cells.

CSV and TSV go through the standard `csv` module rather than pandas: pandas' C parser
rejects a row longer than the header and fills short rows with NaN, while calendar files
written by people are ragged, and `csv` hands back exactly the cells as text. It is also
as fast for this shape of file and keeps pandas out of the CSV path. XLSX goes through
pandas + openpyxl with every cell read as text.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

from launchkit.errors import ConfigError

Table = list[list[str]]

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
TSV_SUFFIXES = {".tsv", ".tab"}
_ZIP_MAGIC = b"PK\x03\x04"
# A spreadsheet cell holds at most 50,000 characters in Google Sheets and 32,767 in Excel, but a
# hand-made CSV can hold anything; csv's default 128 KiB limit would turn one huge cell into a
# crash, so the limit is lifted and the calendar layer refuses over-long schedules instead.
_FIELD_LIMIT = 2**31 - 1


def read_table(path: Path, worksheet: str | None = None) -> Table:
    """Every row of a CSV/TSV/XLSX file as a list of strings (the header is row 0)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"calendar file not found: {path}", hint="check the path, or give a sheet URL"
        ) from None
    except IsADirectoryError:
        raise ConfigError(f"{path} is a folder, not a calendar file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ConfigError(
            f"{path}: old Excel .xls files are not supported", hint="save it as .xlsx or .csv"
        )
    if suffix in XLSX_SUFFIXES or data.startswith(_ZIP_MAGIC):
        return read_xlsx(path, data, worksheet)
    return table_from_bytes(data, str(path), tab_separated=suffix in TSV_SUFFIXES or None)


def decode_text(data: bytes, name: str) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    if not data.strip():
        raise ConfigError(
            f"{name} is empty ({len(data)} bytes)", hint="a calendar needs a header row and rows"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:65536]:
        raise ConfigError(
            f"{name} looks like a binary file, not CSV text",
            hint="export the calendar as CSV (UTF-8) or XLSX",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows saves "CSV" in the ANSI code page, nearly always Windows-1252.
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{name}: cannot decode byte 0x{data[exc.start]:02x} at offset {exc.start} "
            "(not UTF-8 or Windows-1252 text)",
            hint="save the file as CSV UTF-8",
        ) from None


def _delimiter(text: str, tab_separated: bool | None) -> str:
    if tab_separated is not None:
        return "\t" if tab_separated else ","
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    if counts["\t"] > counts[","]:
        return "\t"
    # European Excel writes ";" when "," is the decimal separator.
    if counts[";"] and not counts[","] and not counts["\t"]:
        return ";"
    return ","


def table_from_bytes(data: bytes, name: str, tab_separated: bool | None = None) -> Table:
    """Parse CSV/TSV bytes into rows of text (`tab_separated` None: sniff the header line)."""
    text = decode_text(data, name)
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, tab_separated))
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise ConfigError(
            f"{name}: not a readable CSV file (line {reader.line_num}: {exc})",
            hint="check the quoting near that line, or export the sheet again",
        ) from None
    return _trim(rows)


def read_xlsx(path: Path, data: bytes, worksheet: str | None = None) -> Table:
    """Every cell of one worksheet of an XLSX file as text (first sheet unless named)."""
    import zipfile

    import pandas as pd

    if not data:
        raise ConfigError(f"{path} is empty (0 bytes)", hint="a calendar needs a header row")
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
        raise ConfigError(
            f"{path}: not a readable XLSX file ({type(exc).__name__})",
            hint="open it in a spreadsheet program and save it as .xlsx or .csv",
        ) from None
    names = [str(n) for n in book.sheet_names]
    if worksheet is not None and worksheet not in names:
        raise ConfigError(
            f"no worksheet {worksheet!r} in {path}",
            hint="worksheets: " + ", ".join(repr(n) for n in names),
        )
    sheet: str | int = worksheet if worksheet is not None else 0
    frame = pd.read_excel(book, sheet_name=sheet, header=None, dtype=str, keep_default_na=False)
    # Cells pandas could not fill (ragged rows) come back as NaN even with dtype=str.
    rows = frame.fillna("").values.tolist()
    return _trim([[str(c) for c in row] for row in rows])


def _trim(rows: Table) -> Table:
    """Drop trailing blank rows (spreadsheet exports often end with some)."""
    end = len(rows)
    while end and not any(cell.strip() for cell in rows[end - 1]):
        end -= 1
    del rows[end:]
    return rows
