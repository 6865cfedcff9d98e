"""`launchkit hashtag check` and `hashtag suggest`: collision, guidance and live-usage reports.

Live usage is opt-in because X charges per count call: the CLI shows :func:`live_price` and
asks first, then calls :func:`check` with a `live_usage` lookup (the runtime's).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from launchkit import resources
from launchkit.domain.calendars.table import Calendar, CalendarEntry
from launchkit.domain.hashtag.advice import USABLE_VERDICTS, UsageReport, validity_problems
from launchkit.domain.hashtag.check import HashtagReport, check_hashtag, normalise_candidate
from launchkit.domain.hashtag.collisions import (
    CalendarRow,
    Collision,
    TagIndex,
    build_index,
    find_collisions,
)
from launchkit.domain.hashtag.meeting import PlannedSlot
from launchkit.domain.hashtag.reference import ReferenceData
from launchkit.domain.hashtag.suggest import Suggestion, suggest_hashtags
from launchkit.domain.networks import NETWORKS
from launchkit.errors import UsageError
from launchkit.settings import Settings

__all__ = [
    "HashtagCheck",
    "HashtagSuggestions",
    "check",
    "live_price",
    "suggest",
    "tag_index",
]


@dataclass(frozen=True)
class HashtagCheck:
    """Reports for every candidate, and which calendar they were checked against."""

    calendar_source: str
    calendar_rows: int
    reports: tuple[HashtagReport, ...]
    warnings: tuple[str, ...]
    # Per report: rows an audit found stale whose tag it would have hit (free to reuse).
    reusable: tuple[tuple[Collision, ...], ...] = ()

    @property
    def usable(self) -> bool:
        """Every tag is clear or caution (`hashtag check` exits 1 otherwise, like a linter)."""
        return all(report.verdict in USABLE_VERDICTS for report in self.reports)


@dataclass(frozen=True)
class HashtagSuggestions:
    """The clear candidates, best first, out of how many were generated and checked."""

    calendar_source: str
    suggestions: tuple[Suggestion, ...]
    checked: int


def billable_tags(tags: Sequence[str]) -> list[str]:
    """The candidates a live X count would be paid for: the valid ones."""
    return [t for t in map(normalise_candidate, tags) if not validity_problems(t)]


def live_price(settings: Settings, tags: Sequence[str]) -> tuple[int, float]:
    """(count calls, US dollars) a `--live` check would cost; nothing without a bearer token."""
    if not settings.x_bearer_token:
        return 0, 0.0
    calls = len(billable_tags(tags))
    return calls, calls * settings.price_count_usd


# A hashtag -> its recent use on each network (X, Mastodon, Bluesky); see Runtime.live_usage.
UsageLookup = Callable[[str], Mapping[str, UsageReport]]


def _not_asked() -> Mapping[str, UsageReport]:
    reason = "not asked (add --live)"
    return {name: UsageReport(name, checked=False, reason=reason) for name in NETWORKS}


def check(
    tags: Sequence[str],
    calendar: Calendar,
    *,
    today: date,
    live_usage: UsageLookup | None = None,
    slot: PlannedSlot | None = None,
    stale: Sequence[CalendarEntry] = (),
) -> HashtagCheck:
    """Check each candidate against the calendar (and live usage when a lookup is given).

    `stale` holds rows an audit found dead, left out of `calendar`: a tag they would have
    hit is listed as reusable rather than taken.
    """
    if not tags:
        raise UsageError("give at least one hashtag", hint="e.g. launchkit hashtag check '#MyChat'")
    if any(not t.strip().lstrip("#＃").strip() for t in tags):
        raise UsageError(
            "an empty hashtag was given", hint="e.g. launchkit hashtag check '#MyChat'"
        )
    loaded = calendar
    index = tag_index(loaded.entries)
    dead = tag_index(stale) if stale else None
    reports = []
    reusable = []
    for raw in tags:
        tag = normalise_candidate(raw)
        usage = _not_asked()
        if live_usage is not None and not validity_problems(tag):
            usage = live_usage(tag)
        reports.append(check_hashtag(tag, index, slot=slot, on=today, usage=usage))
        valid = dead is not None and not validity_problems(tag)
        reusable.append(tuple(find_collisions(tag, dead)) if valid and dead else ())
    return HashtagCheck(
        loaded.source,
        len(loaded.entries),
        tuple(reports),
        loaded.warnings,
        tuple(reusable) if dead else (),
    )


def suggest(words: Sequence[str], calendar: Calendar, *, limit: int = 10) -> HashtagSuggestions:
    """Clear hashtags built from the topic words, shortest and clearest first."""
    if not any(w.strip() for w in words):
        raise UsageError(
            "give a few topic words", hint="e.g. launchkit hashtag suggest indie games"
        )
    found, checked = suggest_hashtags(words, tag_index(calendar.entries), limit=limit)
    return HashtagSuggestions(calendar.source, tuple(found), checked)


def tag_index(entries: Iterable[CalendarRow]) -> TagIndex:
    """The calendar's hashtags indexed for checks, with the bundled word list and confusables
    (each read only when a check needs it)."""
    return build_index(
        entries, ReferenceData(resources.word_costs, resources.confusable_prototypes)
    )
