"""`launchkit text count` as a host drafting a post sees it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from launchkit.cli import app

runner = CliRunner()


def test_count_plain() -> None:
    result = runner.invoke(
        app,
        [
            "text",
            "count",
            "Q1 What got you into making games? #IndieDevHour https://example.org/a/very/long/path",
        ],
    )
    assert result.exit_code == 0
    # 48 for the text up to the end of the tag, a space, and 23 for any URL
    assert result.stdout.splitlines()[0] == "72/280 (208 left): valid"
    assert "hashtags: #IndieDevHour" in result.stdout
    assert "URLs: https://example.org/a/very/long/path (each counts 23)" in result.stdout


def test_count_json_with_emoji_and_cjk() -> None:
    result = runner.invoke(app, ["text", "count", "👨‍👩‍👧 日本 #chat", "--json"])
    data = json.loads(result.stdout)
    assert data["weighted_length"] == 2 + 1 + 4 + 1 + 5
    assert data["remaining"] == 280 - data["weighted_length"]
    assert data["hashtags"] == ["#chat"] and data["urls"] == []
    assert data["valid"] is True and data["problems"] == []


def test_count_too_long() -> None:
    result = runner.invoke(app, ["text", "count", "x" * 300, "--json"])
    assert result.exit_code == 0  # the verdict is data
    data = json.loads(result.stdout)
    assert data["valid"] is False and data["problems"] == ["20 over the 280 limit"]
    human = runner.invoke(app, ["text", "count", "x" * 300])
    assert "300/280 (-20 left): NOT valid" in human.stdout
