"""Slots seen from every audience zone: each local time through the searched weeks, and when
no start fits every window, why, and the closest fits naming the zone each leaves out; a slot
the host types is judged the same way, with the chats it competes with."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from launchkit.commands.init import checks as lk
from launchkit.commands.init.steps import build_steps
from launchkit.commands.init.wizard import ScriptedAsker, collect
from launchkit.commands.slots import build_query, describe_slot, search
from launchkit.domain.slots.search import find_open_slots
from tests.support import WIZARD_TODAY, init_context, invoke, runtime, slot_chat, wizard_script

NY, LONDON, SYDNEY = "America/New_York", "Europe/London", "Australia/Sydney"
THREE = [NY, LONDON, SYDNEY]


def test_sydney_shows_each_of_its_local_times() -> None:
    # Tuesday 19:00 New York from February: Sydney's clocks go back on 4 April, New York's
    # forward on 14 March, so Sydney sees 11:00, then 10:00, then 09:00.
    query = build_query(tz=NY, first_day=date(2027, 2, 1), audience=[NY, SYDNEY], days="TU", top=48)
    slot = next(s for s in find_open_slots([], query).slots if s.start == "19:00")
    assert [(r.since, r.label) for r in slot.local_times[SYDNEY]] == [
        (date(2027, 2, 3), "Wed 11:00"),
        (date(2027, 3, 17), "Wed 10:00"),
        (date(2027, 4, 7), "Wed 09:00"),
    ]
    assert slot.when() == (
        "Tue 19:00 America/New_York = Wed 11:00 Australia/Sydney (from 17 Mar 10:00; "
        "from 7 Apr 09:00)"
    )


def test_the_first_local_time_is_the_first_sessions_not_the_commonest() -> None:
    # Most sessions are at 10:00 in Sydney, but the first five are at 12:00 or 11:00: the
    # table starts with the first session's time and says when it changes.
    query = build_query(
        tz=LONDON, first_day=date(2027, 3, 1), audience=[LONDON, SYDNEY], days="MO",
        hours="00:00-24:00", weeks=12, top=48,
    )  # fmt: skip
    slot = next(s for s in find_open_slots([], query).slots if s.start == "01:00")
    assert slot.local[SYDNEY] == "Mon 10:00"  # the commonest, kept in JSON as before
    assert slot.when() == (
        "Mon 01:00 Europe/London = Mon 12:00 Australia/Sydney (from 29 Mar 11:00; from 5 Apr 10:00)"
    )


def test_three_zones_that_never_share_an_hour_get_the_closest_fits() -> None:
    query = build_query(tz=NY, first_day=date(2027, 1, 4), audience=THREE, top=5)
    # Monday 16:00 New York would be the first pick, but #busy holds it.
    found = search([slot_chat("#busy", "FREQ=WEEKLY;BYDAY=MO", "16:00", tz=NY)], query)
    assert found.slots == ()
    assert found.unfit == (
        "no start on the allowed days fits every audience window in any week: a 60-minute "
        "chat fits any two of the windows, never all 3"
    )
    closest = found.closest
    assert len(closest) == 5
    assert [len(s.misses) for s in closest] == [1] * 5  # each leaves out one zone only
    left_out = [s.misses[0].zone for s in closest[:3]]
    assert sorted(left_out) == sorted(THREE)  # one choice for leaving out each zone
    assert all(s.score == 0 and not s.overlaps for s in closest)  # quiet hours first
    assert (closest[0].weekday, closest[0].start) == ("TU", "16:00")
    london = next(s for s in closest if s.misses[0].zone == LONDON)
    assert london.when().split(" = ")[1].startswith("Mon 23:00 Europe/London (outside 09:00-22:00")


def test_two_windows_that_never_meet_are_named() -> None:
    query = build_query(
        tz=NY, first_day=date(2027, 1, 4), audience=[f"{NY}=09:00-12:00", f"{SYDNEY}=09:00-12:00"]
    )
    found = search([], query)
    assert found.unfit is not None and found.unfit.endswith(
        "a 60-minute chat never fits both America/New_York 09:00-12:00 and "
        "Australia/Sydney 09:00-12:00"
    )
    assert found.closest[0].misses[0].minutes > 0


def test_a_typed_slot_is_judged_off_the_grid_and_outside_the_windows() -> None:
    query = build_query(tz=NY, first_day=date(2027, 1, 4), audience=[NY, LONDON], top=1)
    chats = [slot_chat("#edchat", "FREQ=WEEKLY;BYDAY=WE", "20:00")]
    slot = describe_slot(chats, query, "WE", "20:15")
    assert (slot.weekday, slot.start, slot.overlaps) == ("WE", "20:15", ("#edchat",))
    (miss,) = slot.misses
    assert (miss.zone, miss.local, miss.every_week) == (LONDON, "Thu 01:15", True)


def test_slots_cli_says_why_and_lists_the_closest_fits() -> None:
    args = ["slots", "--tz", NY, "--from", "2027-01-05"]
    for zone in THREE:
        args += ["--audience", zone]
    run = invoke(runtime(), args)
    assert run.exit_code == 0, run.stderr
    assert "fits any two of the windows, never all 3" in run.stdout
    assert "Closest fits, each with the audience window it misses:" in run.stdout
    assert "No slot found." not in run.stdout
    assert "Europe/London (outside 09:00-22:00" in run.stdout


def _three_zone_answers() -> dict[str, object]:
    return {
        "timezone": NY,
        "audience_timezones": THREE,
        "topic": "indie game development",
        "hashtag": "#IndieDevLaunch",
        "cadence": "weekly",
    }


def test_wizard_explains_and_offers_closest_fits(tmp_path: Path) -> None:
    ctx = init_context(tmp_path / "c", WIZARD_TODAY)
    steps = {s.name: s for s in build_steps(ctx)}
    answers = _three_zone_answers()
    question = steps["slot"].text(answers)
    assert question.startswith(
        "No start fits every audience window: a 60-minute chat fits any two of the windows, "
        "never all 3. Closest fits, with the zone each misses"
    )
    assert steps["slot"].choices is not None
    titles = [c.title for c in steps["slot"].choices(answers)]
    assert len(titles) == 5 and all("(outside 09:00-22:00" in t for t in titles)
    assert {z for t in titles[:3] for z in THREE if f"{z} (outside" in t} == set(THREE)


def test_wizard_names_the_zone_and_competing_chats_of_a_typed_slot(tmp_path: Path) -> None:
    ctx = init_context(tmp_path / "c", WIZARD_TODAY)
    asker = ScriptedAsker(
        wizard_script(
            audience_timezones=", ".join(THREE), slot="WE 21:00", slot_ok=True, first="2026-12-23"
        )
    )
    collect(build_steps(ctx), {}, asker)
    shown = asker.shown[asker.asked.index("slot_ok")]
    assert shown.startswith(
        "That slot: it starts Thu 02:00 Europe/London, outside 09:00-22:00 there, every week"
    )
    # The bundled calendar's Wednesday 9pm ET chats, by hashtag and schedule as listed.
    assert "it competes with #codenewbie (Wednesday nights at 9pm Eastern" in shown
    assert "#pinchat (every wednesday at 9pm eastern time" in shown
    assert lk.slot_concerns(ctx, {**_three_zone_answers(), "slot": "WE 21:00"})[0] == (
        "it starts Thu 02:00 Europe/London, outside 09:00-22:00 there, every week"
    )
