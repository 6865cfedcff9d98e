"""A chat's folder: chat.yaml read and checked, with the templates and the playbook it names.

Templates come from the folder given, else a `templates/` folder beside chat.yaml when there
is one, over the bundled ones; the playbook is a bundled name or a path beside chat.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from launchkit.adapters.chatfile import load_chat
from launchkit.adapters.playbookfile import load_playbook
from launchkit.adapters.templates import Templates, load_templates
from launchkit.domain.chat import Chat
from launchkit.domain.playbooks import Playbook

__all__ = ["ChatFolder", "open_chat_folder"]


@dataclass(frozen=True)
class ChatFolder:
    """Everything render, schedule and invite read from the chat's folder."""

    chat_file: Path
    chat: Chat
    templates: Templates
    playbook: Playbook

    @property
    def root(self) -> Path:
        """The folder chat.yaml is in (out/ and .launchkit/ live here)."""
        return self.chat_file.resolve().parent

    @property
    def out_dir(self) -> Path:
        """Where generated files go by default."""
        return self.root / "out"


def open_chat_folder(chat_file: Path, templates_dir: Path | None = None) -> ChatFolder:
    """Read chat.yaml, its templates and its playbook; every problem is a ConfigError."""
    chat = load_chat(chat_file)
    root = chat_file.resolve().parent
    if templates_dir is None and (root / "templates").is_dir():
        templates_dir = root / "templates"
    templates = load_templates(templates_dir)
    playbook = load_playbook(chat.playbook, templates.names(), root)
    return ChatFolder(chat_file, chat, templates, playbook)
