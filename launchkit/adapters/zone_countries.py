"""Which country a time zone is in, by the IANA database's own table (tzdata's zone.tab).

Read once, on first use: only `schedule`'s holiday check (and the wizard's) needs it. Old
names (US/Eastern) are found through the links in tzdata.zi.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

__all__ = ["countries_of", "zone_country"]


@functools.cache
def _countries() -> dict[str, str]:
    from importlib import resources

    folder = resources.files("tzdata").joinpath("zoneinfo")
    found: dict[str, str] = {}
    for line in folder.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            code, _, zone = line.split("\t")[:3]
            found[zone] = code
    for line in folder.joinpath("tzdata.zi").read_text(encoding="utf-8").splitlines():
        if line.startswith("L "):
            _, target, link = line.split()[:3]
            if target in found:
                found.setdefault(link, found[target])
    return found


def zone_country(zone: str) -> str | None:
    """The ISO 3166 code of the country `zone` is in (`Europe/London` → GB), or None for
    zones of no country (UTC, Etc/GMT+5)."""
    return _countries().get(zone)


def countries_of(zones: Iterable[str]) -> dict[str, str]:
    """Each of `zones` that is in a country, with that country's ISO 3166 code."""
    return {zone: country for zone in zones if (country := zone_country(zone))}
