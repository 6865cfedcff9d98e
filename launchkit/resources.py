"""Finds the files bundled with launchkit: templates/, playbooks/ and data/ (and reads the
two reference tables in data/ that hashtag advice needs, once each, on first use).

In a wheel, templates/ and playbooks/ live inside the package (hatchling force-include puts
them at launchkit/_bundled/); in a source checkout they sit at the repository's top level.
This module is the only place that knows both layouts.
"""

from __future__ import annotations

import functools
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


def _data_lines(name: str) -> list[str]:
    """A data file's lines without its '#' header (the source and licence notes)."""
    text = data_file(name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


@functools.cache
def word_costs() -> dict[str, int]:
    """English words and what each costs in centibels (data/word_frequencies.txt, wordfreq)."""
    costs: dict[str, int] = {}
    for line in _data_lines("word_frequencies.txt"):
        cost, *words = line.split(" ")
        costs.update(dict.fromkeys(words, int(cost)))
    return costs


@functools.cache
def confusable_prototypes() -> dict[int, str]:
    """Code point -> the text it passes for (data/confusable_prototypes.txt, UTS #39)."""
    table: dict[int, str] = {}
    for line in _data_lines("confusable_prototypes.txt"):
        for pair in line.split():
            source, target = pair.split(">")
            table[int(source, 16)] = "".join(chr(int(code, 16)) for code in target.split("+"))
    return table
