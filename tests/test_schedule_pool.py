"""A big calendar's schedules read on several processes: the calendar, its JSON and every
row's reading are exactly those of reading them one after another."""

from __future__ import annotations

import multiprocessing
import os
import random
import threading
from functools import partial
from multiprocessing.queues import Queue

import pytest

from launchkit.adapters import schedule_pool
from launchkit.adapters.schedule_pool import read_schedules
from launchkit.domain.calendars.table import build_calendar, entries_json, read_in_turn
from tests.phrasings import phrasing


def _calendar_rows(n: int) -> list[list[str]]:
    """A calendar of generated phrasings, some repeated, some settled only by their row
    ("8pm IST" on an Indian chat), as a table with its header."""
    rnd = random.Random(41)
    rows = [["Hashtag", "Name", "Schedule", "Timezone", "Topic"]]
    for i in range(n):
        if i and rnd.random() < 0.3:
            rows.append([f"#chat{i}", *rows[rnd.randrange(1, len(rows))][1:]])
            continue
        p = phrasing(rnd)
        rows.append([f"#chat{i}", f"Chat {i}", p.text, p.tz_hint or "", p.context or "books"])
    rows.append(["#desi", "Desi writers", "Sundays 8pm IST", "", "Mumbai"])
    rows.append(["#eire", "Irish writers", "Sundays 8pm IST", "", "Dublin"])
    return rows


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The processes forked during the test (so a test of the pool knows it used one).

    The pool refuses to fork while other threads run, and earlier tests in this pytest
    process may leave idle daemon threads behind (their local servers' handlers): the pool
    is told this process has only its own thread, else it would read in turn and these tests
    would check nothing. `test_no_fork_while_another_thread_runs` checks the refusal."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    made: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        pid = real_fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted_fork)
    return made


@pytest.mark.parametrize("workers", [1, 3])
def test_a_calendar_read_on_several_processes_reads_the_same(
    workers: int, forks: list[int]
) -> None:
    table = _calendar_rows(600)
    alone = build_calendar("cal.csv", table, read=read_in_turn)
    shared = build_calendar(
        "cal.csv", table, read=partial(read_schedules, workers=workers, min_share=50)
    )
    assert shared == alone
    assert entries_json(shared.entries) == entries_json(alone.entries)
    zones = {e.hashtag: e.parse.tz for e in shared.entries}
    assert (zones["#desi"], zones["#eire"]) == ("Asia/Kolkata", "Europe/Dublin")
    assert len(forks) == workers


def test_reading_in_turn_and_by_the_pool_agree_text_by_text(forks: list[int]) -> None:
    texts = [(row[2], row[3] or None, row[4]) for row in _calendar_rows(300)[1:]]
    assert read_schedules(texts, workers=2, min_share=40) == read_in_turn(texts)
    assert len(forks) == 2


def _die(texts: object) -> object:
    """A worker killed mid-share (the kernel's out-of-memory killer, say)."""
    os._exit(9)


def test_a_worker_that_dies_costs_time_not_the_answer(
    monkeypatch: pytest.MonkeyPatch, forks: list[int]
) -> None:
    texts = [(row[2], row[3] or None, row[4]) for row in _calendar_rows(300)[1:]]
    # Forked workers inherit the patched module: each one dies instead of reading its share.
    monkeypatch.setattr(schedule_pool, "_read_flat", _die)
    assert read_schedules(texts, workers=2, min_share=40) == read_in_turn(texts)
    assert forks


def test_no_fork_while_another_thread_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [(row[2], row[3] or None, row[4]) for row in _calendar_rows(300)[1:]]
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()

    def no_fork() -> int:
        raise AssertionError("forked while another thread was running")

    monkeypatch.setattr(os, "fork", no_fork)
    try:
        assert read_schedules(texts, workers=2, min_share=40) == read_in_turn(texts)
    finally:
        stop.set()
        other.join()


def _read_in_a_daemon(texts: list[tuple[str, str | None, str]], answers: Queue[bool]) -> None:
    answers.put(read_schedules(texts, workers=2, min_share=40) == read_in_turn(texts))


def test_a_daemonic_process_reads_in_turn() -> None:
    """Inside another pool's worker (daemonic: multiprocessing refuses it children) the
    calendar still reads, in turn."""
    texts = [(row[2], row[3] or None, row[4]) for row in _calendar_rows(300)[1:]]
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    worker = context.Process(target=_read_in_a_daemon, args=(texts, answers), daemon=True)
    worker.start()
    try:
        assert answers.get(timeout=120) is True
    finally:
        worker.join()
