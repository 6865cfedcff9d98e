"""Point a vendor client's ``requests`` session at another base URL.

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

import ipaddress
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from requests import PreparedRequest, Response, Session
from requests.adapters import HTTPAdapter

__all__ = ["RewriteBaseAdapter", "mount_base_url", "rewrite_url"]

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


class RewriteBaseAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` that sends every request to ``base_url`` instead of its own host."""

    def __init__(self, base_url: str, **kwargs: object) -> None:
        rewrite_url("https://example.invalid/", base_url)  # validate early, not on first send
        super().__init__(**kwargs)  # type: ignore[arg-type]
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


def mount_base_url(session: Session, base_url: str, hosts: Sequence[str]) -> None:
    """Send ``session``'s requests for each of ``hosts`` (``https://api.x.com``) to ``base_url``.

    The adapter is mounted on ``host + "/"`` so ``https://api.x.com.evil`` is not caught.
    """
    adapter = RewriteBaseAdapter(base_url)
    for host in hosts:
        parts = urlsplit(host)
        if not parts.scheme or not parts.netloc or parts.path.strip("/"):
            raise ValueError(f"expected scheme://host, got {host!r}")
        session.mount(f"{parts.scheme}://{parts.netloc}/", adapter)


def credentials_url(url: str, setting: str) -> str:
    """``url`` (without a trailing slash) when a password or token may be sent to it: https,
    or plain http to this machine only (a local server, a test's fake). Else a CredentialsError.
    """
    from launchkit.errors import CredentialsError

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
