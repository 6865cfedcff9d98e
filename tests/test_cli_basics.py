"""The CLI shell: version, help, usage errors and exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchkit import __version__
from launchkit.cli import app

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"launchkit {__version__}"


def test_unknown_command_is_usage_error() -> None:
    result = runner.invoke(app, ["frobnicate"])
    assert result.exit_code == 2
    assert "No such command" in result.output


def test_unknown_option_is_usage_error() -> None:
    result = runner.invoke(app, ["doctor", "--frob"])
    assert result.exit_code == 2


def test_python_dash_m_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "launchkit", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"launchkit {__version__}"


def test_help_lists_every_command_with_its_own_summary() -> None:
    import click
    import typer

    from launchkit.cli._app import COMMANDS

    root = typer.main.get_command(app)
    ctx = click.Context(root)
    listing = runner.invoke(app, ["--help"]).output
    for name, (_, summary) in COMMANDS.items():
        command = root.get_command(ctx, name)
        assert command is not None, name
        assert (command.help or "").strip().splitlines()[0] == summary, name
        assert name in listing


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("", "the file is empty"),
        ("name: [unclosed\n", "not valid YAML"),
        ("- just\n- a list\n", "not a mapping"),
        ("name: 5\nhashtag: 7\n", "host: is required"),
    ],
)
def test_bad_chat_file_is_one_clear_error(
    tmp_path: Path, content: str | None, expected: str
) -> None:
    chat = tmp_path / "chat.yaml"
    if content is not None:
        chat.write_text(content, encoding="utf-8")
    for command in (["render"], ["schedule"], ["submit", "--dry-run"]):
        result = runner.invoke(app, [*command, "--chat", str(chat)])
        assert result.exit_code == 3, (command, result.output)
        assert expected in result.output
        assert "Traceback" not in result.output
