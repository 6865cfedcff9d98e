"""The layering rules of DESIGN.md, checked on the source."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "launchkit"
DOMAIN_FORBIDDEN = {
    "typer",
    "questionary",
    "rich",
    "tweepy",
    "gspread",
    "requests",
    "smtplib",
    "sqlite3",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def _modules() -> list[Path]:
    return sorted(PKG.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PKG)))
def test_layer_imports(path: Path) -> None:
    rel = path.relative_to(PKG)
    imports = _imports(path)
    if rel.parts[0] == "domain":
        assert not imports & DOMAIN_FORBIDDEN, f"domain/ imports {imports & DOMAIN_FORBIDDEN}"
        assert "launchkit" not in imports or all(
            m.startswith("launchkit.domain") for m in _launchkit_imports(path)
        ), "domain/ may only import launchkit.domain"
    if rel.parts[0] != "cli":
        assert "typer" not in imports, "only the cli package imports typer"
    if rel.name != "wizard.py":
        assert "questionary" not in imports, "only wizard.py imports questionary"


def _launchkit_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    mods = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("launchkit"):
            mods.append(node.module)
        elif isinstance(node, ast.Import):
            mods += [a.name for a in node.names if a.name.startswith("launchkit")]
    return mods


HEAVY = [
    "pandas",
    "numpy",
    "tweepy",
    "gspread",
    "questionary",
    "jinja2",
    "sklearn",
    "rich",
    "pydantic",
    "requests",
]


def _loaded_after(args: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from launchkit.cli import app\n"
        f"sys.argv = ['launchkit', *{args!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(ast.literal_eval(out.strip().splitlines()[-1]))


def test_help_imports_nothing_heavy() -> None:
    assert _loaded_after(["--help"]) == set()
