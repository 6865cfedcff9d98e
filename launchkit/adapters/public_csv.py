"""Fetch a public sheet's CSV export URL, and keep remote calendars in the user cache.

A fetched calendar is written to the cache (write-then-rename, so a crash or a timeout never
leaves a partial file) and its modification time is the time it was fetched. A fresh copy is
reused; `refresh` fetches again; when a fetch fails, an older copy is used with a warning
that names its age.

Plain http is refused except for this machine (tests serve CSV on 127.0.0.1).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from launchkit.adapters.fsutil import write_bytes_atomic
from launchkit.errors import LaunchkitError, RemoteError, UsageError

if TYPE_CHECKING:
    from launchkit.settings import Settings

# A calendar changes a few times a week; a day-old copy is fresh enough for finding slots.
MAX_AGE = timedelta(hours=24)
NOT_PUBLIC = "the sheet is not public: share it or give credentials"
NOT_PUBLIC_HINT = (
    "in Google Sheets use Share → General access → Anyone with the link, "
    "or set LAUNCHKIT_GOOGLE_CREDENTIALS to a service-account key the sheet is shared with"
)


@dataclass(frozen=True)
class Fetched:
    """Bytes of a remote calendar, when they were fetched, and a warning if they are stale."""

    data: bytes
    fetched_at: datetime
    from_cache: bool
    warning: str | None = None


def export_url(key: str, gid: int | None) -> str:
    """The CSV export URL of a Google Sheet (works without credentials when it is public)."""
    tail = f"&gid={gid}" if gid is not None else ""
    return f"https://docs.google.com/spreadsheets/d/{key}/export?format=csv{tail}"


def cache_path(cache_dir: Path, name: str, suffix: str) -> Path:
    """Where the cached copy of a remote calendar called `name` lives."""
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:24]
    return cache_dir / "calendars" / f"{digest}{suffix}"


def describe_age(age: timedelta) -> str:
    """ "5 minutes", "3 hours", "2 days": how old a cached copy is."""
    minutes = int(age.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} minute{'s' * (minutes != 1)}"
    if minutes < 48 * 60:
        hours = minutes // 60
        return f"{hours} hour{'s' * (hours != 1)}"
    return f"{minutes // 1440} days"


def cached_fetch(
    path: Path, fetch: Callable[[], bytes], *, refresh: bool = False, label: str
) -> Fetched:
    """Return a fresh cached copy, or fetch (and cache) it; on failure fall back to the cache."""
    cached_at = _mtime(path)
    now = datetime.now(UTC)
    if not refresh and cached_at and now - cached_at < MAX_AGE:
        return Fetched(path.read_bytes(), cached_at, from_cache=True)
    try:
        data = fetch()
    except LaunchkitError as exc:
        if cached_at is None:
            raise
        warning = (
            f"could not fetch {label} ({exc.message}); using the copy fetched "
            f"{describe_age(now - cached_at)} ago"
        )
        return Fetched(path.read_bytes(), cached_at, from_cache=True, warning=warning)
    write_bytes_atomic(path, data)
    stamp = time.time()
    os.utime(path, (stamp, stamp))
    return Fetched(data, datetime.fromtimestamp(stamp, UTC), from_cache=False)


def _mtime(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None


def check_url(url: str) -> None:
    """Refuse anything but https (plain http only to this machine, for local servers)."""
    from launchkit.adapters.http import is_loopback_host  # requests: only when fetching

    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and is_loopback_host(parts.hostname or ""):
        return
    raise UsageError(f"calendar URL must use https: {url}", hint="use the https:// address")


def download_csv(url: str, timeout_s: float) -> bytes:
    """GET a CSV URL; a sheet that is not public, a timeout or a network error is a RemoteError.

    The whole download must end within `timeout_s` (adapters/http.py), however steadily a
    slow server sends.
    """
    import requests

    from launchkit.adapters.http import deadline_session

    check_url(url)
    try:
        with deadline_session(timeout_s) as session:
            response = session.get(url, headers={"Accept": "text/csv, */*"})
    except requests.Timeout:
        raise RemoteError(
            f"no complete answer from {_host(url)} within {timeout_s:g} s",
            hint="try again later, or raise LAUNCHKIT_HTTP_TIMEOUT_S",
        ) from None
    except requests.RequestException as exc:
        raise RemoteError(
            f"could not reach {_host(url)} ({type(exc).__name__})",
            hint="check your connection and the URL",
        ) from None
    status = response.status_code
    if status in (401, 403, 404):
        raise RemoteError(f"{NOT_PUBLIC} (HTTP {status})", hint=NOT_PUBLIC_HINT)
    if status >= 400:
        raise RemoteError(f"{_host(url)} answered HTTP {status}", hint="try again later")
    # Google answers a private sheet's export URL with a sign-in page, not an error status.
    content_type = response.headers.get("Content-Type", "")
    if "text/html" in content_type or "accounts.google.com" in response.url:
        raise RemoteError(f"{NOT_PUBLIC} (got a web page, not CSV)", hint=NOT_PUBLIC_HINT)
    return response.content


def fetch_public_csv(url: str, settings: Settings, *, refresh: bool = False) -> Fetched:
    """A public CSV export, from the cache when fresh, else fetched (with cache fallback)."""
    check_url(url)
    path = cache_path(settings_cache_dir(), "csv " + url, ".csv")
    return cached_fetch(
        path, lambda: download_csv(url, settings.http_timeout_s), refresh=refresh, label=url
    )


def settings_cache_dir() -> Path:
    """The platformdirs user cache dir (a function so tests' XDG_CACHE_HOME is honoured)."""
    from launchkit.settings import cache_dir

    return cache_dir()


def _host(url: str) -> str:
    return urlsplit(url).netloc or url
