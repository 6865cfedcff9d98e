"""The launchkit command line: thin commands over launchkit.commands.

Command modules are imported only when their command runs (see LazyGroup in _app.py).
"""

from __future__ import annotations

from launchkit.cli._app import app


def main() -> None:
    """Console-script entry point."""
    app()


__all__ = ["app", "main"]
