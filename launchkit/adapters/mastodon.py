"""Use of a hashtag on a Mastodon instance, without credentials.

`tag_history` counts the last 7 days (GET /api/v1/tags/:name); `last_use` finds the newest
post with the tag (GET /api/v1/timelines/tag/:hashtag), for the calendar audit.

Mastodon's Tag entity carries a `history` of the last days, newest first, with `uses` and
`accounts` as strings. 404 means the instance has never seen the tag: unused, not an error.
Failures become a "not checked" :class:`UsageReport` with the reason, never a traceback.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from launchkit.domain.calendars.liveness import TagUse
from launchkit.domain.hashtag.advice import UsageReport
from launchkit.settings import Settings

__all__ = ["last_use", "tag_history"]

WINDOW_DAYS = 7


def _not_checked(reason: str, hint: str) -> UsageReport:
    return UsageReport("mastodon", checked=False, reason=reason, hint=hint)


def _sum(history: list[dict[str, Any]], field: str) -> int:
    return sum(int(day.get(field) or 0) for day in history[:WINDOW_DAYS])


def tag_history(settings: Settings, name: str) -> UsageReport:
    """Uses of `name` (with or without '#') on the configured instance over the last 7 days."""
    import requests

    from launchkit.adapters.http import deadline_session

    base = settings.mastodon_url.rstrip("/")
    url = f"{base}/api/v1/tags/{quote(name.lstrip('#＃'), safe='')}"
    try:
        with deadline_session(settings.http_timeout_s) as session:
            response = session.get(url)
    except requests.exceptions.Timeout:
        return _not_checked(f"{base} did not answer in time", "try later")
    except requests.exceptions.RequestException as exc:
        return _not_checked(
            f"cannot reach {base} ({type(exc).__name__})",
            "check your network or LAUNCHKIT_MASTODON_URL",
        )
    if response.status_code == 404:
        return UsageReport("mastodon", checked=True, total=0, days=WINDOW_DAYS, accounts=0)
    if response.status_code != 200:
        return _not_checked(
            f"{base} answered {response.status_code}", "try later or set LAUNCHKIT_MASTODON_URL"
        )
    try:
        history = list(response.json().get("history") or [])
        uses, accounts = _sum(history, "uses"), _sum(history, "accounts")
    except (ValueError, AttributeError, TypeError):
        return _not_checked(f"{base} sent an answer that is not a Mastodon tag", "check the URL")
    return UsageReport(
        "mastodon",
        checked=True,
        total=uses,
        days=min(WINDOW_DAYS, len(history)) or WINDOW_DAYS,
        accounts=accounts,
    )


def last_use(settings: Settings, name: str) -> TagUse:
    """When `name` was last posted, as the instance's tag timeline shows (newest post first).

    GET /api/v1/timelines/tag/:hashtag?limit=1 needs no credentials on instances that show
    public timelines; an empty list means the instance has never seen the tag. It looks as
    far back as the instance keeps posts, so an empty or old answer can make a chat stale.
    """
    import requests

    base = settings.mastodon_url.rstrip("/")
    where = urlsplit(base).netloc or base
    url = f"{base}/api/v1/timelines/tag/{quote(name.lstrip('#＃'), safe='')}"

    def not_checked(reason: str) -> TagUse:
        return TagUse("mastodon", where, checked=False, reason=reason)

    try:
        response = requests.get(url, params={"limit": 1}, timeout=settings.http_timeout_s)
    except requests.exceptions.Timeout:
        return not_checked("no answer in time; try later")
    except requests.exceptions.RequestException as exc:
        return not_checked(f"cannot reach it ({type(exc).__name__}); check LAUNCHKIT_MASTODON_URL")
    status = response.status_code
    if status == 429:
        reset = response.headers.get("X-RateLimit-Reset", "")
        return not_checked(f"rate limit reached (resets {reset or 'soon'}); run again later")
    if status in (401, 403, 422):
        return not_checked(f"it shows tag timelines only to signed-in users ({status})")
    if status != 200:
        return not_checked(f"it answered {status}; try later")
    try:
        statuses = response.json()
        newest = statuses[0]["created_at"] if statuses else None
        seen = datetime.fromisoformat(newest.replace("Z", "+00:00")).date() if newest else None
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return not_checked("its answer is not a Mastodon timeline; check LAUNCHKIT_MASTODON_URL")
    return TagUse("mastodon", where, checked=True, last_seen=seen)
