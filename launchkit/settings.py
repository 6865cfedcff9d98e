"""Resolved settings, each with the place it came from.

Precedence: flag > environment (LAUNCHKIT_*) > config file (config.toml in the platformdirs
user config dir) > default. Secrets come only from the environment or the config file.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from launchkit.errors import ConfigError

# The chat file every command reads when not told otherwise (--chat, LAUNCHKIT_CHAT).
DEFAULT_CHAT_FILE = Path("chat.yaml")
# How many sessions render, schedule and invite plan when not told (--sessions).
DEFAULT_SESSIONS = 4
SOURCE_FLAG = "flag"
SOURCE_DEFAULT = "default"


@dataclass(frozen=True)
class Settings:
    """Every setting launchkit reads; `sources` says where each value came from."""

    calendar: str | None = field(default=None, metadata={"help": "calendar source"})
    worksheet: str | None = field(default=None, metadata={"help": "calendar worksheet"})
    sheet: str | None = field(default=None, metadata={"help": "sheet that `submit` writes to"})
    google_credentials: str | None = field(
        default=None,
        metadata={"help": "service-account JSON", "env": ("GOOGLE_APPLICATION_CREDENTIALS",)},
    )
    x_api_key: str | None = field(default=None, metadata={"secret": True})
    x_api_secret: str | None = field(default=None, metadata={"secret": True})
    x_access_token: str | None = field(default=None, metadata={"secret": True})
    x_access_secret: str | None = field(default=None, metadata={"secret": True})
    x_user_token: str | None = field(
        default=None, metadata={"secret": True, "help": "OAuth 2 user access token"}
    )
    x_bearer_token: str | None = field(
        default=None, metadata={"secret": True, "help": "app bearer token (counts)"}
    )
    x_api_base_url: str | None = field(default=None, metadata={"help": "X API base URL"})
    sheets_api_base_url: str | None = field(default=None, metadata={"help": "Sheets base URL"})
    mastodon_url: str = field(
        default="https://mastodon.social", metadata={"help": "Mastodon instance"}
    )
    mastodon_token: str | None = field(
        default=None, metadata={"secret": True, "help": "access token (write:statuses)"}
    )
    bluesky_url: str = field(
        default="https://bsky.social", metadata={"help": "Bluesky PDS (XRPC calls)"}
    )
    bluesky_handle: str | None = field(default=None, metadata={"help": "Bluesky handle"})
    bluesky_app_password: str | None = field(
        default=None, metadata={"secret": True, "help": "Bluesky app password"}
    )
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = field(default=None, metadata={"secret": True})
    smtp_from: str | None = None
    smtp_security: str = field(default="starttls", metadata={"help": "starttls, ssl or none"})
    price_post_usd: float = field(default=0.015, metadata={"help": "X API price of a post"})
    price_post_url_usd: float = field(default=0.20, metadata={"help": "price of a post w/ URL"})
    price_count_usd: float = field(default=0.005, metadata={"help": "price of a 7-day count"})
    late_grace_min: int = field(default=30, metadata={"help": "minutes late before --late-ok"})
    http_timeout_s: float = 20.0
    sources: Mapping[str, str] = field(default_factory=dict, compare=False)

    def source(self, name: str) -> str:
        """Where the value of `name` came from: flag, env var name, config file or default."""
        return self.sources.get(name, SOURCE_DEFAULT)

    def is_secret(self, name: str) -> bool:
        """True when the setting holds a credential."""
        return bool(_field_meta(name).get("secret", False))


def _field_meta(name: str) -> Mapping[str, Any]:
    for f in fields(Settings):
        if f.name == name:
            return f.metadata
    raise KeyError(name)


def setting_names() -> list[str]:
    """All setting names, in declaration order."""
    return [f.name for f in fields(Settings) if f.name != "sources"]


def env_names(name: str) -> tuple[str, ...]:
    """The environment variables that can set `name`, most specific first."""
    extra: tuple[str, ...] = tuple(_field_meta(name).get("env", ()))
    return (f"LAUNCHKIT_{name.upper()}", *extra)


def mask(value: object) -> str:
    """Show a secret as ****abcd (its last four characters only when it is long enough)."""
    text = str(value)
    return "****" + text[-4:] if len(text) >= 12 else "****"


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """The user's config.toml (LAUNCHKIT_CONFIG overrides the platformdirs location)."""
    env = os.environ if env is None else env
    if env.get("LAUNCHKIT_CONFIG"):
        return Path(env["LAUNCHKIT_CONFIG"])
    from platformdirs import user_config_dir

    return Path(user_config_dir("launchkit")) / "config.toml"


def cache_dir() -> Path:
    """The user cache directory for fetched calendars."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("launchkit"))


def _read_config(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: not valid TOML ({exc})", hint="fix the file or delete it"
        ) from None
    unknown = sorted(set(data) - set(setting_names()))
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {unknown[0]!r}",
            hint="known settings: " + ", ".join(setting_names()),
        )
    return data


def _convert(name: str, raw: object, origin: str) -> object:
    kind = next(f.type for f in fields(Settings) if f.name == name)
    try:
        if "int" in str(kind):
            return int(str(raw))
        if "float" in str(kind):
            return float(str(raw))
    except ValueError:
        raise ConfigError(
            f"{origin}: {name} must be a number, not {raw!r}", hint="set it to a number"
        ) from None
    return str(raw)


def load_settings(
    flags: Mapping[str, object | None] | None = None,
    env: Mapping[str, str] | None = None,
    config_file: Path | None = None,
) -> Settings:
    """Resolve every setting from flags, the environment, the config file and the defaults."""
    env = os.environ if env is None else env
    path = config_file if config_file is not None else config_path(env)
    config = _read_config(path)
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    for name in setting_names():
        flag_value = (flags or {}).get(name)
        if flag_value is not None and not Settings().is_secret(name):
            values[name], sources[name] = flag_value, SOURCE_FLAG
            continue
        env_hit = next((e for e in env_names(name) if env.get(e)), None)
        if env_hit is not None:
            values[name] = _convert(name, env[env_hit], env_hit)
            sources[name] = f"env {env_hit}"
        elif name in config:
            values[name] = _convert(name, config[name], str(path))
            sources[name] = f"config {path}"
    return Settings(**values, sources=sources)  # type: ignore[arg-type]
