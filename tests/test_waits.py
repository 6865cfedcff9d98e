"""Finding 3 of issue 19: every wait has a bound and says so. A 429 waits for a reset that is
still ahead, a bounded number of times, never past --until; a missing or past reset backs
off with a cap; long waits are announced at a terminal. Every HTTP exchange (and SMTP's)
ends within its deadline, however steadily a slow server sends."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from launchkit.adapters.ledger import PlanRow, SqliteLedger, ledger_path
from launchkit.adapters.public_csv import download_csv
from launchkit.adapters.publishing import Transient
from launchkit.adapters.sheet_writer import open_calendar_sheet
from launchkit.adapters.sheets import SheetRef
from launchkit.adapters.smtp import SmtpMailer
from launchkit.adapters.x_post import tweepy_publisher
from launchkit.commands import post
from launchkit.domain.backoff import RetryPolicy, backoff, rate_limit_wait
from launchkit.domain.items import ItemRef
from launchkit.errors import RemoteError
from launchkit.settings import Settings
from tests.fakes.sheets import write_service_account_key
from tests.fakes.trickle import HTTP_OK_SLOWLY, SMTP_GREETING_SLOWLY, TrickleServer
from tests.fakes.x_api import FakeXApi
from tests.support import FakeTime, invoke, runtime, x_env, x_settings

START = datetime(2027, 1, 12, 1, 0, tzinfo=UTC)
CHAT = "#IndieDevHour"


def one_due(tmp_path: Path, clock: FakeTime) -> SqliteLedger:
    ledger = SqliteLedger.open(ledger_path(tmp_path / "chat.yaml"), clock=clock)
    ref = ItemRef("live", date(2027, 1, 11), 0, "x", START)
    ledger.sync_plan(CHAT, [PlanRow(CHAT, ref, "We're live! #IndieDevHour")])
    return ledger


def run(ledger: SqliteLedger, x: FakeXApi, clock: FakeTime, **options: object) -> post.PostRun:
    notices: list[str] = []
    result = post.run(
        ledger,
        lambda n: tweepy_publisher(x_settings(x.base_url)),
        post.PostOptions(**options),  # type: ignore[arg-type]
        clock,
        clock.sleep,
        notify=notices.append,
    )
    run.notices = notices  # type: ignore[attr-defined]
    return result


def test_a_429_whose_reset_is_past_backs_off_a_bounded_number_of_times(
    x: FakeXApi, clock: FakeTime, tmp_path: Path
) -> None:
    # The finding: retried once a second for ever, silently.
    ledger = one_due(tmp_path, clock)
    past = int((clock.now - timedelta(minutes=5)).timestamp())
    for _ in range(50):
        x.fail_next_rate_limited("POST /2/tweets", past)
    result = run(ledger, x, clock)
    policy = RetryPolicy()
    assert clock.slept == [15.0, 30.0, 60.0]  # capped backoff, then the run stops
    assert len(x.requests) == policy.rate_limit_waits + 1
    assert result.stopped is not None and "rate limit" in result.stopped
    assert ledger.items()[0].state == "planned"
    assert len(run.notices) == 3 and "X rate limit" in run.notices[0]  # type: ignore[attr-defined]


def test_a_429_without_a_reset_backs_off_and_says_so(
    x: FakeXApi, clock: FakeTime, tmp_path: Path
) -> None:
    # The finding: waited 61 s, silently.
    ledger = one_due(tmp_path, clock)
    x.fail_next("POST /2/tweets", 429, {"title": "Too Many Requests"})
    run(ledger, x, clock)
    assert clock.slept == [15.0]
    assert x.posted_texts() == ["We're live! #IndieDevHour"]
    (notice,) = run.notices  # type: ignore[attr-defined]
    assert notice.startswith("waiting 15 s, until 01:01:15 UTC: X rate limit")


def test_a_429_reset_ahead_is_waited_for_but_never_past_until(
    x: FakeXApi, clock: FakeTime, tmp_path: Path
) -> None:
    ledger = one_due(tmp_path, clock)
    reset = int((clock.now + timedelta(minutes=3)).timestamp())
    x.fail_next_rate_limited("POST /2/tweets", reset)
    x.fail_next_rate_limited("POST /2/tweets", reset + 600)
    result = run(ledger, x, clock, until=clock.now + timedelta(minutes=8))
    assert clock.slept == [181.0]  # the first reset; the second is past --until
    assert clock.now <= START + timedelta(minutes=9)
    assert result.stopped is not None and "resets at" in result.stopped
    assert x.posted_texts() == []


def test_transient_failures_back_off_with_a_cap() -> None:
    policy = RetryPolicy()
    waits = [backoff(n, policy.transient_base, policy.cap) for n in range(1, 12)]
    assert waits[:3] == [timedelta(seconds=s) for s in (2, 4, 8)]
    assert max(waits) == policy.cap
    assert rate_limit_wait(START + timedelta(seconds=30), START, 1, policy) == timedelta(seconds=31)


def test_a_long_wait_is_announced_at_a_terminal_and_not_in_cron(
    x: FakeXApi, clock: FakeTime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in x_env(x.base_url).items():
        monkeypatch.setenv(name, value)
    chat = tmp_path / "chat.yaml"
    one_due(tmp_path, clock).close()
    x.fail_next("POST /2/tweets", 429, {"title": "Too Many Requests"})
    at_terminal = invoke(runtime(terminal=True, time=clock), ["post", "--chat", str(chat)])
    assert at_terminal.exit_code == 0, at_terminal.stderr
    assert "waiting 15 s" in at_terminal.stderr
    other = tmp_path / "cron"
    other.mkdir()
    one_due(other, clock).close()
    x.fail_next("POST /2/tweets", 429, {"title": "Too Many Requests"})
    cron = invoke(runtime(time=clock), ["post", "--chat", str(other / "chat.yaml")])
    assert cron.exit_code == 0 and cron.stderr == ""


# -- deadlines: a server that sends one byte at a time -----------------------------------------

DEADLINE = 1.0
BOUND = 6.0  # the deadline, plus room for a loaded machine: far below the trickle's length


@pytest.fixture
def slow_http() -> Iterator[TrickleServer]:
    with TrickleServer(HTTP_OK_SLOWLY, interval=0.25) as server:
        yield server


def elapsed(started: float) -> float:
    return time.monotonic() - started


def test_posting_to_a_trickling_server_ends_at_the_deadline(slow_http: TrickleServer) -> None:
    publisher = tweepy_publisher(x_settings(slow_http.base_url, http_timeout_s=DEADLINE))
    started = time.monotonic()
    with pytest.raises(Transient, match="did not answer in time"):
        publisher.create_post("We're live! #IndieDevHour")
    assert elapsed(started) < BOUND


def test_a_calendar_url_that_trickles_ends_at_the_deadline(
    slow_http: TrickleServer, tmp_path: Path
) -> None:
    started = time.monotonic()
    result = invoke(
        runtime(env={"LAUNCHKIT_HTTP_TIMEOUT_S": str(DEADLINE)}),
        ["calendar", "parse", slow_http.base_url + "/cal.csv", "--refresh"],
    )
    assert elapsed(started) < BOUND
    assert result.exit_code == 4
    assert f"no complete answer from 127.0.0.1:{slow_http.port} within 1 s" in result.stderr
    with pytest.raises(RemoteError):
        download_csv(slow_http.base_url, DEADLINE)


def test_submit_to_a_trickling_sheets_api_ends_at_the_deadline(
    slow_http: TrickleServer, tmp_path: Path
) -> None:
    key = tmp_path / "key.json"
    write_service_account_key(key, slow_http.base_url)  # the token endpoint trickles too
    settings = Settings(
        google_credentials=str(key),
        sheets_api_base_url=slow_http.base_url,
        http_timeout_s=DEADLINE,
    )
    started = time.monotonic()
    with pytest.raises(RemoteError):
        open_calendar_sheet(settings, SheetRef("1calendarSheetKey"), None, sleep=lambda s: None)
    assert elapsed(started) < BOUND


def test_an_smtp_server_that_trickles_ends_at_the_deadline() -> None:
    with TrickleServer(SMTP_GREETING_SLOWLY, interval=0.25) as server:
        settings = Settings(
            smtp_host="127.0.0.1",
            smtp_port=server.port,
            smtp_security="none",
            http_timeout_s=DEADLINE,
        )
        started = time.monotonic()
        with (
            pytest.raises(RemoteError, match="no complete answer from the SMTP server"),
            SmtpMailer(settings),
        ):
            pass
        assert elapsed(started) < BOUND
