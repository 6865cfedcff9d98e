"""A server that answers very slowly but never stalls: one byte at a time, a little apart.

Each read a client makes gets a byte well within any per-read timeout, so only a deadline on
the whole exchange ends it. Used for HTTP (a response trickled out) and SMTP (a trickled
greeting).

    with TrickleServer(HTTP_OK_SLOWLY, interval=0.3) as server:
        requests.get(server.base_url)  # without a deadline: as long as the payload lasts
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Self

# A CSV response whose headers alone take a long while at one byte per interval.
HTTP_OK_SLOWLY = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 40\r\n"
    + b"".join(b"X-Padding-%d: slow\r\n" % n for n in range(40))
    + b"\r\nHashtag,When\r\n#slowchat,Tuesdays 8pm ET\r\n"
)
SMTP_GREETING_SLOWLY = b"220-smtp.example.org ESMTP\r\n" * 40 + b"220 ready\r\n"


class TrickleServer:
    """Accept connections on 127.0.0.1 and send each one `payload`, a byte per `interval`."""

    def __init__(self, payload: bytes, interval: float = 0.3) -> None:
        self.payload = payload
        self.interval = interval
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            for i in range(len(self.payload)):
                if self._stop.wait(self.interval):
                    return
                try:
                    conn.sendall(self.payload[i : i + 1])
                except OSError:
                    return  # the client gave up: what a deadline is for

    def __enter__(self) -> Self:
        threading.Thread(target=self._serve, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._listener.close()
        time.sleep(0)
