"""atproto's wire details for the fake PDS: JWT-shaped tokens, TIDs, CIDs, XRPC errors.

Written from the atproto specs and the PDS's observed answers, independently of launchkit.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import UTC, datetime
from typing import Any

from tests.fakes.servers import FakeResponse

B32_SORTABLE = "234567abcdefghijklmnopqrstuvwxyz"
TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
# A tag facet as Bluesky's app makes it: '#' after a space or the start, not only digits.
TAG_RE = re.compile(r"(?:^|(?<=\s))#(\w*[^\W\d]\w*)")


def xrpc_error(status: int, error: str, message: str, **headers: str) -> FakeResponse:
    """An XRPC error body: ``{"error": "ExpiredToken", "message": "Token has expired"}``."""
    return FakeResponse(status, {"error": error, "message": message}, headers)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(kind: str, payload: dict[str, Any]) -> str:
    """A JWT-shaped token (header.payload.signature); the signature is not a real ES256K one,
    which no client checks: clients only decode the payload for ``exp``."""
    header = {"typ": "at+jwt" if kind == "access" else "refresh+jwt", "alg": "ES256K"}
    signing = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    return f"{signing}.{_b64(hashlib.sha256(signing.encode()).digest())}"


def jwt_payload(token: str) -> dict[str, Any] | None:
    """The payload of a JWT-shaped token, or None when it is not one."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    return decoded if isinstance(decoded, dict) else None


def new_tid(moment: datetime, clock_id: int) -> str:
    """A TID for ``moment``: microseconds since the epoch and a 10-bit clock id, base32."""
    micros = int(moment.timestamp() * 1_000_000)
    value = (micros << 10) | (clock_id & 1023)
    return "".join(B32_SORTABLE[(value >> (5 * i)) & 31] for i in range(12, -1, -1))


def cid_of(record: Any) -> str:
    """A CID-looking string that changes with the record (base32, 'bafyrei' prefix)."""
    digest = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).digest()
    return "bafyrei" + base64.b32encode(digest).decode().lower().rstrip("=")[:52]


def iso(moment: datetime) -> str:
    """atproto's datetime form: ``2027-03-03T01:35:12.000Z``."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.")
    return text + f"{moment.microsecond // 1000:03d}Z"


def parse_time(text: str) -> datetime:
    """An atproto datetime (RFC 3339 with ``Z`` or an offset)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def tag_facets(text: str) -> list[dict[str, Any]]:
    """Tag facets for a text written by another account (byte offsets of ``#tag``)."""
    facets = []
    for match in TAG_RE.finditer(text):
        start = len(text[: match.start()].encode())
        end = len(text[: match.end()].encode())
        facets.append(
            {
                "index": {"byteStart": start, "byteEnd": end},
                "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": match.group(1)}],
            }
        )
    return facets


def record_tags(record: dict[str, Any]) -> set[str]:
    """The tags a post is indexed under: its tag facets and its ``tags`` field, lower-cased."""
    found = {str(t).lower() for t in record.get("tags") or []}
    for facet in record.get("facets") or []:
        for feature in facet.get("features") or []:
            if feature.get("$type") == "app.bsky.richtext.facet#tag":
                found.add(str(feature.get("tag", "")).lower())
    return found


def reply_ref(parent: dict[str, Any]) -> dict[str, Any]:
    """A post record's ``reply`` for an answer to the stored post ``parent``: its thread's
    root (the parent's root, or the parent when it starts the thread) and the parent."""
    ref = {"uri": parent["uri"], "cid": parent["cid"]}
    return {"root": (parent["value"].get("reply") or {}).get("root") or ref, "parent": ref}
