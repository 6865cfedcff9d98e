"""Reading a big calendar's schedules on the machine's other cores.

A calendar of 100,000 rows holds tens of thousands of distinct schedules, each read in pure
Python (about a tenth of a millisecond). With a spare core, this process reads one share of
them while forked worker processes read the others. A reading depends only on its text, zone
and row context, so the answer is the one `read_in_turn` gives; small calendars, one-core
machines, systems without a safe fork and processes running other threads read in turn, and
so does a share whose worker died (killed for memory, say): the parse never waits forever.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Sequence
from datetime import date

from launchkit.domain.calendars.table import ScheduleText, read_in_turn
from launchkit.domain.schedule import ScheduleParse, SessionRule, Status

# Each process reads at least this many texts (about a quarter of a second): below that,
# starting a worker and sending its answers back costs more than it saves.
MIN_SHARE = 2500
# Workers beyond this gain little and each holds a copy-on-write image of this process.
MAX_WORKERS = 3

# A reading as plain tuples: unpickled many times faster than the dataclasses themselves.
_FlatSession = tuple[str, str | None, int, str | None, date | None]
_FlatParse = tuple[Status, str | None, tuple[_FlatSession, ...], tuple[str, ...]]


def read_schedules(
    texts: Sequence[ScheduleText], *, workers: int | None = None, min_share: int = MIN_SHARE
) -> list[ScheduleParse]:
    """What `read_in_turn(texts)` returns, read in this process and up to `workers` forked
    ones (default: the spare cores, at most MAX_WORKERS) when there are enough texts."""
    spare = min(_spare_cores(), MAX_WORKERS) if workers is None else workers
    processes = min(spare + 1, len(texts) // max(min_share, 1))
    if processes < 2 or not _fork_is_safe():
        return read_in_turn(texts)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = -(-len(texts) // processes)
    shares = [texts[at : at + size] for at in range(0, len(texts), size)]
    # ProcessPoolExecutor, not multiprocessing.Pool: when a worker dies, Pool waits forever
    # for its answer, the executor says so (BrokenProcessPool).
    with ProcessPoolExecutor(len(shares) - 1, multiprocessing.get_context("fork")) as pool:
        theirs = [pool.submit(_read_flat, share) for share in shares[1:]]
        parses = read_in_turn(shares[0])
        rules: dict[_FlatSession, SessionRule] = {}
        for share, future in zip(shares[1:], theirs, strict=True):
            try:
                parses.extend(_unflatten(future.result(), rules))
            except BrokenProcessPool:
                parses.extend(read_in_turn(share))
    return parses


def _fork_is_safe() -> bool:
    """Whether forking hands the workers this process's loaded parser safely: on Linux, with
    no other thread running (a thread holding a lock at the fork leaves it held for ever in
    the child; an HTTP deadline's timer may still be winding down after a download), and not
    in a daemonic worker of someone else's pool (multiprocessing refuses it children)."""
    import multiprocessing

    # Elsewhere fork is missing (Windows) or unsafe with system libraries (macOS).
    return (
        sys.platform.startswith("linux")
        and threading.active_count() == 1
        and not multiprocessing.current_process().daemon
    )


def _spare_cores() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores - 1


def _read_flat(texts: Sequence[ScheduleText]) -> list[_FlatParse]:
    """In a worker: the readings of `texts`, flattened for the trip back."""
    return [
        (
            p.status,
            p.tz,
            tuple((s.rrule, s.start, s.duration_min, s.tz, s.first) for s in p.sessions),
            p.problems,
        )
        for p in read_in_turn(texts)
    ]


def _unflatten(
    flat: list[_FlatParse], rules: dict[_FlatSession, SessionRule]
) -> list[ScheduleParse]:
    """Readings rebuilt from `_read_flat`; equal sessions become one (immutable) object."""
    parses = []
    for status, tz, sessions, problems in flat:
        built = []
        for session in sessions:
            rule = rules.get(session)
            if rule is None:
                rule = rules[session] = SessionRule(*session)
            built.append(rule)
        parses.append(ScheduleParse(status, tz, tuple(built), problems))
    return parses
