"""CLI: launchkit init — the wizard from an idea to a scheduled launch."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchkit import output
from launchkit.cli._app import CalendarOpt, JsonOpt, command, runtime

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
    calendar: CalendarOpt = None,
    json: JsonOpt = False,
) -> None:
    """Choose a hashtag and a slot, write chat.yaml, render the pack, schedule the sequence.

    With a terminal it asks what the answers leave out; without one, every answer must come
    from --answers/--set. Nothing is posted or mailed: the next steps are printed at the end.
    """
    from launchkit.commands import init as cmd
    from launchkit.commands.flags import key_values
    from launchkit.commands.init.review import review_text
    from launchkit.commands.init.session import gather_answers, save_partial
    from launchkit.commands.init.steps import GROUPS, build_steps
    from launchkit.commands.init.wizard import QuestionaryAsker, run_wizard
    from launchkit.errors import Interrupted

    sets_given = key_values("--set", sets, "hashtag=#MyChat", empty_ok=True)
    answers = gather_answers(directory / PARTIAL if resume else None, answers_file, sets_given)
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
    )
    asker = QuestionaryAsker() if console.interactive else None
    try:
        confirmed = run_wizard(
            build_steps(ctx),
            answers,
            asker,
            GROUPS,
            lambda a: console.echo("\n" + review_text(ctx, a, rt.now()) + "\n"),
        )
    except KeyboardInterrupt:
        saved = save_partial(directory / PARTIAL, answers)
        raise Interrupted(
            hint=f"answers so far are in {saved}; `launchkit init --resume`"
        ) from None
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
