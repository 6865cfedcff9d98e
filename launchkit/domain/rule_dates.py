"""Which dates a chat's RRULE meets on: whether `schedule.first` is one of them, and the
rule's nearest dates when it is not (pure).

RFC 5545 leaves a DTSTART that its rule does not produce undefined: some calendar apps show
the first date, others skip it, so a Monday chat whose first date is a Wednesday starts on
dates no one chose. launchkit refuses such a first date and names the dates that would do.
"""

from __future__ import annotations

from datetime import MAXYEAR, date, datetime, time, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateutil.rrule import rrule

__all__ = ["first_date_problem"]

# How far from an off-rule first date to look for the rule's dates: a "5th Monday" chat can
# wait three months for its next date; a yearly one, a year.
_NEAREST_DAYS = 400
_EVER_YEARS = 40


def _meets_on(rule: rrule, day: date) -> bool:
    """Whether `rule`, started on `day`, meets on `day` (RFC 5545 leaves a DTSTART off its
    rule undefined; launchkit requires the first date to be on it)."""
    start = datetime.combine(day, time())
    return bool(rule.replace(dtstart=start).after(start, inc=True) == start)


def _meets_ever(rule: rrule, first: date) -> bool:
    """Whether `rule` meets at all. dateutil looks for a rule's next date up to the year 9999,
    which takes seconds for a rule that never meets (31 February), so it is asked about the
    last 40 years only: every rule that meets does so within 40 years (29 February on a
    Monday comes every 28 years or so)."""
    year = MAXYEAR - _EVER_YEARS
    try:
        start = datetime.combine(first.replace(year=year), time())
    except ValueError:  # 29 February in a common year
        start = datetime.combine(first.replace(year=year + 1), time())
    return rule.replace(dtstart=start).after(start, inc=True) is not None


def first_date_problem(rrule_text: str, first: date) -> str | None:
    """Why `first` cannot start a chat on `rrule_text` (a Wednesday for a Monday rule), naming
    the rule's nearest dates on either side; None when it can.

    >>> first_date_problem("FREQ=WEEKLY;BYDAY=MO", date(2027, 1, 13))
    '2027-01-13 is a Wednesday; the rule FREQ=WEEKLY;BYDAY=MO meets on 2027-01-11 or 2027-01-18'
    """
    from dateutil.rrule import rrule, rrulestr

    # Where the rule ends does not decide which dates it meets on.
    parts = [p for p in rrule_text.split(";") if p.split("=")[0].upper() not in ("COUNT", "UNTIL")]
    rule = rrulestr(";".join(parts), dtstart=datetime.combine(first, time()))
    if not isinstance(rule, rrule):  # one RRULE line never makes a set
        return None
    if not _meets_ever(rule, first):
        return f"the rule {rrule_text} meets on no date (starting {first.isoformat()})"
    if _meets_on(rule, first):
        return None
    days = [timedelta(days=n) for n in range(1, _NEAREST_DAYS)]
    before = next((first - d for d in days if _meets_on(rule, first - d)), None)
    after = next((first + d for d in days if _meets_on(rule, first + d)), None)
    near = " or ".join(d.isoformat() for d in (before, after) if d is not None)
    meets = f"meets on {near}" if near else f"meets on no date within {len(days)} days of it"
    return f"{first.isoformat()} is a {first:%A}; the rule {rrule_text} {meets}"
