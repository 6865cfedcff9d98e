"""jinja2 templates: the user's folder first, the bundled one second, strict and sandboxed.

Templates are named without their suffix: `x/question` is `x/question.txt.j2`, and an email
may add an HTML alternative as `email/guest_invite.html.j2`. A user's `templates/` folder
(beside chat.yaml, or `--templates DIR`) overrides bundled templates by name. Everything is
rendered in jinja2's sandbox, because user templates are code we did not write.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launchkit import resources
from launchkit.errors import ConfigError

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["HTML_SUFFIX", "TEXT_SUFFIX", "Templates", "load_templates"]

TEXT_SUFFIX = ".txt.j2"
HTML_SUFFIX = ".html.j2"


class Templates:
    """A template set: logical names and a strict, sandboxed render (see module docstring)."""

    def __init__(self, env: Environment, folders: tuple[Path, ...]) -> None:
        self._env = env
        self.folders = folders

    def names(self) -> frozenset[str]:
        """Logical names of every text template (`x/announce`, `email/guest_invite`, ...)."""
        return frozenset(
            n.removesuffix(TEXT_SUFFIX)
            for n in self._env.list_templates()
            if n.endswith(TEXT_SUFFIX)
        )

    def has_html(self, name: str) -> bool:
        """True when an HTML alternative exists for the logical template `name`."""
        return f"{name}{HTML_SUFFIX}" in self._env.list_templates()

    def render(self, name: str, context: Mapping[str, Any], html: bool = False) -> str:
        """Render a template; any template error becomes a ConfigError naming file and line."""
        from jinja2 import TemplateError, TemplateSyntaxError

        filename = f"{name}{HTML_SUFFIX if html else TEXT_SUFFIX}"
        try:
            return self._env.get_template(filename).render(**context)
        except TemplateSyntaxError as exc:
            where = exc.filename or filename
            raise ConfigError(
                f"template {where}, line {exc.lineno}: {exc.message}",
                hint="fix the template's jinja2 syntax",
            ) from None
        except TemplateError as exc:
            raise ConfigError(
                f"template {self._locate(exc, filename)}: {exc.message or exc}",
                hint="use only the variables listed in the template docs "
                "(chat, hashtag, question, n, when, ...)",
            ) from None

    def _locate(self, exc: BaseException, filename: str) -> str:
        # jinja2 rewrites tracebacks so template frames carry the template's file and line.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        if not frames:
            return filename
        return f"{frames[-1].filename}, line {frames[-1].lineno}"


def load_templates(user_dir: Path | None = None) -> Templates:
    """The template set: `user_dir` (when it exists) over the bundled templates."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    folders: list[Path] = []
    if user_dir is not None:
        if not user_dir.is_dir():
            raise ConfigError(
                f"{user_dir}: templates folder not found", hint="pass an existing --templates DIR"
            )
        folders.append(user_dir)
    folders.append(resources.templates_dir())
    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(f)) for f in folders]),
        undefined=StrictUndefined,
        autoescape=False,  # plain-text tweets and emails; .html.j2 templates escape by filter
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    return Templates(env, tuple(folders))
