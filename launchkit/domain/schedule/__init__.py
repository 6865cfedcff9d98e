"""Free-text chat schedules ("1st & 3rd Wed 9-10pm ET") read into RRULE sessions and a zone.

Public entry points: `parse_schedule` and `render_schedule`.
"""

from __future__ import annotations

from functools import lru_cache

from launchkit.domain.schedule.model import ScheduleParse, SessionRule, Status
from launchkit.domain.schedule.parse import read_schedule
from launchkit.domain.schedule.render import render_schedule

__all__ = ["ScheduleParse", "SessionRule", "Status", "parse_schedule", "render_schedule"]

# Real schedule cells are a sentence or two; a longer text is read only this far so a
# pasted page (or 10 MB of junk) cannot stall a calendar parse.
MAX_SCAN_CHARS = 2000


def parse_schedule(text: str, tz_hint: str | None = None) -> ScheduleParse:
    """Read a schedule text; `tz_hint` is a separate timezone column or a header's zone,
    used when the text names no zone."""
    truncated = len(text) > MAX_SCAN_CHARS
    return _parse_cached(text[:MAX_SCAN_CHARS], tz_hint, truncated)


@lru_cache(maxsize=8192)
def _parse_cached(text: str, tz_hint: str | None, truncated: bool) -> ScheduleParse:
    result = read_schedule(text, tz_hint)
    if not truncated:
        return result
    problem = f"only the first {MAX_SCAN_CHARS} characters were read"
    status = "partial" if result.status == "ok" else result.status
    return ScheduleParse(status, result.tz, result.sessions, (*result.problems, problem))
