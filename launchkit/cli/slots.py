"""CLI: launchkit slots."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchkit import output
from launchkit.cli._app import CalendarOpt, JsonOpt, command, runtime

if TYPE_CHECKING:
    from launchkit.commands.slots import SlotSearch
    from launchkit.domain.slots.search import Slot
    from launchkit.output import Console

_OVERLAPS_SHOWN = 4


@command("slots")
def slots(
    tz: Annotated[str, typer.Option("--tz", help="IANA zone the chat is held in.")],
    calendar: CalendarOpt = None,
    audience: Annotated[
        list[str] | None,
        typer.Option(
            "--audience",
            help="ZONE[=HH:MM-HH:MM], repeatable: zones whose people should be able to join, "
            "each with its acceptable local hours (default: --tz with --hours).",
        ),
    ] = None,
    hours: Annotated[
        str,
        typer.Option(
            help="Acceptable local hours for audience zones that name none; "
            "22:00-09:00 wraps past midnight."
        ),
    ] = "09:00-22:00",
    days: Annotated[
        str | None, typer.Option(help="Allowed weekdays, e.g. MO,WE,FR (default: all).")
    ] = None,
    duration: Annotated[int, typer.Option(help="Length of the chat in minutes.")] = 60,
    cadence: Annotated[
        str,
        typer.Option(help="weekly, fortnightly, monthly-1st..monthly-4th or monthly-last."),
    ] = "weekly",
    topic: Annotated[
        str | None, typer.Option(help="Words for your topic: same-topic chats count most.")
    ] = None,
    hashtag: Annotated[
        str | None, typer.Option(help="Your hashtag: chats sharing its stem count extra.")
    ] = None,
    from_: Annotated[
        str | None, typer.Option("--from", help="First date YYYY-MM-DD (default: today in --tz).")
    ] = None,
    weeks: Annotated[int, typer.Option(help="Horizon in weeks.")] = 12,
    step: Annotated[int, typer.Option(help="Minutes between candidate starts.")] = 30,
    top: Annotated[int, typer.Option(help="How many slots to show.")] = 5,
    audit: Annotated[
        Path | None,
        typer.Option(
            "--audit",
            help="An audit (calendar audit --json): chats it found stale, and second listings "
            "of a chat, stop counting as competition.",
        ),
    ] = None,
    json: JsonOpt = False,
) -> None:
    """Find open slots for your chat: audience awake, no same-topic chat competing.

    Score = the calendar chats a slot overlaps per session, weighted by topic closeness
    (0 = free; lower is better). A slot that leaves an audience window in some weeks
    because clocks change on different dates is kept, ranked lower (each such week counts
    like two same-topic clashes) and warned about with those dates. Each zone's local
    times are listed as its clocks change. When no start fits every audience window, it
    says which windows never meet and lists the closest fits, each naming the zone it
    leaves out.
    """
    from zoneinfo import ZoneInfo

    from launchkit.commands import slots as cmd
    from launchkit.commands.flags import date_flag, zone_flag

    rt = runtime()
    zone = zone_flag("--tz", tz)
    first = date_flag("--from", from_) or rt.now().astimezone(ZoneInfo(zone)).date()
    query = cmd.build_query(
        tz=zone, first_day=first, audience=audience or (), hours=hours, days=days,
        duration=duration, cadence=cadence, topic=topic, hashtag=hashtag, weeks=weeks,
        step=step, top=top,
    )  # fmt: skip
    console = rt.console
    with console.working("Reading the calendar and ranking slots"):
        chats = rt.calendar(calendar)
        if audit:
            from launchkit.commands.calendar_audit import NOT_COMPETING, apply_audit

            chats = apply_audit(chats, rt.audit_file(audit), NOT_COMPETING).calendar
        found = cmd.run(chats, query)
    if json:
        for note in found.notes:
            console.warn(note)
        console.emit_json([slot.as_json() for slot in found.slots])
        return
    _show(console, found)


def _show(console: Console, found: SlotSearch) -> None:
    q = found.query
    console.echo(
        f"Open {q.cadence} slots for a {q.duration_min}-minute chat, {q.first_day} to "
        f"{q.last_day} ({q.weeks} weeks), against {found.calendar_source}: "
        f"{found.placed} of {found.chats} chats placed, {found.sessions} sessions."
    )
    windows = ", ".join(f"{w.zone} {w.label}" for w in q.audience)
    console.echo(f"Audience hours: {windows}. Topic: {q.topic or '(none: every chat counts)'}.")
    for note in found.notes:
        console.echo(f"Note: {note}")
    if found.slots:
        _table(console, found.slots)
    elif found.closest:
        console.echo("\nClosest fits, each with the audience window it misses:")
        _table(console, found.closest)
    else:
        console.echo("No slot found.")


def _table(console: Console, slots: tuple[Slot, ...]) -> None:
    rows = []
    for slot in slots:
        shown = list(slot.overlaps[:_OVERLAPS_SHOWN])
        if len(slot.overlaps) > _OVERLAPS_SHOWN:
            shown.append(f"+{len(slot.overlaps) - _OVERLAPS_SHOWN} more")
        flag = " (!)" if slot.warnings else ""
        rows.append(
            (slot.rank, slot.when() + flag, f"{slot.score:.2f}", slot.same_topic, slot.other,
             ", ".join(shown) or "-")
        )  # fmt: skip
    console.echo("")
    console.echo(output.table(["#", "when", "score", "same topic", "other", "overlaps"], rows))
    for slot in slots:
        for warning in slot.warnings:
            console.echo(f"(!) #{slot.rank}: {warning}")
