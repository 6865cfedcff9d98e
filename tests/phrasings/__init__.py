"""A grammar of chat-schedule phrasings with known answers, for property tests and benchmarks.

`phrasing(rnd)` writes one schedule the way hosts write them (days, nth weekdays, cadences,
12/24-hour times, ranges, lengths in words, zones by abbreviation, name, offset or city,
several sessions, a session per zone, a time restated in other zones, a dated session plus
the rule, a range plus a monthly ordinal, zones that only the chat's context settles, filler
and trailing remarks), with what it says: its zone and sessions, and whether the text says
all of it (`certain`). A parser may read a certain phrasing as `ok` only with exactly that
answer, and an uncertain one (no zone, fortnightly without a dated first session, a vague
length, a restatement that does not agree, a hedge) never as `ok`.

Standard library only: the benchmarks import it without the test suite's dependencies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from tests.phrasings.kinds import KINDS
from tests.phrasings.pieces import Draft, Expected

__all__ = ["Expected", "Phrasing", "phrasing", "phrasings"]

_BEFORE = (
    "",
    "",
    "",
    "Join us ",
    "Chat: ",
    "We meet ",
    "Our chat is held ",
    "Live on X ",
    "#TeachChat meets ",
    "When: ",
)
# Remarks that change nothing a careful reader takes from the schedule.
_AFTER = (
    "",
    "",
    "",
    ". All welcome!",
    " - bring a friend",
    ". Hosted by @ana_writes.",
    ". Questions go out 10 minutes before.",
    " (follow the hashtag)",
    ". Founded 2015.",
    ". See you there!",
    ". Chat for teachers in Chicago.",
    "!",
    " #edchat",
    ". Q1 drops at the top of the hour.",
    ". Transcripts posted afterwards.",
)


@dataclass(frozen=True)
class Phrasing:
    """A schedule text, the row's zone column and context, and what the text says."""

    text: str
    tz: str | None
    sessions: tuple[Expected, ...]
    certain: bool
    kind: str
    tz_hint: str | None = None
    context: str = ""
    first: date | None = None  # the dated first session of a fortnightly rule


def phrasing(rnd: random.Random) -> Phrasing:
    """One schedule phrasing with its known answer."""
    d = Draft(rnd)
    maker = rnd.choices([k for k, _ in KINDS], weights=[w for _, w in KINDS])[0]
    made = maker(d)
    text = rnd.choice(_BEFORE) + made.text + rnd.choice(_AFTER)
    return Phrasing(
        text,
        made.tz,
        made.sessions,
        d.certain,
        maker.__name__,
        made.tz_hint,
        made.context,
        made.first,
    )


def phrasings(n: int, seed: int) -> list[Phrasing]:
    """`n` phrasings from a fixed seed (the same list every time)."""
    rnd = random.Random(seed)
    return [phrasing(rnd) for _ in range(n)]
