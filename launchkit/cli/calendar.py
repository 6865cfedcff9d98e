"""CLI: launchkit calendar parse | show | heatmap | audit | site."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from launchkit import output
from launchkit.cli._app import JsonOpt, group, runtime
from launchkit.cli.prices import YesOpt
from launchkit.errors import ConfigError

if TYPE_CHECKING:
    from launchkit.cli.runtime import Runtime
    from launchkit.domain.calendars.table import Calendar

calendar_command = group("calendar", "Read, list and picture the public chat calendar.")

SourceArg = Annotated[
    str | None,
    typer.Argument(
        help="CSV/TSV/XLSX file, Google Sheet URL or key, or CSV URL "
        "(default: LAUNCHKIT_CALENDAR, else the bundled snapshot).",
        show_default=False,
    ),
]
RefreshOpt = Annotated[bool, typer.Option("--refresh", help="Fetch a remote calendar again.")]
WorksheetOpt = Annotated[
    str | None, typer.Option("--worksheet", help="Worksheet (tab) name of a sheet or XLSX.")
]
MapOpt = Annotated[
    list[str] | None,
    typer.Option("--map", help="Use a column for a field: --map schedule='Meeting time'."),
]
TzOpt = Annotated[
    str | None, typer.Option("--tz", help="Show times in this zone (default: the system's).")
]


def _load(
    rt: Runtime, source: str | None, refresh: bool, worksheet: str | None, maps: list[str] | None
) -> Calendar:
    from launchkit.commands.flags import key_values

    overrides = key_values("--map", maps, "topic=Theme")
    with rt.console.working(f"Reading the calendar {source or '(configured or bundled)'}"):
        calendar = rt.calendar(source, refresh=refresh, worksheet=worksheet, overrides=overrides)
    if not calendar.entries:
        raise ConfigError(calendar.warnings[-1], hint="add chats below the header row")
    for warning in calendar.warnings:
        rt.console.warn(warning)
    return calendar


@calendar_command("parse")
def parse(
    source: SourceArg = None,
    json: JsonOpt = False,
    refresh: RefreshOpt = False,
    worksheet: WorksheetOpt = None,
    map_: MapOpt = None,
) -> None:
    """Read every row's schedule: sessions, zone, status and what was assumed."""
    from launchkit.commands.calendars import run_parse
    from launchkit.domain.calendars.week import sessions_text
    from launchkit.domain.excerpt import first_words

    rt = runtime()
    result = run_parse(_load(rt, source, refresh, worksheet, map_))
    if json:
        from launchkit.domain.calendars.table import entries_json

        # Built in one piece and written once: 100,000 rows must stay fast.
        rt.console.write_json_text(entries_json(result.calendar.entries) + "\n")
        return
    table = [
        (
            e.row,
            e.hashtag or e.name or "",
            e.parse.status,
            e.parse.tz or "-",
            sessions_text(e.parse.sessions) or "-",
            first_words("; ".join(e.parse.problems), 60, output.text_width),
        )
        for e in result.calendar.entries
    ]
    rt.console.echo(output.table(["row", "chat", "status", "zone", "sessions", "problems"], table))
    rt.console.echo(result.summary)


@calendar_command("show")
def show(
    source: SourceArg = None,
    day: Annotated[str | None, typer.Option("--day", help="Only chats on this day: TU.")] = None,
    tz: TzOpt = None,
    topic: Annotated[str | None, typer.Option("--topic", help="Words in the topic.")] = None,
    json: JsonOpt = False,
    refresh: RefreshOpt = False,
    worksheet: WorksheetOpt = None,
    map_: MapOpt = None,
) -> None:
    """List chats by their next session, in your time zone."""
    from launchkit.cli import calendar_view
    from launchkit.commands.calendars import run_show, viewer_zone

    rt = runtime()
    zone = viewer_zone(tz, rt.system_zone())
    calendar = _load(rt, source, refresh, worksheet, map_)
    result = run_show(calendar, zone, rt.now(), day=day, topic=topic)
    calendar_view.print_show(rt.console, result, json)


