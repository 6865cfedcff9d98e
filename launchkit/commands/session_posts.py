"""What `recap` and `live` both need to know about a session: when the chat's sessions are
(after the host's moves and cancellations), which posts the ledger says the host sent for it
(and as which question), and who counts as the host or a guest."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from launchkit.adapters.ledger import SqliteLedger
from launchkit.domain.chat import Chat
from launchkit.domain.recap.posts import HandleRule, Post, author_test, parse_handle_rules
from launchkit.domain.sequencing import guests_for_session
from launchkit.errors import UsageError

__all__ = ["SentPosts", "chat_sessions", "host_test", "mark_question", "sent_posts"]

_HISTORY = timedelta(days=400)  # how far back a session may be looked for

# (network, post id) -> (step, index) of what the host posted for a session.
SentPosts = dict[tuple[str, str], tuple[str, int]]


def chat_sessions(
    chat: Chat, ledger: SqliteLedger | None, now: datetime, wanted: date | None
) -> tuple[Chat, list[datetime]]:
    """The chat's session starts around `wanted` (or `now`), after the host's shifts and
    cancellations (the season's plan in the ledger), with the chat as planned (a moved
    session keeps its own guests and questions)."""
    from launchkit.commands.season import stored_changes
    from launchkit.domain.season import SeasonError, season_between

    around = wanted or now.astimezone(ZoneInfo(chat.timezone)).date()
    since = max(chat.schedule.first, around - _HISTORY)
    try:
        season = season_between(
            chat, stored_changes(ledger, chat), since, around + timedelta(days=31)
        )
    except SeasonError as exc:
        raise UsageError(str(exc), hint="check the shifts with `launchkit schedule`") from None
    return season.chat, season.starts


def sent_posts(ledger: SqliteLedger | None, chat: Chat, session: date) -> SentPosts:
    """What the ledger says the host sent for `session`, by network and post id."""
    if ledger is None:
        return {}
    return {
        (i.ref.channel, i.remote_id): (i.ref.step, i.ref.index)
        for i in ledger.items(("sent",))
        if i.chat == chat.hashtag and i.ref.session == session and i.remote_id
    }


def mark_question(post: Post, sent: SentPosts) -> Post:
    """The post with its question number when the ledger says it was the host's Qn."""
    step = sent.get((post.network, post.post_id))
    if step is not None and step[0] == "question" and post.question is None:
        return replace(post, question=step[1])
    return post


def host_test(
    chat: Chat, own_accounts: Sequence[HandleRule], host_authors: Iterable[tuple[str, str]]
) -> Callable[[Post], bool]:
    """Whether the host wrote a post: chat.yaml's host.handle, the accounts launchkit posts
    from, or an author of a post the ledger says the host sent (`host_authors`, read each
    time: the live room adds to it as the host's posts arrive)."""
    rules = list(own_accounts)
    if chat.host.handle:
        rules += parse_handle_rules([chat.host.handle])
    by_rule = author_test(rules)
    return lambda post: post.author in host_authors or by_rule(post)


def guest_test(
    planned_chat: Chat, session: date, is_host: Callable[[Post], bool]
) -> tuple[tuple[str, ...], Callable[[Post], bool]]:
    """The session's guests' handles, and whether a guest (not the host) wrote a post."""
    guests = guests_for_session(planned_chat, session)
    handles = tuple(g.handle for g in guests if g.handle)
    by_rule = author_test(parse_handle_rules(handles))
    return handles, lambda post: not is_host(post) and by_rule(post)
