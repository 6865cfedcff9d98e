"""Free-text chat schedules ("1st & 3rd Wed 9-10pm ET") read into RRULE sessions and a zone.

Public entry points: `parse_schedule` and `render_schedule`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from launchkit.domain.schedule.model import ScheduleParse, SessionRule, Status, session_json
from launchkit.domain.schedule.parse import read_schedule
from launchkit.domain.schedule.render import render_schedule
from launchkit.domain.zone_names import REGIONAL
from launchkit.domain.zones import regions_of

__all__ = [
    "ScheduleParse",
    "SessionRule",
    "Status",
    "context_regions",
    "parse_schedule",
    "reads_context",
    "render_schedule",
    "session_json",
]

# Real schedule cells are a sentence or two; a longer text is read only this far so a
# pasted page (or 10 MB of junk) cannot stall a calendar parse.
MAX_SCAN_CHARS = 2000
_REGIONAL_RE = re.compile(r"\b(?:" + "|".join(REGIONAL) + r")\b", re.IGNORECASE)
# The same for ASCII text once lower-cased (no case folding to try: several times faster);
# all of them end in "ST", so a text without "st" needs no scan at all.
_REGIONAL_LOWER_RE = re.compile(r"\b(?:" + "|".join(REGIONAL).lower() + r")\b")
_ALL_END_IN_ST = all(abbreviation.endswith("ST") for abbreviation in REGIONAL)


def parse_schedule(text: str, tz_hint: str | None = None, context: str = "") -> ScheduleParse:
    """Read a schedule text.

    `tz_hint` is a separate timezone column or a header's zone, used when the text names no
    zone. `context` is the rest of the row (chat name, topic, link, hosts): where it places
    the chat settles abbreviations that depend on the country ("IST" on an Indian chat).
    """
    truncated = len(text) > MAX_SCAN_CHARS
    cut = text[:MAX_SCAN_CHARS]
    return _parse_cached(cut, tz_hint, context_regions(cut, context), truncated)


def context_regions(text: str, context: str = "") -> frozenset[str]:
    """What of a row's context can change how its schedule reads: the regions its words name,
    when the schedule has an abbreviation that depends on them (else nothing)."""
    if not _has_regional(text):
        return frozenset()
    return regions_of(f"{text} {context}" if context else text)


def reads_context(text: str) -> bool:
    """Whether a row's context can change how `text` reads (`parse_schedule` gives the same
    answer for every context when it cannot)."""
    return _has_regional(text) or (
        len(text) > MAX_SCAN_CHARS and _has_regional(text[:MAX_SCAN_CHARS])
    )


@lru_cache(maxsize=65536)
def _has_regional(text: str) -> bool:
    # A calendar repeats its schedules: looked up once per distinct text.
    if not text.isascii():
        return _REGIONAL_RE.search(text) is not None
    lower = text.lower()
    return ("st" in lower or not _ALL_END_IN_ST) and _REGIONAL_LOWER_RE.search(lower) is not None


@lru_cache(maxsize=8192)
def _parse_cached(
    text: str, tz_hint: str | None, regions: frozenset[str], truncated: bool
) -> ScheduleParse:
    result = read_schedule(text, tz_hint, regions)
    if not truncated:
        return result
    problem = f"only the first {MAX_SCAN_CHARS} characters were read"
    status = "partial" if result.status == "ok" else result.status
    return ScheduleParse(status, result.tz, result.sessions, (*result.problems, problem))
