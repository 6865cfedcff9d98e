"""CLI: launchkit init — the wizard from an idea to a scheduled launch."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchkit import output
from launchkit.cli._app import CalendarOpt, JsonOpt, command, runtime

if TYPE_CHECKING:
    from launchkit.output import Console

PARTIAL = "chat.partial.yaml"


@command("init")
def init(
    directory: Annotated[
        Path, typer.Argument(help="Folder for chat.yaml, out/ and the ledger (created).")
    ] = Path("."),
    answers_file: Annotated[
        Path | None,
        typer.Option("--answers", help="Answers file (flat answers or a chat.yaml)."),
    ] = None,
    sets: Annotated[
        list[str] | None, typer.Option("--set", help="One answer, KEY=VALUE (repeatable).")
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help=f"Continue from DIRECTORY/{PARTIAL}.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace DIRECTORY/chat.yaml without asking.")
    ] = False,
    calendar: CalendarOpt = None,
    json: JsonOpt = False,
) -> None:
    """Choose a hashtag and a slot, write chat.yaml, render the pack, schedule the sequence.

    With a terminal it asks what the answers leave out; without one, every answer must come
    from --answers/--set. An existing chat.yaml is replaced only after a yes (or --force).
    Nothing is posted or mailed: the next steps are printed at the end.

    Answer keys for --answers FILE and --set KEY=VALUE (the README says what each takes):
    name, topic, link, host_name, host_handle, host_email, timezone, audience_timezones,
    timezone_ok, hashtag, hashtag_ok, hashtag_live, hashtag_live_ok, cadence, slot, slot_ok,
    first, guests, questions, networks, playbook, holiday_sessions, late_steps, duration_min,
    rrule, sessions; and a chat.yaml's own keys: version, host, schedule.
    """
    from launchkit.commands import init as cmd
    from launchkit.commands.flags import key_values
    from launchkit.commands.init.review import review_text
    from launchkit.commands.init.session import answer_keys, gather_answers, save_partial
    from launchkit.commands.init.steps import GROUPS, build_steps
    from launchkit.commands.init.wizard import QuestionaryAsker, run_wizard
    from launchkit.errors import Interrupted

    sets_given = key_values("--set", sets, "hashtag=#MyChat", empty_ok=True)
    rt = runtime()
    console = rt.console
    ctx = cmd.InitContext(
        rt.settings,
        directory,
        rt.today(),
        machine_zone=rt.system_zone() or "UTC",
        read_calendar=lambda: rt.calendar(calendar),
        # Bluesky's session is kept beside the new chat's ledger.
        live_usage=lambda tag: rt.live_usage(tag, directory / "chat.yaml"),
        open_folder=rt.chat_folder,
        open_ledger=lambda chat_file: rt.ledger(chat_file, must_exist=False),
        clock=rt.now,
        mastodon_limits=rt.mastodon_limits,
    )
    steps = build_steps(ctx)
    partial = directory / PARTIAL if resume else None
    answers = gather_answers(partial, answers_file, sets_given, answer_keys(steps))
    _may_replace(console, cmd.existing_chat(directory), force)
    asker = QuestionaryAsker() if console.interactive else None
    try:
        confirmed = run_wizard(
            steps,
            answers,
            asker,
            GROUPS,
            lambda a: console.echo("\n" + review_text(ctx, a) + "\n"),
        )
    except KeyboardInterrupt:
        saved = save_partial(directory / PARTIAL, answers)
        again = resume_command(directory, calendar)
        raise Interrupted(hint=f"answers so far are in {saved}; continue with `{again}`") from None
    if not confirmed:
        console.echo("Nothing written.")
        raise typer.Exit(1)
    result = cmd.finish(ctx, answers, rt.now())
    (directory / PARTIAL).unlink(missing_ok=True)
    if json:
        console.emit_json(output.json_object(result))
        return
    from launchkit.cli.init_view import show_result

    show_result(console, result)


def resume_command(directory: Path, calendar: str | None) -> str:
    """The command that continues this run where it stopped, as one would type it."""
    import shlex

    words = ["launchkit", "init", str(directory), "--resume"]
    if calendar:
        words += ["--calendar", calendar]
    return shlex.join(words)


def _may_replace(console: Console, existing: Path | None, force: bool) -> None:
    """An existing chat.yaml is replaced only with --force or a yes at the terminal."""
    from launchkit.errors import UsageError

    if existing is None or force:
        return
    if not console.interactive:
        raise UsageError(
            f"{existing} already exists: init will not replace it without asking",
            hint="pass --force to replace it (its ledger is kept and re-planned), "
            "or give init another folder",
        )
    question = f"{existing} already exists. Replace it when the wizard is done?"
    if not console.confirm(question):
        console.echo("Nothing written.")
        raise typer.Exit(1)
