"""Hashtag check at calendar scale (100,000 rows).

1. `launchkit hashtag check '#NewTag' --calendar big.csv --json` against
   `launchkit calendar parse big.csv --json`, whole process against whole process: the
   difference is what checking adds on top of reading and parsing the calendar.
2. In one process: the share of a check spent outside loading the calendar.
3. The collision search alone (all kinds) over 100,000 tags, after a warm-up (target < 100 ms).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

from _common import (
    LAUNCHKIT,
    PYTHON,
    REPO,
    report,
    report_value,
    sample_calendar,
    time_commands,
    time_funcs,
)

ROWS = 100_000
# The console script may not be installed in a development venv; the module always is.
CLI = [LAUNCHKIT] if Path(LAUNCHKIT).exists() else [PYTHON, "-m", "launchkit"]


def main() -> None:
    # launchkit may not be installed in the venv: import it from this checkout.
    sys.path.insert(0, str(REPO))
    big = sample_calendar(ROWS)
    os.environ.pop("LAUNCHKIT_CALENDAR", None)
    comp = time_commands(
        [*CLI, "hashtag", "check", "#NewTag", "--calendar", str(big), "--json"],
        [*CLI, "calendar", "parse", str(big), "--json"],
        runs=5,
        cwd=REPO,
    )
    report("hashtag check 100k rows (CLI)", comp, "close to 1x", ref_name="calendar parse")

    from launchkit.adapters.calendar_source import read_calendar
    from launchkit.commands import hashtag as cmd
    from launchkit.domain.hashtag.collisions import find_collisions
    from launchkit.settings import load_settings

    settings = load_settings()
    inproc = time_funcs(
        lambda: cmd.check(["#NewTag"], read_calendar(str(big), settings), today=date.today()),
        lambda: read_calendar(str(big), settings),
        runs=3,
    )
    report("hashtag check 100k rows (in-process)", inproc, "close to 1x", ref_name="read_calendar")
    outside = 1 - inproc.b_median / inproc.a_median
    report_value("hashtag check: share outside reading/parsing", outside * 100, "%", "small")

    entries = read_calendar(str(big), settings).entries
    start = time.perf_counter()
    index = cmd.tag_index(entries)
    report_value(
        f"build_index {len(index.keys)} distinct tags",
        (time.perf_counter() - start) * 1000,
        "ms",
        "once per run",
    )
    keys = index.keys
    for tag in ("#NewTag", "#IndieDevHour", "#edchat", "#hcsm"):
        found = len(find_collisions(tag, index))
        # Reference: one bare Python pass over the same tags (what any pure-Python pairwise
        # comparison costs at the very least, before computing a single edit distance).
        search = time_funcs(
            lambda t=tag: find_collisions(t, index),  # type: ignore[misc]
            lambda t=tag: [k for k in keys if len(k) == len(t)],  # type: ignore[misc]
            runs=7,
        )
        report(
            f"collision search {tag} over {len(keys)} tags ({found} collisions)",
            search,
            "< 100 ms",
            ref_name="one Python pass",
        )
    load1, load5, _ = os.getloadavg()
    print(f"load average while measuring: {load1:.1f} (1 min), {load5:.1f} (5 min)", flush=True)


if __name__ == "__main__":
    main()
