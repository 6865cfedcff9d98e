"""`launchkit calendar site`: the files it writes, read back by scripts and calendar apps."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr
from typer.testing import CliRunner

from launchkit.adapters.calendar_source import read_calendar
from launchkit.cli import app
from launchkit.commands.calendar_site import build_site
from launchkit.commands.calendars import ViewerZone, run_show
from launchkit.resources import templates_dir
from launchkit.settings import load_settings

runner = CliRunner()
NOW = datetime(2026, 11, 30, 15, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_site(read_calendar(None, load_settings()), out, NOW)
    return out


def events_of(path: Path) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def starts_of(event: icalendar.Event, until: datetime) -> list[datetime]:
    """The event's sessions up to `until`, expanded from its own DTSTART, RRULE and zone."""
    first = event["DTSTART"].dt
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=first.replace(tzinfo=None))
    last = until.astimezone(first.tzinfo).replace(tzinfo=None)
    return [
        m.replace(tzinfo=first.tzinfo)
        for m in rule.between(first.replace(tzinfo=None), last, inc=True)
    ]


def test_every_chat_with_a_time_has_a_calendar_file_agreeing_with_calendar_show(
    bundled: Path,
) -> None:
    calendar = read_calendar(None, load_settings())
    shown = run_show(calendar, ViewerZone("UTC"), NOW)
    data = json.loads((bundled / "chats.json").read_text(encoding="utf-8"))
    chats = {chat["row"]: chat for chat in data["chats"]}
    assert len(chats) == len(calendar.entries)
    checked = 0
    for row in shown.rows:
        chat = chats[row.entry.row]
        if row.next_start is None:
            assert chat["ics"] is None
            continue
        events = events_of(bundled / chat["ics"])
        assert all(str(event["DTSTART"].dt.tzinfo) == chat["tz"] for event in events)
        # Each file starts its sessions at the year's first; the rule carries them to now.
        upcoming = [
            moment
            for event in events
            for moment in starts_of(event, NOW + timedelta(days=60))
            if moment >= NOW
        ]
        assert min(upcoming) == row.next_start, chat["hashtag"]
        checked += 1
    assert checked == len([c for c in chats.values() if c["ics"]]) > 90


def test_calendar_files_repeat_at_the_same_moments_as_the_page(bundled: Path) -> None:
    data = json.loads((bundled / "chats.json").read_text(encoding="utf-8"))
    for chat in data["chats"]:
        if not chat["ics"]:
            continue
        schedule = data["schedules"][chat["schedule"]]
        on_page = sorted(m for s in schedule["sessions"] for m in s["starts"])
        until = NOW + timedelta(weeks=20)  # across the spring DST change of every zone
        from_file = sorted(
            int(moment.timestamp()) // 60
            for event in events_of(bundled / chat["ics"])
            for moment in starts_of(event, until)
            if moment >= NOW
        )
        window = [m for m in on_page if NOW.timestamp() <= m * 60 < until.timestamp()]
        assert from_file == window, chat["hashtag"]


