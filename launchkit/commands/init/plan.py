"""The plan the answers make, as the wizard shows it before anything is written: a default
first date that leaves room for the playbook's longest lead, and the season `finish` will
schedule (late steps and holiday sessions from commands/season.check_season) with its pack.

Countries come from tzdata's zone.tab (adapters/zone_countries.py), holidays from the
`holidays` package (domain/public_holidays.py); both only when a plan is checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from launchkit.commands.init.answers import Answers, answers_to_chat, slot_rrule
from launchkit.domain.weekdays import parse_day_time
from launchkit.errors import ConfigError

if TYPE_CHECKING:
    from launchkit.adapters.templates import Templates
    from launchkit.commands.pack import ContentPack
    from launchkit.domain.chat import Chat
    from launchkit.domain.items import ItemRef
    from launchkit.domain.playbooks import Playbook
    from launchkit.domain.public_holidays import HolidaySession

DEFAULT_PLAYBOOK = "weekly-launch"
# Between the wizard and the first step of the plan: a day to start `launchkit post`.
FIRST_STEP_MARGIN = timedelta(days=1)
# A rule that never leaves a free date (every session a holiday) is searched this far.
_SEARCH_DATES = 400


class PlanContext(Protocol):
    """What a plan is checked with (the wizard's InitContext): the clock, templates, playbooks."""

    today: date
    target: Path

    def now(self) -> datetime: ...
    def templates(self) -> Templates: ...
    def playbook(self, ref: str) -> Playbook: ...


def answer_playbook(ctx: PlanContext, answers: Answers) -> Playbook:
    """The chosen playbook, or the default one while it is not chosen (or cannot be read:
    the review says why)."""
    try:
        return ctx.playbook(str(answers.get("playbook") or DEFAULT_PLAYBOOK))
    except ConfigError:
        return ctx.playbook(DEFAULT_PLAYBOOK)


def first_step_due(playbook: Playbook, start: datetime) -> datetime:
    """When the first session's earliest step is due (every step counted, guest ones too:
    guests are asked after the date)."""
    from launchkit.domain.sequencing import apply_offset

    steps = [s for s in playbook.steps if s.sessions != "later"] or list(playbook.steps)
    return min(apply_offset(start, step) for step in steps)


def default_first(ctx: PlanContext, answers: Answers) -> str:
    """The first date on the slot's rule whose earliest step (the playbook's longest lead:
    a guest invitation four weeks ahead in the bundled ones) is still a day away, and that is
    not a public holiday for the host or the audience."""
    from dateutil.rrule import rrulestr

    from launchkit.adapters.zone_countries import countries_of
    from launchkit.domain.public_holidays import holiday_sessions

    day, start = parse_day_time(str(answers["slot"]))
    rrule = answers.get("rrule") or slot_rrule(day, str(answers.get("cadence", "weekly")))
    zone = ZoneInfo(str(answers["timezone"]))
    zones = [str(answers["timezone"]), *(answers.get("audience_timezones") or [])]
    countries = countries_of(zones)
    playbook = answer_playbook(ctx, answers)
    hour, minute = (int(p) for p in start.split(":"))
    wall = time(hour, minute)
    earliest = ctx.now() + FIRST_STEP_MARGIN
    rule = rrulestr(str(rrule), dtstart=datetime.combine(ctx.today, time()))
    for n, found in enumerate(rule):
        candidate = datetime.combine(found.date(), wall, zone)
        if n >= _SEARCH_DATES:
            break
        if first_step_due(playbook, candidate) < earliest:
            continue
        if not holiday_sessions([candidate], zones, countries):
            return candidate.date().isoformat()
    raise ConfigError(
        f"no date on the rule {rrule} leaves room for the playbook's first step",
        hint="give the first date yourself (first=YYYY-MM-DD)",
    )


@dataclass(frozen=True)
class PlanPreview:
    """The season complete answers make, as `finish` will schedule it."""

    chat: Chat  # as planned: guests on the dates their sessions are held
    pack: ContentPack  # every post and email of the planned sessions
    holidays: tuple[HolidaySession, ...]  # sessions on a public holiday, skipped or kept
    skipped: tuple[date, ...]  # the holiday sessions the answers cancel
    late: tuple[ItemRef, ...]  # steps already due: late as soon as they are planned


def skips_holidays(answers: Answers) -> bool:
    """True unless the answers keep the holiday sessions (`holiday_sessions: keep`)."""
    return str(answers.get("holiday_sessions", "skip")) == "skip"


def preview(ctx: PlanContext, answers: Answers) -> PlanPreview:
    """The plan of complete answers (raises ConfigError or ValueError when they make none):
    `check_season`'s late steps and holiday sessions, the holiday sessions cancelled as
    `schedule --skip-holidays` does when the answers skip them, and the content pack."""
    from launchkit.commands.pack import build_season_pack
    from launchkit.commands.schedule import PlanEdits, plan_changes
    from launchkit.commands.season import check_season, holiday_sessions, season_of
    from launchkit.domain.season import SeasonChanges

    chat = answers_to_chat(answers)
    playbook = answer_playbook(ctx, answers)
    now = ctx.now()
    check = check_season(chat, playbook, now)
    holidays = check.holidays
    skipped: tuple[date, ...] = ()
    if holidays and skips_holidays(answers):
        _, changes = plan_changes(chat, SeasonChanges(), now, PlanEdits(skip_holidays=True))
        check = check_season(chat, playbook, now, changes)
        skipped = tuple(sorted(changes.cancelled))
        # Every session from the rule's first date through the last one held, none
        # cancelled: its holidays are the skipped ones (a skip can reach a later holiday).
        reach = SeasonChanges(sessions=len(check.season.sessions) + len(skipped))
        holidays = tuple(holiday_sessions(chat, season_of(chat, reach)))
    pack = build_season_pack(check.season, playbook, now, ctx.templates())
    late: dict[str, ItemRef] = {}  # one step, however many networks it posts to
    for item in check.late:  # in due order
        late.setdefault(item.ref.key, item.ref)
    return PlanPreview(check.season.chat, pack, holidays, skipped, tuple(late.values()))
