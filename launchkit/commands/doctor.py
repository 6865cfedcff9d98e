"""`launchkit doctor`: every setting with its source, and what the credentials allow."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from launchkit import __version__
from launchkit.settings import Settings, config_path, mask, setting_names


@dataclass(frozen=True)
class SettingRow:
    """One resolved setting as shown to a person (secrets masked)."""

    name: str
    value: str | None
    source: str
    secret: bool


@dataclass(frozen=True)
class Capability:
    """Something launchkit can or cannot do with the current settings, and why."""

    name: str
    available: bool
    reason: str


@dataclass(frozen=True)
class DoctorReport:
    """The result of `launchkit doctor`."""

    version: str
    config_file: str
    config_file_exists: bool
    settings: list[SettingRow]
    capabilities: list[Capability]


def _missing(settings: Settings, names: list[str]) -> list[str]:
    return [f"LAUNCHKIT_{n.upper()}" for n in names if not getattr(settings, n)]


def capabilities(settings: Settings) -> list[Capability]:
    """Which remote capabilities the current credentials allow, and why not when they don't."""
    caps: list[Capability] = []
    oauth1 = ["x_api_key", "x_api_secret", "x_access_token", "x_access_secret"]
    missing = _missing(settings, oauth1)
    if not missing or settings.x_user_token:
        how = "OAuth 2 user token" if settings.x_user_token and missing else "OAuth 1.0a user keys"
        caps.append(Capability("X posting", True, f"{how} set"))
    else:
        caps.append(Capability("X posting", False, "missing " + ", ".join(missing)))
    caps.append(
        Capability("X counts", True, "app bearer token set")
        if settings.x_bearer_token
        else Capability("X counts", False, "missing LAUNCHKIT_X_BEARER_TOKEN")
    )
    creds = settings.google_credentials
    if not creds:
        caps.append(
            Capability(
                "Google Sheets",
                False,
                "no service-account key (LAUNCHKIT_GOOGLE_CREDENTIALS); public CSV URLs still work",
            )
        )
    elif not Path(creds).is_file():
        caps.append(Capability("Google Sheets", False, f"key file {creds} does not exist"))
    else:
        caps.append(Capability("Google Sheets", True, f"service-account key {creds}"))
    caps.append(
        Capability("SMTP", True, f"{settings.smtp_host}:{settings.smtp_port}")
        if settings.smtp_host
        else Capability("SMTP", False, "missing LAUNCHKIT_SMTP_HOST")
    )
    caps.append(Capability("Mastodon tag history", True, f"{settings.mastodon_url} (no login)"))
    caps += _network_capabilities(settings)
    return caps


def _unsafe(url: str, name: str) -> str | None:
    """Why credentials may not go to `url` (plain http to another machine), or None."""
    from launchkit.adapters.http import credentials_url
    from launchkit.errors import CredentialsError

    try:
        credentials_url(url, name)
    except CredentialsError as exc:
        return exc.message
    return None


def _network_capabilities(settings: Settings) -> list[Capability]:
    """Posting to Mastodon and Bluesky, and Bluesky's signed-in hashtag search."""
    caps = []
    unsafe = _unsafe(settings.mastodon_url, "LAUNCHKIT_MASTODON_URL")
    if not settings.mastodon_token:
        caps.append(Capability("Mastodon posting", False, "missing LAUNCHKIT_MASTODON_TOKEN"))
    else:
        caps.append(
            Capability("Mastodon posting", False, unsafe)
            if unsafe
            else Capability("Mastodon posting", True, f"access token for {settings.mastodon_url}")
        )
    missing = _missing(settings, ["bluesky_handle", "bluesky_app_password"])
    unsafe = _unsafe(settings.bluesky_url, "LAUNCHKIT_BLUESKY_URL")
    for name in ("Bluesky posting", "Bluesky hashtag search"):
        if missing:
            caps.append(Capability(name, False, "missing " + ", ".join(missing)))
        elif unsafe:
            caps.append(Capability(name, False, unsafe))
        else:
            how = f"app password of {settings.bluesky_handle} at {settings.bluesky_url}"
            caps.append(Capability(name, True, how))
    return caps


def posting_networks(settings: Settings) -> list[str]:
    """The networks the settings can post to, in launchkit's order ([] when none)."""
    ready = {c.name for c in capabilities(settings) if c.available}
    names = {"x": "X posting", "mastodon": "Mastodon posting", "bluesky": "Bluesky posting"}
    return [network for network, name in names.items() if name in ready]


def run(settings: Settings, env: Mapping[str, str]) -> DoctorReport:
    """Describe the resolved settings (secrets masked), the config file `env` points to and
    the available capabilities."""
    rows = []
    for name in setting_names():
        value = getattr(settings, name)
        secret = settings.is_secret(name)
        shown = None if value is None else (mask(value) if secret else str(value))
        rows.append(SettingRow(name, shown, settings.source(name), secret))
    path = config_path(env)
    return DoctorReport(__version__, str(path), path.is_file(), rows, capabilities(settings))
