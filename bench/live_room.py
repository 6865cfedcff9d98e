"""The live room's engine through a busy hour: 10,000 posts in the session window, polled as
`launchkit live` polls them, with the room holding the whole hour by the end.

A (the target: under the room's 1 s tick): one poll of `LiveFeed` late in the hour, with
~9,700 posts already in the room: the reads (in-memory readers, so the network's own time is
left out), the new posts into the post store (a real SQLite file), the captures, and the room
sorting every post into questions and answers again. B (the reference, side by side): recap's
threading of the same posts once (`domain/recap/threads.thread_posts`), the pass a recap makes
for the whole hour and the room makes at every poll that brings something new.

Also reported: the whole hour polled every 20 s (the sum and the slowest of its polls), as
informative figures; and the room's table (Textual, headless) showing the hour when a batch
of posts older than its last row arrives (a network polled after the stream delivered newer
posts): the rows added and sorted into place (A) against the whole table built again (B).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from _common import REPO, WORK, Comparison, report, report_value, time_funcs

sys.path.insert(0, str(REPO))

from textual.widgets import DataTable

from launchkit.adapters.chatfolder import open_chat_folder
from launchkit.adapters.post_store import PostStore
from launchkit.cli.live_room import LiveRoom
from launchkit.commands.live import LiveSession
from launchkit.commands.live_feed import LiveFeed
from launchkit.domain.live.room import Room
from launchkit.domain.recap.figures import Window
from launchkit.domain.recap.posts import Post
from launchkit.domain.recap.threads import thread_posts
from tests.recap_hour import START, chat_on

PER_NETWORK = 5_000
RUNS = 5
TAG = "#IndieDevHour"
WINDOW = Window(START - timedelta(minutes=10), START + timedelta(hours=2))
STEP = timedelta(seconds=20)  # both networks are due at every step (15 s and 20 s)


class MemoryReader:
    """A network's posts from memory, read by span as the real readers are."""

    paid = False
    max_calls = 10
    truncated = False

    def __init__(self, network: str, posts: list[Post]) -> None:
        self.network, self.posts = network, posts

    def read(self, tag: str, start: datetime, end: datetime) -> list[Post]:
        return [p for p in self.posts if start <= p.created_at < end]


def _hour(network: str) -> list[Post]:
    """5 questions by the host and 4,995 answers and remarks from 200 people, spread over the
    window; answers as "A3: ..." or replies to the question."""
    span = WINDOW.end - WINDOW.start
    host = "ada_example"
    questions = [
        Post(network, f"{network}-q{n}", host, "Ada", START + timedelta(minutes=5 + 10 * (n - 1)),
             f"Q{n}: question {n} {TAG}", "")
        for n in range(1, 6)
    ]  # fmt: skip
    talk = []
    for i in range(PER_NETWORK - 5):
        at = WINDOW.start + span * (i / PER_NETWORK)
        n = 1 + i % 5
        text = f"A{n}: answer {i} {TAG}" if i % 3 else f"thoughts {i} {TAG}"
        reply = questions[n - 1].post_id if i % 7 == 0 else None
        talk.append(Post(network, f"{network}-{i}", f"p{i % 200}", "", at, text, "", reply))
    return sorted([*questions, *talk], key=lambda p: p.created_at)


def main() -> None:
    folder = WORK / "live_room"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    hour = {network: _hour(network) for network in ("mastodon", "bluesky")}
    every = [p for posts in hour.values() for p in posts]

    def is_host(post: Post) -> bool:
        return post.handle == "ada_example"

    with PostStore.open(folder / "community.db") as store:
        feed = LiveFeed(
            hashtag=TAG,
            session=date(2027, 3, 2),
            window=WINDOW,
            store=store,
            readers={n: MemoryReader(n, posts) for n, posts in hour.items()},
            room=Room(is_host, lambda _: False),
            host_authors=set(),
        )
        now = WINDOW.start
        polls: list[float] = []
        last_timed = WINDOW.end - STEP * (RUNS + 1)
        while now < last_timed:
            began = time.perf_counter()
            feed.poll(now)
            polls.append(time.perf_counter() - began)
            now += STEP
        moments = iter([now + STEP * i for i in range(RUNS + 1)])
        in_room = len(feed.room)

        def poll_late() -> None:
            feed.poll(next(moments))

        def thread_all() -> None:
            thread_posts(every, is_host, [])

        comp = time_funcs(poll_late, thread_all, runs=RUNS)
        assert len(feed.room) > in_room, "the timed polls brought new posts"
        feed.poll(WINDOW.end + timedelta(minutes=1))  # the rest of the hour: nothing polls
        assert feed.finished()  # while the table is timed
        table = _table(folder, feed)
    report(
        f"a live poll with {in_room:,} posts in the room (in-process)",
        comp,
        "a poll < 1 s, the room's tick",
        ref_name="threading 10,000 posts once",
    )
    report_value("a late live poll, median", comp.a_median, "s", "< 1 s")
    report_value(
        f"the hour polled every 20 s ({len(polls)} polls), all polls", sum(polls), "s",
        "informative",
    )  # fmt: skip
    report_value("the hour's slowest poll", max(polls), "s", "informative")
    report(
        f"20 late posts into the room's table of {len(feed.room) - 20:,} rows (Textual)",
        table,
        "faster than building the table again",
        ref_name="building the table again",
    )


def _table(folder: Path, feed: LiveFeed) -> Comparison:
    """A late batch into the room's table showing the whole hour: sorted into place against
    built again (see the module docstring). A and B alternate, each from the same table."""
    chat = open_chat_folder(chat_on(folder, ["mastodon", "bluesky"])).chat
    session = LiveSession(chat, chat, START.date(), START, WINDOW)
    app = LiveRoom(session, feed, lambda: WINDOW.end, lambda _: None, tick_s=3600)
    every = feed.rows()
    late = every[:: len(every) // 20][:20]  # 20 posts from across the hour
    keep = [s for s in every if s not in late]
    a: list[float] = []
    b: list[float] = []

    async def timed(pilot: Any, step: Callable[[], None]) -> float:
        began = time.perf_counter()
        step()
        await pilot.pause()  # the table is drawn
        return time.perf_counter() - began

    async def drive() -> None:
        async with app.run_test(size=(200, 60)) as pilot:
            table = app.query_one("#posts", DataTable)
            for run in range(RUNS + 1):
                table.clear()
                app._shown = []
                app._append(keep)  # the hour as shown, but for 20 posts
                await pilot.pause()
                sorted_in = await timed(pilot, lambda: app._append(late))
                assert table.row_count == len(every)
                assert [table.get_row_at(i)[4].plain for i in range(3)] == [
                    s.post.text for s in every[:3]
                ]
                rebuilt = await timed(pilot, app._rebuild)
                if run:  # the first of each is the warm-up
                    a.append(sorted_in)
                    b.append(rebuilt)

    asyncio.run(drive())
    return Comparison(a, b)


if __name__ == "__main__":
    main()
