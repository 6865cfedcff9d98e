"""`launchkit schedule`: the season's sessions, planned into the ledger.

Due times come from the content pack (computed in the chat's zone, stored in UTC). Re-running
after editing chat.yaml updates unsent rows in place; sent rows are never changed. The plan
itself (how many sessions, shifts, cancellations: commands/season.py) is kept in the ledger,
recorded in the same transaction as the rows it makes, so a later plain `schedule`, `render`
and the wizard follow it; `--fresh-plan` (and `init`, whose review shows the rule's plan)
forgets it and plans from chat.yaml's rule again, sent rows staying in the ledger. Sessions
on a public holiday of the chat's countries are flagged (`--skip-holidays` cancels them);
steps already late can be skipped or let through at once.
Also writes out/sequence.ics and out/sequence.csv.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

from launchkit.adapters.chatfolder import ChatFolder
from launchkit.adapters.ledger import Item, PlanRow, SqliteLedger, SyncCounts
from launchkit.adapters.season_store import SeasonStore
from launchkit.commands.season import holiday_sessions, season_of, season_pack
from launchkit.domain.items import ItemRef
from launchkit.domain.public_holidays import HolidaySession
from launchkit.domain.season import Season, SeasonChanges, Shift, find_session
from launchkit.domain.sequence_exports import ExportItem, hootsuite_csv, sequence_ics
from launchkit.errors import UsageError
from launchkit.settings import Settings

if TYPE_CHECKING:
    from launchkit.commands.pack import ContentPack
    from launchkit.domain.chat import Chat
    from launchkit.domain.networks.text_rules import MastodonLimits

LateChoice = Literal["skip", "send"]
# --skip-holidays cancels a holiday session; the season then reaches one session further,
# which may fall on a holiday too: this many rounds at most.
_HOLIDAY_ROUNDS = 12


@dataclass(frozen=True)
class TimelineItem:
    """One row of the printed timeline."""

    ref: ItemRef
    due_local: datetime  # the due time in the chat's zone
    text: str
    recipient: str | None
    has_url: bool
    state: str  # planned, sent, failed, cancelled, sending
    late: bool
    cost_usd: float  # the X API price of this post (0 for emails and sent posts)


@dataclass(frozen=True)
class ScheduleRun:
    """The result of `launchkit schedule`."""

    hashtag: str
    timezone: str
    sessions: tuple[date, ...]
    items: tuple[TimelineItem, ...]
    counts: SyncCounts
    total_cost_usd: float  # posting every unsent post of the plan
    files: tuple[Path, ...]
    warnings: tuple[str, ...]
    cancelled: tuple[date, ...] = ()  # sessions cancelled between the first and last planned
    holidays: tuple[HolidaySession, ...] = ()  # planned sessions on a public holiday
    fresh_plan: bool = False  # the stored shifts, cancellations and count were forgotten


def _with_shift(
    season: Season, changes: SeasonChanges, shift: timedelta, now: datetime
) -> SeasonChanges:
    """`changes` plus a shift of every session from the next one to start on."""
    ahead = [s for s in season.sessions if s.start > now]
    if not ahead:
        raise UsageError(
            "no planned session is ahead to shift",
            hint="plan later sessions first (`--from DATE`, `--sessions N`)",
        )
    return replace(changes, shifts=(*changes.shifts, Shift(ahead[0].original, shift.days)))


def _with_cancel(chat: Chat, season: Season, changes: SeasonChanges, day: date) -> SeasonChanges:
    """`changes` plus the session held on `day` cancelled."""
    session = find_session(chat, changes, day)
    if session is None or session.original in changes.cancelled:
        listed = ", ".join(s.day.isoformat() for s in season.sessions[:8])
        what = "already cancelled" if session is not None else "not a session date"
        raise UsageError(f"{day.isoformat()} is {what}", hint=f"planned sessions: {listed}")
    return replace(changes, cancelled=changes.cancelled | {session.original})


def _skip_holidays(chat: Chat, changes: SeasonChanges) -> tuple[Season, SeasonChanges]:
    """Cancel every planned session on a holiday, until the season has none (or gives up)."""
    season = season_of(chat, changes)
    for _ in range(_HOLIDAY_ROUNDS):
        found = holiday_sessions(chat, season)
        if not found:
            break
        originals = {s.day: s.original for s in season.sessions}
        off = {originals[h.start.date()] for h in found}
        changes = replace(changes, cancelled=changes.cancelled | off)
        season = season_of(chat, changes)
    return season, changes


@dataclass(frozen=True)
class PlanEdits:
    """What one `schedule` run changes about the stored plan (its flags). `fresh`: forget
    the stored plan (shifts, cancellations, moves, the number of sessions and `--from`)
    first, so the other edits apply to chat.yaml's rule as it is."""

    sessions: int | None = None
    from_date: date | None = None
    shift: timedelta | None = None
    cancel: date | None = None
    skip_holidays: bool = False
    fresh: bool = False


