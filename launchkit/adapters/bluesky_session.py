"""Bluesky's XRPC over requests, and a signed-in session kept between runs.

Why requests and not the `atproto` SDK: the SDK's import took 2.7 s (median, 13x `import
typer`) on the project machine, for the six XRPC calls launchkit makes; requests is already
what every other adapter uses (docs/ARCHITECTURE.md; the measurement is in the issue notes).
The tests drive this code over real HTTP against a fake PDS that the SDK itself also talks to.

The session (access and refresh tokens) is saved in `.launchkit/bluesky-session.json` beside
the ledger, mode 0600, never printed. A run uses the saved access token while it is fresh,
refreshes it when it has expired (com.atproto.server.refreshSession) and logs in with the
app password only when there is no usable session: the server allows 30 logins per 5
minutes and 300 a day, and cron runs `launchkit post` every minute.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from launchkit.adapters.publishing import AuthFailed, PublishError, RateLimited, Transient

__all__ = ["SESSION_FILE", "BlueskyAccount", "SavedSession", "SessionFile", "Xrpc", "XrpcError"]

SESSION_FILE = "bluesky-session.json"
# An access token this close to its expiry is refreshed first rather than sent and refused.
_EXPIRY_MARGIN = timedelta(seconds=60)
_EXPIRED = ("ExpiredToken", "InvalidToken")

AUTH_HINT = (
    "check LAUNCHKIT_BLUESKY_HANDLE and LAUNCHKIT_BLUESKY_APP_PASSWORD (an app password from "
    "Settings > Privacy and security > App passwords, not the account password) and "
    "LAUNCHKIT_BLUESKY_URL (your PDS; https://bsky.social for most accounts)"
)


class XrpcError(Exception):
    """An XRPC error answer: the HTTP status, atproto's `error` name and `message`."""

    def __init__(self, status: int, error: str, message: str, headers: Mapping[str, str]) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status, self.error, self.message, self.headers = status, error, message, headers


