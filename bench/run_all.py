"""Run every benchmark script in bench/ (each in its own process) and print its figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = sorted(p for p in HERE.glob("*.py") if not p.name.startswith(("_", "run_all")))
    failed = 0
    for script in scripts:
        print(f"# {script.name}", flush=True)
        done = subprocess.run([sys.executable, str(script)], cwd=HERE)
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
