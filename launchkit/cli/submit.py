"""CLI: launchkit submit (thin: parse, call commands.submit, show the row and the outcome)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from launchkit import output
from launchkit.cli._app import ChatOpt, JsonOpt, command, runtime
from launchkit.errors import LaunchkitError, UsageError
from launchkit.settings import DEFAULT_CHAT_FILE

if TYPE_CHECKING:
    from launchkit.commands.submit import SubmitPreview, SubmitResult
    from launchkit.domain.sheet.rows import ExistingRow
    from launchkit.output import Console


def _column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def preview_text(preview: SubmitPreview) -> str:
    """The row column by column, as it will appear on the sheet."""
    if preview.write == "append":
        what = "append a new row"
    else:
        what = f"update row {preview.row} ({len(preview.changes)} cell(s) change)"
    changed = {c.header: c.old for c in preview.changes}
    # An update writes only the columns launchkit fills; the others keep what they hold.
    empty = "left empty" if preview.write == "append" else "not touched"
    rows = []
    for cell in preview.cells:
        note = "" if cell.value else empty
        if cell.header in changed:
            note = f"was: {changed[cell.header]!r}"
        rows.append((_column(cell.column), cell.header, cell.value, note))
    lines = [
        f"Sheet {preview.sheet}, worksheet {preview.worksheet!r}: {what}",
        output.table(["col", "header", "value", ""], rows),
    ]
    lines += [f"Note: {note}" for note in preview.notes]
    return "\n".join(lines)


def _existing_text(existing: ExistingRow) -> str:
    rows = [(_column(i), h, v) for i, (h, v) in enumerate(existing.cells)]
    return output.table(["col", "header", "value"], rows)


class _Confirm:
    """Asks on a terminal; refuses without one; remembers whether the row was shown."""

    def __init__(self, console: Console, json: bool) -> None:
        self.console = console
        self.json = json
        self.shown = False

    def __call__(self, preview: SubmitPreview) -> bool:
        if not self.console.interactive:
            raise UsageError(
                "no terminal to confirm the row on",
                hint="pass --yes to write it without asking, or --dry-run to only show it",
            )
        # With --json, stdout is for the result: the question goes to stderr.
        self.console.echo(preview_text(preview), err=self.json)
        self.shown = True
        return self.console.confirm("Write this row to the sheet?", err=self.json)


@command(
    "submit",
    epilog="--form: a Google Form's entry ids cannot be discovered without fetching the form. "
    "Open the form, ⋮ → Get pre-filled link, type something in each question, Get link, "
    "and copy it: each entry.NNN in it is one question's id. Fields: hashtag, name, schedule, "
    "day, time, timezone, topic, moderators, link.",
)
def submit(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="Calendar sheet URL or key (default: LAUNCHKIT_SHEET)."),
    ] = None,
    worksheet: Annotated[
        str | None, typer.Option("--worksheet", help="Worksheet (tab) name.")
    ] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Write without asking.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the row; write nothing.")
    ] = False,
    update: Annotated[
        bool, typer.Option("--update", help="Change the chat's existing row in place.")
    ] = False,
    form: Annotated[
        str | None,
        typer.Option("--form", help="Print a prefilled Google Form link instead of writing."),
    ] = None,
    form_field: Annotated[
        list[str] | None,
        typer.Option("--form-field", help="FIELD=entry.NNN for --form (repeat; see below)."),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="Use a column for a field: --map schedule='Meeting time'."),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Put the chat on the public calendar sheet, in the sheet's own columns."""
    from launchkit.adapters.chatfile import load_chat
    from launchkit.commands import submit as cmd
    from launchkit.commands.flags import key_values

    rt = runtime()
    loaded = load_chat(chat)
    confirm = _Confirm(rt.console, json)
    if form:
        fields = key_values("--form-field", form_field, "hashtag=entry.123456")
        result = cmd.run_form(loaded, form, fields)
    else:
        if form_field:
            raise UsageError("--form-field needs --form URL", hint=cmd.FORM_HINT)
        result = cmd.run(
            loaded,
            rt.settings,
            sheet=sheet,
            worksheet=worksheet,
            update=update,
            dry_run=dry_run,
            confirm=None if yes or dry_run else confirm,
            open_sheet=rt.calendar_sheet,
            log=rt.submissions(chat),
            overrides=key_values("--map", map_, "schedule='Meeting time'"),
        )
    if json:
        rt.console.emit_json(output.json_object(result))
    else:
        show(rt.console, result, preview_shown=confirm.shown)
    if result.action == "duplicate-refused":
        raise LaunchkitError(
            f"{result.hashtag} is already on {result.worksheet!r} (row {result.row}); "
            "not adding a duplicate",
            hint="run `launchkit submit --update` to change that row in place "
            "(only the columns launchkit fills)",
        )


def show(console: Console, result: SubmitResult, preview_shown: bool = False) -> None:
    """Print a submit result for a person (the row too, unless the question showed it)."""
    if result.action in ("appended", "updated") and result.preview and not preview_shown:
        console.echo(preview_text(result.preview))
    where = f"{result.worksheet!r} row {result.row}"
    if result.action == "form-link":
        console.echo(str(result.form_link))
        console.echo("Open the link, check the answers, and press Submit on the form.")
    elif result.action == "unchanged":
        console.echo(f"{result.hashtag} is already on {where} as it would be written: no change.")
    elif result.action == "duplicate-refused" and result.existing and result.preview:
        console.echo(f"{result.hashtag} is already on {where}:")
        console.echo(_existing_text(result.existing))
        console.echo("")
        console.echo("With --update it would become:")
        console.echo(preview_text(result.preview))
    elif result.action == "dry-run" and result.preview:
        console.echo(preview_text(result.preview))
        console.echo("Dry run: nothing written.")
    elif result.action == "declined":
        console.echo("Nothing written.")
    elif result.action == "appended":
        console.echo(f"Appended {result.hashtag} to {where}.")
    elif result.action == "updated" and result.preview:
        console.echo(
            f"Updated {len(result.preview.changes)} cell(s) of {result.hashtag} on {where}."
        )
