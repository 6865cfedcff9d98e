"""Rows that list the same chat twice, and rows that give one hashtag two schedules.

Pure. Two rows are the same chat when they carry the same hashtag (compared case- and
width-insensitively) or, without a shared tag, have nearly the same name and the same
schedule. "The same schedule" is compared by when sessions actually happen (UTC moments over
the next weeks), so "Sunday 8 p.m. CT" and "Sundays 9 pm EST" agree. A row whose time cannot
be placed (no time, no zone, unreadable) agrees with any schedule: it says less, it does not
contradict. One tag with two placeable schedules that differ is a conflict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from launchkit.domain.calendars.table import CalendarEntry
from launchkit.domain.calendars.week import occurrences
from launchkit.domain.hashtag.collisions import calendar_tags, fold
from launchkit.domain.schedule import ScheduleParse

__all__ = ["SameChat", "find_same_chats", "row_tag"]

# Long enough to tell "1st & 3rd Wednesday" from "every Wednesday", short enough to be cheap.
_COMPARE_WEEKS = 9
# rapidfuzz ratio (0-100) from which two chat names are the same name written differently.
_NEAR_NAME = 90
_STATUS_RANK = {"ok": 0, "partial": 1, "unparsed": 2}

Signature = frozenset[int]


@dataclass(frozen=True)
class SameChat:
    """How one row relates to other rows: a copy of `keeper`, or in conflict with `others`."""

    row: int
    kind: str  # "duplicate" or "conflict"
    keeper: int | None  # duplicate: the row to keep
    others: tuple[int, ...]  # the other rows of the same chat
    reason: str


def row_tag(entry: CalendarEntry) -> str | None:
    """The row's (first) hashtag with its '#', as written; None when the row has none."""
    tags = calendar_tags(entry.hashtag)
    return "#" + tags[0] if tags else None


def _signature(parse: ScheduleParse, start: datetime) -> Signature | None:
    found = occurrences(parse, start, start + timedelta(weeks=_COMPARE_WEEKS), exact=False)
    if not found:
        return None
    return frozenset(int(moment.timestamp()) // 60 for moment, _ in found)


def _completeness(entry: CalendarEntry, signature: Signature | None) -> tuple[int, int, int]:
    # The row to keep is the one that says most: a placeable time, a clean parse, then first.
    return (signature is None, _STATUS_RANK.get(entry.parse.status, 3), entry.row)


def _said(entry: CalendarEntry) -> str:
    return f'row {entry.row} says "{entry.schedule_text or "(no schedule)"}"'


def _tag_group(
    group: Sequence[CalendarEntry], signatures: dict[int, Signature | None], tag: str
) -> list[SameChat]:
    """Duplicates and conflicts among rows sharing one hashtag."""
    clusters: dict[Signature, list[CalendarEntry]] = {}
    for entry in group:
        sig = signatures[entry.row]
        if sig is not None:
            clusters.setdefault(sig, []).append(entry)
    ranked = sorted(group, key=lambda e: _completeness(e, signatures[e.row]))
    best = ranked[0]
    leaders = [min(c, key=lambda e: _completeness(e, signatures[e.row])) for c in clusters.values()]
    out: list[SameChat] = []
    if len(leaders) > 1:
        for leader in sorted(leaders, key=lambda e: e.row):
            others = tuple(sorted(e.row for e in leaders if e is not leader))
            said = "; ".join(_said(e) for e in sorted(leaders, key=lambda e: e.row))
            reason = f"{tag} is listed with {len(leaders)} different times: {said}"
            out.append(SameChat(leader.row, "conflict", None, others, reason))
    for entry in group:
        if entry in leaders and len(leaders) > 1:
            continue
        if entry is best:
            continue
        sig = signatures[entry.row]
        keeper = best
        if sig is not None and len(leaders) > 1:
            keeper = next(e for e in leaders if signatures[e.row] == sig)
        says_less = " and says less" if sig is None and signatures[keeper.row] is not None else ""
        reason = f"the same chat as row {keeper.row} ({tag}){says_less}"
        others = tuple(sorted(e.row for e in group if e is not entry))
        out.append(SameChat(entry.row, "duplicate", keeper.row, others, reason))
    return out


def _name_key(entry: CalendarEntry) -> str:
    return " ".join(fold(entry.name or "").replace("&", " and ").split())


def _near_names(
    entries: Sequence[CalendarEntry], signatures: dict[int, Signature | None], grouped: set[int]
) -> list[SameChat]:
    """Rows without a shared tag whose names nearly match and whose sessions coincide."""
    from rapidfuzz import fuzz

    by_time: dict[Signature, list[CalendarEntry]] = {}
    for entry in entries:
        sig = signatures[entry.row]
        if sig is not None and entry.name and entry.row not in grouped:
            by_time.setdefault(sig, []).append(entry)
    out: list[SameChat] = []
    for bucket in by_time.values():
        taken: set[int] = set()
        for i, first in enumerate(bucket):
            for second in bucket[i + 1 :]:
                if second.row in taken or first.row in taken:
                    continue
                first_tag, second_tag = row_tag(first), row_tag(second)
                if first_tag and second_tag and fold(first_tag) != fold(second_tag):
                    continue  # two tags at one hour: two chats, however alike their names
                if fuzz.ratio(_name_key(first), _name_key(second)) < _NEAR_NAME:
                    continue
                taken.add(second.row)
                reason = (
                    f'the same chat as row {first.row}: "{second.name}" is "{first.name}" '
                    "at the same time"
                )
                out.append(SameChat(second.row, "duplicate", first.row, (first.row,), reason))
    return out


def find_same_chats(entries: Sequence[CalendarEntry], today: date) -> dict[int, SameChat]:
    """Every row that duplicates another or conflicts with one, by row number."""
    start = datetime.combine(today, time(), UTC)
    # Rows repeat a few hundred distinct schedules (equal parses): place each one once.
    by_parse: dict[ScheduleParse, Signature | None] = {}
    signatures: dict[int, Signature | None] = {}
    for entry in entries:
        if entry.parse not in by_parse:
            by_parse[entry.parse] = _signature(entry.parse, start)
        signatures[entry.row] = by_parse[entry.parse]
    by_tag: dict[str, list[CalendarEntry]] = {}
    for entry in entries:
        tag = row_tag(entry)
        if tag:
            by_tag.setdefault(fold(tag), []).append(entry)
    found: dict[int, SameChat] = {}
    for group in by_tag.values():
        if len(group) > 1:
            tag = row_tag(group[0]) or ""
            for item in _tag_group(group, signatures, tag):
                found[item.row] = item
    grouped = {e.row for g in by_tag.values() if len(g) > 1 for e in g}
    for item in _near_names(entries, signatures, grouped):
        found.setdefault(item.row, item)
    return found
