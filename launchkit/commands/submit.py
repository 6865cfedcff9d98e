"""`launchkit submit`: put the chat on the public calendar sheet, in the sheet's own columns.

Never appends a duplicate (same hashtag, NFKC + casefold), writes RAW so nothing is
evaluated, updates in place only with `update=True` and only the columns launchkit fills, and
finds the row again by hashtag right before writing (others may have inserted rows above it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from launchkit.adapters.sheet_writer import GspreadCalendarSheet
from launchkit.adapters.sheets import CREDENTIALS_HINT, SheetRef, parse_sheet_ref
from launchkit.adapters.submissions import SubmissionLog
from launchkit.domain.calendars.table import CalendarError
from launchkit.domain.chat import Chat
from launchkit.domain.sheet.rows import (
    CellChange,
    ExistingRow,
    RowPlan,
    SheetCell,
    SheetRowError,
    changed_cells,
    find_existing,
    form_link,
    plan_row,
)
from launchkit.errors import ConfigError, CredentialsError, RemoteError, UsageError
from launchkit.settings import Settings

Action = Literal[
    "appended", "updated", "unchanged", "duplicate-refused", "dry-run", "form-link", "declined"
]
DEFAULT_HEADERS = ("Hashtag", "Name", "Schedule", "Topic", "Moderators", "Link")
FORM_HINT = (
    "entry ids are not visible without fetching the form: open the form, ⋮ → Get pre-filled "
    "link, type something in each question, press Get link and copy it; each entry.NNN in "
    "that link is a question's id. Then: --form-field hashtag=entry.NNN --form-field "
    "schedule=entry.MMM ..."
)


# (sheet, worksheet name) -> the worksheet to read and write; the runtime gives the real one.
OpenSheet = Callable[[SheetRef, str | None], GspreadCalendarSheet]


@dataclass(frozen=True)
class SubmitPreview:
    """The row exactly as it will appear, column by column, and what will happen to it."""

    sheet: str
    worksheet: str
    write: Literal["append", "update"]
    row: int | None  # the row an update changes (as of the preview); None for an append
    cells: tuple[SheetCell, ...]
    unfilled: tuple[str, ...]
    changes: tuple[CellChange, ...]  # for an update: the cells that change
    notes: tuple[str, ...]


@dataclass(frozen=True)
class SubmitResult:
    """What `submit` did."""

    action: Action
    hashtag: str
    sheet: str | None = None
    worksheet: str | None = None
    row: int | None = None
    preview: SubmitPreview | None = None
    existing: ExistingRow | None = None
    form_link: str | None = None
    notes: tuple[str, ...] = ()


def _layout_error(where: str, exc: SheetRowError | CalendarError) -> ConfigError:
    return ConfigError(f"{where}: {exc.message}", hint=exc.hint)


def _sheet_text(sheet: str | None, settings: Settings, log: SubmissionLog, hashtag: str) -> str:
    if sheet or settings.sheet:
        return str(sheet or settings.sheet)
    previous = log.last(hashtag)
    if previous is not None:
        return previous.sheet_key
    raise ConfigError(
        "no calendar sheet to submit to",
        hint="pass --sheet URL (or the sheet's key), set LAUNCHKIT_SHEET, or use --form URL "
        "when the calendar takes additions through a Google Form",
    )


def _no_credentials(exc: CredentialsError) -> CredentialsError:
    # sheets.py says "to read the sheet with"; submit writes, so say that.
    message = exc.message.replace("to read the sheet with", "to write to the calendar sheet with")
    return CredentialsError(
        message,
        hint=f"{CREDENTIALS_HINT}. Without a key: --form URL prints a prefilled Google Form "
        "link instead, and --dry-run shows the row without writing",
    )


def run_form(chat: Chat, form: str, fields: Mapping[str, str]) -> SubmitResult:
    """The prefilled Google Form link for the chat (nothing is written)."""
    if not fields:
        raise UsageError("--form needs at least one --form-field FIELD=entry.NNN", hint=FORM_HINT)
    try:
        link = form_link(form, fields, chat)
    except SheetRowError as exc:
        raise UsageError(exc.message, hint=exc.hint) from None
    return SubmitResult("form-link", chat.hashtag, form_link=link)


def _default_preview(chat: Chat, sheet: str, worksheet: str | None) -> SubmitResult:
    plan = plan_row(chat, [list(DEFAULT_HEADERS)])
    note = "no Google credentials: shown in launchkit's default columns, not the sheet's own"
    tab = worksheet or "(first tab)"
    preview = SubmitPreview(sheet, tab, "append", None, plan.cells, plan.unfilled, (), (note,))
    return SubmitResult("dry-run", chat.hashtag, sheet, worksheet, None, preview, notes=(note,))


def run(
    chat: Chat,
    settings: Settings,
    *,
    sheet: str | None,
    worksheet: str | None,
    update: bool,
    dry_run: bool,
    confirm: Callable[[SubmitPreview], bool] | None,
    open_sheet: OpenSheet,
    log: SubmissionLog,
    overrides: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> SubmitResult:
    """Preview the chat's row for the calendar sheet, ask `confirm` (None: don't), write it
    and record the write in `log`. `settings` names the default sheet."""
    ref = parse_sheet_ref(_sheet_text(sheet, settings, log, chat.hashtag))
    try:
        tab = open_sheet(ref, worksheet)
    except CredentialsError as exc:
        if dry_run and not settings.google_credentials:
            return _default_preview(chat, ref.key, worksheet)
        raise _no_credentials(exc) from None
    where = f"worksheet {tab.title!r}"
    rows = tab.read()
    try:
        plan = plan_row(chat, rows, overrides)
    except (SheetRowError, CalendarError) as exc:
        raise _layout_error(where, exc) from None
    existing = find_existing(chat.hashtag, rows, plan)
    result = _decide(chat, tab, plan, existing, update)
    if result.action != "dry-run" or result.preview is None:
        return result
    if dry_run or (confirm is not None and not confirm(result.preview)):
        return replace(result, action="dry-run" if dry_run else "declined")
    return _write(chat, tab, plan, result.preview, log, now)


def _decide(
    chat: Chat, tab: GspreadCalendarSheet, plan: RowPlan, existing: ExistingRow | None, update: bool
) -> SubmitResult:
    """What to do with the planned row; a pending write comes back as a `dry-run` result."""
    base = SubmitResult("dry-run", chat.hashtag, tab.key, tab.title, notes=plan.notes)
    if existing is None:
        notes = plan.notes
        if update:
            notes += (f"no row with {chat.hashtag} to update: it will be appended",)
        preview = SubmitPreview(
            tab.key, tab.title, "append", None, plan.cells, plan.unfilled, (), notes
        )
        return replace(base, preview=preview, notes=notes)
    changes = changed_cells(plan, existing)
    if not changes:
        return replace(base, action="unchanged", row=existing.row, existing=existing)
    preview = SubmitPreview(
        tab.key, tab.title, "update", existing.row, plan.cells, plan.unfilled, changes, plan.notes
    )
    return replace(
        base,
        action="dry-run" if update else "duplicate-refused",
        row=existing.row,
        preview=preview,
        existing=existing,
    )


def _write(
    chat: Chat,
    tab: GspreadCalendarSheet,
    plan: RowPlan,
    preview: SubmitPreview,
    log: SubmissionLog,
    now: datetime | None,
) -> SubmitResult:
    """Re-read the sheet (time passed while a person read the preview), then write."""
    fresh = tab.read()
    headers = [c.header for c in plan.cells]
    top = plan.header_row - 1
    if top >= len(fresh) or [c.strip() for c in fresh[top]][: len(headers)] != headers:
        raise RemoteError(
            f"the header of {tab.title!r} changed while the row was being confirmed",
            hint="run `launchkit submit` again to see the row in the new columns",
        )
    found = find_existing(chat.hashtag, fresh, plan)
    if preview.write == "append":
        if found is not None:
            raise RemoteError(
                f"{chat.hashtag} appeared on {tab.title!r} row {found.row} in the meantime",
                hint="run `launchkit submit` again to compare, and --update to change that row",
            )
        row = tab.append(plan.values, plan.header_row)
        action: Action = "appended"
    else:
        if found is None:
            raise RemoteError(
                f"the row with {chat.hashtag} is no longer on {tab.title!r}",
                hint="someone removed it; run `launchkit submit` again to append it anew",
            )
        tab.update_cells(found.row, {c: plan.values[c] for c in plan.filled})
        row, action = found.row, "updated"
    log.record(
        hashtag=chat.hashtag,
        sheet_key=tab.key,
        worksheet=tab.title,
        row_number=row,
        action=action,
        values=plan.values,
        now=now,
    )
    return SubmitResult(
        action, chat.hashtag, tab.key, tab.title, row, preview, found, notes=preview.notes
    )
