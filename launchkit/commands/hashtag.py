"""`launchkit hashtag check` and `hashtag suggest`: collision, guidance and live-usage reports.

Live usage is opt-in because X charges per count call: the CLI shows :func:`live_price` and
asks first, then calls :func:`check` with ``live=True``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from launchkit.domain.calendars.table import Calendar
from launchkit.domain.hashtag.advice import USABLE_VERDICTS, UsageReport, validity_problems
from launchkit.domain.hashtag.check import HashtagReport, check_hashtag, normalise_candidate
from launchkit.domain.hashtag.collisions import build_index
from launchkit.domain.hashtag.meeting import PlannedSlot
from launchkit.domain.hashtag.suggest import Suggestion, suggest_hashtags
from launchkit.errors import UsageError
from launchkit.settings import Settings

__all__ = ["HashtagCheck", "HashtagSuggestions", "check", "live_price", "suggest"]


@dataclass(frozen=True)
class HashtagCheck:
    """Reports for every candidate, and which calendar they were checked against."""

    calendar_source: str
    calendar_rows: int
    reports: tuple[HashtagReport, ...]
    warnings: tuple[str, ...]

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


def _load(source: str | None, settings: Settings) -> Calendar:
    from launchkit.commands.calendar_data import load_calendar

    return load_calendar(source, settings)


def billable_tags(tags: Sequence[str]) -> list[str]:
    """The candidates a live X count would be paid for: the valid ones."""
    return [t for t in map(normalise_candidate, tags) if not validity_problems(t)]


def live_price(settings: Settings, tags: Sequence[str]) -> tuple[int, float]:
    """(count calls, US dollars) a `--live` check would cost; nothing without a bearer token."""
    if not settings.x_bearer_token:
        return 0, 0.0
    calls = len(billable_tags(tags))
    return calls, calls * settings.price_count_usd


def _live_usage(settings: Settings, tag: str) -> Mapping[str, UsageReport]:
    from launchkit.adapters import mastodon, x_counts

    return {
        "x": x_counts.recent_count(settings, tag),
        "mastodon": mastodon.tag_history(settings, tag),
    }


def _not_asked() -> Mapping[str, UsageReport]:
    reason = "not asked (add --live)"
    return {
        "x": UsageReport("x", checked=False, reason=reason),
        "mastodon": UsageReport("mastodon", checked=False, reason=reason),
    }


def check(
    tags: Sequence[str],
    settings: Settings,
    *,
    calendar: str | None = None,
    live: bool = False,
    slot: PlannedSlot | None = None,
    today: date | None = None,
) -> HashtagCheck:
    """Check each candidate against the calendar (and live usage when `live`)."""
    if not tags:
        raise UsageError("give at least one hashtag", hint="e.g. launchkit hashtag check '#MyChat'")
    if any(not t.strip().lstrip("#＃").strip() for t in tags):
        raise UsageError(
            "an empty hashtag was given", hint="e.g. launchkit hashtag check '#MyChat'"
        )
    loaded = _load(calendar, settings)
    index = build_index(loaded.entries)
    reports = []
    for raw in tags:
        tag = normalise_candidate(raw)
        usage = _not_asked()
        if live and not validity_problems(tag):
            usage = _live_usage(settings, tag)
        reports.append(check_hashtag(tag, index, slot=slot, on=today or date.today(), usage=usage))
    return HashtagCheck(loaded.source, len(loaded.entries), tuple(reports), loaded.warnings)


def suggest(
    words: Sequence[str], settings: Settings, *, calendar: str | None = None, limit: int = 10
) -> HashtagSuggestions:
    """Clear hashtags built from the topic words, shortest and clearest first."""
    if not any(w.strip() for w in words):
        raise UsageError(
            "give a few topic words", hint="e.g. launchkit hashtag suggest indie games"
        )
    loaded = _load(calendar, settings)
    found, checked = suggest_hashtags(words, build_index(loaded.entries), limit=limit)
    return HashtagSuggestions(loaded.source, tuple(found), checked)
