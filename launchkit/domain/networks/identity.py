"""What makes a retry harmless on each network, derived from the ledger row (pure).

A ledger row is one item of one chat on one network. Before its request goes out the row is
`sending`, with the time it first entered that state. From these the publishers derive:

- Mastodon: an `Idempotency-Key` header (chat, item key, network, first-sending second): the
  instance answers a second POST with the same key with the status the first one made,
  instead of a new one. The moment is in it because the instance keeps keys for about an
  hour whatever the text: without it, a ledger made afresh (or another folder of the same
  chat) would be answered with an earlier post of the same item instead of its own. Two
  ledgers of one chat sending the same item to one account in the same second would still
  share a key (the ledger keeps whole seconds);
- Bluesky: the record key of the post (a TID from the first-sending time and a hash of the
  row), so a retry writes to the same record path and can never make a second post, and the
  row's post can be looked up by that key.

>>> from datetime import UTC, datetime
>>> row = PostIdentity("#ChatHour", "question|2027-03-02|4", "bluesky",
...                    datetime(2027, 3, 3, 1, 35, 12, tzinfo=UTC))
>>> row.record_key, is_tid(row.record_key)
('3ncsh3jv7c7c2', True)
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = ["OwnPost", "PostIdentity", "is_tid", "tid"]

_B32 = "234567abcdefghijklmnopqrstuvwxyz"  # atproto's base32-sortable alphabet
_TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def tid(micros: int, clock_id: int) -> str:
    """An atproto TID: 53 bits of microseconds since the epoch, 10 bits of clock id, base32."""
    if not 0 <= micros < 1 << 53 or not 0 <= clock_id < 1 << 10:
        raise ValueError("a TID holds 53 bits of microseconds and a 10-bit clock id")
    value = (micros << 10) | clock_id
    return "".join(_B32[(value >> (5 * shift)) & 31] for shift in range(12, -1, -1))


def is_tid(text: str) -> bool:
    """Whether `text` has the syntax of an atproto TID (13 base32-sortable characters)."""
    return bool(_TID.match(text))


@dataclass(frozen=True)
class PostIdentity:
    """One ledger row as a network sees it: which chat, item and network, and since when it
    has been sending (aware; whole seconds are enough, the rest comes from the hash)."""

    chat: str  # the chat's hashtag, the ledger's `chat` column
    key: str  # the item's key, `step|session|index`
    network: str
    first_sending: datetime

    def _digest(self) -> bytes:
        return hashlib.sha256(f"launchkit|{self.chat}|{self.key}|{self.network}".encode()).digest()

    @property
    def idempotency_key(self) -> str:
        """Mastodon's Idempotency-Key for this row: the same on every try (the ledger keeps
        the moment a row first entered `sending`)."""
        seconds = self.first_sending.astimezone(UTC).replace(microsecond=0).isoformat()
        mixed = hashlib.sha256(self._digest() + seconds.encode()).digest()
        return "launchkit-" + mixed[:16].hex()

    @property
    def record_key(self) -> str:
        """Bluesky's record key for this row: a valid TID, the same on every try.

        Its time is the first-sending second, so the post sorts where it was made; the
        microseconds and the clock id come from the row's hash, so rows that start sending
        in the same second (one item on several networks, a burst of questions) differ.
        """
        if self.first_sending.tzinfo is None:
            raise ValueError("first_sending must be aware")
        seconds = (self.first_sending.astimezone(UTC) - _EPOCH) // timedelta(seconds=1)
        number = int.from_bytes(self._digest()[:8], "big")
        micros = seconds * 1_000_000 + number % 1_000_000
        return tid(micros, (number >> 32) % 1024)


@dataclass(frozen=True)
class OwnPost:
    """One of the account's own posts, as a row in an unknown state is matched against."""

    id: str  # the network's id (Mastodon: status id; Bluesky: the post's at:// URI)
    text: str  # the text as written (not the HTML a Mastodon instance shows)
    created_at: datetime  # aware, as the server recorded it
    link: str
