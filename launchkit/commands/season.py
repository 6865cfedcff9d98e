"""The season as every command sees it: the plan kept in the ledger applied to chat.yaml (one
plan for `render`, `schedule`, the wizard and the exports), and what a host should hear about
before anything goes out: steps already late, and sessions on public holidays.

For the wizard (and any front end): `check_season(chat, playbook, now)` lists the late steps
and the holiday sessions of a chat not yet scheduled; `schedule.run(..., late="skip" |
"send")` skips the late steps or lets the send loop send them at once, and
`schedule.run(..., skip_holidays=True)` cancels the holiday sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from launchkit.domain.public_holidays import HolidaySession
from launchkit.domain.season import Season, SeasonChanges, SeasonError, plan_season
from launchkit.domain.sequencing import PlannedItem
from launchkit.errors import UsageError
from launchkit.settings import DEFAULT_SESSIONS

if TYPE_CHECKING:
    from launchkit.adapters.chatfolder import ChatFolder
    from launchkit.adapters.ledger import SqliteLedger
    from launchkit.commands.pack import ContentPack
    from launchkit.domain.chat import Chat
    from launchkit.domain.networks.text_rules import MastodonLimits
    from launchkit.domain.playbooks import Playbook

__all__ = [
    "SeasonCheck",
    "check_season",
    "holiday_sessions",
    "season_of",
    "season_pack",
    "stored_changes",
]


def stored_changes(ledger: SqliteLedger | None, chat: Chat) -> SeasonChanges:
    """The plan `schedule` left in the ledger (none yet: the chat's rule as it is)."""
    if ledger is None:
        return SeasonChanges()
    from launchkit.adapters.season_store import SeasonStore

    return SeasonStore(ledger).changes(chat.hashtag)


def season_of(chat: Chat, changes: SeasonChanges) -> Season:
    """The season of `chat` under `changes`; a UsageError when it cannot be held."""
    try:
        return plan_season(chat, changes, DEFAULT_SESSIONS)
    except SeasonError as exc:
        raise UsageError(
            str(exc), hint="shift by another number of days, or cancel one of the two"
        ) from None


def season_pack(
    folder: ChatFolder,
    season: Season,
    now: datetime,
    mastodon: MastodonLimits | None = None,
) -> ContentPack:
    """The content pack of the season's sessions, from the folder's playbook and templates."""
    from launchkit.commands.pack import build_season_pack

    return build_season_pack(
        season, folder.playbook, now, folder.templates, mastodon, folder.recaps
    )


def holiday_sessions(chat: Chat, season: Season) -> list[HolidaySession]:
    """The season's sessions on a public holiday (or in a holiday week) in a country of the
    chat's zones (the host's and the audience's)."""
    from launchkit.adapters.zone_countries import countries_of
    from launchkit.domain.public_holidays import holiday_sessions as on_holidays

    return on_holidays(season.starts, chat.zones, countries_of(chat.zones))


@dataclass(frozen=True)
class SeasonCheck:
    """What to tell a host before a season is scheduled."""

    season: Season
    late: tuple[PlannedItem, ...]  # steps due before `now`: late unless sent at once or skipped
    holidays: tuple[HolidaySession, ...]  # sessions on a public holiday


def check_season(
    chat: Chat, playbook: Playbook, now: datetime, changes: SeasonChanges | None = None
) -> SeasonCheck:
    """The late steps and holiday sessions of `chat`'s season (as `changes` leave it)."""
    from launchkit.domain.sequencing import plan_sequence

    season = season_of(chat, changes or SeasonChanges())
    items = plan_sequence(season.chat, playbook, season.starts)
    late = tuple(i for i in items if i.ref.due_utc < now)
    return SeasonCheck(season, late, tuple(holiday_sessions(chat, season)))
