"""A post deleted during the hour, as Mastodon's hashtag stream tells it (`event: delete`,
through the real Mastodon.py against the local instance): `live --json` takes it back with a
`deleted` object, `--plain` names it, and a recap afterwards (from the store the live run
filled) does not show it; the room's rows stay in time order as rows come and go."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from time import sleep as real_sleep

import pytest
from textual.widgets import DataTable

from launchkit.adapters.chatfolder import open_chat_folder
from launchkit.adapters.mastodon_stream import MastodonHashtagStream
from launchkit.adapters.post_store import PostStore
from launchkit.cli.live_room import LiveRoom
from launchkit.cli.runtime import Runtime
from launchkit.commands.live import LiveSession
from launchkit.commands.live_feed import FeedChanges, LiveFeed
from launchkit.domain.live.room import Room
from launchkit.domain.recap.figures import Window
from launchkit.domain.recap.posts import Post
from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.live_hour import WINDOW_START
from tests.recap_hour import AFTER_WINDOW, START, chat_on, env_for
from tests.support import FakeTime, invoke, runtime


def streamed(rt: Runtime) -> tuple[list[MastodonHashtagStream], Callable[[object], None]]:
    """`rt` with Mastodon's stream kept for the test, and a wait (in real time: the stream
    has a thread of its own) until the stream has handed over an event."""
    streams: list[MastodonHashtagStream] = []
    heard: list[object] = []
    make = rt.hashtag_stream

    def keep(tag: str, on_post: Callable[[Post], None], on_delete: Callable[[str, str], None]
             ) -> MastodonHashtagStream:  # fmt: skip
        def posted(post: Post) -> None:
            on_post(post)
            heard.append(post.post_id)

        def deleted(network: str, post_id: str) -> None:
            on_delete(network, post_id)
            heard.append(("deleted", post_id))

        streams.append(make(tag, posted, deleted))
        return streams[-1]

    def until_heard(event: object) -> None:
        for _ in range(400):
            if event in heard or (event is None and streams and streams[0].connected_since):
                return
            real_sleep(0.025)
        raise AssertionError(f"the stream never handed over {event!r}")

    rt.hashtag_stream = keep  # type: ignore[method-assign]
    return streams, until_heard


@pytest.mark.parametrize("flag", ["--json", "--plain"])
def test_a_post_deleted_during_the_hour_is_taken_back_and_left_out_of_the_recap(
    tmp_path: Path, flag: str
) -> None:
    time = FakeTime(WINDOW_START - timedelta(minutes=5), max_sleeps=100_000)
    with FakeMastodonApi(clock=time) as mastodon, FakeBlueskyPds(clock=time) as bluesky:
        chat = chat_on(tmp_path, ["mastodon"])
        env = {**env_for(mastodon, bluesky), "LAUNCHKIT_MASTODON_TOKEN": "test-mastodon-token"}
        rt = runtime(env=env, time=time)
        _, until_heard = streamed(rt)
        said: dict[str, str] = {}

        def during_the_hour(now: datetime) -> None:
            if now >= START + timedelta(minutes=6) and not said:
                until_heard(None)  # the stream is open: what follows comes through it
                for who, text in [("mia", "A1 keep this"), ("olu", "A1 regret this"),
                                  ("cy", "A1 typo, gone at once")]:  # fmt: skip
                    said[text] = mastodon.add_status(f"{text} #IndieDevHour", username=who)["id"]
                    until_heard(said[text])
                mastodon.delete_status(said["A1 typo, gone at once"])  # before the room polls
                until_heard(("deleted", said["A1 typo, gone at once"]))
            elif now >= START + timedelta(minutes=8) and "deleted" not in said:
                said["deleted"] = said["A1 regret this"]
                mastodon.delete_status(said["deleted"])
                until_heard(("deleted", said["deleted"]))

        time.on_sleep = during_the_hour
        result = invoke(rt, ["live", "--chat", str(chat), flag])
        assert result.exit_code == 0, result.stderr
        assert "2 posts (1 deleted since); stopped: the window ended" in result.stderr
        assert "gone at once" not in result.stdout  # deleted before it was shown: never shown
        if flag == "--json":
            lines = [json.loads(line) for line in result.stdout.splitlines()]
            assert [x.get("text") for x in lines[:2]] == [
                "A1 keep this #IndieDevHour",
                "A1 regret this #IndieDevHour",
            ]
            assert lines[2:] == [
                {"schema_version": 1, "deleted": True, "network": "mastodon", "id": said["deleted"]}
            ]
        else:
            assert result.stdout.splitlines()[2] == (
                "20:06 EST  Mastodon  @olu@127.0.0.1  A1  deleted: A1 regret this #IndieDevHour"
            )
        # The live run read the whole window: the recap reads the store, without the post.
        asked = len(mastodon.requests)
        done = invoke(runtime(AFTER_WINDOW, env=env), ["recap", "--chat", str(chat)])
        assert done.exit_code == 0, done.stderr
        assert len(mastodon.requests) == asked
    transcript = (chat.parent / "out/recap/2027-03-02/transcript.md").read_text(encoding="utf-8")
    assert "keep this" in transcript
    assert "regret this" not in transcript and "gone at once" not in transcript


def test_the_rooms_rows_stay_in_time_order_as_late_posts_come_and_rows_go(tmp_path: Path) -> None:
    # Batches as a streamed and a polled network hand them over: a late post is sorted into
    # place even after earlier sorts and a deleted bottom row.
    chat = open_chat_folder(chat_on(tmp_path, ["mastodon"])).chat
    window = Window(WINDOW_START, START + timedelta(hours=2))
    session = LiveSession(chat, chat, START.date(), START, window)
    room = Room(lambda _: False, lambda _: False)

    def at(minute: int) -> Post:
        when = START + timedelta(minutes=minute)
        return Post("mastodon", str(minute), "bo", "Bo", when, f"posted at {minute}", "")

    async def drive() -> list[list[str]]:
        seen: list[list[str]] = []
        with PostStore.open(tmp_path / "community.db") as store:
            feed = LiveFeed(hashtag="#IndieDevHour", session=START.date(), window=window,
                            store=store, readers={}, room=room, host_authors=set())  # fmt: skip
            app = LiveRoom(session, feed, lambda: START, lambda _: None, tick_s=3600)
            async with app.run_test(size=(200, 40)) as pilot:
                table = app.query_one("#posts", DataTable)
                for minutes, deleted in [([10], []), ([5], []), ([7], []), ([6], ["10"])]:
                    gone = [room.remove(("mastodon", d)) for d in deleted]
                    added = room.add([at(m) for m in minutes])
                    app._arrived(FeedChanges(added, [g for g in gone if g is not None]))
                    await pilot.pause()
                    seen.append([str(table.get_row_at(i)[4]) for i in range(table.row_count)])
        return seen

    shown = [[int(text.split()[-1]) for text in rows] for rows in asyncio.run(drive())]
    assert shown == [[10], [5, 10], [5, 7, 10], [5, 6, 7]]
