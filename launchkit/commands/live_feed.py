"""The live room's engine: every network of the chat read during the session window, each
post kept once in the post store (the one `recap` reads) and in the room.

`poll(now)` is called again and again (by the terminal room, or `live --plain`): it takes
what Mastodon's stream delivered meanwhile, reads each network whose turn it is (the span
it is not covered for, domain/live/polling.py), stores the new posts, marks the spans now
read whole as captured (so a recap after the hour reads no network), and returns the posts
the room had not shown yet. A network that fails is retried after a bounded wait and catches
up on the span it missed; the others go on. People left out by chat.yaml's `recap.exclude`
are dropped before anything is stored or shown.

A post its author deletes (Mastodon's stream says so) leaves the store, its highlight and
the room, and `poll` returns it among the deleted; a read that returns it later (an overlap,
a catch-up read that raced the deletion) does not bring it back. A post that merely stops
appearing in a polled read is not taken for deleted: search indexes lag, so its absence
proves nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from launchkit.adapters.post_store import PostStore
from launchkit.adapters.publishing import AuthFailed, RateLimited
from launchkit.commands.recap_sources import TagReader
from launchkit.commands.session_posts import SentPosts, mark_question
from launchkit.domain.backoff import RetryPolicy
from launchkit.domain.live.polling import RETRY, SourceState, read_span
from launchkit.domain.live.questions import QuestionRow, QuestionSlot, question_slots
from launchkit.domain.live.room import PostKey, Room, Shown, post_key
from launchkit.domain.recap.figures import Window
from launchkit.domain.recap.posts import HandleRule, Post, author_test
from launchkit.errors import ConfigError, LaunchkitError

__all__ = ["FeedChanges", "HashtagStream", "LedgerView", "LiveFeed"]

LEDGER_EVERY = timedelta(seconds=10)  # how often the question schedule is read again

# The ledger as the room reads it: the session's question rows and the posts the host sent.
LedgerView = Callable[[], tuple[list[QuestionRow], SentPosts]]


class HashtagStream(Protocol):
    """A network's push stream (adapters/mastodon_stream.py)."""

    network: str
    connected_since: datetime | None
    generation: int
    problem: str

    def start(self) -> None: ...
    def stop(self) -> None: ...


@dataclass(frozen=True)
class FeedChanges:
    """What a poll changed in the room."""

    shown: list[Shown]  # posts not shown before, oldest first
    deleted: list[Shown]  # posts shown before that their authors deleted, as they were shown


