"""How the live room and `live --plain` write a post and the side panel (text only, no
Textual: the plain mode uses it without importing the room). Every text from a network goes
through `output.visible`, so a control character in a post is shown, never obeyed."""

from __future__ import annotations

from datetime import datetime

from launchkit.commands.live import LiveSession
from launchkit.commands.live_feed import LiveFeed
from launchkit.domain.live.questions import countdown, next_question
from launchkit.domain.live.room import Shown
from launchkit.domain.networks import network_label
from launchkit.domain.recap.posts import shown_handle
from launchkit.domain.timefmt import format_hour_minute, format_local
from launchkit.output import visible

__all__ = ["deleted_line", "panel_text", "plain_line", "row_cells", "row_style"]


def _mark(shown: Shown) -> str:
    if shown.question is None:
        return ""
    return f"{'Q' if shown.asks else 'A'}{shown.question}"


def _who(shown: Shown) -> str:
    who = shown_handle(shown.post.handle)
    return f"{who} ({shown.role})" if shown.role else who


def _text(shown: Shown) -> str:
    text = " ".join(shown.post.text.split())  # one line a post
    if shown.parent is not None and shown.question is None:
        text = f"↳ {shown_handle(shown.parent.handle)}: {text}"
    return ("★ " if shown.highlighted else "") + text


def row_cells(shown: Shown, zone: str) -> list[str]:
    """A post as the room's row: time (zone named), network, who, Q/A, text."""
    post = shown.post
    return [
        format_hour_minute(post.created_at, zone),
        network_label(post.network),
        visible(_who(shown)),
        _mark(shown),
        visible(_text(shown)),
    ]


def row_style(shown: Shown) -> str:
    """The row's look: guests' posts stand out, the host's questions too."""
    if shown.role == "guest":
        return "bold yellow"
    if shown.asks:
        return "bold cyan"
    return "magenta" if shown.highlighted else ""


def plain_line(shown: Shown, zone: str) -> str:
    """A post as one line of `live --plain`."""
    time, network, who, mark, text = row_cells(shown, zone)
    return "  ".join(part for part in (time, f"{network:<8}", who, mark, text) if part)


def deleted_line(shown: Shown, zone: str) -> str:
    """A post shown before and deleted since, as one line of `live --plain`: its time,
    network and author, and what it said."""
    time, network, who, mark, text = row_cells(shown, zone)
    return "  ".join(
        part for part in (time, f"{network:<8}", who, mark, f"deleted: {text}") if part
    )


def panel_text(
    session: LiveSession,
    feed: LiveFeed,
    now: datetime,
    *,
    paused: bool = False,
    pending: int = 0,
    question: int | None = None,
    grouped: bool = False,
    until: datetime | None = None,
) -> str:
    """The side panel: the session, the questions, the networks, the figures."""
    zone, chat = session.zone, session.chat
    end = session.window.end
    lines = [
        f"{chat.hashtag} — {format_local(session.start)}",
        f"times in {zone}",
        f"now {format_hour_minute(now, zone, seconds=True)}",
        "",
        "Questions",
    ]
    upcoming = next_question(feed.slots)
    for slot in feed.slots:
        if slot.posted_at is not None:
            where = ", ".join(network_label(n) for n in slot.posted_on)
            lines.append(f" ✓ Q{slot.n} {format_hour_minute(slot.posted_at, zone)} {where}")
        elif slot.due_at is not None:
            head = "▶" if slot is upcoming else " "
            line = f" {head} Q{slot.n} due {format_hour_minute(slot.due_at, zone)}"
            if slot is upcoming:
                line += f" in {countdown(slot.due_at - now)}"
            lines.append(line)
        else:
            lines.append(f" ✗ Q{slot.n} failed on " + ", ".join(slot.failed_on))
    if not feed.slots:
        lines.append(" none in the ledger (run `launchkit schedule`)")
    lines += ["", "Networks"]
    for network, state in feed.sources.items():
        lines.append(f" {network_label(network)}: {visible(state.label(zone))}")
    people, posts, rate = feed.figures(now)
    lines += ["", f"{people} people · {posts} posts", f"{rate:.1f} posts a minute (last 5 min)"]
    if paused:
        lines.append(f"PAUSED: {pending} new post(s) waiting (p)")
    if question is not None:
        lines.append(f"showing Q{question} only (a: all)")
    elif grouped:
        lines.append("grouped by question (g: in time order)")
    if until is not None:
        lines.append(f"stops at {format_hour_minute(until, zone)} (--until)")
    if now >= end:
        lines.append(f"the window closed at {format_hour_minute(end, zone)}")
    return "\n".join(lines)
