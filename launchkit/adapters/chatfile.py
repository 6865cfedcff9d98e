"""chat.yaml: load, validate and save the single source of truth for one chat."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from launchkit.adapters.fsutil import write_text_atomic
from launchkit.adapters.yamlfile import read_yaml
from launchkit.domain.chat import Chat, format_validation_error
from launchkit.errors import ConfigError
from launchkit.settings import DEFAULT_CHAT_FILE

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
    data = read_yaml(path, missing_hint="run `launchkit init` or pass --chat PATH")
    return parse_chat(data, str(path))


def chat_to_yaml(chat: Chat) -> str:
    """The chat as YAML text, keys in the documented order, without empty optional fields."""
    import yaml

    data = chat.model_dump(mode="json", exclude_none=True)
    if not data.get("sessions"):
        data.pop("sessions", None)  # an optional section, written only when used
    if not chat.recap.exclude and chat.recap.transcripts_url is None:
        data.pop("recap", None)  # the defaults: a new chat.yaml stays as short as before
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_chat(chat: Chat, path: Path = DEFAULT_CHAT_FILE) -> None:
    """Write chat.yaml atomically."""
    write_text_atomic(path, chat_to_yaml(chat))
