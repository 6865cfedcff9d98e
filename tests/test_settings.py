"""Settings: flag > env > config file > default, each with its source; secrets masked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchkit.cli import app
from launchkit.errors import ConfigError
from launchkit.settings import config_path, load_settings, mask

runner = CliRunner()


def _config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_precedence_and_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    path = _config('smtp_host = "mail.config"\nsmtp_port = 2525\ncalendar = "from-config.csv"\n')
    monkeypatch.setenv("LAUNCHKIT_SMTP_HOST", "mail.env")
    s = load_settings(flags={"calendar": "from-flag.csv"})
    assert (s.calendar, s.source("calendar")) == ("from-flag.csv", "flag")
    assert (s.smtp_host, s.source("smtp_host")) == ("mail.env", "env LAUNCHKIT_SMTP_HOST")
    assert (s.smtp_port, s.source("smtp_port")) == (2525, f"config {path}")
    assert (s.smtp_security, s.source("smtp_security")) == ("starttls", "default")


def test_google_credentials_alias(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", "/keys/sa.json")
    s = load_settings()
    assert s.google_credentials == "/keys/sa.json"
    assert s.source("google_credentials") == "env GOOGLE_APPLICATION_CREDENTIALS"


def test_bad_config_is_one_clear_error() -> None:
    _config("smtp_port = 'abc'\n")
    with pytest.raises(ConfigError, match="smtp_port must be a number"):
        load_settings()
    _config("smtp_hots = 'x'\n")
    with pytest.raises(ConfigError, match="unknown setting 'smtp_hots'"):
        load_settings()


def test_mask() -> None:
    assert mask("sk-live-0123456789abcd") == "****abcd"
    assert mask("short") == "****"


def test_doctor_masks_secrets_and_names_capabilities(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "xsecret-TOPSECRET-7f3a"
    monkeypatch.setenv("LAUNCHKIT_X_BEARER_TOKEN", secret)
    monkeypatch.setenv("LAUNCHKIT_SMTP_PASSWORD", "hunter2-hunter2")
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert secret not in result.output and "hunter2" not in result.output
    assert "****7f3a" in result.output
    assert "env LAUNCHKIT_X_BEARER_TOKEN" in result.output
    data = json.loads(runner.invoke(app, ["doctor", "--json"]).output)
    caps = {c["name"]: c for c in data["capabilities"]}
    assert caps["X counts"]["available"] is True
    assert caps["X posting"]["available"] is False
    assert "LAUNCHKIT_X_API_KEY" in caps["X posting"]["reason"]
    assert caps["SMTP"]["available"] is False
    assert secret not in json.dumps(data)


def test_doctor_says_what_each_network_can_do_and_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAUNCHKIT_MASTODON_TOKEN", "mastodon-secret-token-1234")
    monkeypatch.setenv("LAUNCHKIT_MASTODON_URL", "http://mastodon.example")
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_HANDLE", "host.bsky.social")
    result = CliRunner().invoke(app, ["doctor", "--json"])
    data = json.loads(result.output)
    caps = {c["name"]: c for c in data["capabilities"]}
    assert not caps["Mastodon posting"]["available"]
    assert "unencrypted" in caps["Mastodon posting"]["reason"]
    assert caps["Bluesky posting"]["reason"] == "missing LAUNCHKIT_BLUESKY_APP_PASSWORD"
    settings = {s["name"]: s for s in data["settings"]}
    assert settings["mastodon_token"]["value"] == "****1234"
    assert settings["bluesky_url"]["value"] == "https://bsky.social"
    assert "mastodon-secret-token" not in result.output
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_APP_PASSWORD", "abcd-efgh-ijkl-mnop")
    monkeypatch.setenv("LAUNCHKIT_MASTODON_URL", "https://mastodon.example")
    result = CliRunner().invoke(app, ["doctor"])
    assert "abcd-efgh" not in result.output
    caps = {
        c["name"]: c
        for c in json.loads(CliRunner().invoke(app, ["doctor", "--json"]).output)["capabilities"]
    }
    assert caps["Mastodon posting"]["available"] and caps["Bluesky hashtag search"]["available"]
