"""The launchkit command line: thin commands over launchkit.commands."""

from __future__ import annotations

from launchkit.cli import calendar  # noqa: F401
from launchkit.cli import doctor  # noqa: F401  (registers commands)
from launchkit.cli import publish  # noqa: F401
from launchkit.cli import submit  # noqa: F401
from launchkit.cli import hashtag, text  # noqa: F401
from launchkit.cli import render  # noqa: F401
from launchkit.cli import slots  # noqa: F401
from launchkit.cli._app import app


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