class LiveFeed:
    """The sources of one session's room (see the module docstring)."""

    def __init__(
        self,
        *,
        hashtag: str,
        session: date,
        window: Window,
        store: PostStore,
        readers: Mapping[str, TagReader | str],  # a network's reader, or why there is none
        room: Room,
        host_authors: set[tuple[str, str]],
        planned: Sequence[str] = (),
        ledger: LedgerView | None = None,
        excluded: Sequence[HandleRule] = (),
        policy: RetryPolicy = RETRY,
    ) -> None:
        self.hashtag, self.session, self.window = hashtag, session, window
        self.store, self.readers, self.room = store, readers, room
        self.host_authors, self.planned, self.ledger = host_authors, tuple(planned), ledger
        self.left_out = author_test(excluded)
        self.policy = policy
        self.sources = {n: SourceState.start(n, window) for n in readers}
        for network, reader in readers.items():
            if isinstance(reader, str):
                self.sources[network].give_up(reader)
        self.stream: HashtagStream | None = None
        self._stream_started = False
        self.slots: list[QuestionSlot] = []
        self._sent: SentPosts = {}
        self._ledger_read: datetime | None = None
        self.polled_at: datetime | None = None  # the time of the last poll
        self._inbox: list[Post] = []
        self._deletions: list[PostKey] = []  # deletions the stream reported since the last poll
        self._deleted: set[PostKey] = set()  # every deletion reported: never shown again
        self._lock = threading.Lock()  # the inbox, the store and the room, across threads

    # -- what arrives -----------------------------------------------------------------

    def follow_stream(self, stream: HashtagStream) -> None:
        """Take `stream`'s posts as they come (it calls `receive`); started with the window."""
        self.stream = stream

    def receive(self, post: Post) -> None:
        """A post a stream delivered (from the stream's thread)."""
        with self._lock:
            self._inbox.append(post)

    def receive_deletion(self, network: str, post_id: str) -> None:
        """A post a stream says was deleted (from the stream's thread)."""
        with self._lock:
            self._deletions.append((network, post_id))

    def poll(self, now: datetime) -> FeedChanges:
        """Read what is due (see the module docstring); the posts not shown before, and
        those shown before that were deleted since."""
        self._read_ledger(now)
        if now < self.window.start:
            self.polled_at = now
            return FeedChanges([], [])
        stream = self.stream
        if stream is not None and not self._stream_started:
            self._stream_started = True
            stream.start()
        fresh: list[Post] = []
        for network, state in self.sources.items():
            if stream is not None and network == stream.network and not state.done:
                self._follow(stream, state, now)
            if state.due(now):
                fresh += self._read(network, state, now)
        with self._lock:
            fresh, self._inbox = self._inbox + fresh, []
            gone, self._deletions = self._deletions, []
            self._deleted.update(gone)
            shown = self._take([p for p in fresh if post_key(p) not in self._deleted], stream)
            deleted = self._drop(gone)
        self.polled_at = now
        return FeedChanges(shown, deleted)

    def _follow(self, stream: HashtagStream, state: SourceState, now: datetime) -> None:
        if stream.connected_since is None:
            state.stream_generation = None
            if state.status == "live":
                state.status, state.detail = "polling", stream.problem
                state.next_read = now  # catch up on what the stream did not deliver
            return
        if state.stream_generation != stream.generation:
            state.next_read = now  # catch up on the span no stream saw, then follow it
        else:
            state.stream_covers(now)
            state.next_read = now + timedelta(minutes=1)

    def _read(self, network: str, state: SourceState, now: datetime) -> list[Post]:
        reader = self.readers[network]
        assert not isinstance(reader, str)
        stream = self.stream
        live = stream is not None and stream.network == network and bool(stream.connected_since)
        generation = stream.generation if stream is not None and live else None
        start, end = read_span(state, now)
        try:
            posts = reader.read(self.hashtag, start, end)
        except RateLimited as exc:
            state.read_failed(now, exc.message, rate_limited=True, reset_at=exc.reset_at,
                              policy=self.policy)  # fmt: skip
            return []
        except (AuthFailed, ConfigError) as exc:
            state.give_up(exc.message)
            return []
        except LaunchkitError as exc:
            state.read_failed(now, exc.message, policy=self.policy)
            return []
        state.stream_generation = generation
        state.read_succeeded(end, now, streaming=generation is not None)
        if stream is not None and stream.network == network and generation is None:
            state.detail = stream.problem or "the stream is connecting"
        if reader.truncated:
            state.gap = True
            state.detail = f"some posts were not read: more than {reader.max_calls} page(s) a read"
        return posts

    def _take(self, posts: list[Post], stream: HashtagStream | None) -> list[Shown]:
        kept = [
            mark_question(p, self._sent)
            for p in posts
            if self.window.start <= p.created_at < self.window.end and not self.left_out(p)
        ]
        self.host_authors.update(p.author for p in kept if (p.network, p.post_id) in self._sent)
        if kept:
            self.store.add_posts(self.hashtag, self.session, kept)
        for network, state in self.sources.items():
            span = state.unrecorded()
            if span is not None:  # read whole: recap will not read it again
                self.store.mark_captured(self.hashtag, network, *span)
                state.recorded = span[1]
        if stream is not None and self.sources[stream.network].done:
            stream.stop()
        return self.room.add(kept)

    def _drop(self, keys: list[PostKey]) -> list[Shown]:
        """Delete the posts `keys` name from the store (a post stored by an earlier run
        too) and from the room; those the room had shown, as they were shown."""
        if not keys:
            return []
        self.store.delete_posts(self.hashtag, keys)
        return [s for s in map(self.room.remove, keys) if s is not None]

    def _read_ledger(self, now: datetime) -> None:
        if self.ledger is None:
            return
        if self._ledger_read is not None and now - self._ledger_read < LEDGER_EVERY:
            return
        rows, sent = self.ledger()
        self._ledger_read, self._sent = now, sent
        self.slots = question_slots(rows, self.planned)

    # -- what the room asks -----------------------------------------------------------

    def next_read(self, now: datetime) -> datetime:
        """When the next read is due (the window's end when nothing is)."""
        waiting = [s.next_read for s in self.sources.values() if not s.done]
        return max(now, min([*waiting, self.window.end]), self.window.start)

    def finished(self) -> bool:
        """True once every network was read to the window's end (or cannot be read)."""
        return all(s.done for s in self.sources.values())

    # The room is read from the terminal's thread while a poll adds to it in another one:
    # every look at it takes the lock.

    def rows(self, question: int | None = None, grouped: bool = False) -> list[Shown]:
        """The posts as the room lists them: question `question` only (its host's posts,
        then its answers), every question with its answers (`grouped`), or in time order."""
        with self._lock:
            if question is not None:
                return self.room.grouped(question)
            return self.room.grouped() if grouped else self.room.timeline()

    def shown(self, post: Post) -> Shown:
        """`post` as the room shows it now (its question, role, highlight)."""
        with self._lock:
            return self.room.shown(post)

    def questions(self) -> list[int]:
        """The questions asked or answered so far."""
        with self._lock:
            return self.room.questions()

    def figures(self, now: datetime) -> tuple[int, int, float]:
        """People who posted (the host left out), posts, and posts a minute lately."""
        with self._lock:
            return self.room.participants(), len(self.room), self.room.per_minute(now)

    def toggle_highlight(self, key: PostKey) -> bool:
        """Mark a post for the recap's highlights, or unmark it; True when now marked."""
        with self._lock:
            marked = self.room.toggle_highlight(key)
            self.store.set_highlight(self.hashtag, key[0], key[1], marked)
            return marked

    def close(self) -> None:
        """Stop the stream (the store is closed by its owner)."""
        if self.stream is not None:
            self.stream.stop()
