"""The live room's pure rules (domain/live/, domain/recap/window.live_session) with a fixed
"now": which span a network reads next, what it says about itself, each post once under its
question, the question schedule and its countdown, and which session the room follows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from launchkit.domain.live.polling import SETTLE, SourceState, read_span
from launchkit.domain.live.questions import QuestionRow, countdown, next_question, question_slots
from launchkit.domain.live.room import Room
from launchkit.domain.recap.figures import Window
from launchkit.domain.recap.posts import Post
from launchkit.domain.recap.window import live_session

START = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)  # Tue 2 Mar 20:00 EST
WINDOW = Window(START - timedelta(minutes=10), START + timedelta(hours=2))
ZONE = "America/New_York"
# The season's session starts are in the chat's zone: a session's date is its local date.
SESSIONS = [
    START.astimezone(ZoneInfo(ZONE)),
    (START + timedelta(days=7)).astimezone(ZoneInfo(ZONE)),
]


def post(post_id: str, minute: float, text: str, who: str = "bo", **more: object) -> Post:
    at = START + timedelta(minutes=minute)
    return Post("mastodon", post_id, who, who.title(), at, text, f"https://m.test/{post_id}",
                **more)  # type: ignore[arg-type]  # fmt: skip


def test_each_read_starts_where_the_last_settled_so_late_indexed_posts_are_not_missed() -> None:
    source = SourceState.start("bluesky", WINDOW)
    now = WINDOW.start + timedelta(minutes=1)
    assert read_span(source, now) == (WINDOW.start, now)
    source.read_succeeded(now, now)
    # A post indexed up to 10 s late is still in the next read's span.
    assert source.covered == now - SETTLE
    later = now + timedelta(seconds=20)
    assert source.next_read == later  # Bluesky is read every 20 s
    assert read_span(source, later) == (now - SETTLE, later)
    assert source.label(ZONE) == "polling"


def test_a_failed_read_keeps_the_gap_so_the_next_one_catches_up() -> None:
    source = SourceState.start("mastodon", WINDOW)
    first = START
    source.read_succeeded(first, first)
    failed_at = first + timedelta(seconds=15)
    wait = source.read_failed(failed_at, "Mastodon had a server error (500)")
    assert wait == timedelta(seconds=2)
    assert source.label(ZONE) == ("retrying at 20:00:17 EST: Mastodon had a server error (500)")
    assert source.read_failed(failed_at + wait, "again") == timedelta(seconds=4)  # backs off
    back = failed_at + timedelta(minutes=3)
    assert read_span(source, back) == (first - SETTLE, back)  # the whole gap, at once


def test_a_rate_limit_waits_for_the_reset_the_server_named() -> None:
    source = SourceState.start("bluesky", WINDOW)
    now = START + timedelta(minutes=3)
    reset = START + timedelta(minutes=6)
    source.read_failed(now, "Bluesky rate limit reached", rate_limited=True, reset_at=reset)
    assert source.next_read == reset + timedelta(seconds=1)
    assert not source.due(reset)
    assert source.due(reset + timedelta(seconds=1))
    assert source.label(ZONE).startswith("retrying at 20:06:01 EST: Bluesky rate limit")


def test_a_source_is_done_at_the_windows_end_or_when_it_cannot_be_read() -> None:
    source = SourceState.start("mastodon", WINDOW)
    assert source.label(ZONE) == "waits for 19:50 EST"
    end = WINDOW.end + SETTLE
    source.read_succeeded(WINDOW.end, end)
    assert source.done and source.label(ZONE) == "read to the window's end"
    refused = SourceState.start("x", WINDOW)
    refused.give_up("its price was not confirmed")
    assert refused.done and not refused.due(START)
    assert refused.label(ZONE) == "not checked: its price was not confirmed"


def test_a_post_sent_again_is_shown_once_under_its_question() -> None:
    room = Room(lambda p: p.handle == "ada", lambda p: p.handle == "grace")
    q1 = post("1", 5, "Q1: Why games? #Tag", who="ada")
    a1 = post("2", 6, "A1 because #Tag")
    reply = post("3", 7, "jams! #Tag", who="cy", reply_to="1")
    guest = post("4", 8, "A1 from the guest #Tag", who="grace")
    first = room.add([q1, a1])
    assert [(s.post.post_id, s.question, s.asks) for s in first] == [
        ("1", 1, True),
        ("2", 1, False),
    ]
    again = room.add([a1, reply, guest, reply])  # the overlap of two reads, and a re-send
    assert [s.post.post_id for s in again] == ["3", "4"]
    assert [(s.question, s.role) for s in again] == [(1, ""), (1, "guest")]
    assert [s.post.post_id for s in room.grouped(1)] == ["1", "2", "3", "4"]
    assert len(room) == 4 and room.participants() == 3  # the host left out
    assert room.per_minute(START + timedelta(minutes=10)) == pytest.approx(4 / 5)


def test_the_next_question_and_its_countdown_follow_the_ledgers_rows() -> None:
    due = [START + timedelta(minutes=5 + 10 * n) for n in range(3)]
    rows = [
        QuestionRow(1, "x", "sent", due[0], due[0] + timedelta(seconds=3)),
        QuestionRow(1, "mastodon", "failed", due[0], None),
        QuestionRow(2, "x", "planned", due[1], None),
        QuestionRow(2, "mastodon", "planned", due[1], None),
        QuestionRow(3, "x", "planned", due[2], None),
    ]
    slots = question_slots(rows, ["Why?", "How?", "What next?"])
    first = slots[0]  # posted on X, failed on Mastodon: posted, with the failure named
    assert (first.n, first.posted_on, first.failed_on, first.due_at) == (
        1,
        ("x",),
        ("mastodon",),
        None,
    )
    upcoming = next_question(slots)
    assert upcoming is not None and (upcoming.n, upcoming.text) == (2, "How?")
    assert countdown(due[1] - (START + timedelta(minutes=10, seconds=30))) == "4:30"
    assert countdown(due[1] - (START + timedelta(minutes=16))) == "-1:00"  # overdue
    assert countdown(timedelta(hours=1, minutes=2, seconds=3)) == "1:02:03"


@pytest.mark.parametrize(
    ("now", "wanted", "chosen"),
    [
        (START - timedelta(hours=2), None, START),  # the next, within 12 hours
        (START + timedelta(hours=1, minutes=30), None, START),  # its window is still open
        (START - timedelta(days=6), date(2027, 3, 2), START),  # asked for by its date
    ],
)
def test_the_room_follows_the_session_on_now_or_next(
    now: datetime, wanted: date | None, chosen: datetime
) -> None:
    assert live_session(SESSIONS, timedelta(hours=1), now, wanted) == chosen


@pytest.mark.parametrize(
    ("now", "wanted", "message"),
    [
        (START - timedelta(days=2), None, "the next session is on 2027-03-02: no session is near"),
        (START + timedelta(hours=3), date(2027, 3, 2), "is over (recap it instead)"),
        (START + timedelta(days=30), None, "this chat has no session to come"),
    ],
)
def test_a_session_not_to_follow_says_why(now: datetime, wanted: date | None, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        live_session(SESSIONS, timedelta(hours=1), now, wanted)


def test_a_deleted_post_leaves_the_room_with_its_highlight() -> None:
    room = Room(lambda p: p.handle == "ada", lambda p: False)
    q1 = post("1", 5, "Q1: Why games? #Tag", who="ada")
    a1 = post("2", 6, "A1 because #Tag", who="bo")
    a1b = post("3", 7, "A1 jams #Tag", who="cy")
    room.add([q1, a1, a1b])
    room.toggle_highlight(("mastodon", "2"))
    gone = room.remove(("mastodon", "2"))
    assert gone is not None and (gone.post.text, gone.question, gone.highlighted) == (
        "A1 because #Tag",
        1,
        True,
    )
    assert [s.post.post_id for s in room.timeline()] == ["1", "3"]
    assert [s.post.post_id for s in room.grouped(1)] == ["1", "3"]
    assert room.highlights == set() and room.participants() == 1
    assert room.remove(("mastodon", "2")) is None  # told twice, or never seen: nothing to take out
