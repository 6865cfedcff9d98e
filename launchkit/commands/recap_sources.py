"""Gathering a session's posts for `recap`: from the post store where a span was already read
whole (by the live room or an earlier recap), else from each network of the chat.

Every network stands alone: one that cannot be read (no credentials, an error, a price not
confirmed) is "not checked: reason" and the others go on. A paid network (X) is read only
after `approve` said yes to its price. People left out are dropped before anything is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from launchkit.adapters.post_store import PostStore
from launchkit.adapters.publishing import RateLimited
from launchkit.domain.networks import network_label
from launchkit.domain.recap.figures import SourceFigures, Window
from launchkit.domain.recap.posts import HandleRule, Post, author_test
from launchkit.errors import LaunchkitError

__all__ = ["Gathered", "PaidRead", "TagReader", "gather_posts"]


class TagReader(Protocol):
    """Reads a network's posts with a tag over a span (adapters/*_timeline, *_search)."""

    network: str
    paid: bool  # each call costs money: read only after the price is confirmed
    max_calls: int
    truncated: bool  # the call limit ended the last read early

    def read(self, tag: str, start: datetime, end: datetime) -> list[Post]: ...


@dataclass(frozen=True)
class PaidRead:
    """A paid read about to be made: the network and the most calls it may take."""

    network: str
    max_calls: int


# Approves a paid read: None to go ahead, else why not ("the price was not confirmed").
Approve = Callable[[PaidRead], str | None]


@dataclass(frozen=True)
class Gathered:
    """The session's posts in the store, and how each network fared."""

    sources: dict[str, SourceFigures]
    posts: list[Post]
    warnings: tuple[str, ...]


def _read(
    reader: TagReader, tag: str, start: datetime, end: datetime, approve: Approve
) -> tuple[list[Post] | None, str, str | None]:
    """(posts or None, status, warning)."""
    if reader.paid:
        refused = approve(PaidRead(reader.network, reader.max_calls))
        if refused is not None:
            return None, f"not checked: {refused}", None
    try:
        posts = reader.read(tag, start, end)
    except RateLimited as exc:
        # A recap does not wait for the reset: it says when running it again will work.
        when = f"; it resets at {exc.reset_at.astimezone(UTC):%H:%M} UTC" if exc.reset_at else ""
        return None, f"not checked: {exc.message}{when}", None
    except LaunchkitError as exc:
        return None, f"not checked: {exc.message}", None
    warning = None
    if reader.truncated:
        label = network_label(reader.network)
        warning = f"{label}: stopped after {reader.max_calls} calls; later posts were not read"
    return posts, "ok", warning


def gather_posts(
    store: PostStore,
    make_reader: Callable[[str], TagReader],
    *,
    hashtag: str,
    networks: Sequence[str],
    session: date,
    window: Window,
    read_until: datetime,
    excluded: Sequence[HandleRule],
    approve: Approve,
    refresh: bool = False,
) -> Gathered:
    """Fill the store with the window's posts on every network, then read them back."""
    left_out = author_test(excluded)
    statuses: dict[str, str] = {}
    warnings: list[str] = []
    for network in networks:
        if not refresh and store.captured(hashtag, network, window.start, window.end):
            statuses[network] = "ok"
            continue
        try:
            reader = make_reader(network)
        except LaunchkitError as exc:
            statuses[network] = f"not checked: {exc.message}"
            continue
        posts, statuses[network], warning = _read(
            reader, hashtag, window.start, read_until, approve
        )
        if warning:
            warnings.append(warning)
        if posts is not None:
            kept = [p for p in posts if not left_out(p)]
            store.replace_window(hashtag, network, window.start, read_until, session, kept)
    store.forget(hashtag, excluded)
    posts = [
        p
        for p in store.posts_in_window(hashtag, window.start, window.end, list(networks))
        if not left_out(p)
    ]
    sources = {n: SourceFigures(statuses[n], sum(p.network == n for p in posts)) for n in networks}
    return Gathered(sources, posts, tuple(warnings))
