"""Reading a hashtag's public posts over a span of time from a Mastodon instance (Mastodon.py).

GET /api/v1/timelines/tag/:hashtag gives public posts newest first, any letter case of the
tag, in pages of 40. Mastodon's ids are time-based, so Mastodon.py turns a time into an id:
the first page starts at the end of the span (`max_id`) and every page stops at its start
(`since_id`), so nothing older is fetched (the live room reads the last seconds again and
again: each read fetches only those); the next page is older than the last post of the one
before, until a page comes back empty. No token is needed where the instance
shows tag timelines to everyone; with LAUNCHKIT_MASTODON_TOKEN it reads signed in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from launchkit.adapters.mastodon_post import PAGE, plain_text, translate
from launchkit.adapters.publishing import RateLimited
from launchkit.domain.recap.posts import Post
from launchkit.errors import RemoteError
from launchkit.settings import Settings

__all__ = ["MastodonTagReader", "mastodon_tag_reader"]

_MAX_PAGES = 2_000  # 80,000 posts: a guard against a server that never stops paging


def _acct(account: Any) -> str:
    """The account as `user@instance`, local accounts too (their instance is in their URL)."""
    acct = str(account["acct"])
    if "@" in acct:
        return acct
    return f"{acct}@{urlsplit(str(account.get('url') or '')).hostname or 'localhost'}"


def to_post(status: Any) -> Post:
    """A Mastodon status entity as a post (its HTML as plain text)."""
    account = status["account"]
    reply = status.get("in_reply_to_id")
    return Post(
        network="mastodon",
        post_id=str(status["id"]),
        handle=_acct(account),
        display_name=str(account.get("display_name") or ""),
        created_at=status["created_at"],
        text=plain_text(str(status.get("content") or "")),
        url=str(status.get("url") or status.get("uri") or ""),
        reply_to=str(reply) if reply is not None else None,
    )


class MastodonTagReader:
    """Public posts with a tag on the configured instance."""

    network = "mastodon"
    paid = False
    max_calls = _MAX_PAGES

    truncated = False

    def __init__(self, client: Any, where: str) -> None:
        self.client = client
        self.where = where

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except Exception as exc:
            error = translate(exc, getattr(self.client, "ratelimit_reset", None))
            if isinstance(error, RateLimited):
                raise error from None  # it names its reset; the recap says when to come back
            raise RemoteError(f"{self.where}: {error.message}", hint=error.hint) from None

    def read(self, tag: str, start: datetime, end: datetime) -> list[Post]:
        """Every public post with `tag` created in [start, end), newest first."""
        name = tag.lstrip("#＃")
        older_than: Any = end + timedelta(seconds=1)
        found: list[Post] = []
        for _ in range(_MAX_PAGES):
            page = self._call(
                "timeline_hashtag", name, max_id=older_than, since_id=start, limit=PAGE
            )
            if not page:
                break
            for status in page:
                if status.get("visibility", "public") != "public" or status.get("reblog"):
                    continue
                created = status["created_at"]
                if start <= created < end:
                    found.append(to_post(status))
            if page[-1]["created_at"] < start:
                break
            older_than = page[-1]["id"]
        return found


def mastodon_tag_reader(settings: Settings) -> MastodonTagReader:
    """A reader of the configured instance (signed in when a token is set)."""
    from launchkit.adapters.http import credentials_url, deadline_session

    base = settings.mastodon_url.rstrip("/")
    if settings.mastodon_token:
        base = credentials_url(base, "LAUNCHKIT_MASTODON_URL")
    from mastodon import Mastodon

    client = Mastodon(
        access_token=settings.mastodon_token or None,
        api_base_url=base,
        request_timeout=settings.http_timeout_s,
        # Every page ends within the deadline as a whole, not only each read.
        session=deadline_session(settings.http_timeout_s),
        # A rate limit ends this network's read ("not checked"); Mastodon.py must not sleep.
        ratelimit_method="throw",
    )
    return MastodonTagReader(client, urlsplit(base).netloc or base)
