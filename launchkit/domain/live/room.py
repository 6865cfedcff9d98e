"""The live room's posts (pure): each post once, whatever the number of times a network sends
it, sorted into the host's questions and their answers by recap's rules
(domain/recap/threads.py), with what the side panel counts.

>>> from datetime import UTC, datetime
>>> at = datetime(2027, 3, 3, 1, 5, tzinfo=UTC)
>>> room = Room(lambda p: p.handle == "ada", lambda p: False)
>>> q1 = Post("x", "1", "ada", "", at, "Q1: Why games? #Tag", "")
>>> a1 = Post("x", "2", "bo", "", at, "A1 because #Tag", "")
>>> [(s.post.post_id, s.question, s.asks) for s in room.add([q1, a1, a1])]
[('1', 1, True), ('2', 1, False)]
>>> room.add([a1]), room.participants()
([], 1)
>>> room.remove(("x", "2")).post.text, len(room), room.remove(("x", "2"))
('A1 because #Tag', 1, None)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from launchkit.domain.recap.figures import participant_counts
from launchkit.domain.recap.posts import Post
from launchkit.domain.recap.threads import Threads, thread_posts

__all__ = ["PostKey", "Room", "Shown", "post_key"]

PostKey = tuple[str, str]  # (network, post id): what makes a post the same post
RATE_SPAN = timedelta(minutes=5)  # posts per minute are counted over the last five minutes


def post_key(post: Post) -> PostKey:
    """The identity of a post across re-sends: its network and its id there."""
    return post.network, post.post_id


@dataclass(frozen=True)
class Shown:
    """A post as the room shows it."""

    post: Post
    question: int | None  # the question it asks (the host's Qn) or answers
    asks: bool  # the host's post of the question
    role: str  # "host", "guest" or ""
    parent: Post | None  # the post it replies to, when the room has it
    highlighted: bool  # marked for the recap's highlights


class Room:
    """Every post read so far, once each (see the module docstring)."""

    def __init__(
        self,
        is_host: Callable[[Post], bool],
        is_guest: Callable[[Post], bool],
        planned: Sequence[str] = (),
    ) -> None:
        self.is_host, self.is_guest, self.planned = is_host, is_guest, tuple(planned)
        self.highlights: set[PostKey] = set()
        self._posts: dict[PostKey, Post] = {}
        self._threads: Threads = thread_posts([], is_host, planned)
        self._question_of: dict[PostKey, tuple[int, bool]] = {}

    def add(self, posts: Iterable[Post]) -> list[Shown]:
        """Add the posts the room has not seen; the new ones as shown, oldest first."""
        new: dict[PostKey, Post] = {}
        for post in posts:
            if post_key(post) not in self._posts:
                new.setdefault(post_key(post), post)
        if not new:
            return []
        self._posts.update(new)
        self._sort()
        return [self.shown(p) for p in _oldest_first(new.values())]

    def _sort(self) -> None:
        self._threads = thread_posts(list(self._posts.values()), self.is_host, self.planned)
        self._question_of = {}
        for q in self._threads.questions:
            self._question_of.update({post_key(p): (q.n, True) for p in q.posts})
            self._question_of.update({post_key(p): (q.n, False) for p in q.answers})

    def shown(self, post: Post) -> Shown:
        """`post` with its question, role and parent as the room knows them now."""
        n, asks = self._question_of.get(post_key(post), (None, False))
        role = "host" if self.is_host(post) else "guest" if self.is_guest(post) else ""
        parent = self._threads.parent_of(post)
        return Shown(post, n, asks, role, parent, post_key(post) in self.highlights)

    def get(self, key: PostKey) -> Post | None:
        """The post with this key, when the room has it."""
        return self._posts.get(key)

    def timeline(self) -> list[Shown]:
        """Every post, oldest first (newest at the bottom)."""
        return [self.shown(p) for p in _oldest_first(self._posts.values())]

    def questions(self) -> list[int]:
        """The numbers of the questions asked or answered so far."""
        return [q.n for q in self._threads.questions]

    def grouped(self, question: int | None = None) -> list[Shown]:
        """The questions in order, each with the host's posts of it then its answers (oldest
        first), then the rest of the conversation; only question `question` when given."""
        rows: list[Shown] = []
        for q in self._threads.questions:
            if question is None or q.n == question:
                rows += [self.shown(p) for p in (*q.posts, *q.answers)]
        if question is None:
            rows += [self.shown(p) for p in self._threads.others]
        return rows

    def remove(self, key: PostKey) -> Shown | None:
        """Take a deleted post out of the room (and its highlight); the post as it was shown,
        or None when the room never had it."""
        if key not in self._posts:
            return None
        was = self.shown(self._posts[key])
        del self._posts[key]
        self.highlights.discard(key)
        self._sort()  # its replies may now answer nothing, a question may be gone
        return was

    def toggle_highlight(self, key: PostKey) -> bool:
        """Mark the post for the recap's highlights, or unmark it; True when now marked."""
        if key in self.highlights:
            self.highlights.discard(key)
            return False
        self.highlights.add(key)
        return True

    def participants(self) -> int:
        """How many people posted (network and handle), the host left out."""
        return len(participant_counts(list(self._posts.values()), self.is_host))

    def per_minute(self, now: datetime, span: timedelta = RATE_SPAN) -> float:
        """Posts a minute, created over the `span` before `now`."""
        since = now - span
        recent = sum(1 for p in self._posts.values() if since <= p.created_at < now)
        return recent / (span.total_seconds() / 60)

    def __len__(self) -> int:
        return len(self._posts)


def _oldest_first(posts: Iterable[Post]) -> list[Post]:
    return sorted(posts, key=lambda p: p.time_order)
