"""`make demo` (init with examples/answers.yaml) on any day of the year: no item is late the
moment it is planned, and no scheduled session falls on a public holiday of the host's or the
audience's countries (the demo's answers skip those)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from launchkit.adapters.zone_countries import countries_of
from launchkit.domain.public_holidays import holiday_sessions
from tests.support import REPO, invoke, open_ledger, runtime

ANSWERS = REPO / "examples" / "answers.yaml"
# Every 11 days through a year (so every weekday and both sides of each clock change), each
# at another hour of the day (7 hours on each time).
DAYS = [date(2027, 1, 3) + timedelta(days=11 * n) for n in range(34)]


def test_the_demo_answers_skip_sessions_on_holidays() -> None:
    answers = yaml.safe_load(ANSWERS.read_text(encoding="utf-8"))
    assert answers["holiday_sessions"] == "skip" and answers["first"] == "auto"


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_make_demo_on_any_day_of_the_year_plans_nothing_late(tmp_path: Path, day: date) -> None:
    now = datetime.combine(day, time((DAYS.index(day) * 7) % 24, 30), UTC)
    target = tmp_path / "demo-chat"
    run = invoke(runtime(now), ["init", str(target), "--answers", str(ANSWERS), "--json"])
    assert run.exit_code == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["late_steps"] == 0 and result["render"]["late"] == 0
    assert not any(item["late"] for item in result["schedule"]["items"])
    # The pack shows the season as scheduled (a skipped holiday session is in neither).
    assert result["render"]["sessions"] == result["schedule"]["sessions"]
    with open_ledger(target / "chat.yaml") as ledger:
        planned = ledger.items(("planned",))
    assert planned and min(i.ref.due_utc for i in planned) > now

    chat = yaml.safe_load((target / "chat.yaml").read_text(encoding="utf-8"))
    zone = ZoneInfo(chat["timezone"])
    hour, minute = (int(p) for p in chat["schedule"]["start"].split(":"))
    starts = [
        datetime.combine(date.fromisoformat(d), time(hour, minute), zone)
        for d in result["schedule"]["sessions"]
    ]
    zones = [chat["timezone"], *chat["audience_timezones"]]
    assert holiday_sessions(starts, zones, countries_of(zones)) == []


@pytest.mark.parametrize("later", [timedelta(0), timedelta(days=40)], ids=["same-day", "later"])
def test_make_demo_twice_in_a_row_replaces_its_own_chat_and_plan(
    tmp_path: Path, later: timedelta
) -> None:
    target = tmp_path / "demo-chat"
    args = ["init", str(target), "--answers", str(ANSWERS), "--force", "--json"]
    # The first season skips Washington's Birthday; the second starts after the first ends.
    first_run = datetime(2027, 1, 3, 12, 0, tzinfo=UTC)
    runs = [invoke(runtime(now), args) for now in (first_run, first_run + later)]
    assert [r.exit_code for r in runs] == [0, 0], runs[1].stderr
    first, second = (json.loads(r.stdout) for r in runs)
    assert second["late_steps"] == 0 and not any(i["late"] for i in second["schedule"]["items"])
    assert second["render"]["sessions"] == second["schedule"]["sessions"]
    assert len(second["schedule"]["sessions"]) == len(first["schedule"]["sessions"])
    assert first["schedule"]["cancelled"] == ["2027-02-15"]
    with open_ledger(target / "chat.yaml") as ledger:
        planned = ledger.items(("planned",))
    # One row per step of the season scheduled last: none left over from the first run.
    assert sorted(i.ref.key for i in planned) == sorted(
        i["ref"]["key"] for i in second["schedule"]["items"] if i["state"] == "planned"
    )
    assert {i.ref.session.isoformat() for i in planned} == set(second["schedule"]["sessions"])
