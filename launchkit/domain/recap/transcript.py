"""The transcript of a session as Markdown and as one self-contained HTML page (pure).

The posts the host marked in the live room first ("Highlights"), then the host's questions
in order, each followed by its answers, then the rest of the conversation; every post with
its author (guests and the host marked), its network, its time in the chat's zone (named)
and a link. Post text is written as text: Markdown's special
characters are escaped and the page escapes everything it shows, so a post cannot add markup.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from launchkit.domain.networks import network_label
from launchkit.domain.recap.figures import RecapSummary
from launchkit.domain.recap.posts import Post, shown_handle
from launchkit.domain.recap.threads import Threads
from launchkit.domain.timefmt import format_hour_minute, format_local, zone_abbreviation

__all__ = ["TranscriptView", "transcript_html", "transcript_markdown"]

# Characters that make Markdown anywhere, and line starts that make a heading or a list.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(\s*)(#+\s|[-+]\s|\d+[.)]\s)", re.MULTILINE)


@dataclass(frozen=True)
class TranscriptView:
    """What the transcript shows besides the posts."""

    name: str  # the chat's name
    summary: RecapSummary
    is_host: Callable[[Post], bool]
    is_guest: Callable[[Post], bool]
    highlights: frozenset[tuple[str, str]] = frozenset()  # (network, post id) marked live


def _highlighted(view: TranscriptView, threads: Threads) -> list[Post]:
    """The posts marked for the highlights, oldest first."""
    every = [p for q in threads.questions for p in (*q.posts, *q.answers)] + list(threads.others)
    chosen = [p for p in every if (p.network, p.post_id) in view.highlights]
    return sorted(chosen, key=lambda p: p.time_order)


def _clock(post: Post, zone: str) -> str:
    return format_hour_minute(post.created_at, zone)


def _role(view: TranscriptView, post: Post) -> str:
    if view.is_host(post):
        return "host"
    return "guest" if view.is_guest(post) else ""


def _safe_url(url: str) -> str:
    """`url` when it is a web address a reader can follow as written, else no link (a
    space, a control or a format character in it is nothing a real post link holds)."""
    plain = not any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in url)
    return url if plain and url.startswith(("https://", "http://")) else ""


def _md(text: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def _heading(view: TranscriptView) -> tuple[str, str, str]:
    s = view.summary
    start = s.window.start.astimezone(ZoneInfo(s.timezone))
    noon = datetime.combine(s.session, time(12), ZoneInfo(s.timezone))
    title = f"{s.hashtag} — {format_local(noon).rsplit(' ', 2)[0]}"
    figures = (
        f"{s.posts} posts from {s.participants} people; times in {s.timezone} "
        f"({zone_abbreviation(start, generic=False)})."
    )
    missing = [f"{network_label(n)} ({f.status})" for n, f in s.sources.items() if f.status != "ok"]
    return title, figures, ("Not read: " + "; ".join(missing) + ".") if missing else ""


def _md_post(view: TranscriptView, post: Post, threads: Threads, asked: bool = False) -> list[str]:
    """A post as a list item: who, network, time and link, then its text (hard line breaks:
    two spaces at a line's end)."""
    role = _role(view, post)
    who = f"**{_md(shown_handle(post.handle))}**"
    if post.display_name:
        who += f" ({_md(post.display_name)})"
    parts = [("Asked by " if asked else "") + who + (f" *{role}*" if role else "")]
    parts += [network_label(post.network), _clock(post, view.summary.timezone)]
    url = _safe_url(post.url)
    if url:
        parts.append(f"[link](<{url}>)")
    lines = [" · ".join(parts)]
    parent = threads.parent_of(post)
    if parent is not None:
        lines.append(f"replying to {_md(shown_handle(parent.handle))}")
    lines += [_md(line) for line in post.text.splitlines() if line.strip()]
    return ["- " + "  \n  ".join(lines), ""]


def transcript_markdown(view: TranscriptView, threads: Threads) -> str:
    """The transcript as Markdown (transcript.md)."""
    title, figures, missing = _heading(view)
    out = [f"# {_md(title)}", "", _md(view.name) + ". " + figures, ""]
    if missing:
        out += [_md(missing), ""]
    highlights = _highlighted(view, threads)
    if highlights:
        out += ["## Highlights", ""]
        for post in highlights:
            out += _md_post(view, post, threads)
    for q in threads.questions:
        out += [f"## Q{q.n}: {_md(q.text)}", ""]
        for post in q.posts:
            out += _md_post(view, post, threads, asked=True)
        if not q.answers:
            out += ["No answers.", ""]
        for post in q.answers:
            out += _md_post(view, post, threads)
    if threads.others:
        out += ["## The rest of the conversation", ""]
        for post in threads.others:
            out += _md_post(view, post, threads)
    return "\n".join(out).rstrip() + "\n"


_STYLE = """
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:#1b1b1b;background:#fafafa}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0}h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
.note{color:#555;font-size:.9rem}
article{background:#fff;border:1px solid #e3e3e3;border-radius:.5rem;padding:.6rem .8rem;
margin:.5rem 0;overflow-wrap:anywhere}
article.asked{border-left:4px solid #3b6fd6}
.meta{font-size:.85rem;color:#555}.who{font-weight:600;color:#1b1b1b}
.role{background:#eef3ff;color:#2a4fa0;border-radius:.3rem;padding:0 .3rem;margin-left:.3rem}
.text{white-space:pre-wrap;margin:.25rem 0 0}
@media (prefers-color-scheme:dark){body{background:#121212;color:#e8e8e8}
article{background:#1e1e1e;border-color:#333}.meta,.note{color:#aaa}.who{color:#e8e8e8}
.role{background:#243350;color:#c9d8ff}}
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_post(view: TranscriptView, post: Post, threads: Threads, asked: bool = False) -> str:
    role = _role(view, post)
    meta = [f'<span class="who">{_e(shown_handle(post.handle))}</span>']
    if post.display_name:
        meta.append(f"({_e(post.display_name)})")
    if role:
        meta.append(f'<span class="role">{role}</span>')
    meta.append(f"· {_e(network_label(post.network))} · {_e(_clock(post, view.summary.timezone))}")
    url = _safe_url(post.url)
    if url:
        meta.append(f'· <a href="{_e(url)}" rel="nofollow noopener">link</a>')
    parent = threads.parent_of(post)
    if parent is not None:
        meta.append(f"· replying to {_e(shown_handle(parent.handle))}")
    kind = ' class="asked"' if asked else ""
    return (
        f'<article{kind}><div class="meta">{" ".join(meta)}</div>'
        f'<p class="text">{_e(post.text)}</p></article>'
    )


def transcript_html(view: TranscriptView, threads: Threads) -> str:
    """The transcript as one HTML page with its style inline (transcript.html)."""
    title, figures, missing = _heading(view)
    body: list[str] = [f"<h1>{_e(title)}</h1>", f'<p class="note">{_e(view.name)}. {_e(figures)}']
    if missing:
        body[-1] += f"<br>{_e(missing)}"
    body[-1] += "</p>"
    highlights = _highlighted(view, threads)
    if highlights:
        body.append('<h2 id="highlights">Highlights</h2>')
        body += [_html_post(view, post, threads) for post in highlights]
    for q in threads.questions:
        body.append(f'<h2 id="q{q.n}">Q{q.n}: {_e(q.text)}</h2>')
        body += [_html_post(view, post, threads, asked=True) for post in q.posts]
        if not q.answers:
            body.append('<p class="note">No answers.</p>')
        body += [_html_post(view, post, threads) for post in q.answers]
    if threads.others:
        body.append('<h2 id="conversation">The rest of the conversation</h2>')
        body += [_html_post(view, post, threads) for post in threads.others]
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_STYLE.strip()}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )


def guests_who_posted(posts: Sequence[Post], is_guest: Callable[[Post], bool]) -> tuple[str, ...]:
    """The guests among the authors of `posts`, as @handles, in order of first post."""
    seen: dict[tuple[str, str], str] = {}
    for post in sorted(posts, key=lambda p: p.created_at):
        if is_guest(post):
            seen.setdefault(post.author, shown_handle(post.handle))
    return tuple(dict.fromkeys(seen.values()))
