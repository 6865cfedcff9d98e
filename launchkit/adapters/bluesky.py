"""Posting to Bluesky and counting a hashtag there, over XRPC with the saved session.

A post is an `app.bsky.feed.post` record whose hashtags and links are facets (UTF-8 byte
ranges, domain/networks/facets.py), or they are neither clickable nor found by tag search.
Each ledger row writes to its own record key (a TID derived from the row,
domain/networks/identity.py): a retry writes to the same key, so it can never make a second
post; when a retry is refused because the key is taken, the record there is read back and,
if it holds this text, it is the row's post. :meth:`BlueskyPublisher.find_post` looks a row's
post up by that key for the reconcile of a row left in `sending`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from launchkit.adapters.bluesky_session import (
    BlueskyAccount,
    SessionFile,
    Xrpc,
    XrpcError,
    translate,
)
from launchkit.adapters.publishing import MAX_RECENT, Duplicate, PublishError
from launchkit.domain.hashtag.advice import UsageReport
from launchkit.domain.networks.facets import bluesky_facets
from launchkit.domain.networks.identity import OwnPost, PostIdentity
from launchkit.errors import CredentialsError, RemoteError
from launchkit.settings import Settings

__all__ = ["BlueskyPublisher", "bluesky_account", "bluesky_publisher", "tag_usage"]

POST = "app.bsky.feed.post"
WINDOW_DAYS = 7
SEARCH_PAGE = 100  # the most searchPosts gives in one page
SEARCH_PAGES = 10  # 1,000 posts a week is busy enough to say "in use"


def atproto_time(moment: datetime) -> str:
    """atproto's datetime form: 2027-03-03T01:35:12.000Z."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def parse_atproto_time(text: str) -> datetime:
    """An atproto datetime as an aware datetime (UTC when it names no offset)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def post_link(uri: str) -> str:
    """The bsky.app page of a post given its at:// URI (did and record key)."""
    did, _, rkey = uri.removeprefix("at://").partition(f"/{POST}/")
    return f"https://bsky.app/profile/{did}/post/{rkey}"


class BlueskyPublisher:
    """Posts as the signed-in account (see the module docstring)."""

    def __init__(self, account: BlueskyAccount, clock: Callable[[], datetime]) -> None:
        self.account = account
        self.clock = clock

    def _call(self, nsid: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return self.account.call(nsid, **kwargs)
        except XrpcError as exc:
            raise translate(exc) from None

    def _record_of(self, rkey: str) -> dict[str, Any] | None:
        params = {"repo": self.account.did, "collection": POST, "rkey": rkey}
        try:
            return self.account.call("com.atproto.repo.getRecord", params=params)
        except XrpcError as exc:
            if exc.error == "RecordNotFound":
                return None
            raise translate(exc) from None

    def create_post(self, text: str, identity: PostIdentity | None = None) -> tuple[str, str]:
        """com.atproto.repo.createRecord with facets, at the row's record key when given."""
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": atproto_time(self.clock()),
        }
        facets = bluesky_facets(text)
        if facets:
            record["facets"] = facets
        body: dict[str, Any] = {"repo": self.account.did, "collection": POST, "record": record}
        if identity is not None:
            body["rkey"] = identity.record_key
        try:
            uri = str(self.account.call("com.atproto.repo.createRecord", body=body)["uri"])
        except XrpcError as exc:
            error = translate(exc)
            if identity is None or exc.status in (401, 403, 429) or exc.error == "ExpiredToken":
                raise error from None
            # The key may be taken by an earlier try of this very row (the PDS answers 500).
            found = self.find_post(identity)
            if found is None:
                raise error from None
            if found.text != text:
                raise Duplicate(
                    f"Bluesky record {identity.record_key} holds another post",
                    hint="look at the post at " + found.link,
                ) from None
            return found.id, found.link
        return uri, post_link(uri)

    def find_post(self, identity: PostIdentity) -> OwnPost | None:
        """The row's post, looked up by its record key (None when there is none)."""
        found = self._record_of(identity.record_key)
        if found is None:
            return None
        value = found.get("value") or {}
        uri = str(found["uri"])
        return OwnPost(
            uri, str(value.get("text", "")), parse_atproto_time(value["createdAt"]), post_link(uri)
        )

    def _own_records(self, since: datetime | None, limit: int) -> list[OwnPost]:
        posts: list[OwnPost] = []
        cursor: str | None = None
        while len(posts) < limit:
            params = {"repo": self.account.did, "collection": POST, "limit": min(100, limit)}
            answer = self._call(
                "com.atproto.repo.listRecords",
                params={**params, **({"cursor": cursor} if cursor else {})},
            )
            for item in answer.get("records") or []:
                value = item.get("value") or {}
                created = parse_atproto_time(str(value.get("createdAt")))
                if since is not None and created < since:
                    return posts
                uri = str(item["uri"])
                posts.append(OwnPost(uri, str(value.get("text", "")), created, post_link(uri)))
            cursor = answer.get("cursor")
            if not cursor:
                break
        return posts[:limit]

    def own_posts_since(self, since: datetime, limit: int = MAX_RECENT) -> list[OwnPost]:
        """The account's posts created at or after `since`, newest record first."""
        return self._own_records(since, limit)

    def recent_own_posts(self, limit: int) -> list[tuple[str, str]]:
        """The account's latest posts as (at:// URI, text), newest record first."""
        return [(p.id, p.text) for p in self._own_records(None, max(1, min(limit, MAX_RECENT)))]

    def link(self, post_id: str) -> str:
        """The bsky.app page of a post (its id is the at:// URI)."""
        return post_link(post_id)


