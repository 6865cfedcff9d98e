"""Generated schedule phrasings (tests/phrasings) read back to their known answer or to
`partial`, never to a different `ok`: the one failure a host cannot see.

`make test` tries a bounded number here; `make bench` (bench/parse_accuracy.py) many more."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launchkit.domain.schedule import parse_schedule
from tests.phrasings import phrasing, phrasings
from tests.phrasings.judge import judge


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_a_generated_phrasing_is_read_right_or_left_partial(rnd: random.Random) -> None:
    p = phrasing(rnd)
    reading = parse_schedule(p.text, p.tz_hint, p.context)
    assert judge(p, reading) != "confidently wrong", (p, reading)


def test_most_fully_stated_phrasings_are_read_exactly() -> None:
    verdicts = Counter()
    for p in phrasings(1500, seed=17):
        verdict = judge(p, parse_schedule(p.text, p.tz_hint, p.context))
        verdicts[verdict, p.certain] += 1
    certain = verdicts["right", True] + verdicts["not ok", True]
    assert verdicts["confidently wrong", True] + verdicts["confidently wrong", False] == 0
    # A floor, so that "partial for everything" cannot pass as safe.
    assert verdicts["right", True] / certain > 0.95, verdicts
    # Every kind of phrasing, with and without what makes it certain, is in the sample.
    assert verdicts["not ok", False] > 200