@calendar_command("heatmap")
def heatmap(
    source: SourceArg = None,
    tz: TzOpt = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write week.svg, week.html or week.png.")
    ] = None,
    mark: Annotated[
        str | None, typer.Option("--mark", help="Mark your slot, e.g. 'TU 20:00'.")
    ] = None,
    json: JsonOpt = False,
    refresh: RefreshOpt = False,
    worksheet: WorksheetOpt = None,
    map_: MapOpt = None,
) -> None:
    """How many chats run in each hour of the coming week (7 x 24), in your time zone."""
    from launchkit.cli import calendar_view
    from launchkit.commands.calendars import run_heatmap, viewer_zone

    rt = runtime()
    zone = viewer_zone(tz, rt.system_zone())
    calendar = _load(rt, source, refresh, worksheet, map_)
    result = run_heatmap(calendar, zone, rt.now(), mark=mark, out=out)
    calendar_view.print_heatmap(rt.console, result, json)


@calendar_command("audit")
def audit(
    source: SourceArg = None,
    live: Annotated[
        bool,
        typer.Option(
            "--live",
            help="Look up each hashtag's last use: Mastodon (free, LAUNCHKIT_MASTODON_URL) and "
            "X (paid per call, with LAUNCHKIT_X_BEARER_TOKEN: the price is shown first). "
            "Answers are cached for the day.",
        ),
    ] = False,
    skip_paid: Annotated[
        bool, typer.Option("--skip-paid", help="With --live, look up only where it is free.")
    ] = False,
    yes: YesOpt = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the keepers' report (Markdown) here.")
    ] = None,
    json: JsonOpt = False,
    refresh: RefreshOpt = False,
    worksheet: WorksheetOpt = None,
    map_: MapOpt = None,
) -> None:
    """Give every row a verdict: active, quiet, stale, duplicate, conflict, unparsed, unknown.

    Stale means no use of the tag in 90 days (needs --live). The exit code is 0 whenever the
    audit ran, whatever the verdicts.
    """
    from launchkit.cli import calendar_view
    from launchkit.cli.prices import confirm_price
    from launchkit.commands.calendar_audit import plan_audit, run_audit

    rt = runtime()
    calendar = _load(rt, source, refresh, worksheet, map_)
    plan = plan_audit(
        calendar,
        rt.tag_sources(paid=not skip_paid) if live else None,
        rt.lookup_cache() if live else None,
    )
    if plan.lookups is not None:
        price = rt.settings.price_count_usd
        confirm_price(rt.console, "--live", plan.lookups.calls, price, yes)

    def progress(done: int, total: int) -> None:
        rt.console.progress(f"Looking up hashtags: {done}/{total}")

    with rt.console.working("Auditing the calendar"):
        result = run_audit(calendar, plan, rt.today(), out=out, on_progress=progress)
    calendar_view.print_audit(rt.console, result, json)


@calendar_command("site")
def site(
    out: Annotated[Path, typer.Option("--out", help="Folder to write the site to.")],
    source: SourceArg = None,
    audit: Annotated[
        Path | None,
        typer.Option(
            "--audit", help="An audit (calendar audit --json): stale chats are dimmed, with why."
        ),
    ] = None,
    title: Annotated[str, typer.Option("--title", help="The page's title.")] = "Chat calendar",
    json: JsonOpt = False,
    refresh: RefreshOpt = False,
    worksheet: WorksheetOpt = None,
    map_: MapOpt = None,
) -> None:
    """Write a static website of the calendar: every chat in the reader's own time zone.

    DIR/index.html (works from disk or any web server, no outside requests), DIR/chats.json
    and one .ics calendar file per chat in DIR/ics/.
    """
    from launchkit.cli import calendar_view
    from launchkit.commands.calendar_site import build_site

    rt = runtime()
    audited = rt.audit_file(audit) if audit else None
    calendar = _load(rt, source, refresh, worksheet, map_)
    with rt.console.working(f"Writing the site to {out}"):
        built = build_site(calendar, out, rt.now(), audit=audited, title=title)
    calendar_view.print_site(rt.console, built, json)
