"""How long to wait before trying again, and when to stop trying (pure; every network).

Every wait of the send loop comes from here, so each has a bound:

- a failure that may pass (5xx, a timeout) is retried after a capped exponential backoff,
  a fixed number of times;
- a rate limit (429) is waited out until the reset the server names when that is in the
  future, else (no reset, or one already past) after a capped backoff; at most a fixed
  number of times per item.

The caller adds the third bound: no wait runs past `--until`.

>>> policy = RetryPolicy()
>>> [backoff(n, policy.transient_base, policy.cap).total_seconds() for n in (1, 2, 3, 9)]
[2.0, 4.0, 8.0, 300.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["RetryPolicy", "backoff", "rate_limit_wait"]


@dataclass(frozen=True)
class RetryPolicy:
    """The bounds of every retry: how often, how long, how long at most."""

    attempts: int = 4  # tries of one request when it fails in a way that may pass (5xx)
    rate_limit_waits: int = 3  # 429s waited out for one item before the run stops
    transient_base: timedelta = timedelta(seconds=2)
    rate_limit_base: timedelta = timedelta(seconds=15)  # a 429 without a usable reset
    cap: timedelta = timedelta(minutes=5)  # the longest backoff
    margin: timedelta = timedelta(seconds=1)  # past a named reset, so the window has turned


def backoff(attempt: int, base: timedelta, cap: timedelta) -> timedelta:
    """`base` doubled for each attempt after the first (1-based), never more than `cap`."""
    if attempt < 1:
        raise ValueError("attempts count from 1")
    # Doubling stops early: 2**attempt for a large attempt would overflow a timedelta.
    wait = base
    for _ in range(attempt - 1):
        wait *= 2
        if wait >= cap:
            return cap
    return min(wait, cap)


def rate_limit_wait(
    reset_at: datetime | None, now: datetime, attempt: int, policy: RetryPolicy
) -> timedelta:
    """After the `attempt`-th 429 (1-based): until the named reset when it is still ahead,
    else a capped backoff (a reset already past, or none, is no reason to hammer the API)."""
    if reset_at is not None and reset_at > now:
        return reset_at - now + policy.margin
    return backoff(attempt, policy.rate_limit_base, policy.cap)
