"""Loading a playbook by bundled name (`weekly-launch`) or by path (`my-playbook.yaml`)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from launchkit import resources
from launchkit.adapters.yamlfile import read_yaml
from launchkit.domain.playbooks import Playbook, PlaybookError, parse_playbook
from launchkit.errors import ConfigError

__all__ = ["load_playbook", "resolve_playbook"]


def resolve_playbook(ref: str, chat_dir: Path | None = None) -> Path:
    """The playbook file for `ref`: a path (relative to chat.yaml's folder) or a bundled name."""
    looks_like_path = ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref
    if looks_like_path:
        path = Path(ref).expanduser()
        if not path.is_absolute() and chat_dir is not None:
            path = chat_dir / path
        if not path.is_file():
            raise ConfigError(f"playbook {ref}: no such file ({path})")
        return path
    bundled = resources.bundled_playbook(ref)
    if bundled is None:
        names = ", ".join(resources.bundled_playbook_names())
        raise ConfigError(
            f"playbook {ref!r} is not a bundled playbook",
            hint=f"use one of: {names}, or a path to your own .yaml file",
        )
    return bundled


def load_playbook(
    ref: str, template_names: Collection[str], chat_dir: Path | None = None
) -> Playbook:
    """Read and validate a playbook; every problem is a ConfigError naming the file and step."""
    path = resolve_playbook(ref, chat_dir)
    label = path.name if resources.bundled_playbook(path.stem) == path else str(path)
    data = read_yaml(path, label)
    try:
        return parse_playbook(data, label, template_names)
    except PlaybookError as exc:
        raise ConfigError(str(exc), hint="see the bundled playbooks for the step keys") from None
