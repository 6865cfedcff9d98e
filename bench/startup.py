"""Start-up time: `launchkit --help` against `python -c "import typer"` (target <= 1.5x)."""

from __future__ import annotations

from _common import LAUNCHKIT, PYTHON, report, time_commands


def main() -> None:
    comp = time_commands([LAUNCHKIT, "--help"], [PYTHON, "-c", "import typer"], runs=11)
    report("startup launchkit --help", comp, "<= 1.5x", ref_name="import typer")


if __name__ == "__main__":
    main()
