"""The content pack as files: posts.json, posts.md, emails/*.eml and chat.ics.

Everything here is byte-for-byte deterministic: sorted JSON keys, fixed formatting, no
current time (whether a post is late depends on "now", so it is shown by the CLI, not
written), so re-rendering unchanged inputs gives identical files.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from launchkit.adapters.fsutil import replace_dir_atomic, storing, write_bytes_atomic
from launchkit.commands.pack import ContentPack
from launchkit.domain.chat import Chat
from launchkit.domain.ics import chat_ics
from launchkit.domain.items import ItemRef
from launchkit.domain.mail import message_bytes
from launchkit.domain.networks import network_label
from launchkit.domain.rendering import MAX_WEIGHT
from launchkit.domain.season import SeasonChanges
from launchkit.domain.timefmt import format_day, format_local, format_moment

__all__ = ["pack_files", "write_pack"]


def _ref_json(ref: ItemRef) -> dict[str, Any]:
    return {
        "key": ref.key,
        "step": ref.step,
        "session": ref.session.isoformat(),
        "index": ref.index,
        "due_utc": ref.due_utc.isoformat().replace("+00:00", "Z"),
    }


def _posts_json(chat: Chat, pack: ContentPack) -> str:
    data: dict[str, Any] = {
        "version": 1,
        "hashtag": chat.hashtag,
        "playbook": pack.playbook,
        "timezone": chat.timezone,
        "sessions": [s.date().isoformat() for s in pack.sessions],
        "cancelled": [d.isoformat() for d in pack.cancelled],
        "posts": [
            {
                **_ref_json(p.ref),
                "network": p.ref.channel,
                "template": p.template,
                "due_local": p.due_local.isoformat(),
                "text": p.text,
                "weighted_length": p.weighted_length,
                "has_url": p.has_url,
            }
            for p in pack.posts
        ],
        "emails": [
            {
                **_ref_json(e.ref),
                "template": e.template,
                "due_local": e.due_local.isoformat(),
                "to": e.recipient,
                "subject": e.subject,
                "file": f"emails/{e.filename}",
            }
            for e in pack.emails
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _day_text(day: date) -> str:
    """`Tue 16 Mar 2027`: a session's date in a sentence."""
    return f"{format_day(datetime.combine(day, datetime.min.time()))} {day.year}"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def _posts_md(chat: Chat, pack: ContentPack) -> str:
    lines = [
        f"# {chat.name} ({chat.hashtag}): content pack",
        "",
        f"Playbook `{pack.playbook}`. Times are local to {chat.timezone}; "
        f"{len(pack.posts)} posts, {len(pack.emails)} emails. "
        "Posts marked *link* contain a URL (a pricier API call).",
    ]
    if pack.cancelled:
        days = ", ".join(_day_text(d) for d in pack.cancelled)
        lines += ["", f"Cancelled: {days} (`launchkit schedule --cancel`)."]
    for start in pack.sessions:
        day = start.date()
        while lines[-1] == "":
            lines.pop()
        lines += ["", f"## Session {format_moment(start, chat.zones)}", ""]
        blocks: list[tuple[datetime, str, list[str]]] = []
        for p in pack.posts:
            if p.ref.session == day:
                link = " · *link*" if p.has_url else ""
                head = f"### {format_local(p.due_local)} · {p.ref.step} · "
                if chat.networks == ["x"]:
                    head += f"{p.weighted_length}/{MAX_WEIGHT}{link}"
                else:
                    m = p.measured
                    head += f"{network_label(p.ref.channel)} {m.length}/{m.limit} {m.unit}{link}"
                blocks.append((p.ref.due_utc, p.ref.key, [head, "", _quote(p.text), ""]))
        for e in pack.emails:
            if e.ref.session == day:
                head = f"### {format_local(e.due_local)} · {e.ref.step} · email to {e.recipient}"
                file = f"[emails/{e.filename}](emails/{e.filename})"
                lines_ = [head, "", f"Subject: {e.subject} ({file})", ""]
                blocks.append((e.ref.due_utc, e.ref.key, lines_))
        if not blocks:
            lines.append("Nothing planned for this session.")
        for _, _, block in sorted(blocks, key=lambda b: (b[0], b[1])):
            lines += block
    return "\n".join(lines).rstrip("\n") + "\n"


def pack_files(
    chat: Chat, pack: ContentPack, changes: SeasonChanges | None = None
) -> dict[str, bytes]:
    """Relative path → content, for every file of the pack; chat.ics carries the season's
    `changes` (cancelled and moved sessions)."""
    last = pack.sessions[-1].date() if pack.sessions else None
    files = {
        "posts.json": _posts_json(chat, pack).encode("utf-8"),
        "posts.md": _posts_md(chat, pack).encode("utf-8"),
        "chat.ics": chat_ics(chat, changes, through=last).encode("utf-8"),
    }
    for email in pack.emails:
        files[f"emails/{email.filename}"] = message_bytes(email.message)
    return files


def write_pack(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write the pack: emails/ swapped in whole, the other files each atomically.

    out/ is shared with other commands (schedule writes sequence.ics/.csv there), so only
    the pack's own files are replaced. All content exists in memory before the first write.
    """
    with storing(out_dir):
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".emails-", dir=out_dir))
        try:
            for rel, data in files.items():
                if rel.startswith("emails/"):
                    (staging / rel.removeprefix("emails/")).write_bytes(data)
            replace_dir_atomic(staging, out_dir / "emails")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    for rel, data in files.items():
        if not rel.startswith("emails/"):
            write_bytes_atomic(out_dir / rel, data)
    return [out_dir / rel for rel in sorted(files)]
