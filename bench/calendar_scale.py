"""Calendar parse at scale: `launchkit calendar parse big.csv --json` on 100,000 rows against
just reading the file with pandas (target <= 5x), and its peak memory (< 500 MB),
of its largest process and of all its processes together (it may read on forked workers).

The rows are generated phrasings (tests/phrasings), so most schedules are distinct, as in a
real calendar: a sample of a few hundred real phrasings would let the parse cache hide what
parsing costs. The share of distinct schedules is printed with the figures (target >= 50%).
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from statistics import mean

from _common import (
    LAUNCHKIT,
    PYTHON,
    REPO,
    WORK,
    dev_rows,
    peak_rss_mb,
    report,
    report_value,
    time_commands_cpu,
)

sys.path.insert(0, str(REPO))

from tests.phrasings import CALENDAR_MIX, Phrasing, phrasing

ROWS = 100_000
# Popular schedules repeat ("Tuesdays 8pm ET"): this share of rows reuses an earlier one.
REPEATED = 0.48
# Calendar cells are mostly short: remarks and filler on one row in five, and each row as
# long as a real cell (up to this many tries to find one).
REMARKS = 0.2
TRIES = 8


def _cell(rnd: random.Random, lengths: list[int]) -> Phrasing:
    """A generated phrasing about as long as a real calendar cell drawn at random: the
    generator writes every kind at length, real cells are mostly short."""
    want = rnd.choice(lengths)
    best = phrasing(rnd, REMARKS, CALENDAR_MIX)
    for _ in range(TRIES):
        if abs(len(best.text) - want) <= 5:
            break
        p = phrasing(rnd, REMARKS, CALENDAR_MIX)
        if abs(len(p.text) - want) < abs(len(best.text) - want):
            best = p
    return best


def write_calendar(rows: int, seed: int = 7) -> tuple[str, float, float]:
    """A calendar of generated rows (fixed seed): its path, its share of distinct schedules
    and their mean length in characters."""
    path = WORK / f"calendar_generated_{rows}.csv"
    rnd = random.Random(seed)
    lengths = [len(r["schedule"]) for r in dev_rows() if r["schedule"].strip()]
    written: list[list[str]] = []
    for i in range(rows):
        if written and rnd.random() < REPEATED:
            row = list(rnd.choice(written))
            row[0] = f"#chat{i}"
        else:
            p = _cell(rnd, lengths)
            row = [f"#chat{i}", f"Chat {i}", p.text, p.tz_hint or "", p.context or "education"]
        written.append(row)
    # Written every run: the generator may have changed since the last one.
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["hashtag", "name", "schedule", "timezone", "topic"])
        out.writerows(written)
    distinct = {r[2] for r in written}
    return str(path), len(distinct) / rows, sum(map(len, distinct)) / len(distinct)


def _tree_pss_kb(pid: int) -> int:
    """Proportional set size of a process and its descendants (shared pages split between
    the processes that share them, so forked workers are not counted twice)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _tree_pss_kb(int(child))
    except OSError:
        pass  # the process ended while being looked at
    return total


def peak_tree_pss_mb(cmd: str) -> float | None:
    """Peak memory of a command with every process it forks (sampled every 20 ms): the
    largest process alone understates a parse that reads on worker processes. None where
    /proc has no smaps_rollup (not Linux)."""
    if not Path("/proc/self/smaps_rollup").exists():
        return None
    child = subprocess.Popen(cmd, shell=True, cwd=REPO, stdout=subprocess.DEVNULL)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_pss_kb(child.pid))
        time.sleep(0.02)
    return peak / 1024


def main() -> None:
    big, distinct, length = write_calendar(ROWS)
    # The console script exists once launchkit is pip-installed; in a bare checkout the
    # module form runs the same code.
    cmd = [LAUNCHKIT] if os.path.exists(LAUNCHKIT) else [PYTHON, "-m", "launchkit"]
    parse = f"{' '.join(cmd)} calendar parse {big} --json > /dev/null"
    read = [PYTHON, "-c", "import pandas, sys; pandas.read_csv(sys.argv[1], dtype=str)", big]
    report_value(f"calendar parse {ROWS:,} rows: distinct schedules", distinct * 100, "%", ">= 50%")
    dev = [r["schedule"] for r in dev_rows() if r["schedule"].strip()]
    report_value(
        f"calendar parse {ROWS:,} rows: mean schedule length (dev set {mean(map(len, dev)):.0f})",
        length,
        "chars",
        "as long as real cells or longer",
    )
    rss = peak_rss_mb(parse, cwd=REPO)
    wall, cpu = time_commands_cpu(parse, read, runs=5, cwd=REPO)
    report(f"calendar parse {ROWS:,} rows --json", wall, "<= 5x", ref_name="pandas.read_csv")
    report(f"calendar parse {ROWS:,} rows --json (CPU)", cpu, "<= 5x", ref_name="pandas.read_csv")
    largest = f"calendar parse {ROWS:,} rows peak memory (largest process)"
    report_value(largest, rss, "MB", "< 500 MB")
    tree = peak_tree_pss_mb(parse)
    if tree is not None:
        report_value(
            f"calendar parse {ROWS:,} rows peak memory with its workers (PSS)",
            tree,
            "MB",
            "< 500 MB",
        )


if __name__ == "__main__":
    main()
