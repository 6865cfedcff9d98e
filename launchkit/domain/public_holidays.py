"""Sessions that fall on a public holiday where the host or the audience lives (pure).

The dates come from the `holidays` package (its rules for each country, in English), never
from a list of our own. A session is on a holiday in a country when its start, read in the
zone of that country, falls on one: a Tuesday 20:00 New York chat is Wednesday morning in
Sydney, so Australia Day on a Wednesday counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

__all__ = ["Holiday", "HolidaySession", "sessions_on_holidays"]


@dataclass(frozen=True)
class Holiday:
    """A public holiday in one of the chat's countries."""

    name: str  # "Thanksgiving Day"
    country: str  # ISO 3166 code
    zone: str  # the chat's zone in that country


@dataclass(frozen=True)
class HolidaySession:
    """A session and the holidays it falls on."""

    start: datetime  # aware, in the chat's zone
    holidays: tuple[Holiday, ...]

    def describe(self) -> str:
        """`2027-11-25: Thanksgiving Day (US)`."""
        names = ", ".join(f"{h.name} ({h.country})" for h in self.holidays)
        return f"{self.start.date()}: {names}"


def sessions_on_holidays(
    starts: Sequence[datetime], places: Sequence[tuple[str, str]]
) -> list[HolidaySession]:
    """The sessions among `starts` that fall on a holiday of one of `places` (zone, country
    code); a country the package does not know is left out."""
    import holidays

    calendars: dict[str, Any] = {}
    years = sorted({s.year for s in starts} | {s.year + 1 for s in starts})
    found = []
    for start in starts:
        hits: list[Holiday] = []
        for zone, country in places:
            if country not in calendars:
                try:
                    calendars[country] = holidays.country_holidays(
                        country, years=years, language="en_US"
                    )
                except NotImplementedError:
                    calendars[country] = {}
            local = start.astimezone(ZoneInfo(zone)).date()
            name = calendars[country].get(local)
            if name and not any(h.country == country for h in hits):
                hits.append(Holiday(str(name), country, zone))
        if hits:
            found.append(HolidaySession(start, tuple(hits)))
    return found
