"""Writing a chat's row to a calendar sheet with gspread: append, update in place, re-read.

Every value goes in with ``valueInputOption=RAW``, so a cell starting with ``=``, ``+``, ``-``
or ``@`` (a chat named ``=IMPORTXML(...)``) is stored as text and never evaluated. A 429 is
retried after the delay the server names (Retry-After), a bounded number of times: a 429
means the request was not applied, so even an append is safe to repeat. Other errors become
launchkit errors through `sheets.sheets_error`, with its hints (403 names the account to
share the sheet with).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from launchkit.adapters.sheets import (
    SheetRef,
    open_worksheet,
    service_account_email,
    sheets_client,
    sheets_error,
)
from launchkit.errors import QuotaExceeded, RemoteError

if TYPE_CHECKING:
    import gspread

    from launchkit.settings import Settings

__all__ = ["GspreadCalendarSheet", "open_calendar_sheet", "retry_after_s"]

MAX_ATTEMPTS = 4
MAX_WAIT_S = 90.0  # Sheets quotas are per minute; a longer wait means "come back later"
_ROW_IN_RANGE = re.compile(r"![A-Z]*(\d+)")

Sleep = Callable[[float], None]


def retry_after_s(headers: Mapping[str, str], attempt: int) -> float:
    """The server's Retry-After in seconds, else an exponential backoff (1, 2, 4 … s)."""
    text = headers.get("Retry-After", "").strip()
    if text.isdigit():
        return float(text)
    return float(2**attempt)


def _retrying_requests(http_client: Any, sleep: Sleep) -> None:
    """Make every request of a gspread HTTPClient retry a 429 after the server's delay."""
    import gspread

    send = http_client.request

    def request(*args: Any, **kwargs: Any) -> Any:
        for attempt in range(MAX_ATTEMPTS):
            try:
                return send(*args, **kwargs)
            except gspread.exceptions.APIError as exc:
                if exc.response.status_code != 429 or attempt == MAX_ATTEMPTS - 1:
                    raise
                delay = retry_after_s(exc.response.headers, attempt)
                if delay > MAX_WAIT_S:
                    raise
                sleep(delay)
        raise AssertionError("unreachable")  # the loop returns or raises

    # gspread has no retry hook that honours Retry-After (its BackOffHTTPClient guesses),
    # so the bound method is wrapped on this one client instance.
    http_client.request = request


class GspreadCalendarSheet:
    """One worksheet of a calendar spreadsheet, read and written through gspread."""

    def __init__(self, worksheet: gspread.Worksheet, key: str, email: str | None) -> None:
        self._tab = worksheet
        self.key = key
        self.title: str = worksheet.title
        self._email = email

    def _call(self, what: str, func: Callable[[], Any]) -> Any:
        try:
            return func()
        except Exception as exc:
            error = sheets_error(exc, self._email)
            if isinstance(error, QuotaExceeded):
                error = QuotaExceeded(
                    f"{error.message} while trying to {what}, after {MAX_ATTEMPTS} attempts",
                    hint="the sheet's write quota is used up; wait a minute and run it again",
                )
            raise error from None

    def read(self) -> list[list[str]]:
        """Every cell as text, as people see it (formatted values)."""
        values = self._call("read the sheet", self._tab.get_all_values)
        return [[str(cell) for cell in row] for row in values]

    def append(self, values: Sequence[str], header_row: int) -> int:
        """Append a row below the table (RAW: nothing evaluated); return its row number."""
        from gspread.utils import ValueInputOption

        response = self._call(
            "append the row",
            lambda: self._tab.append_row(
                list(values),
                value_input_option=ValueInputOption.raw,
                table_range=f"A{header_row}",
            ),
        )
        updated = str((response or {}).get("updates", {}).get("updatedRange", ""))
        match = _ROW_IN_RANGE.search(updated)
        if match is None:
            raise RemoteError(
                "Google Sheets appended the row but did not say where",
                hint="check the sheet; running submit again will find the row by its hashtag",
            )
        return int(match.group(1))

    def update_cells(self, row: int, cells: Mapping[int, str]) -> None:
        """Write only these cells (0-based column -> text) of `row`, RAW, in one request."""
        from gspread.utils import ValueInputOption, rowcol_to_a1

        data = [
            {"range": rowcol_to_a1(row, column + 1), "values": [[text]]}
            for column, text in sorted(cells.items())
        ]
        self._call(
            "update the row",
            lambda: self._tab.batch_update(data, value_input_option=ValueInputOption.raw),
        )


def open_calendar_sheet(
    settings: Settings, ref: SheetRef, worksheet: str | None, sleep: Sleep = time.sleep
) -> GspreadCalendarSheet:
    """Open the calendar worksheet for writing (named, else the URL's gid, else the first)."""
    client = sheets_client(settings)
    _retrying_requests(client.http_client, sleep)
    tab = open_worksheet(client, ref, worksheet)
    return GspreadCalendarSheet(tab, ref.key, service_account_email(settings))
