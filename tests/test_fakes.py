"""The fake services speak to the real clients (tweepy, gspread, requests) over 127.0.0.1."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import gspread
import pytest
import requests
import tweepy
from gspread.utils import ValueInputOption

from launchkit.adapters.http import RewriteBaseAdapter, mount_base_url, rewrite_url
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.servers import FakeResponse, FakeServer
from tests.fakes.sheet_model import parse_cells, split_range
from tests.fakes.sheets import (
    FORMULA_RESULT,
    PERMISSION_DENIED,
    SHEETS_HOSTS,
    FakeSheets,
    write_service_account_key,
)
from tests.fakes.x_api import X_HOSTS, FakeXApi, XApiProcess

SHEET_KEY = "1calendarSheetKey"


@pytest.fixture
def x_api(fake_x_api: FakeXApi) -> FakeXApi:
    fake_x_api.consumer_key = "ck"
    return fake_x_api


@pytest.fixture
def sheets(fake_sheets: FakeSheets) -> FakeSheets:
    fake_sheets.add_spreadsheet(
        SHEET_KEY,
        "Chat calendar",
        {"Chats": [["Hashtag", "When"], ["#edchat", "Tuesdays 7pm ET"]], "Notes": []},
    )
    return fake_sheets


def user_client(base_url: str) -> tweepy.Client:
    client = tweepy.Client(
        consumer_key="ck", consumer_secret="cs", access_token="at", access_token_secret="ats"
    )
    mount_base_url(client.session, base_url, X_HOSTS)
    return client


def sheets_client(fake: FakeSheets, tmp_path: Path) -> gspread.Client:
    key = tmp_path / "service-account.json"
    write_service_account_key(key, fake.base_url)
    client = gspread.service_account(filename=key)
    mount_base_url(client.http_client.session, fake.base_url, SHEETS_HOSTS)
    return client


# -- the rewriting adapter -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        (
            "https://api.twitter.com/2/tweets?a=1",
            "http://127.0.0.1:9",
            "http://127.0.0.1:9/2/tweets?a=1",
        ),
        ("https://sheets.googleapis.com/v4/x%27", "http://h:1/p/", "http://h:1/p/v4/x%27"),
        ("https://api.x.com", "http://127.0.0.1:9", "http://127.0.0.1:9/"),
    ],
)
def test_rewrite_url_keeps_path_and_query(url: str, base: str, expected: str) -> None:
    assert rewrite_url(url, base) == expected


def test_mounted_adapter_redirects_only_the_named_hosts() -> None:
    with FakeServer() as server:
        server.route("GET /hello", lambda r: FakeResponse(200, {"query": r.query}))
        session = requests.Session()
        mount_base_url(session, server.base_url, ["https://api.example.com"])
        response = session.get("https://api.example.com/hello?x=1", timeout=5)
        assert response.json() == {"query": {"x": ["1"]}}
        assert not isinstance(session.get_adapter("https://other.example.com/"), RewriteBaseAdapter)
        assert not isinstance(
            session.get_adapter("https://api.example.com.evil/"), RewriteBaseAdapter
        )


def test_bad_base_url_is_refused() -> None:
    with pytest.raises(ValueError):
        RewriteBaseAdapter("127.0.0.1:8000")


# -- X API with tweepy ---------------------------------------------------------------------


def test_tweepy_posts_and_reads_back(x_api: FakeXApi) -> None:
    client = user_client(x_api.base_url)
    first = client.create_tweet(text="Q1 What got you into making games? #IndieDevHour")
    client.create_tweet(text="Q2 #IndieDevHour")
    me = client.get_me().data
    assert (str(me.id), me.username) == (x_api.user["id"], "launchkit_test")
    timeline = client.get_users_tweets(me.id, max_results=5, user_auth=True)
    assert [t.text for t in timeline.data] == ["Q2 #IndieDevHour", first.data["text"]]
    assert x_api.posted_texts()[0] == first.data["text"]
    assert x_api.requests_to("POST /2/tweets")[0].headers["Authorization"].startswith("OAuth ")


def test_duplicate_post_is_forbidden_like_x(x_api: FakeXApi) -> None:
    client = user_client(x_api.base_url)
    client.create_tweet(text="same")
    with pytest.raises(tweepy.errors.Forbidden) as caught:
        client.create_tweet(text="same")
    assert "duplicate content" in caught.value.response.json()["detail"]


def test_counts_with_bearer_token(x_api: FakeXApi) -> None:
    x_api.set_counts("#IndieDevHour", [3, 0, 5])
    client = tweepy.Client(bearer_token=x_api.bearer_token)
    mount_base_url(client.session, x_api.base_url, X_HOSTS)
    counts = client.get_recent_tweets_count("#indiedevhour -is:retweet", granularity="day")
    assert [c["tweet_count"] for c in counts.data] == [3, 0, 5]
    assert counts.meta == {"total_tweet_count": 8}
    # app-only auth cannot post, as on X
    with pytest.raises(tweepy.errors.Forbidden):
        client.create_tweet(text="hello", user_auth=False)


def test_wrong_credentials_are_unauthorized(x_api: FakeXApi) -> None:
    client = tweepy.Client(bearer_token="nope")
    mount_base_url(client.session, x_api.base_url, X_HOSTS)
    with pytest.raises(tweepy.errors.Unauthorized):
        client.get_recent_tweets_count("#x")


def test_rate_limit_and_credits_errors_surface(x_api: FakeXApi) -> None:
    client = user_client(x_api.base_url)
    reset = int(time.time()) + 900
    x_api.fail_next_rate_limited("POST /2/tweets", reset)
    with pytest.raises(tweepy.errors.TooManyRequests) as limited:
        client.create_tweet(text="hi")
    assert int(limited.value.response.headers["x-rate-limit-reset"]) == reset
    x_api.fail_next_credits_depleted("POST /2/tweets")
    with pytest.raises(tweepy.errors.HTTPException) as broke:
        client.create_tweet(text="hi")
    assert broke.value.response.status_code == 402
    x_api.fail_next("*", 503)
    with pytest.raises(tweepy.errors.TwitterServerError):
        client.get_me()
    client.create_tweet(text="hi")  # the scripted failures are used up
    assert x_api.posted_texts() == ["hi"]


def test_hold_applies_the_post_before_answering(x_api: FakeXApi) -> None:
    client = user_client(x_api.base_url)
    client.session.request = _with_timeout(client.session.request, 0.3)
    x_api.hold_next("POST /2/tweets", 5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.create_tweet(text="sent, but the answer never came")
    assert x_api.posted_texts() == ["sent, but the answer never came"]
    x_api.release_holds()


def _with_timeout(request: object, seconds: float) -> object:
    def wrapped(*args: object, **kwargs: object) -> object:
        kwargs["timeout"] = seconds
        return request(*args, **kwargs)  # type: ignore[operator]

    return wrapped


def test_standalone_x_api_keeps_posts_across_clients(tmp_path: Path) -> None:
    with XApiProcess(tmp_path) as server:
        user_client(server.base_url).create_tweet(text="first")
        server.fail_next("POST /2/tweets", 500)
        with pytest.raises(tweepy.errors.TwitterServerError):
            user_client(server.base_url).create_tweet(text="second")
        user_client(server.base_url).create_tweet(text="second")
        assert [p["text"] for p in server.posted()] == ["first", "second"]
    state = json.loads(server.state_path.read_text(encoding="utf-8"))
    assert [p["text"] for p in state["posts"]] == ["first", "second"]


# -- Sheets with gspread -------------------------------------------------------------------


def test_gspread_reads_through_service_account_token(sheets: FakeSheets, tmp_path: Path) -> None:
    book = sheets_client(sheets, tmp_path).open_by_key(SHEET_KEY)
    assert book.title == "Chat calendar"
    tab = book.worksheet("Chats")
    assert tab.get_all_values() == [["Hashtag", "When"], ["#edchat", "Tuesdays 7pm ET"]]
    assert tab.row_values(1) == ["Hashtag", "When"]
    assert book.get_worksheet_by_id(tab.id).title == "Chats"
    assert sheets.requests[0].route == "POST /token"


def test_append_raw_keeps_formula_text(sheets: FakeSheets, tmp_path: Path) -> None:
    tab = sheets_client(sheets, tmp_path).open_by_key(SHEET_KEY).worksheet("Chats")
    tab.append_row(
        ["#IndieDevHour", '=IMPORTXML("http://x", "//a")'], value_input_option=ValueInputOption.raw
    )
    tab.append_row(["#Other", "=1+1"], value_input_option=ValueInputOption.user_entered)
    values = tab.get_all_values()
    assert values[2] == ["#IndieDevHour", '=IMPORTXML("http://x", "//a")']
    assert values[3] == ["#Other", FORMULA_RESULT]


def test_update_and_rows_inserted_by_others(sheets: FakeSheets, tmp_path: Path) -> None:
    tab = sheets_client(sheets, tmp_path).open_by_key(SHEET_KEY).worksheet("Chats")
    tab.update([["#edchat", "Wednesdays 8pm ET"]], "A2")
    sheets.insert_rows_above(SHEET_KEY, "Chats", 2, [["#new", "Fridays"]])
    assert tab.get_all_values()[1:] == [["#new", "Fridays"], ["#edchat", "Wednesdays 8pm ET"]]


def test_sheets_errors_surface_as_api_errors(sheets: FakeSheets, tmp_path: Path) -> None:
    client = sheets_client(sheets, tmp_path)
    tab = client.open_by_key(SHEET_KEY).worksheet("Chats")
    sheets.fail_next("POST /v4/spreadsheets/:id/values/:range:append", 403, PERMISSION_DENIED)
    with pytest.raises(gspread.exceptions.APIError) as denied:
        tab.append_row(["#x"])
    assert denied.value.code == 403
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open_by_key("no-such-sheet")


# -- Mastodon with requests ----------------------------------------------------------------


def test_mastodon_tag_entity() -> None:
    with FakeMastodon() as mastodon:
        mastodon.set_tag("IndieDevHour", uses=[12, 3], accounts=[5, 2])
        tag = requests.get(f"{mastodon.base_url}/api/v1/tags/indiedevhour", timeout=5).json()
        assert tag["name"] == "IndieDevHour"
        assert [(h["uses"], h["accounts"]) for h in tag["history"]] == [("12", "5"), ("3", "2")]
        assert int(tag["history"][0]["day"]) > int(tag["history"][1]["day"])
        missing = requests.get(f"{mastodon.base_url}/api/v1/tags/nope", timeout=5)
        assert (missing.status_code, missing.json()) == (404, {"error": "Record not found"})


def test_wrong_consumer_key_is_unauthorized(x_api: FakeXApi) -> None:
    client = tweepy.Client(
        consumer_key="other", consumer_secret="cs", access_token="at", access_token_secret="ats"
    )
    mount_base_url(client.session, x_api.base_url, X_HOSTS)
    with pytest.raises(tweepy.errors.Unauthorized):
        client.create_tweet(text="hi")
    assert x_api.posted() == []


def test_hold_before_apply_then_fail_leaves_no_post(x_api: FakeXApi) -> None:
    client = user_client(x_api.base_url)
    x_api.hold_next("POST /2/tweets", 0.2, apply_first=False)
    x_api.fail_next("POST /2/tweets", 503)
    started = time.monotonic()
    with pytest.raises(tweepy.errors.TwitterServerError):
        client.create_tweet(text="never")
    assert time.monotonic() - started >= 0.2
    assert x_api.posted() == []


def test_users_tweets_paginates(x_api: FakeXApi) -> None:
    client = user_client(x_api.base_url)
    for n in range(7):
        client.create_tweet(text=f"post {n}")
    first = client.get_users_tweets(x_api.user["id"], max_results=5, user_auth=True)
    assert [t.text for t in first.data] == [f"post {n}" for n in (6, 5, 4, 3, 2)]
    rest = client.get_users_tweets(
        x_api.user["id"], max_results=5, pagination_token=first.meta["next_token"], user_auth=True
    )
    assert [t.text for t in rest.data] == ["post 1", "post 0"]
    assert "next_token" not in rest.meta


@pytest.mark.parametrize(
    ("a1", "expected"),
    [
        ("'Chats'!A1:Z", ("Chats", (0, 0, None, 25))),
        ("'It''s'!A2", ("It's", (1, 0, 1, 0))),
        ("'Chats'", ("Chats", (0, 0, None, None))),
        ("'Chats'!A1:1", ("Chats", (0, 0, 0, None))),
        ("Chats!B:C", ("Chats", (0, 1, None, 2))),
        ("A1:B2", (None, (0, 0, 1, 1))),
    ],
)
def test_a1_notation(a1: str, expected: tuple[str | None, tuple[int, ...]]) -> None:
    title, cells = split_range(a1)
    assert (title, parse_cells(cells)) == expected


def test_gspread_batch_get_and_columns(sheets: FakeSheets, tmp_path: Path) -> None:
    tab = sheets_client(sheets, tmp_path).open_by_key(SHEET_KEY).worksheet("Chats")
    first, second = tab.batch_get(["A1:A2", "B2"])
    assert (first, second) == ([["Hashtag"], ["#edchat"]], [["Tuesdays 7pm ET"]])
    assert tab.col_values(2) == ["When", "Tuesdays 7pm ET"]
    tab.batch_update([{"range": "C1", "values": [["Topic"]]}])
    assert sheets.worksheet(SHEET_KEY, "Chats").rows[0] == ["Hashtag", "When", "Topic"]


def test_server_outlives_a_killed_client(fake_x_api_process: XApiProcess, tmp_path: Path) -> None:
    server = fake_x_api_process
    server.hold_next("POST /2/tweets", 30)
    script = (
        "import tweepy\n"
        "from launchkit.adapters.http import mount_base_url\n"
        "c = tweepy.Client(consumer_key='k', consumer_secret='s', access_token='a',"
        " access_token_secret='t')\n"
        f"mount_base_url(c.session, {server.base_url!r}, ['https://api.twitter.com'])\n"
        "c.create_tweet(text='in flight when killed')\n"
    )
    client = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parents[1])
    deadline = time.monotonic() + 10
    while not server.posted() and time.monotonic() < deadline:
        time.sleep(0.05)
    client.send_signal(signal.SIGKILL)
    client.wait(timeout=10)
    assert [p["text"] for p in server.posted()] == ["in flight when killed"]
    user_client(server.base_url).create_tweet(text="after restart")
    assert len(server.posted()) == 2
