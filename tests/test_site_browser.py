"""The calendar site in a real headless Chromium, read from two time zones (New York, Tokyo):
times agree with `calendar show`, right across daylight-saving changes; search and filters
work and live in the URL; the .ics files parse; the page works from disk and from a server
and asks nothing of anyone else."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from typer.testing import CliRunner

from launchkit.adapters.calendar_source import read_calendar
from launchkit.cli import app
from launchkit.commands.calendar_site import build_site
from launchkit.commands.calendars import ViewerZone, run_heatmap
from launchkit.domain.calendars.week import occurrences
from launchkit.settings import load_settings
from tests.browser import chromium, page_in, skip_without_chromium

skip_without_chromium()

# After the skip: where the browser tests are skipped, Playwright may be missing too.
from playwright.sync_api import Browser, Page  # noqa: E402

ZONES = ["America/New_York", "Asia/Tokyo"]
REPO = Path(__file__).resolve().parents[1]
SCREENSHOT = REPO / "docs" / "calendar-site.png"
# Read before the autouse fixture clears LAUNCHKIT_* from the environment.
UPDATE_SCREENSHOT = os.environ.get("LAUNCHKIT_UPDATE_SCREENSHOT") == "1"
runner = CliRunner()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture(params=ZONES)
def zone(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def expected_text(moment: datetime) -> str:
    """What en-US Chromium shows for `moment` (already in the reader's zone), zone name aside."""
    hour = moment.hour % 12 or 12
    noon = "AM" if moment.hour < 12 else "PM"
    return f"{moment:%a}, {moment:%b} {moment.day}, {hour}:{moment:%M} {noon}"


def plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def show_all(page: Page) -> None:
    while page.locator("#more").is_visible():
        page.click("#more")


def chats_on(page: Page) -> list[dict[str, str | None]]:
    return page.eval_on_selector_all(
        "[data-hashtag]",
        """nodes => nodes.map(n => ({
            row: n.dataset.row, hashtag: n.dataset.hashtag,
            datetime: n.querySelector('time') && n.querySelector('time').getAttribute('datetime'),
            text: n.querySelector('time') && n.querySelector('time').textContent}))""",
    )


def test_every_bundled_chat_agrees_with_calendar_show(
    browser: Browser, zone: str, tmp_path: Path
) -> None:
    build_site(read_calendar(None, load_settings()), tmp_path, datetime.now(UTC))
    shown = runner.invoke(app, ["calendar", "show", "--tz", zone, "--json"])
    assert shown.exit_code == 0, shown.output
    listing = json.loads(shown.stdout)
    now = datetime.fromisoformat(listing["now"])
    with page_in(browser, zone, now) as page:
        page.goto((tmp_path / "index.html").as_uri())
        show_all(page)
        on_page = chats_on(page)
    assert len(on_page) == len(listing["chats"]) == 231
    for expected, got in zip(listing["chats"], on_page, strict=True):
        assert got["row"] == str(expected["row"])  # the same order: soonest first
        if expected["next_start"] is None:
            assert got["datetime"] is None, got
            continue
        start = datetime.fromisoformat(expected["next_start"])
        assert got["datetime"] == start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert plain(got["text"] or "").startswith(expected_text(start) + " "), (got, start)


DST_CALENDAR = (
    "Hashtag,Chat name,When,Topic\n"
    "#nychat,New York chat,Thursdays 8pm ET,books\n"
    "#ukchat,London chat,Thursdays 20:00 UK time,books and tea\n"
    "#ozchat,Sydney chat,Fridays 7pm AEST,gardens\n"
    "#tokyochat,Tokyo chat,Saturdays 21:00 JST,games\n"
)


@pytest.mark.parametrize(
    "clock",
    [
        # Europe has left summer time, New York not yet; Sydney is in summer time.
        datetime(2026, 10, 28, 12, 0, tzinfo=UTC),
        # Both have left it.
        datetime(2026, 11, 3, 12, 0, tzinfo=UTC),
        # Spring: New York has moved on, London not yet; Sydney has left summer time.
        datetime(2027, 3, 16, 12, 0, tzinfo=UTC),
    ],
)
def test_local_times_are_right_across_dst_changes(
    browser: Browser, zone: str, clock: datetime, tmp_path: Path
) -> None:
    source = tmp_path / "dst.csv"
    source.write_text(DST_CALENDAR, encoding="utf-8")
    calendar = read_calendar(str(source), load_settings())
    # Built weeks earlier: the page must still be right on the reader's day.
    build_site(calendar, tmp_path / "site", datetime(2026, 10, 1, tzinfo=UTC))
    reader = ZoneInfo(zone)
    with page_in(browser, zone, clock) as page:
        page.goto((tmp_path / "site" / "index.html").as_uri())
        on_page = {c["hashtag"]: c for c in chats_on(page)}
    chats = {
        "#nychat": ("America/New_York", 3, 20),
        "#ukchat": ("Europe/London", 3, 20),
        "#ozchat": ("Australia/Sydney", 4, 19),
        "#tokyochat": ("Asia/Tokyo", 5, 21),
    }
    for tag, (own_zone, weekday, hour) in chats.items():
        local = clock.astimezone(ZoneInfo(own_zone))
        days = (weekday - local.weekday()) % 7
        start = local.replace(hour=hour, minute=0, second=0, microsecond=0) + timedelta(days=days)
        if start < local:
            start += timedelta(days=7)
        start = start.replace(tzinfo=ZoneInfo(own_zone))  # wall clock, then its offset that day
        mine = start.astimezone(reader)
        assert on_page[tag]["datetime"] == start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        assert plain(on_page[tag]["text"] or "").startswith(expected_text(mine)), (tag, mine)


@pytest.fixture(scope="module")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(read_calendar(None, load_settings()), out, datetime.now(UTC))
    return out


def test_search_filters_as_you_type_and_the_url_keeps_it(
    browser: Browser, zone: str, bundled_site: Path
) -> None:
    with page_in(browser, zone) as page:
        page.goto((bundled_site / "index.html").as_uri())
        page.locator("input[type=search]").press_sequentially("books")
        rows = page.locator("[data-hashtag]")
        assert 0 < rows.count() < 231
        for text in rows.all_inner_texts():
            assert "books" in text.lower()
        assert "#q=books" in page.url
        assert re.match(r"\d+ of 231 chats", page.inner_text("#status"))
        shared = page.url
        count = rows.count()
    with page_in(browser, zone) as page:
        page.goto(shared)  # the filtered view, opened from the shared link
        assert page.locator("input[type=search]").input_value() == "books"
        assert page.locator("[data-hashtag]").count() == count


def test_day_and_hour_filters_are_in_the_readers_zone(
    browser: Browser, zone: str, bundled_site: Path
) -> None:
    now = datetime.now(UTC)
    reader = ZoneInfo(zone)
    with page_in(browser, zone, now) as page:
        page.goto((bundled_site / "index.html").as_uri())
        # Filter on the day and hours of the soonest chat, so the view is never empty.
        soonest = datetime.fromisoformat(str(chats_on(page)[0]["datetime"]).replace("Z", "+00:00"))
        local = soonest.astimezone(reader)
        day = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][local.weekday()]
        hours = (local.hour, min(24, local.hour + 3))
        page.select_option("#day", day)
        page.select_option("#from", str(hours[0]))
        page.select_option("#to", str(hours[1]))
        show_all(page)
        found = chats_on(page)
        assert f"day={day}" in page.url and f"from={hours[0]}" in page.url
    # The chats with a session on that day, in those hours, within the next five weeks.
    expected = set()
    for entry in read_calendar(None, load_settings()).entries:
        for moment, _ in occurrences(entry.parse, now, now + timedelta(days=35), exact=False):
            mine = moment.astimezone(reader)
            if mine.weekday() == local.weekday() and hours[0] <= mine.hour < hours[1]:
                expected.add(str(entry.row))
    assert {str(chat["row"]) for chat in found} == expected
    for chat in found:
        moment = datetime.fromisoformat(str(chat["datetime"]).replace("Z", "+00:00"))
        mine = moment.astimezone(reader)
        assert mine.weekday() == local.weekday() and hours[0] <= mine.hour < hours[1], chat


