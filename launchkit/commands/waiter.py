"""Every wait of a command, in one place: bounded by `--until` and announced when long.

Commands never print; the CLI hands in `notify` (the console's, shown at a terminal) and the
sleep (tests pass a fake clock's). A wait longer than NOTICE is announced before it starts,
with the moment it ends, so a person at the terminal never watches a silent process.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = ["NOTICE", "Waiter", "describe_wait"]

NOTICE = timedelta(seconds=5)


def describe_wait(wait: timedelta) -> str:
    """`45 s`, `3 min 20 s`, `1 h 05 min`: a wait in words a person reads at a glance."""
    seconds = int(wait.total_seconds() + 0.5)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min" + (f" {seconds:02d} s" if seconds else "")
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


@dataclass
class Waiter:
    """Sleeps of one run: the clock, the sleep, where notices go, and the `--until` bound."""

    clock: Callable[[], datetime]
    sleep: Callable[[float], None]
    notify: Callable[[str], None] = lambda text: None
    until: datetime | None = None
    zone: str | None = None  # the zone times are shown in (the chat's; None: UTC)

    def moment_text(self, moment: datetime, *, date: bool = False) -> str:
        """`01:01:15 EST` (with `date`: `2027-01-12 01:01 EST`) in the run's zone."""
        from zoneinfo import ZoneInfo

        local = moment.astimezone(ZoneInfo(self.zone) if self.zone else UTC)
        shown = f"{local:%Y-%m-%d %H:%M}" if date else f"{local:%H:%M:%S}"
        return f"{shown} {local.tzname()}"

    def fits(self, wait: timedelta) -> bool:
        """True when a wait of this length ends before `--until` (or there is none)."""
        return self.until is None or self.clock() + wait <= self.until

    def announce(self, wait: timedelta, why: str) -> None:
        """Tell a person about a long wait: how long, until when (UTC), and why."""
        if wait >= NOTICE:
            end = self.moment_text(self.clock() + wait)
            self.notify(f"waiting {describe_wait(wait)}, until {end}: {why}")

    def wait(self, wait: timedelta, why: str) -> None:
        """Announce (when long) and sleep; never past `--until`."""
        if self.until is not None:
            wait = min(wait, max(self.until - self.clock(), timedelta(0)))
        self.announce(wait, why)
        self.sleep(max(wait.total_seconds(), 0.0))
