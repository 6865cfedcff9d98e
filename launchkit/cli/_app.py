"""The typer application, its global options, the runtime of each run and the one place
errors are printed."""

from __future__ import annotations

import functools
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import click
import typer
from typer.core import TyperGroup

from launchkit import __version__
from launchkit.errors import ExitCode, Interrupted, LaunchkitError

if TYPE_CHECKING:
    from launchkit.cli.runtime import Runtime

F = TypeVar("F", bound=Callable[..., Any])


# Plain (non-rich) help keeps `launchkit --help` fast; locals never appear in tracebacks.
class LazyGroup(TyperGroup):
    """The root group: a command's module is imported and built only when it is run.

    Building every command's click object (signatures, type hints) for each run cost more
    than typer's own import; `launchkit post` from cron and `launchkit --help` need to be
    fast, so the list of commands and their one-line help is the static table COMMANDS.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        importlib.import_module(COMMANDS[cmd_name][0])
        built = typer.main.get_command(_REGISTERED[cmd_name])
        built.name = cmd_name
        return built

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, text) in COMMANDS.items()])


# name -> (module that registers it, one-line help shown by `launchkit --help`);
# tests/test_cli_basics.py checks each line against the command's own docstring.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "launchkit.cli.init",
        "Choose a hashtag and a slot, write chat.yaml, render the pack, schedule the sequence.",
    ),
    "hashtag": ("launchkit.cli.hashtag", "Check a hashtag for collisions, or suggest clear ones."),
    "slots": (
        "launchkit.cli.slots",
        "Find open slots for your chat: audience awake, no same-topic chat competing.",
    ),
    "calendar": ("launchkit.cli.calendar", "Read, list and picture the public chat calendar."),
    "render": (
        "launchkit.cli.render",
        "Write the content pack: posts.json, posts.md, emails/*.eml and chat.ics.",
    ),
    "schedule": (
        "launchkit.cli.schedule",
        "Plan the season's sequence into the ledger; print the timeline and its X API cost.",
    ),
    "post": (
        "launchkit.cli.publish",
        "Send everything due, posts and guest emails, exactly once (safe from cron every minute).",
    ),
    "invite": (
        "launchkit.cli.publish",
        "Guest emails as the ledger plans them: .eml files to review, or --send the due ones now.",
    ),
    "status": (
        "launchkit.cli.schedule",
        "Show the ledger: sent (with links), due, planned, failed, unknown.",
    ),
    "live": (
        "launchkit.cli.live",
        "Follow a session live on every network: posts, answers, the next question.",
    ),
    "recap": (
        "launchkit.cli.recap",
        "Recap a session: the transcript, the figures and the people who came.",
    ),
    "people": (
        "launchkit.cli.recap",
        "List the people who came, and who to welcome, thank and invite back.",
    ),
    "submit": (
        "launchkit.cli.submit",
        "Put the chat on the public calendar sheet, in the sheet's own columns.",
    ),
    "text": ("launchkit.cli.text", "Tweet text as X counts it."),
    "doctor": (
        "launchkit.cli.doctor",
        "Show every setting with its source (secrets masked) and what your credentials allow.",
    ),
}
_REGISTERED: dict[str, typer.Typer] = {}


def _typer(name: str, help_text: str | None = None, group: bool = False) -> typer.Typer:
    sub = typer.Typer(
        name=name,
        help=help_text,
        rich_markup_mode=None,
        no_args_is_help=group,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    _REGISTERED[name] = sub
    return sub


app = typer.Typer(
    cls=LazyGroup,
    name="launchkit",
    help="Launch a recurring hashtag chat: hashtag, slot, content, schedule, calendar.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

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
        typer.echo(f"launchkit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show version.")
    ] = False,
    verbose: Annotated[bool, typer.Option("-v", "--verbose", help="Say more.")] = False,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Say only errors.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """Launch a recurring hashtag chat: hashtag, slot, content, schedule, calendar."""
    # Imported here, not at the top: `launchkit --help` never builds a runtime.
    from launchkit.cli.runtime import Runtime

    # A test may hand in its own runtime (streams, clock, environment) as the context object.
    rt = ctx.obj if isinstance(ctx.obj, Runtime) else Runtime.from_process()
    rt.configure(quiet=quiet, verbose=verbose, debug=debug)
    ctx.obj = rt


def runtime() -> Runtime:
    """The runtime of the command being run (built by the root command)."""
    from launchkit.cli.runtime import Runtime

    obj = click.get_current_context().find_root().obj
    if not isinstance(obj, Runtime):
        raise RuntimeError("launchkit commands run under the root command")
    return obj


def fail(rt: Runtime, exc: LaunchkitError) -> typer.Exit:
    """Print a launchkit error and return the Exit to raise."""
    rt.console.error(exc.message, exc.hint)
    return typer.Exit(int(exc.exit_code))


def handled(func: F) -> F:
    """Run a command so that every failure becomes one Error/Hint message and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        rt = runtime()
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
            if rt.debug:
                raise
            raise fail(rt, Interrupted()) from None
        except LaunchkitError as exc:
            if rt.debug:
                raise
            raise fail(rt, exc) from None
        except Exception as exc:
            if rt.debug:
                raise
            rt.console.error(
                f"unexpected {type(exc).__name__}", hint="run again with --debug for the traceback"
            )
            raise typer.Exit(int(ExitCode.FAILURE)) from None

    return wrapper  # type: ignore[return-value]


def command(name: str, **kwargs: Any) -> Callable[[F], F]:
    """Register a top-level command (listed in COMMANDS) with the shared error handling."""

    def register(func: F) -> F:
        _typer(name).command(name, **kwargs)(handled(func))
        return func

    return register


def group(name: str, help_text: str) -> Callable[..., Callable[[F], F]]:
    """Create a command group (`launchkit NAME ...`) and return its command decorator."""
    sub = _typer(name, help_text, group=True)
    # A callback makes typer build a group even when it has a single command (`text count`).
    sub.callback()(lambda: None)

    def sub_command(*args: Any, **kwargs: Any) -> Callable[[F], F]:
        def register(func: F) -> F:
            sub.command(*args, **kwargs)(handled(func))
            return func

        return register

    return sub_command
