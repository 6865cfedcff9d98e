"""Text as a terminal shows it: tables line up and openings are cut after a whole word, for
CJK names, emoji and combining accents too (widths by wcwidth, checked here against
Unicode's own East Asian Width data, one grapheme cluster at a time)."""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from launchkit.domain.excerpt import first_words
from launchkit.output import table, text_width
from tests.support import columns, invoke, runtime

# "Zoë" and "José" with combining accents (e + U+0308, e + U+0301), as macOS writes names.
ZOE, JOSE = "Zoe\u0308", "Jose\u0301"
NAMES = ["日本語チャット", "👩‍💻 Devs", "🇯🇵 Tokyo", ZOE, JOSE, "plain"]


def column_starts(line: str, count: int) -> list[int]:
    """Where the first `count` columns of a table line start, in terminal columns."""
    starts, at, gap = [0], 0, 0
    for cluster in regex.findall(r"\X", line):
        if cluster == " ":
            gap += 1
        else:
            if gap >= 2 and len(starts) < count:
                starts.append(at)
            gap = 0
        at += columns(cluster)
    return starts


@pytest.mark.parametrize("text", [*NAMES, "é", "ｈｃｓｍ", "❤️"])
def test_widths_agree_with_unicode_data(text: str) -> None:
    assert text_width(text) == columns(text)


def test_table_lines_up_wide_and_combining_characters() -> None:
    shown = table(["name", "n"], [(name, i) for i, name in enumerate(NAMES)]).splitlines()
    assert shown == [
        "name            n",
        "--------------  -",
        "日本語チャット  0",
        "👩‍💻 Devs         1",
        "🇯🇵 Tokyo        2",
        f"{ZOE}             3",
        f"{JOSE}            4",
        "plain           5",
    ]
    assert {columns(line) for line in shown} == {17}


def test_calendar_parse_table_lines_up(tmp_path: Path) -> None:
    rows = "".join(f"#chat{i},{name},Tuesdays 8pm ET,x\n" for i, name in enumerate(NAMES))
    cal = tmp_path / "cal.csv"
    cal.write_text("Hashtag,Chat name,When,Topic\n" + rows.replace("#chat0", ""), encoding="utf-8")
    run = invoke(runtime(), ["calendar", "parse", str(cal)])
    assert run.exit_code == 0, run.stderr
    lines = run.stdout.splitlines()[: len(NAMES) + 2]
    assert "日本語チャット" in lines[2]  # the row without a hashtag shows its name
    assert len({tuple(column_starts(line, 4)) for line in lines}) == 1


@pytest.mark.parametrize(
    ("text", "limit", "cut"),
    [
        ("Q1: What got you into making games?", 20, "Q1: What got you…"),
        ("日本語 チャット へようこそ", 16, "日本語 チャット…"),  # 15 columns, not 9 characters
        (f"{JOSE} {ZOE} and friends", 10, f"{JOSE} {ZOE}…"),
        ("👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻👩‍💻", 7, "👩‍💻👩‍💻👩‍💻…"),  # one long word: whole emoji
        ("Jose\u0301\u0301\u0301phine", 5, "Jose\u0301\u0301\u0301…"),  # accents stay
        ("short", 10, "short"),
    ],
)
def test_openings_cut_after_whole_words_and_characters(text: str, limit: int, cut: str) -> None:
    opening = first_words(text, limit, text_width)
    assert opening == cut
    assert columns(opening) <= limit
