"""The layering rules of docs/ARCHITECTURE.md, checked on the source.

Every `import` in a module counts, wherever it is written: at module level, inside a
function (the lazy imports that keep start-up fast) and under `if TYPE_CHECKING:`. The
package a submodule lives in is not counted as imported (Python imports it implicitly).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from launchkit.adapters.ledger import SqliteLedger, ledger_path

PKG = Path(__file__).resolve().parents[1] / "launchkit"

# A module may import modules of its own rank or lower, never higher. The longest matching
# prefix gives a module's layer.
LAYERS: dict[str, int] = {
    "launchkit.__main__": 5,
    "launchkit.cli": 5,  # typer: parse flags, build the runtime, call a command, show it
    "launchkit.commands.init.wizard": 4,  # questionary: only asks
    "launchkit.commands": 3,  # one use case per verb; returns a result, never prints
    "launchkit.tweet_text": 3,  # the public Python API, a facade over domain.tweet
    "launchkit.adapters": 2,  # the outside world: files, SQLite, X, Sheets, SMTP, HTTP
    "launchkit.domain": 1,  # pure: no I/O, no clock, no environment
    "launchkit": 0,  # the base: errors, settings, output, resources, __init__
}
DOMAIN_FORBIDDEN = {
    "typer",
    "click",
    "questionary",
    "rich",
    "tweepy",
    "gspread",
    "requests",
    "smtplib",
    "sqlite3",
    "os",
    "platformdirs",
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _layer(module: str) -> tuple[str, int]:
    prefix = max(
        (p for p in LAYERS if module == p or module.startswith(p + ".")),
        key=len,
    )
    return prefix, LAYERS[prefix]


@cache
def _imports(module: str) -> tuple[set[str], set[str]]:
    """(launchkit modules, top-level outside packages) that `module` imports anywhere."""
    path = MODULES[module]
    inside: set[str] = set()
    outside: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")
                if path.name != "__init__.py":
                    package.pop()
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, *([node.module] if node.module else [])])
            # `from pkg import sub` imports the submodule pkg.sub when there is one.
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names
            ]
        for target in targets:
            if target.split(".")[0] != "launchkit":
                outside.add(target.split(".")[0])
            elif target != module:
                inside.add(target if target in MODULES else target.rsplit(".", 1)[0])
    return inside, outside


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_upward_import(module: str) -> None:
    layer, rank = _layer(module)
    inside, _ = _imports(module)
    upward = sorted(t for t in inside if _layer(t)[1] > rank)
    assert not upward, f"{module} ({layer}, rank {rank}) imports a higher layer: {upward}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_outside_libraries_stay_in_their_layer(module: str) -> None:
    inside, outside = _imports(module)
    if module.startswith("launchkit.domain."):
        assert not outside & DOMAIN_FORBIDDEN, f"domain imports {outside & DOMAIN_FORBIDDEN}"
        assert all(t.startswith("launchkit.domain") for t in inside), (
            f"domain/ may only import launchkit.domain, not {sorted(inside)}"
        )
    if _layer(module)[1] < LAYERS["launchkit.cli"]:
        assert "typer" not in outside, "only the cli package imports typer"
    if module != "launchkit.commands.init.wizard":
        assert "questionary" not in outside, "only the wizard imports questionary"
    if module != "launchkit.cli.live_room":
        assert "textual" not in outside, "only the live room (cli/live_room.py) imports textual"


def test_the_rank_table_is_enforced() -> None:
    # A check that cannot fail proves nothing: an upward import must be caught.
    assert _layer("launchkit.commands.init.wizard")[1] > _layer("launchkit.commands.init")[1]
    assert _layer("launchkit.domain.chat")[1] < _layer("launchkit.adapters.chatfile")[1]
    assert _layer("launchkit.settings") == ("launchkit", 0)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle() -> None:
    graph = {m: {t for t in _imports(m)[0] if t in MODULES} for m in MODULES}
    assert _cycles(graph) == []


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


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
    "yaml",
    "sqlite3",
    "mastodon",
    "atproto",
    "httpx",
    "textual",
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


def test_live_help_imports_nothing_heavy() -> None:
    # The room's module (Textual) is imported only when a room opens at a terminal.
    assert _loaded_after(["live", "--help"]) == set()


def test_the_live_room_is_imported_only_inside_a_function() -> None:
    # `live --plain` and `--json` never load Textual: no module imports the room at its top.
    for module, path in MODULES.items():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module != "launchkit.cli.live_room", f"{module} imports the room"


def test_post_with_nothing_due_imports_only_sqlite(tmp_path: Path) -> None:
    # `launchkit post` runs from cron every minute: the ledger (sqlite3) and nothing else heavy.
    from launchkit.adapters.ledger import SqliteLedger, ledger_path

    chat = tmp_path / "chat.yaml"
    SqliteLedger.open(ledger_path(chat)).close()
    assert _loaded_after(["post", "--chat", str(chat)]) == {"sqlite3"}


def test_post_with_nothing_due_on_three_networks_imports_only_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Credentials for every network are set: no network's client is loaded until a post is due.
    from launchkit.adapters.ledger import SqliteLedger, ledger_path

    for name, value in {
        "X_USER_TOKEN": "x-token",
        "MASTODON_TOKEN": "mastodon-token",
        "BLUESKY_HANDLE": "host.bsky.social",
        "BLUESKY_APP_PASSWORD": "abcd-efgh-ijkl-mnop",
    }.items():
        monkeypatch.setenv(f"LAUNCHKIT_{name}", value)
    from tests.support import write_chat

    chat = write_chat(tmp_path)
    with chat.open("a", encoding="utf-8") as handle:
        handle.write("networks: [x, mastodon, bluesky]\n")
    SqliteLedger.open(ledger_path(chat)).close()
    assert _loaded_after(["post", "--chat", str(chat)]) == {"sqlite3"}


def test_post_with_emails_planned_but_none_due_loads_no_smtp_jinja2_or_pydantic(
    tmp_path: Path,
) -> None:
    # Guest emails are in the loop: a scheduled chat has email rows (whole messages) in the
    # ledger, and with none due, `post` still loads neither the SMTP stack nor the pack's.
    from datetime import UTC, datetime

    from tests.support import plan, write_chat

    chat = write_chat(tmp_path)
    plan(chat, datetime(2026, 12, 1, tzinfo=UTC))  # the first item is due in February 2027
    with SqliteLedger.open(ledger_path(chat)) as ledger:
        assert ledger.items(("planned",), "email")
    code = (
        "import sys\n"
        "from launchkit.cli import app\n"
        f"sys.argv = ['launchkit', 'post', '--chat', {str(chat)!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('smtplib', 'ssl', 'email.mime', 'jinja2', 'pydantic',"
        " 'launchkit.adapters.smtp', 'launchkit.domain.mail') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert ast.literal_eval(out.strip().splitlines()[-1]) == []
    assert _loaded_after(["post", "--chat", str(chat)]) == {"sqlite3"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_is_over_400_lines(module: str) -> None:
    # Data belongs in launchkit/data/ (read through resources.py), not in a Python module.
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"{module} has {lines} lines (the limit is 400)"
