"""Calendar parse at scale: `launchkit calendar parse big.csv --json` on 100,000 sampled rows
against just reading the file with pandas (target <= 5x), and its peak memory (< 500 MB)."""

from __future__ import annotations

import os

from _common import LAUNCHKIT, PYTHON, REPO, peak_rss_mb, report, report_value, sample_calendar

ROWS = 100_000


def main() -> None:
    big = sample_calendar(ROWS, seed=7)
    # The console script exists once launchkit is pip-installed; in a bare checkout the
    # module form runs the same code.
    cmd = [LAUNCHKIT] if os.path.exists(LAUNCHKIT) else [PYTHON, "-m", "launchkit"]
    parse = f"{' '.join(cmd)} calendar parse {big} --json > /dev/null"
    read = [PYTHON, "-c", "import pandas, sys; pandas.read_csv(sys.argv[1], dtype=str)", str(big)]
    rss = peak_rss_mb(parse, cwd=REPO)
    comp = time_it(parse, read)
    report(f"calendar parse {ROWS:,} rows --json", comp, "<= 5x", ref_name="pandas.read_csv")
    report_value(f"calendar parse {ROWS:,} rows peak memory", rss, "MB", "< 500 MB")


def time_it(parse: str, read: list[str]):  # type: ignore[no-untyped-def]
    from _common import time_commands

    return time_commands(parse, read, runs=5, cwd=REPO)


if __name__ == "__main__":
    main()
