"""Where a hashtag's recent use can be looked up: one small object per service.

Each source says what a lookup costs, how fast the service lets us ask, and answers
`lookup(tag)` with a :class:`TagUse` (when the tag was last seen, or "not checked" and why):
Mastodon's public tag timeline and Bluesky's tag search are free, X's counts are priced.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from launchkit.domain.calendars.liveness import TagUse
from launchkit.settings import Settings

if TYPE_CHECKING:
    from launchkit.adapters.bluesky_session import BlueskyAccount

__all__ = [
    "BlueskyTags",
    "LiveSources",
    "MastodonTags",
    "RateLimit",
    "RateLimiter",
    "TagSource",
    "XCounts",
    "live_sources",
]


@dataclass(frozen=True)
class RateLimit:
    """At most `calls` requests in any `per_seconds`, at most `concurrency` at once."""

    calls: int
    per_seconds: float
    concurrency: int


class TagSource(Protocol):
    """A service that can say when a hashtag was last used."""

    @property
    def name(self) -> str: ...  # "mastodon", "x"
    @property
    def where(self) -> str: ...  # for people: "mastodon.social", "X"
    @property
    def cache_key(self) -> str: ...  # answers from another instance are other answers
    @property
    def price_usd(self) -> float: ...  # per lookup
    @property
    def rate(self) -> RateLimit: ...
    @property
    def tag_page(self) -> str: ...  # where a person sees the tag: a URL with "{tag}"
    def lookup(self, tag: str) -> TagUse: ...


@dataclass(frozen=True)
class MastodonTags:
    """A Mastodon instance's public tag timeline (free)."""

    settings: Settings
    name: str = "mastodon"
    price_usd: float = 0.0
    # Mastodon's default limit for anonymous API calls: 300 per 5 minutes per address.
    rate: RateLimit = RateLimit(calls=300, per_seconds=300.0, concurrency=4)

    @property
    def where(self) -> str:
        base = self.settings.mastodon_url.rstrip("/")
        return urlsplit(base).netloc or base

    @property
    def cache_key(self) -> str:
        return f"mastodon {self.settings.mastodon_url.rstrip('/')}"

    @property
    def tag_page(self) -> str:
        return self.settings.mastodon_url.rstrip("/") + "/tags/{tag}"

    def lookup(self, tag: str) -> TagUse:
        from launchkit.adapters.mastodon import last_use

        return last_use(self.settings, tag)


@dataclass(frozen=True)
class XCounts:
    """X's recent post counts (7 days back, paid per call)."""

    settings: Settings
    name: str = "x"
    where: str = "X"
    tag_page: str = "https://x.com/hashtag/{tag}"
    # X API v2 recent counts: 300 requests per 15 minutes for an app.
    rate: RateLimit = RateLimit(calls=300, per_seconds=900.0, concurrency=4)

    @property
    def price_usd(self) -> float:
        return self.settings.price_count_usd

    @property
    def cache_key(self) -> str:
        return f"x {self.settings.x_api_base_url or 'https://api.x.com'}"

    def lookup(self, tag: str) -> TagUse:
        from launchkit.adapters.x_counts import last_use

        return last_use(self.settings, tag)


@dataclass(frozen=True, eq=False)
class BlueskyTags:
    """Bluesky's post search with the tag filter (free; signed in with the saved session,
    the account made on first use, so no lookup means no login)."""

    settings: Settings
    account: Callable[[], BlueskyAccount]
    name: str = "bluesky"
    where: str = "Bluesky"
    price_usd: float = 0.0
    tag_page: str = "https://bsky.app/hashtag/{tag}"
    # One lookup at a time: the lookups share one session, whose refresh must not race.
    # Bluesky allows 3,000 API calls per 5 minutes from an address.
    rate: RateLimit = RateLimit(calls=3000, per_seconds=300.0, concurrency=1)
    _made: list[BlueskyAccount] = field(default_factory=list)

    @property
    def cache_key(self) -> str:
        return f"bluesky {self.settings.bluesky_url.rstrip('/')}"

    def lookup(self, tag: str) -> TagUse:
        from launchkit.adapters.bluesky_search import last_use
        from launchkit.errors import LaunchkitError

        if not self._made:
            try:
                self._made.append(self.account())
            except LaunchkitError as exc:
                return TagUse("bluesky", self.where, checked=False, reason=exc.message)
        return last_use(self._made[0], tag)


@dataclass(frozen=True)
class LiveSources:
    """The sources to ask, and a sentence for each service that will not be asked."""

    sources: tuple[TagSource, ...]
    not_asked: tuple[str, ...]


def live_sources(
    settings: Settings,
    *,
    paid: bool = True,
    bluesky: Callable[[], BlueskyAccount] | None = None,
) -> LiveSources:
    """The sources this configuration can ask: Mastodon always, Bluesky with an account
    (`bluesky` makes it), X with a bearer token."""
    sources: list[TagSource] = [MastodonTags(settings)]
    not_asked: list[str] = []
    if settings.bluesky_handle and settings.bluesky_app_password and bluesky is not None:
        sources.append(BlueskyTags(settings, bluesky))
    else:
        not_asked.append(
            "Bluesky not checked: no account (LAUNCHKIT_BLUESKY_HANDLE and "
            "LAUNCHKIT_BLUESKY_APP_PASSWORD)."
        )
    if not settings.x_bearer_token:
        not_asked.append("X not checked: no bearer token (LAUNCHKIT_X_BEARER_TOKEN).")
    elif not paid:
        not_asked.append("X not checked (--skip-paid).")
    else:
        sources.append(XCounts(settings))
    return LiveSources(tuple(sources), tuple(not_asked))


class RateLimiter:
    """Blocks each caller until one more request fits in the sliding window (thread-safe)."""

    def __init__(
        self,
        rate: RateLimit,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Wait until a request may go out, and count it."""
        while True:
            with self._lock:
                now = self._clock()
                while self._sent and now - self._sent[0] >= self.rate.per_seconds:
                    self._sent.popleft()
                if len(self._sent) < self.rate.calls:
                    self._sent.append(now)
                    return
                wait = self.rate.per_seconds - (now - self._sent[0])
            self._sleep(max(wait, 0.01))
