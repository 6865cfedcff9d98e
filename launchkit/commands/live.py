"""`launchkit live`: follow a session while it happens, on every network of the chat.

The session is the one asked for, else the one whose window is open now, else the next one
within 12 hours; its window is recap's (10 minutes before the start to an hour after the
end), so the posts the room reads are the ones a recap needs, and are stored where recap
looks first. The room (cli/live_room.py) and `live --plain`/`--json` both drive a
`LiveFeed` (commands/live_feed.py); `follow` is the loop of the terminal-less mode.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from launchkit.adapters.ledger import SqliteLedger
from launchkit.adapters.post_store import PostStore
from launchkit.commands.live_feed import LedgerView, LiveFeed
from launchkit.commands.recap_sources import Approve, PaidRead, TagReader
from launchkit.commands.session_posts import (
    SentPosts,
    chat_sessions,
    guest_test,
    host_test,
    sent_posts,
)
from launchkit.domain.chat import Chat
from launchkit.domain.live.questions import QuestionRow
from launchkit.domain.live.room import Room, Shown
from launchkit.domain.recap.figures import Window
from launchkit.domain.recap.posts import HandleRule, parse_handle_rules, shown_handle
from launchkit.domain.recap.window import live_session, session_window
from launchkit.errors import LaunchkitError, UsageError

__all__ = [
    "LiveDeletion",
    "LivePost",
    "LiveRun",
    "LiveSession",
    "choose",
    "deletion_record",
    "follow",
    "open_feed",
    "post_record",
]

TICK = timedelta(seconds=2)  # how often the terminal-less loop looks at the stream's posts
LINGER = timedelta(minutes=10)  # after the window, how long a failing network is waited for


@dataclass(frozen=True)
class LiveSession:
    """The session the room follows."""

    chat: Chat  # chat.yaml
    planned: Chat  # the chat as planned for this session (its own questions and guests)
    day: date
    start: datetime
    window: Window

    @property
    def zone(self) -> str:
        """The chat's zone: every time the room shows is in it, named."""
        return self.chat.timezone


def choose(
    chat: Chat, ledger: SqliteLedger | None, now: datetime, wanted: date | None
) -> LiveSession:
    """The session to follow at `now` (see the module docstring)."""
    planned, starts = chat_sessions(chat, ledger, now, wanted)
    duration = timedelta(minutes=chat.schedule.duration_min)
    try:
        start = live_session(starts, duration, now, wanted)
    except ValueError as exc:
        raise UsageError(str(exc), hint="pass --session DATE, a session to come") from None
    return LiveSession(chat, planned, start.date(), start, session_window(start, duration))


def ledger_view(open_ledger: Callable[[], SqliteLedger], session: LiveSession) -> LedgerView:
    """How the room reads the session's question rows and the host's posts from the ledger
    (opened for each read: the room reads from other threads than the one it started in)."""

    def read() -> tuple[list[QuestionRow], SentPosts]:
        chat = session.chat
        with open_ledger() as ledger:
            rows = [
                QuestionRow(i.ref.index, i.ref.channel, i.state, i.ref.due_utc, i.sending_since)
                for i in ledger.items()
                if i.chat == chat.hashtag and i.ref.session == session.day
                and i.ref.step == "question" and i.ref.channel != "email"
            ]  # fmt: skip
            return rows, sent_posts(ledger, chat, session.day)

    return read


