"""Shared scaffolding for the fake HTTP services used by the tests.

Each fake is a :class:`FakeServer` subclass that declares routes such as
``"GET /2/users/:id/tweets"``. The server runs a stdlib ``ThreadingHTTPServer`` on
127.0.0.1, port 0, in a daemon thread. Every fake gets, for free:

* ``requests``: every request received, for assertions;
* ``fail_next(route, status, body, headers, times)``: scripted error responses, in order;
* ``hold_next(route, seconds, apply_first=True)``: delay a response. By default the request
  is applied first, so a client killed while waiting leaves the remote effect in place (the
  "sent, but did the post go out?" crash); ``apply_first=False`` waits before the effect
  (add a ``fail_next`` on the same route to hang and then fail with no effect at all);
* control endpoints under ``/_fake/`` so a test can script a fake running in another process;
* streamed answers: a ``FakeResponse`` with ``chunks`` is written piece by piece, as it comes,
  until the iterator ends (the connection then closes: HTTP/1.0), as server-sent events are.

The route ``"*"`` in ``fail_next``/``hold_next`` matches any request.
"""

from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

from requests.structures import CaseInsensitiveDict

JSON = Any


@dataclass(frozen=True)
class FakeRequest:
    """One request as the fake saw it; ``params`` holds the decoded path parameters."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: CaseInsensitiveDict[
        str
    ]  # clients differ: tweepy "Authorization", google-auth "authorization"
    body: bytes
    route: str = ""
    params: dict[str, str] = field(default_factory=dict)

    def json(self) -> JSON:
        """The body parsed as JSON (``None`` when empty)."""
        return json.loads(self.body) if self.body else None

    def form(self) -> dict[str, str]:
        """The body parsed as ``application/x-www-form-urlencoded``."""
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The first value of query parameter ``name``."""
        values = self.query.get(name)
        return values[0] if values else default


@dataclass(frozen=True)
class FakeResponse:
    """What a route handler returns; ``body`` is JSON-encoded unless it is bytes."""

    status: int
    body: JSON = None
    headers: Mapping[str, str] = field(default_factory=dict)
    chunks: Iterable[bytes] | None = None  # a streamed body, written as each piece comes


Handler = Callable[[FakeRequest], FakeResponse]


@dataclass
class _Route:
    method: str
    key: str
    pattern: re.Pattern[str]
    handler: Handler


def _compile(path_template: str) -> re.Pattern[str]:
    """Turn ``/v4/spreadsheets/:id/values/:range:append`` into a regex over the raw path.

    Parameters match one still-percent-encoded segment up to a ``/`` or ``:``, so a literal
    ``:append`` suffix stays unambiguous (gspread percent-encodes the ``:`` inside ranges).
    """
    escaped = re.escape(path_template).replace(r"\:", ":")
    # A parameter starts a segment; a ":" later in a segment is literal (":append").
    regex = re.sub(r"(?<=/):([a-z_]+)", r"(?P<\1>[^/:]+)", escaped)
    return re.compile(f"^{regex}$")


