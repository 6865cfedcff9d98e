"""Where the wizard's answers come from before it asks: a resumed partial file, an answers
file and --set values (later ones win), and where they go on Ctrl-C."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from launchkit.adapters.fsutil import write_text_atomic
from launchkit.commands.init.answers import Answers, load_answers
from launchkit.errors import ConfigError


def answer_value(raw: str) -> Any:
    """A --set value read as YAML (lists, numbers; dates as text); as typed when not YAML."""
    import yaml

    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    if hasattr(value, "isoformat"):
        value = value.isoformat()
    return value if value is not None else raw


def gather_answers(
    partial: Path | None, answers_file: Path | None, sets: Mapping[str, str]
) -> Answers:
    """Merge the resumed answers, the answers file and --set values (in that order)."""
    answers: Answers = {}
    if partial is not None:
        if not partial.is_file():
            raise ConfigError(
                f"{partial}: nothing to resume", hint="start with `launchkit init` instead"
            )
        answers.update(load_answers(partial))
    if answers_file is not None:
        answers.update(load_answers(answers_file))
    answers.update((key, answer_value(raw)) for key, raw in sets.items())
    return answers


def save_partial(path: Path, answers: Answers) -> Path:
    """Keep the answers given so far (atomically) for `launchkit init --resume`."""
    import yaml

    kept = {k: v for k, v in answers.items() if not k.startswith("_")}
    write_text_atomic(path, yaml.safe_dump(kept, sort_keys=False, allow_unicode=True))
    return path
