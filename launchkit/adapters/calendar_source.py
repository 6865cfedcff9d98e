"""Where the public calendar comes from: the one function that reads it, for every command.

A source is a local CSV/TSV/XLSX file, a Google Sheet URL or key (read with gspread when
credentials are set, else through its public CSV export), or any CSV URL. Nothing given:
the `calendar` setting, else the snapshot bundled with launchkit.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path

from launchkit.adapters import public_csv
from launchkit.adapters.calendar_files import read_table, table_from_bytes
from launchkit.adapters.schedule_pool import read_schedules
from launchkit.adapters.sheets import SheetRef, is_sheet_ref, parse_sheet_ref, read_values
from launchkit.domain.calendars.table import Calendar, CalendarError, build_calendar
from launchkit.errors import ConfigError, UsageError
from launchkit.settings import Settings


def read_calendar(
    source: str | None,
    settings: Settings,
    *,
    refresh: bool = False,
    worksheet: str | None = None,
    overrides: Mapping[str, str] | None = None,
) -> Calendar:
    """Read, map and parse the calendar named by `source` (None: setting, else the snapshot).

    Remote calendars are cached; a failed fetch falls back to the cache, and the warning
    about it is in `Calendar.warnings`.
    """
    source = source or settings.calendar
    worksheet = worksheet or settings.worksheet
    if not source:
        from launchkit.resources import calendar_snapshot

        snapshot = calendar_snapshot()
        return _build("bundled snapshot", read_table(snapshot), overrides)
    warnings: list[str] = []
    path = Path(source).expanduser()
    if path.exists() or not (source.startswith(("http://", "https://")) or is_sheet_ref(source)):
        table = read_table(path, worksheet)
    elif is_sheet_ref(source) and not _is_export_url(source):
        ref = parse_sheet_ref(source)
        if settings.google_credentials:
            table, warning = _read_sheet(settings, source, ref, worksheet, refresh)
        else:
            # No credentials: a public sheet can still be read through its CSV export.
            if worksheet:
                raise UsageError(
                    "--worksheet needs Google credentials",
                    hint="use the sheet URL with #gid=N, or set LAUNCHKIT_GOOGLE_CREDENTIALS",
                )
            table, warning = _read_csv_url(
                public_csv.export_url(ref.key, ref.gid), settings, refresh
            )
        warnings += [warning] if warning else []
    else:
        if worksheet:
            raise UsageError("--worksheet does not apply to a CSV URL", hint="drop --worksheet")
        table, warning = _read_csv_url(source, settings, refresh)
        warnings += [warning] if warning else []
    calendar = _build(source, table, overrides)
    if warnings:
        calendar = dataclasses.replace(calendar, warnings=(*warnings, *calendar.warnings))
    return calendar


def _build(source: str, table: list[list[str]], overrides: Mapping[str, str] | None) -> Calendar:
    try:
        return build_calendar(source, table, overrides, read_schedules)
    except CalendarError as exc:
        raise ConfigError(exc.message, hint=exc.hint) from None


def _is_export_url(url: str) -> bool:
    # …/export?format=csv and "publish to the web" …/pub?output=csv are plain CSV downloads.
    return "/export" in url or "output=csv" in url or "format=csv" in url


def _read_csv_url(
    url: str, settings: Settings, refresh: bool
) -> tuple[list[list[str]], str | None]:
    fetched = public_csv.fetch_public_csv(url, settings, refresh=refresh)
    return table_from_bytes(fetched.data, url), fetched.warning


def _read_sheet(
    settings: Settings, source: str, ref: SheetRef, worksheet: str | None, refresh: bool
) -> tuple[list[list[str]], str | None]:
    name = f"sheet {ref.key} gid={ref.gid} worksheet={worksheet}"
    path = public_csv.cache_path(public_csv.settings_cache_dir(), name, ".json")

    def fetch() -> bytes:
        values = read_values(settings, ref, worksheet)
        return json.dumps(values, ensure_ascii=False).encode("utf-8")

    fetched = public_csv.cached_fetch(path, fetch, refresh=refresh, label=source)
    try:
        values = json.loads(fetched.data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ConfigError(
            f"the cached copy of {source} is damaged", hint="run again with --refresh"
        ) from None
    return [[str(cell) for cell in row] for row in values], fetched.warning
