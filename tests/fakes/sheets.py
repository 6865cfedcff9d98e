"""A fake Google Sheets v4 API plus the OAuth token endpoint of a service account.

    with FakeSheets() as fake:
        fake.add_spreadsheet("sheet-key", "Chat calendar", {"Chats": [["Hashtag", "When"]]})
        email = write_service_account_key(tmp_path / "key.json", fake.base_url)
        gc = gspread.service_account(filename=tmp_path / "key.json")
        mount_base_url(gc.http_client.session, fake.base_url, SHEETS_HOSTS)
        fake.fail_next("*", 403, PERMISSION_DENIED)

Cells are strings. With ``valueInputOption=USER_ENTERED`` a value starting with ``=`` is kept
as a formula and reads back as :data:`FORMULA_RESULT` (``valueRenderOption=FORMULA`` gives
the formula); with ``RAW`` it is kept verbatim, as Sheets does.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.fakes.servers import JSON, FakeRequest, FakeResponse, FakeServer
from tests.fakes.sheet_model import (
    FORMULA_RESULT,
    Formula,
    Spreadsheet,
    Worksheet,
    a1_range,
    cell_text,
    parse_cells,
    split_range,
)

__all__ = [
    "FORMULA_RESULT",
    "NOT_FOUND",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "SHEETS_HOSTS",
    "UNAUTHENTICATED",
    "FakeSheets",
    "Formula",
    "google_error",
    "write_service_account_key",
]

SHEETS_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")


def google_error(code: int, message: str, status: str) -> dict[str, JSON]:
    """Google's JSON error body."""
    return {"error": {"code": code, "message": message, "status": status}}


PERMISSION_DENIED = google_error(403, "The caller does not have permission", "PERMISSION_DENIED")
NOT_FOUND = google_error(404, "Requested entity was not found.", "NOT_FOUND")
RESOURCE_EXHAUSTED = google_error(
    429,
    "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per "
    "minute per user' of service 'sheets.googleapis.com'.",
    "RESOURCE_EXHAUSTED",
)
UNAUTHENTICATED = google_error(
    401, "Request is missing required authentication credential.", "UNAUTHENTICATED"
)


# -- the server ----------------------------------------------------------------------------


