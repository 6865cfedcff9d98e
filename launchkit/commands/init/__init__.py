"""`launchkit init`: the context the wizard's steps consult, and what happens on confirm.

The wizard (wizard.py) only asks. Its steps' checks, suggestions and defaults are in
checks.py, the review screen in review.py; here are the context they share (the
calendar read once, hashtag reports and slot searches cached) and `finish`, which writes
chat.yaml, renders the content pack and schedules the sequence. Nothing is posted or mailed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launchkit.commands.init.answers import Answers, answers_to_chat
from launchkit.settings import Settings

if TYPE_CHECKING:
    from launchkit.adapters.chatfolder import ChatFolder
    from launchkit.adapters.ledger import SqliteLedger
    from launchkit.commands.render import RenderResult
    from launchkit.commands.schedule import ScheduleRun
    from launchkit.commands.slots import SlotSearch
    from launchkit.domain.calendars.table import Calendar
    from launchkit.domain.hashtag.advice import UsageReport
    from launchkit.domain.hashtag.check import HashtagReport
    from launchkit.domain.hashtag.collisions import TagIndex
    from launchkit.domain.slots.search import Slot, SlotQuery


@dataclass
class InitContext:
    """What the steps consult and `finish` uses: settings, today, the target folder, and
    the outside world as the runtime hands it in (the calendar is read once, on first use)."""

    settings: Settings
    target: Path
    today: date
    machine_zone: str  # offered as the chat's zone (UTC when the machine's is unknown)
    read_calendar: Callable[[], Calendar]
    live_usage: Callable[[str], Mapping[str, UsageReport]]
    open_folder: Callable[[Path], ChatFolder]
    open_ledger: Callable[[Path], SqliteLedger]
    _calendar: Calendar | None = None
    _index: TagIndex | None = None
    _reports: dict[str, HashtagReport] = field(default_factory=dict)
    _searches: dict[tuple[Any, ...], SlotSearch] = field(default_factory=dict)

    def calendar(self) -> Calendar:
        """The public calendar, read once."""
        if self._calendar is None:
            self._calendar = self.read_calendar()
        return self._calendar

    def index(self) -> TagIndex:
        """The calendar's hashtags, indexed once for collision checks."""
        if self._index is None:
            from launchkit.commands.hashtag import tag_index

            self._index = tag_index(self.calendar().entries)
        return self._index

    def report(self, tag: str) -> HashtagReport:
        """The hashtag check of one candidate (calendar only; live usage is a separate step)."""
        from launchkit.domain.hashtag.check import check_hashtag, normalise_candidate

        tag = normalise_candidate(tag)
        if tag not in self._reports:
            self._reports[tag] = check_hashtag(tag, self.index(), on=self.today)
        return self._reports[tag]

    def _query(self, answers: Answers, day: str | None, top: int) -> SlotQuery:
        from launchkit.commands.slots import build_query

        return build_query(
            tz=str(answers["timezone"]),
            first_day=self.today,
            audience=list(answers.get("audience_timezones") or []),
            days=day,
            duration=int(answers.get("duration_min") or 60),
            cadence=str(answers.get("cadence", "weekly")),
            topic=answers.get("topic"),
            hashtag=answers.get("hashtag"),
            top=top,
        )

    def slots(self, answers: Answers, day: str | None = None, top: int = 5) -> SlotSearch:
        """The slot finder's ranking for the answers so far (optionally one weekday only)."""
        from launchkit.commands.slots import search

        key = (
            answers.get("timezone"),
            tuple(answers.get("audience_timezones") or ()),
            answers.get("topic"),
            answers.get("hashtag"),
            answers.get("cadence", "weekly"),
            int(answers.get("duration_min") or 60),
            day,
            top,
        )
        if key not in self._searches:
            query = self._query(answers, day, top)
            self._searches[key] = search(
                self.calendar().entries, query, source=self.calendar().source
            )
        return self._searches[key]

    def slot_at(self, answers: Answers, day: str, start: str) -> Slot:
        """How one weekday and start (a slot the host typed) looks against the calendar and
        the audience windows, whether it fits them or not."""
        from launchkit.commands.slots import describe_slot

        return describe_slot(self.calendar().entries, self._query(answers, day, 1), day, start)


@dataclass(frozen=True)
class InitResult:
    """What `launchkit init` produced on confirm."""

    chat_file: Path
    hashtag: str
    verdict: str
    schedule_text: str
    render: RenderResult
    schedule: ScheduleRun
    review_sheet: Path
    next_steps: tuple[str, ...]


def finish(ctx: InitContext, answers: Answers, now: datetime) -> InitResult:
    """Write chat.yaml, render the content pack and schedule the sequence into the ledger."""
    from launchkit.adapters.chatfile import save_chat
    from launchkit.commands import render, schedule
    from launchkit.domain.schedule import SessionRule, render_schedule

    chat = answers_to_chat(answers)
    ctx.target.mkdir(parents=True, exist_ok=True)
    chat_file = ctx.target / "chat.yaml"
    save_chat(chat, chat_file)
    out = ctx.target / "out"
    folder = ctx.open_folder(chat_file)
    rendered = render.run(folder, out, now=now)
    with ctx.open_ledger(chat_file) as ledger:
        scheduled = schedule.run(folder, ledger, ctx.settings, now=now, out_dir=out)
    rule = SessionRule(chat.schedule.rrule, chat.schedule.start, chat.schedule.duration_min)
    where = "" if ctx.target.resolve() == Path.cwd().resolve() else f" --chat {chat_file}"
    invite = [f"launchkit invite --send{where}    # email the guests their invitations"]
    steps = (
        *(invite if chat.guests else []),
        f"launchkit post --watch{where}     # or from cron: * * * * * launchkit post{where}",
        f"launchkit submit{where}           # add the chat to the public calendar sheet",
    )
    return InitResult(
        chat_file=chat_file,
        hashtag=chat.hashtag,
        verdict=ctx.report(chat.hashtag).verdict,
        schedule_text=render_schedule((rule,), chat.timezone),
        render=rendered,
        schedule=scheduled,
        review_sheet=out / "posts.md",
        next_steps=steps,
    )
