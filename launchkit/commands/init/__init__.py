"""`launchkit init`: the context the wizard's steps consult, and what happens on confirm.

The wizard (wizard.py) only asks. Its steps' checks, suggestions and defaults are in
checks.py, the review screen in review.py; here are the context they share (the
calendar read once, hashtag reports and slot searches cached) and `finish`, which writes
chat.yaml, renders the content pack and schedules the sequence. Nothing is posted or mailed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from launchkit.commands.init.answers import Answers, answers_to_chat
from launchkit.settings import Settings

if TYPE_CHECKING:
    from launchkit.adapters.chatfolder import ChatFolder
    from launchkit.adapters.ledger import SqliteLedger
    from launchkit.adapters.templates import Templates
    from launchkit.commands.init.plan import PlanPreview
    from launchkit.commands.render import RenderResult
    from launchkit.commands.schedule import ScheduleRun
    from launchkit.commands.slots import SlotSearch
    from launchkit.domain.calendars.table import Calendar
    from launchkit.domain.hashtag.advice import UsageReport
    from launchkit.domain.hashtag.check import HashtagReport
    from launchkit.domain.hashtag.collisions import TagIndex
    from launchkit.domain.networks.text_rules import MastodonLimits
    from launchkit.domain.playbooks import Playbook
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
    clock: Callable[[], datetime] | None = None  # the runtime's; noon UTC of `today` without
    # The configured Mastodon instance's post limits (None: it could not be asked).
    mastodon_limits: Callable[[], MastodonLimits | None] | None = None
    _calendar: Calendar | None = None
    _templates: Templates | None = None
    _playbooks: dict[str, Playbook] = field(default_factory=dict)
    _plans: dict[str, PlanPreview | None] = field(default_factory=dict)
    _index: TagIndex | None = None
    _reports: dict[str, HashtagReport] = field(default_factory=dict)
    _searches: dict[tuple[Any, ...], SlotSearch] = field(default_factory=dict)

    def now(self) -> datetime:
        """The moment the plan is checked against (late steps, the default first date)."""
        return self.clock() if self.clock else datetime.combine(self.today, time(12), UTC)

    def templates(self) -> Templates:
        """The bundled templates, read once."""
        if self._templates is None:
            from launchkit.adapters.templates import load_templates

            self._templates = load_templates(None)
        return self._templates

    def playbook(self, ref: str) -> Playbook:
        """A playbook by name or path (relative to the target folder), read once."""
        if ref not in self._playbooks:
            from launchkit.adapters.playbookfile import load_playbook

            self._playbooks[ref] = load_playbook(ref, self.templates().names(), self.target)
        return self._playbooks[ref]

    def plan(self, answers: Answers) -> PlanPreview | None:
        """The plan complete answers make (commands/init/plan.py), or None while they make
        none; kept per answers, since several steps and the review ask for it."""
        from launchkit.commands.init.plan import preview
        from launchkit.errors import LaunchkitError

        key = repr(sorted((k, v) for k, v in answers.items() if k[:1] != "_" and k != "late_steps"))
        if key not in self._plans:
            try:
                self._plans[key] = preview(self, answers)
            except (LaunchkitError, ValueError, KeyError):
                self._plans[key] = None
        return self._plans[key]

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
    holidays: tuple[str, ...]  # each session on a public holiday, and whether it was skipped
    late_steps: int  # steps already due when the plan was made
    late_choice: str | None  # what was done with them: send (at once) or skip
    next_steps: tuple[str, ...]
    replaced: str | None = None  # the hashtag of the chat.yaml replaced, when another one
    replaced_cancelled: int = 0  # its unsent rows, cancelled (its sent ones stay)


def existing_chat(target: Path) -> Path | None:
    """The chat.yaml already in `target`, which init must not replace without a yes."""
    chat_file = target / "chat.yaml"
    return chat_file if chat_file.exists() else None


def _hashtag_of(chat_file: Path | None) -> str | None:
    """The hashtag of the chat.yaml about to be replaced (None: none, or it cannot be read)."""
    from launchkit.adapters.chatfile import load_chat
    from launchkit.errors import LaunchkitError

    if chat_file is None:
        return None
    try:
        return load_chat(chat_file).hashtag
    except LaunchkitError:
        return None


def finish(ctx: InitContext, answers: Answers, now: datetime) -> InitResult:
    """Write chat.yaml, schedule the sequence into the ledger in one `schedule` run (holiday
    sessions the answers skip cancelled, as `schedule --skip-holidays` does; late steps sent
    at once or skipped, as the answers say) and render the content pack of that season.

    The plan starts afresh, as `schedule --fresh-plan` does: the review showed the new
    chat's rule, so a ledger left by a replaced chat.yaml keeps its sent rows as history but
    none of its shifts, cancellations or number of sessions. When the replaced chat.yaml had
    another hashtag, that chat's unsent rows are cancelled too (`post` sends every chat the
    ledger holds), in the same transaction."""
    from launchkit.adapters.chatfile import save_chat
    from launchkit.commands import render, schedule
    from launchkit.commands.init.plan import preview, skips_holidays
    from launchkit.domain.schedule import SessionRule, render_schedule

    chat = answers_to_chat(answers)
    plan = ctx.plan(answers) or preview(ctx, answers)  # the review's, or why there is none
    replaced = _hashtag_of(existing_chat(ctx.target))
    replaced = replaced if replaced != chat.hashtag else None
    ctx.target.mkdir(parents=True, exist_ok=True)
    chat_file = ctx.target / "chat.yaml"
    save_chat(chat, chat_file)
    out = ctx.target / "out"
    folder = ctx.open_folder(chat_file)
    late = answers.get("late_steps") if plan.late else None
    skip = bool(plan.holidays) and skips_holidays(answers)
    # Mastodon posts are checked against the instance's own limit, as `schedule` checks them.
    asks = ctx.mastodon_limits if "mastodon" in chat.networks else None
    limits = asks() if asks else None
    with ctx.open_ledger(chat_file) as ledger:
        with ledger.transaction():
            retired = schedule.retire(ledger, replaced) if replaced else 0
            scheduled = schedule.run(
                folder,
                ledger,
                ctx.settings,
                now=now,
                out_dir=out,
                skip_holidays=skip,
                fresh_plan=True,
                late=late,
                mastodon=limits,
            )
        # The pack of the season just scheduled: its sessions, not the rule's.
        rendered = render.run(folder, out, now=now, ledger=ledger, mastodon=limits)
    rule = SessionRule(chat.schedule.rrule, chat.schedule.start, chat.schedule.duration_min)
    where = "" if ctx.target.resolve() == Path.cwd().resolve() else f" --chat {chat_file}"
    # `post` sends the posts and the guests' emails alike, each when it is due (never
    # `invite --send`, which is for sending by hand); the emails need a mail server.
    mail = "launchkit doctor           # the guests' emails go out once LAUNCHKIT_SMTP_HOST is set"
    steps = (
        *([mail] if chat.guests and not ctx.settings.smtp_host else []),
        f"launchkit post --watch{where}     # or from cron: * * * * * launchkit post{where}",
        f"launchkit submit{where}           # add the chat to the public calendar sheet",
    )
    holidays = tuple(
        f"{h.describe()}: " + ("skipped" if h.start.date() in plan.skipped else "kept")
        for h in plan.holidays
    )
    return InitResult(
        chat_file=chat_file,
        hashtag=chat.hashtag,
        verdict=ctx.report(chat.hashtag).verdict,
        schedule_text=render_schedule((rule,), chat.timezone),
        render=rendered,
        schedule=scheduled,
        review_sheet=out / "posts.md",
        holidays=holidays,
        late_steps=len(plan.late),
        late_choice=late if plan.late else None,
        next_steps=steps,
        replaced=replaced,
        replaced_cancelled=retired,
    )
