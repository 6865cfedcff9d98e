"""The live room at a terminal, driven headless by Textual's own test pilot against the
local Mastodon (its hashtag stream) and Bluesky (polled search) servers while a scripted
hour is added to them: posts appear once, in order, under the right question; pause and
filter work; the countdown follows the ledger; a link opens; a marked post is a highlight
of the recap's transcript."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from textual.widgets import DataTable, Static

from launchkit.adapters.ledger import PlanRow
from launchkit.adapters.post_store import PostStore, community_path
from launchkit.cli.live import open_room
from launchkit.cli.live_room import LiveRoom
from launchkit.domain.backoff import RetryPolicy
from launchkit.domain.items import ItemRef
from launchkit.domain.networks import network_label
from launchkit.errors import StorageError
from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.live_hour import WINDOW_START, Replay
from tests.recap_hour import AFTER_WINDOW, START, chat_on, env_for
from tests.support import FakeTime, invoke, open_ledger, runtime

SESSION = date(2027, 3, 2)
SEARCH = "GET /xrpc/app.bsky.feed.searchPosts"
STREAM = "GET /api/v1/streaming/hashtag"
QUESTIONS_DUE = [START + timedelta(minutes=5 + 10 * n) for n in range(5)]


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime(WINDOW_START - timedelta(minutes=1))


@pytest.fixture
def servers(clock: FakeTime) -> Iterator[tuple[FakeMastodonApi, FakeBlueskyPds]]:
    with (
        FakeMastodonApi(clock=clock, heartbeat_s=0.2) as mastodon,
        FakeBlueskyPds(clock=clock) as bluesky,
    ):
        yield mastodon, bluesky


def plan_questions(chat: Path) -> None:
    """The session's five questions in the ledger, planned (as `schedule` leaves them)."""
    with open_ledger(chat) as ledger:
        rows = [
            PlanRow("#IndieDevHour", ItemRef("question", SESSION, n, "x", due),
                    f"Q{n}: question {n} #IndieDevHour")
            for n, due in enumerate(QUESTIONS_DUE, 1)
        ]  # fmt: skip
        ledger.sync_plan("#IndieDevHour", rows)


def send_question(chat: Path, n: int, at: datetime) -> None:
    """What `launchkit post` does when question n is due: its row goes out."""
    with open_ledger(chat, at) as ledger:
        row = next(i for i in ledger.items() if i.ref.step == "question" and i.ref.index == n)
        ledger.mark_sent(ledger.mark_sending(row), f"x{n}", f"https://x.com/ada/status/x{n}")


class Room:
    """The app under the pilot, with the clock, the script and what a person sees."""

    def __init__(
        self, app: LiveRoom, pilot: object, clock: FakeTime, replay: Replay, chat: Path
    ) -> None:
        self.app, self.pilot, self.clock, self.replay, self.chat = app, pilot, clock, replay, chat

    @property
    def table(self) -> DataTable[object]:
        return self.app.query_one("#posts", DataTable)

    def rows(self) -> list[list[str]]:
        return [[str(c) for c in self.table.get_row_at(i)] for i in range(self.table.row_count)]

    def panel(self) -> str:
        return str(self.app.query_one("#panel", Static).content)

    async def wait(self, condition: Callable[[], bool], what: str, seconds: float = 15) -> None:
        for _ in range(int(seconds / 0.05)):
            if condition():
                return
            await self.pilot.pause(0.05)  # type: ignore[attr-defined]
        raise AssertionError(f"still waiting for {what}; panel:\n{self.panel()}")

    async def at(self, moment: datetime) -> None:
        """The clock reaches `moment`, in steps of a minute (each post reaches the servers at its
        time), and the room has polled at each step."""
        while self.clock.now < moment:
            self.clock.now = min(moment, self.clock.now + timedelta(seconds=60))
            self.replay(self.clock.now)
            await self.wait(lambda: self.app.feed.polled_at == self.clock.now, "a poll")
        await self.pilot.pause(self.app.tick_s * 3)  # type: ignore[attr-defined]  # the panel

    def texts(self) -> list[tuple[str, str]]:
        """The posts as the rows show them: network, text (without reply and highlight marks)."""
        return [(r[1], re.sub(r"^(★ )?(↳ @\S+: )?", "", r[4])) for r in self.rows()]

    def written(self, until: datetime) -> list[tuple[str, str]]:
        return [(network_label(w.network), " ".join(w.text.split()))
                for w in self.replay.in_window(until)]  # fmt: skip

    async def shows_everything_to(self, moment: datetime) -> None:
        """Every post of the script before `moment` is shown once, in order, and nothing
        that was not posted (the last seconds may still be on their way)."""
        await self.wait(lambda: len(self.rows()) >= len(self.written(moment)), "the rows")
        texts = self.texts()
        assert texts[: len(self.written(moment))] == self.written(moment)
        assert len(set(texts)) == len(texts)  # each once
        assert set(texts) <= set(self.written(self.clock.now + timedelta(seconds=1)))
        times = [r[0] for r in self.rows()]
        assert times == sorted(times)  # oldest first: the newest at the bottom

    async def press(self, *keys: str) -> None:
        await self.pilot.press(*keys)  # type: ignore[attr-defined]
        await self.pilot.pause(0.1)  # type: ignore[attr-defined]


