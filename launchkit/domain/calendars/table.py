"""The public chat calendar as data: columns found by header name, each row's schedule parsed.

Pure: takes rows of text cells (from a file, a sheet or a CSV export) and returns a
`Calendar`. Headers are matched case-insensitively with the synonyms people use; a zone
written in a header ("Time (ET)", "When? (all times Eastern)") applies to rows that state none.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from json.encoder import encode_basestring

from launchkit.domain.schedule import (
    ScheduleParse,
    context_regions,
    parse_schedule,
    reads_context,
)
from launchkit.domain.zones import resolve_zone

# A schedule text to read: the text, the zone its row or header gives, the rest of the row.
ScheduleText = tuple[str, str | None, str]
ReadSchedules = Callable[[Sequence[ScheduleText]], list[ScheduleParse]]


class CalendarError(ValueError):
    """A calendar that cannot be read as one (commands turn it into a ConfigError)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


# Field -> header names (already normalised: lower case, single spaces, no zone part).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "hashtag": ("hashtag", "hashtags", "tag", "hash tag", "chat hashtag", "twitter hashtag", "#"),
    "name": ("name", "chat name", "title", "chat", "chat title"),
    "schedule": (
        "schedule",
        "when",
        "day & time",
        "day and time",
        "day/time",
        "days & times",
        "date & time",
        "date/time",
        "time & day",
        "meets",
    ),
    "day": ("day", "days", "day of week", "weekday", "day(s)"),
    "time": ("time", "times", "start time", "hour", "time(s)"),
    "timezone": ("timezone", "tz", "time zone", "zone"),
    "topic": ("topic", "topics", "description", "category", "subject", "about", "focus"),
    "moderators": ("moderators", "moderator", "hosts", "host", "moderated by", "hosted by"),
    "link": ("link", "website", "url", "web", "site", "web site", "homepage"),
}
FIELDS = tuple(SYNONYMS)

# Words that only count as a whole header: "Chat topic" is a topic, not a name.
_TOO_GENERIC = {"chat", "#", "day", "days", "web", "site", "tz", "zone"}

_ZONE_IN_HEADER = re.compile(r"\((?P<paren>[^)]*)\)|\ball times?\b(?:\s+(?:are|in))?(?P<after>.*)")


@dataclass(frozen=True)
class CalendarEntry:
    """One data row of the calendar: what it says and how its schedule was read."""

    row: int  # 1-based data row; the header is row 0
    hashtag: str | None
    name: str | None
    schedule_text: str
    topic: str | None
    link: str | None
    moderators: str | None
    parse: ScheduleParse

    def to_json(self) -> dict[str, object]:
        """The object `calendar parse --json` prints for this row (DESIGN.md's shape)."""
        return self.parse.to_json(self.row, self.hashtag, self.name, self.schedule_text)


@dataclass(frozen=True)
class Calendar:
    """A whole calendar: where it came from, how its columns were mapped, and its rows."""

    source: str
    headers: tuple[str, ...]
    columns: Mapping[str, str]  # field -> header text as written
    header_zone: str | None  # IANA zone stated in a header, applied to rows without one
    entries: tuple[CalendarEntry, ...]
    warnings: tuple[str, ...]


def normalise_header(header: str) -> str:
    """A header as compared with the synonyms: no zone part, lower case, single spaces."""
    text = _ZONE_IN_HEADER.sub(" ", header.replace("\ufeff", ""))
    text = re.sub(r"\s+", " ", text).strip().lower()
    return text.strip(" ?:*.")


def header_zone_text(header: str) -> str | None:
    """The zone part of a header: text in parentheses or after "all times"."""
    for m in _ZONE_IN_HEADER.finditer(header):
        part = (m.group("paren") or m.group("after") or "").strip(" .?:)")
        if part:
            return part
    return None


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z#]+", text))


