"""CLI: launchkit text count."""

from __future__ import annotations

from typing import Annotated

import typer

from launchkit import output
from launchkit.cli._app import JsonOpt, group, runtime

text_command = group("text", "Tweet text as X counts it.")


@text_command("count")
def count(
    text: Annotated[str, typer.Argument(help="The draft post (quote it).")],
    json: JsonOpt = False,
) -> None:
    """Weigh a draft as X does: length of 280, hashtags, URLs and whether it is valid.

    Exit code 0 whether or not the text fits; read "valid" in --json output.
    """
    from launchkit.commands import text as cmd

    result = cmd.count(text)
    console = runtime().console
    if json:
        console.emit_json(output.json_object(result))
        return
    verdict = "valid" if result.valid else "NOT valid"
    console.echo(f"{result.weighted_length}/280 ({result.remaining} left): {verdict}")
    for problem in result.problems:
        console.echo(f"  {problem}")
    console.echo("hashtags: " + (" ".join(result.hashtags) or "none"))
    console.echo("URLs: " + (" ".join(result.urls) or "none") + " (each counts 23)")
