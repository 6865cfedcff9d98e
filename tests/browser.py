"""Headless Chromium for the page tests: Debian's `chromium` driven by Playwright's Python API.

Playwright's own browser download is not used (and not reachable here): the browser is the
system one at /usr/bin/chromium, which `make test` installs with apt-get when it runs as
root. Without it the browser tests are skipped with one line saying how to enable them,
unless LAUNCHKIT_REQUIRE_BROWSER=1 (set by .ci/run), which makes a missing browser an error.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path(os.environ.get("LAUNCHKIT_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
HOW_TO_ENABLE = (
    f"browser tests need headless Chromium at {CHROMIUM}: run `make browser` "
    "(apt-get install chromium, as root) to enable them"
)


def skip_without_chromium() -> None:
    """Skip the calling test module when Chromium or Playwright is missing (fail in CI)."""
    missing = not CHROMIUM.exists()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = True
    if not missing:
        return
    if os.environ.get("LAUNCHKIT_REQUIRE_BROWSER") == "1":
        raise RuntimeError(HOW_TO_ENABLE + " (LAUNCHKIT_REQUIRE_BROWSER=1)")
    pytest.skip(HOW_TO_ENABLE, allow_module_level=True)


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium for the duration of the block."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def page_in(
    browser: Browser,
    zone: str,
    now: datetime | None = None,
    width: int = 1200,
    **options: Any,
) -> Iterator[Page]:
    """A fresh page whose clock says `now` (when given) in the reader's zone `zone`."""
    context = browser.new_context(
        timezone_id=zone,
        locale="en-US",
        viewport={"width": width, "height": 900},
        accept_downloads=True,
        **options,
    )
    page = context.new_page()
    if now is not None:
        page.clock.set_fixed_time(now)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], f"the page raised: {errors}"
