"""CLI: launchkit live (thin: choose the session, build the feed, run the room or print)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from launchkit.cli._app import ChatOpt, JsonOpt, command, runtime
from launchkit.cli.prices import YesOpt
from launchkit.settings import DEFAULT_CHAT_FILE

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from launchkit.adapters.post_store import PostStore
    from launchkit.cli.runtime import Runtime
    from launchkit.commands.live import LiveSession
    from launchkit.commands.live_feed import LiveFeed
    from launchkit.commands.recap_sources import Approve
    from launchkit.domain.live.room import Shown


def _approver(rt: Runtime, session: LiveSession, yes: bool) -> Approve:
    from launchkit.cli.prices import approve_rate
    from launchkit.commands.recap_sources import PaidRead
    from launchkit.domain.live.polling import POLL_EVERY

    def approve(paid: PaidRead) -> str | None:
        every = POLL_EVERY[paid.network].total_seconds()
        minutes = int((session.window.end - session.window.start).total_seconds() // 60)
        return approve_rate(
            rt.console, "X recent search while live", every, rt.settings.price_count_usd,
            minutes, yes,
        )  # fmt: skip

    return approve


@command("live")
def live(
    chat: ChatOpt = DEFAULT_CHAT_FILE,
    session: Annotated[
        str | None,
        typer.Option("--session", help="The session's date (default: the one on now or next)."),
    ] = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="No full screen: print one line per post.")
    ] = False,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Stop then: a time (21:00), a date-time or a duration (90m)."),
    ] = None,
    yes: YesOpt = False,
    json: JsonOpt = False,
) -> None:
    """Follow a session live on every network: posts, answers, the next question.

    At a terminal: a full-screen room (keys: p pause, 1-9 or f filter to a question, a all,
    g group by question, o open the post's link, m mark it for the recap's highlights, q quit).
    Otherwise, or with --plain, one line per post; with --json, one object per line
    (schema_version, network, id, handle, name, time, text, url, question, role). A post
    deleted during the hour (Mastodon's stream tells) leaves the room and the store; the
    lines then say "deleted:" with its time, and --json writes {"schema_version": 1,
    "deleted": true, "network": ..., "id": ...}. Both stop when the session's window ends,
    or at --until. Every post read is kept for `recap`.
    """

    from launchkit.commands.flags import until_flag

    rt = runtime()
    now = rt.now()
    stop = until_flag(until, now) if until else None
    with rt.post_store(chat, any_thread=True) as store:
        chosen, feed = open_room(rt, chat, session, yes, store)
        try:
            if not (plain or json) and rt.console.interactive:
                from launchkit.cli.live_room import LiveRoom

                room = LiveRoom(chosen, feed, rt.now, rt.open_link, until=stop)
                room.run()
                if room.failure is not None:
                    raise room.failure
            else:
                _print(rt, chosen, feed, stop, json)
        finally:
            feed.close()


def open_room(
    rt: Runtime, chat: Path, session: str | None, yes: bool, store: PostStore
) -> tuple[LiveSession, LiveFeed]:
    """The session to follow and its feed (every network of the chat, Mastodon's stream
    when a token allows it), with the runtime's readers, ledger and clock."""
    from launchkit.adapters.ledger import ledger_path
    from launchkit.cli.recap import own_accounts
    from launchkit.commands import live as cmd
    from launchkit.commands.flags import date_flag

    folder = rt.chat_folder(chat)
    chat_file = folder.chat_file
    wanted = date_flag("--session", session)
    view = None
    if ledger_path(chat_file).is_file():
        with rt.ledger(chat_file) as ledger:
            chosen = cmd.choose(folder.chat, ledger, rt.now(), wanted)
        view = cmd.ledger_view(lambda: rt.ledger(chat_file), chosen)
    else:
        chosen = cmd.choose(folder.chat, None, rt.now(), wanted)
    feed = cmd.open_feed(
        chosen,
        store,
        lambda network: rt.tag_reader(network, chat_file, paid_calls=1),
        _approver(rt, chosen, yes),
        own_accounts=own_accounts(rt),
        ledger=view,
    )
    _add_stream(rt, feed)
    return chosen, feed


def _add_stream(rt: Runtime, feed: LiveFeed) -> None:
    """Follow Mastodon's hashtag stream when the chat is there and a token allows it."""
    from launchkit.errors import CredentialsError

    source = feed.sources.get("mastodon")
    if source is None or source.status == "not checked":
        return
    try:
        feed.follow_stream(rt.hashtag_stream(feed.hashtag, feed.receive, feed.receive_deletion))
    except CredentialsError as exc:
        source.detail = f"no stream: {exc.message}"


def _print(
    rt: Runtime, session: LiveSession, feed: LiveFeed, stop: datetime | None, as_json: bool
) -> None:
    import json as jsonlib

    from launchkit import output
    from launchkit.cli.live_view import deleted_line, plain_line
    from launchkit.commands.live import deletion_record, follow, post_record
    from launchkit.domain.networks import network_label
    from launchkit.domain.timefmt import format_hour_minute, format_local

    out, zone = rt.console, session.zone
    window = session.window
    until = f", stopping at {format_hour_minute(stop, zone)} (--until)" if stop else ""
    out.echo(
        f"{session.chat.hashtag}, session {format_local(session.start)}: reading "
        f"{format_hour_minute(window.start, zone)} to {format_hour_minute(window.end, zone)}"
        f"{until} (times in {zone})",
        err=True,
    )

    def write(shown: Shown, deleted: bool) -> None:
        if as_json:
            data = deletion_record(shown) if deleted else post_record(shown, zone)
            record = output.json_object(data)
            out.write_json_text(jsonlib.dumps(record, ensure_ascii=False) + "\n")
        else:
            out.echo((deleted_line if deleted else plain_line)(shown, zone))
        out.stdout.flush()

    def on_state(network: str, label: str) -> None:
        out.echo(f"{network_label(network)}: {label}", err=True)

    run = follow(feed, zone, clock=rt.now, sleep=rt.sleep, until=stop,
                 emit=lambda shown: write(shown, False),
                 emit_deleted=lambda shown: write(shown, True), on_state=on_state)  # fmt: skip
    deleted = f" ({run.deleted} deleted since)" if run.deleted else ""
    out.echo(f"{run.posts} posts{deleted}; stopped: {run.ended}", err=True)
