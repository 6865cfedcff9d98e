"""Flag values read one way everywhere: each reader turns a bad value into one UsageError that
names the flag, with the rule's own message and hint (domain/iana.py, domain/timetext.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from launchkit.domain.iana import UnknownZone, iana_zone
from launchkit.domain.timetext import parse_date, parse_duration
from launchkit.errors import UsageError

__all__ = ["date_flag", "duration_flag", "key_values", "until_flag", "zone_flag"]


def zone_flag(flag: str, text: str) -> str:
    """The IANA zone a flag names (`--tz america/new_york`, `--tz ET`), canonically spelt."""
    try:
        return iana_zone(text)
    except UnknownZone as exc:
        raise UsageError(f"{flag}: {exc.message}", hint=exc.hint) from None


def date_flag(flag: str, text: str | None) -> date | None:
    """A YYYY-MM-DD flag (None when not given)."""
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}", hint="write YYYY-MM-DD, e.g. 2027-01-12") from None


def duration_flag(flag: str, text: str, units: str, example: str) -> timedelta:
    """A duration flag in some of s, m, h, d, w (`--shift 7d`)."""
    try:
        return parse_duration(text, units)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}", hint=f"e.g. {flag} {example}") from None


def key_values(
    flag: str, items: Iterable[str] | None, example: str, *, empty_ok: bool = False
) -> dict[str, str]:
    """Repeated KEY=VALUE flags as a mapping (keys lower-cased; later ones win); an empty
    VALUE is allowed only when `empty_ok`."""
    pairs: dict[str, str] = {}
    for item in items or ():
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not (value.strip() or empty_ok):
            raise UsageError(f"{flag} {item!r} is not KEY=VALUE", hint=f"e.g. {flag} {example}")
        pairs[key.strip().lower()] = value.strip()
    return pairs


def until_flag(text: str, now: datetime) -> datetime:
    """`--until`: a duration from now (90m, 2h), a clock time (21:00, this computer's zone,
    the next time it comes round) or an ISO date-time (no zone: this computer's)."""
    raw = text.strip()
    if re.fullmatch(r"\+?\d+\s*[a-z]", raw):
        return now + duration_flag("--until", raw.lstrip("+"), "smhd", "90m")
    clock = re.fullmatch(r"(\d{1,2}):(\d{2})", raw)
    if clock:
        local_now = now.astimezone()
        moment = local_now.replace(hour=int(clock[1]), minute=int(clock[2]), second=0)
        return moment if moment > local_now else moment + timedelta(days=1)
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise UsageError(
            f"--until {text!r} is neither a date-time nor a duration",
            hint="e.g. --until 2027-03-14T21:00, --until 21:00+00:00 or --until 90m",
        ) from None
    return moment if moment.tzinfo else moment.astimezone()
