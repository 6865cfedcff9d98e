"""`recap` over 10,000 posts in the window, beside the time to fetch them (local servers).

A (the target: under 2 s): the recap itself, in-process, with the 10,000 posts already in the
post store (read whole, as a first run or the live room leaves them): the session, the
threads, the figures, transcript.md, transcript.html, summary.json, the people store and the
recap post. B (the reference, reported beside it): fetching the same posts from the local
Mastodon (5,000, 40 a page) and Bluesky (5,000, 100 a page) servers of the tests through the
real readers (Mastodon.py; XRPC with the saved session) into an empty store. The fetch time is
mostly the fake servers' own work: a real instance's time is the network's.
"""

from __future__ import annotations

import shutil
import sys
from datetime import timedelta
from pathlib import Path

from _common import REPO, WORK, report, report_value, time_funcs

sys.path.insert(0, str(REPO))

from launchkit.adapters.bluesky import bluesky_account
from launchkit.adapters.bluesky_search import BlueskyTagReader
from launchkit.adapters.chatfolder import open_chat_folder
from launchkit.adapters.mastodon_timeline import mastodon_tag_reader
from launchkit.adapters.people_store import PeopleStore
from launchkit.adapters.post_store import PostStore
from launchkit.commands import recap
from launchkit.commands.recap_sources import TagReader
from launchkit.settings import load_settings
from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.recap_hour import AFTER_WINDOW, START, chat_on, env_for

PER_NETWORK = 5_000
RUNS = 5
TAG = "#IndieDevHour"


def _fill(mastodon: FakeMastodonApi, bluesky: FakeBlueskyPds) -> None:
    """5 questions and 4,995 other posts on each network, spread over the window, answers
    ("A3: ...", replies to a question) and talk from 200 people a network."""
    window = timedelta(minutes=125)
    questions_m, questions_b = [], []
    for n in range(1, 6):
        at = START + timedelta(minutes=5 + 10 * (n - 1))
        questions_m.append(
            mastodon.add_status(f"Q{n}: question {n} {TAG}", username="ada_example", created_at=at)[
                "id"
            ]
        )
        questions_b.append(
            bluesky.add_post(f"Q{n}: question {n} {TAG}", handle="chathost.test", created_at=at)
        )
    for i in range(PER_NETWORK - 5):
        at = START - timedelta(minutes=9) + window * (i / PER_NETWORK)
        n = 1 + i % 5
        text = f"A{n}: answer {i} {TAG}" if i % 3 else f"thoughts {i} {TAG}"
        reply_m = questions_m[n - 1] if i % 7 == 0 else None
        reply_b = questions_b[n - 1] if i % 7 == 0 else None
        mastodon.add_status(text, username=f"m{i % 200}", created_at=at, in_reply_to=reply_m)
        handle = f"b{i % 200}.bsky.test"
        bluesky.add_post(text, handle=handle, created_at=at, reply_to=reply_b)


def main() -> None:
    folder = WORK / "recap_scale"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with (
        FakeMastodonApi(clock=lambda: AFTER_WINDOW) as mastodon,
        FakeBlueskyPds(clock=lambda: AFTER_WINDOW) as bluesky,
    ):
        _fill(mastodon, bluesky)
        chat_file = chat_on(folder, ["mastodon", "bluesky"])
        settings = load_settings(env=env_for(mastodon, bluesky), config_file=Path("/nonexistent"))
        folder_obj = open_chat_folder(chat_file)
        chat = folder_obj.chat
        duration = timedelta(minutes=chat.schedule.duration_min)
        start, end = START - timedelta(minutes=10), START + duration + timedelta(minutes=60)
        store_path = folder / ".launchkit" / "community.db"
        fetched: list[int] = []

        def fetch() -> None:
            store_path.unlink(missing_ok=True)
            readers = [
                mastodon_tag_reader(settings),
                BlueskyTagReader(bluesky_account(settings, chat_file, lambda: AFTER_WINDOW)),
            ]
            with PostStore.open(store_path) as store:
                total = 0
                for reader in readers:
                    posts = reader.read(TAG, start, end)
                    store.replace_window(TAG, reader.network, start, end, START.date(), posts)
                    total += len(posts)
            fetched.append(total)

        def run_recap() -> None:
            def no_reader(network: str) -> TagReader:
                raise AssertionError("the window is in the store: nothing is fetched")

            with PostStore.open(store_path) as posts, PeopleStore.open(store_path) as people:
                result = recap.run(
                    folder_obj, None, posts, people, no_reader, lambda _: "no", now=AFTER_WINDOW
                )
            assert result.summary.posts == 2 * PER_NETWORK, result.summary.posts

        fetch()  # the store the recaps read (each fetch leaves the same one)
        comp = time_funcs(run_recap, fetch, runs=RUNS)
        assert set(fetched) == {2 * PER_NETWORK}, fetched
    report("recap of 10,000 posts (in-process)", comp, "recap < 2 s", ref_name="fetching them")
    report_value("recap of 10,000 posts, median", comp.a_median, "s", "< 2 s")
    report_value(
        "fetching 10,000 posts from the local servers, median", comp.b_median, "s", "informative"
    )


if __name__ == "__main__":
    main()
