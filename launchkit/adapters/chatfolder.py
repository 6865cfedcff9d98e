"""A chat's folder: chat.yaml read and checked, with the templates and the playbook it names.

Templates come from the folder given, else a `templates/` folder beside chat.yaml when there
is one, over the bundled ones; the playbook is a bundled name or a path beside chat.yaml.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from launchkit.adapters.chatfile import load_chat
from launchkit.adapters.playbookfile import load_playbook
from launchkit.adapters.templates import Templates, load_templates
from launchkit.domain.chat import Chat
from launchkit.domain.playbooks import Playbook
from launchkit.domain.recap.figures import RecapFigures, transcript_link

__all__ = ["ChatFolder", "default_out_dir", "open_chat_folder"]


def default_out_dir(chat_file: Path) -> Path:
    """Where generated files go by default: out/ beside chat.yaml."""
    return chat_file.resolve().parent / "out"


@dataclass(frozen=True)
class ChatFolder:
    """Everything render, schedule and invite read from the chat's folder."""

    chat_file: Path
    chat: Chat
    templates: Templates
    playbook: Playbook
    # What `launchkit recap` found for each recapped session (recap posts carry it).
    recaps: Mapping[date, RecapFigures] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        """The folder chat.yaml is in (out/ and .launchkit/ live here)."""
        return self.chat_file.resolve().parent

    @property
    def out_dir(self) -> Path:
        """Where generated files go by default."""
        return default_out_dir(self.chat_file)


def open_chat_folder(chat_file: Path, templates_dir: Path | None = None) -> ChatFolder:
    """Read chat.yaml, its templates and its playbook; every problem is a ConfigError."""
    chat = load_chat(chat_file)
    root = chat_file.resolve().parent
    if templates_dir is None and (root / "templates").is_dir():
        templates_dir = root / "templates"
    templates = load_templates(templates_dir)
    playbook = load_playbook(chat.playbook, templates.names(), root)
    return ChatFolder(chat_file, chat, templates, playbook, recap_figures(chat_file, chat))


def recap_figures(chat_file: Path, chat: Chat) -> dict[date, RecapFigures]:
    """The figures of every recapped session of `chat` (none when nothing was recapped)."""
    from launchkit.adapters.people_store import PeopleStore
    from launchkit.adapters.post_store import community_path

    path = community_path(chat_file)
    if not path.is_file():
        return {}
    with PeopleStore.open(path) as store:
        return {
            r.session: RecapFigures(
                people=r.participants,
                posts=r.posts,
                answers=r.answers,
                questions=r.questions,
                link=transcript_link(chat.recap.transcripts_url, r.session),
            )
            for r in store.recaps(chat.hashtag)
        }
