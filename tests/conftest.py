"""Shared fixtures: every test runs with its own HOME, XDG dirs and no LAUNCHKIT_* settings."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = ["tests.fakes.fixtures"]

DEV_DATA = Path(__file__).resolve().parent / "data" / "calendar_dev"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Give each test an empty home and config, and strip credentials from the environment."""
    home = tmp_path / "home"
    home.mkdir()
    for name in list(os.environ):
        if name.startswith("LAUNCHKIT_") or name in {
            "GOOGLE_APPLICATION_CREDENTIALS",
            "TWITTER_BEARER_TOKEN",
            "GOOGLE_SDK_EXPERIMENTAL_PYTHON_REGIONAL_ACCESS_BOUNDARY_LOOKUP_ENABLED",
        }:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    for var, sub in [
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_STATE_HOME", ".local/state"),
    ]:
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("NO_COLOR", "1")
    yield home


@pytest.fixture
def dev_data() -> Path:
    """The development set of real calendar rows, with their labels (tests/data/calendar_dev)."""
    return DEV_DATA
