"""`launchkit render`: the content pack (posts, guest emails, the chat's .ics) written to out/.

The pack itself is built in memory by commands/pack.py; its files by commands/pack_files.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from launchkit.commands.pack import build_pack
from launchkit.commands.pack_files import pack_files, write_pack
from launchkit.domain.chat import Chat
from launchkit.errors import UsageError
from launchkit.settings import DEFAULT_SESSIONS

__all__ = ["RenderResult", "run"]


@dataclass(frozen=True)
class RenderResult:
    """What `launchkit render` wrote."""

    out_dir: Path
    files: tuple[Path, ...]
    posts: int
    emails: int
    late: int
    with_url: int
    sessions: tuple[date, ...]
    warnings: tuple[str, ...]


def _pick_sessions(chat: Chat, session: date | None, count: int) -> list[datetime]:
    from launchkit.domain.sessions import session_starts

    if session is None:
        return session_starts(chat, count)
    found = session_starts(chat, 1, from_date=session)
    if not found or found[0].date() != session:
        upcoming = ", ".join(s.date().isoformat() for s in session_starts(chat, 3, session))
        raise UsageError(
            f"{session.isoformat()} is not a session of {chat.hashtag}",
            hint=f"the next sessions are {upcoming}" if upcoming else "check schedule in chat.yaml",
        )
    return found


def run(
    chat_path: Path,
    out_dir: Path,
    session: date | None = None,
    *,
    now: datetime,
    templates_dir: Path | None = None,
    sessions: int = DEFAULT_SESSIONS,
) -> RenderResult:
    """Render the content pack for chat.yaml into `out_dir` (see module docstring).

    Templates come from `templates_dir`, else a `templates/` folder beside chat.yaml when
    there is one, over the bundled ones. `session` renders one session only.
    """
    from launchkit.adapters.chatfile import load_chat
    from launchkit.adapters.playbookfile import load_playbook
    from launchkit.adapters.templates import load_templates

    chat = load_chat(chat_path)
    chat_dir = chat_path.resolve().parent
    if templates_dir is None and (chat_dir / "templates").is_dir():
        templates_dir = chat_dir / "templates"
    env = load_templates(templates_dir)
    playbook = load_playbook(chat.playbook, env.names(), chat_dir)
    pack = build_pack(chat, playbook, _pick_sessions(chat, session, sessions), now, env)
    written = write_pack(out_dir, pack_files(chat, pack))
    return RenderResult(
        out_dir=out_dir,
        files=tuple(written),
        posts=len(pack.posts),
        emails=len(pack.emails),
        late=sum(p.late for p in pack.posts) + sum(e.late for e in pack.emails),
        with_url=sum(p.has_url for p in pack.posts),
        sessions=tuple(s.date() for s in pack.sessions),
        warnings=pack.warnings,
    )