class FakeServer:
    """Base class: routing, recording, scripted failures, start/stop, context manager."""

    def __init__(self) -> None:
        self._routes: list[_Route] = []
        self._lock = threading.RLock()
        self._failures: dict[str, deque[tuple[FakeResponse, bool]]] = {}
        self._holds: dict[str, deque[tuple[float, bool]]] = {}
        self._release = threading.Event()
        self.requests: list[FakeRequest] = []
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.route("POST /_fake/fail_next", self._control_fail_next)
        self.route("POST /_fake/hold_next", self._control_hold_next)
        self.route("GET /_fake/requests", self._control_requests)

    # -- declaring and scripting -------------------------------------------------------

    def route(self, key: str, handler: Handler) -> None:
        """Register ``handler`` for ``key`` = ``"METHOD /path/:param"``."""
        method, template = key.split(" ", 1)
        self._routes.append(_Route(method, key, _compile(template), handler))

    def fail_next(
        self,
        route: str,
        status: int,
        body: JSON = None,
        headers: Mapping[str, str] | None = None,
        times: int = 1,
        *,
        applied: bool = False,
    ) -> None:
        """Answer the next ``times`` requests to ``route`` with this response instead.

        ``applied``: the request takes effect first (a post is created) and only the answer
        is the failure, as when a server errs after doing the work.
        """
        response = FakeResponse(status, body, dict(headers or {}))
        with self._lock:
            self._failures.setdefault(route, deque()).extend([(response, applied)] * times)

    def hold_next(self, route: str, seconds: float, *, apply_first: bool = True) -> None:
        """Delay the response to the next request to ``route`` by ``seconds``.

        ``apply_first``: run the handler (the remote effect) before waiting, not after.
        """
        with self._lock:
            self._holds.setdefault(route, deque()).append((seconds, apply_first))

    def release_holds(self) -> None:
        """Let every held response go now."""
        self._release.set()

    def requests_to(self, route: str) -> list[FakeRequest]:
        """The recorded requests that matched ``route``."""
        with self._lock:
            return [r for r in self.requests if r.route == route]

    # -- lifecycle ------------------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> Self:
        """Start serving in a daemon thread; port 0 picks a free port."""
        self._httpd = ThreadingHTTPServer((host, port), _make_handler(self))
        self._httpd.daemon_threads = True
        self._release.clear()
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release any held response."""
        self._release.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def port(self) -> int:
        """The port the server listens on."""
        if self._httpd is None:
            raise RuntimeError("server is not started")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Self:
        return self.start() if self._httpd is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- hooks for subclasses -------------------------------------------------------------

    def check_auth(self, request: FakeRequest) -> FakeResponse | None:
        """Return an error response when ``request`` is not authorized; default: allow."""
        return None

    def not_found(self, request: FakeRequest) -> FakeResponse:
        """The response for a path no route matches."""
        return FakeResponse(404, {"error": f"no fake route for {request.method} {request.path}"})

    # -- dispatch -------------------------------------------------------------------------

    def dispatch(self, raw: FakeRequest, raw_path: str) -> FakeResponse:
        """Route ``raw``, record it, apply scripted failures and holds, run the handler."""
        route, params = self._match(raw.method, raw_path)
        request = FakeRequest(
            raw.method,
            raw.path,
            raw.query,
            raw.headers,
            raw.body,
            route.key if route else "",
            params,
        )
        control = request.path.startswith("/_fake/")
        scripted: FakeResponse | None = None
        hold: tuple[float, bool] | None = None
        with self._lock:
            if not control:  # control calls are neither recorded nor scripted
                self.requests.append(request)
                scripted = self._pop(self._failures, request.route)
                hold = self._pop(self._holds, request.route)
        if hold is not None and not hold[1]:
            self._release.wait(hold[0])
        if scripted is not None and not scripted[1]:
            response = scripted[0]
        elif route is None:
            response = self.not_found(request)
        else:
            denied = None if control else self.check_auth(request)
            response = denied if denied is not None else route.handler(request)
            if scripted is not None:
                response = scripted[0]  # the effect happened; the answer is the failure
        if hold is not None and hold[1]:
            self._release.wait(hold[0])
        return response

    def _match(self, method: str, raw_path: str) -> tuple[_Route | None, dict[str, str]]:
        for route in self._routes:
            found = route.pattern.match(raw_path)
            if found and route.method == method:
                return route, {k: unquote(v) for k, v in found.groupdict().items()}
        return None, {}

    @staticmethod
    def _pop(queues: Mapping[str, deque[Any]], route: str) -> Any:
        for key in (route, "*"):
            queue = queues.get(key)
            if queue:
                return queue.popleft()
        return None

    # -- control endpoints (for a fake in another process) --------------------------------

    def _control_fail_next(self, request: FakeRequest) -> FakeResponse:
        spec = request.json()
        self.fail_next(
            spec["route"],
            int(spec["status"]),
            spec.get("body"),
            spec.get("headers"),
            int(spec.get("times", 1)),
            applied=bool(spec.get("applied", False)),
        )
        return FakeResponse(204)

    def _control_hold_next(self, request: FakeRequest) -> FakeResponse:
        spec = request.json()
        self.hold_next(
            spec["route"], float(spec["seconds"]), apply_first=bool(spec.get("apply_first", True))
        )
        return FakeResponse(204)

    def _control_requests(self, request: FakeRequest) -> FakeResponse:
        with self._lock:
            recorded = [
                {
                    "method": r.method,
                    "path": r.path,
                    "query": r.query,
                    "route": r.route,
                    "body": r.body.decode("utf-8", "replace"),
                }
                for r in self.requests
            ]
        return FakeResponse(200, recorded)


def _make_handler(server: FakeServer) -> type[BaseHTTPRequestHandler]:
    """A request-handler class bound to ``server`` (the stdlib wants a class, not an object)."""

    class _Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: one request per connection, so no idle keep-alive threads outlive a test.
        protocol_version = "HTTP/1.0"

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            raw = FakeRequest(
                method=self.command,
                path=unquote(parts.path),
                query=parse_qs(parts.query, keep_blank_values=True),
                headers=CaseInsensitiveDict(self.headers.items()),
                body=body,
            )
            response = server.dispatch(raw, parts.path)
            self._write(response)

        def _stream(self, response: FakeResponse, chunks: Iterable[bytes]) -> None:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            # The client may go away at any moment; the stream then simply ends.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, OSError):
                self.wfile.flush()
                for chunk in chunks:
                    self.wfile.write(chunk)
                    self.wfile.flush()

        def _write(self, response: FakeResponse) -> None:
            if response.chunks is not None:
                self._stream(response, response.chunks)
                return
            payload = b""
            content_type = "application/json; charset=utf-8"
            if isinstance(response.body, bytes):
                payload, content_type = response.body, "application/octet-stream"
            elif response.body is not None:
                payload = json.dumps(response.body).encode()
            self.send_response(response.status)
            headers = {"Content-Type": content_type, **response.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            # The client may have gone away (a killed process); there is nothing to tell it.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _handle

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return _Handler


def wait_for_port_file(path: str, timeout: float = 10.0) -> int:
    """Wait until a standalone fake has written its port to ``path``; return the port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read().strip()
            if text:
                return int(text)
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"no port written to {path} within {timeout}s")


def serve_until_killed(server: FakeServer, port_file: str) -> None:
    """The body of a standalone fake: write the started `server`'s port to `port_file`
    (whole, by rename: the test polls it) and serve until the process is terminated."""
    import os

    tmp = Path(port_file + ".tmp")
    tmp.write_text(str(server.port), encoding="utf-8")
    os.replace(tmp, port_file)
    threading.Event().wait()


class ServerProcess:
    """A fake run as ``python -m MODULE --port-file FILE ARGS...`` in a process of its own (a
    crash test SIGKILLs the client; the server must outlive it, as a real one does)."""

    def __init__(self, module: str, port_file: Path, *args: str) -> None:
        self.module, self.port_file, self.args = module, port_file, args
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = ""

    def start(self) -> Self:
        """Start the server and wait for its port."""
        self.port_file.unlink(missing_ok=True)
        root = Path(__file__).resolve().parents[2]
        command = [sys.executable, "-m", self.module, "--port-file", str(self.port_file)]
        self.process = subprocess.Popen([*command, *self.args], cwd=root)
        self.base_url = f"http://127.0.0.1:{wait_for_port_file(str(self.port_file))}"
        return self

    def stop(self) -> None:
        """Terminate the server process."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
