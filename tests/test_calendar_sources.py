"""Remote calendars: a CSV export URL on a local server (cache, refresh, fallback, errors) and a
Google Sheet read with real gspread against the fake Sheets API."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from launchkit.adapters.calendar_source import read_calendar
from launchkit.adapters.public_csv import NOT_PUBLIC
from launchkit.adapters.sheets import SheetRef, parse_sheet_ref, sheets_client
from launchkit.errors import ConfigError, RemoteError, UsageError
from launchkit.settings import Settings, cache_dir
from tests.fakes.sheets import PERMISSION_DENIED, FakeSheets

CSV = b"Hashtag,When (all times ET)\n#a,Tuesdays 8pm\n#b,Thursdays 9pm\n"


@dataclass
class CsvServer:
    """A local HTTP server answering every GET with the current status/body/delay."""

    status: int = 200
    body: bytes = CSV
    content_type: str = "text/csv"
    delay: float = 0.0
    hits: list[str] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def csv_server() -> Iterator[CsvServer]:
    state = CsvServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.hits.append(self.path)
            time.sleep(state.delay)
            self.send_response(state.status)
            self.send_header("Content-Type", state.content_type)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/spreadsheets/d/KEY/export?format=csv"
    yield state
    server.shutdown()
    server.server_close()


def cached_files() -> list[Path]:
    root = cache_dir() / "calendars"
    return sorted(root.iterdir()) if root.is_dir() else []


def test_csv_url_is_fetched_once_then_cached(csv_server: CsvServer) -> None:
    cal = read_calendar(csv_server.url, Settings())
    assert [e.hashtag for e in cal.entries] == ["#a", "#b"]
    assert cal.entries[0].parse.tz == "America/New_York"
    read_calendar(csv_server.url, Settings())
    assert len(csv_server.hits) == 1
    read_calendar(csv_server.url, Settings(), refresh=True)
    assert len(csv_server.hits) == 2
    assert len(cached_files()) == 1


@pytest.mark.parametrize("status", [401, 403, 404])
def test_private_sheet_is_a_remote_error(csv_server: CsvServer, status: int) -> None:
    csv_server.status = status
    with pytest.raises(RemoteError) as err:
        read_calendar(csv_server.url, Settings())
    assert err.value.message.startswith(NOT_PUBLIC)
    assert "Anyone with the link" in (err.value.hint or "")
    assert cached_files() == []


def test_sign_in_page_instead_of_csv_is_not_public(csv_server: CsvServer) -> None:
    csv_server.body, csv_server.content_type = b"<html>Sign in</html>", "text/html; charset=utf-8"
    with pytest.raises(RemoteError, match="the sheet is not public"):
        read_calendar(csv_server.url, Settings())


def test_timeout_leaves_no_cache_file(csv_server: CsvServer) -> None:
    csv_server.delay = 2.0
    started = time.monotonic()
    with pytest.raises(RemoteError) as err:
        read_calendar(csv_server.url, Settings(http_timeout_s=0.3))
    assert time.monotonic() - started < 1.8
    assert "within 0.3 s" in err.value.message
    assert cached_files() == []


def test_failed_fetch_falls_back_to_cache_with_its_age(csv_server: CsvServer) -> None:
    read_calendar(csv_server.url, Settings())
    [cached] = cached_files()
    three_hours_ago = time.time() - 3 * 3600 - 60
    os.utime(cached, (three_hours_ago, three_hours_ago))
    csv_server.status = 500
    cal = read_calendar(csv_server.url, Settings(), refresh=True)
    assert [e.hashtag for e in cal.entries] == ["#a", "#b"]
    assert len(cal.warnings) == 1
    assert "HTTP 500" in cal.warnings[0]
    assert "using the copy fetched 3 hours ago" in cal.warnings[0]


def test_stale_cache_is_fetched_again(csv_server: CsvServer) -> None:
    read_calendar(csv_server.url, Settings())
    [cached] = cached_files()
    two_days_ago = time.time() - 2 * 86400
    os.utime(cached, (two_days_ago, two_days_ago))
    read_calendar(csv_server.url, Settings())
    assert len(csv_server.hits) == 2


def test_plain_http_is_only_for_this_machine() -> None:
    with pytest.raises(UsageError, match="must use https"):
        read_calendar("http://example.org/cal.csv", Settings())


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        (
            "https://docs.google.com/spreadsheets/d/1AbC_d-9xyz/edit#gid=42",
            SheetRef("1AbC_d-9xyz", 42),
        ),
        ("https://docs.google.com/spreadsheets/d/1AbC_d-9xyz/edit", SheetRef("1AbC_d-9xyz")),
        (
            "https://docs.google.com/spreadsheets/d/1AbC_d-9xyz/export?format=csv&gid=7",
            SheetRef("1AbC_d-9xyz", 7),
        ),
        ("1AbC_d-9xyz", SheetRef("1AbC_d-9xyz")),
    ],
)
def test_parse_sheet_ref(text: str, ref: SheetRef) -> None:
    assert parse_sheet_ref(text) == ref


@pytest.mark.parametrize("text", ["https://example.org/x", "not a key!", "abc"])
def test_malformed_sheet_ref(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_sheet_ref(text)


def test_no_credentials_says_how_to_make_a_key() -> None:
    with pytest.raises(ConfigError) as err:
        sheets_client(Settings())
    assert "LAUNCHKIT_GOOGLE_CREDENTIALS" in (err.value.hint or "")
    assert "service-account key" in (err.value.hint or "")


SHEET_URL = "https://docs.google.com/spreadsheets/d/calendarkey1234567890/edit#gid=1000"


@pytest.fixture
def sheet_settings(fake_sheets: FakeSheets, sheets_key_file: Path) -> Settings:
    fake_sheets.add_spreadsheet(
        "calendarkey1234567890",
        "Chat calendar",
        {
            "Archive": [["Hashtag", "When"], ["#old", "Mondays 8pm ET"]],
            "Chats": [["Hashtag", "Time (ET)", "Day"], ["#2030chat", "0800", "Tuesdays"]],
        },
    )
    return Settings(
        google_credentials=str(sheets_key_file), sheets_api_base_url=fake_sheets.base_url
    )


def test_google_sheet_by_gid_reads_text_cells(sheet_settings: Settings) -> None:
    cal = read_calendar(SHEET_URL, sheet_settings)
    [entry] = cal.entries
    assert entry.hashtag == "#2030chat"
    assert entry.schedule_text == "Tuesdays 0800"
    assert entry.parse.tz == "America/New_York"
    assert read_calendar("calendarkey1234567890", sheet_settings).entries[0].hashtag == "#old"


def test_google_sheet_unknown_worksheet_lists_them(sheet_settings: Settings) -> None:
    with pytest.raises(ConfigError) as err:
        read_calendar(SHEET_URL, sheet_settings, worksheet="Nope")
    assert err.value.hint == "worksheets: 'Archive', 'Chats'"


def test_google_sheet_not_shared_names_the_service_account(
    sheet_settings: Settings, fake_sheets: FakeSheets
) -> None:
    fake_sheets.fail_next("GET /v4/spreadsheets/:id", 403, PERMISSION_DENIED)
    with pytest.raises(RemoteError) as err:
        read_calendar(SHEET_URL, sheet_settings)
    assert "403" in err.value.message
    assert "launchkit-test@fake-project.iam.gserviceaccount.com" in (err.value.hint or "")


def test_google_sheet_falls_back_to_cache(
    sheet_settings: Settings, fake_sheets: FakeSheets
) -> None:
    read_calendar(SHEET_URL, sheet_settings)
    fake_sheets.fail_next("GET /v4/spreadsheets/:id", 429, times=3)
    cal = read_calendar(SHEET_URL, sheet_settings, refresh=True)
    assert cal.entries[0].hashtag == "#2030chat"
    assert "quota exceeded" in cal.warnings[0]


def test_sheet_url_without_credentials_reads_the_public_export(
    csv_server: CsvServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from launchkit.adapters import public_csv

    seen: list[tuple[str, int | None]] = []

    def local_export(key: str, gid: int | None) -> str:
        seen.append((key, gid))
        return csv_server.url

    monkeypatch.setattr(public_csv, "export_url", local_export)
    cal = read_calendar(SHEET_URL, Settings())
    assert seen == [("calendarkey1234567890", 1000)]
    assert [e.hashtag for e in cal.entries] == ["#a", "#b"]
    with pytest.raises(UsageError, match="--worksheet needs Google credentials"):
        read_calendar(SHEET_URL, Settings(), worksheet="Chats")


def test_short_unknown_name_is_a_missing_file_not_a_sheet_key() -> None:
    with pytest.raises(ConfigError, match="calendar file not found: mycalendar"):
        read_calendar("mycalendar", Settings())