def plan_changes(
    chat: Chat, known: SeasonChanges, now: datetime, edits: PlanEdits
) -> tuple[Season, SeasonChanges]:
    """The season and the stored plan after this run's flags (not yet recorded)."""
    changes = SeasonChanges() if edits.fresh else known
    if edits.sessions is not None:
        if edits.sessions < 1:
            raise UsageError("--sessions must be at least 1", hint="e.g. --sessions 6")
        changes = replace(changes, sessions=edits.sessions)
    if edits.from_date is not None:
        changes = replace(changes, start=edits.from_date)
    season = season_of(chat, changes)
    if edits.shift:
        if edits.shift.seconds or edits.shift.microseconds:
            raise UsageError("--shift moves sessions by whole days", hint="e.g. --shift 1d")
        changes = _with_shift(season, changes, edits.shift, now)
        season = season_of(chat, changes)
    if edits.cancel is not None:
        changes = _with_cancel(chat, season, changes, edits.cancel)
        season = season_of(chat, changes)
    if edits.skip_holidays:
        season, changes = _skip_holidays(chat, changes)
    return season, changes


def retire(ledger: SqliteLedger, hashtag: str) -> int:
    """Forget the plan of `hashtag` and cancel its unsent rows, since its chat.yaml was
    replaced by another chat's (what was sent stays, as history); how many it cancelled."""
    with ledger.transaction():
        SeasonStore(ledger).record(hashtag, SeasonChanges())
        return ledger.sync_plan(hashtag, []).dropped


def _cost(item: Item, settings: Settings) -> float:
    if item.ref.channel != "x" or item.state in ("sent", "cancelled"):
        return 0.0
    return settings.price_post_url_usd if item.has_url else settings.price_post_usd


def _timeline(
    items: list[Item], zone: ZoneInfo, now: datetime, s: Settings, late_ok: set[str]
) -> list[TimelineItem]:
    rows = []
    for i in items:
        rows.append(
            TimelineItem(
                ref=i.ref,
                due_local=i.ref.due_utc.astimezone(zone),
                text=i.text,
                recipient=i.recipient,
                has_url=i.has_url,
                state=i.state,
                late=i.state == "planned" and i.ref.due_utc < now and i.ref.key not in late_ok,
                cost_usd=_cost(i, s),
            )
        )
    return rows


def _late_choices(
    pack: ContentPack, now: datetime, choices: Mapping[str, str], late: LateChoice | None
) -> dict[str, str]:
    """The host's word on late items (item key → skip or send_late), with this run's."""
    if late is None:
        return dict(choices)
    word = "skip" if late == "skip" else "send_late"
    refs = [p.ref for p in pack.posts] + [e.ref for e in pack.emails]
    return {**choices, **{r.key: word for r in refs if r.due_utc < now}}


