"""`launchkit people`: everyone who came to a recapped session, and who to write to.

Statuses (domain/recap/people.py) count the sessions that have a recap. Writes
out/people/follow-up.md (new people to welcome, regulars to thank, lapsed regulars to invite
back) and a participants-per-session chart: PNG through matplotlib when it is installed,
SVG otherwise; with `csv_path`, the list as CSV.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from launchkit.adapters.fsutil import write_bytes_atomic, write_text_atomic
from launchkit.adapters.people_store import PeopleStore
from launchkit.domain.chat import Chat
from launchkit.domain.recap.chart import participants_svg
from launchkit.domain.recap.people import FollowUp, Person, follow_up
from launchkit.domain.recap.posts import shown_handle
from launchkit.output import visible

__all__ = ["PeopleReport", "SessionCount", "run"]

CSV_COLUMNS = (
    "network", "handle", "display_name", "status", "sessions", "posts", "first_session",
    "last_session", "first_seen", "last_seen",
)  # fmt: skip


@dataclass(frozen=True)
class SessionCount:
    session: date
    participants: int


@dataclass(frozen=True)
class PeopleReport:
    """The result of `launchkit people`."""

    hashtag: str
    timezone: str
    latest_session: date | None  # the latest session that has a recap
    sessions: tuple[SessionCount, ...]
    people: tuple[Person, ...]
    follow_up: FollowUp
    files: tuple[Path, ...]


def run(
    chat: Chat,
    store: PeopleStore,
    out_dir: Path,
    *,
    csv_path: Path | None = None,
    png: bool = True,
) -> PeopleReport:
    """List the people of `chat`'s recapped sessions and write the follow-up files to
    `out_dir`/people (`png`: try matplotlib for the chart)."""
    zone = ZoneInfo(chat.timezone)
    people = tuple(
        replace(p, first_seen=p.first_seen.astimezone(zone), last_seen=p.last_seen.astimezone(zone))
        for p in store.people(chat.hashtag)
    )
    counts = tuple(SessionCount(d, n) for d, n in store.participants_per_session(chat.hashtag))
    plan = follow_up(people)
    folder = out_dir / "people"
    files = [folder / "follow-up.md"]
    # Handles and names are what people chose: shown, never obeyed by a terminal's `cat`.
    write_text_atomic(files[0], visible(follow_up_markdown(chat, plan)))
    title = f"{chat.hashtag}: people per session"
    files.append(_chart(folder, [(c.session, c.participants) for c in counts], title, png))
    if csv_path is not None:
        write_text_atomic(csv_path, people_csv(people))
        files.append(csv_path)
    return PeopleReport(
        chat.hashtag,
        chat.timezone,
        counts[-1].session if counts else None,
        counts,
        people,
        plan,
        tuple(files),
    )


def _line(person: Person) -> str:
    name = f" ({person.display_name})" if person.display_name else ""
    times = "session" if person.sessions == 1 else "sessions"
    return (
        f"- {shown_handle(person.handle)}{name} on {person.network}: {person.sessions} {times}, "
        f"{person.posts} posts, last {person.last_session.isoformat()}"
    )


def follow_up_markdown(chat: Chat, plan: FollowUp) -> str:
    """The follow-up list a host works through after a session."""
    out = [f"# {chat.hashtag}: follow-up", ""]
    for title, people, empty in (
        ("Welcome (new)", plan.welcome, "Nobody new this time."),
        ("Thank (regulars)", plan.thank, "No regulars yet (3 of the last 4 sessions)."),
        ("Invite back (lapsed)", plan.invite_back, "Nobody has lapsed."),
    ):
        out += [f"## {title}", ""]
        out += [_line(p) for p in people] or [empty]
        out.append("")
    return "\n".join(out)


def people_csv(people: tuple[Person, ...]) -> str:
    """The people as CSV (times as they are given: in the chat's zone, with the offset)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for p in people:
        writer.writerow(
            [
                p.network, shown_handle(p.handle), p.display_name, p.status, p.sessions,
                p.posts, p.first_session.isoformat(), p.last_session.isoformat(),
                p.first_seen.isoformat(timespec="seconds"),
                p.last_seen.isoformat(timespec="seconds"),
            ]
        )  # fmt: skip
    return buffer.getvalue()


def _chart(folder: Path, points: list[tuple[date, int]], title: str, png: bool) -> Path:
    if png:
        picture = _png(points, title)
        if picture is not None:
            path = folder / "participants.png"
            write_bytes_atomic(path, picture)
            (folder / "participants.svg").unlink(missing_ok=True)
            return path
    path = folder / "participants.svg"
    write_text_atomic(path, participants_svg(points, title))
    (folder / "participants.png").unlink(missing_ok=True)
    return path


def _png(points: list[tuple[date, int]], title: str) -> bytes | None:
    """The chart as PNG, or None when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, ax = plt.subplots(figsize=(8, 4))
    try:
        labels = [d.isoformat() for d, _ in points]
        ax.bar(labels, [n for _, n in points], color="#3b6fd6")
        ax.set_title(title)
        ax.set_ylabel("people")
        ax.tick_params(axis="x", labelrotation=45)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
        return buffer.getvalue()
    finally:
        plt.close(fig)