def run_room(
    tmp_path: Path,
    servers: tuple[FakeMastodonApi, FakeBlueskyPds],
    clock: FakeTime,
    scenario: Callable[[Room], object],
    until: datetime | None = None,
) -> tuple[Path, list[str], Replay]:
    mastodon, bluesky = servers
    chat = chat_on(tmp_path, ["mastodon", "bluesky"])
    data = yaml.safe_load(chat.read_text(encoding="utf-8"))
    data["guests"] = [{"name": "Noor", "email": "noor@example.org", "handle": "@noor",
                       "session": SESSION}]  # fmt: skip
    chat.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    plan_questions(chat)
    env = {**env_for(mastodon, bluesky), "LAUNCHKIT_MASTODON_TOKEN": "test-mastodon-token"}
    rt = runtime(env=env, time=clock)
    opened: list[str] = []
    rt.browser = opened.append
    replay = Replay(mastodon, bluesky)

    async def main() -> None:
        with rt.post_store(chat, any_thread=True) as store:
            session, feed = open_room(rt, chat, None, False, store)
            app = LiveRoom(session, feed, rt.now, rt.open_link, until=until, tick_s=0.05)
            try:
                async with app.run_test(size=(200, 70)) as pilot:
                    await scenario(Room(app, pilot, clock, replay, chat))  # type: ignore[misc]
            finally:
                feed.close()

    asyncio.run(main())
    return chat, opened, replay


def test_posts_appear_once_in_order_under_their_question(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], clock: FakeTime
) -> None:
    async def scenario(room: Room) -> None:
        assert "Mastodon: waits for 19:50 EST" in room.panel()
        await room.at(WINDOW_START + timedelta(seconds=20))
        await room.wait(lambda: "Mastodon: live" in room.panel(), "the stream")
        assert servers[0].streams.open_count == 1
        await room.at(START + timedelta(minutes=27))
        await room.shows_everything_to(room.clock.now - timedelta(seconds=20))
        rows = room.rows()
        assert rows[0][:2] == ["19:52 EST", "Mastodon"]
        answers = [r for r in rows if r[3] == "A2"]
        assert len(answers) == len(room.replay.expected.answers[2])
        assert any(r[3] == "Q2" and r[1] == "Bluesky" for r in rows)
        assert "people" in room.panel() and "posts a minute" in room.panel()
        # The session's guest stands out; nobody else does.
        cells = [room.table.get_row_at(i) for i in range(room.table.row_count)]
        guest = [c for c in cells if str(c[2]).startswith("@noor")]
        assert guest and all(str(c[2]).endswith("(guest)") for c in guest)
        assert {c[4].style for c in guest} == {"bold yellow"}
        assert not any(c[4].style == "bold yellow" for c in cells if c not in guest)

    run_room(tmp_path, servers, clock, scenario)


