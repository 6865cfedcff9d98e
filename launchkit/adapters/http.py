"""HTTP for every adapter: a deadline for each whole request, credentials only over TLS, and
a vendor client's ``requests`` session pointed at another base URL.

**Deadlines.** requests' ``timeout`` bounds each read, not the request: a server that sends one
byte every two seconds would hold a command for ever. :class:`Deadline` is a watchdog that
shuts the socket down when the time is up, so a blocked read returns at once;
:class:`DeadlineAdapter` gives every request of a session one (the body is read inside it), and
SMTP uses the same watchdog on its socket (adapters/smtp.py). Sessions are made here:
:func:`deadline_session` for tweepy and plain requests, :func:`apply_deadline` for gspread's
own session.

**Base URLs.**

tweepy and gspread hard-code their hosts and have no base-URL option, so launchkit (and its
tests, which talk to fake servers on 127.0.0.1) mounts :class:`RewriteBaseAdapter` on the
client's session. What was found in the vendor sources:

* tweepy 4.17 ``Client.__init__`` sets ``self.session = requests.Session()`` and
  ``Client.request`` always builds ``"https://api.twitter.com" + route``. OAuth 1.0a signing
  (requests_oauthlib) happens while the request is prepared, i.e. over the *original* URL,
  before the adapter sees it; a fake server therefore cannot check the signature, only that an
  ``Authorization: OAuth ...`` header is there.
* gspread 6 ``HTTPClient`` keeps a ``google.auth.transport.requests.AuthorizedSession`` (a
  ``requests.Session`` subclass) in ``client.http_client.session``; every Sheets call goes to
  ``https://sheets.googleapis.com/v4/...`` (Drive metadata to ``https://www.googleapis.com``).
* The token refresh does *not* use that session: ``AuthorizedSession`` refreshes through its
  own ``google.auth.transport.requests.Request`` wrapping a private session. The refresh POSTs
  to the credentials' ``token_uri``, which comes from the service-account JSON, so a fake key
  file simply sets ``"token_uri": "http://127.0.0.1:PORT/token"``; for a real key file use
  ``credentials.with_token_uri(base_url + "/token")`` before ``gspread.authorize``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit, urlunsplit

from requests import PreparedRequest, Response, Session
from requests.adapters import HTTPAdapter
from requests.exceptions import ReadTimeout, RequestException
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from launchkit.errors import CredentialsError

__all__ = [
    "DEFAULT_DEADLINE_S",
    "Deadline",
    "DeadlineAdapter",
    "DeadlineExceeded",
    "RewriteBaseAdapter",
    "apply_deadline",
    "credentials_url",
    "deadline_session",
    "is_loopback_host",
    "mount_base_url",
    "rewrite_url",
]

# The settings' http_timeout_s; the default for sessions made without settings (tests).
DEFAULT_DEADLINE_S = 20.0

TimeoutType = float | tuple[float, float] | tuple[float, None] | None
CertType = bytes | str | tuple[bytes | str, bytes | str] | None


def rewrite_url(url: str, base_url: str) -> str:
    """Return ``url`` with its scheme and host replaced by ``base_url``'s.

    Path and query are kept; a path in ``base_url`` (``http://h:1/prefix``) is put in front.
    """
    base = urlsplit(base_url)
    if not base.scheme or not base.netloc:
        raise ValueError(f"base URL needs a scheme and a host: {base_url!r}")
    original = urlsplit(url)
    path = base.path.rstrip("/") + (original.path or "/")
    return urlunsplit((base.scheme, base.netloc, path, original.query, ""))


def _is_loopback(url: str) -> bool:
    """Whether ``url`` names this machine (localhost or a loopback address)."""
    return is_loopback_host(urlsplit(url).hostname or "")


def is_loopback_host(host: str) -> bool:
    """Whether a host name is this machine (localhost or a loopback address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Deadline:
    """A watchdog: once `seconds` have passed, the socket of every watched holder is shut down.

    A holder is anything with a ``sock`` attribute (a urllib3 connection, an ``smtplib.SMTP``).
    Use as a context manager around the whole exchange; `expired` tells afterwards whether the
    error that ended it was the deadline.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._holders: list[object] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, holder: object) -> None:
        """Shut `holder.sock` down when the time is up (at once if it already is)."""
        with self._lock:
            self._holders.append(holder)
            expired = self.expired
        if expired:
            _shut(holder)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            holders = list(self._holders)
        for holder in holders:
            _shut(holder)

    def __enter__(self) -> Self:
        self._timer.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._timer.cancel()


def _shut(holder: object) -> None:
    sock = getattr(holder, "sock", None)
    if isinstance(sock, socket.socket):
        # The plain socket's shutdown, even under TLS: a blocked read sees end-of-file.
        with contextlib.suppress(OSError):  # already closed
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


class DeadlineExceeded(ReadTimeout):
    """A whole HTTP exchange took longer than its deadline (however steadily bytes came)."""


_current = threading.local()  # the Deadline of the request in flight on this thread


def _watch_current(connection: object) -> None:
    deadline = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(connection)


class _Watched:
    """For urllib3's connections: the deadline of the request in flight watches this one
    (from connecting, TLS included, to the last byte of the answer)."""

    def connect(self) -> None:
        _watch_current(self)
        super().connect()  # type: ignore[misc]

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch_current(self)
        super().request(*args, **kwargs)  # type: ignore[misc]


class _WatchedHTTPConnection(_Watched, HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, HTTPSConnection):
    pass


class _WatchedPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedTLSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_POOLS = {"http": _WatchedPool, "https": _WatchedTLSPool}


class DeadlineAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` whose every request, body included, ends within `deadline_s`."""

    def __init__(self, deadline_s: float = DEFAULT_DEADLINE_S, **kwargs: Any) -> None:
        self.deadline_s = deadline_s
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """The pool manager, with connections its deadline can watch."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """The proxy manager, with connections its deadline can watch."""
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: TimeoutType = None,
        verify: bool | str = True,
        cert: CertType = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        """Send `request` and (unless streaming) read its body, all before the deadline."""
        deadline = Deadline(self.deadline_s)
        _current.deadline = deadline
        try:
            with deadline:
                response = super().send(
                    request,
                    stream=stream,
                    timeout=self.deadline_s if timeout is None else timeout,
                    verify=verify,
                    cert=cert,
                    proxies=proxies,
                )
                if not stream:
                    _ = response.content  # the body too, under the watchdog
        except RequestException:
            if deadline.expired:
                host = urlsplit(request.url or "").netloc
                raise DeadlineExceeded(
                    f"no complete answer from {host} within {self.deadline_s:g} s",
                    request=request,
                ) from None
            raise
        finally:
            _current.deadline = None
        return response


def deadline_session(deadline_s: float = DEFAULT_DEADLINE_S) -> Session:
    """A requests session whose every request ends within `deadline_s`."""
    return apply_deadline(Session(), deadline_s)


def apply_deadline(session: Session, deadline_s: float = DEFAULT_DEADLINE_S) -> Session:
    """Give every request of an existing `session` (gspread's, say) a deadline; return it."""
    adapter = DeadlineAdapter(deadline_s)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class RewriteBaseAdapter(DeadlineAdapter):
    """A ``DeadlineAdapter`` that sends every request to ``base_url`` instead of its own host."""

    def __init__(
        self, base_url: str, deadline_s: float = DEFAULT_DEADLINE_S, **kwargs: Any
    ) -> None:
        rewrite_url("https://example.invalid/", base_url)  # validate early, not on first send
        super().__init__(deadline_s, **kwargs)
        self.base_url = base_url

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: TimeoutType = None,
        verify: bool | str = True,
        cert: CertType = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        """Send a copy of ``request`` with its URL rewritten to the base URL."""
        # Copy so a retry or a redirect in the caller still sees the original URL.
        rewritten = request.copy()
        rewritten.url = rewrite_url(request.url or "", self.base_url)
        if _is_loopback(rewritten.url):
            # Proxies were chosen from the environment for the *original* host; a proxy
            # cannot reach our loopback server, so a set HTTP_PROXY must not apply here.
            proxies = {}
        return super().send(
            rewritten, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies
        )


def mount_base_url(
    session: Session,
    base_url: str,
    hosts: Sequence[str],
    deadline_s: float = DEFAULT_DEADLINE_S,
) -> None:
    """Send ``session``'s requests for each of ``hosts`` (``https://api.x.com``) to ``base_url``.

    The adapter is mounted on ``host + "/"`` so ``https://api.x.com.evil`` is not caught.
    """
    adapter = RewriteBaseAdapter(base_url, deadline_s)
    for host in hosts:
        parts = urlsplit(host)
        if not parts.scheme or not parts.netloc or parts.path.strip("/"):
            raise ValueError(f"expected scheme://host, got {host!r}")
        session.mount(f"{parts.scheme}://{parts.netloc}/", adapter)


def credentials_url(url: str, setting: str) -> str:
    """``url`` (without a trailing slash) when a password or token may be sent to it: https,
    or plain http to this machine only (a local server, a test's fake). Else a CredentialsError.
    """
    parts = urlsplit(url.strip())
    if not parts.netloc or parts.scheme not in ("https", "http"):
        raise CredentialsError(
            f"{setting} is not a URL: {url!r}",
            hint="write it as https://host (e.g. https://bsky.social)",
        )
    if parts.scheme == "http" and not is_loopback_host(parts.hostname or ""):
        raise CredentialsError(
            f"{setting} uses http://{parts.netloc}: credentials would travel unencrypted",
            hint="use its https:// address",
        )
    return url.strip().rstrip("/")
