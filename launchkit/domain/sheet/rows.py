"""The row a chat becomes on a calendar sheet, in the sheet's own columns (pure).

Columns are found with the calendar reader's synonyms (`map_columns`), so `submit` writes to
the same columns `calendar parse` reads. The duplicate guard uses the hashtag check's
exact/case rule (NFKC + casefold), and a Google Form's prefilled link is built here too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from launchkit.domain.calendars.table import FIELDS, header_zone_text, map_columns
from launchkit.domain.chat import Chat
from launchkit.domain.hashtag.collisions import calendar_tags, fold, tag_body
from launchkit.domain.sheet.schedule import detect_convention, schedule_cells
from launchkit.domain.zones import resolve_zone

__all__ = [
    "FORM_FIELDS",
    "CellChange",
    "ExistingRow",
    "RowPlan",
    "SheetCell",
    "SheetRowError",
    "changed_cells",
    "find_existing",
    "find_header_row",
    "form_link",
    "plan_row",
]

FORM_FIELDS = FIELDS
# A title or note above the header is common on public calendars; look this far down for it.
_HEADER_SEARCH_ROWS = 5


class SheetRowError(ValueError):
    """A sheet (or form) that a chat cannot be written to; commands make it a ConfigError."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class SheetCell:
    """One column of the row: its header, the chat field it holds (if any) and the text."""

    column: int  # 0-based
    header: str
    field: str | None
    value: str


@dataclass(frozen=True)
class RowPlan:
    """The whole row as it will appear, and what could not be filled."""

    header_row: int  # 1-based sheet row of the header
    cells: tuple[SheetCell, ...]
    unfilled: tuple[str, ...]  # headers left empty
    notes: tuple[str, ...]  # conventions followed, conversions, assumptions

    @property
    def values(self) -> list[str]:
        """The row's cell texts, left to right."""
        return [c.value for c in self.cells]

    @property
    def filled(self) -> dict[int, str]:
        """Column index -> text for the columns launchkit fills (the only ones --update writes)."""
        return {c.column: c.value for c in self.cells if c.field and c.value}


@dataclass(frozen=True)
class ExistingRow:
    """A row already on the sheet with the chat's hashtag."""

    row: int  # 1-based sheet row number
    cells: tuple[tuple[str, str], ...]  # (header, text)
    values: tuple[str, ...]


@dataclass(frozen=True)
class CellChange:
    """One cell `--update` would change."""

    header: str
    old: str
    new: str


def find_header_row(rows: Sequence[Sequence[str]]) -> int:
    """0-based index of the header: the first of the top rows with a hashtag column."""
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        if "hashtag" in map_columns([c.strip() for c in row]):
            return i
    return next((i for i, row in enumerate(rows) if any(c.strip() for c in row)), 0)


def _header_zone(headers: Sequence[str], columns: Mapping[str, int]) -> str | None:
    for field in ("schedule", "time", "day"):
        if field in columns:
            text = header_zone_text(headers[columns[field]])
            zone = resolve_zone(text) if text else None
            if zone:
                return zone
    return None


def _mapping_hint(headers: Sequence[str], columns: Mapping[str, int]) -> str:
    mapped = ", ".join(f"{f} → {headers[i]!r}" for f, i in columns.items()) or "nothing"
    free = [repr(h) for i, h in enumerate(headers) if h and i not in columns.values()]
    missing = [f for f in FIELDS if f not in columns]
    return (
        f"mapped: {mapped}; unmapped columns: {', '.join(free) or 'none'}; "
        f"fields without a column: {', '.join(missing)}. Rename a header (Hashtag, Name, "
        "Schedule, Timezone, Topic, Moderators, Link) or use --map field=HEADER"
    )


def _majority_prefixed(cells: Sequence[str], prefix: str, default: bool) -> bool:
    texts = [c.strip() for c in cells if c.strip()]
    if not texts:
        return default
    return sum(t.startswith(prefix) for t in texts) * 2 >= len(texts)


