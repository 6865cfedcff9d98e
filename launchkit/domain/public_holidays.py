"""Sessions that fall on public holidays where the host or the audience lives (pure).

The holidays come from the `holidays` package (imported when first needed), the countries
from the IANA zones (the caller hands in the zone → country table, tzdata's zone.tab). A
session is checked on its local date in each zone. A day between two public holidays at most
a week apart counts too: Christmas to New Year, Golden Week, Easter weekend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = ["HOLIDAY_WEEK_DAYS", "HolidaySession", "holiday_name", "holiday_sessions"]

# Two public holidays this close make the days between them a holiday week.
HOLIDAY_WEEK_DAYS = 7


@dataclass(frozen=True)
class HolidaySession:
    """A session on a public holiday: its start (the chat's zone) and why, per country."""

    start: datetime
    reasons: tuple[
        str, ...
    ]  # "Christmas Day (US)", "between Christmas Day and New Year's Day (GB)"

    def describe(self) -> str:
        """'Tue 29 Dec: between Christmas Day and New Year's Day (GB)'."""
        day = self.start
        return f"{day:%a} {day.day} {day:%b %Y}: " + "; ".join(self.reasons)


@lru_cache(maxsize=256)
def _year(country: str, year: int) -> dict[date, str]:
    import holidays

    try:
        found = holidays.country_holidays(country, years=year)
    except NotImplementedError:  # a country the package does not cover
        return {}
    return {day: str(name) for day, name in found.items()}


def holiday_name(country: str, day: date) -> str | None:
    """The public holiday on `day` in `country` (ISO 3166 code), or the two holidays it lies
    between (at most HOLIDAY_WEEK_DAYS apart), or None."""
    near: dict[date, str] = {}
    for year in (day.year - 1, day.year, day.year + 1):
        near.update(_year(country, year))
    if day in near:
        return near[day]
    before = max((d for d in near if d < day), default=None)
    after = min((d for d in near if d > day), default=None)
    if before and after and (after - before).days <= HOLIDAY_WEEK_DAYS:
        return f"between {near[before]} and {near[after]}"
    return None


def holiday_sessions(
    starts: Sequence[datetime], zones: Sequence[str], country_of: Mapping[str, str]
) -> list[HolidaySession]:
    """The sessions (aware starts) that fall on a public holiday in the country of any of
    `zones` (the chat's own and its audience's), on the local date in that zone."""
    found = []
    for start in starts:
        reasons: dict[str, None] = {}
        for zone in dict.fromkeys(zones):
            country = country_of.get(zone)
            if country is None:
                continue
            name = holiday_name(country, start.astimezone(ZoneInfo(zone)).date())
            if name:
                reasons[f"{name} ({country})"] = None
        if reasons:
            found.append(HolidaySession(start, tuple(reasons)))
    return found
