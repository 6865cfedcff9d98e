"""A session's figures: posts, people, answers per question, the most active (pure).

`participants` counts distinct people (network and handle) other than the host; a question is
listed once with its answers summed across networks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from launchkit.domain.recap.posts import Post
from launchkit.domain.recap.threads import Threads

__all__ = [
    "ParticipantFigures",
    "QuestionFigures",
    "RecapFigures",
    "RecapSummary",
    "SourceFigures",
    "Window",
    "summarise",
    "transcript_link",
]

TOP = 10


@dataclass(frozen=True)
class Window:
    """The span read: 10 minutes before the session to 60 minutes after its end."""

    start: datetime  # aware, in the chat's zone
    end: datetime


@dataclass(frozen=True)
class SourceFigures:
    """What one network gave: "ok" or "not checked: reason", and how many posts."""

    status: str
    posts: int


@dataclass(frozen=True)
class QuestionFigures:
    n: int
    text: str
    answers: int


@dataclass(frozen=True)
class ParticipantFigures:
    network: str
    handle: str
    posts: int


@dataclass(frozen=True)
class RecapSummary:
    """summary.json (without its schema_version, which the JSON writer puts first)."""

    session: date
    hashtag: str
    timezone: str
    window: Window
    sources: Mapping[str, SourceFigures]
    posts: int
    participants: int
    answers: int
    questions: tuple[QuestionFigures, ...]
    top_participants: tuple[ParticipantFigures, ...]
    guests: tuple[str, ...]  # the session's guests who posted, as @handles


def participant_counts(
    posts: Sequence[Post], is_host: Callable[[Post], bool]
) -> Counter[tuple[str, str]]:
    """Posts per person (network, handle as first seen), the host left out."""
    names: dict[tuple[str, str], str] = {}
    counts: Counter[tuple[str, str]] = Counter()
    for post in posts:
        if is_host(post):
            continue
        key = names.setdefault(post.author, post.handle)
        counts[(post.network, key)] += 1
    return counts


def summarise(
    *,
    session: date,
    hashtag: str,
    timezone: str,
    window: Window,
    sources: Mapping[str, SourceFigures],
    posts: Sequence[Post],
    threads: Threads,
    is_host: Callable[[Post], bool],
    guests: Sequence[str] = (),
) -> RecapSummary:
    """The figures of one session's `posts` (already without the people left out)."""
    people = participant_counts(posts, is_host)
    top = sorted(people.items(), key=lambda item: (-item[1], item[0][0], item[0][1].lower()))
    questions = tuple(QuestionFigures(q.n, q.text, len(q.answers)) for q in threads.questions)
    return RecapSummary(
        session=session,
        hashtag=hashtag,
        timezone=timezone,
        window=window,
        sources=dict(sources),
        posts=len(posts),
        participants=len(people),
        answers=sum(q.answers for q in questions),
        questions=questions,
        top_participants=tuple(
            ParticipantFigures(network, handle, n) for (network, handle), n in top[:TOP]
        ),
        guests=tuple(guests),
    )


@dataclass(frozen=True)
class RecapFigures:
    """What a recap post can say about its session (templates see it as `recap`)."""

    people: int  # participants, the host left out
    posts: int
    answers: int
    questions: int  # questions with at least one answer
    link: str  # the published transcript, or "" when chat.yaml names no place for it


def transcript_link(base_url: str | None, session: date) -> str:
    """Where the session's transcript is published: `recap.transcripts_url`/DATE/transcript.html.

    >>> transcript_link("https://example.org/recaps/", date(2027, 3, 2))
    'https://example.org/recaps/2027-03-02/transcript.html'
    """
    if not base_url:
        return ""
    return f"{base_url.rstrip('/')}/{session.isoformat()}/transcript.html"
