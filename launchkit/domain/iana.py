"""Time zone names a person types: one rule for chat.yaml, the wizard and every --tz flag.

An IANA name is accepted in any case and stored as IANA spells it (`america/new_york` →
`America/New_York`); so is a zone as chat listings write it, when that is the whole text
(`ET`, `Eastern`, `PT`: see domain/zones.py). Anything else is refused with the closest
IANA names.

>>> iana_zone("america/new_york")
'America/New_York'
>>> iana_zone("ET")
'America/New_York'
>>> try:
...     iana_zone("Europe/Londn")
... except UnknownZone as exc:
...     print(exc.message, "/", exc.hint)
'Europe/Londn' is not an IANA time zone / did you mean Europe/London, Europe/Lisbon or Europe/Oslo?
"""

from __future__ import annotations

from functools import lru_cache

from launchkit.domain.zones import closest_zone_names, find_zones

__all__ = ["UnknownZone", "iana_zone", "is_iana_zone"]

EXAMPLES = "e.g. America/New_York or Europe/London"


class UnknownZone(ValueError):
    """A text that names no time zone; `hint` suggests the closest IANA names."""

    def __init__(self, text: str, suggestions: list[str]) -> None:
        self.text = text
        self.suggestions = tuple(suggestions)
        self.message = f"{text!r} is not an IANA time zone"
        super().__init__(self.message)

    @property
    def hint(self) -> str:
        """`did you mean A or B?`, or an example of an IANA name."""
        if not self.suggestions:
            return f"use an IANA name, {EXAMPLES}"
        *rest, last = self.suggestions
        return "did you mean " + (f"{', '.join(rest)} or {last}" if rest else last) + "?"

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})"


@lru_cache(maxsize=1)
def _by_lower() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {name.lower(): name for name in available_timezones()}


def iana_zone(text: str) -> str:
    """The IANA name of the zone `text` names (see the module docstring); UnknownZone if none."""
    name = text.strip()
    found = _by_lower().get(name.lower())
    if found:
        return found
    for mention in find_zones(name):
        if mention.iana and mention.start == 0 and mention.end == len(name):
            return mention.iana
    raise UnknownZone(text, closest_zone_names(name))


def is_iana_zone(text: str) -> bool:
    """True when `text` is exactly an IANA zone name (as $TZ and /etc/localtime give them)."""
    return _by_lower().get(text.lower()) == text
