"""A post read back from a network, who wrote it, and who must be left out (pure).

Handles are kept without their "@": an X username, a Mastodon `acct` with its instance
(`ada@mastodon.social`, local accounts too), a Bluesky handle (`ada.bsky.social`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from launchkit.domain.networks import NETWORKS

__all__ = ["HandleRule", "Post", "author_test", "matches_any", "parse_handle_rules", "shown_handle"]


@dataclass(frozen=True)
class Post:
    """One public post carrying the chat's hashtag."""

    network: str
    post_id: str  # X: the tweet id; Mastodon: the status id; Bluesky: the at:// URI
    handle: str
    display_name: str
    created_at: datetime  # aware
    text: str  # plain text: HTML stripped, entities decoded
    url: str
    reply_to: str | None = None  # the post it replies to, on the same network
    question: int | None = None  # n when known to be the host's Qn (the ledger, the live room)

    @property
    def author(self) -> tuple[str, str]:
        """Who wrote it: (network, handle in lower case)."""
        return self.network, self.handle.lower()

    @property
    def time_order(self) -> tuple[datetime, str, str]:
        """How posts are put in time order: oldest first, ties by network and id, so that
        the transcript, the live room and every run agree."""
        return self.created_at, self.network, self.post_id


def shown_handle(handle: str) -> str:
    """A handle as people write it: `@ada`, `@ada@mastodon.social`, `@ada.bsky.social`."""
    return "@" + handle.lstrip("@")


@dataclass(frozen=True)
class HandleRule:
    """A handle to recognise (the host, a guest, someone left out), on one network or all.

    Without an instance, `ada` also matches Mastodon's `ada@any.instance`: leaving out too
    many is the safe side of privacy, and a host's X handle is usually their name elsewhere.
    """

    handle: str  # lower case, no leading "@"
    network: str | None = None

    def matches(self, network: str, handle: str) -> bool:
        """True when the post author (`network`, `handle`) is this person."""
        if self.network is not None and self.network != network:
            return False
        theirs = handle.lower().lstrip("@")
        if theirs == self.handle:
            return True
        return (
            network == "mastodon"
            and "@" not in self.handle
            and (theirs.partition("@")[0] == self.handle)
        )

    def __str__(self) -> str:
        where = f"{self.network}:" if self.network else ""
        return where + shown_handle(self.handle)


def parse_handle_rules(specs: Iterable[str]) -> list[HandleRule]:
    """`@ada`, `mastodon:@ada@mastodon.social`, `bluesky:ada.bsky.social` as rules.

    Raises ValueError naming a spec that is empty or names an unknown network.
    """
    rules = []
    for spec in specs:
        text = spec.strip()
        network: str | None = None
        head, sep, rest = text.partition(":")
        if sep and not head.startswith("@") and "." not in head:
            if head.lower() not in NETWORKS:
                known = ", ".join(NETWORKS)
                raise ValueError(f"{spec!r}: unknown network {head!r} (use {known})")
            network, text = head.lower(), rest.strip()
        handle = text.lstrip("@").lower()
        if not handle or any(c.isspace() for c in handle):
            raise ValueError(f"{spec!r} is not a handle (write @name, or network:@name)")
        rules.append(HandleRule(handle, network))
    return rules


def matches_any(rules: Sequence[HandleRule], network: str, handle: str) -> bool:
    """True when one of `rules` is the author (`network`, `handle`)."""
    return any(rule.matches(network, handle) for rule in rules)


def author_test(rules: Sequence[HandleRule]) -> Callable[[Post], bool]:
    """A test of whether one of `rules` wrote a post, answered once per author."""
    known: dict[tuple[str, str], bool] = {}

    def test(post: Post) -> bool:
        found = known.get(post.author)
        if found is None:
            found = known[post.author] = matches_any(rules, post.network, post.handle)
        return found

    return test
