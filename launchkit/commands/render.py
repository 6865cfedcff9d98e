"""`launchkit render`: the content pack (posts, guest emails, the chat's .ics) written to out/.

It renders the season `schedule` planned (commands/season.py: the sessions, shifts and
cancellations kept in the ledger; the chat's rule as it is before the first `schedule`), so
out/posts.md says what will be posted. The pack itself is built in memory by
commands/pack.py; its files by commands/pack_files.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from launchkit.adapters.chatfolder import ChatFolder
from launchkit.adapters.ledger import SqliteLedger
from launchkit.commands.pack_files import pack_files, write_pack
from launchkit.commands.season import season_of, season_pack, stored_changes
from launchkit.domain.networks.text_rules import MastodonLimits
from launchkit.domain.season import Season
from launchkit.errors import UsageError

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
    cancelled: tuple[date, ...] = ()


def _one_session(season: Season, day: date) -> Season:
    """The season cut to its session on `day` (a UsageError naming the planned ones else)."""
    sessions = season.sessions
    for n, session in enumerate(sessions):
        if session.day == day:
            following = sessions[n + 1].start if n + 1 < len(sessions) else season.following
            return replace(season, sessions=(session,), cancelled=(), following=following)
    planned = ", ".join(s.day.isoformat() for s in sessions[:8])
    raise UsageError(
        f"{day.isoformat()} is not a planned session of {season.chat.hashtag}",
        hint=f"the planned sessions are {planned}; `launchkit schedule --sessions N` plans more"
        if planned
        else "check schedule in chat.yaml",
    )


def run(
    folder: ChatFolder,
    out_dir: Path | None = None,
    session: date | None = None,
    *,
    now: datetime,
    ledger: SqliteLedger | None = None,
    mastodon: MastodonLimits | None = None,
) -> RenderResult:
    """Render the season of the chat's folder (as planned in `ledger`, when there is one)
    into `out_dir` (default: out/ beside chat.yaml). `session`: that session only, into its
    own folder (out/session-DATE/), so the season's pack in out/ stays whole. `mastodon`:
    the instance's post limits, when the chat is on Mastodon and it answered."""
    chat = folder.chat
    changes = stored_changes(ledger, chat)
    season = season_of(chat, changes)
    if session is not None:
        season = _one_session(season, session)
        out_dir = out_dir or folder.out_dir / f"session-{session.isoformat()}"
    out = out_dir or folder.out_dir
    pack = season_pack(folder, season, now, mastodon)
    written = write_pack(out, pack_files(chat, pack, changes))
    return RenderResult(
        out_dir=out,
        files=tuple(written),
        posts=len(pack.posts),
        emails=len(pack.emails),
        late=sum(p.late for p in pack.posts) + sum(e.late for e in pack.emails),
        with_url=sum(p.has_url for p in pack.posts if p.ref.channel == "x"),  # priced on X
        sessions=tuple(s.date() for s in pack.sessions),
        warnings=pack.warnings,
        cancelled=pack.cancelled,
    )
