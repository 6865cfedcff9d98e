"""Shared helpers for the benchmarks (how we measure: bench/README.md).

Every figure is a ratio against a reference run side by side on the same machine: the two
commands alternate (A B A B ...) after one warm-up, and we report both medians, their
min-max ranges and the median of the pairwise ratios.
"""

from __future__ import annotations

import csv
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV_CSV = REPO / "tests" / "data" / "calendar_dev" / "calendar_dev.csv"
WORK = REPO / "bench" / "_work"
VENV_BIN = Path(sys.executable).parent
LAUNCHKIT = str(VENV_BIN / "launchkit")
PYTHON = sys.executable


@dataclass(frozen=True)
class Comparison:
    """Timings of A against a reference B (seconds)."""

    a: list[float]
    b: list[float]

    @property
    def a_median(self) -> float:
        return statistics.median(self.a)

    @property
    def b_median(self) -> float:
        return statistics.median(self.b)

    @property
    def ratio(self) -> float:
        return statistics.median(x / y for x, y in zip(self.a, self.b, strict=True))


def _run_both(cmd: Sequence[str] | str, cwd: Path | None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        cmd,
        shell=isinstance(cmd, str),
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _run(cmd: Sequence[str] | str, cwd: Path | None) -> float:
    return _run_both(cmd, cwd)[0]


def time_commands(
    a: Sequence[str] | str, b: Sequence[str] | str, runs: int = 7, cwd: Path | None = None
) -> Comparison:
    """Time two whole commands alternately (after one warm-up of each)."""
    return time_commands_cpu(a, b, runs, cwd)[0]


def time_commands_cpu(
    a: Sequence[str] | str, b: Sequence[str] | str, runs: int = 7, cwd: Path | None = None
) -> tuple[Comparison, Comparison]:
    """Wall and CPU comparisons of two whole commands run alternately (after one warm-up of
    each). On a shared machine the wall clock also counts waiting for a core; CPU does not."""
    _run(a, cwd)
    _run(b, cwd)
    pairs = [(_run_both(a, cwd), _run_both(b, cwd)) for _ in range(runs)]
    wall = Comparison([x[0] for x, _ in pairs], [y[0] for _, y in pairs])
    cpu = Comparison([x[1] for x, _ in pairs], [y[1] for _, y in pairs])
    return wall, cpu


def time_funcs(
    a: Callable[[], object], b: Callable[[], object] | None = None, runs: int = 7
) -> Comparison:
    """Time two in-process callables alternately after a warm-up (b defaults to a no-op)."""
    ref = b or (lambda: None)
    a()
    ref()
    ta, tb = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        a()
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        ref()
        tb.append(time.perf_counter() - t0)
    return Comparison(ta, tb)


def peak_rss_mb(cmd: Sequence[str] | str, cwd: Path | None = None) -> float:
    """Peak resident memory of a child process, in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    _run(cmd, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all waited-for children, so run this one first
    # in a fresh process (run_all runs each bench script in its own process).
    return max(after, before) / 1024


def _rng(lo: float, hi: float) -> str:
    return f"{lo:.3f}-{hi:.3f}"


def report(name: str, comp: Comparison, target: str, ref_name: str = "reference") -> str:
    """One line: name, both medians with ranges, the ratio and the target."""
    line = (
        f"{name}: {comp.a_median:.3f} s [{_rng(min(comp.a), max(comp.a))}] vs {ref_name} "
        f"{comp.b_median:.3f} s [{_rng(min(comp.b), max(comp.b))}], "
        f"ratio {comp.ratio:.2f}x (target {target})"
    )
    print(line, flush=True)
    return line


def report_value(name: str, value: float, unit: str, target: str) -> str:
    """One line for an absolute figure (a median time or a peak memory)."""
    line = f"{name}: {value:.3f} {unit} (target {target})"
    print(line, flush=True)
    return line


def dev_rows() -> list[dict[str, str]]:
    """The real rows of the development calendar."""
    with DEV_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sample_calendar(n: int, seed: int = 7, path: Path | None = None) -> Path:
    """Write an n-row calendar sampled (fixed seed) from the dev set's real phrasings."""
    path = path or WORK / f"calendar_{n}.csv"
    if path.is_file():
        return path
    rows = dev_rows()
    rnd = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["hashtag", "name", "schedule", "timezone", "topic"])
        for i in range(n):
            r = rnd.choice(rows)
            tag = (r["hashtag"] or "#chat") + (str(i) if i >= len(rows) else "")
            out.writerow([tag, r["name"], r["schedule"], r["timezone"], r["topic"]])
    tmp.replace(path)
    return path
