"""`launchkit calendar audit --live` against a local Mastodon (and X) server, as a keeper runs it:
real requests and tweepy on 127.0.0.1, the day's cache, the price asked before X is called."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchkit.adapters.lookup_cache import LookupCache
from launchkit.adapters.tag_sources import RateLimit, RateLimiter
from launchkit.cli import app
from launchkit.commands.tag_lookups import look_up, plan_lookups
from launchkit.domain.calendars.liveness import TagUse
from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.x_api import FakeXApi
from tests.support import invoke, runtime

runner = CliRunner()
TIMELINE = "GET /api/v1/timelines/tag/:hashtag"
COUNTS = "GET /2/tweets/counts/recent"


def audit(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["calendar", "audit", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def mastodon(monkeypatch: pytest.MonkeyPatch, fake_mastodon: FakeMastodon) -> FakeMastodon:
    """The bundled calendar's tags as a local instance knows them (some, not all)."""
    now = datetime.now(UTC)
    fake_mastodon.set_tag("litchat", uses=[0, 0, 3])  # row 1 (copies at rows 37, 44, 75)
    fake_mastodon.set_last_post("solopr", now - timedelta(days=40))  # row 2
    fake_mastodon.set_last_post("smchat", now - timedelta(days=200))  # row 3
    fake_mastodon.set_last_post("hcsm", now - timedelta(days=1))  # rows 9 and 10 disagree
    fake_mastodon.set_last_post("IBDChat", now - timedelta(days=5))  # row 227, unreadable time
    monkeypatch.setenv("LAUNCHKIT_MASTODON_URL", fake_mastodon.base_url)
    return fake_mastodon


def by_row(out: str) -> dict[int, dict[str, object]]:
    return {row["row"]: row for row in json.loads(out)["rows"]}


def test_bundled_calendar_verdicts_from_a_local_mastodon(mastodon: FakeMastodon) -> None:
    mastodon.fail_tag("edchat", 503)  # row 6 cannot be checked
    code, out, err = audit("--live", "--json")
    assert code == 0, err
    rows = by_row(out)
    verdicts = {row: rows[row]["verdict"] for row in (1, 2, 3, 6, 9, 10, 11, 12, 14, 37, 227)}
    assert verdicts == {
        1: "active",
        2: "quiet",
        3: "stale",
        6: "unknown",
        9: "conflict",
        10: "conflict",
        11: "stale",  # #AlzChat: the instance never saw it
        12: "stale",  # #hcldr and its copies: stale beats duplicate
        14: "stale",
        37: "duplicate",
        227: "unparsed",
    }
    assert rows[1]["last_seen"] == (datetime.now(UTC).date() - timedelta(days=2)).isoformat()
    assert rows[3]["last_seen"] is not None and rows[11]["last_seen"] is None
    assert any("answered 503" in reason for reason in rows[6]["reasons"])
    assert set(rows[2]) == {"row", "hashtag", "verdict", "reasons", "last_seen"}
    assert json.loads(out)["schema_version"] == 1


def test_second_audit_the_same_day_asks_nothing(mastodon: FakeMastodon, tmp_path: Path) -> None:
    code, first, _ = audit("--live", "--json")
    assert code == 0
    asked = len(mastodon.requests_to(TIMELINE))
    assert asked > 100  # one per distinct tag of the bundled calendar
    tags = [r.params["hashtag"].lower() for r in mastodon.requests_to(TIMELINE)]
    assert len(tags) == len(set(tags))  # "#litchat" and "#LitChat" are asked once
    code, second, _ = audit("--live", "--json", "--out", str(tmp_path / "report.md"))
    assert code == 0
    assert len(mastodon.requests_to(TIMELINE)) == asked
    assert by_row(first) == by_row(second)
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Rows to remove" in report and "/tags/smchat" in report


