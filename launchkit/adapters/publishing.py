"""What every network adapter offers the send loop: the Publisher interface and the errors it
raises, so the send loop reacts the same way to every network: wait (RateLimited), retry
(Transient), look up (Duplicate) or stop (AuthFailed, CreditsDepleted)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from launchkit.errors import QuotaExceeded, RemoteError

if TYPE_CHECKING:  # `launchkit post` with nothing due imports no more than it needs
    from launchkit.domain.networks.identity import OwnPost, PostIdentity

__all__ = [
    "MAX_RECENT",
    "AuthFailed",
    "CreditsDepleted",
    "Duplicate",
    "PublishError",
    "Publisher",
    "RateLimited",
    "RecordKeyed",
    "Transient",
]

# How many of the account's own latest posts are looked through to find one sent minutes ago
# (X returns at most 100 per page; more than one page is never needed).
MAX_RECENT = 100


class PublishError(RemoteError):
    """Any failure talking to a network."""


class RateLimited(PublishError, QuotaExceeded):
    """429: come back at `reset_at` (aware; None when the server did not say when)."""

    def __init__(self, network: str, reset_at: datetime | None) -> None:
        super().__init__(
            f"{network} rate limit reached", hint="launchkit waits for the reset the server names"
        )
        self.network = network
        self.reset_at = reset_at


class Transient(PublishError):
    """5xx, a timeout or a dropped connection: the post may or may not exist."""


class Duplicate(PublishError):
    """The network refused a post identical to one it already holds."""


class AuthFailed(PublishError):
    """401/403: the credentials are wrong or not allowed to post."""


class CreditsDepleted(PublishError):
    """402: the pay-per-use account has no credits left."""


class Publisher(Protocol):
    """Where posts go: a network's API, or a printing stand-in for --dry-run."""

    def create_post(self, text: str, identity: PostIdentity | None = None) -> tuple[str, str]:
        """Publish `text`; return (post id, link). `identity` (the ledger row) is what makes
        a retry harmless where the network offers a way (Mastodon, Bluesky)."""
        ...

    def own_posts_since(self, since: datetime, limit: int = MAX_RECENT) -> list[OwnPost]:
        """The account's own posts created at or after `since`, newest first, with their
        text as it was written (the network's own changes undone) and creation time."""
        ...

    def link(self, post_id: str) -> str:
        """A link to one of the account's posts."""
        ...


@runtime_checkable
class RecordKeyed(Protocol):
    """A publisher that writes each row's post at a key derived from the row (Bluesky), so
    the row's post is looked up by that key alone rather than among recent posts."""

    def find_post(self, identity: PostIdentity) -> OwnPost | None:
        """The post at the row's key, or None when there is none."""
        ...
