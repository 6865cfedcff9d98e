"""Posting to a Mastodon instance through Mastodon.py, its failures turned into launchkit errors.

Mastodon.py is imported only inside :func:`mastodon_publisher`, so `launchkit post` with
nothing due never pays for it. A retry is harmless: each row sends the same
`Idempotency-Key` (domain/networks/identity.py), and the instance answers a repeated POST
with the status the first one made. A row in an unknown state is matched against
:meth:`MastodonPublisher.own_posts_since`, which gives each status's text as it was written
(GET /api/v1/statuses/:id/source), not the HTML the instance shows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

from launchkit.adapters.publishing import (
    MAX_RECENT,
    AuthFailed,
    PublishError,
    RateLimited,
    Transient,
)
from launchkit.domain.networks.identity import OwnPost, PostIdentity
from launchkit.domain.networks.text_rules import MastodonLimits
from launchkit.errors import CredentialsError
from launchkit.settings import Settings

__all__ = [
    "MastodonPublisher",
    "instance_limits",
    "limits_of",
    "mastodon_publisher",
    "plain_text",
    "translate",
]

PAGE = 40  # the most statuses Mastodon gives in one page

_AUTH_HINT = (
    "check LAUNCHKIT_MASTODON_TOKEN: an access token of LAUNCHKIT_MASTODON_URL with the "
    "write:statuses and read:statuses scopes (Preferences > Development > New application)"
)


def translate(exc: BaseException, reset: float | None = None) -> PublishError:
    """A Mastodon.py exception as the launchkit error the send loop handles."""
    import mastodon

    if isinstance(exc, mastodon.MastodonRatelimitError):
        return RateLimited("Mastodon", datetime.fromtimestamp(reset, UTC) if reset else None)
    if isinstance(exc, mastodon.MastodonNetworkError):
        return Transient(f"could not reach the Mastodon instance ({type(exc).__name__})")
    if isinstance(exc, mastodon.MastodonAPIError):
        status = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], int) else 0
        detail = str(exc.args[3]) if len(exc.args) > 3 and exc.args[3] else str(status)
        if status in (401, 403):
            return AuthFailed(f"Mastodon refused the token ({status}): {detail}", hint=_AUTH_HINT)
        if status >= 500 or isinstance(exc, mastodon.MastodonServerError):
            return Transient(f"the Mastodon instance had a server error ({status}): {detail}")
        return PublishError(
            f"Mastodon answered {status}: {detail}", hint="see the instance's message above"
        )
    if isinstance(exc, mastodon.MastodonError):
        return PublishError(f"Mastodon.py failed: {exc}")
    raise exc


def limits_of(instance: Any) -> MastodonLimits:
    """The post limits in an Instance entity (v2, or v1 since Mastodon 3.4), else defaults."""
    default = MastodonLimits()
    try:
        statuses = instance["configuration"]["statuses"]
        return MastodonLimits(
            int(statuses.get("max_characters") or default.max_characters),
            int(statuses.get("characters_reserved_per_url") or default.characters_reserved_per_url),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return default


def instance_limits(settings: Settings) -> MastodonLimits | None:
    """The configured instance's limits (GET /api/v2/instance, no token), or None when the
    instance cannot be asked (offline, not Mastodon): callers then use the defaults."""
    import requests

    from launchkit.adapters.http import deadline_session

    url = settings.mastodon_url.rstrip("/") + "/api/v2/instance"
    try:
        with deadline_session(min(settings.http_timeout_s, 10.0)) as session:
            response = session.get(url)
        return limits_of(response.json()) if response.status_code == 200 else None
    except (requests.RequestException, ValueError):
        return None


class _TextOfHtml(HTMLParser):
    """Mastodon's HTML back to text: <br> is a line break, paragraphs a blank line, and a
    link's hidden parts (the scheme, the part after the ellipsis) are kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._paragraphs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p":
            if self._paragraphs:
                self.parts.append("\n\n")
            self._paragraphs += 1

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(content: str) -> str:
    """The text of a status's HTML `content`."""
    parser = _TextOfHtml()
    parser.feed(content)
    parser.close()
    return "".join(parser.parts)


class MastodonPublisher:
    """A Mastodon.py client signed in with an access token (see the module docstring)."""

    def __init__(self, client: Any, base_url: str) -> None:
        self.client = client
        self.base_url = base_url
        self._account: Any = None

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(self.client, method)(*args, **kwargs)
        except Exception as exc:
            raise translate(exc, getattr(self.client, "ratelimit_reset", None)) from None

    def _me(self) -> Any:
        if self._account is None:
            self._account = self._call("account_verify_credentials")
        return self._account

    def limits(self) -> MastodonLimits:
        """The instance's post length and URL weight (GET /api/v2/instance)."""
        return limits_of(self._call("instance_v2"))

    def create_post(self, text: str, identity: PostIdentity | None = None) -> tuple[str, str]:
        """POST /api/v1/statuses (public), with the row's Idempotency-Key when given."""
        key = identity.idempotency_key if identity is not None else None
        status = self._call("status_post", text, visibility="public", idempotency_key=key)
        return str(status["id"]), str(status.get("url") or self.link(str(status["id"])))

    def _own_statuses(self, since: datetime | None, limit: int) -> list[Any]:
        """The account's statuses, newest first, back to `since` (or `limit` of them)."""
        found: list[Any] = []
        size = min(PAGE, limit)
        page = self._call("account_statuses", self._me()["id"], limit=size)
        while page:
            for status in page:
                if since is not None and status["created_at"] < since:
                    return found
                found.append(status)
            # A short page is the last one: no need to ask for an empty one after it.
            more = len(page) == size and len(found) < limit
            page = self._call("fetch_next", page) if more else None
        return found[:limit]

    def own_posts_since(self, since: datetime, limit: int = MAX_RECENT) -> list[OwnPost]:
        """The account's posts created at or after `since`, newest first, with their text as
        written (one /source call per post: only the few posts of the last minutes)."""
        posts = []
        for status in self._own_statuses(since, limit):
            source = self._call("status_source", status["id"])
            posts.append(
                OwnPost(str(status["id"]), str(source["text"]), status["created_at"], status["url"])
            )
        return posts

    def recent_own_posts(self, limit: int) -> list[tuple[str, str]]:
        """The account's latest posts as (id, text), newest first (text from the HTML)."""
        return [
            (str(s["id"]), plain_text(str(s["content"])))
            for s in self._own_statuses(None, max(1, min(limit, MAX_RECENT)))
        ]

    def link(self, post_id: str) -> str:
        """The status's page on the instance."""
        return f"{self.base_url}/@{self._me()['username']}/{post_id}"


def mastodon_publisher(settings: Settings) -> MastodonPublisher:
    """Build the publisher from settings, or say what is missing."""
    from launchkit.adapters.http import credentials_url, deadline_session

    if not settings.mastodon_token:
        raise CredentialsError(
            "no Mastodon access token to post with",
            hint="set LAUNCHKIT_MASTODON_TOKEN (and LAUNCHKIT_MASTODON_URL, your instance)",
        )
    base_url = credentials_url(settings.mastodon_url, "LAUNCHKIT_MASTODON_URL")
    from mastodon import Mastodon

    client = Mastodon(
        access_token=settings.mastodon_token,
        api_base_url=base_url,
        request_timeout=settings.http_timeout_s,
        # Every request ends within the deadline as a whole, not only each read.
        session=deadline_session(settings.http_timeout_s),
        # The send loop waits for the reset itself (and says so); Mastodon.py must not sleep.
        ratelimit_method="throw",
    )
    return MastodonPublisher(client, base_url)