def test_failed_lookups_are_asked_again_not_cached(mastodon: FakeMastodon) -> None:
    mastodon.fail_tag("edchat", 503)
    assert audit("--live", "--json")[0] == 0
    asked = len(mastodon.requests_to(TIMELINE))
    mastodon.failing.clear()
    code, out, _ = audit("--live", "--json")
    assert code == 0
    again = [r.params["hashtag"] for r in mastodon.requests_to(TIMELINE)[asked:]]
    assert again == ["edchat"]
    assert by_row(out)[6]["verdict"] == "stale"


def test_without_live_nothing_is_asked(mastodon: FakeMastodon) -> None:
    code, out, _ = audit()
    assert code == 0
    assert mastodon.requests == []
    assert "Live use not checked (run with --live)." in out
    assert "231 rows:" in out


@pytest.fixture
def x_api(monkeypatch: pytest.MonkeyPatch, fake_x_api: FakeXApi, tmp_path: Path) -> FakeXApi:
    monkeypatch.setenv("LAUNCHKIT_X_BEARER_TOKEN", fake_x_api.bearer_token)
    monkeypatch.setenv("LAUNCHKIT_X_API_BASE_URL", fake_x_api.base_url)
    fake_x_api.set_counts("#solopr", [0, 0, 0, 0, 2, 0, 0])  # used 3 days ago on X
    return fake_x_api


def small_calendar(tmp_path: Path) -> Path:
    path = tmp_path / "calendar.csv"
    path.write_text(
        "Hashtag,When\n#solopr,Wednesdays 1pm ET\n#smchat,Wednesdays 1pm ET\n#SOLOPR,Wed 1pm ET\n",
        encoding="utf-8",
    )
    return path


def test_x_is_priced_and_refused_without_a_terminal(
    mastodon: FakeMastodon, x_api: FakeXApi, tmp_path: Path
) -> None:
    code, _, err = audit(str(small_calendar(tmp_path)), "--live")
    assert code == 2
    assert "--live: 2 X count calls x $0.005 = $0.010 (price_count_usd)" in err
    assert "add --yes" in err
    assert x_api.requests_to(COUNTS) == [] and mastodon.requests == []


def test_x_with_yes_then_from_the_cache(
    mastodon: FakeMastodon, x_api: FakeXApi, tmp_path: Path
) -> None:
    calendar = str(small_calendar(tmp_path))
    code, out, _ = audit(calendar, "--live", "--yes", "--json")
    assert code == 0
    rows = by_row(out)
    assert rows[1]["verdict"] == "active"  # X saw it 3 days ago; Mastodon 40 days ago
    assert rows[2]["verdict"] == "stale"  # smchat: nothing on X (7 days), Mastodon: 200 days
    assert len(x_api.requests_to(COUNTS)) == 2
    code, _, err = audit(calendar, "--live", "--json")  # no --yes: nothing left to pay for
    assert code == 0, err
    assert "X count call" not in err
    assert len(x_api.requests_to(COUNTS)) == 2


def test_skip_paid_asks_only_mastodon(
    mastodon: FakeMastodon, x_api: FakeXApi, tmp_path: Path
) -> None:
    code, out, _ = audit(str(small_calendar(tmp_path)), "--live", "--skip-paid")
    assert code == 0
    assert x_api.requests_to(COUNTS) == []
    assert "X not checked (--skip-paid)." in out


def test_on_a_terminal_the_price_is_asked_and_progress_shown(
    mastodon: FakeMastodon, x_api: FakeXApi, tmp_path: Path
) -> None:
    args = ["calendar", "audit", str(small_calendar(tmp_path)), "--live"]
    declined = invoke(runtime(terminal=True, answers="n\n"), args)
    assert declined.exit_code == 1 and "cancelled: nothing was called" in declined.stderr
    assert "Go ahead? [y/N]" in declined.stdout
    assert x_api.requests_to(COUNTS) == [] and mastodon.requests == []
    accepted = invoke(runtime(terminal=True, answers="y\n"), args)
    assert accepted.exit_code == 0, accepted.stderr
    # Two distinct tags on two services: four lookups, counted on the terminal as they end.
    assert "\rLooking up hashtags: 4/4" in accepted.stderr
    assert "4 lookups sent" in accepted.stdout


