"""Reading a YAML file a person wrote (chat.yaml, a playbook, an answers file): one function,
one set of messages, each naming the file (and the line of a syntax error).

Such files are small; a huge or deeply nested one is refused before it is built into Python
objects (PyYAML builds nested collections recursively, and a 50 MB scalar would be copied
several times over): at most MAX_BYTES, MAX_DEPTH levels of nesting and MAX_ALIASES aliases.
"""

from __future__ import annotations

from pathlib import Path

from launchkit.errors import ConfigError

__all__ = ["MAX_ALIASES", "MAX_BYTES", "MAX_DEPTH", "read_yaml"]

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
MAX_ALIASES = 100


def read_yaml(path: Path, label: str | None = None, missing_hint: str | None = None) -> object:
    """The parsed content of `path` (None for an empty file); ConfigError naming `label`."""
    import yaml

    label = label or str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
        text = data.decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{label}: no such file", hint=missing_hint) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise ConfigError(f"{label}: cannot be read ({reason})") from None
    if len(data) > MAX_BYTES:
        raise ConfigError(
            f"{label}: too large (over {MAX_BYTES // 1000} kB)",
            hint="a chat file, playbook or answers file is a few kB; check it is the right file",
        )
    try:
        _check_shape(text, label)
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(
            f"{label}: not valid YAML{where}", hint="check indentation and quotes"
        ) from None


def _check_shape(text: str, label: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH and more than MAX_ALIASES aliases, reading the
    event stream (flat, never recursive) before anything is built."""
    import yaml

    depth = aliases = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark else "?"
                raise ConfigError(
                    f"{label}: nested more than {MAX_DEPTH} levels deep (line {line})",
                    hint="a chat file, playbook or answers file needs a few levels at most",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise ConfigError(
                    f"{label}: more than {MAX_ALIASES} aliases (*name)",
                    hint="write the values out; launchkit's files need no aliases",
                )
