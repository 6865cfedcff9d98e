"""The social networks a chat posts to, and each one's rules (pure, no I/O).

- `text_rules`: how long a post may be on each network, and by how much a text is too long;
- `facets`: Bluesky's rich-text facets (hashtags and links with UTF-8 byte offsets);
- `identity`: what makes a retry harmless (Mastodon's Idempotency-Key, Bluesky's record key)
  and the account's own posts a row in an unknown state is matched against.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["DEFAULT_NETWORKS", "NETWORKS", "Network", "check_networks", "network_label"]

Network = Literal["x", "mastodon", "bluesky"]
NETWORKS: tuple[Network, ...] = ("x", "mastodon", "bluesky")
DEFAULT_NETWORKS: tuple[Network, ...] = ("x",)

_LABELS: dict[str, str] = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky"}


def network_label(network: str) -> str:
    """The network's name as a person writes it ("X", "Mastodon", "Bluesky")."""
    return _LABELS.get(network, network)


def check_networks(names: list[str]) -> list[str]:
    """chat.yaml's `networks`: a non-empty list of known networks, each once, in the order
    given; a ValueError names what is wrong."""
    if not names:
        raise ValueError("list at least one network: " + ", ".join(NETWORKS))
    cleaned = [str(n).strip().lower() for n in names]
    unknown = [n for n in cleaned if n not in NETWORKS]
    if unknown:
        raise ValueError(
            f"{unknown[0]!r} is not a network launchkit posts to (use {', '.join(NETWORKS)})"
        )
    if len(set(cleaned)) != len(cleaned):
        raise ValueError("a network is listed twice")
    return cleaned
