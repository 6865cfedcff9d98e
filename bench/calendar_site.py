"""The calendar site at 10,000 chats: building it, and the page in headless Chromium.

Figures:
- `launchkit calendar site big.csv --out DIR` as a whole process, into a new folder each run
  and again into the same folder (a daily rebuild: unchanged calendar files are left alone),
  against reading the same file with pandas (target: under 3 s);
- first rows on screen after navigation (the page's `lk-first-rows` performance mark), against
  the same page with its script left out (its `domContentLoadedEventEnd`): target under 1 s;
- a search keystroke until the list is updated (`lk-filter`, from the input event's time
  stamp) and until the next frame is painted (`lk-filter-painted`), against a keystroke in a
  bare search box with an empty listener: target under 100 ms.

The browser figures use Debian's chromium (/usr/bin/chromium) through Playwright; without it
they are skipped with a line saying so.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
from pathlib import Path

from _common import LAUNCHKIT, PYTHON, REPO, WORK, Comparison, report, sample_calendar

N_CHATS = 10_000
RUNS = 7
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
KEYS = ["b", "o", "o", "k", "Backspace", "Backspace", "Backspace", "Backspace", "e", "d"]
BARE = (
    "<!doctype html><input type=search id=q><script>document.getElementById('q')"
    ".addEventListener('input', ev => { const t = ev.timeStamp; "
    "performance.measure('lk-filter', {start: t, end: performance.now()}); "
    "requestAnimationFrame(() => setTimeout(() => "
    "performance.measure('lk-filter-painted', {start: t}), 0)); });</script>"
)


def build(big: Path, out: Path | None) -> Comparison:
    """Time the build into `out` (a rebuild), or each time into a new folder (None)."""
    from _common import time_commands

    launchkit = LAUNCHKIT if os.path.exists(LAUNCHKIT) else f"{PYTHON} -m launchkit"
    where = str(out) if out else f"$(mktemp -d -p {WORK} fresh-site-XXXXXX)"
    site = f"{launchkit} calendar site {big} --out {where} > /dev/null"
    read = [PYTHON, "-c", "import pandas, sys; pandas.read_csv(sys.argv[1], dtype=str)", str(big)]
    try:
        return time_commands(site, read, runs=5, cwd=REPO)
    finally:
        for fresh in WORK.glob("fresh-site-*"):
            shutil.rmtree(fresh, ignore_errors=True)


def in_process(big: Path, out: Path) -> Comparison:
    """The build alone (calendar read and parsed, site written), after the imports."""
    from datetime import UTC, datetime

    import pandas
    from _common import time_funcs

    from launchkit.adapters.calendar_source import read_calendar
    from launchkit.commands.calendar_site import build_site
    from launchkit.settings import load_settings

    def site() -> None:
        build_site(read_calendar(str(big), load_settings()), out, datetime.now(UTC))

    return time_funcs(site, lambda: pandas.read_csv(big, dtype=str), runs=5)


def _first_rows(page, url: str) -> float:  # type: ignore[no-untyped-def]
    page.goto(url)
    return float(page.evaluate("performance.getEntriesByName('lk-first-rows')[0].startTime"))


def _loaded(page, url: str) -> float:  # type: ignore[no-untyped-def]
    page.goto(url)
    return float(
        page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    )


def _keystrokes(page, url: str) -> tuple[list[float], list[float]]:  # type: ignore[no-untyped-def]
    page.goto(url)
    page.focus("input[type=search]")
    for key in KEYS:
        page.keyboard.press(key)
        page.wait_for_function(
            "n => performance.getEntriesByName('lk-filter-painted').length >= n", arg=1
        )
        page.wait_for_timeout(30)
    page.wait_for_function(
        "n => performance.getEntriesByName('lk-filter-painted').length >= n", arg=len(KEYS)
    )
    return tuple(  # type: ignore[return-value]
        page.evaluate(f"performance.getEntriesByName('{name}').map(e => e.duration)")
        for name in ("lk-filter", "lk-filter-painted")
    )


def browser_figures(site: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_url = (site / "index.html").as_uri()
    html = (site / "index.html").read_text(encoding="utf-8")
    start = html.index("<script>\n")
    bare_page = WORK / "site_without_script.html"
    bare_page.write_text(html[:start] + "</body></html>\n", encoding="utf-8")
    bare_input = WORK / "bare_input.html"
    bare_input.write_text(BARE, encoding="utf-8")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(timezone_id="America/New_York", locale="en-US")
        page = context.new_page()
        _first_rows(page, page_url)  # warm-up
        _loaded(page, bare_page.as_uri())
        shown, plain = [], []
        for _ in range(RUNS):
            shown.append(_first_rows(page, page_url) / 1000)
            plain.append(_loaded(page, bare_page.as_uri()) / 1000)
        report(
            f"site page, {N_CHATS:,} chats: first rows after navigation",
            Comparison(shown, plain),
            "< 1 s",
            ref_name="the page without its script",
        )
        _keystrokes(page, page_url)  # warm-up
        typed, painted = _keystrokes(page, page_url)
        bare_typed, bare_painted = _keystrokes(page, bare_input.as_uri())
        for name, a, b in (
            ("list updated", typed, bare_typed),
            ("next frame painted", painted, bare_painted),
        ):
            report(
                f"site page, {N_CHATS:,} chats: search keystroke to {name}",
                Comparison([x / 1000 for x in a], [x / 1000 for x in b]),
                "< 0.100 s",
                ref_name="a bare search box",
            )
        print(
            f"site page size: {(site / 'index.html').stat().st_size / 1e6:.1f} MB, "
            f"keystroke medians {statistics.median(typed):.1f} ms / "
            f"{statistics.median(painted):.1f} ms",
            flush=True,
        )
        browser.close()


def main() -> int:
    sys.path.insert(0, str(REPO))
    big = sample_calendar(N_CHATS)
    out = WORK / f"site_{N_CHATS}"
    report(
        f"calendar site {N_CHATS:,} chats, into an empty folder",
        build(big, None),
        "< 3 s",
        ref_name="pandas.read_csv",
    )
    report(
        f"calendar site {N_CHATS:,} chats, rebuilt (calendar files unchanged)",
        build(big, out),
        "< 3 s",
        ref_name="pandas.read_csv",
    )
    report(
        f"calendar site {N_CHATS:,} chats, rebuilt in process (imports done)",
        in_process(big, out),
        "< 3 s",
        ref_name="pandas.read_csv in process",
    )
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        print("site page figures skipped: no chromium (make browser installs it)", flush=True)
        return 0
    try:
        import playwright  # noqa: F401
    except ImportError:
        print("site page figures skipped: playwright is not installed", flush=True)
        return 0
    browser_figures(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