def test_calendar_files_parse_and_hold_the_chats_own_zone(
    browser: Browser, bundled_site: Path
) -> None:
    with page_in(browser, "Asia/Tokyo") as page:
        page.goto((bundled_site / "index.html").as_uri())
        page.locator("input[type=search]").fill("litchat")
        links = page.eval_on_selector_all(
            "[data-hashtag='#litchat'] a[download]", "nodes => nodes.map(n => n.href)"
        )
        assert links
        for link in links:
            assert link.startswith(bundled_site.as_uri())
            text = Path(link.removeprefix("file://")).read_bytes()
            event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
            assert event["DTSTART"].dt.tzinfo.key == "America/New_York"
            assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        page.locator("input[type=search]").fill("books")
        with page.expect_download() as download:
            page.click("#add-all")
        text = Path(download.value.path()).read_bytes()
    every = icalendar.Calendar.from_ical(text)
    tags = {str(event["SUMMARY"]).split()[0] for event in every.walk("VEVENT")}
    assert "#litchat" in tags and len(every.walk("VTIMEZONE")) >= 1


def test_page_works_from_a_web_server_and_asks_no_one_else(
    browser: Browser, bundled_site: Path
) -> None:
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=bundled_site)

    class Quiet(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            """Keep test output quiet."""

    server = Quiet(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with page_in(browser, "America/New_York") as page:
            asked: list[str] = []
            page.on("request", lambda request: asked.append(request.url))
            page.goto(base + "/index.html")
            page.wait_for_load_state("networkidle")
            assert page.locator("[data-hashtag]").count() == 50  # the first page of chats
            page.locator("input[type=search]").fill("health")
            assert page.locator("[data-hashtag]").count() > 0
        assert asked and all(url.startswith(base) for url in asked), asked
    finally:
        server.shutdown()
        server.server_close()


def test_stale_chats_are_dimmed_with_the_audits_reason(browser: Browser, tmp_path: Path) -> None:
    audit = tmp_path / "audit.json"
    audit.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "source": "bundled snapshot",
                "audited_on": "2026-11-30",
                "rows": [
                    {
                        "row": 2,
                        "hashtag": "#solopr",
                        "verdict": "stale",
                        "reasons": ["no use on mastodon.example in the last 90 days"],
                        "last_seen": None,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["calendar", "site", "--out", str(tmp_path / "s"), "--audit", str(audit)]
    )
    assert result.exit_code == 0, result.output
    with page_in(browser, "America/New_York") as page:
        page.goto((tmp_path / "s" / "index.html").as_uri())
        page.locator("input[type=search]").fill("solopr")
        chat = page.locator("[data-hashtag='#solopr']")
        assert "stale" in (chat.get_attribute("class") or "")
        assert "no use on mastodon.example in the last 90 days" in chat.inner_text()
        dimmed = chat.evaluate("n => getComputedStyle(n).backgroundColor")
        assert dimmed != "rgba(0, 0, 0, 0)"


def test_text_in_the_calendar_stays_text(browser: Browser, tmp_path: Path) -> None:
    source = tmp_path / "evil.csv"
    source.write_text(
        "Hashtag,Chat name,When,Link\n"
        '#evil,"</script><img src=x onerror=""document.title=1"">@@DATA@@",Tuesdays 8pm ET,'
        "javascript:alert(1)\n",
        encoding="utf-8",
    )
    build_site(read_calendar(str(source), load_settings()), tmp_path / "s", datetime.now(UTC))
    with page_in(browser, "America/New_York") as page:
        page.goto((tmp_path / "s" / "index.html").as_uri())
        chat = page.locator("[data-hashtag='#evil']")
        assert "</script><img src=x" in chat.inner_text()
        assert page.title() == "Chat calendar"
        assert chat.locator("a", has_text="Website").count() == 0


def test_keyboard_labels_and_phone_width(browser: Browser, bundled_site: Path) -> None:
    with page_in(browser, "Asia/Tokyo", width=375) as page:
        page.goto((bundled_site / "index.html").as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        assert "launchkit slots --tz Asia/Tokyo" in page.inner_text("#start-your-own")
        for label in ("Search topics, names and hashtags", "Day (your time)", "From hour"):
            assert page.get_by_label(label).count() == 1
        for _ in range(3):  # skip link, then the search box
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "q":
                break
        assert page.evaluate("document.activeElement.id") == "q"
        page.keyboard.type("edchat")
        first = page.locator("[data-hashtag]").first
        toggle = first.locator(".own-zone-toggle")
        toggle.focus()
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-expanded") == "true"
        assert "the chat's own time" in first.locator(".own-zone").inner_text()


def test_week_heatmap_agrees_with_calendar_heatmap(
    browser: Browser, zone: str, bundled_site: Path
) -> None:
    now = datetime.now(UTC)
    grid = run_heatmap(read_calendar(None, load_settings()), ViewerZone(zone), now).grid
    with page_in(browser, zone, now) as page:
        page.goto((bundled_site / "index.html").as_uri())
        cells = page.eval_on_selector_all(
            "#heatmap tbody tr",
            "rows => rows.map(r => [...r.querySelectorAll('td')]"
            ".map(td => Number(td.dataset.count)))",
        )
    assert len(cells) == 7 and all(len(day) == 24 for day in cells)
    for d in range(7):
        for h in range(24):
            assert abs(cells[d][h] - grid.counts[d][h]) < 0.011, (d, h)


def test_screenshot_for_the_readme(browser: Browser, tmp_path: Path) -> None:
    """`make screenshot` refreshes docs/calendar-site.png; otherwise it goes to a temp file.

    The page is built and read at a fixed moment, so the picture only changes with the page.
    """
    target = SCREENSHOT if UPDATE_SCREENSHOT else tmp_path / "calendar-site.png"
    moment = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    build_site(read_calendar(None, load_settings()), tmp_path / "site", moment)
    with page_in(browser, "Europe/London", moment, width=1000) as page:
        page.goto((tmp_path / "site" / "index.html").as_uri() + "#q=chat")
        page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
    assert SCREENSHOT.is_file(), "docs/calendar-site.png is missing: run `make screenshot`"
