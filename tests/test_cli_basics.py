"""The CLI shell: version, help, usage errors and exit codes."""

from __future__ import annotations

import subprocess
import sys

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