def test_pause_and_filter_change_what_is_shown_not_what_is_read(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], clock: FakeTime
) -> None:
    async def scenario(room: Room) -> None:
        await room.at(START + timedelta(minutes=14))
        await room.shows_everything_to(room.clock.now - timedelta(seconds=20))
        await room.press("p")
        frozen = room.rows()
        await room.at(START + timedelta(minutes=19))
        assert room.rows() == frozen  # paused: nothing moves
        assert len(room.app.feed.room) > len(frozen)  # but the posts were read
        assert re.search(r"PAUSED: \d+ new post\(s\) waiting", room.panel())
        await room.press("p")
        await room.shows_everything_to(room.clock.now - timedelta(seconds=20))

        await room.press("2")  # question 2 only: the host's posts of it, then its answers
        rows = room.rows()
        assert [r[3] for r in rows[:2]] == ["Q2", "Q2"]
        assert {r[1] for r in rows[:2]} == {"Mastodon", "Bluesky"}
        assert {r[3] for r in rows[2:]} == {"A2"}
        answers = [r[4] for r in rows[2:]]
        expected = room.replay.expected.answers[2]
        assert len(answers) == len(expected)
        assert all(any(marker in text for text in answers) for marker in expected)
        assert "showing Q2 only" in room.panel()
        await room.press("f")  # the next question asked so far: none, so every post again
        assert "showing" not in room.panel() and len(room.rows()) == len(room.app.feed.room)
        await room.press("f")
        assert "showing Q1 only" in room.panel()
        await room.press("a")
        assert len(room.rows()) == len(room.app.feed.room)
        await room.press("g")  # every question with its answers under it, then the rest
        marks = [r[3] for r in room.rows()]
        asked = [m for m in marks if m]
        assert asked[0] == "Q1" and [int(m[1:]) for m in asked] == sorted(int(m[1:]) for m in asked)
        assert marks[len(asked) :] == [""] * (len(marks) - len(asked))  # the rest last
        assert "grouped by question" in room.panel() and len(marks) == len(room.app.feed.room)

    run_room(tmp_path, servers, clock, scenario)


def test_the_countdown_follows_the_ledger_and_a_marked_post_is_a_highlight(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], clock: FakeTime
) -> None:
    async def scenario(room: Room) -> None:
        await room.at(START + timedelta(minutes=2))
        assert "▶ Q1 due 20:05 EST in 3:00" in room.panel()
        assert "  Q2 due 20:15 EST\n" in room.panel()
        send_question(room.chat, 1, QUESTIONS_DUE[0])
        await room.at(START + timedelta(minutes=7))
        await room.wait(lambda: "✓ Q1 20:05 EST X" in room.panel(), "Q1 sent")
        assert "▶ Q2 due 20:15 EST in 8:00" in room.panel()
        await room.at(START + timedelta(minutes=16))  # Q2 is late: the countdown says so
        assert "▶ Q2 due 20:15 EST in -1:00" in room.panel()

        answer = next(i for i, r in enumerate(room.rows()) if r[3] == "A1")
        room.table.move_cursor(row=answer)
        await room.press("o")
        shown = "\n".join(str(n.message) for n in room.app._notifications)
        assert "https://" in shown or "http://" in shown  # the link, to copy if no browser opens
        await room.press("m")
        assert room.rows()[answer][4].startswith("★ ")
        marked.extend([room.rows()[answer][2], room.rows()[answer][4].removeprefix("★ ")])

    marked: list[str] = []  # who, what
    chat, opened, replay = run_room(tmp_path, servers, clock, scenario)
    who = marked[0].lstrip("@").split("@")[0]
    assert len(opened) == 1 and who in opened[0]  # the marked post's own page
    mastodon, bluesky = servers
    replay(AFTER_WINDOW)  # the rest of the hour, which the recap reads from the networks
    done = invoke(runtime(AFTER_WINDOW, env=env_for(mastodon, bluesky)),
                  ["recap", "--chat", str(chat)])  # fmt: skip
    assert done.exit_code == 0, done.stderr
    transcript = (chat.parent / "out/recap/2027-03-02/transcript.md").read_text(encoding="utf-8")
    highlights = transcript.split("## Highlights", 1)[1].split("\n## ", 1)[0]
    assert marked[1].split(" #")[0] in re.sub(r"\\(.)", r"\1", highlights)