def run(
    folder: ChatFolder,
    ledger: SqliteLedger,
    settings: Settings,
    *,
    now: datetime,
    sessions: int | None = None,
    from_date: date | None = None,
    shift: timedelta | None = None,
    cancel: date | None = None,
    skip_holidays: bool = False,
    fresh_plan: bool = False,
    late: LateChoice | None = None,
    out_dir: Path | None = None,
    mastodon: MastodonLimits | None = None,
) -> ScheduleRun:
    """Plan the season into the ledger and write the calendar exports to `out_dir` (default:
    out/ beside chat.yaml); `settings` gives the X API prices. `sessions`, `from_date`,
    `shift`, `cancel` and `skip_holidays` change the stored plan, after `fresh_plan` forgot
    it (sent rows stay; unsent rows of the old plan are cancelled); `late` skips the items
    already late or lets the send loop send them at once. `mastodon`: the instance's post
    limits (default: 500 characters, URLs as 23), which every Mastodon post is checked by.

    All or nothing: the ledger changes in one transaction that commits only after the files
    are written, so a full disk or a read-only out/ leaves the ledger as it was.
    """
    from launchkit.adapters.fsutil import write_text_atomic
    from launchkit.commands.pack import check_distinct
    from launchkit.domain.reconcile import canonical_text

    chat = folder.chat
    store = SeasonStore(ledger)
    edits = PlanEdits(sessions, from_date, shift, cancel, skip_holidays, fresh_plan)
    season, changes = plan_changes(chat, store.changes(chat.hashtag), now, edits)
    pack = season_pack(folder, season, now, mastodon)
    # A post already out counts too: the network would refuse its text a second time.
    sent = {
        f"{i.ref.channel}\n{canonical_text(i.text)}": i.ref.key
        for i in ledger.items(("sent", "sending"))
    }
    check_distinct(pack.posts, sent)
    known = store.choices(chat.hashtag)
    choices = _late_choices(pack, now, known, late)
    skipped = {k for k, choice in choices.items() if choice == "skip"}
    newly = sorted(k for k in skipped if known.get(k) != "skip")
    rows = _plan_rows(chat.hashtag, pack, skipped)
    out = out_dir or folder.out_dir
    files = (out / "sequence.ics", out / "sequence.csv")
    with ledger.transaction():
        store.record(chat.hashtag, changes)
        store.choose(chat.hashtag, [k for k in choices if k in skipped], "skip")
        store.choose(chat.hashtag, [k for k in choices if k not in skipped], "send_late")
        why = dict.fromkeys(skipped, "skipped: it was late when it was planned")
        counts = ledger.sync_plan(chat.hashtag, rows, why)
        ledger.set_meta(chat.hashtag, "timezone", chat.timezone)
        items = [i for i in ledger.items() if i.chat == chat.hashtag]
        exports = [
            ExportItem(i.ref, i.text, i.recipient, i.state, i.url)
            for i in items
            if i.state != "cancelled"
        ]
        csv_text, problems = hootsuite_csv(exports, chat.timezone, now)
        write_text_atomic(files[0], sequence_ics(chat.hashtag, exports, now))
        write_text_atomic(files[1], csv_text)
    late_ok = {k for k, choice in choices.items() if choice == "send_late"}
    timeline = _timeline(items, ZoneInfo(chat.timezone), now, settings, late_ok)
    holidays = tuple(holiday_sessions(chat, season))
    return ScheduleRun(
        hashtag=chat.hashtag,
        timezone=chat.timezone,
        sessions=tuple(s.day for s in season.sessions),
        items=tuple(timeline),
        counts=counts,
        total_cost_usd=round(sum(t.cost_usd for t in timeline), 4),
        files=files,
        warnings=tuple(pack.warnings)
        + tuple(problems)
        + _skipped_line(newly)
        + tuple(_holiday_line(h) for h in holidays),
        cancelled=tuple(c.day for c in season.cancelled),
        holidays=holidays,
        fresh_plan=fresh_plan,
    )


def _plan_rows(hashtag: str, pack: ContentPack, skipped: set[str]) -> list[PlanRow]:
    """The ledger rows of the pack, less skipped: one per post on each of the chat's
    networks (the pack makes a post per network per step), and the emails (whole messages)."""
    from launchkit.domain.mail import message_bytes

    rows = [
        PlanRow(hashtag, p.ref, p.text, p.has_url) for p in pack.posts if p.ref.key not in skipped
    ]
    rows += [
        PlanRow(hashtag, e.ref, e.subject, recipient=e.recipient, message=message_bytes(e.message))
        for e in pack.emails
        if e.ref.key not in skipped
    ]
    return rows


def _skipped_line(keys: list[str]) -> tuple[str, ...]:
    if not keys:
        return ()
    step = "step" if len(keys) == 1 else "steps"
    return (f"{len(keys)} late {step} left out: {', '.join(keys)}",)


def _holiday_line(found: HolidaySession) -> str:
    day = found.start.date().isoformat()
    return (
        f"the session of {found.describe()}: `schedule --cancel {day}` cancels it, "
        "`--skip-holidays` every such session"
    )
