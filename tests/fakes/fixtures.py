"""pytest fixtures for the fake services; enable with ``pytest_plugins = ["tests.fakes.fixtures"]``.

Each fixture starts its fake on 127.0.0.1 (port 0) for one test and stops it afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon import FakeMastodon
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.fakes.sheets import FakeSheets, write_service_account_key
from tests.fakes.x_api import FakeXApi, XApiProcess
from tests.fakes.x_search import FakeXSearch
from tests.support import FakeTime

# When `clock` starts: a minute after a Tuesday 8pm New York session began.
CLOCK_START = datetime(2027, 1, 12, 1, 1, tzinfo=UTC)


@pytest.fixture
def clock() -> FakeTime:
    """A clock that moves only when the code under test sleeps (override it to start
    elsewhere); an unbounded wait fails the test instead of hanging it."""
    return FakeTime(CLOCK_START)


@pytest.fixture
def x(clock: FakeTime) -> Iterator[FakeXApi]:
    """The fake X API on the test's `clock`: its created_at agrees with the ledger's moments."""
    with FakeXApi(now=clock) as server:
        yield server


@pytest.fixture
def fake_x_api() -> Iterator[FakeXApi]:
    """An in-process fake X API v2 (bearer token ``test-bearer-token``, any OAuth 1.0a keys)."""
    with FakeXApi() as server:
        yield server


@pytest.fixture
def fake_x_api_process(tmp_path: Path) -> Iterator[XApiProcess]:
    """The fake X API in its own process, with its posts in ``tmp_path/x_api.state.json``."""
    with XApiProcess(tmp_path) as server:
        yield server


@pytest.fixture
def fake_sheets() -> Iterator[FakeSheets]:
    """An empty fake Sheets API; seed it with ``add_spreadsheet``."""
    with FakeSheets() as server:
        yield server


@pytest.fixture
def sheets_key_file(fake_sheets: FakeSheets, tmp_path: Path) -> Path:
    """A service-account key file whose ``token_uri`` is ``fake_sheets``' token endpoint."""
    path = tmp_path / "service-account.json"
    write_service_account_key(path, fake_sheets.base_url)
    return path


@pytest.fixture
def fake_mastodon() -> Iterator[FakeMastodon]:
    """A fake Mastodon instance; make tags known with ``set_tag``."""
    with FakeMastodon() as server:
        yield server


@pytest.fixture
def fake_mastodon_api() -> Iterator[FakeMastodonApi]:
    """A fake Mastodon instance to post to (token ``test-mastodon-token``)."""
    with FakeMastodonApi() as server:
        yield server


@pytest.fixture
def fake_bluesky() -> Iterator[FakeBlueskyPds]:
    """A fake Bluesky PDS (handle ``chathost.test``, app password ``app-pass-word``)."""
    with FakeBlueskyPds() as server:
        yield server


# A scripted chat hour (tests/recap_hour.py) is read back after its window has closed: the
# fakes' clocks stand at that moment, so sessions, tokens and X's 7 days agree with it.


@pytest.fixture
def hour_mastodon() -> Iterator[FakeMastodonApi]:
    """A fake Mastodon instance whose clock stands after the scripted hour."""
    from tests.recap_hour import AFTER_WINDOW

    with FakeMastodonApi(clock=lambda: AFTER_WINDOW) as server:
        yield server


@pytest.fixture
def hour_bluesky() -> Iterator[FakeBlueskyPds]:
    """A fake Bluesky PDS whose clock stands after the scripted hour."""
    from tests.recap_hour import AFTER_WINDOW

    with FakeBlueskyPds(clock=lambda: AFTER_WINDOW) as server:
        yield server


@pytest.fixture
def hour_x() -> Iterator[FakeXSearch]:
    """A fake X API with recent search, its clock after the scripted hour."""
    from tests.recap_hour import AFTER_WINDOW

    with FakeXSearch(now=AFTER_WINDOW) as server:
        yield server
