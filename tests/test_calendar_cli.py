"""`launchkit calendar parse|show|heatmap` as a person or a script sees them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchkit.cli import app
from tests.support import invoke, runtime

runner = CliRunner()

CAL = (
    "Hashtag,Chat name,When? (all times Eastern),Topic\n"
    "#indiedev,Indie Dev Hour,Tuesdays 8pm,indie games\n"
    "#bookchat,,every other Thursday 12pm PT,books and reading\n"
    "#prose,,we meet when we feel like it,misc\n"
    "#monthly,,1st & 3rd Wed 9-10pm,marketing\n"
)


@pytest.fixture
def cal(tmp_path: Path) -> Path:
    path = tmp_path / "cal.csv"
    path.write_text(CAL, encoding="utf-8")
    return path


def test_parse_table_with_summary(cal: Path) -> None:
    result = runner.invoke(app, ["calendar", "parse", str(cal)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == "4 rows: 2 ok, 1 partial, 1 unparsed"
    assert any("#indiedev" in line and "America/New_York" in line for line in lines)


def test_parse_json_is_design_shape(cal: Path) -> None:
    result = runner.invoke(app, ["calendar", "parse", str(cal), "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["row"] for r in rows] == [1, 2, 3, 4]
    assert rows[0] == {
        "row": 1,
        "hashtag": "#indiedev",
        "name": "Indie Dev Hour",
        "schedule_text": "Tuesdays 8pm",
        "status": "ok",
        "tz": "America/New_York",
        "sessions": [{"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "20:00", "duration_min": 60}],
        "problems": [],
    }
    assert rows[2]["status"] == "unparsed" and rows[2]["sessions"] == []


def test_parse_default_is_the_bundled_snapshot() -> None:
    result = runner.invoke(app, ["calendar", "parse", "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) > 100


def test_map_override(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Tag,Meets at,Notes\n#a,Mondays 8pm ET,x\n", encoding="utf-8")
    result = runner.invoke(app, ["calendar", "parse", str(path), "--map", "schedule=Meets at"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1 rows: 1 ok, 0 partial, 0 unparsed"
    bad = runner.invoke(app, ["calendar", "parse", str(path), "--map", "schedule"])
    assert bad.exit_code == 2
    assert "--map 'schedule' is not KEY=VALUE" in bad.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty (0 bytes)"),
        (b"\x00\x01\x02binary\x00", "looks like a binary file"),
        (b"hashtag,schedule\n", "only a header row"),
        (b"Foo,Bar\n1,2\n", "no hashtag or schedule column"),
        (b"hashtag,schedule\n#a,\x81\x8d\n", "cannot decode byte"),
    ],
)
def test_bad_files_exit_3_with_one_error_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = runner.invoke(app, ["calendar", "parse", str(path)])
    assert result.exit_code == 3
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(error_lines) == 1
    assert message in error_lines[0] and "bad.csv" in error_lines[0]
    assert "Traceback" not in result.output


def test_show_in_viewer_zone_with_day_and_topic_filters(cal: Path) -> None:
    result = runner.invoke(app, ["calendar", "show", str(cal), "--tz", "Europe/London"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "(Europe/London)" in out
    assert "times in Europe/London" in out
    # 8pm New York on Tuesday is 1am (winter) or 1am (summer, both on DST) Wednesday London.
    line = next(line for line in out.splitlines() if "#indiedev" in line)
    assert line.startswith("Wed ") and " 01:00 " in line
    # the prose row has no next session and is listed last
    chat_lines = [
        line
        for line in out.splitlines()
        if line.startswith(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "-"))
    ]
    assert "#prose" in chat_lines[-1]

    wed = runner.invoke(app, ["calendar", "show", str(cal), "--tz", "Europe/London", "--day", "WE"])
    assert "#indiedev" in wed.stdout and "#bookchat" not in wed.stdout
    books = runner.invoke(app, ["calendar", "show", str(cal), "--topic", "reading", "--tz", "UTC"])
    assert "#bookchat" in books.stdout and "#indiedev" not in books.stdout


def test_show_unknown_zone_suggests(cal: Path) -> None:
    result = runner.invoke(app, ["calendar", "show", str(cal), "--tz", "Europe/Londn"])
    assert result.exit_code == 2
    assert "--tz: 'Europe/Londn' is not an IANA time zone" in result.stderr
    assert "Hint: did you mean Europe/London" in result.stderr


def test_show_without_system_zone_says_utc(cal: Path) -> None:
    # No $TZ and no /etc/localtime link: the runtime cannot tell the machine's zone.
    result = invoke(runtime(zone=None), ["calendar", "show", str(cal)])
    assert result.exit_code == 0
    assert "system time zone is unknown; times are in UTC" in result.stderr


def test_heatmap_terminal_and_svg(cal: Path, tmp_path: Path) -> None:
    out = tmp_path / "week.svg"
    args = ["calendar", "heatmap", str(cal), "--tz", "America/New_York", "--mark", "TU 20:00"]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Chats per hour, week of ")
    assert lines[0].endswith("(America/New_York)")
    tue = next(line for line in lines if line.startswith("Tue"))
    assert tue[5 + 20 * 3 : 5 + 21 * 3] == "[1]"  # the Tue 20:00 cell is marked: one chat
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes
    assert "1 left out" in result.stdout
    assert "your slot Tue 20:00 America/New_York: 1 chats in that hour" in result.stdout
    assert out.read_text(encoding="utf-8").startswith("<svg")


def test_heatmap_json_counts(cal: Path) -> None:
    result = runner.invoke(app, ["calendar", "heatmap", str(cal), "--tz", "ET", "--json"])
    data = json.loads(result.stdout)
    assert data["tz"] == "America/New_York"
    counts = data["counts"]
    assert counts[1][20] == 1  # Tuesday 8pm weekly
    assert counts[3][15] == 0.5  # Thursday 12pm PT = 3pm ET, fortnightly
    assert counts[2][21] == pytest.approx(0.46, abs=0.01)  # 1st & 3rd Wednesday


def test_heatmap_png_without_matplotlib_suggests_svg(
    cal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = runner.invoke(app, ["calendar", "heatmap", str(cal), "--out", str(tmp_path / "w.png")])
    assert result.exit_code == 2
    assert "PNG output needs matplotlib" in result.stderr
    assert "week.svg" in result.stderr
    assert not (tmp_path / "w.png").exists()


def test_heatmap_png_and_html(cal: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    for name in ("w.png", "w.html"):
        result = runner.invoke(
            app, ["calendar", "heatmap", str(cal), "--out", str(tmp_path / name)]
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "w.png").read_bytes().startswith(b"\x89PNG")
    assert "<svg" in (tmp_path / "w.html").read_text(encoding="utf-8")


def test_heatmap_bad_mark_and_format(cal: Path, tmp_path: Path) -> None:
    bad_mark = runner.invoke(app, ["calendar", "heatmap", str(cal), "--mark", "someday"])
    assert bad_mark.exit_code == 2 and "not a weekly slot" in bad_mark.stderr
    bad_out = runner.invoke(
        app, ["calendar", "heatmap", str(cal), "--out", str(tmp_path / "w.gif")]
    )
    assert bad_out.exit_code == 2 and "unknown picture format .gif" in bad_out.stderr
