"""CLI: launchkit render."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from launchkit import output
from launchkit.cli._app import ChatOpt, JsonOpt, command, runtime
from launchkit.settings import DEFAULT_CHAT_FILE


@command("render")
def render(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the content pack (default: out/ beside the chat file)."
        ),
    ] = None,
    session: Annotated[
        str | None,
        typer.Option(
            "--session",
            help="Render one planned session only (YYYY-MM-DD), into out/session-DATE/.",
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="Your templates folder (default: templates/ by chat.yaml)."
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Write the content pack: posts.json, posts.md, emails/*.eml and chat.ics.

    It renders the sessions `launchkit schedule` planned (with its shifts and cancellations,
    and the guests booked on them), so posts.md says what will be sent.
    """
    from launchkit.commands import render as cmd
    from launchkit.commands.flags import date_flag

    rt = runtime()
    day = date_flag("--session", session)
    folder = rt.chat_folder(chat, templates)
    limits = rt.mastodon_limits() if "mastodon" in folder.chat.networks else None
    ledger = rt.ledger_if_any(chat)
    try:
        result = cmd.run(folder, out, day, now=rt.now(), ledger=ledger, mastodon=limits)
    finally:
        if ledger is not None:
            ledger.close()
    console = rt.console
    for warning in result.warnings:
        console.warn(warning)
    if json:
        console.emit_json(output.json_object(result))
        return
    days = ", ".join(d.isoformat() for d in result.sessions)
    console.echo(f"Wrote {result.posts} posts and {result.emails} emails to {result.out_dir}/")
    console.echo(f"Sessions ({len(result.sessions)}): {days}")
    if result.cancelled:
        console.echo("Cancelled: " + ", ".join(d.isoformat() for d in result.cancelled))
    if result.with_url:
        console.echo(
            f"{result.with_url} posts contain a link (they cost more to post via the API)."
        )
    if result.late:
        console.echo(
            f"{result.late} items are already due: `launchkit schedule` marks them late "
            "(`--skip-late` leaves them out, `--send-late` lets `post` send them at once)."
        )
    console.echo(f"Review: {result.out_dir / 'posts.md'}")
