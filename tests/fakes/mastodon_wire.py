"""Mastodon's wire details for the fake instance: ids, times, HTML content, length, paging.

Written from Mastodon's documentation and source, independently of launchkit's own rules,
so that a test comparing the two means something.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from tests.fakes.servers import FakeRequest

DEFAULT_LIMIT = 20
MAX_LIMIT = 40

_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)]")
_TAG = re.compile(r"(?<![\w/#])#(\w*[^\W\d]\w*)")
_GRAPHEME_EXTENDERS = re.compile(r"[\u0300-\u036f\u200d\ufe0f\U0001f3fb-\U0001f3ff]")


@dataclass(frozen=True)
class Account:
    """An account on the fake instance."""

    id: str
    username: str

    def entity(self, base: str) -> dict[str, Any]:
        """The Account entity as Mastodon serves it."""
        return {
            "id": self.id,
            "username": self.username,
            "acct": self.username,
            "display_name": self.username.title(),
            "locked": False,
            "bot": False,
            "created_at": "2024-01-01T00:00:00.000Z",
            "note": "",
            "url": f"{base}/@{self.username}",
            "avatar": f"{base}/avatars/original/missing.png",
            "followers_count": 0,
            "following_count": 0,
            "statuses_count": 0,
            "emojis": [],
            "fields": [],
        }


def iso(moment: datetime) -> str:
    """Mastodon's timestamp form: ``2027-03-03T01:35:12.000Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def parse_time(text: str) -> datetime:
    """An ISO 8601 time as Mastodon accepts it (``Z`` or an offset)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def snowflake(created_at: datetime, sequence: int) -> str:
    """Mastodon's id: milliseconds since the epoch in the high bits, so ids sort by time."""
    millis = int(created_at.timestamp() * 1000)
    return str((millis << 16) | (sequence & 0xFFFF))


def tags_of(text: str) -> list[str]:
    """The hashtags of a text, lower-cased as Mastodon names them in a status's ``tags``."""
    return list(dict.fromkeys(t.lower() for t in _TAG.findall(_URL.sub(" ", text))))


def post_length(text: str, url_chars: int) -> int:
    """Roughly Mastodon's count: URLs as ``url_chars``, combining marks and joiners free."""
    countable = _URL.sub("x" * url_chars, text)
    return len(_GRAPHEME_EXTENDERS.sub("", countable))


def _link(url: str) -> str:
    scheme, _, rest = url.partition("://")
    shown, hidden = rest[:30], rest[30:]
    return (
        f'<a href="{html.escape(url)}" target="_blank" rel="nofollow noopener" translate="no">'
        f'<span class="invisible">{scheme}://</span>'
        f'<span class="{"ellipsis" if hidden else ""}">{html.escape(shown)}</span>'
        f'<span class="invisible">{html.escape(hidden)}</span></a>'
    )


def html_content(text: str, base: str) -> str:
    """A status's ``content``: paragraphs, ``<br />``, linked URLs and hashtags."""

    def inline(line: str) -> str:
        out, cursor = [], 0
        for match in _URL.finditer(line):
            out += [html.escape(line[cursor : match.start()]), _link(match.group())]
            cursor = match.end()
        out.append(html.escape(line[cursor:]))
        joined = "".join(out)
        return _TAG.sub(
            lambda m: (
                f'<a href="{base}/tags/{m.group(1).lower()}" class="mention hashtag" '
                f'rel="tag">#<span>{m.group(1)}</span></a>'
            ),
            joined,
        )

    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p]
    return "".join(
        "<p>" + "<br />".join(inline(line) for line in p.split("\n")) + "</p>" for p in paragraphs
    )


def page(
    request: FakeRequest, statuses: list[dict[str, Any]], base: str
) -> tuple[list[dict[str, Any]], str]:
    """One page of ``statuses`` (any order) as Mastodon pages: newest first, ``limit`` (20,
    at most 40), ``max_id`` (older than), ``since_id`` (newer than, newest first), ``min_id``
    (the ones just newer than), and the Link header for the next and previous pages."""
    try:
        limit = max(1, min(MAX_LIMIT, int(request.arg("limit") or DEFAULT_LIMIT)))
    except ValueError:
        limit = DEFAULT_LIMIT
    newest_first = sorted(statuses, key=lambda s: int(s["id"]), reverse=True)
    max_id, since_id, min_id = (request.arg(k) for k in ("max_id", "since_id", "min_id"))
    if max_id:
        newest_first = [s for s in newest_first if int(s["id"]) < int(max_id)]
    if since_id:
        newest_first = [s for s in newest_first if int(s["id"]) > int(since_id)]
    if min_id:
        newer = [s for s in newest_first if int(s["id"]) > int(min_id)]
        shown = newer[-limit:]
    else:
        shown = newest_first[:limit]
    if not shown:
        return [], ""
    kept = {k: v[0] for k, v in request.query.items() if k not in ("max_id", "since_id", "min_id")}
    url = f"{base}{request.path}?"
    links = (
        f'<{url}{urlencode({**kept, "max_id": shown[-1]["id"]})}>; rel="next", '
        f'<{url}{urlencode({**kept, "min_id": shown[0]["id"]})}>; rel="prev"'
    )
    return shown, links
