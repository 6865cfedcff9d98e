"""`launchkit hashtag check/suggest` as a user runs them; --live with real tweepy and requests
against the fake X API and fake Mastodon on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from launchkit.cli import app
from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.x_api import FakeXApi
from tests.support import invoke, runtime

runner = CliRunner()


@pytest.fixture
def calendar_csv(tmp_path: Path) -> Path:
    path = tmp_path / "calendar.csv"
    path.write_text(
        "Hashtag,Chat name,When\n"
        "#hcsm,Healthcare Social Media,Sundays at 9pm ET\n"
        "#blogchat,,Sundays 8pm CT\n"
        "#edchat,Ed Chat,Tuesdays 7pm ET\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def live_env(
    monkeypatch: pytest.MonkeyPatch, fake_x_api: FakeXApi, fake_mastodon: FakeMastodon
) -> tuple[FakeXApi, FakeMastodon]:
    monkeypatch.setenv("LAUNCHKIT_X_BEARER_TOKEN", fake_x_api.bearer_token)
    monkeypatch.setenv("LAUNCHKIT_X_API_BASE_URL", fake_x_api.base_url)
    monkeypatch.setenv("LAUNCHKIT_MASTODON_URL", fake_mastodon.base_url)
    return fake_x_api, fake_mastodon


def check(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["hashtag", "check", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def test_check_reports_collisions_and_verdicts(calendar_csv: Path) -> None:
    code, out, _ = check("#HCSM", "blog", "#IndieDevHour", "--calendar", str(calendar_csv))
    assert code == 1  # one tag is taken
    assert "#HCSM: TAKEN" in out
    assert "Healthcare Social Media" in out and "Sundays at 9pm ET" in out
    assert "#blog: CAUTION" in out and "same with 'chat'" in out
    assert "#IndieDevHour: CLEAR" in out
    assert "X: not checked: not asked (add --live)" in out


def test_check_json_shape(calendar_csv: Path) -> None:
    code, out, _ = check("＃ＨＣＳＭ", "#foo-bar", "--calendar", str(calendar_csv), "--json")
    assert code == 1  # the JSON is printed all the same
    fullwidth, foo = json.loads(out)
    assert fullwidth["verdict"] == "taken"
    assert fullwidth["collisions"][0] == {
        "hashtag": "#hcsm",
        "kind": "case",
        "row": 1,
        "name": "Healthcare Social Media",
        "schedule_text": "Sundays at 9pm ET",
        "reason": "the same tag ignoring case and character width",
    }
    assert fullwidth["usage"]["x"] == {"checked": False, "reason": "not asked (add --live)"}
    assert foo["valid"] is False and foo["verdict"] == "invalid"
    assert foo["problems"] == ["#foo-bar is not one hashtag: X would only link #foo"]


@pytest.mark.parametrize(
    ("tags", "code"),
    [
        (["#IndieDevHour"], 0),  # clear
        (["#blog", "#IndieDevHour"], 0),  # caution and clear: usable
        (["#IndieDevHour", "#edchat"], 1),  # one taken
        (["#2030"], 1),  # invalid: no letter
        (["#bad-tag"], 1),  # invalid: X links only #bad
        (["#edchаt"], 1),  # a Cyrillic а: looks exactly like #edchat
        ([""], 2),  # bad usage
        (["#IndieDevHour", "#"], 2),
    ],
)
def test_exit_code_is_a_linters(calendar_csv: Path, tags: list[str], code: int) -> None:
    got, out, err = check(*tags, "--calendar", str(calendar_csv))
    assert got == code, out + err
    if code == 2:
        assert "Error: an empty hashtag was given" in err and not out


def test_lookalike_is_taken_and_says_which_character(calendar_csv: Path) -> None:
    code, out, _ = check("#edchаt", "--calendar", str(calendar_csv), "--json")
    (report,) = json.loads(out)
    assert code == 1 and report["verdict"] == "taken"
    collision = report["collisions"][0]
    assert (collision["hashtag"], collision["kind"]) == ("#edchat", "lookalike")
    assert "'а' (CYRILLIC SMALL LETTER A) looks like 'a'" in collision["reason"]


def test_help_documents_the_exit_codes() -> None:
    result = runner.invoke(app, ["hashtag", "check", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "the exit code is 0 when every tag checked is clear or caution" in text
    assert "1 when one is taken or invalid, 2 on bad usage" in text


def test_slot_says_whether_chats_meet(calendar_csv: Path) -> None:
    code, out, _ = check(
        "#edchats", "--calendar", str(calendar_csv), "--slot", "Wed 00:00 Europe/London", "--json"
    )
    assert code == 0
    (report,) = json.loads(out)
    assert report["collisions"][0]["same_hour"] is True  # Tue 7pm ET is Wed midnight in London
    code, _, err = check("#x1", "--slot", "Tuesday at 8", "--calendar", str(calendar_csv))
    assert code == 2 and "Error: --slot" in err


def test_live_shows_counts_from_x_and_mastodon(
    calendar_csv: Path, live_env: tuple[FakeXApi, FakeMastodon]
) -> None:
    x_api, mastodon = live_env
    x_api.set_counts("#IndieDevHour", [3, 0, 5, 1, 0, 2, 1])
    mastodon.set_tag("IndieDevHour", uses=[4, 1, 0, 0, 0, 0, 0], accounts=[2, 1, 0, 0, 0, 0, 0])
    code, out, err = check("#IndieDevHour", "--calendar", str(calendar_csv), "--live", "--yes")
    assert code == 0, err
    assert "1 X count call x $0.005 = $0.005" in err
    assert "X: 12 uses in 7 days" in out
    assert "Mastodon: 5 uses in 7 days by 3 accounts" in out
    (request,) = x_api.requests_to("GET /2/tweets/counts/recent")
    assert request.arg("query") == "#IndieDevHour"


def test_heavy_live_use_makes_a_tag_taken(
    calendar_csv: Path, live_env: tuple[FakeXApi, FakeMastodon]
) -> None:
    x_api, _ = live_env
    x_api.set_counts("#GameDev", [900, 800, 700, 600, 500, 400, 300])
    _, out, _ = check("#GameDev", "--calendar", str(calendar_csv), "--live", "--yes", "--json")
    (report,) = json.loads(out)
    assert report["verdict"] == "taken"
    assert report["usage"]["x"] == {"checked": True, "total": 4200, "days": 7}
    assert report["usage"]["mastodon"] == {"checked": True, "total": 0, "days": 7, "accounts": 0}
    assert any("heavy use on X" in a for a in report["advice"])


def test_live_needs_confirmation_without_a_terminal(
    calendar_csv: Path, live_env: tuple[FakeXApi, FakeMastodon]
) -> None:
    x_api, mastodon = live_env
    code, _, err = check("#A1Chat", "#B2Chat", "--calendar", str(calendar_csv), "--live")
    assert code == 2
    assert "2 X count calls x $0.005 = $0.010" in err
    assert "Error: --live costs $0.010 and there is no terminal to confirm it" in err
    assert "Hint: add --yes" in err
    assert x_api.requests == [] and mastodon.requests == []


def test_live_asks_on_a_terminal(
    calendar_csv: Path, live_env: tuple[FakeXApi, FakeMastodon]
) -> None:
    x_api, _ = live_env
    args = ["hashtag", "check", "#A1Chat", "--calendar", str(calendar_csv), "--live"]
    declined = invoke(runtime(terminal=True, answers="n\n"), args)
    assert declined.exit_code == 1 and "cancelled: nothing was called" in declined.stderr
    assert "Go ahead? [y/N]" in declined.stdout
    assert x_api.requests == []
    accepted = invoke(runtime(terminal=True, answers="y\n"), args)
    assert accepted.exit_code == 0 and "X: 0 uses in 7 days" in accepted.stdout


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        (401, "X refused the bearer token (401)"),
        (403, "X refused the bearer token (403)"),
        (402, "your X API credits are used up (402)"),
        (503, "X answered 503"),
    ],
)
def test_live_x_failures_become_not_checked(
    calendar_csv: Path, live_env: tuple[FakeXApi, FakeMastodon], status: int, reason: str
) -> None:
    x_api, _ = live_env
    x_api.fail_next("GET /2/tweets/counts/recent", status, {"title": "nope", "status": status})
    code, out, err = check("#IndieDevHour", "--calendar", str(calendar_csv), "--live", "--yes")
    assert code == 0, err
    assert f"X: not checked: {reason}" in out
    assert "Traceback" not in out + err


def test_live_rate_limit_says_when_it_resets(
    calendar_csv: Path, live_env: tuple[FakeXApi, FakeMastodon]
) -> None:
    x_api, _ = live_env
    reset = int(time.time()) + 15 * 60
    x_api.fail_next_rate_limited("GET /2/tweets/counts/recent", reset)
    code, out, _ = check("#IndieDevHour", "--calendar", str(calendar_csv), "--live", "--yes")
    assert code == 0
    stamp = time.strftime("%Y-%m-%d %H:%M", time.gmtime(reset))
    assert f"X: not checked: X rate limit reached; the limit resets at {stamp} UTC" in out
    assert "(in 15 min)" in out or "(in 14 min)" in out


def test_live_without_token_or_network(calendar_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Port 9 on loopback: nothing listens, so the connection is refused at once, offline.
    monkeypatch.setenv("LAUNCHKIT_MASTODON_URL", "http://127.0.0.1:9")
    code, out, err = check("#IndieDevHour", "--calendar", str(calendar_csv), "--live")
    assert code == 0, err  # nothing to pay for, so nothing to confirm
    assert "X: not checked: no X bearer token" in out
    assert "hint: set LAUNCHKIT_X_BEARER_TOKEN" in out
    assert "Mastodon: not checked: cannot reach http://127.0.0.1:9 (ConnectionError)" in out


def test_suggest_lists_clear_tags(calendar_csv: Path) -> None:
    result = runner.invoke(
        app, ["hashtag", "suggest", "education", "technology", "--calendar", str(calendar_csv)]
    )
    assert result.exit_code == 0
    assert "candidates checked" in result.stdout
    assert "#EdChat" not in result.stdout
    assert "#EduTech" in result.stdout
    data = json.loads(
        runner.invoke(
            app, ["hashtag", "suggest", "education", "--calendar", str(calendar_csv), "--json"]
        ).stdout
    )
    assert data and all(item["verdict"] == "clear" for item in data)


def test_bundled_snapshot_by_default() -> None:
    code, out, _ = check("#IndieDevHour")
    assert code == 0 and "Checked against bundled snapshot" in out and "CLEAR" in out


def test_word_and_lookalike_data_load_only_when_needed(calendar_csv: Path) -> None:
    """`launchkit --help` stays fast: the bundled word list and confusables are read lazily.

    An audit hook sees every file the run opens, so a read by any route counts."""
    data = ["word_frequencies.txt", "confusable_prototypes.txt"]
    code = (
        "import sys\nopened = set()\n"
        "sys.addaudithook(lambda event, args: opened.add(str(args[0])) if event == 'open' "
        "and args and isinstance(args[0], str) else None)\n"
        "from launchkit.cli import app\n"
        "sys.argv = ['launchkit', *sys.argv[1:]]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(n for n in {data!r} if any(p.endswith(n) for p in opened)))\n"
    )

    def opened(*args: str) -> str:
        run = subprocess.run(
            [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
        )
        return run.stdout.strip().splitlines()[-1]

    assert opened("--help") == "[]"
    assert opened("hashtag", "check", "--help") == "[]"
    assert opened("hashtag", "check", "#IndieDevHour", "--calendar", str(calendar_csv)) == "[]"
    assert opened("hashtag", "check", "#nonprofitchat", "--calendar", str(calendar_csv)) == (
        "['word_frequencies.txt']"
    )
    assert opened("hashtag", "check", "#edchаt", "--calendar", str(calendar_csv)) == (
        "['confusable_prototypes.txt']"
    )


def test_live_adds_bluesky_with_the_saved_session(
    calendar_csv: Path,
    live_env: tuple[FakeXApi, FakeMastodon],
    fake_bluesky: FakeBlueskyPds,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.chdir(tmp_path)  # the session is kept beside this folder's ledger
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_URL", fake_bluesky.base_url)
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_HANDLE", "chathost.test")
    monkeypatch.setenv("LAUNCHKIT_BLUESKY_APP_PASSWORD", "app-pass-word")
    for n in range(3):
        fake_bluesky.add_post(f"A{n} #IndieDevHour", handle=f"u{n % 2}.test")
    args = ("#IndieDevHour", "--calendar", str(calendar_csv), "--live", "--yes")
    for _ in range(2):
        code, out, err = check(*args)
        assert code == 0, err
        assert "Bluesky: 3 uses in 7 days by 2 accounts" in out
    assert len(fake_bluesky.logins) == 1
    assert (tmp_path / ".launchkit" / "bluesky-session.json").is_file()
    fake_bluesky.fail_next(
        "GET /xrpc/app.bsky.feed.searchPosts",
        429,
        {"error": "RateLimitExceeded", "message": "Rate Limit Exceeded"},
    )
    code, out, _ = check(*args)
    assert "Bluesky: not checked: Bluesky rate limit reached" in out


def test_live_without_a_bluesky_account_says_so(
    calendar_csv: Path, live_env: tuple[FakeXApi, FakeMastodon]
) -> None:
    _, out, _ = check("#IndieDevHour", "--calendar", str(calendar_csv), "--live", "--yes")
    assert "Bluesky: not checked: no Bluesky account: LAUNCHKIT_BLUESKY_HANDLE and" in out
