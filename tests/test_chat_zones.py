"""A chat's zone and first date as a host sets them: zones that never change their clocks
(EST, Etc/GMT+5) are accepted with a warning that names the zone people mean, wherever a
chat's zone is taken (chat.yaml, render, schedule, slots, init); a first date off the rule is
refused with the rule's nearest dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml

from launchkit.commands.init.steps import build_steps
from launchkit.commands.init.wizard import ScriptedAsker, collect
from launchkit.domain.iana import fixed_offset_warning, usual_zone
from launchkit.domain.rule_dates import first_date_problem
from tests.support import REPO, WIZARD_TODAY, init_context, invoke, runtime, wizard_script

EXAMPLE = REPO / "examples" / "chat.yaml"  # a Tuesday 20:00 America/New_York chat
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def chat_file(tmp_path: Path, **changes: object) -> Path:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key.startswith("schedule."):
            data["schedule"][key.removeprefix("schedule.")] = value
        else:
            data[key] = value
    path = tmp_path / "chat.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("zone", "usual"),
    [
        ("EST", "America/New_York"),
        ("MST", "America/Denver"),
        ("HST", "Pacific/Honolulu"),
        ("GMT", "Europe/London"),
        ("Etc/GMT+5", "America/New_York"),  # five hours behind UTC: Etc/ signs are reversed
        ("Etc/GMT-9", "Asia/Tokyo"),
        ("Etc/GMT+12", None),  # no one lives at UTC-12
    ],
)
def test_fixed_offset_zones_name_the_zone_people_mean(zone: str, usual: str | None) -> None:
    assert usual_zone(zone) == usual
    warning = fixed_offset_warning(zone)
    assert warning is not None and warning.startswith(f"{zone} is UTC")
    assert (usual or "use that place's zone") in warning


@pytest.mark.parametrize("zone", ["America/New_York", "UTC", "Etc/UTC", "Asia/Tokyo"])
def test_places_and_utc_get_no_warning(zone: str) -> None:
    assert usual_zone(zone) is None and fixed_offset_warning(zone) is None


def test_render_and_schedule_warn_about_est(tmp_path: Path) -> None:
    chat = chat_file(tmp_path, timezone="EST")
    for args in (["render", "--out", str(tmp_path / "out")], ["schedule"]):
        run = invoke(runtime(NOW), [*args, "--chat", str(chat)])
        assert run.exit_code == 0, run.stderr
        assert (
            "Warning: timezone EST: EST is UTC−05:00 all year and never moves to daylight time: "
            "from 2027-03-14 a 20:00 EST session is at 21:00 in America/New_York. People who "
            "write EST usually mean America/New_York" in run.stderr
        )


def test_a_place_zone_gets_no_zone_warning(tmp_path: Path) -> None:
    run = invoke(runtime(NOW), ["render", "--chat", str(chat_file(tmp_path)), "--out", "o"])
    assert run.exit_code == 0 and "all year" not in run.stderr


def test_slots_notes_a_fixed_offset_zone() -> None:
    run = invoke(runtime(NOW), ["slots", "--tz", "EST", "--top", "1"])
    assert run.exit_code == 0, run.stderr
    assert "Note: EST is UTC−05:00 all year" in run.stdout
    assert "usually mean America/New_York" in run.stdout


def test_init_from_answers_warns_about_est(tmp_path: Path) -> None:
    answers = REPO / "examples" / "answers.yaml"
    run = invoke(
        runtime(NOW),
        ["init", str(tmp_path / "c"), "--answers", str(answers), "--set", "timezone=EST"],
    )
    assert run.exit_code == 0, run.stderr
    assert "Warning: timezone EST: EST is UTC−05:00 all year" in run.stderr
    assert "usually mean America/New_York" in run.stderr


def test_wizard_shows_the_warning_and_asks_again(tmp_path: Path) -> None:
    ctx = init_context(tmp_path / "c", WIZARD_TODAY)
    asker = ScriptedAsker(
        wizard_script(
            timezone=["EST", "America/New_York"],
            audience_timezones=["EST, Europe/London", "America/New_York, Europe/London"],
            timezone_ok=[False],
        )
    )
    answers = collect(build_steps(ctx), {}, asker)
    shown = asker.shown[asker.asked.index("timezone_ok")]
    assert shown.startswith("EST is UTC−05:00 all year and never moves to daylight time.")
    assert "usually mean America/New_York" in shown and shown.endswith("Keep these zones?")
    assert asker.asked.count("timezone") == 2  # "no" sends the host back to the zones
    assert answers["timezone"] == "America/New_York"
    assert answers["audience_timezones"] == ["America/New_York", "Europe/London"]


@pytest.mark.parametrize(
    ("rrule", "first", "problem"),
    [
        ("FREQ=WEEKLY;BYDAY=MO", date(2027, 1, 11), None),
        (
            "FREQ=WEEKLY;BYDAY=MO",
            date(2027, 1, 13),
            "2027-01-13 is a Wednesday; the rule FREQ=WEEKLY;BYDAY=MO meets on 2027-01-11 or "
            "2027-01-18",
        ),
        (  # any Tuesday may start a fortnightly Tuesday chat
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            date(2027, 1, 13),
            "2027-01-13 is a Wednesday; the rule FREQ=WEEKLY;INTERVAL=2;BYDAY=TU meets on "
            "2027-01-12 or 2027-01-19",
        ),
        (
            "FREQ=MONTHLY;BYDAY=-1FR",
            date(2027, 1, 22),
            "2027-01-22 is a Friday; the rule FREQ=MONTHLY;BYDAY=-1FR meets on 2026-12-25 or "
            "2027-01-29",
        ),
        (  # where the rule ends does not matter
            "FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T000000Z",
            date(2027, 1, 12),
            "2027-01-12 is a Tuesday; the rule FREQ=WEEKLY;BYDAY=MO;UNTIL=20261231T000000Z "
            "meets on 2027-01-11 or 2027-01-18",
        ),
        (
            "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30",
            date(2027, 3, 1),
            "the rule FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30 meets on no date (starting 2027-03-01)",
        ),
        ("FREQ=WEEKLY", date(2027, 1, 13), None),  # no BYDAY: the first date's weekday
    ],
)
def test_first_date_on_the_rule(rrule: str, first: date, problem: str | None) -> None:
    assert first_date_problem(rrule, first) == problem


def test_off_rule_first_date_is_refused_with_the_nearest_dates(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = invoke(
        runtime(NOW),
        ["render", "--chat", str(chat_file(tmp_path, **{"schedule.first": "2027-01-13"}))],
    )
    assert run.exit_code == 3
    assert run.stderr.startswith(
        f"Error: {tmp_path / 'chat.yaml'}: schedule.first: 2027-01-13 is a Wednesday; the rule "
        "FREQ=WEEKLY;BYDAY=TU meets on 2027-01-12 or 2027-01-19\n"
    )
    assert not out.exists()


def test_wizard_first_date_names_the_rules_dates(tmp_path: Path) -> None:
    steps = {s.name: s for s in build_steps(init_context(tmp_path / "c", WIZARD_TODAY))}
    validate = steps["first"].validate
    assert validate is not None
    answers = {"slot": "TU 20:00", "cadence": "monthly-1st"}
    assert validate("2027-01-12", answers) == (
        "2027-01-12 is a Tuesday; the rule FREQ=MONTHLY;BYDAY=1TU meets on 2027-01-05 or 2027-02-02"
    )
    assert validate("2027-01-05", answers) is None


def test_mst_names_arizona_too() -> None:
    warning = fixed_offset_warning("MST")
    assert warning is not None and warning.endswith(
        "usually mean America/Denver: use it to follow Denver's clocks (Arizona keeps MST all "
        "year: America/Phoenix)."
    )


def test_sessions_on_a_clock_change_say_when_they_are_really_held(tmp_path: Path) -> None:
    # Sundays 02:30 New York: 14 Mar 2027 skips that hour; the other Sundays have it.
    chat = chat_file(
        tmp_path,
        **{"schedule.rrule": "FREQ=WEEKLY;BYDAY=SU", "schedule.start": "02:30",
           "schedule.first": "2027-03-07"},
    )  # fmt: skip
    run = invoke(runtime(NOW), ["render", "--chat", str(chat), "--out", str(tmp_path / "o")])
    assert run.exit_code == 0, run.stderr
    assert (
        "Warning: the session of Sun 14 Mar 2027 02:30 falls in the hour America/New_York "
        "skips when its clocks go forward: it is held at Sun 14 Mar 2027 03:30 EDT"
    ) in run.stderr
    assert "Sun 7 Mar 2027 02:30" not in run.stderr and "Sun 21 Mar" not in run.stderr


def test_a_session_in_the_repeated_hour_is_held_at_the_first(tmp_path: Path) -> None:
    chat = chat_file(
        tmp_path,
        **{"schedule.rrule": "FREQ=WEEKLY;BYDAY=SU", "schedule.start": "01:30",
           "schedule.first": "2027-10-31"},
    )  # fmt: skip
    run = invoke(runtime(NOW), ["schedule", "--chat", str(chat)])
    assert run.exit_code == 0, run.stderr
    assert (
        "Warning: the session of Sun 7 Nov 2027 01:30 happens twice in America/New_York "
        "(its clocks go back): it is held at the first, Sun 7 Nov 2027 01:30 EDT"
    ) in run.stderr
    assert run.stderr.count("happens twice") == 1
