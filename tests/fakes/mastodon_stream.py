"""Mastodon's streaming API for the fake instance: server-sent events over a long HTTP GET.

GET /api/v1/streaming/hashtag?tag=NAME (a user token is required since Mastodon 4.2) answers
200 with `text/event-stream` and keeps the connection open. As the streaming server does, it
first writes the comment line ``:)``, then one event per public status with the tag as it is
posted (``event: update`` and the Status entity as ``data:``) or deleted (``event: delete``
and its id), and a ``:thump`` heartbeat comment when nothing happened for a while (Mastodon:
every 15 s). Mastodon.py's ``stream_hashtag`` reads exactly this (its StreamListener parses
the lines).
"""

from __future__ import annotations

import json
import queue
import threading
from collections.abc import Iterator
from typing import Any

from tests.fakes.servers import FakeRequest, FakeResponse

HEADERS = {"Content-Type": "text/event-stream", "Cache-Control": "no-store"}


class _Listener:
    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.events: queue.Queue[bytes | None] = queue.Queue()


class HashtagStreams:
    """The open hashtag streams of a fake instance."""

    def __init__(self, heartbeat_s: float = 15.0) -> None:
        self.heartbeat_s = heartbeat_s
        self.connections = 0  # streams ever opened
        self._open: list[_Listener] = []
        self._lock = threading.Lock()

    @property
    def open_count(self) -> int:
        """How many streams are connected now."""
        with self._lock:
            return len(self._open)

    def respond(self, request: FakeRequest) -> FakeResponse:
        """The stream for `request` (its `tag`)."""
        tag = (request.arg("tag") or "").lstrip("#").lower()
        if not tag:
            return FakeResponse(400, {"error": "Missing tag name parameter"})
        listener = _Listener(tag)
        with self._lock:
            self._open.append(listener)
            self.connections += 1
        return FakeResponse(200, headers=HEADERS, chunks=self._events(listener))

    def _events(self, listener: _Listener) -> Iterator[bytes]:
        try:
            yield b":)\n"
            while True:
                try:
                    event = listener.events.get(timeout=self.heartbeat_s)
                except queue.Empty:
                    yield b":thump\n"
                    continue
                if event is None:
                    return
                yield event
        finally:
            with self._lock:
                if listener in self._open:
                    self._open.remove(listener)

    def publish(self, status: dict[str, Any], tags: set[str]) -> None:
        """Send a new public status to every stream of one of its tags."""
        data = json.dumps(status, separators=(",", ":"))
        self._send(f"event: update\ndata: {data}\n\n".encode(), tags)

    def delete(self, status_id: str, tags: set[str]) -> None:
        """Tell every stream of the status's tags that it was deleted."""
        self._send(f"event: delete\ndata: {status_id}\n\n".encode(), tags)

    def _send(self, event: bytes, tags: set[str]) -> None:
        with self._lock:
            for listener in self._open:
                if listener.tag in tags:
                    listener.events.put(event)

    def drop(self) -> None:
        """End every open stream (as a restarting streaming server does)."""
        with self._lock:
            listeners, self._open = list(self._open), []
        for listener in listeners:
            listener.events.put(None)