class SlowSource:
    """A source whose lookups take a while, recording how many run at once."""

    name = "slow"
    where = "slow.example"
    cache_key = "slow"
    price_usd = 0.0

    def __init__(self, concurrency: int) -> None:
        self.rate = RateLimit(calls=1000, per_seconds=1.0, concurrency=concurrency)
        self.running = 0
        self.peak = 0
        self.lock = threading.Lock()

    def lookup(self, tag: str) -> TagUse:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        time.sleep(0.05)
        with self.lock:
            self.running -= 1
        return TagUse("slow", self.where, checked=True, last_seen=None)


def test_lookups_run_concurrently_up_to_the_source_limit(tmp_path: Path) -> None:
    source = SlowSource(concurrency=3)
    cache = LookupCache(tmp_path, date(2026, 11, 30))
    plan = plan_lookups([f"#tag{i}" for i in range(12)] + ["#TAG1"], [source], cache)
    assert plan.requests == 12
    seen: list[tuple[int, int]] = []
    answers = look_up(plan, [source], cache, lambda done, total: seen.append((done, total)))
    assert source.peak == 3
    assert seen[-1] == (12, 12) and len(seen) == 12
    assert len(answers) == 12
    again = plan_lookups([f"#tag{i}" for i in range(12)], [source], cache)
    assert again.requests == 0  # cached for the day
    tomorrow = plan_lookups(["#tag1"], [source], LookupCache(tmp_path, date(2026, 12, 1)))
    assert tomorrow.requests == 1


def test_rate_limiter_waits_for_the_window() -> None:
    clock = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    limiter = RateLimiter(
        RateLimit(calls=3, per_seconds=10.0, concurrency=1), lambda: clock[0], sleep
    )
    for _ in range(3):
        limiter.acquire()
    assert slept == []
    clock[0] = 4.0
    limiter.acquire()  # the fourth waits until the first leaves the window
    assert slept == [6.0] and clock[0] == 10.0


def test_bluesky_is_a_free_third_source_signed_in_once(
    mastodon: FakeMastodon,
    fake_bluesky: FakeBlueskyPds,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the session is saved beside ./chat.yaml's ledger
    calendar = str(small_calendar(tmp_path))
    code, out, _ = audit(calendar, "--live", "--json")
    assert code == 0
    assert by_row(out)[2]["verdict"] == "stale"  # #smchat: 200 days ago on Mastodon
    assert "Bluesky not checked: no account" in audit(calendar, "--live")[1]
    # The chat moved to Bluesky: a post there two days ago makes the row active.
    fake_bluesky.add_post("A1 so glad we moved here #smchat", created_at=datetime.now(UTC)
                          - timedelta(days=2))  # fmt: skip
    fake_bluesky.add_post("nothing to do with it #other")
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_URL", fake_bluesky.base_url)
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_HANDLE", "chathost.test")
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_APP_PASSWORD", "app-pass-word")
    code, out, err = audit(calendar, "--live", "--json")
    assert code == 0, err
    rows = by_row(out)
    assert rows[2]["verdict"] == "active"
    assert rows[2]["last_seen"] == (datetime.now(UTC).date() - timedelta(days=2)).isoformat()
    assert rows[1]["verdict"] == "quiet"  # #solopr: not on Bluesky, 40 days on Mastodon
    searches = fake_bluesky.requests_to("GET /xrpc/app.bsky.feed.searchPosts")
    assert sorted(str(r.arg("tag")).lower() for r in searches) == ["smchat", "solopr"]
    assert len(fake_bluesky.logins) == 1
    assert "Bluesky not checked" not in audit(calendar, "--live")[1]  # from today's cache
    assert len(fake_bluesky.logins) == 1
