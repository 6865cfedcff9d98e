"""Google Sheets through gspread: open a sheet by URL or key, read its cells as text.

Shared by `calendar` (reading the public calendar) and `submit` (writing a chat to it).
gspread and google-auth exceptions become launchkit errors here, each with a hint.
gspread has no base-URL option, so `settings.sheets_api_base_url` is mounted on the client's
session (launchkit/adapters/http.py); the OAuth token endpoint is the key file's `token_uri`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from launchkit.errors import (
    ConfigError,
    CredentialsError,
    LaunchkitError,
    QuotaExceeded,
    RemoteError,
)

if TYPE_CHECKING:
    import gspread

    from launchkit.settings import Settings

SHEETS_HOSTS = ("https://sheets.googleapis.com", "https://www.googleapis.com")
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)

# Spreadsheet keys are URL-safe base64-ish ids; real ones are 44 characters, but shorter
# ids exist in old sheets and in tests, so only the alphabet and a minimum length are checked.
_KEY = re.compile(r"^[A-Za-z0-9_-]{8,}$")
_URL_KEY = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")

CREDENTIALS_HINT = (
    "create a service-account key (Google Cloud console → IAM → Service accounts → Keys → "
    "Add key → JSON), save it, and set LAUNCHKIT_GOOGLE_CREDENTIALS=/path/to/key.json; "
    "then share the sheet with the account's client_email"
)


@dataclass(frozen=True)
class SheetRef:
    """A spreadsheet key and, when the URL named one, a worksheet id (gid)."""

    key: str
    gid: int | None = None


def is_sheet_ref(text: str) -> bool:
    """True when `text` looks like a Google Sheets URL or a bare spreadsheet key."""
    if text.startswith(("http://", "https://")):
        return "docs.google.com" in text and "/spreadsheets/d/" in text
    # A bare key is long (44 characters today, 25+ in old sheets); a shorter word is more
    # likely a mistyped file name, which should not turn into a network fetch.
    return len(text) >= 20 and bool(_KEY.match(text)) and not Path(text).suffix


def parse_sheet_ref(text: str) -> SheetRef:
    """Read a Google Sheets URL (…/spreadsheets/d/KEY/edit#gid=N) or a bare key."""
    text = text.strip()
    if text.startswith(("http://", "https://")):
        match = _URL_KEY.search(urlsplit(text).path)
        if not match or not _KEY.match(match.group(1)):
            raise ConfigError(
                f"not a Google Sheets URL: {text}",
                hint="use https://docs.google.com/spreadsheets/d/KEY/edit#gid=N or the bare KEY",
            )
        return SheetRef(match.group(1), _gid(text))
    if not _KEY.match(text):
        raise ConfigError(
            f"not a Google Sheets key: {text!r}",
            hint="a key is the long id in the sheet's URL, between /d/ and /edit",
        )
    return SheetRef(text)


def _gid(url: str) -> int | None:
    parts = urlsplit(url)
    # The gid appears in the fragment (#gid=) in browser URLs, in the query in export URLs.
    for piece in (parts.fragment, parts.query):
        values = parse_qs(piece).get("gid")
        if values:
            if not values[0].isdigit():
                raise ConfigError(f"gid must be a number in {url}", hint="copy the URL again")
            return int(values[0])
    return None


def _service_account_info(settings: Settings) -> dict[str, Any]:
    path_text = settings.google_credentials
    if not path_text:
        raise CredentialsError(
            "no Google credentials to read the sheet with", hint=CREDENTIALS_HINT
        )
    path = Path(path_text).expanduser()
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CredentialsError(
            f"Google credentials file not found: {path}", hint=CREDENTIALS_HINT
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CredentialsError(
            f"{path}: not a readable JSON key ({type(exc).__name__})", hint=CREDENTIALS_HINT
        ) from None
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise CredentialsError(f"{path}: not a service-account key", hint=CREDENTIALS_HINT)
    return info


def service_account_email(settings: Settings) -> str | None:
    """The client_email of the configured key, or None when there is no readable key."""
    try:
        email = _service_account_info(settings).get("client_email")
    except ConfigError:
        return None
    return email if isinstance(email, str) else None


def sheets_client(settings: Settings) -> gspread.Client:
    """An authorised gspread client for the configured service account."""
    import gspread
    import requests
    from google.oauth2.service_account import Credentials

    from launchkit.adapters.http import apply_deadline, credentials_url, mount_base_url

    info = _service_account_info(settings)
    token_uri = info.get("token_uri")
    if isinstance(token_uri, str):
        credentials_url(token_uri, f"{settings.google_credentials}: token_uri")
    try:
        credentials = Credentials.from_service_account_info(info, scopes=SCOPES)  # type: ignore[no-untyped-call]
    except (ValueError, KeyError) as exc:
        raise CredentialsError(
            f"{settings.google_credentials}: the key is incomplete ({exc})", hint=CREDENTIALS_HINT
        ) from None
    client = gspread.Client(auth=credentials)
    deadline = settings.http_timeout_s
    client.set_timeout(deadline)
    session = client.http_client.session
    apply_deadline(session, deadline)
    # google-auth refreshes the token through a private session of its own (no option to
    # pass one that gspread would also accept): it gets the same deadline.
    token_session = getattr(session, "_auth_request_session", None)
    if isinstance(token_session, requests.Session):
        apply_deadline(token_session, deadline)
    if settings.sheets_api_base_url:
        base_url = credentials_url(settings.sheets_api_base_url, "LAUNCHKIT_SHEETS_API_BASE_URL")
        mount_base_url(session, base_url, SHEETS_HOSTS, deadline)
    return client


def open_worksheet(
    client: gspread.Client, ref: SheetRef, worksheet_name: str | None = None
) -> gspread.Worksheet:
    """The named worksheet, else the one with the ref's gid, else the first one."""
    import gspread

    email = getattr(client.http_client.auth, "service_account_email", None)
    try:
        book = client.open_by_key(ref.key)
        if worksheet_name:
            try:
                return book.worksheet(worksheet_name)
            except gspread.exceptions.WorksheetNotFound:
                names = ", ".join(repr(w.title) for w in book.worksheets())
                raise ConfigError(
                    f"no worksheet {worksheet_name!r} in spreadsheet {ref.key}",
                    hint=f"worksheets: {names}",
                ) from None
        if ref.gid is not None:
            try:
                return book.get_worksheet_by_id(ref.gid)
            except gspread.exceptions.WorksheetNotFound:
                names = ", ".join(f"{w.title!r} (gid {w.id})" for w in book.worksheets())
                raise ConfigError(
                    f"no worksheet with gid {ref.gid} in spreadsheet {ref.key}",
                    hint=f"worksheets: {names}",
                ) from None
        return book.sheet1
    except LaunchkitError:
        raise
    except Exception as exc:
        raise sheets_error(exc, email) from None


def read_values(settings: Settings, ref: SheetRef, worksheet: str | None = None) -> list[list[str]]:
    """Every cell of the worksheet as text (formatted values: no number coercion)."""
    client = sheets_client(settings)
    email = service_account_email(settings)
    tab = open_worksheet(client, ref, worksheet)
    try:
        values = tab.get_all_values()
    except Exception as exc:
        raise sheets_error(exc, email) from None
    return [[str(cell) for cell in row] for row in values]


def sheets_error(exc: BaseException, client_email: str | None = None) -> LaunchkitError:
    """Translate a gspread / google-auth / requests exception into a launchkit error."""
    import gspread
    import requests
    from google.auth import exceptions as auth_exc

    if isinstance(exc, LaunchkitError):
        return exc
    share = (
        f"share the sheet with {client_email} (Share → add that address as Viewer or Editor)"
        if client_email
        else "share the sheet with your service account's client_email"
    )
    # gspread turns a 403 on open into a bare PermissionError raised from the APIError.
    cause = exc.__cause__ if isinstance(exc, PermissionError) else exc
    status = _status(cause)
    if isinstance(exc, PermissionError) or status == 403:
        return RemoteError("Google Sheets refused access to the sheet (403)", hint=share)
    if isinstance(exc, gspread.exceptions.SpreadsheetNotFound) or status == 404:
        return RemoteError(
            "Google Sheets: spreadsheet not found (404)",
            hint=f"check the URL or key; if it is right, {share}",
        )
    if status == 429:
        return QuotaExceeded(
            "Google Sheets: quota exceeded (429 Too Many Requests)",
            hint="wait a minute and try again",
        )
    if status == 401 or isinstance(exc, auth_exc.RefreshError):
        return RemoteError(
            "Google rejected the service-account credentials",
            hint="the key may be deleted or disabled; create a new one. " + CREDENTIALS_HINT,
        )
    if isinstance(exc, requests.Timeout):
        return RemoteError(
            "Google Sheets did not answer in time",
            hint="try again, or raise LAUNCHKIT_HTTP_TIMEOUT_S",
        )
    if isinstance(exc, requests.RequestException | auth_exc.TransportError):
        return RemoteError(
            "could not reach Google Sheets (network error)",
            hint="check your connection and try again",
        )
    if isinstance(exc, gspread.exceptions.APIError):
        return RemoteError(f"Google Sheets error {status}: {_api_message(exc)}")
    return RemoteError(f"Google Sheets failed: {type(exc).__name__}")


def _status(exc: BaseException | None) -> int | None:
    response = getattr(exc, "response", None)
    code = getattr(response, "status_code", None)
    return code if isinstance(code, int) else None


def _api_message(exc: BaseException) -> str:
    error = getattr(exc, "error", None)
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return str(error["message"])[:200]
    return type(exc).__name__
