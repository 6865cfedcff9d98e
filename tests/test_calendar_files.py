"""Reading calendar files: encodings, delimiters, XLSX, ragged rows and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchkit.adapters.calendar_files import read_table
from launchkit.errors import ConfigError

HEADER = "hashtag,name,schedule,timezone,topic\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_utf8_csv_keeps_cells_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", (HEADER + "#2030chat,,Tuesdays 0800 ET,,café\n").encode())
    assert read_table(path) == [
        ["hashtag", "name", "schedule", "timezone", "topic"],
        ["#2030chat", "", "Tuesdays 0800 ET", "", "café"],
    ]


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", b"\xef\xbb\xbf" + (HEADER + "#a,,Mondays 8pm ET,,x\n").encode())
    assert read_table(path)[0][0] == "hashtag"


def test_windows_1252_csv_is_read(tmp_path: Path) -> None:
    text = HEADER + "#caf\u00e9chat,Caf\u00e9 \u2013 chat,Mondays 8pm ET,,\u201cquotes\u201d\n"
    path = write(tmp_path, "c.csv", text.encode("cp1252"))
    rows = read_table(path)
    assert rows[1][:2] == ["#caf\u00e9chat", "Caf\u00e9 \u2013 chat"]
    assert rows[1][4] == "\u201cquotes\u201d"


def test_tsv_by_extension_and_by_content(tmp_path: Path) -> None:
    data = b"hashtag\tschedule\n#a\tMondays, 8pm ET\n"
    for name in ("c.tsv", "c.txt"):
        assert read_table(write(tmp_path, name, data))[1] == ["#a", "Mondays, 8pm ET"]


def test_ragged_rows_are_tolerated(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", b"hashtag,schedule\n#a\n#b,Tuesdays 8pm ET,extra,cells\n")
    assert read_table(path)[1:] == [["#a"], ["#b", "Tuesdays 8pm ET", "extra", "cells"]]


def test_ten_megabyte_cell_does_not_crash(tmp_path: Path) -> None:
    big = "x" * (10 * 1024 * 1024)
    path = write(tmp_path, "c.csv", f'hashtag,schedule\n#a,"{big}"\n'.encode())
    assert len(read_table(path)[1][1]) == len(big)


def test_xlsx_cells_are_text(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Chats"
    sheet.append(["Hashtag", "When", "Zone"])
    sheet.append(["#2030chat", "Tuesdays 8pm", "ET"])
    sheet.append(["#b", 800])
    other = book.create_sheet("Archive")
    other.append(["Hashtag", "When"])
    path = tmp_path / "cal.xlsx"
    book.save(path)
    rows = read_table(path)
    assert rows[0] == ["Hashtag", "When", "Zone"]
    assert rows[1] == ["#2030chat", "Tuesdays 8pm", "ET"]
    assert rows[2][:2] == ["#b", "800"]
    assert read_table(path, "Archive") == [["Hashtag", "When"]]
    with pytest.raises(ConfigError) as err:
        read_table(path, "Nope")
    assert "'Chats', 'Archive'" in (err.value.hint or "")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty.csv", b"", "is empty (0 bytes)"),
        ("blank.csv", b"\n\n  \n", "is empty"),
        ("pic.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "looks like a binary file"),
        ("bad.csv", b"hashtag,schedule\n#a,Mon \x81\x8d 8pm\n", "cannot decode byte 0x81"),
        ("fake.xlsx", b"not a zip at all", "not a readable XLSX file"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "old Excel .xls files are not supported"),
    ],
)
def test_bad_files_give_one_line_errors_naming_the_file(
    tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ConfigError) as err:
        read_table(path)
    assert expected in err.value.message
    assert name in err.value.message
    assert "\n" not in err.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="calendar file not found"):
        read_table(tmp_path / "nope.csv")


def test_utf16_export_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", (HEADER + "#a,,Mondays 8pm ET,,x\n").encode("utf-16"))
    assert read_table(path)[1][0] == "#a"
