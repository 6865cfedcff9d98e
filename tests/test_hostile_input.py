"""Finding 5 of issue 19: hostile input stays inert. Terminal escapes from a calendar are shown,
not obeyed; chat.yaml's link, names and addresses are checked where they are read and again
where they are written (headers, iCalendar); a lock file is never followed through a link; an
empty ledger is refused; credentials go only over TLS or to this machine; oversized or deeply
nested files are refused; a full disk or a read-only out/ is one line and leaves the ledger
as it was."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from launchkit.adapters.ledger import SqliteLedger, ledger_path
from launchkit.adapters.process_lock import ProcessLock
from launchkit.adapters.sheets import sheets_client
from launchkit.adapters.smtp import SmtpMailer
from launchkit.adapters.x_post import tweepy_publisher
from launchkit.commands import schedule
from launchkit.domain.ics import chat_ics, escape_text
from launchkit.domain.mail import Mailbox, build_message
from launchkit.errors import ConfigError, CredentialsError, StorageError
from launchkit.output import visible
from launchkit.settings import Settings
from tests.support import folder, invoke, make_chat, plan, runtime, write_chat

NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202e"


# -- remote text on a terminal ----------------------------------------------------------------


@pytest.fixture
def hostile_calendar(tmp_path: Path) -> Path:
    path = tmp_path / "cal.csv"
    path.write_text(
        "Hashtag,Chat name,When,Topic\n"
        f"#indiedev,Indie{ESCAPES} Hour,Tuesdays 8pm ET,games{ESCAPES}\n"
        f"#IndieDevHour,Clash{ESCAPES},Wednesdays 8pm ET,games\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("args", "names_shown"),
    [
        (["calendar", "show", "{cal}", "--tz", "America/New_York"], True),
        (["calendar", "parse", "{cal}"], False),
        (["hashtag", "check", "#IndieDevHour", "--calendar", "{cal}"], True),
        (["-v", "hashtag", "check", "#IndieDevHour", "--calendar", "{cal}"], True),
    ],
)
def test_escape_sequences_in_calendar_cells_are_shown_not_obeyed(
    hostile_calendar: Path, args: list[str], names_shown: bool
) -> None:
    result = invoke(runtime(NOW), [a.format(cal=hostile_calendar) for a in args])
    shown = result.stdout + result.stderr
    assert ("\\x1b" in shown) is names_shown  # a person sees something odd is there
    for raw in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert raw not in shown


def test_json_output_escapes_them_too(hostile_calendar: Path) -> None:
    result = invoke(runtime(NOW), ["calendar", "parse", str(hostile_calendar), "--json"])
    assert "\x1b" not in result.stdout and "\x9b" not in result.stdout
    assert ESCAPES in json.loads(result.stdout)[0]["name"]  # the data itself is unchanged


def test_visible_keeps_tabs_newlines_and_ordinary_text() -> None:
    assert visible("Zoë\tØrsted\n日本語 🙂") == "Zoë\tØrsted\n日本語 🙂"
    assert visible("a\rb\x00c\x7f") == "a\\x0db\\x00c\\x7f"


# -- chat.yaml: checked where it is read ---------------------------------------------------------


def chat_yaml_with(tmp_path: Path, old: str, new: str) -> Path:
    chat = write_chat(tmp_path)
    text = chat.read_text(encoding="utf-8")
    assert old in text
    chat.write_text(text.replace(old, new), encoding="utf-8")
    return chat


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "link: https://example.org/indiedevhour",
            'link: "https://example.org/x\\r\\nATTENDEE:mailto:evil@example.org"',
            "chat.yaml: link: ",
        ),
        ("link: https://example.org/indiedevhour", "link: javascript:alert(1)", "link: "),
        ("name: Indie Dev Hour", 'name: "Indie\\nBcc: evil@example.org"', "name: "),
        ("email: grace@example.org", 'email: "a,b@example.org"', "'a,b@example.org' is not"),
        ("email: grace@example.org", "email: 'a\"b@example.org'", "is not an email address"),
        ("email: ada@example.org", 'email: "ada@example.org\\r\\nBcc: x@y.org"', "host.email"),
    ],
)
def test_hostile_chat_fields_are_refused_with_the_field_named(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    chat = chat_yaml_with(tmp_path, old, new)
    # `invite` and `post` read the ledger only, which `schedule` never fills from such a file.
    for command in (["render"], ["schedule"]):
        result = invoke(runtime(NOW), [*command, "--chat", str(chat)])
        assert result.exit_code == 3, result.stderr
        assert message in result.stderr
        assert "unexpected" not in result.stderr
    assert not (tmp_path / "out").exists()
    assert not ledger_path(chat).exists()


def test_headers_and_calendar_text_are_checked_where_they_are_written() -> None:
    host, guest = Mailbox("Ada", "ada@example.org"), Mailbox("Grace", "grace@example.org")
    with pytest.raises(ValueError, match="subject"):
        build_message(host, guest, "Hi\r\nBcc: evil@example.org", "body", NOW)
    with pytest.raises(ValueError, match="name"):
        build_message(Mailbox("Ada\nX", "ada@example.org"), guest, "Hi", "body", NOW)
    with pytest.raises(ValueError, match="email address"):
        build_message(host, Mailbox("G", "a,b@example.org"), "Hi", "body", NOW)
    assert "\r" not in escape_text("a\rb") and "\n" not in escape_text("a\nb\x1bc")
    # A chat built around the model's checks (model_construct) still cannot break a line.
    sneaky = make_chat().model_copy(update={"link": "https://x.org/\r\nATTENDEE:mailto:e@x.org"})
    with pytest.raises(ValueError, match="the link"):
        chat_ics(sneaky)


def test_oversized_and_deeply_nested_files_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big" / "chat.yaml"
    big.parent.mkdir()
    big.write_text("name: x\ntopic: " + "y" * 2_000_000 + "\n", encoding="utf-8")
    deep = tmp_path / "deep" / "chat.yaml"
    deep.parent.mkdir()
    deep.write_text("name: " + "[" * 10_000 + "]" * 10_000 + "\n", encoding="utf-8")
    for path, message in ((big, "too large"), (deep, "nested more than 32 levels")):
        result = invoke(runtime(NOW), ["render", "--chat", str(path)])
        assert result.exit_code == 3
        assert f"{path}: {message}" in result.stderr


def test_a_long_topic_within_the_file_limit_is_refused_by_its_length(tmp_path: Path) -> None:
    chat = chat_yaml_with(tmp_path, "topic: indie game development", "topic: " + "z" * 600)
    result = invoke(runtime(NOW), ["render", "--chat", str(chat)])
    assert result.exit_code == 3
    assert "topic: String should have at most 500 characters" in result.stderr


# -- files and locks ------------------------------------------------------------------------


def test_a_symlinked_lock_file_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("do not truncate me", encoding="utf-8")
    lock = tmp_path / ".launchkit" / "post.lock"
    lock.parent.mkdir()
    lock.symlink_to(precious)
    with pytest.raises(ConfigError, match="symbolic link"):
        ProcessLock(lock).acquire()
    assert precious.read_text(encoding="utf-8") == "do not truncate me"


@pytest.mark.parametrize("command", ["post", "schedule", "status"])
def test_an_empty_ledger_is_refused_not_started_afresh(tmp_path: Path, command: str) -> None:
    chat = write_chat(tmp_path)
    ledger = ledger_path(chat)
    ledger.parent.mkdir()
    ledger.touch()
    result = invoke(runtime(NOW), [command, "--chat", str(chat)])
    assert result.exit_code == 3
    assert "the ledger is empty (0 bytes)" in result.stderr
    assert ledger.stat().st_size == 0  # left for the person to restore


def test_a_ledger_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    ledger = ledger_path(chat)
    ledger.parent.mkdir()
    ledger.write_bytes(b"not sqlite at all" * 100)
    result = invoke(runtime(NOW), ["schedule", "--chat", str(chat)])
    assert result.exit_code == 3
    assert "cannot open the ledger" in result.stderr
    assert ledger.read_bytes() == b"not sqlite at all" * 100


def ledger_dump(chat: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(ledger_path(chat))
    rows = conn.execute("SELECT * FROM items ORDER BY 1, 2, 3, 4").fetchall()
    rows += conn.execute("SELECT * FROM session_changes").fetchall()
    conn.close()
    return rows


def test_a_full_disk_while_writing_out_leaves_the_ledger_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = write_chat(tmp_path)
    plan(chat, NOW)
    before = ledger_dump(chat)

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("launchkit.adapters.fsutil.os.fsync", no_space)
    result = invoke(runtime(NOW), ["schedule", "--chat", str(chat), "--cancel", "2027-03-09"])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith(
        "sequence.ics: cannot be written (No space left on device)"
    )
    assert "unexpected" not in result.stderr
    assert ledger_dump(chat) == before  # the cancellation was not half-recorded


def test_a_read_only_out_folder_leaves_the_ledger_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = write_chat(tmp_path)
    plan(chat, NOW)
    before = ledger_dump(chat)
    out = tmp_path / "out"
    out.chmod(0o555)
    if os.access(out, os.W_OK):  # root writes anyway: make the kernel's answer the same
        real_mkstemp = __import__("tempfile").mkstemp

        def read_only(*args: object, **kwargs: object) -> object:
            if Path(str(kwargs.get("dir", ""))) == out:
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
            return real_mkstemp(*args, **kwargs)

        monkeypatch.setattr("launchkit.adapters.fsutil.tempfile.mkstemp", read_only)
    try:
        result = invoke(runtime(NOW), ["schedule", "--chat", str(chat), "--shift", "7d"])
    finally:
        out.chmod(0o755)
    assert result.exit_code == 1
    assert "sequence.ics: cannot be written (Permission denied)" in result.stderr
    assert ledger_dump(chat) == before


def test_a_full_ledger_is_one_line_and_nothing_half_done(tmp_path: Path) -> None:
    chat = write_chat(tmp_path)
    plan(chat, NOW)
    before = ledger_dump(chat)
    with SqliteLedger.open(ledger_path(chat)) as ledger:
        # SQLite's own "database or disk is full", as on a full disk.
        pages = ledger.conn.execute("PRAGMA page_count").fetchone()[0]
        ledger.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StorageError, match="database or disk is full"):
            schedule.run(folder(chat), ledger, Settings(), now=NOW, sessions=12)
    assert ledger_dump(chat) == before


# -- credentials: over TLS or to this machine only ----------------------------------------------


def test_credentials_never_go_over_plain_http_to_another_machine(tmp_path: Path) -> None:
    x = Settings(
        x_api_key="k", x_api_secret="s", x_access_token="t", x_access_secret="a",
        x_api_base_url="http://api.example.org",
    )  # fmt: skip
    with pytest.raises(CredentialsError, match="credentials would travel unencrypted"):
        tweepy_publisher(x)
    tweepy_publisher(Settings(**{**x.__dict__, "x_api_base_url": "http://127.0.0.1:9"}))
    with pytest.raises(CredentialsError, match="unencrypted"):
        SmtpMailer(Settings(smtp_host="mail.example.org", smtp_security="none"))
    SmtpMailer(Settings(smtp_host="localhost", smtp_security="none"))
    key = tmp_path / "key.json"
    key.write_text(
        json.dumps({"type": "service_account", "token_uri": "http://oauth.example.org/token"}),
        encoding="utf-8",
    )
    with pytest.raises(CredentialsError, match="token_uri"):
        sheets_client(Settings(google_credentials=str(key)))