def test_fortnightly_and_monthly_chats_are_marked_honestly(tmp_path: Path) -> None:
    source = tmp_path / "cal.csv"
    source.write_text(
        "Hashtag,When\n"
        "#critlib,Every other Tuesday 9pm-10pm EST\n"
        "#monthly,1st & 3rd Thursdays at 2pm Eastern\n"
        "#prose,we meet when we feel like it\n",
        encoding="utf-8",
    )
    build_site(read_calendar(str(source), load_settings()), tmp_path / "site", NOW)
    data = json.loads((tmp_path / "site" / "chats.json").read_text(encoding="utf-8"))
    critlib, monthly, prose = data["chats"]
    assert critlib["cadence"] == "every other week" and critlib["weeks_unknown"] is True
    (event,) = events_of(tmp_path / "site" / critlib["ics"])
    assert "INTERVAL" not in event["RRULE"]
    assert str(event["SUMMARY"]).endswith("(every other week)")
    assert "does not say which weeks" in str(event["DESCRIPTION"])
    assert monthly["cadence"] == "monthly: 1st & 3rd Thu" and monthly["weeks_unknown"] is False
    (event,) = events_of(tmp_path / "site" / monthly["ics"])
    sessions = starts_of(event, datetime(2027, 1, 1, tzinfo=UTC))
    assert all(s.weekday() == 3 and (s.day - 1) // 7 in (0, 2) and s.hour == 14 for s in sessions)
    assert sessions[0] == datetime(2026, 1, 1, 14, 0, tzinfo=ZoneInfo("America/New_York"))
    assert len(sessions) == 24
    assert prose["schedule"] is None and prose["ics"] is None
    assert prose["schedule_text"] == "we meet when we feel like it"
    assert prose["status"] == "unparsed"


def test_site_command_writes_the_files_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = runner.invoke(app, ["calendar", "site", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "index.html").is_file() and (out / "chats.json").is_file()
    assert f"open {(out / 'index.html').resolve().as_uri()}" in result.stdout
    assert "231 chats" in result.stdout
    data = json.loads((out / "chats.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["source"] == "bundled snapshot"
    files = sorted(p.name for p in (out / "ics").iterdir())
    assert len(files) == len([c for c in data["chats"] if c["ics"]])


def test_rebuilding_drops_calendar_files_of_chats_that_left(tmp_path: Path) -> None:
    source = tmp_path / "cal.csv"
    source.write_text("Hashtag,When\n#one,Mondays 8pm ET\n#two,Tuesdays 8pm ET\n", "utf-8")
    out = tmp_path / "site"
    assert runner.invoke(app, ["calendar", "site", str(source), "--out", str(out)]).exit_code == 0
    assert len(list((out / "ics").iterdir())) == 2
    source.write_text("Hashtag,When\n#one,Mondays 8pm ET\n", "utf-8")
    assert runner.invoke(app, ["calendar", "site", str(source), "--out", str(out)]).exit_code == 0
    assert [p.name for p in (out / "ics").iterdir()] == ["0001-one.ics"]
    assert sorted(p.name for p in out.iterdir()) == ["chats.json", "ics", "index.html"]


def test_site_leaves_what_is_not_its_own(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", "utf-8")
    result = runner.invoke(app, ["calendar", "site", "--out", str(a_file)])
    assert result.exit_code == 2 and "is a file" in result.stderr
    (tmp_path / "site" / "ics").mkdir(parents=True)
    (tmp_path / "site" / "ics" / "keep.doc").write_text("mine", "utf-8")
    (tmp_path / "site" / "README").write_text("mine", "utf-8")
    result = runner.invoke(app, ["calendar", "site", "--out", str(tmp_path / "site")])
    assert result.exit_code == 0
    assert (tmp_path / "site" / "ics" / "keep.doc").read_text("utf-8") == "mine"
    assert (tmp_path / "site" / "README").read_text("utf-8") == "mine"


def test_a_rebuild_rewrites_only_the_calendar_files_that_changed(tmp_path: Path) -> None:
    source = tmp_path / "cal.csv"
    source.write_text("Hashtag,When\n#one,Mondays 8pm ET\n#two,Tuesdays 8pm ET\n", "utf-8")
    out = tmp_path / "site"
    build_site(read_calendar(str(source), load_settings()), out, NOW)
    one, two = sorted((out / "ics").iterdir())
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in (one, two)}
    source.write_text("Hashtag,When\n#one,Mondays 8pm ET\n#two,Tuesdays 9pm ET\n", "utf-8")
    build_site(read_calendar(str(source), load_settings()), out, NOW + timedelta(days=9))
    assert (one.stat().st_ino, one.read_bytes()) == before[one.name]  # the same all year
    assert two.read_bytes() != before[two.name][1]
    assert b"T210000" in two.read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{", "not JSON (line 1"),
        ('{"schema_version": 2, "rows": []}', "unknown schema_version 2"),
        ('[{"row": 1, "verdict": "dead"}]', "row 1: unknown verdict 'dead'"),
        ('[{"row": "x", "verdict": "stale"}]', "entry 1: 'row' must be a row number"),
        ('[{"row": 3, "verdict": "stale", "last_seen": "soon"}]', "row 3: 'last_seen' must be"),
    ],
)
def test_a_bad_audit_file_is_one_clear_error(tmp_path: Path, content: str, message: str) -> None:
    audit = tmp_path / "audit.json"
    audit.write_text(content, "utf-8")
    result = runner.invoke(
        app, ["calendar", "site", "--out", str(tmp_path / "s"), "--audit", str(audit)]
    )
    assert result.exit_code == 3
    first, hint = result.stderr.splitlines()
    assert first.startswith(f"Error: {audit}: ") and message in first
    assert hint.startswith("Hint: write it with")
    assert not (tmp_path / "s").exists()


def test_audit_rows_holding_another_chat_now_are_left_out(tmp_path: Path) -> None:
    audit = tmp_path / "audit.json"
    rows = [
        {"row": 1, "hashtag": "#litchat", "verdict": "stale", "reasons": ["r"], "last_seen": None},
        {"row": 2, "hashtag": "#moved", "verdict": "stale", "reasons": ["r"], "last_seen": None},
    ]
    audit.write_text(json.dumps(rows), "utf-8")
    out = tmp_path / "s"
    result = runner.invoke(app, ["calendar", "site", "--out", str(out), "--audit", str(audit)])
    assert result.exit_code == 0
    assert "1 rows of audit.json hold another chat now; their verdicts were ignored" in (
        result.stderr
    )
    chats = json.loads((out / "chats.json").read_text("utf-8"))["chats"]
    assert chats[0]["verdict"] == "stale" and chats[1]["verdict"] is None


def test_the_page_loads_nothing_from_elsewhere() -> None:
    for name in ("index.html", "site.js", "site.css"):
        text = (templates_dir() / "site" / name).read_text("utf-8")
        for needle in ("src=", "<link", "@import", "url(", "fetch(", "XMLHttpRequest", "http://"):
            assert needle not in text, (name, needle)


def test_the_page_data_has_a_year_of_sessions(bundled: Path) -> None:
    data = json.loads((bundled / "chats.json").read_text(encoding="utf-8"))
    assert data["built"] == "2026-11-30T15:30:00Z" and data["until"].startswith("2027-11-29")
    weekly = next(c for c in data["chats"] if c["hashtag"] == "#AlzChat")
    starts = data["schedules"][weekly["schedule"]]["sessions"][0]["starts"]
    assert len(starts) >= 52
    assert datetime.fromtimestamp(starts[-1] * 60, UTC).date() >= date(2027, 11, 20)


def test_two_chats_at_one_instant_keep_their_own_zones(tmp_path: Path) -> None:
    # 8pm in London is 3pm in New York in January: the same moment, two chats, two zones.
    source = tmp_path / "cal.csv"
    source.write_text("Hashtag,When\n#ny,Mondays 3pm ET\n#uk,Mondays 8pm UK time\n", "utf-8")
    build_site(read_calendar(str(source), load_settings()), tmp_path / "site", NOW)
    (ny,) = events_of(tmp_path / "site" / "ics" / "0001-ny.ics")
    (uk,) = events_of(tmp_path / "site" / "ics" / "0002-uk.ics")
    assert str(ny["DTSTART"].dt.tzinfo) == "America/New_York" and ny["DTSTART"].dt.hour == 15
    assert str(uk["DTSTART"].dt.tzinfo) == "Europe/London" and uk["DTSTART"].dt.hour == 20
