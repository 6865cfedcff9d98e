"""The documents a newcomer reads match the code: the README's command table, the map in
docs/ARCHITECTURE.md, the docstring examples; and nothing points outside the repository."""

from __future__ import annotations

import doctest
import importlib
import re

import pytest
import typer

from launchkit.cli._app import COMMANDS, app
from tests.support import REPO

PKG = REPO / "launchkit"
README = (REPO / "README.md").read_text(encoding="utf-8")
ARCHITECTURE = (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")


def cli_commands() -> set[str]:
    """Every command and subcommand the CLI has ("render", "calendar parse", ...)."""
    import click

    root = typer.main.get_command(app)
    assert isinstance(root, click.Group)
    found: set[str] = set()
    ctx = click.Context(root)
    for name in root.list_commands(ctx):
        command = root.get_command(ctx, name)
        if isinstance(command, click.Group):
            found |= {f"{name} {sub}" for sub in command.list_commands(ctx)}
        else:
            found.add(name)
    return found


def readme_commands() -> set[str]:
    """The commands named in the README's table: `launchkit WORD [WORD]` then arguments."""
    found: set[str] = set()
    for cell in re.findall(r"^\| `launchkit ([^`]*)`", README, flags=re.MULTILINE):
        words = []
        for word in cell.split():
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break
            words.append(word)
        found.add(" ".join(words))
    return found


def test_the_readme_table_lists_every_command_and_no_other() -> None:
    assert readme_commands() == cli_commands()


def test_the_cli_has_the_commands_of_the_static_table() -> None:
    assert {c.split()[0] for c in cli_commands()} == set(COMMANDS)


def test_the_map_names_every_command() -> None:
    missing = sorted(c for c in cli_commands() if f"`{c}`" not in ARCHITECTURE)
    assert not missing, f"docs/ARCHITECTURE.md does not name {missing}"


def _modules() -> list[str]:
    return sorted(str(p.relative_to(PKG)) for p in PKG.rglob("*.py"))


@pytest.mark.parametrize("module", _modules())
def test_the_map_names_every_module(module: str) -> None:
    # A module is on the map when its path is, or, for a part of a family package such as
    # domain/schedule/, when its package is (a layer's own folder, domain/, does not count).
    if module.endswith("__init__.py") and module != "__init__.py":
        module = module.removesuffix("__init__.py")
    parts = module.rstrip("/").split("/")
    package = "/".join(parts[:-1]) + "/" if len(parts) >= 3 else None
    named = module in ARCHITECTURE or (package is not None and f"`{package}`" in ARCHITECTURE)
    assert named, f"docs/ARCHITECTURE.md does not mention {module}"


@pytest.mark.parametrize("name", ["README.md", "docs/ARCHITECTURE.md", "pyproject.toml"])
def test_nothing_points_outside_the_repository(name: str) -> None:
    text = (REPO / name).read_text(encoding="utf-8")
    assert "../" not in text and "shared/" not in text


def _with_examples() -> list[str]:
    names = []
    for path in sorted(PKG.rglob("*.py")):
        if ">>> " in path.read_text(encoding="utf-8"):
            parts = list(path.relative_to(REPO).with_suffix("").parts)
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_there_are_docstring_examples() -> None:
    assert len(_with_examples()) >= 2


@pytest.mark.parametrize("module", _with_examples())
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
