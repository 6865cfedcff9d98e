"""How often a hashtag was posted on X in the last 7 days (GET /2/tweets/counts/recent).

Uses the app-only bearer token. Every failure becomes a :class:`UsageReport` that says
"not checked" and why (with a hint), so `hashtag check --live` never ends in a traceback and
never passes a tag silently. tweepy is imported only inside :func:`recent_count`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from launchkit.domain.calendars.liveness import TagUse
from launchkit.domain.hashtag.advice import UsageReport
from launchkit.errors import RemoteError
from launchkit.settings import Settings

if TYPE_CHECKING:
    import requests

__all__ = ["X_HOSTS", "last_use", "recent_count"]

X_HOSTS = ("https://api.twitter.com", "https://api.x.com")
WINDOW_DAYS = 7


def _not_checked(error: RemoteError) -> UsageReport:
    return UsageReport("x", checked=False, reason=error.message, hint=error.hint)


def _reset_text(response: requests.Response | None, now: datetime) -> str:
    raw = response.headers.get("x-rate-limit-reset") if response is not None else None
    if raw is None or not raw.isdigit():
        return "X did not say when the limit resets"
    reset = datetime.fromtimestamp(int(raw), UTC)
    minutes = max(0, round((reset - now).total_seconds() / 60))
    return f"the limit resets at {reset:%Y-%m-%d %H:%M} UTC (in {minutes} min)"


def _translate(exc: Exception, now: datetime) -> RemoteError:
    """A tweepy/requests failure as a launchkit error with a hint."""
    import requests
    import tweepy

    if isinstance(exc, tweepy.errors.TooManyRequests):
        return RemoteError(
            "X rate limit reached; " + _reset_text(exc.response, now),
            hint="run the check again after the reset",
        )
    if isinstance(exc, tweepy.errors.Unauthorized | tweepy.errors.Forbidden):
        status = exc.response.status_code if exc.response is not None else "401/403"
        return RemoteError(
            f"X refused the bearer token ({status})",
            hint="check LAUNCHKIT_X_BEARER_TOKEN: the app bearer token from the developer portal",
        )
    if isinstance(exc, tweepy.errors.HTTPException) and exc.response.status_code == 402:
        return RemoteError(
            "your X API credits are used up (402)",
            hint="buy credits in the X developer portal, or check without --live",
        )
    if isinstance(exc, tweepy.errors.TwitterServerError):
        return RemoteError(
            f"X answered {exc.response.status_code}", hint="X is having trouble; try later"
        )
    if isinstance(exc, tweepy.errors.HTTPException):
        return RemoteError(
            f"X answered {exc.response.status_code}", hint="run with --debug and report it"
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return RemoteError("X did not answer in time", hint="check your network; try later")
    if isinstance(exc, requests.exceptions.RequestException):
        return RemoteError(
            f"cannot reach X ({type(exc).__name__})",
            hint="check your network or LAUNCHKIT_X_API_BASE_URL",
        )
    return RemoteError(f"X check failed ({type(exc).__name__})", hint=None)


def _client(settings: Settings) -> Any:
    import tweepy

    from launchkit.adapters.http import credentials_url, deadline_session, mount_base_url

    client = tweepy.Client(bearer_token=settings.x_bearer_token, wait_on_rate_limit=False)
    # tweepy passes no timeout to requests; this session ends every request within a deadline.
    client.session = deadline_session(settings.http_timeout_s)
    if settings.x_api_base_url:
        base_url = credentials_url(settings.x_api_base_url, "LAUNCHKIT_X_API_BASE_URL")
        # tweepy has no base-URL option, so its session is pointed elsewhere by an adapter.
        mount_base_url(client.session, base_url, X_HOSTS, settings.http_timeout_s)
    return client


def recent_count(settings: Settings, hashtag: str, now: datetime | None = None) -> UsageReport:
    """Posts using `hashtag` on X over the last 7 days, or why that could not be checked."""
    if not settings.x_bearer_token:
        return UsageReport(
            "x",
            checked=False,
            reason="no X bearer token",
            hint="set LAUNCHKIT_X_BEARER_TOKEN (app bearer token) to count recent posts",
        )
    import requests
    import tweepy

    try:
        client = _client(settings)
        answer = client.get_recent_tweets_count(hashtag, granularity="day")
    except (tweepy.errors.TweepyException, requests.exceptions.RequestException) as exc:
        return _not_checked(_translate(exc, now or datetime.now(UTC)))
    meta = answer.meta or {}
    buckets = answer.data or []
    total = meta.get("total_tweet_count")
    if total is None:
        total = sum(int(bucket.get("tweet_count", 0)) for bucket in buckets)
    return UsageReport("x", checked=True, total=int(total), days=WINDOW_DAYS)


def last_use(settings: Settings, hashtag: str, now: datetime | None = None) -> TagUse:
    """The newest day in the last 7 on which `hashtag` was posted on X (one paid count call)."""
    if not settings.x_bearer_token:
        reason = "no X bearer token (LAUNCHKIT_X_BEARER_TOKEN)"
        return TagUse("x", "X", checked=False, reason=reason)
    import requests
    import tweepy

    try:
        answer = _client(settings).get_recent_tweets_count(hashtag, granularity="day")
    except (tweepy.errors.TweepyException, requests.exceptions.RequestException) as exc:
        error = _translate(exc, now or datetime.now(UTC))
        return TagUse("x", "X", checked=False, reason=error.message)
    days = [
        datetime.fromisoformat(str(bucket["start"]).replace("Z", "+00:00")).date()
        for bucket in answer.data or []
        if int(bucket.get("tweet_count", 0)) > 0
    ]
    total = sum(int(bucket.get("tweet_count", 0)) for bucket in answer.data or [])
    return TagUse(
        "x", "X", checked=True, last_seen=max(days, default=None), uses=total, window_days=7
    )
