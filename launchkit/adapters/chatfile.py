"""chat.yaml: load, validate and save the single source of truth for one chat."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from launchkit.adapters.fsutil import write_text_atomic
from launchkit.domain.chat import Chat, format_validation_error
from launchkit.errors import ConfigError

DEFAULT_CHAT_FILE = Path("chat.yaml")

__all__ = ["DEFAULT_CHAT_FILE", "Chat", "chat_to_yaml", "load_chat", "parse_chat", "save_chat"]


def parse_chat(data: object, label: str = "chat.yaml") -> Chat:
    """Validate already-loaded YAML data as a Chat, raising ConfigError with per-field lines."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}, not a mapping"
        raise ConfigError(f"{label}: the file is {kind}", hint="see `launchkit init` to write one")
    try:
        return Chat.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(format_validation_error(label, exc), hint="fix these fields") from None


def load_chat(path: Path = DEFAULT_CHAT_FILE) -> Chat:
    """Read and validate chat.yaml."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no such file", hint="run `launchkit init` or pass --chat PATH"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(
            f"{path}: not valid YAML{where}", hint="check indentation and quotes"
        ) from None
    return parse_chat(data, str(path))


def chat_to_yaml(chat: Chat) -> str:
    """The chat as YAML text, keys in the documented order, without empty optional fields."""
    import yaml

    data = chat.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_chat(chat: Chat, path: Path = DEFAULT_CHAT_FILE) -> None:
    """Write chat.yaml atomically."""
    write_text_atomic(path, chat_to_yaml(chat))
