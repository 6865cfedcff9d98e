"""`launchkit recap`: what happened in a session, from the networks' own posts.

Reads the posts carrying the chat's hashtag from 10 minutes before the session to 60 minutes
after its end on every network of the chat (commands/recap_sources.py), sorts them into the
host's questions with their answers and the rest of the conversation, and writes
out/recap/DATE/transcript.md, transcript.html and summary.json. Every recap adds the session's
participants to the community store (`launchkit people`) and gives the session's planned
recap post its real figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from launchkit.adapters.chatfolder import ChatFolder
from launchkit.adapters.ledger import SqliteLedger
from launchkit.adapters.people_store import PeopleStore, RecapRecord, attendance_of
from launchkit.adapters.post_store import PostStore
from launchkit.commands.recap_sources import Approve, TagReader, gather_posts
from launchkit.commands.session_posts import (
    chat_sessions,
    guest_test,
    host_test,
    mark_question,
    sent_posts,
)
from launchkit.domain.recap.figures import RecapSummary, summarise
from launchkit.domain.recap.posts import HandleRule, parse_handle_rules
from launchkit.domain.recap.threads import thread_posts
from launchkit.domain.recap.transcript import (
    TranscriptView,
    guests_who_posted,
    transcript_html,
    transcript_markdown,
)
from launchkit.domain.recap.window import choose_session, session_window
from launchkit.domain.timefmt import format_local
from launchkit.errors import UsageError

__all__ = ["RecapRun", "run"]


@dataclass(frozen=True)
class RecapRun:
    """The result of `launchkit recap`."""

    summary: RecapSummary
    files: tuple[Path, ...]
    warnings: tuple[str, ...]
    recap_posts_updated: int  # planned recap posts that now carry the figures


def run(
    folder: ChatFolder,
    ledger: SqliteLedger | None,
    posts_store: PostStore,
    people_store: PeopleStore,
    make_reader: Callable[[str], TagReader],
    approve: Approve,
    *,
    now: datetime,
    session: date | None = None,
    exclude: Sequence[str] = (),
    own_accounts: Sequence[HandleRule] = (),
    refresh: bool = False,
    out_dir: Path | None = None,
) -> RecapRun:
    """Recap `session` (default: the latest that has ended); see the module docstring.

    `own_accounts`: the accounts launchkit posts from (the host's, besides host.handle);
    `exclude`: handles left out of every output and of the stores, with chat.yaml's.
    """
    chat = folder.chat
    try:
        excluded = parse_handle_rules([*chat.recap.exclude, *exclude])
    except ValueError as exc:
        raise UsageError(f"--exclude {exc}", hint="write @name, or network:@name") from None
    planned_chat, starts = chat_sessions(chat, ledger, now, session)
    duration = timedelta(minutes=chat.schedule.duration_min)
    try:
        start = choose_session(starts, duration, now, session)
    except ValueError as exc:
        raise UsageError(str(exc), hint="pass --session DATE, a date the chat met") from None
    day = start.date()
    window = session_window(start, duration)
    warnings: list[str] = []
    if now < window.end:
        warnings.append(
            f"the window is open until {format_local(window.end)}: run recap again after it "
            "for every post"
        )
    gathered = gather_posts(
        posts_store,
        make_reader,
        hashtag=chat.hashtag,
        networks=chat.networks,
        session=day,
        window=window,
        read_until=min(window.end, now),
        excluded=excluded,
        approve=approve,
        refresh=refresh,
    )
    sent = sent_posts(ledger, chat, day)
    posts = [mark_question(p, sent) for p in gathered.posts]
    host_authors = {p.author for p in posts if (p.network, p.post_id) in sent}
    is_host = host_test(chat, own_accounts, host_authors)
    _, is_guest = guest_test(planned_chat, day, is_host)
    threads = thread_posts(posts, is_host, chat.questions)
    summary = summarise(
        session=day,
        hashtag=chat.hashtag,
        timezone=chat.timezone,
        window=window,
        sources=gathered.sources,
        posts=posts,
        threads=threads,
        is_host=is_host,
        guests=guests_who_posted(posts, is_guest),
    )
    marked = posts_store.highlights(chat.hashtag)
    view = TranscriptView(chat.name, summary, is_host, is_guest, frozenset(marked))
    files = _write(
        (out_dir or folder.out_dir) / "recap" / day.isoformat(),
        transcript_markdown(view, threads),
        transcript_html(view, threads),
        summary,
    )
    record = RecapRecord(
        day, window.start, window.end, summary.posts, summary.participants, summary.answers,
        sum(1 for q in summary.questions if q.answers),
    )  # fmt: skip
    people_store.forget(chat.hashtag, excluded)
    people_store.record(chat.hashtag, record, attendance_of(posts, is_host))
    updated = 0
    if ledger is not None:
        from launchkit.commands.recap_post import refresh_recap_posts

        updated = refresh_recap_posts(folder, ledger, planned_chat, start, record, now)
    return RecapRun(summary, files, (*gathered.warnings, *warnings), updated)


def _write(folder: Path, markdown: str, page: str, summary: RecapSummary) -> tuple[Path, ...]:
    from launchkit import output
    from launchkit.adapters.fsutil import write_text_atomic

    files = (folder / "transcript.md", folder / "transcript.html", folder / "summary.json")
    # A file read with `cat` shows what people posted, never obeys it (output.visible).
    write_text_atomic(files[0], output.visible(markdown))
    write_text_atomic(files[1], page)
    write_text_atomic(files[2], output.to_json(output.json_object(summary)) + "\n")
    return files