def map_columns(
    headers: Sequence[str], overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map calendar fields to headers: exact synonyms first, then a synonym inside a header.

    `overrides` ({"schedule": "Meeting time"}) wins; an unknown field or header is a
    CalendarError that lists what exists.
    """
    normal = [normalise_header(h) for h in headers]
    mapping: dict[str, int] = {}
    taken: set[int] = set()
    for field, names in SYNONYMS.items():
        for i, norm in enumerate(normal):
            if i not in taken and norm in names:
                mapping[field] = i
                taken.add(i)
                break
    # Second pass: "Twitter chat hashtag", "Chat topic / theme" contain a synonym as words.
    for field, names in SYNONYMS.items():
        if field in mapping:
            continue
        for i, norm in enumerate(normal):
            if i in taken or not norm:
                continue
            words = _words(norm)
            if any(n not in _TOO_GENERIC and _words(n) <= words for n in names):
                mapping[field] = i
                taken.add(i)
                break
    for field, header in (overrides or {}).items():
        if field not in SYNONYMS:
            raise CalendarError(
                f"--map: unknown field {field!r}", hint="fields: " + ", ".join(FIELDS)
            )
        lowered = [h.strip().lower() for h in headers]
        if header.strip().lower() not in lowered:
            raise CalendarError(
                f"--map {field}={header}: no such column",
                hint="columns found: " + ", ".join(repr(h) for h in headers),
            )
        index = lowered.index(header.strip().lower())
        mapping = {f: i for f, i in mapping.items() if i != index}
        mapping[field] = index
    return {field: headers[i] for field, i in sorted(mapping.items(), key=lambda fi: fi[1])}


def _find_header_zone(headers: Sequence[str], columns: Mapping[str, str]) -> str | None:
    # The schedule/time column's zone is the one meant; other headers are a fallback.
    preferred = [columns[f] for f in ("schedule", "time", "day") if f in columns]
    for header in [*preferred, *headers]:
        text = header_zone_text(header)
        if text:
            zone = resolve_zone(text)
            if zone:
                return zone
    return None


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic GC would rescan a whole calendar again and again while 100,000 entries
    (or their JSON parts) are allocated (it doubled the time); nothing built here forms a
    cycle."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build_calendar(
    source: str,
    table: list[list[str]],
    overrides: Mapping[str, str] | None = None,
    read: ReadSchedules | None = None,
) -> Calendar:
    """Read a table of text cells (header first) into a Calendar, parsing every schedule.

    `read` reads the calendar's distinct schedules (default `read_in_turn`; an adapter may
    spread a big calendar's over several processes): it must return what `parse_schedule`
    returns for each, in order.
    """
    if not table or not any(cell.strip() for cell in table[0]):
        raise CalendarError(f"{source}: no header row", hint="the first row must name the columns")
    headers = tuple(cell.strip() for cell in table[0])
    columns = map_columns(headers, overrides)
    if "hashtag" not in columns and not {"schedule", "day", "time"} & set(columns):
        raise CalendarError(
            f"{source}: no hashtag or schedule column",
            hint="columns found: "
            + ", ".join(repr(h) for h in headers)
            + "; name them (Hashtag, Schedule, ...) or use --map schedule=HEADER",
        )
    if len(table) == 1:
        # An empty calendar is a fact, not an error: the slot finder says every slot is free.
        # Commands that only show the calendar refuse it (see cli/calendar.py).
        empty = f"{source}: only a header row, no chats"
        return Calendar(source, headers, columns, None, (), (empty,))
    header_zone = _find_header_zone(headers, columns)
    index = {field: headers.index(header) for field, header in columns.items()}
    with _no_cycle_collection():
        entries, long_rows = _entries(table, index, header_zone, read or read_in_turn)
    warnings = []
    if long_rows:
        warnings.append(f"{long_rows} rows have more cells than the header; extras ignored")
    if not entries:
        warnings.append(f"{source}: every row below the header is empty")
    return Calendar(source, headers, columns, header_zone, tuple(entries), tuple(warnings))


def _entries(
    table: list[list[str]],
    index: Mapping[str, int],
    header_zone: str | None,
    read: ReadSchedules,
) -> tuple[list[CalendarEntry], int]:
    # Column-wise on purpose: a 100,000-row calendar must read in about a second, so cells
    # are padded, transposed, stripped and paired with C-level builtins and comprehensions
    # instead of a loop over rows.
    width = len(table[0])
    body = table[1:]
    long_rows = sum(1 for r in body if len(r) > width and "".join(r[width:]).strip())
    padded = [r if len(r) >= width else r + [""] * (width - len(r)) for r in body]
    columns = [list(map(str.strip, col)) for col in zip(*padded, strict=False)][:width]
    blank = [""] * len(body)

    def col(field: str) -> list[str]:
        return columns[index[field]] if field in index and columns else blank

    schedules = col("schedule")
    if "day" in index or "time" in index:
        # Separate day and time columns are read as one text ("Tuesdays" + "8pm").
        schedules = [
            f"{text} {time}" if text and time else text or time
            for text, time in zip(
                (s or d for s, d in zip(schedules, col("day"), strict=True)),
                col("time"),
                strict=True,
            )
        ]
    numbers = list(range(1, len(body) + 1))
    cells = [schedules, *(col(f) for f in ("hashtag", "name", "topic", "link", "moderators"))]
    cells.append(col("timezone"))
    # A blank spacer row keeps its number but is not a chat (a row with a schedule never is).
    spacers = {i for i, text in enumerate(schedules) if not text and not "".join(padded[i]).strip()}
    if spacers:
        numbers = [n for i, n in enumerate(numbers) if i not in spacers]
        cells = [[cell for i, cell in enumerate(column) if i not in spacers] for column in cells]
    schedules, tags, names, topics, links, mods, zones = cells
    keys = list(zip(schedules, [z or header_zone for z in zones], strict=True))
    # A calendar repeats its schedules: each (text, zone) is read once. The rest of the row
    # matters only to a text with a country-dependent abbreviation (_BY_ROW here): those are
    # read once per set of regions the row's words name.
    texts: list[ScheduleText] = []
    plain: dict[tuple[str, str | None], int] = {}
    for key in dict.fromkeys(keys):
        plain[key] = _BY_ROW if reads_context(key[0]) else len(texts)
        if plain[key] != _BY_ROW:
            texts.append((*key, ""))
    text_of_row = [plain[key] for key in keys]
    by_regions: dict[tuple[str, str | None, frozenset[str]], int] = {}
    for i, number in enumerate(text_of_row):
        if number == _BY_ROW:
            # The rest of the row says where the chat is, which settles "IST" and the like.
            context = f"{tags[i]} {names[i]} {topics[i]} {links[i]} {mods[i]}"
            schedule, zone = keys[i]
            regional = (schedule, zone, context_regions(schedule, context))
            known = by_regions.get(regional)
            if known is None:
                known = by_regions[regional] = len(texts)
                texts.append((schedule, zone, context))
            text_of_row[i] = known
    parses = read(texts)
    entries = [
        CalendarEntry(row, t or None, n or None, text, p or None, lk or None, m or None, parses[k])
        for row, t, n, text, p, lk, m, k in zip(
            numbers, tags, names, schedules, topics, links, mods, text_of_row, strict=True
        )
    ]
    return entries, long_rows


_BY_ROW = -1  # read with the row's context


def read_in_turn(texts: Sequence[ScheduleText]) -> list[ScheduleParse]:
    """Read each (schedule, zone column, rest of the row) in this process, one after another."""
    return [parse_schedule(text, zone, context) for text, zone, context in texts]


# Put between the encoded readings in one json.dumps call and split on: it cannot occur
# inside an encoded string, where every quote is escaped.
_SEPARATOR = "\x00"
_SEPARATOR_JSON = ', "\\u0000", '


def entries_json(entries: Sequence[CalendarEntry]) -> str:
    """The JSON array `calendar parse --json` prints: `[e.to_json() for e in entries]`.

    Same text as json.dumps of that list, built faster: rows share their readings, so each
    distinct reading is encoded once (all of them in one json.dumps call) and reused.
    """
    numbers: dict[int, int] = {}
    row_reading: list[int] = []
    readings: list[object] = []
    with _no_cycle_collection():
        for e in entries:
            number = numbers.get(id(e.parse))
            if number is None:
                number = numbers[id(e.parse)] = len(numbers)
                readings += (e.parse.reading_json(), _SEPARATOR)
            row_reading.append(number)
        if not readings:
            return "[]"
        encoded = json.dumps(readings, ensure_ascii=False)
    # "[{r1}, SEP, {r2}, SEP]": each "{...}" without its "{" is what follows a row's fields.
    tails = [r[1:] for r in encoded[1 : -len(_SEPARATOR_JSON) + 1].split(_SEPARATOR_JSON)]
    parts = [
        f'{{"row": {e.row}, "hashtag": {_text(e.hashtag)}, "name": {_text(e.name)}, '
        f'"schedule_text": {encode_basestring(e.schedule_text)}, {tails[number]}'
        for e, number in zip(entries, row_reading, strict=True)
    ]
    return "[" + ", ".join(parts) + "]"


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)
