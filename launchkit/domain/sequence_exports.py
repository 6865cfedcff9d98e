"""The scheduled sequence as files other tools read: iCalendar and Hootsuite's bulk CSV (pure).

`sequence.ics` has one VEVENT per post or email with a VALARM, so the host sees the plan in
any calendar app. `sequence.csv` follows Hootsuite's bulk-composer layout: no header row;
column A the date and time (we write the day-first `DD/MM/YYYY HH:mm` variant, 24-hour, in the
chat's zone — pick that format and zone when uploading), column B the message, column C an
optional link. Hootsuite only takes future times on a 5-minute mark, so past posts are left
out and other minutes are rounded down to the mark (listed in `problems`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from launchkit.domain.excerpt import first_words
from launchkit.domain.ics import escape_text, join_lines
from launchkit.domain.items import ItemRef

__all__ = ["ExportItem", "hootsuite_csv", "sequence_ics"]

ALARM_BEFORE = timedelta(minutes=10)
# An event title shows a post's first words; calendar apps cut longer titles themselves.
TITLE_WORDS_WIDTH = 60


@dataclass(frozen=True)
class ExportItem:
    """One planned post or email, as the exports need it."""

    ref: ItemRef
    text: str  # a post's text; an email's subject
    recipient: str | None = None
    state: str = "planned"
    url: str | None = None  # the sent post's link


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _summary(hashtag: str, item: ExportItem) -> str:
    if item.ref.channel == "email":
        return f"{hashtag}: email {item.recipient or ''} — {item.text}"
    return f"{hashtag}: post — {first_words(item.text, TITLE_WORDS_WIDTH)}"


def sequence_ics(hashtag: str, items: Sequence[ExportItem], dtstamp: datetime) -> str:
    """A VCALENDAR with one 5-minute VEVENT (and a display alarm) per item."""
    uid_host = hashtag.lstrip("#＃").lower() + ".launchkit"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//launchkit//sequence//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(hashtag + ' announcement sequence')}",
    ]
    for item in items:
        description = item.text + (f"\n{item.url}" if item.url else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.ref.key.replace('|', '-')}@{uid_host}",
            f"DTSTAMP:{_stamp(dtstamp)}",
            f"DTSTART:{_stamp(item.ref.due_utc)}",
            "DURATION:PT5M",
            f"SUMMARY:{escape_text(_summary(hashtag, item))}",
            f"DESCRIPTION:{escape_text(description)}",
            f"STATUS:{'CANCELLED' if item.state == 'cancelled' else 'CONFIRMED'}",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{escape_text(_summary(hashtag, item))}",
            f"TRIGGER:-PT{int(ALARM_BEFORE.total_seconds() // 60)}M",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return join_lines(lines)


def hootsuite_csv(
    items: Sequence[ExportItem], zone_name: str, now: datetime
) -> tuple[str, list[str]]:
    """Hootsuite bulk-upload rows for the unsent future posts; also what had to be adjusted."""
    zone = ZoneInfo(zone_name)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    problems: list[str] = []
    for item in items:
        ref = item.ref
        if ref.channel != "x" or item.state in ("sent", "cancelled") or ref.due_utc <= now:
            continue
        local = ref.due_utc.astimezone(zone)
        if local.minute % 5:
            rounded = local - timedelta(minutes=local.minute % 5)
            problems.append(f"{ref.key}: {local:%H:%M} rounded to {rounded:%H:%M} for Hootsuite")
            local = rounded
        writer.writerow([local.strftime("%d/%m/%Y %H:%M"), item.text, ""])
    return buffer.getvalue(), problems
