"""launchkit submit: real gspread against the fake Sheets v4 API, the command and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from launchkit.adapters.chatfile import parse_chat, save_chat
from launchkit.adapters.ledger import LEDGER_DIR, LEDGER_FILE
from launchkit.adapters.sheet_writer import MAX_ATTEMPTS, GspreadCalendarSheet, open_calendar_sheet
from launchkit.adapters.sheets import SheetRef
from launchkit.adapters.submissions import SubmissionLog
from launchkit.cli import app
from launchkit.commands import submit as cmd
from launchkit.domain.chat import Chat
from launchkit.errors import ConfigError, RemoteError
from launchkit.settings import load_settings
from tests.fakes.sheets import PERMISSION_DENIED, RESOURCE_EXHAUSTED, FakeSheets, Formula
from tests.support import Run, invoke, runtime

KEY = "1calendarSheetKey"
APPEND = "POST /v4/spreadsheets/:id/values/:range:append"
HEADER = ["Hashtag", "Chat name", "When", "Topic", "Moderators", "Notes"]
EDCHAT = ["#edchat", "Ed Chat", "Tuesdays 7pm ET", "education", "@tom", "since 2009"]
IDH = [
    "#IndieDevHour",
    "Indie Dev Hour",
    "Tuesdays 8pm ET",
    "indie game development",
    "@ada_example",
    "",
]

runner = CliRunner()


def make_chat(**changes: Any) -> Chat:
    data: dict[str, Any] = {
        "name": "Indie Dev Hour",
        "hashtag": "#IndieDevHour",
        "topic": "indie game development",
        "host": {"name": "Ada Example", "handle": "@ada_example"},
        "timezone": "America/New_York",
        "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "20:00", "first": "2027-01-12"},
    }
    data.update(changes)
    return parse_chat(data)


@pytest.fixture
def sheets(
    fake_sheets: FakeSheets, sheets_key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> FakeSheets:
    fake_sheets.add_spreadsheet(KEY, "Chat calendar", {"Chats": [HEADER, EDCHAT], "Empty": []})
    monkeypatch.setenv("LAUNCHKIT_SHEETS_API_BASE_URL", fake_sheets.base_url)
    monkeypatch.setenv("LAUNCHKIT_GOOGLE_CREDENTIALS", str(sheets_key_file))
    monkeypatch.setenv("LAUNCHKIT_SHEET", KEY)
    return fake_sheets


def rows(fake: FakeSheets, tab: str = "Chats") -> list[list[str]]:
    return fake.worksheet(KEY, tab).rows


def submit(
    tmp_path: Path,
    chat: Chat | None = None,
    *,
    update: bool = False,
    worksheet: str | None = None,
    sleeps: list[float] | None = None,
    confirm: Callable[[cmd.SubmitPreview], bool] | None = None,
    dry_run: bool = False,
) -> cmd.SubmitResult:
    settings = load_settings()

    def open_sheet(ref: SheetRef, name: str | None) -> GspreadCalendarSheet:
        return open_calendar_sheet(
            settings, ref, name, sleep=(sleeps if sleeps is not None else []).append
        )

    return cmd.run(
        chat or make_chat(),
        settings,
        sheet=None,
        worksheet=worksheet,
        update=update,
        dry_run=dry_run,
        confirm=confirm,
        open_sheet=open_sheet,
        log=SubmissionLog(tmp_path / LEDGER_DIR / LEDGER_FILE),
    )


# -- the command against the fake Sheets API ------------------------------------------------


def test_append_in_the_sheets_own_columns_and_record_it(sheets: FakeSheets, tmp_path: Path) -> None:
    result = submit(tmp_path)
    assert (result.action, result.row) == ("appended", 3)
    assert rows(sheets) == [HEADER, EDCHAT, IDH]
    assert result.preview is not None and result.preview.unfilled == ("Notes",)
    [record] = SubmissionLog(tmp_path / LEDGER_DIR / LEDGER_FILE).all()
    assert (record.hashtag, record.sheet_key, record.worksheet, record.row_number) == (
        "#IndieDevHour",
        KEY,
        "Chats",
        3,
    )
    assert record.values == tuple(IDH)
    assert "appended #IndieDevHour on 'Chats' row 3" in str(record)


def test_formula_like_values_stay_text(sheets: FakeSheets, tmp_path: Path) -> None:
    name = '=IMPORTXML("http://x","//a")'
    chat = make_chat(name=name, topic="+1 for games", host={"name": "Ada", "handle": "@ada"})
    assert submit(tmp_path, chat).action == "appended"
    stored = rows(sheets)[2]
    assert stored[1] == name and not isinstance(stored[1], Formula)
    assert (stored[3], stored[4]) == ("+1 for games", "@ada")
    request = sheets.requests_to(APPEND)[0]
    assert request.arg("valueInputOption") == "RAW"
    # Read back through the API as people see it, the cell is the text (not an evaluated
    # result), so a second submit finds the row unchanged.
    again = submit(tmp_path, chat)
    assert again.action == "unchanged"


def test_second_submit_with_nothing_changed_is_a_no_op(sheets: FakeSheets, tmp_path: Path) -> None:
    submit(tmp_path)
    second = submit(tmp_path)
    assert (second.action, second.row) == ("unchanged", 3)
    assert len(sheets.requests_to(APPEND)) == 1
    assert len(SubmissionLog(tmp_path / LEDGER_DIR / LEDGER_FILE).all()) == 1


def test_duplicate_refused_with_the_existing_row(sheets: FakeSheets, tmp_path: Path) -> None:
    sheets.insert_rows_above(KEY, "Chats", 3, [["#indiedevhour", "IDH", "Fridays 1pm ET"]])
    result = submit(tmp_path)
    assert result.action == "duplicate-refused"
    assert result.existing is not None and result.existing.row == 3
    assert result.existing.cells[:3] == (
        ("Hashtag", "#indiedevhour"),
        ("Chat name", "IDH"),
        ("When", "Fridays 1pm ET"),
    )
    assert len(rows(sheets)) == 3
    assert not sheets.requests_to(APPEND)


def test_update_in_place_after_rows_were_inserted_above(sheets: FakeSheets, tmp_path: Path) -> None:
    submit(tmp_path)
    rows(sheets)[2][5] = "featured in May"  # a column launchkit does not fill
    sheets.insert_rows_above(KEY, "Chats", 2, [["#a", "A"], ["#b", "B"]])
    moved = make_chat(
        schedule={"rrule": "FREQ=WEEKLY;BYDAY=WE", "start": "21:30", "first": "2027-01-13"}
    )
    result = submit(tmp_path, moved, update=True)
    assert (result.action, result.row) == ("updated", 5)
    assert result.preview is not None
    assert [(c.header, c.old, c.new) for c in result.preview.changes] == [
        ("When", "Tuesdays 8pm ET", "Wednesdays 9:30pm ET")
    ]
    assert rows(sheets)[4] == [*IDH[:2], "Wednesdays 9:30pm ET", *IDH[3:5], "featured in May"]
    assert rows(sheets)[1:3] == [["#a", "A"], ["#b", "B"]]
    assert [s.action for s in SubmissionLog(tmp_path / LEDGER_DIR / LEDGER_FILE).all()] == [
        "appended",
        "updated",
    ]


def test_declined_and_dry_run_write_nothing(sheets: FakeSheets, tmp_path: Path) -> None:
    seen: list[cmd.SubmitPreview] = []
    declined = submit(tmp_path, confirm=lambda p: seen.append(p) is not None)
    assert declined.action == "declined"
    assert [c.value for c in seen[0].cells] == IDH
    assert submit(tmp_path, dry_run=True).action == "dry-run"
    assert rows(sheets) == [HEADER, EDCHAT]


def test_403_names_the_account_to_share_with(
    sheets: FakeSheets, sheets_key_file: Path, tmp_path: Path
) -> None:
    email = json.loads(sheets_key_file.read_text())["client_email"]
    sheets.fail_next("GET /v4/spreadsheets/:id", 403, PERMISSION_DENIED)
    with pytest.raises(RemoteError) as caught:
        submit(tmp_path)
    assert "403" in caught.value.message
    assert email in (caught.value.hint or "")


def test_429_is_retried_after_the_servers_delay(sheets: FakeSheets, tmp_path: Path) -> None:
    sheets.fail_next(APPEND, 429, RESOURCE_EXHAUSTED, headers={"Retry-After": "7"})
    sleeps: list[float] = []
    result = submit(tmp_path, sleeps=sleeps)
    assert (result.action, result.row) == ("appended", 3)
    assert sleeps == [7.0]
    assert rows(sheets) == [HEADER, EDCHAT, IDH]


def test_429_gives_up_after_a_bounded_number_of_tries(sheets: FakeSheets, tmp_path: Path) -> None:
    sheets.fail_next(APPEND, 429, RESOURCE_EXHAUSTED, times=MAX_ATTEMPTS)
    sleeps: list[float] = []
    with pytest.raises(RemoteError, match="quota") as caught:
        submit(tmp_path, sleeps=sleeps)
    assert sleeps == [1.0, 2.0, 4.0]  # no Retry-After: exponential backoff
    assert "wait a minute" in (caught.value.hint or "")
    assert rows(sheets) == [HEADER, EDCHAT]


def test_unfamiliar_headers(sheets: FakeSheets, tmp_path: Path) -> None:
    sheets.add_spreadsheet(KEY, "Odd", {"Chats": [["Channel", "Meets", "Blurb"], ["x", "y", "z"]]})
    with pytest.raises(ConfigError) as caught:
        submit(tmp_path)
    assert caught.value.message.startswith("worksheet 'Chats': no hashtag column")
    assert "mapped: schedule → 'Meets';" in (caught.value.hint or "")
    assert "unmapped columns: 'Channel', 'Blurb'" in (caught.value.hint or "")


# -- the CLI --------------------------------------------------------------------------------


@pytest.fixture
def chat_file(tmp_path: Path) -> Path:
    path = tmp_path / "chat.yaml"
    save_chat(make_chat(), path)
    return path


def cli(chat_file: Path, *args: str, input: str | None = None) -> Any:
    return runner.invoke(app, ["submit", "--chat", str(chat_file), *args], input=input)


def terminal_cli(chat_file: Path, answer: str) -> Run:
    """`launchkit submit` as a person at a terminal runs it, answering the question."""
    return invoke(runtime(terminal=True, answers=answer), ["submit", "--chat", str(chat_file)])


def test_cli_appends_with_yes_and_status_shows_it(sheets: FakeSheets, chat_file: Path) -> None:
    result = cli(chat_file, "--yes")
    assert result.exit_code == 0, result.output
    assert "Hashtag     #IndieDevHour" in result.stdout
    assert "Appended #IndieDevHour to 'Chats' row 3." in result.stdout
    status = runner.invoke(app, ["status", "--chat", str(chat_file)])
    assert status.exit_code == 0, status.output
    assert "calendar submissions: 1" in status.stdout
    assert "appended #IndieDevHour on 'Chats' row 3" in status.stdout


def test_cli_without_a_terminal_needs_yes(sheets: FakeSheets, chat_file: Path) -> None:
    result = cli(chat_file)
    assert result.exit_code == 2
    assert "no terminal to confirm" in result.stderr
    assert "--yes" in result.stderr and "--dry-run" in result.stderr
    assert rows(sheets) == [HEADER, EDCHAT]


@pytest.mark.parametrize(("answer", "written"), [("n\n", False), ("y\n", True)])
def test_cli_asks_on_a_terminal(
    sheets: FakeSheets,
    chat_file: Path,
    answer: str,
    written: bool,
) -> None:
    result = terminal_cli(chat_file, answer)
    assert result.exit_code == 0, result.stderr
    assert "append a new row" in result.stdout
    assert "Write this row to the sheet?" in result.stdout
    assert ("Nothing written." in result.stdout) is not written
    assert (len(rows(sheets)) == 3) is written


def test_cli_duplicate_shows_the_row_and_offers_update(sheets: FakeSheets, chat_file: Path) -> None:
    sheets.insert_rows_above(KEY, "Chats", 3, [["#IndieDevHour", "IDH", "Fridays 1pm ET"]])
    result = cli(chat_file, "--yes")
    assert result.exit_code == 1
    assert "Fridays 1pm ET" in result.stdout
    assert "was: 'Fridays 1pm ET'" in result.stdout
    assert "not adding a duplicate" in result.stderr
    assert "--update" in result.stderr
    updated = cli(chat_file, "--yes", "--update")
    assert updated.exit_code == 0, updated.output
    assert "Updated 4 cell(s) of #IndieDevHour on 'Chats' row 3." in updated.stdout
    assert cli(chat_file, "--yes").stdout.endswith("as it would be written: no change.\n")


def test_cli_no_credentials(
    sheets: FakeSheets, chat_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LAUNCHKIT_GOOGLE_CREDENTIALS")
    result = cli(chat_file, "--yes")
    assert result.exit_code == 3
    assert "no Google credentials" in result.stderr
    for words in ("service-account key", "LAUNCHKIT_GOOGLE_CREDENTIALS=", "--form", "--dry-run"):
        assert words in result.stderr
    dry = cli(chat_file, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Schedule    Tuesdays 8pm ET" in dry.stdout
    assert "default columns" in dry.stdout


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["--sheet", "https://docs.google.com/document/d/x"], "not a Google Sheets URL", "KEY"),
        (["--worksheet", "Nope"], "no worksheet 'Nope'", "'Chats', 'Empty'"),
        (["--worksheet", "Empty"], "empty: no header row", "header row"),
    ],
)
def test_cli_bad_sheet_input(
    sheets: FakeSheets, chat_file: Path, args: list[str], message: str, hint: str
) -> None:
    result = cli(chat_file, "--yes", *args)
    assert result.exit_code == 3, result.output
    assert message in result.stderr
    assert hint in result.stderr


def test_cli_403_hint(sheets: FakeSheets, chat_file: Path) -> None:
    sheets.fail_next("GET /v4/spreadsheets/:id", 403, PERMISSION_DENIED)
    result = cli(chat_file, "--yes")
    assert result.exit_code == 4
    assert "Hint: share the sheet with launchkit-test@fake-project" in result.stderr


def test_cli_form_link_needs_no_credentials(chat_file: Path) -> None:
    url = "https://docs.google.com/forms/d/e/FORM/viewform"
    result = cli(chat_file, "--form", url, "--form-field", "hashtag=entry.1")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{url}?usp=pp_url&entry.1=%23IndieDevHour\n")
    missing = cli(chat_file, "--form", url)
    assert missing.exit_code == 2
    assert "Get pre-filled link" in missing.stderr


def test_cli_json_dry_run(sheets: FakeSheets, chat_file: Path) -> None:
    result = cli(chat_file, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["action"] == "dry-run"
    assert [c["value"] for c in data["preview"]["cells"]] == IDH


def test_later_runs_remember_the_sheet(
    sheets: FakeSheets, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    submit(tmp_path)
    monkeypatch.delenv("LAUNCHKIT_SHEET")
    assert submit(tmp_path).action == "unchanged"  # the ledger's last submission names it
    with pytest.raises(ConfigError, match="no calendar sheet") as caught:
        submit(tmp_path / "elsewhere")
    assert "--sheet" in (caught.value.hint or "") and "--form" in (caught.value.hint or "")
