"""Finding 1 of issue 19: a row whose outcome is unknown is matched to a post only when that
post was made after the row entered `sending` and has exactly its text (never by text alone,
never another chat's, never another row's)."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from launchkit.adapters.ledger import PlanRow, SqliteLedger, ledger_path
from launchkit.adapters.x_post import TweepyPublisher, tweepy_publisher
from launchkit.commands import post
from launchkit.domain.items import ItemRef
from launchkit.domain.networks.identity import OwnPost
from launchkit.domain.reconcile import CLOCK_SKEW, find_own_post
from tests.fakes.x_api import SERVER_ERROR, FakeXApi
from tests.support import FakeTime, x_settings

SENT = datetime(2027, 1, 19, 1, 5, tzinfo=UTC)  # session 2's Q1 enters `sending`
TEXT = "Q1: What got you into making games? #IndieDevHour"


def own(post_id: str, text: str, created: datetime) -> OwnPost:
    return OwnPost(post_id, text, created, f"https://x.com/i/web/status/{post_id}")


@pytest.mark.parametrize(
    ("post", "found"),
    [
        (own("1", TEXT, SENT + timedelta(seconds=2)), True),
        (own("2", TEXT, SENT - CLOCK_SKEW + timedelta(seconds=1)), True),  # clocks apart
        (own("3", TEXT, SENT - timedelta(days=7)), False),  # last week's, same words
        (own("4", TEXT, SENT - CLOCK_SKEW - timedelta(seconds=1)), False),
        (own("6", TEXT + " ", SENT), True),  # the network trims
        (own("7", TEXT.replace("#IndieDevHour", "#IndieDevHours"), SENT), False),
        (own("8", TEXT.replace("games", "game"), SENT), False),
    ],
)
def test_a_post_is_a_rows_post_only_when_made_after_and_with_its_text(
    post: OwnPost, found: bool
) -> None:
    assert (find_own_post(TEXT, SENT, [post]) == post) is found


def test_a_post_already_recorded_for_another_row_is_never_matched_again() -> None:
    mine = own("9", TEXT, SENT + timedelta(seconds=1))
    assert find_own_post(TEXT, SENT, [mine], claimed={"9"}) is None


def test_texts_compare_in_one_unicode_form() -> None:
    composed = "Q1: Où êtes-vous ? #CaféChat"
    decomposed = unicodedata.normalize("NFD", composed)
    assert find_own_post(composed, SENT, [own("1", decomposed, SENT)]) is not None


# -- against the fake X API, with the real tweepy client ---------------------------------------


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime(SENT)


def publisher_of(x: FakeXApi) -> TweepyPublisher:
    return tweepy_publisher(x_settings(x.base_url))


def row(chat: str, text: str, session: date, due: datetime) -> PlanRow:
    return PlanRow(chat, ItemRef("question", session, 1, "x", due), text)


def send_all(ledger: SqliteLedger, x: FakeXApi, clock: FakeTime) -> post.PostRun:
    options = post.PostOptions(late_ok=True)
    return post.run(ledger, lambda n: publisher_of(x), options, clock, clock.sleep)


def test_last_weeks_post_with_the_same_text_is_not_taken_for_this_weeks_after_a_500(
    x: FakeXApi, clock: FakeTime, tmp_path: Path
) -> None:
    # The finding: session 2's Q1 was recorded as "found" with session 1's post after one 500
    # and never went out. Session 1's Q1 (same words) was posted a week earlier.
    chat = "#IndieDevHour"
    week_ago = SENT - timedelta(days=7)
    ledger = SqliteLedger.open(ledger_path(tmp_path / "chat.yaml"), clock=clock)
    ledger.sync_plan(
        chat,
        [row(chat, TEXT, date(2027, 1, 11), week_ago), row(chat, TEXT, date(2027, 1, 18), SENT)],
    )
    clock.now = week_ago
    send_all(ledger, x, clock)  # session 1 goes out
    clock.now = SENT
    first_id = x.posted()[0]["id"]
    x.fail_next("POST /2/tweets", 500, SERVER_ERROR)  # a 500 with no effect
    result = send_all(ledger, x, clock)
    second = ledger.items()[1]
    assert second.remote_id != first_id, "session 2's Q1 taken for session 1's post"
    # X refuses the same text again: the row fails and says so; it is not "found".
    assert second.state == "failed"
    assert second.error is not None and "duplicate" in second.error
    assert [r.outcome for r in result.results] == ["failed"]
    assert len(x.posted()) == 1


def test_another_chats_alike_post_is_never_matched(
    x: FakeXApi, clock: FakeTime, tmp_path: Path
) -> None:
    # Two chats on one account whose posts differ only in their link. Chat B's row gets a 500
    # with no effect while chat A's alike post goes out at that very moment.
    ledger = SqliteLedger.open(ledger_path(tmp_path / "b" / "chat.yaml"), clock=clock)
    mine = "We're live! Join in: https://b.example/live #MakerHour"
    theirs = "We're live! Join in: https://a.example/live #MakerHour"
    ledger.sync_plan("#MakerHour", [row("#MakerHour", mine, date(2027, 1, 18), SENT)])
    publisher_of(x).create_post(theirs)  # the other chat's folder, same account
    x.fail_next("POST /2/tweets", 500, SERVER_ERROR)
    send_all(ledger, x, clock)
    (item,) = ledger.items()
    assert item.state == "sent"
    assert item.remote_id == x.posted()[1]["id"]
    assert [p["text"] for p in x.posted()] == [theirs, mine]


def test_links_and_entities_are_compared_as_written(
    x: FakeXApi, clock: FakeTime, tmp_path: Path
) -> None:
    # X gives the text back with a t.co link and &amp;: the row is still found after a 500
    # that came after the post was made.
    text = "Q&A <live> now: https://example.org/indie?a=1&b=2 #IndieDevHour"
    ledger = SqliteLedger.open(ledger_path(tmp_path / "chat.yaml"), clock=clock)
    ledger.sync_plan("#IndieDevHour", [row("#IndieDevHour", text, date(2027, 1, 18), SENT)])
    x.fail_next("POST /2/tweets", 500, SERVER_ERROR, applied=True)
    result = send_all(ledger, x, clock)
    assert [r.outcome for r in result.results] == ["found"]
    assert ledger.items()[0].remote_id == x.posted()[0]["id"]
    assert len(x.posted()) == 1
