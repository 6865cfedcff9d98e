"""Where the wizard's answers come from before it asks: an answers file, a resumed partial
file and --set values (later ones win), and where they go on Ctrl-C."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from launchkit.adapters.fsutil import write_text_atomic
from launchkit.commands.init.answers import (
    CHAT_FILE_KEYS,
    EXTRA_KEYS,
    UNFINISHED,
    Answers,
    load_answers,
    unknown_key_error,
)
from launchkit.commands.init.steps import Step
from launchkit.errors import ConfigError


def answer_keys(steps: Sequence[Step]) -> tuple[str, ...]:
    """Every key an answers file or --set may give: the questions, then the extras."""
    return (*(s.name for s in steps), *EXTRA_KEYS)


def documented_keys(steps: Sequence[Step]) -> tuple[str, ...]:
    """The keys the docs list: the answers, and chat.yaml's own shape."""
    return (*answer_keys(steps), *CHAT_FILE_KEYS)


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
    partial: Path | None,
    answers_file: Path | None,
    sets: Mapping[str, str],
    known: Collection[str],
) -> Answers:
    """Merge the answers file, the resumed answers (typed after the file was read, so they
    win) and --set values, in that order; a key that is not in `known` is an error."""
    answers: Answers = {}
    if answers_file is not None:
        answers.update(load_answers(answers_file, known))
    if partial is not None:
        if not partial.is_file():
            raise ConfigError(
                f"{partial}: nothing to resume", hint="start with `launchkit init` instead"
            )
        answers.update(load_answers(partial))
    for key in sets:
        if key not in known:
            raise unknown_key_error(key, known, "--set")
    answers.update((key, answer_value(raw)) for key, raw in sets.items())
    return answers


def save_partial(path: Path, answers: Answers) -> Path:
    """Keep the answers given so far (atomically) for `launchkit init --resume`."""
    import yaml

    kept = {k: v for k, v in answers.items() if not k.startswith("_") or k == UNFINISHED}
    write_text_atomic(path, yaml.safe_dump(kept, sort_keys=False, allow_unicode=True))
    return path
