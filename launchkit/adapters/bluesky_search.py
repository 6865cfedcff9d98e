"""Reading a hashtag's posts over a span of time from Bluesky (signed-in searchPosts).

app.bsky.feed.searchPosts with the `tag` filter (the tag without '#', any letter case),
`since` and `until`, newest first, 100 a page, followed by its cursor to the end. It needs a
signed-in session: the one saved beside the ledger (adapters/bluesky_session.py), as every
command that talks to Bluesky uses it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from launchkit.adapters.bluesky import POST, SEARCH_PAGE, atproto_time, parse_atproto_time
from launchkit.adapters.bluesky_session import BlueskyAccount, XrpcError, translate
from launchkit.adapters.publishing import PublishError
from launchkit.domain.calendars.liveness import TagUse
from launchkit.domain.recap.posts import Post

__all__ = ["BlueskyTagReader", "bsky_link", "last_use"]

_MAX_PAGES = 1_000  # 100,000 posts: a guard against a cursor that never ends


def bsky_link(handle: str, uri: str) -> str:
    """The bsky.app page of a post, by its author's handle and its at:// URI."""
    rkey = uri.rsplit(f"/{POST}/", 1)[-1]
    return f"https://bsky.app/profile/{handle}/post/{rkey}"


def to_post(view: dict[str, Any]) -> Post:
    """A searchPosts post view as a post."""
    author = view.get("author") or {}
    record = view.get("record") or {}
    handle = str(author.get("handle") or author.get("did") or "")
    parent = ((record.get("reply") or {}).get("parent") or {}).get("uri")
    return Post(
        network="bluesky",
        post_id=str(view["uri"]),
        handle=handle,
        display_name=str(author.get("displayName") or ""),
        created_at=parse_atproto_time(str(record.get("createdAt") or view.get("indexedAt"))),
        text=str(record.get("text") or ""),
        url=bsky_link(handle, str(view["uri"])),
        reply_to=str(parent) if parent else None,
    )


class BlueskyTagReader:
    """Posts with a tag, through the signed-in account."""

    network = "bluesky"
    paid = False
    max_calls = _MAX_PAGES

    truncated = False

    def __init__(self, account: BlueskyAccount) -> None:
        self.account = account

    def read(self, tag: str, start: datetime, end: datetime) -> list[Post]:
        """Every post with `tag` created in [start, end)."""
        name = tag.lstrip("#＃")
        params: dict[str, Any] = {
            "q": f"#{name}",
            "tag": name,
            "since": atproto_time(start),
            "until": atproto_time(end),
            "limit": SEARCH_PAGE,
            "sort": "latest",
        }
        found: list[Post] = []
        try:
            for _ in range(_MAX_PAGES):
                answer = self.account.call("app.bsky.feed.searchPosts", params=params)
                views = answer.get("posts") or []
                for view in views:
                    post = to_post(view)
                    if start <= post.created_at < end:
                        found.append(post)
                if not answer.get("cursor") or not views:
                    break
                params["cursor"] = answer["cursor"]
        except XrpcError as exc:
            raise translate(exc) from None
        return found


def last_use(account: BlueskyAccount, tag: str) -> TagUse:
    """When `tag` was last posted on Bluesky: the newest post of a tag search (free, signed
    in), or "not checked" and why. The search sees as far back as Bluesky's index keeps."""
    name = tag.lstrip("#＃")
    params = {"q": f"#{name}", "tag": name, "limit": 1, "sort": "latest"}
    try:
        views = account.call("app.bsky.feed.searchPosts", params=params).get("posts") or []
        newest = to_post(views[0]).created_at.date() if views else None
    except XrpcError as exc:
        return TagUse("bluesky", "Bluesky", checked=False, reason=translate(exc).message)
    except PublishError as exc:  # the login or the session refused, the server unreachable
        return TagUse("bluesky", "Bluesky", checked=False, reason=exc.message)
    except (KeyError, TypeError, ValueError):
        return TagUse("bluesky", "Bluesky", checked=False, reason="its answer is not a search")
    return TagUse("bluesky", "Bluesky", checked=True, last_seen=newest)
