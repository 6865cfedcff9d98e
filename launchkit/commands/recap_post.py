"""The recap post says what happened: the hook between `recap` and the sending loop.

When a session has a recap, the planned recap post of that session is rendered again with
the figures (`recap` in templates/x/recap.txt.j2: "Thank you! 31 people, 214 posts in #X on
Tue 2 Mar — transcript: LINK") and its ledger row gets the new text while it is still
planned (its version raised, like every change: a sender holding the old text cannot send it).
`launchkit recap` does this itself; `render` and `schedule` render the figures from the
store (ChatFolder.recaps); `post --watch` calls :func:`recap_before_sending` right before a
recap post is sent, so a session nobody recapped by hand is recapped first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from launchkit.adapters.chatfolder import ChatFolder
from launchkit.adapters.ledger import Item, PlanRow, RowChanged, SqliteLedger
from launchkit.adapters.people_store import RecapRecord
from launchkit.domain.chat import Chat
from launchkit.domain.recap.figures import RecapFigures, transcript_link

__all__ = ["is_recap_step", "recap_before_sending", "refresh_recap_posts"]

RECAP_TEMPLATE = "x/recap"


def is_recap_step(folder: ChatFolder, step_id: str) -> bool:
    """True when the playbook's step `step_id` posts the recap."""
    return any(s.id == step_id and s.template == RECAP_TEMPLATE for s in folder.playbook.steps)


def refresh_recap_posts(
    folder: ChatFolder,
    ledger: SqliteLedger,
    planned_chat: Chat,
    start: datetime,
    record: RecapRecord,
    now: datetime,
) -> int:
    """Render the recap posts of the session starting at `start` with `record`'s figures and
    put their text into the ledger's rows that are still planned; how many changed."""
    from launchkit.commands.pack import build_pack

    chat = folder.chat
    figures = RecapFigures(
        people=record.participants,
        posts=record.posts,
        answers=record.answers,
        questions=record.questions,
        link=transcript_link(chat.recap.transcripts_url, record.session),
    )
    pack = build_pack(
        planned_chat,
        folder.playbook,
        [start],
        now,
        folder.templates,
        recaps={record.session: figures},
    )
    changed = 0
    for post in pack.posts:
        if post.ref.session == record.session and is_recap_step(folder, post.ref.step):
            changed += ledger.retext(PlanRow(chat.hashtag, post.ref, post.text, post.has_url))
    return changed


def recap_before_sending(
    open_folder: Callable[[], ChatFolder],
    ledger: SqliteLedger,
    recap_session: Callable[[ChatFolder, Item], None],
) -> Callable[[Item], Item]:
    """The send loop's hook (`PostOptions.prepare`): before a recap post goes out, recap its
    session when no recap exists yet (`recap_session`), and send the row as it now reads
    (RowChanged when it is no longer the planned row the loop read: the loop reads again).

    The chat folder is opened when the first post comes due (never in a run with nothing
    due); it is meant for `post --watch`, a long run, not for cron's minute-by-minute run.
    """
    cache: list[ChatFolder] = []
    recapped: set[date] = set()  # one recap per session, however many networks it posts to

    def prepare(item: Item) -> Item:
        if not cache:
            cache.append(open_folder())
        folder = cache[0]
        if not is_recap_step(folder, item.ref.step):
            return item
        session = item.ref.session
        if session not in folder.recaps and session not in recapped:
            recapped.add(session)
            recap_session(folder, item)
        current = ledger.get(item)
        # The row as it now reads, only while it is the same planned row at the same time:
        # anything else (a new plan moved, cancelled or sent it) is the send loop's to see.
        if current is None or current.state != "planned" or current.ref != item.ref:
            raise RowChanged(item)
        return current

    return prepare
