"""Calendar parse at scale: `launchkit calendar parse big.csv --json` on 100,000 rows against
just reading the file with pandas (target <= 5x), and its peak memory (< 500 MB).

The rows are generated phrasings (tests/phrasings), so most schedules are distinct, as in a
real calendar: a sample of a few hundred real phrasings would let the parse cache hide what
parsing costs. The share of distinct schedules is printed with the figures (target >= 50%).
"""

from __future__ import annotations

import csv
import os
import random
import sys

from _common import LAUNCHKIT, PYTHON, REPO, WORK, peak_rss_mb, report, report_value

sys.path.insert(0, str(REPO))

from tests.phrasings import phrasing

ROWS = 100_000
# Popular schedules repeat ("Tuesdays 8pm ET"): this share of rows reuses an earlier one.
REPEATED = 0.4


def write_calendar(rows: int, seed: int = 7) -> tuple[str, float]:
    """A calendar of generated rows (fixed seed); its path and its share of distinct schedules."""
    path = WORK / f"calendar_generated_{rows}.csv"
    rnd = random.Random(seed)
    written: list[list[str]] = []
    for i in range(rows):
        if written and rnd.random() < REPEATED:
            row = list(rnd.choice(written))
            row[0] = f"#chat{i}"
        else:
            p = phrasing(rnd)
            row = [f"#chat{i}", f"Chat {i}", p.text, p.tz_hint or "", p.context or "education"]
        written.append(row)
    # Written every run: the generator may have changed since the last one.
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["hashtag", "name", "schedule", "timezone", "topic"])
        out.writerows(written)
    return str(path), len({r[2] for r in written}) / rows


def main() -> None:
    big, distinct = write_calendar(ROWS)
    # The console script exists once launchkit is pip-installed; in a bare checkout the
    # module form runs the same code.
    cmd = [LAUNCHKIT] if os.path.exists(LAUNCHKIT) else [PYTHON, "-m", "launchkit"]
    parse = f"{' '.join(cmd)} calendar parse {big} --json > /dev/null"
    read = [PYTHON, "-c", "import pandas, sys; pandas.read_csv(sys.argv[1], dtype=str)", big]
    report_value(f"calendar parse {ROWS:,} rows: distinct schedules", distinct * 100, "%", ">= 50%")
    rss = peak_rss_mb(parse, cwd=REPO)
    comp = time_it(parse, read)
    report(f"calendar parse {ROWS:,} rows --json", comp, "<= 5x", ref_name="pandas.read_csv")
    report_value(f"calendar parse {ROWS:,} rows peak memory", rss, "MB", "< 500 MB")


def time_it(parse: str, read: list[str]):  # type: ignore[no-untyped-def]
    from _common import time_commands

    return time_commands(parse, read, runs=5, cwd=REPO)


if __name__ == "__main__":
    main()
