"""Recent use of a hashtag on a Mastodon instance (GET /api/v1/tags/:name, no credentials).

Mastodon's Tag entity carries a `history` of the last days, newest first, with `uses` and
`accounts` as strings. 404 means the instance has never seen the tag: unused, not an error.
Failures become a "not checked" :class:`UsageReport` with the reason, never a traceback.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from launchkit.domain.hashtag.advice import UsageReport
from launchkit.settings import Settings

__all__ = ["tag_history"]

WINDOW_DAYS = 7


def _not_checked(reason: str, hint: str) -> UsageReport:
    return UsageReport("mastodon", checked=False, reason=reason, hint=hint)


def _sum(history: list[dict[str, Any]], field: str) -> int:
    return sum(int(day.get(field) or 0) for day in history[:WINDOW_DAYS])


def tag_history(settings: Settings, name: str) -> UsageReport:
    """Uses of `name` (with or without '#') on the configured instance over the last 7 days."""
    import requests

    base = settings.mastodon_url.rstrip("/")
    url = f"{base}/api/v1/tags/{quote(name.lstrip('#＃'), safe='')}"
    try:
        response = requests.get(url, timeout=settings.http_timeout_s)
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
