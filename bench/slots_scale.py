"""Slot search at scale: 10,000 sampled calendar chats, 12 weeks, 30-minute step, 7 days x 10 h.

Figures: the search alone (calendar already parsed; in-process, after a warm-up, so rule
expansions are cached as they are on a second search of the same calendar), the same search
from a cold expansion cache, and the whole `launchkit slots ... --json` command.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from datetime import date

from _common import LAUNCHKIT, PYTHON, REPO, report_value, sample_calendar, time_funcs

N_CHATS = 10_000
ARGS = [
    "--tz", "America/New_York", "--hours", "12:00-22:00", "--weeks", "12", "--step", "30",
    "--from", "2027-03-01", "--topic", "education teachers", "--json",
]  # fmt: skip


def main() -> int:
    # Run against this checkout even when launchkit is not pip-installed.
    sys.path.insert(0, str(REPO))
    from launchkit.adapters.calendar_source import read_calendar
    from launchkit.commands.slots import build_query, search
    from launchkit.domain.calendars.occurrences import expand_rule
    from launchkit.settings import load_settings

    path = sample_calendar(N_CHATS)
    entries = read_calendar(str(path), load_settings()).entries
    query = build_query(
        tz="America/New_York", first_day=date(2027, 3, 1), hours="12:00-22:00", weeks=12,
        step=30, topic="education teachers",
    )  # fmt: skip
    found = search(entries, query)
    print(
        f"{found.chats} chats, {found.placed} placed, {found.sessions} sessions, "
        f"{found.candidates} starts considered, {found.in_window} in the window",
        flush=True,
    )
    warm = time_funcs(lambda: search(entries, query), runs=9)
    report_value(
        "slots search (parsed calendar, warm cache), median", warm.a_median, "s", "< 0.5 s"
    )
    cold = []
    for _ in range(5):
        expand_rule.cache_clear()
        start = time.perf_counter()
        search(entries, query)
        cold.append(time.perf_counter() - start)
    report_value("slots search (cold expansion cache), median", statistics.median(cold), "s", "-")
    cmd = [LAUNCHKIT, "slots", "--calendar", str(path), *ARGS]
    if not os.path.exists(LAUNCHKIT):
        cmd = [PYTHON, "-m", "launchkit", "slots", "--calendar", str(path), *ARGS]
    whole = time_funcs(
        lambda: subprocess.run(cmd, capture_output=True, check=True, cwd=REPO), runs=5
    )
    report_value("launchkit slots --json (whole command), median", whole.a_median, "s", "-")
    return 0


if __name__ == "__main__":
    sys.exit(main())