def session_file(chat_file: Path) -> SessionFile:
    """The saved session beside the ledger of the chat in `chat_file`."""
    from launchkit.adapters.bluesky_session import SESSION_FILE
    from launchkit.adapters.ledger import ledger_path

    return SessionFile(ledger_path(chat_file).parent / SESSION_FILE)


def bluesky_account(
    settings: Settings, chat_file: Path, clock: Callable[[], datetime]
) -> BlueskyAccount:
    """The account of the settings with its saved session, or say what is missing."""
    from launchkit.adapters.http import credentials_url

    missing = [
        name
        for name, value in (
            ("LAUNCHKIT_BLUESKY_HANDLE", settings.bluesky_handle),
            ("LAUNCHKIT_BLUESKY_APP_PASSWORD", settings.bluesky_app_password),
        )
        if not value
    ]
    if missing:
        raise CredentialsError(
            "no Bluesky account: " + " and ".join(missing) + " not set",
            hint="set LAUNCHKIT_BLUESKY_HANDLE (you.bsky.social) and an app password "
            "(Settings > Privacy and security > App passwords)",
        )
    base_url = credentials_url(settings.bluesky_url, "LAUNCHKIT_BLUESKY_URL")
    return BlueskyAccount(
        Xrpc(base_url, settings.http_timeout_s),
        settings.bluesky_handle or "",
        settings.bluesky_app_password or "",
        session_file(chat_file),
        clock,
    )


def bluesky_publisher(
    settings: Settings, chat_file: Path, clock: Callable[[], datetime]
) -> BlueskyPublisher:
    """The publisher of the settings' account, using the session saved beside the ledger."""
    return BlueskyPublisher(bluesky_account(settings, chat_file, clock), clock)


def tag_usage(account: BlueskyAccount, tag: str, now: datetime) -> UsageReport:
    """Posts with `tag` on Bluesky over the last 7 days (signed-in searchPosts, tag filter),
    or "not checked" with the reason."""
    name = tag.lstrip("#＃")
    params: dict[str, Any] = {
        "q": f"#{name}",
        "tag": name,
        "since": atproto_time(now - timedelta(days=WINDOW_DAYS)),
        "limit": SEARCH_PAGE,
        "sort": "latest",
    }
    total, authors = 0, set()
    try:
        for _ in range(SEARCH_PAGES):
            answer = account.call("app.bsky.feed.searchPosts", params=params)
            posts = answer.get("posts") or []
            total += len(posts)
            authors |= {str((p.get("author") or {}).get("did")) for p in posts}
            if not answer.get("cursor") or not posts:
                break
            params["cursor"] = answer["cursor"]
    except XrpcError as exc:
        error: RemoteError = translate(exc)
        return UsageReport("bluesky", checked=False, reason=error.message, hint=error.hint)
    except PublishError as exc:
        return UsageReport("bluesky", checked=False, reason=exc.message, hint=exc.hint)
    return UsageReport(
        "bluesky", checked=True, total=total, days=WINDOW_DAYS, accounts=len(authors)
    )