def plan_row(
    chat: Chat, rows: Sequence[Sequence[str]], overrides: Mapping[str, str] | None = None
) -> RowPlan:
    """Build the chat's row for a sheet whose cells (header included) are `rows`."""
    if not rows or not any(c.strip() for r in rows for c in r):
        raise SheetRowError(
            "the worksheet is empty: no header row to match the chat's fields to",
            hint="add a header row (Hashtag, Name, Schedule, Topic, Moderators, Link), "
            "or pick the right tab with --worksheet",
        )
    top = find_header_row(rows)
    headers = [c.strip() for c in rows[top]]
    named = map_columns(headers, overrides)
    columns = {field: headers.index(header) for field, header in named.items()}
    if "hashtag" not in columns:
        raise SheetRowError(
            "no hashtag column in the sheet's header, so the chat cannot be placed (or checked "
            "for duplicates)",
            hint=_mapping_hint(headers, columns),
        )
    data = [r for r in rows[top + 1 :] if any(c.strip() for c in r)]

    def column_cells(field: str) -> list[str]:
        i = columns.get(field)
        return [r[i] for r in data if i is not None and i < len(r)]

    conv = detect_convention(columns, data, _header_zone(headers, columns))
    s = chat.schedule
    sched = schedule_cells(s.rrule, s.start, s.duration_min, s.first, chat.timezone, conv)
    tag = (
        chat.hashtag
        if _majority_prefixed(column_cells("hashtag"), "#", True)
        else (tag_body(chat.hashtag))
    )
    host = chat.host
    use_handle = host.handle and _majority_prefixed(column_cells("moderators"), "@", True)
    values = {
        "hashtag": tag,
        "name": chat.name,
        "schedule": sched.schedule,
        "day": sched.day,
        "time": sched.time,
        "timezone": sched.timezone,
        "topic": chat.topic,
        "moderators": (host.handle if use_handle else host.name) or "",
        "link": chat.link or "",
    }
    if "schedule" not in columns and not conv.split_day_time:
        # Only a day or only a time column: it carries the whole schedule text.
        for field in ("day", "time"):
            values[field] = sched.schedule
    by_column = {i: f for f, i in columns.items()}
    cells = tuple(
        SheetCell(i, h, by_column.get(i), values.get(by_column.get(i, ""), ""))
        for i, h in enumerate(headers)
    )
    unfilled = tuple(c.header or f"column {c.column + 1}" for c in cells if not c.value)
    notes = list(sched.notes)
    if conv.header_zone and sched.zone == conv.header_zone != chat.timezone:
        notes.append(f"times converted to {conv.header_zone}, the zone the header names")
    if not {"schedule", "day", "time"} & set(columns):
        notes.append("the sheet has no schedule, day or time column; the schedule is not written")
    return RowPlan(top + 1, cells, unfilled, tuple(notes))


def find_existing(hashtag: str, rows: Sequence[Sequence[str]], plan: RowPlan) -> ExistingRow | None:
    """The first row below the header whose hashtag cell names `hashtag` (NFKC + casefold)."""
    column = next(c.column for c in plan.cells if c.field == "hashtag")
    wanted = fold(tag_body(hashtag))
    headers = [c.header for c in plan.cells]
    for index in range(plan.header_row, len(rows)):
        row = rows[index]
        if column < len(row) and any(fold(t) == wanted for t in calendar_tags(row[column])):
            padded = [*row, *[""] * (len(headers) - len(row))]
            return ExistingRow(index + 1, tuple(zip(headers, padded, strict=False)), tuple(padded))
    return None


def changed_cells(plan: RowPlan, existing: ExistingRow) -> tuple[CellChange, ...]:
    """The launchkit-filled cells whose text differs from the existing row."""
    changes = []
    for column, new in plan.filled.items():
        old = existing.values[column] if column < len(existing.values) else ""
        if old.strip() != new:
            changes.append(CellChange(plan.cells[column].header, old, new))
    return tuple(changes)


def form_link(form_url: str, entries: Mapping[str, str], chat: Chat) -> str:
    """A Google Form link prefilled with the chat's fields (`entries`: field -> entry.NNN)."""
    parts = urlsplit(form_url.strip())
    if parts.scheme != "https" or parts.netloc != "docs.google.com" or "/forms/" not in parts.path:
        raise SheetRowError(
            f"not a Google Form URL: {form_url}",
            hint="use the form's https://docs.google.com/forms/d/e/…/viewform address "
            "(a forms.gle short link cannot carry prefilled answers; open it and copy the URL)",
        )
    unknown = sorted(set(entries) - set(FORM_FIELDS))
    if unknown:
        raise SheetRowError(
            f"--form-field {unknown[0]}: not a chat field", hint="fields: " + ", ".join(FIELDS)
        )
    # The fields named for the form play the part of a sheet header with no rows below it.
    plan = plan_row(chat, [["hashtag", *(f for f in entries if f != "hashtag")]])
    values = {c.field: c.value for c in plan.cells if c.field}
    path = parts.path
    for tail in ("/viewform", "/edit", "/formResponse", "/prefill"):
        path = path.removesuffix(tail)
    query = "usp=pp_url" + "".join(
        f"&{_entry_id(entry)}={quote(values.get(field, ''), safe='')}"
        for field, entry in entries.items()
    )
    return urlunsplit(("https", parts.netloc, path.rstrip("/") + "/viewform", query, ""))


def _entry_id(entry: str) -> str:
    text = entry.strip().removeprefix("entry.")
    if not text.isdigit():
        raise SheetRowError(
            f"--form-field: {entry!r} is not an entry id",
            hint="entry ids look like entry.1234567890 (see `launchkit submit --help`)",
        )
    return f"entry.{text}"
