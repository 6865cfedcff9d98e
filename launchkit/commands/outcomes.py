"""Honest exits: what a run left undelivered, and the one error that says so.

`post` and `invite` (and every sending command to come) list the rows they leave `failed`;
the CLI raises `failures_error(...)` so the run ends non-zero with one line per row (what,
when, why) and how to send them again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from launchkit.domain.items import ItemRef
from launchkit.errors import RowsFailed

__all__ = ["Failure", "failures_error"]


@dataclass(frozen=True)
class Failure:
    """A row left failed: which item, its text (a post) or subject (an email), and why."""

    ref: ItemRef
    text: str
    error: str


def failures_error(failures: Sequence[Failure], retry: str, zone: str | None = None) -> RowsFailed:
    """`2 posts failed:` then a line per row (due times in `zone`, else UTC); `retry` is the
    command that sends them again."""
    from zoneinfo import ZoneInfo

    count = len(failures)
    kinds = {"email" if f.ref.channel == "email" else "post" for f in failures}
    noun = kinds.pop() if len(kinds) == 1 else "item"
    lines = [f"{count} {noun}{'s' if count != 1 else ''} failed:"]
    for failure in failures:
        first = (failure.text.splitlines() or [""])[0]
        short = first if len(first) <= 48 else first[:47] + "…"
        local = failure.ref.due_utc.astimezone(ZoneInfo(zone or "UTC"))
        due = f"{local:%Y-%m-%d %H:%M} {local.tzname()}"
        lines.append(f"  {failure.ref.key} (due {due}) {short!r}: {failure.error}")
    return RowsFailed("\n".join(lines), hint=f"fix the cause, then `{retry}` sends them again")
