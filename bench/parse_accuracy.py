"""Score the schedule parser on the development calendar (tests/data/calendar_dev), then on
50,000 generated phrasings with known answers (tests/phrasings): none may be confidently wrong.

Usage: python bench/parse_accuracy.py [DATA_DIR] [--show N]
DATA_DIR defaults to tests/data/calendar_dev (real rows with their labels and scorer).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from launchkit.domain.schedule import parse_schedule

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "calendar_dev"
# Generated phrasings with known answers judged here; `make test` tries a few hundred.
GENERATED = 50_000


def main(argv: list[str]) -> int:
    """Parse calendar_dev.csv, write the --json output, run the official scorer."""
    show = argv[argv.index("--show") + 1] if "--show" in argv else None
    rest = [a for i, a in enumerate(argv) if a != "--show" and (i == 0 or argv[i - 1] != "--show")]
    data = Path(rest[0]) if rest else DEFAULT_DATA
    with open(data / "calendar_dev.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    began = time.perf_counter()
    out = []
    for number, row in enumerate(rows, start=1):
        text = row.get("schedule") or ""
        result = parse_schedule(text, tz_hint=row.get("timezone") or None)
        out.append(
            result.to_json(number, row.get("hashtag") or None, row.get("name") or None, text)
        )
    elapsed = time.perf_counter() - began
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False)
        output = f.name
    command = [
        sys.executable,
        str(data / "score_parse.py"),
        str(data / "calendar_dev_labels.jsonl"),
        output,
    ]
    if show:
        command += ["--show", show]
    scored = subprocess.run(command, capture_output=True, text=True, check=False)
    print(scored.stdout, end="")
    print(scored.stderr, end="", file=sys.stderr)
    print(f"parsed {len(rows)} rows in {elapsed * 1000:.1f} ms; output {output}")
    # The same figures through the command a user runs (column mapping, zone column, JSON).
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "launchkit",
            "calendar",
            "parse",
            str(data / "calendar_dev.csv"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        f.write(cli.stdout)
    scored = subprocess.run([*command[:3], f.name], capture_output=True, text=True, check=False)
    print("via `launchkit calendar parse --json`: " + scored.stdout, end="")
    return generated(GENERATED)


def generated(n: int) -> int:
    """Parse `n` generated phrasings with known answers; count the confidently wrong (must
    be 0), the right and the ones left partial (tests/phrasings)."""
    from tests.phrasings import phrasings
    from tests.phrasings.judge import judge

    verdicts: Counter[tuple[str, bool]] = Counter()
    began = time.perf_counter()
    for p in phrasings(n, seed=2027):
        verdicts[judge(p, parse_schedule(p.text, p.tz_hint, p.context)), p.certain] += 1
    elapsed = time.perf_counter() - began
    wrong = verdicts["confidently wrong", True] + verdicts["confidently wrong", False]
    certain = sum(v for (_, sure), v in verdicts.items() if sure)
    print(
        f"generated phrasings: {n:,} in {elapsed:.1f} s; confidently wrong {wrong} (target 0); "
        f"fully stated read exactly {verdicts['right', True] / certain:.3f} "
        f"({verdicts['right', True]}/{certain}); not fully stated left partial "
        f"{verdicts['not ok', False]}/{n - certain}"
    )
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
