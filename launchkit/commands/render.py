"""`launchkit render`: the content pack (posts, guest emails, the chat's .ics) written to out/.

The pack itself is built in memory by commands/pack.py; its files by commands/pack_files.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from launchkit.adapters.chatfolder import ChatFolder
from launchkit.commands.pack import build_pack
from launchkit.commands.pack_files import pack_files, write_pack
from launchkit.domain.chat import Chat
from launchkit.domain.networks.text_rules import MastodonLimits
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
    folder: ChatFolder,
    out_dir: Path,
    session: date | None = None,
    *,
    now: datetime,
    sessions: int = DEFAULT_SESSIONS,
    mastodon: MastodonLimits | None = None,
) -> RenderResult:
    """Render the content pack of the chat's folder into `out_dir`; `session`: that one only.
    `mastodon`: the instance's post limits, when the chat is on Mastodon and it answered."""
    chat = folder.chat
    starts = _pick_sessions(chat, session, sessions)
    pack = build_pack(chat, folder.playbook, starts, now, folder.templates, mastodon, folder.recaps)
    written = write_pack(out_dir, pack_files(chat, pack))
    return RenderResult(
        out_dir=out_dir,
        files=tuple(written),
        posts=len(pack.posts),
        emails=len(pack.emails),
        late=sum(p.late for p in pack.posts) + sum(e.late for e in pack.emails),
        with_url=sum(p.has_url for p in pack.posts if p.ref.channel == "x"),  # priced on X
        sessions=tuple(s.date() for s in pack.sessions),
        warnings=pack.warnings,
    )
