"""Finds the files bundled with launchkit: templates/, playbooks/ and data/.

In a wheel, templates/ and playbooks/ live inside the package (hatchling force-include puts
them at launchkit/_bundled/); in a source checkout they sit at the repository's top level.
This module is the only place that knows both layouts.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_PACKAGE_DIR = Path(str(resources.files("launchkit")))


def _bundled(name: str) -> Path:
    inside = _PACKAGE_DIR / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent / name


def templates_dir() -> Path:
    """The bundled jinja2 templates folder."""
    return _bundled("templates")


def playbooks_dir() -> Path:
    """The bundled playbooks folder."""
    return _bundled("playbooks")


def data_file(name: str) -> Path:
    """A file from launchkit/data (e.g. the calendar snapshot)."""
    return _PACKAGE_DIR / "data" / name


def calendar_snapshot() -> Path:
    """The bundled public-calendar snapshot used when no calendar is configured."""
    return data_file("calendar.csv")


def bundled_playbook(name: str) -> Path | None:
    """The path of a bundled playbook by name (without .yaml), or None."""
    path = playbooks_dir() / f"{name}.yaml"
    return path if path.is_file() else None


def bundled_playbook_names() -> list[str]:
    """Names of all bundled playbooks."""
    return sorted(p.stem for p in playbooks_dir().glob("*.yaml"))
