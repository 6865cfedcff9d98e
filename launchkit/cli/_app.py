"""The typer application, its global options and the one place errors are printed."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from launchkit import __version__, output
from launchkit.errors import ExitCode, Interrupted, LaunchkitError

F = TypeVar("F", bound=Callable[..., Any])

# Plain (non-rich) help keeps `launchkit --help` fast; locals never appear in tracebacks.
app = typer.Typer(
    name="launchkit",
    help="Launch a recurring hashtag chat: hashtag, slot, content, schedule, calendar.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DEBUG = False
DEFAULT_CHAT = Path("chat.yaml")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
ChatOpt = Annotated[Path, typer.Option("--chat", help="The chat file.", envvar="LAUNCHKIT_CHAT")]
CalendarOpt = Annotated[
    str | None,
    typer.Option(
        "--calendar",
        help="Calendar: CSV/TSV/XLSX file, Google Sheet URL or key, or CSV export URL "
        "(default: LAUNCHKIT_CALENDAR, else the bundled snapshot).",
    ),
]


def _version(value: bool) -> None:
    if value:
        output.echo(f"launchkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Say more.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Say only errors.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Launch a recurring hashtag chat: hashtag, slot, content, schedule, calendar."""
    global DEBUG
    output.VERBOSE, output.QUIET, DEBUG = (
        verbose,
        quiet,
        debug or bool(os.environ.get("LAUNCHKIT_DEBUG")),
    )


def fail(exc: LaunchkitError) -> typer.Exit:
    """Print a launchkit error and return the Exit to raise."""
    output.error(exc.message, exc.hint)
    return typer.Exit(int(exc.exit_code))


def handled(func: F) -> F:
    """Run a command so that every failure becomes one Error/Hint message and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            # The reader went away (`launchkit ... | head`): stop quietly, as cat does.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(int(ExitCode.FAILURE)) from None
        except KeyboardInterrupt:
            if DEBUG:
                raise
            raise fail(Interrupted()) from None
        except LaunchkitError as exc:
            if DEBUG:
                raise
            raise fail(exc) from None
        except Exception as exc:
            if DEBUG:
                raise
            output.error(
                f"unexpected {type(exc).__name__}", hint="run again with --debug for the traceback"
            )
            raise typer.Exit(int(ExitCode.FAILURE)) from None

    return wrapper  # type: ignore[return-value]


def command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """Register a top-level command with the shared error handling."""

    def register(func: F) -> F:
        app.command(*args, **kwargs)(handled(func))
        return func

    return register


def is_interactive() -> bool:
    """True when a person is at a terminal to answer questions."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def group(name: str, help_text: str) -> Callable[..., Callable[[F], F]]:
    """Create a command group (`launchkit NAME ...`) and return its command decorator."""
    sub = typer.Typer(name=name, help=help_text, rich_markup_mode=None, no_args_is_help=True)
    app.add_typer(sub, name=name)

    def sub_command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
        def register(func: F) -> F:
            sub.command(*args, **kwargs)(handled(func))
            return func

        return register

    return sub_command
