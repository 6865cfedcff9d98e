"""`launchkit post`'s send loop with the real tweepy client against the fake X API."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchkit.adapters.dry_run import PrintingPublisher
from launchkit.adapters.ledger import PlanRow, SqliteLedger, ledger_path
from launchkit.adapters.x_post import TweepyPublisher, tweepy_publisher
from launchkit.cli import app
from launchkit.commands import post
from launchkit.commands.flags import until_flag
from launchkit.domain.items import ItemRef
from tests.fakes.x_api import DUPLICATE, SERVER_ERROR, UNAUTHORIZED, FakeXApi
from tests.support import FakeTime, x_settings

DAY = date(2027, 1, 11)
START = datetime(2027, 1, 12, 1, 0, tzinfo=UTC)
CHAT = "#IndieDevHour"


@pytest.fixture
def ledger(tmp_path: Path, clock: FakeTime) -> SqliteLedger:
    ledger = SqliteLedger.open(ledger_path(tmp_path / "chat.yaml"), clock=clock)
    rows = [
        PlanRow(
            CHAT,
            ItemRef("question", date(2027, 1, 11), n, "x", START - timedelta(minutes=n)),
            f"Q{n}",
        )
        for n in (3, 1, 2)
    ]
    rows.append(
        PlanRow(CHAT, ItemRef("wrap", date(2027, 1, 11), 0, "x", START + timedelta(hours=1)), "W")
    )
    ledger.sync_plan(CHAT, rows)
    return ledger


def publisher(x: FakeXApi) -> TweepyPublisher:
    return tweepy_publisher(x_settings(x.base_url))


def run(ledger: SqliteLedger, x: FakeXApi, clock: FakeTime, **options: object) -> post.PostRun:
    return post.run(
        ledger,
        lambda network: publisher(x),
        post.PostOptions(**options),  # type: ignore[arg-type]
        clock=clock,
        sleep=clock.sleep,
    )


def states(ledger: SqliteLedger) -> dict[str, str]:
    return {i.text: i.state for i in ledger.items()}


def test_sends_what_is_due_in_due_order_and_records_the_ids(
    x: FakeXApi, ledger: SqliteLedger, clock: FakeTime
) -> None:
    result = run(ledger, x, clock)
    assert x.posted_texts() == ["Q3", "Q2", "Q1"]  # due 00:57, 00:58, 00:59
    assert states(ledger) == {"Q3": "sent", "Q2": "sent", "Q1": "sent", "W": "planned"}
    ids = {p["text"]: p["id"] for p in x.posted()}
    for item in ledger.items(("sent",)):
        assert item.remote_id == ids[item.text]
        assert item.url == f"https://x.com/i/web/status/{ids[item.text]}"
    assert result.sent == 3
    assert result.next_due == START + timedelta(hours=1)


def test_429_waits_for_the_reset_x_names(
    x: FakeXApi, ledger: SqliteLedger, clock: FakeTime
) -> None:
    reset = int((clock.now + timedelta(minutes=10)).timestamp())
    x.fail_next_rate_limited("POST /2/tweets", reset)
    run(ledger, x, clock)
    assert x.posted_texts() == ["Q3", "Q2", "Q1"]
    assert clock.now >= datetime.fromtimestamp(reset, UTC)
    assert max(clock.slept) == pytest.approx(601, abs=1)


def test_429_past_until_stops_and_leaves_the_post_planned(
    x: FakeXApi, ledger: SqliteLedger, clock: FakeTime
) -> None:
    reset = int((clock.now + timedelta(minutes=10)).timestamp())
    x.fail_next_rate_limited("POST /2/tweets", reset)
    result = run(ledger, x, clock, until=clock.now + timedelta(minutes=5))
    assert x.posted_texts() == []
    assert result.stopped is not None and "rate limit" in result.stopped
    assert states(ledger)["Q3"] == "planned"
    assert clock.slept == []


def test_5xx_is_retried_then_the_post_fails(
    x: FakeXApi, ledger: SqliteLedger, clock: FakeTime
) -> None:
    x.fail_next("POST /2/tweets", 500, SERVER_ERROR, times=4)
    result = run(ledger, x, clock)
    assert states(ledger)["Q3"] == "failed"
    assert x.posted_texts() == ["Q2", "Q1"]
    assert [r.outcome for r in result.results][:1] == ["failed"]
    assert clock.slept == [2.0, 4.0, 8.0]  # backoff between the four tries
    failed = ledger.items(("failed",))[0]
    assert failed.error is not None and "500" in failed.error


def test_a_5xx_then_success_sends_once(x: FakeXApi, ledger: SqliteLedger, clock: FakeTime) -> None:
    x.fail_next("POST /2/tweets", 503, SERVER_ERROR)
    run(ledger, x, clock)
    assert x.posted_texts() == ["Q3", "Q2", "Q1"]


def test_402_stops_with_the_credits_message(
    x: FakeXApi, ledger: SqliteLedger, clock: FakeTime
) -> None:
    x.fail_next_credits_depleted("POST /2/tweets")
    result = run(ledger, x, clock)
    assert result.stopped == "your X API credits are used up"
    assert result.hint is not None and "credits" in result.hint
    assert x.posted_texts() == []
    assert set(states(ledger).values()) == {"planned"}


def test_401_stops_the_run_with_a_hint(x: FakeXApi, ledger: SqliteLedger, clock: FakeTime) -> None:
    x.fail_next("POST /2/tweets", 401, UNAUTHORIZED)
    result = run(ledger, x, clock)
    assert result.stopped is not None and "401" in result.stopped
    assert result.hint is not None and "LAUNCHKIT_X_API_KEY" in result.hint
    assert x.posted_texts() == []


def test_duplicate_403_is_looked_up_and_marked_sent_not_resent(
    x: FakeXApi, ledger: SqliteLedger, clock: FakeTime
) -> None:
    # X created the post but answered 500: the post is found (made after the row entered
    # `sending`, with its exact text) before anything is sent again.
    x.fail_next("POST /2/tweets", 500, SERVER_ERROR, applied=True)
    result = run(ledger, x, clock)
    assert x.posted_texts() == ["Q3", "Q2", "Q1"]
    q3 = next(i for i in ledger.items() if i.text == "Q3")
    assert (q3.state, q3.remote_id) == ("sent", x.posted()[0]["id"])
    assert result.results[0].outcome == "found"


def test_an_identical_post_made_before_the_row_was_sent_is_not_taken_for_it(
    x: FakeXApi, ledger: SqliteLedger, clock: FakeTime
) -> None:
    # Someone posted the same words by hand an hour ago: X refuses the row as a duplicate,
    # and that older post is not this row's, so the row fails and says why.
    clock.now -= timedelta(hours=1)
    publisher(x).create_post("Q3")
    clock.now += timedelta(hours=1)
    result = run(ledger, x, clock)
    assert x.posted_texts() == ["Q3", "Q2", "Q1"]
    q3 = next(i for i in ledger.items() if i.text == "Q3")
    assert q3.state == "failed" and q3.remote_id is None
    assert q3.error is not None and "duplicate" in q3.error
    assert result.results[0].outcome == "failed"


def test_duplicate_403_without_a_match_fails_the_item(
    x: FakeXApi, ledger: SqliteLedger, clock: FakeTime
) -> None:
    x.fail_next("POST /2/tweets", 403, DUPLICATE)
    run(ledger, x, clock)
    assert states(ledger)["Q3"] == "failed"
    assert x.posted_texts() == ["Q2", "Q1"]


def test_a_row_left_sending_is_looked_up_before_anything_is_sent(
    x: FakeXApi, ledger: SqliteLedger, clock: FakeTime
) -> None:
    items = {i.text: i for i in ledger.items()}
    ledger.mark_sending(items["Q1"])  # crashed after X accepted it
    publisher(x).create_post("Q1")
    ledger.mark_sending(items["Q2"])  # crashed before the request
    run(ledger, x, clock)
    assert sorted(x.posted_texts()) == ["Q1", "Q2", "Q3"]
    assert len(x.posted_texts()) == 3
    assert states(ledger) == {"Q3": "sent", "Q2": "sent", "Q1": "sent", "W": "planned"}


def test_late_posts_need_late_ok(x: FakeXApi, ledger: SqliteLedger, clock: FakeTime) -> None:
    clock.now = START + timedelta(minutes=45)
    result = run(ledger, x, clock)
    assert x.posted_texts() == []
    assert [r.outcome for r in result.results] == ["late", "late", "late"]
    assert result.results[0].detail is not None and "--late-ok" in result.results[0].detail
    run(ledger, x, clock, late_ok=True)
    assert x.posted_texts() == ["Q3", "Q2", "Q1"]


def test_watch_sleeps_until_the_next_due_post(
    x: FakeXApi, ledger: SqliteLedger, clock: FakeTime
) -> None:
    run(ledger, x, clock, watch=True, until=START + timedelta(hours=2))
    assert x.posted_texts() == ["Q3", "Q2", "Q1", "W"]
    wrap = x.posted()[-1]
    assert wrap["created_at"] == (START + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_dry_run_changes_nothing(x: FakeXApi, ledger: SqliteLedger, clock: FakeTime) -> None:
    shown: list[str] = []
    copy = ledger.in_memory_copy()
    result = post.run(copy, lambda network: PrintingPublisher(shown.append), clock=clock)
    assert result.sent == 3
    assert "would send on X:\nQ3\n" in shown
    assert x.posted_texts() == []
    assert set(states(ledger).values()) == {"planned"}


def test_nothing_due_never_builds_a_publisher(ledger: SqliteLedger, clock: FakeTime) -> None:
    clock.now = START - timedelta(hours=1)

    def no_publisher(network: str) -> PrintingPublisher:
        raise AssertionError("built a publisher with nothing due")

    assert post.run(ledger, no_publisher, clock=clock).results == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90m", timedelta(minutes=90)), ("2h", timedelta(hours=2)), ("+1d", timedelta(days=1))],
)
def test_until_accepts_durations(text: str, expected: timedelta) -> None:
    assert until_flag(text, START) == START + expected


def test_until_accepts_an_iso_time() -> None:
    assert until_flag("2027-01-12T03:00+00:00", START) == START + timedelta(hours=2)


def test_until_accepts_a_clock_time() -> None:
    until = until_flag("23:30", START)
    assert until > START and until - START <= timedelta(days=1)
    assert until.astimezone().strftime("%H:%M") == "23:30"


def test_cli_post_without_a_ledger_says_to_schedule_first(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["post", "--chat", str(tmp_path / "chat.yaml")])
    assert result.exit_code == 3
    assert "launchkit schedule" in result.output


def x_env(monkeypatch: pytest.MonkeyPatch, x: FakeXApi) -> None:
    for name, value in [
        ("LAUNCHKIT_X_API_KEY", "ck"),
        ("LAUNCHKIT_X_API_SECRET", "cs"),
        ("LAUNCHKIT_X_ACCESS_TOKEN", "at"),
        ("LAUNCHKIT_X_ACCESS_SECRET", "as"),
        ("LAUNCHKIT_X_API_BASE_URL", x.base_url),
    ]:
        monkeypatch.setenv(name, value)


def due_now(chat: Path, *texts: str) -> SqliteLedger:
    now = datetime.now(UTC)
    fresh = SqliteLedger.open(ledger_path(chat))
    rows = [PlanRow(CHAT, ItemRef("q", now.date(), n, "x", now), t) for n, t in enumerate(texts)]
    fresh.sync_plan(CHAT, rows)
    return fresh


def test_cli_post_dry_run_then_post_then_status(
    x: FakeXApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    x_env(monkeypatch, x)
    chat = tmp_path / "now" / "chat.yaml"
    fresh = due_now(chat, "First", "Second")
    runner = CliRunner()
    dry = runner.invoke(app, ["post", "--chat", str(chat), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would send on X:\nFirst" in dry.output
    assert x.posted_texts() == [] and {i.state for i in fresh.items()} == {"planned"}
    sent = runner.invoke(app, ["post", "--chat", str(chat)])
    assert sent.exit_code == 0, sent.output
    assert x.posted_texts() == ["First", "Second"]
    status = runner.invoke(app, ["status", "--chat", str(chat), "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.output)["counts"]["sent"] == 2


def test_cli_status_shows_links(ledger: SqliteLedger, tmp_path: Path) -> None:
    item = ledger.items()[0]
    ledger.mark_sent(ledger.mark_sending(item), "77", "https://x.com/i/web/status/77")
    result = CliRunner().invoke(app, ["status", "--chat", str(tmp_path / "chat.yaml")])
    assert result.exit_code == 0, result.output
    assert "sent: 1" in result.output
    assert "https://x.com/i/web/status/77" in result.output


def test_cli_post_stops_with_exit_4_on_402(
    x: FakeXApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    x_env(monkeypatch, x)
    chat = tmp_path / "now" / "chat.yaml"
    fresh = due_now(chat, "Live now")
    x.fail_next_credits_depleted("POST /2/tweets")
    result = CliRunner().invoke(app, ["post", "--chat", str(chat)])
    assert result.exit_code == 4
    assert "Error: your X API credits are used up" in result.output
    assert fresh.items()[0].state == "planned"


def test_secrets_never_reach_output_or_files_even_when_x_refuses(
    x: FakeXApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secrets = {
        "LAUNCHKIT_X_API_KEY": "consumer-key-SECRET-1111",
        "LAUNCHKIT_X_API_SECRET": "consumer-secret-SECRET-2222",
        "LAUNCHKIT_X_ACCESS_TOKEN": "access-token-SECRET-3333",
        "LAUNCHKIT_X_ACCESS_SECRET": "access-secret-SECRET-4444",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("LAUNCHKIT_X_API_BASE_URL", x.base_url)
    chat = tmp_path / "c" / "chat.yaml"
    due_now(chat, "First")
    x.fail_next("POST /2/tweets", 401, UNAUTHORIZED)
    runner = CliRunner()
    refused = runner.invoke(app, ["post", "--chat", str(chat)])
    assert refused.exit_code == 4 and "401" in refused.output  # X said no: the error is shown
    for args in (["post"], ["--debug", "status"], ["doctor"]):
        result = runner.invoke(app, [*args, "--chat", str(chat)] if args != ["doctor"] else args)
        shown = result.output + (str(result.exception) if result.exception else "")
        assert not [v for v in secrets.values() if v in shown], args
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert not [v for v in secrets.values() if v.encode() in stored]