class Xrpc:
    """`GET|POST {base}/xrpc/{nsid}` with JSON in and out."""

    def __init__(self, base_url: str, timeout_s: float) -> None:
        from launchkit.adapters.http import deadline_session

        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        # Every call ends within the deadline as a whole, not only each read.
        self.session = deadline_session(timeout_s)

    def call(
        self,
        nsid: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
        token: str | None = None,
        procedure: bool = False,
    ) -> dict[str, Any]:
        """A query (GET) or, with a body or `procedure`, a procedure (POST); raises XrpcError
        for an error answer, Transient when the server cannot be reached."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        method = "POST" if body is not None or procedure else "GET"
        try:
            response = self.session.request(
                method,
                f"{self.base_url}/xrpc/{nsid}",
                params=params,
                json=body,
                headers=headers,
                timeout=self.timeout_s,
            )
        except requests.RequestException as exc:
            raise Transient(f"could not reach Bluesky ({type(exc).__name__})") from None
        try:
            answer = response.json() if response.content else {}
        except ValueError:
            answer = {}
        if response.status_code != 200:
            answer = answer if isinstance(answer, dict) else {}
            raise XrpcError(
                response.status_code,
                str(answer.get("error") or response.reason),
                str(answer.get("message") or ""),
                response.headers,
            )
        return answer if isinstance(answer, dict) else {}


def translate(exc: XrpcError) -> PublishError:
    """An XRPC error as the launchkit error the send loop handles."""
    detail = f"{exc.error}: {exc.message}" if exc.message else exc.error
    if exc.status == 429:
        reset = exc.headers.get("ratelimit-reset", "")
        when = datetime.fromtimestamp(int(reset), UTC) if reset.isdigit() else None
        return RateLimited("Bluesky", when)
    if exc.status in (401, 403) or exc.error in _EXPIRED:
        return AuthFailed(f"Bluesky refused the session ({exc.status} {detail})", hint=AUTH_HINT)
    if exc.status >= 500:
        return Transient(f"Bluesky had a server error ({exc.status} {detail})")
    return PublishError(f"Bluesky answered {exc.status} {detail}")


def token_expiry(token: str) -> datetime | None:
    """The `exp` of a JWT-shaped token (the payload is read, not verified: that is the
    server's job; the client only needs to know when to refresh)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.fromtimestamp(int(claims["exp"]), UTC)
    except (IndexError, ValueError, KeyError, TypeError, binascii.Error):
        return None


@dataclass(frozen=True)
class SavedSession:
    """What is kept between runs (both tokens are secrets)."""

    service: str  # the PDS the tokens belong to
    handle: str
    did: str
    access_jwt: str
    refresh_jwt: str


class SessionFile:
    """The session beside the ledger, readable by its owner only."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> SavedSession | None:
        """The saved session, or None when there is none or it cannot be read."""
        try:
            return SavedSession(**json.loads(self.path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def save(self, session: SavedSession) -> None:
        """Write-then-rename, created 0600, so no other user can read the tokens."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(session), handle)
        os.chmod(tmp, 0o600)  # an older tmp file may have had wider bits
        os.replace(tmp, self.path)

    def clear(self) -> None:
        """Forget the session (its tokens were refused)."""
        self.path.unlink(missing_ok=True)


class BlueskyAccount:
    """A signed-in account: a fresh access token on demand, logging in only when needed."""

    def __init__(
        self,
        xrpc: Xrpc,
        handle: str,
        app_password: str,
        store: SessionFile,
        clock: Callable[[], datetime],
    ) -> None:
        self.xrpc, self.handle, self._password = xrpc, handle.lstrip("@"), app_password
        self.store, self.clock = store, clock
        self._session: SavedSession | None = None

    @property
    def did(self) -> str:
        """The account's DID (signs in first when needed)."""
        return self._current().did

    def _keep(self, answer: Mapping[str, Any]) -> SavedSession:
        session = SavedSession(
            self.xrpc.base_url,
            str(answer.get("handle") or self.handle),
            str(answer["did"]),
            str(answer["accessJwt"]),
            str(answer["refreshJwt"]),
        )
        self.store.save(session)
        self._session = session
        return session

    def _login(self) -> SavedSession:
        body = {"identifier": self.handle, "password": self._password}
        try:
            return self._keep(self.xrpc.call("com.atproto.server.createSession", body=body))
        except XrpcError as exc:
            raise translate(exc) from None

    def _refresh(self, session: SavedSession) -> SavedSession:
        try:
            answer = self.xrpc.call(
                "com.atproto.server.refreshSession", token=session.refresh_jwt, procedure=True
            )
        except XrpcError as exc:
            if exc.status == 429 or exc.status >= 500:
                raise translate(exc) from None
            self.store.clear()
            return self._login()
        return self._keep(answer)

    def _fresh(self, token: str) -> bool:
        expiry = token_expiry(token)
        return expiry is not None and self.clock() + _EXPIRY_MARGIN < expiry

    def _current(self) -> SavedSession:
        session = self._session or self.store.load()
        usable = session is not None and (session.service, session.handle.lower()) == (
            self.xrpc.base_url,
            self.handle.lower(),
        )
        if session is None or not usable:
            return self._login()
        if self._fresh(session.access_jwt):
            self._session = session
            return session
        if self._fresh(session.refresh_jwt):
            return self._refresh(session)
        return self._login()

    def call(
        self,
        nsid: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A signed-in XRPC call; an access token the server calls expired is refreshed once."""
        session = self._current()
        try:
            return self.xrpc.call(nsid, params=params, body=body, token=session.access_jwt)
        except XrpcError as exc:
            if exc.error not in _EXPIRED:
                raise
        session = self._refresh(session)
        return self.xrpc.call(nsid, params=params, body=body, token=session.access_jwt)