def test_a_dropped_stream_and_a_rate_limit_show_and_catch_up_without_duplicates(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], clock: FakeTime
) -> None:
    mastodon, bluesky = servers

    async def scenario(room: Room) -> None:
        stream = room.app.feed.stream
        assert stream is not None
        stream.policy = RetryPolicy(transient_base=timedelta(seconds=0.2))  # quick reconnects
        await room.at(WINDOW_START + timedelta(seconds=20))
        await room.wait(lambda: "Mastodon: live" in room.panel(), "the stream")
        await room.at(START + timedelta(minutes=3))
        reset = START + timedelta(minutes=6)
        bluesky.fail_next(SEARCH, 429, {"error": "RateLimitExceeded", "message": "slow down"},
                          {"ratelimit-reset": str(int(reset.timestamp()))})  # fmt: skip
        mastodon.fail_next(STREAM, 500, {"error": "oops"}, times=3)
        mastodon.streams.drop()
        await room.wait(lambda: "Mastodon: polling (the stream" in room.panel(), "the drop")
        await room.at(START + timedelta(minutes=4))
        assert "Bluesky: retrying at 20:06:01 EST: Bluesky rate limit reached" in room.panel()
        await room.at(START + timedelta(minutes=9))
        await room.wait(lambda: "Mastodon: live" in room.panel(), "the stream again")
        assert "Bluesky: polling" in room.panel()
        await room.shows_everything_to(room.clock.now - timedelta(seconds=20))

    run_room(tmp_path, servers, clock, scenario)
    assert mastodon.streams.connections >= 2


def test_a_store_that_cannot_be_written_closes_the_room_with_the_reason(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], clock: FakeTime
) -> None:
    async def scenario(room: Room) -> None:
        room.app.feed.store.conn.execute("PRAGMA query_only = 1")  # as a full disk refuses
        room.clock.now = START + timedelta(minutes=6)
        room.replay(room.clock.now)
        for _ in range(300):
            if room.app.failure is not None and not room.app.is_running:
                break
            await asyncio.sleep(0.05)
        failures.append(room.app.failure)

    failures: list[object] = []
    run_room(tmp_path, servers, clock, scenario)
    assert isinstance(failures[0], StorageError)
    assert "community.db: could not be written" in failures[0].message


def test_until_closes_the_room_at_its_time(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], clock: FakeTime
) -> None:
    async def scenario(room: Room) -> None:
        await room.at(START + timedelta(minutes=2))
        assert "stops at 20:03 EST (--until)" in room.panel()
        assert room.app.is_running
        room.clock.now = START + timedelta(minutes=3)
        for _ in range(100):
            if not room.app.is_running:
                break
            await asyncio.sleep(0.05)
        closed.append(not room.app.is_running)

    closed: list[bool] = []
    run_room(tmp_path, servers, clock, scenario, until=START + timedelta(minutes=3))
    assert closed == [True]


def test_a_deleted_post_leaves_the_room_paused_or_not_and_the_store_with_its_mark(
    tmp_path: Path, servers: tuple[FakeMastodonApi, FakeBlueskyPds], clock: FakeTime
) -> None:
    mastodon = servers[0]

    async def scenario(room: Room) -> None:
        await room.at(START + timedelta(minutes=3))
        await room.wait(lambda: "Mastodon: live" in room.panel(), "the stream")
        said = mastodon.add_status("A1 regret this #IndieDevHour", username="olu")["id"]
        await room.wait(lambda: any("regret this" in r[4] for r in room.rows()), "the post")
        room.table.move_cursor(row=next(i for i, r in enumerate(room.rows()) if "regret" in r[4]))
        await room.press("m", "p")  # marked for the highlights, then the room paused
        assert room.app.feed.store.highlights("#IndieDevHour") == {("mastodon", said)}
        before = len(room.rows())
        mastodon.delete_status(said)
        await room.wait(lambda: len(room.rows()) == before - 1, "the row to go")
        assert not any("regret this" in r[4] for r in room.rows())
        assert "@olu@127.0.0.1 deleted the post of 20:03 EST on Mastodon" in "\n".join(
            str(n.message) for n in room.app._notifications
        )
        await room.press("p")
        await room.at(START + timedelta(minutes=5))
        assert not any("regret this" in r[4] for r in room.rows())
        assert f"{len(room.rows())} posts" in room.panel()

    chat, _, _ = run_room(tmp_path, servers, clock, scenario)
    with PostStore.open(community_path(chat)) as store:
        texts = [p.text for p in store.posts_in_window("#IndieDevHour", WINDOW_START, START)]
        texts += [p.text for p in store.posts_in_window("#IndieDevHour", START, AFTER_WINDOW)]
        assert texts and not any("regret this" in t for t in texts)
        assert store.highlights("#IndieDevHour") == set()
