"""Which of the account's own posts is a row whose outcome is unknown (pure; every network).

A row is left in `sending` by a crash, a 5xx, a timeout, or refused as a duplicate; before it
is sent again, the account's own recent posts are searched for it. A post is that row's post
only when BOTH hold:

- it was created after the row entered `sending` (less a small margin for the two clocks),
  so last week's post with the same words is never taken for this week's;
- its text is exactly the row's text, once the network's changes are undone by its adapter
  (X: entities decoded, t.co links expanded) and both are in the same Unicode form.

A post already recorded for another row is never matched again. Publishers give their
posts as `OwnPost` (domain/networks/identity.py): its text as written, when it was made.

>>> from datetime import UTC, datetime, timedelta
>>> from launchkit.domain.networks.identity import OwnPost
>>> sent = datetime(2027, 1, 12, 1, 5, tzinfo=UTC)
>>> old = OwnPost("1", "Q1: Why? #Hour", sent - timedelta(days=7), "https://x.com/i/1")
>>> new = OwnPost("2", "Q1: Why? #Hour", sent + timedelta(seconds=3), "https://x.com/i/2")
>>> find_own_post("Q1: Why? #Hour", sent, [new, old]).id
'2'
>>> find_own_post("Q1: Why? #Hour", sent, [old]) is None
True
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from launchkit.domain.networks.identity import OwnPost

__all__ = ["CLOCK_SKEW", "OwnPost", "canonical_text", "find_own_post"]

# How far the network's clock may be behind ours before a post made just after `sending`
# would look older than it: NTP keeps machines within a second; two minutes is generous.
CLOCK_SKEW = timedelta(minutes=2)


def canonical_text(text: str) -> str:
    """Text in the form compared: NFC, line ends as \\n, no surrounding whitespace."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()


def find_own_post(
    text: str,
    sending_since: datetime,
    posts: Iterable[OwnPost],
    *,
    claimed: Collection[str] = (),
    skew: timedelta = CLOCK_SKEW,
) -> OwnPost | None:
    """The oldest post in `posts` that is the row with `text` sent at `sending_since`.

    `claimed` are ids already recorded for other rows (of any chat in the ledger).
    """
    wanted = canonical_text(text)
    earliest = sending_since - skew
    found = [
        post
        for post in posts
        if post.created_at >= earliest
        and post.id not in claimed
        and canonical_text(post.text) == wanted
    ]
    return min(found, key=lambda p: (p.created_at, p.id), default=None)