def open_feed(
    session: LiveSession,
    store: PostStore,
    make_reader: Callable[[str], TagReader],
    approve: Approve,
    *,
    own_accounts: Sequence[HandleRule] = (),
    ledger: LedgerView | None = None,
) -> LiveFeed:
    """The feed of every network of the chat: a reader each, or why it is not checked (X
    is read only once `approve` said yes to its price)."""
    readers: dict[str, TagReader | str] = {}
    for network in session.chat.networks:
        try:
            reader = make_reader(network)
        except LaunchkitError as exc:
            readers[network] = exc.message
            continue
        refused = approve(PaidRead(network, reader.max_calls)) if reader.paid else None
        readers[network] = refused if refused is not None else reader
    host_authors: set[tuple[str, str]] = set()
    is_host = host_test(session.chat, own_accounts, host_authors)
    _, is_guest = guest_test(session.planned, session.day, is_host)
    return LiveFeed(
        hashtag=session.chat.hashtag,
        session=session.day,
        window=session.window,
        store=store,
        readers=readers,
        room=Room(is_host, is_guest, session.planned.questions),
        host_authors=host_authors,
        planned=session.planned.questions,
        ledger=ledger,
        excluded=parse_handle_rules(session.chat.recap.exclude),
    )


@dataclass(frozen=True)
class LivePost:
    """A post as `live --json` writes it (one object a line)."""

    network: str
    id: str
    handle: str
    name: str
    time: datetime  # in the chat's zone
    text: str
    url: str
    question: int | None  # the question it asks (the host's) or answers
    role: str  # "host", "guest" or ""


def post_record(shown: Shown, zone: str) -> LivePost:
    """`shown` for `live --json`."""
    post = shown.post
    return LivePost(
        post.network, post.post_id, shown_handle(post.handle), post.display_name,
        post.created_at.astimezone(ZoneInfo(zone)), post.text, post.url, shown.question,
        shown.role,
    )  # fmt: skip


@dataclass(frozen=True)
class LiveDeletion:
    """A post shown before and deleted since, as `live --json` writes it: scripts drop the
    object of the same network and id."""

    deleted: bool  # always True: what tells this object from a post's
    network: str
    id: str


def deletion_record(shown: Shown) -> LiveDeletion:
    """The deleted post `shown` for `live --json`."""
    return LiveDeletion(True, shown.post.network, shown.post.post_id)


@dataclass(frozen=True)
class LiveRun:
    """How a terminal-less run ended."""

    posts: int  # posts shown
    deleted: int  # of those, deleted since by their authors
    sources: dict[str, str]  # each network's state at the end
    ended: str  # "the window ended", "--until"


def follow(
    feed: LiveFeed,
    zone: str,
    *,
    clock: Callable[[], datetime],
    sleep: Callable[[float], None],
    until: datetime | None,
    emit: Callable[[Shown], None],
    emit_deleted: Callable[[Shown], None],
    on_state: Callable[[str, str], None],
) -> LiveRun:
    """Poll the feed until the window ends (or `until`), handing each new post to `emit`,
    each post shown before and deleted since to `emit_deleted`, and each change of a
    network's state to `on_state(network, label)`.

    Raises LaunchkitError when no network can be read at all (a run that would print
    nothing and look like a quiet hour).
    """
    shown, deleted, states = 0, 0, {n: "" for n in feed.sources}
    stop = feed.window.end + LINGER
    if until is not None:
        stop = min(stop, until)
    while True:
        now = clock()
        changes = feed.poll(now)
        for post in changes.shown:
            emit(post)
        for post in changes.deleted:
            emit_deleted(post)
        shown += len(changes.shown)
        deleted += len(changes.deleted)
        for network, state in feed.sources.items():
            label = state.label(zone)
            if label != states[network]:
                states[network] = label
                on_state(network, label)
        if all(s.status == "not checked" for s in feed.sources.values()):
            raise LaunchkitError(
                "no network of the chat could be read (each one's reason is above)",
                hint="set the networks' credentials (`launchkit doctor` shows them), or --yes "
                "for X's price",
            )
        if feed.finished() or now >= stop:
            ended = "--until" if until is not None and now >= until else "the window ended"
            return LiveRun(shown, deleted, states, ended)
        wake = min(feed.next_read(now), stop)
        if feed.stream is not None:  # its posts are taken at each poll: poll often
            wake = min(wake, now + TICK)
        sleep(max((wake - now).total_seconds(), 0.05))
