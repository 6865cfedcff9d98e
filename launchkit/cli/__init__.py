"""The launchkit command line: thin commands over launchkit.commands."""

from __future__ import annotations

from launchkit.cli import (  # noqa: F401
    calendar,
    doctor,
    hashtag,
    init,
    publish,
    render,
    slots,
    submit,
    text,
)
from launchkit.cli._app import app


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
