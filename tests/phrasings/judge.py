"""Whether a parser's reading of a generated phrasing is right, by the official scorer's rule:
the same weekly moments in UTC and the same lengths (tests/data/calendar_dev/score_parse.py)."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, Literal, Protocol

from tests.phrasings import Phrasing

Verdict = Literal["right", "not ok", "confidently wrong"]
SCORER = Path(__file__).resolve().parents[1] / "data" / "calendar_dev" / "score_parse.py"


class _Session(Protocol):
    rrule: str
    start: str | None
    duration_min: int
    tz: str | None
    first: Any


class _Reading(Protocol):
    status: str
    tz: str | None
    sessions: Sequence[_Session]


@cache
def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_parse", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def judge(p: Phrasing, reading: _Reading) -> Verdict:
    """ "right" (ok with the known answer), "not ok" (partial or unparsed: allowed), or
    "confidently wrong" (ok, but the text does not say that, or says something else)."""
    if reading.status != "ok":
        return "not ok"
    if not p.certain or p.tz is None:
        return "confidently wrong"
    scorer = _scorer()
    got = scorer.moments(
        [
            {"rrule": s.rrule, "start": s.start, "duration_min": s.duration_min}
            for s in reading.sessions
        ],
        reading.tz,
    )
    want = scorer.moments([e.as_label() for e in p.sessions], p.tz)
    own_zones = any(
        s.tz for s in reading.sessions
    )  # the scorer reads every start in the row's zone
    # A fortnightly rule is ok only with its dated first session, and the right one.
    anchors = {s.first for s in reading.sessions if "INTERVAL=" in s.rrule}
    if got != want or own_zones or (anchors and anchors != {p.first}):
        return "confidently wrong"
    return "right"
