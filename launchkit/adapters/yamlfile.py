"""Reading a YAML file a person wrote (chat.yaml, a playbook, an answers file): one function,
one set of messages, each naming the file (and the line of a syntax error)."""

from __future__ import annotations

from pathlib import Path

from launchkit.errors import ConfigError

__all__ = ["read_yaml"]


def read_yaml(path: Path, label: str | None = None, missing_hint: str | None = None) -> object:
    """The parsed content of `path` (None for an empty file); ConfigError naming `label`."""
    import yaml

    label = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{label}: no such file", hint=missing_hint) from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        raise ConfigError(f"{label}: cannot be read ({reason})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(
            f"{label}: not valid YAML{where}", hint="check indentation and quotes"
        ) from None