class FakeSheets(FakeServer):
    """Fake Sheets v4 values API and service-account token endpoint."""

    def __init__(self, *, service_accounts: Sequence[str] | None = None) -> None:
        """``service_accounts``: client emails the token endpoint accepts (None: any)."""
        super().__init__()
        self.spreadsheets: dict[str, Spreadsheet] = {}
        self.service_accounts = set(service_accounts) if service_accounts is not None else None
        self.tokens: dict[str, str] = {}
        self.route("POST /token", self._token)
        self.route("GET /v4/spreadsheets/:id", self._metadata)
        self.route("GET /v4/spreadsheets/:id/values:batchGet", self._batch_get)
        self.route("POST /v4/spreadsheets/:id/values:batchUpdate", self._batch_update)
        self.route("GET /v4/spreadsheets/:id/values/:range", self._get)
        self.route("PUT /v4/spreadsheets/:id/values/:range", self._update)
        self.route("POST /v4/spreadsheets/:id/values/:range:append", self._append)

    # -- seeding and inspecting -----------------------------------------------------------

    def add_spreadsheet(
        self, spreadsheet_id: str, title: str, worksheets: Mapping[str, Sequence[Sequence[str]]]
    ) -> None:
        """Create a spreadsheet whose tabs (in order) hold these rows."""
        tabs = [
            Worksheet(i * 1000, name, [list(r) for r in rows])
            for i, (name, rows) in enumerate(worksheets.items())
        ]
        self.spreadsheets[spreadsheet_id] = Spreadsheet(title, tabs)

    def worksheet(self, spreadsheet_id: str, title: str) -> Worksheet:
        """A tab, for assertions (``.rows``; formulas are :class:`Formula` strings)."""
        return next(w for w in self.spreadsheets[spreadsheet_id].sheets if w.title == title)

    def insert_rows_above(
        self, spreadsheet_id: str, title: str, row: int, rows: Sequence[Sequence[str]]
    ) -> None:
        """Insert ``rows`` before 1-based ``row``, as another editor would."""
        with self._lock:
            tab = self.worksheet(spreadsheet_id, title)
            tab.rows[row - 1 : row - 1] = [list(r) for r in rows]

    def not_found(self, request: FakeRequest) -> FakeResponse:
        """Google's 404 body, so gspread's APIError can read it."""
        return FakeResponse(404, NOT_FOUND)

    # -- auth -----------------------------------------------------------------------------

    def check_auth(self, request: FakeRequest) -> FakeResponse | None:
        """Sheets calls need a bearer token this fake issued."""
        if request.route == "POST /token":
            return None
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return None if token in self.tokens else FakeResponse(401, UNAUTHENTICATED)

    def _token(self, request: FakeRequest) -> FakeResponse:
        form = request.form()
        if form.get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer":
            return FakeResponse(
                400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}
            )
        try:
            payload_b64 = form["assertion"].split(".")[1]
            claims = json.loads(base64.urlsafe_b64decode(payload_b64 + "=" * 4))
        except (KeyError, IndexError, ValueError):
            return FakeResponse(400, {"error": "invalid_grant", "error_description": "Bad JWT"})
        issuer = claims.get("iss", "")
        if self.service_accounts is not None and issuer not in self.service_accounts:
            return FakeResponse(
                400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
            )
        token = "ya29.fake-" + secrets.token_urlsafe(16)
        with self._lock:
            self.tokens[token] = issuer
        return FakeResponse(
            200, {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}
        )

    # -- lookups --------------------------------------------------------------------------

    def _resolve(self, request: FakeRequest, a1: str) -> tuple[Worksheet, str] | FakeResponse:
        book = self.spreadsheets.get(request.params["id"])
        if book is None:
            return FakeResponse(404, NOT_FOUND)
        for tab in book.sheets:
            if tab.title == a1:
                return tab, ""
        try:
            title, cells = split_range(a1)
            parse_cells(cells)
        except ValueError:
            title, cells = "\0", ""
        for tab in book.sheets:
            if title is None or tab.title == title:
                return tab, cells
        return FakeResponse(
            400, google_error(400, f"Unable to parse range: {a1}", "INVALID_ARGUMENT")
        )

    def _metadata(self, request: FakeRequest) -> FakeResponse:
        book = self.spreadsheets.get(request.params["id"])
        if book is None:
            return FakeResponse(404, NOT_FOUND)
        sheets = []
        for index, tab in enumerate(book.sheets):
            rows, cols = tab.grid()
            sheets.append(
                {
                    "properties": {
                        "sheetId": tab.sheet_id,
                        "title": tab.title,
                        "index": index,
                        "sheetType": "GRID",
                        "gridProperties": {"rowCount": rows, "columnCount": cols},
                    }
                }
            )
        return FakeResponse(
            200,
            {
                "spreadsheetId": request.params["id"],
                "properties": {
                    "title": book.title,
                    "locale": "en_US",
                    "timeZone": "Etc/GMT",
                    "autoRecalc": "ON_CHANGE",
                },
                "sheets": sheets,
                "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{request.params['id']}/edit",
            },
        )

    # -- reading --------------------------------------------------------------------------

    def _value_range(self, tab: Worksheet, cells: str, render: str, major: str) -> dict[str, JSON]:
        row0, col0, row1, col1 = parse_cells(cells)
        rows, cols = tab.grid()
        row1 = rows - 1 if row1 is None else row1
        col1 = cols - 1 if col1 is None else col1
        values: list[list[str]] = []
        for row in tab.rows[row0 : row1 + 1]:
            picked = [
                c if render == "FORMULA" or not isinstance(c, Formula) else FORMULA_RESULT
                for c in row[col0 : col1 + 1]
            ]
            while picked and picked[-1] == "":  # Sheets drops trailing empty cells...
                picked.pop()
            values.append(picked)
        while values and not values[-1]:  # ...and trailing empty rows
            values.pop()
        if major == "COLUMNS":
            width = max((len(r) for r in values), default=0)
            values = [[r[c] if c < len(r) else "" for r in values] for c in range(width)]
            while values and not any(values[-1]):
                values.pop()
        body: dict[str, JSON] = {
            "range": a1_range(tab.title, row0, col0, row1, col1),
            "majorDimension": major,
        }
        if values:
            body["values"] = values
        return body

    def _get(self, request: FakeRequest) -> FakeResponse:
        found = self._resolve(request, request.params["range"])
        if isinstance(found, FakeResponse):
            return found
        render = request.arg("valueRenderOption") or "FORMATTED_VALUE"
        major = request.arg("majorDimension") or "ROWS"
        with self._lock:
            return FakeResponse(200, self._value_range(*found, render, major))

    def _batch_get(self, request: FakeRequest) -> FakeResponse:
        ranges = []
        for a1 in request.query.get("ranges", []):
            found = self._resolve(request, a1)
            if isinstance(found, FakeResponse):
                return found
            render = request.arg("valueRenderOption") or "FORMATTED_VALUE"
            with self._lock:
                ranges.append(
                    self._value_range(*found, render, request.arg("majorDimension") or "ROWS")
                )
        return FakeResponse(200, {"spreadsheetId": request.params["id"], "valueRanges": ranges})

    # -- writing --------------------------------------------------------------------------

    def _write(self, tab: Worksheet, row0: int, col0: int, values: list[list[str]]) -> JSON:
        while len(tab.rows) < row0 + len(values):
            tab.rows.append([])
        for offset, new in enumerate(values):
            row = tab.rows[row0 + offset]
            if len(row) < col0 + len(new):
                row.extend([""] * (col0 + len(new) - len(row)))
            row[col0 : col0 + len(new)] = new
        width = max((len(v) for v in values), default=0)
        last_row, last_col = row0 + max(len(values), 1) - 1, col0 + max(width, 1) - 1
        return {
            "updatedRange": a1_range(tab.title, row0, col0, last_row, last_col),
            "updatedRows": len(values),
            "updatedColumns": width,
            "updatedCells": sum(len(v) for v in values),
        }

    @staticmethod
    def _cells(body: Mapping[str, JSON], user_entered: bool) -> list[list[str]]:
        values = [[cell_text(v, user_entered) for v in row] for row in body.get("values") or []]
        if body.get("majorDimension") == "COLUMNS":
            width = max((len(c) for c in values), default=0)
            values = [[c[r] if r < len(c) else "" for c in values] for r in range(width)]
        return values

    def _input_option(self, option: str | None) -> bool | FakeResponse:
        if option not in ("RAW", "USER_ENTERED"):
            return FakeResponse(
                400,
                google_error(
                    400, "'valueInputOption' is required but not specified", "INVALID_ARGUMENT"
                ),
            )
        return option == "USER_ENTERED"

    def _write_target(
        self, request: FakeRequest
    ) -> tuple[Worksheet, str, list[list[str]]] | FakeResponse:
        """The tab, cell range and converted values of an update or append request."""
        user_entered = self._input_option(request.arg("valueInputOption"))
        if isinstance(user_entered, FakeResponse):
            return user_entered
        found = self._resolve(request, request.params["range"])
        if isinstance(found, FakeResponse):
            return found
        return (*found, self._cells(request.json() or {}, user_entered))

    def _update(self, request: FakeRequest) -> FakeResponse:
        target = self._write_target(request)
        if isinstance(target, FakeResponse):
            return target
        tab, cells, values = target
        row0, col0, _, _ = parse_cells(cells)
        with self._lock:
            result = self._write(tab, row0, col0, values)
        return FakeResponse(200, {"spreadsheetId": request.params["id"], **result})

    def _append(self, request: FakeRequest) -> FakeResponse:
        target = self._write_target(request)
        if isinstance(target, FakeResponse):
            return target
        tab, cells, values = target
        _, col0, _, _ = parse_cells(cells)
        with self._lock:
            # The "table" is every row down to the last non-empty one; append just below it.
            used = len(tab.rows)
            while used and not any(tab.rows[used - 1]):
                used -= 1
            width = max([1, *(len(r) for r in tab.rows[:used])])
            table = a1_range(tab.title, 0, 0, max(used, 1) - 1, width - 1)
            updates = self._write(tab, used, col0, values)
        sid = request.params["id"]
        updates = {"spreadsheetId": sid, **updates}
        return FakeResponse(200, {"spreadsheetId": sid, "tableRange": table, "updates": updates})

    def _batch_update(self, request: FakeRequest) -> FakeResponse:
        body = request.json() or {}
        user_entered = self._input_option(body.get("valueInputOption"))
        if isinstance(user_entered, FakeResponse):
            return user_entered
        responses = []
        for item in body.get("data", []):
            found = self._resolve(request, item["range"])
            if isinstance(found, FakeResponse):
                return found
            tab, cells = found
            row0, col0, _, _ = parse_cells(cells)
            with self._lock:
                result = self._write(tab, row0, col0, self._cells(item, user_entered))
            responses.append({"spreadsheetId": request.params["id"], **result})
        return FakeResponse(
            200,
            {
                "spreadsheetId": request.params["id"],
                "totalUpdatedRows": sum(r["updatedRows"] for r in responses),
                "totalUpdatedCells": sum(r["updatedCells"] for r in responses),
                "responses": responses,
            },
        )


def write_service_account_key(
    path: str | Path,
    base_url: str,
    email: str = "launchkit-test@fake-project.iam.gserviceaccount.com",
) -> str:
    """Write a service-account JSON key whose ``token_uri`` is the fake; return the email.

    The RSA key is real (google-auth signs the JWT grant with it), generated on the spot.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    info = {
        "type": "service_account",
        "project_id": "fake-project",
        "private_key_id": secrets.token_hex(20),
        "private_key": pem,
        "client_email": email,
        "client_id": "100000000000000000001",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": f"{base_url.rstrip('/')}/token",
        "universe_domain": "googleapis.com",
    }
    Path(path).write_text(json.dumps(info, indent=2), encoding="utf-8")
    return email
