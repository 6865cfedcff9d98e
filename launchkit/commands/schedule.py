"""`launchkit schedule`: the playbook over the next sessions, written into the ledger.

Due times come from the content pack (computed in the chat's zone, stored in UTC). Re-running
after editing chat.yaml updates unsent rows in place; sent rows are never changed. Moving
(`--shift 7d`) or cancelling (`--cancel DATE`) a session is remembered in the ledger, so a
later plain `schedule` keeps it; the unsent items of the old date are cancelled and the new
date's items planned. Also writes out/sequence.ics and out/sequence.csv.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from launchkit.adapters.chatfolder import ChatFolder
from launchkit.adapters.ledger import Item, PlanRow, SqliteLedger, SyncCounts
from launchkit.domain.chat import Chat
from launchkit.domain.items import ItemRef
from launchkit.domain.sequence_exports import ExportItem, hootsuite_csv, sequence_ics
from launchkit.errors import UsageError
from launchkit.settings import DEFAULT_SESSIONS, Settings

if TYPE_CHECKING:
    from launchkit.commands.pack import ContentPack


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


def _new_changes(
    known: dict[date, date | None],
    originals: list[datetime],
    shift: timedelta | None,
    cancel: date | None,
) -> dict[date, date | None]:
    """The moves and cancellations this run adds to the `known` ones (original → new date,
    or None), to be recorded with the plan they make."""
    changes: dict[date, date | None] = {}
    if cancel is not None:
        current = {(known.get(s.date()) or s.date()): s.date() for s in originals}
        if cancel not in current:
            listed = ", ".join(d.isoformat() for d in sorted(current))
            raise UsageError(
                f"{cancel.isoformat()} is not a scheduled session",
                hint=f"scheduled sessions: {listed}",
            )
        changes[current[cancel]] = None
    if shift:
        for start in originals:
            original = start.date()
            if original in {**known, **changes} and {**known, **changes}[original] is None:
                continue  # cancelled stays cancelled
            changes[original] = (known.get(original) or original) + shift
    return changes


def effective_sessions(
    chat: Chat, originals: list[datetime], changes: dict[date, date | None]
) -> tuple[Chat, list[datetime]]:
    """Session starts after the host's moves and cancellations, and a chat that agrees.

    The chat copy keeps `schedule.first`, guests' sessions and `sessions:` entries on the
    moved dates, so the first-session steps, each guest's emails and a session's own
    questions follow their session.
    """
    zone = ZoneInfo(chat.timezone)
    remap: dict[date, date] = {}
    starts: list[datetime] = []
    for start in originals:
        target = changes.get(start.date(), start.date())
        if target is None:
            continue
        remap[start.date()] = target
        wall = start.replace(tzinfo=None)
        starts.append(datetime.combine(target, wall.time()).replace(tzinfo=zone))
    if len({s.date() for s in starts}) != len(starts):
        raise UsageError(
            "two sessions would fall on the same day",
            hint="shift by a whole number of weeks, or cancel one session",
        )
    first = chat.schedule.first
    new_first = remap.get(first, first)
    if first in changes and changes[first] is None and starts:
        new_first = min(s.date() for s in starts)
    guests = [
        g.model_copy(update={"session": remap.get(g.session, g.session)}) if g.session else g
        for g in chat.guests
    ]
    # A session's own theme, questions and guests move with it.
    plans = [p.model_copy(update={"date": remap.get(p.date, p.date)}) for p in chat.sessions]
    schedule = chat.schedule.model_copy(update={"first": new_first})
    update = {"schedule": schedule, "guests": guests, "sessions": plans}
    return chat.model_copy(update=update), sorted(starts)


def _cost(item: Item, settings: Settings) -> float:
    if item.ref.channel != "x" or item.state in ("sent", "cancelled"):
        return 0.0
    return settings.price_post_url_usd if item.has_url else settings.price_post_usd


def _timeline(items: list[Item], zone: ZoneInfo, now: datetime, s: Settings) -> list[TimelineItem]:
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
                late=i.state == "planned" and i.ref.due_utc < now,
                cost_usd=_cost(i, s),
            )
        )
    return rows


def _unscheduled(pack: ContentPack) -> tuple[str, ...]:
    others = [n for n in dict.fromkeys(p.ref.channel for p in pack.posts) if n != "x"]
    if not others:
        return ()
    return (
        f"posts for {' and '.join(others)} were checked but not scheduled: this launchkit "
        "posts to X only (run `launchkit render` to see them in out/)",
    )


def current_pack(
    folder: ChatFolder,
    ledger: SqliteLedger,
    now: datetime,
    sessions: int = DEFAULT_SESSIONS,
    from_date: date | None = None,
    *,
    shift: timedelta | None = None,
    cancel: date | None = None,
) -> tuple[ContentPack, list[datetime], dict[date, date | None]]:
    """The content pack for the sessions as the host has moved or cancelled them (with this
    run's `shift` or `cancel`), its session starts, and this run's new changes (not yet
    recorded: `run` records them with the plan)."""
    from launchkit.commands.pack import build_pack
    from launchkit.domain.sessions import session_starts

    chat = folder.chat
    originals = session_starts(chat, sessions, from_date)
    known = ledger.session_changes(chat.hashtag)
    changes = _new_changes(known, originals, shift, cancel)
    planned_chat, starts = effective_sessions(chat, originals, {**known, **changes})
    pack = build_pack(
        planned_chat, folder.playbook, starts, now, folder.templates, recaps=folder.recaps
    )
    return pack, starts, changes


def run(
    folder: ChatFolder,
    ledger: SqliteLedger,
    settings: Settings,
    *,
    now: datetime,
    sessions: int = DEFAULT_SESSIONS,
    from_date: date | None = None,
    shift: timedelta | None = None,
    cancel: date | None = None,
    out_dir: Path | None = None,
) -> ScheduleRun:
    """Plan `sessions` sessions into the ledger and write the calendar exports to `out_dir`
    (default: out/ beside chat.yaml); `settings` gives the X API prices.

    All or nothing: the ledger changes in one transaction that commits only after the files
    are written, so a full disk or a read-only out/ leaves the ledger as it was.
    """
    from launchkit.adapters.fsutil import write_text_atomic
    from launchkit.commands.pack import check_distinct
    from launchkit.domain.reconcile import canonical_text

    chat = folder.chat
    pack, starts, changes = current_pack(
        folder, ledger, now, sessions, from_date, shift=shift, cancel=cancel
    )
    # A post already out counts too: the network would refuse its text a second time.
    sent = {
        f"{i.ref.channel}\n{canonical_text(i.text)}": i.ref.key
        for i in ledger.items(("sent", "sending"))
    }
    check_distinct(pack.posts, sent)
    # Mastodon and Bluesky posts are checked in the pack; they join the ledger when the send
    # loop posts to them (issue 14's integration), until then only X's and the emails do.
    posts = [p for p in pack.posts if p.ref.channel == "x"]
    rows = [PlanRow(chat.hashtag, p.ref, p.text, p.has_url) for p in posts] + [
        PlanRow(chat.hashtag, e.ref, e.subject, recipient=e.recipient) for e in pack.emails
    ]
    out = out_dir or folder.out_dir
    files = (out / "sequence.ics", out / "sequence.csv")
    with ledger.transaction():
        for original, moved in changes.items():
            ledger.record_session_change(chat.hashtag, original, moved)
        counts = ledger.sync_plan(chat.hashtag, rows)
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
    timeline = _timeline(items, ZoneInfo(chat.timezone), now, settings)
    return ScheduleRun(
        hashtag=chat.hashtag,
        timezone=chat.timezone,
        sessions=tuple(s.date() for s in starts),
        items=tuple(timeline),
        counts=counts,
        total_cost_usd=round(sum(t.cost_usd for t in timeline), 4),
        files=files,
        warnings=tuple(pack.warnings) + tuple(problems) + _unscheduled(pack),
    )
