"""Posting to X through tweepy, with X's failures turned into launchkit errors with hints.

tweepy itself is imported only inside :func:`tweepy_publisher`, so a `launchkit post` run with
nothing due never pays for it. X's failures become the errors of adapters/publishing.py.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from launchkit.adapters.publishing import (
    MAX_RECENT,
    AuthFailed,
    CreditsDepleted,
    Duplicate,
    PublishError,
    RateLimited,
    Transient,
)
from launchkit.domain.networks.identity import OwnPost, PostIdentity
from launchkit.errors import CredentialsError
from launchkit.settings import Settings

X_HOSTS = ("https://api.twitter.com", "https://api.x.com")
POST_URL = "https://x.com/i/web/status/{id}"


def post_url(post_id: str) -> str:
    """A link to a post that works without knowing the account's handle."""
    return POST_URL.format(id=post_id)


_AUTH_HINT = (
    "check LAUNCHKIT_X_API_KEY, _API_SECRET, _ACCESS_TOKEN and _ACCESS_SECRET (or "
    "LAUNCHKIT_X_USER_TOKEN); the app needs Read and Write permission — regenerate the access "
    "token after changing it. `launchkit doctor` shows what is set."
)


def translate(exc: BaseException) -> PublishError:
    """Turn a tweepy or requests exception into the launchkit error the send loop handles."""
    import requests
    import tweepy

    if isinstance(exc, tweepy.errors.HTTPException):
        status = exc.response.status_code
        detail = "; ".join(exc.api_messages) or str(status)
        if status == 429:
            reset = exc.response.headers.get("x-rate-limit-reset", "")
            when = datetime.fromtimestamp(int(reset), UTC) if reset.isdigit() else None
            return RateLimited("X", when)
        if status == 402:
            return CreditsDepleted(
                "your X API credits are used up",
                hint="buy credits in the X developer portal, then run `launchkit post` again",
            )
        if status == 403 and "duplicate" in detail.lower():
            return Duplicate(f"X refused a duplicate post: {detail}")
        if status in (401, 403):
            return AuthFailed(f"X refused the credentials ({status}): {detail}", hint=_AUTH_HINT)
        if status >= 500:
            return Transient(f"X had a server error ({status}): {detail}")
        return PublishError(f"X answered {status}: {detail}", hint="see the message from X above")
    if isinstance(exc, requests.Timeout):
        return Transient(f"X did not answer in time ({exc})")
    if isinstance(exc, requests.RequestException):
        return Transient(f"could not reach X ({type(exc).__name__})")
    raise exc


def as_written(text: str, entities: Mapping[str, Any] | None) -> str:
    """A post's text as it was sent: X's t.co links expanded and its HTML entities decoded.

    >>> as_written("Join &amp; win https://t.co/abc",
    ...            {"urls": [{"url": "https://t.co/abc", "expanded_url": "https://ex.org"}]})
    'Join & win https://ex.org'
    """
    urls: Sequence[Mapping[str, Any]] = (entities or {}).get("urls") or ()
    for entity in urls:
        short, full = entity.get("url"), entity.get("expanded_url")
        if isinstance(short, str) and isinstance(full, str):
            text = text.replace(short, full)
    return html.unescape(text)


class TweepyPublisher:
    """The real publisher: a tweepy.Client with OAuth 1.0a user context or an OAuth 2 token."""

    def __init__(self, client: Any, user_auth: bool) -> None:
        self.client = client
        self.user_auth = user_auth
        self._user_id: str | None = None

    def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(user_auth=self.user_auth, **kwargs)
        except Exception as exc:
            raise translate(exc) from None

    def create_post(self, text: str, identity: PostIdentity | None = None) -> tuple[str, str]:
        """POST /2/tweets. (X has no idempotency key: its duplicate refusal and the
        reconcile of domain/reconcile.py keep a retry from making a second post.)"""
        response = self._call("create_tweet", text=text)
        post_id = str(response.data["id"])
        return post_id, post_url(post_id)

    def own_posts_since(self, since: datetime, limit: int = MAX_RECENT) -> list[OwnPost]:
        """GET /2/users/me (once), then GET /2/users/:id/tweets from `since` on."""
        if self._user_id is None:
            self._user_id = str(self._call("get_me").data.id)
        response = self._call(
            "get_users_tweets",
            id=self._user_id,
            max_results=max(5, min(limit, MAX_RECENT)),  # X accepts 5..100
            start_time=since.astimezone(UTC),
            tweet_fields=["created_at", "entities"],
        )
        return [
            OwnPost(str(t.id), as_written(str(t.text), t.entities), t.created_at, post_url(t.id))
            for t in (response.data or [])
            if t.created_at is not None  # without it, nothing proves the post came after
        ]

    def link(self, post_id: str) -> str:
        """A link that works without knowing the account's handle."""
        return post_url(post_id)


def tweepy_publisher(settings: Settings) -> TweepyPublisher:
    """Build the real publisher from settings, or say which credentials are missing."""
    import tweepy

    from launchkit.adapters.http import credentials_url, deadline_session, mount_base_url

    deadline = settings.http_timeout_s
    base_url = settings.x_api_base_url
    if base_url:
        base_url = credentials_url(base_url, "LAUNCHKIT_X_API_BASE_URL")
    oauth1 = (
        settings.x_api_key,
        settings.x_api_secret,
        settings.x_access_token,
        settings.x_access_secret,
    )
    if all(oauth1):
        client = tweepy.Client(
            consumer_key=settings.x_api_key,
            consumer_secret=settings.x_api_secret,
            access_token=settings.x_access_token,
            access_token_secret=settings.x_access_secret,
        )
        user_auth = True
    elif settings.x_user_token:
        # An OAuth 2 user-context token is sent as a bearer token with user_auth=False.
        client = tweepy.Client(bearer_token=settings.x_user_token)
        user_auth = False
    else:
        raise CredentialsError(
            "no X credentials to post with",
            hint="set LAUNCHKIT_X_API_KEY, LAUNCHKIT_X_API_SECRET, LAUNCHKIT_X_ACCESS_TOKEN and "
            "LAUNCHKIT_X_ACCESS_SECRET (OAuth 1.0a user context), or LAUNCHKIT_X_USER_TOKEN",
        )
    # tweepy passes no timeout at all; this session ends every request within the deadline.
    client.session = deadline_session(deadline)
    if base_url:
        # tweepy has no base-URL option; rewrite its hosts on the session instead.
        mount_base_url(client.session, base_url, X_HOSTS, deadline)
    return TweepyPublisher(client, user_auth)
