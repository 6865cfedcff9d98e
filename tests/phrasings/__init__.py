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

__all__ = ["CALENDAR_MIX", "Expected", "Phrasing", "phrasing", "phrasings"]

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


# A real calendar is mostly plain weekly and monthly rows; the tests weigh the hard kinds up.
CALENDAR_MIX = {
    "plain": 70, "daypart": 3, "two_sessions": 6, "per_zone": 4, "restated": 6,
    "dated_weekly": 3, "dated_fortnightly": 3, "ordinal_range": 3, "regional": 1, "hedged": 1,
}  # fmt: skip


def phrasing(
    rnd: random.Random, remarks: float = 0.7, mix: dict[str, int] | None = None
) -> Phrasing:
    """One schedule phrasing with its known answer. `remarks` is how often filler words and
    trailing remarks are added; `mix` weighs the kinds by name (default: the tests' mix)."""
    d = Draft(rnd)
    weights = [w if mix is None else mix.get(k.__name__, 0) for k, w in KINDS]
    maker = rnd.choices([k for k, _ in KINDS], weights=weights)[0]
    made = maker(d)
    text = made.text
    if rnd.random() < remarks:
        text = rnd.choice(_BEFORE) + text + rnd.choice(_AFTER)
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


def phrasings(
    n: int, seed: int, remarks: float = 0.7, mix: dict[str, int] | None = None
) -> list[Phrasing]:
    """`n` phrasings from a fixed seed (the same list every time)."""
    rnd = random.Random(seed)
    return [phrasing(rnd, remarks, mix) for _ in range(n)]
