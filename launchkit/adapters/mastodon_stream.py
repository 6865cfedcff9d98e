"""Mastodon's public hashtag stream (Mastodon.py's `stream_hashtag`), kept connected in a thread.

On the wire: GET /api/v1/streaming/hashtag?tag=NAME on the instance's streaming host (the
instance's `urls.streaming_api`), a user token required since Mastodon 4.2; the answer is
server-sent events that stay open: a comment line first, then `event: update` with a Status
as each public post with the tag arrives, `event: delete` with a status id when its author
deletes it (Mastodon sends it to the streams of the status's tags, whoever saw the status),
and `:thump` heartbeats (every 15 s on Mastodon).
The connection and headers come within the settings' deadline (adapters/http.py); after that
each read has `read_timeout_s`, so a stream that went silent (no heartbeat) is noticed and
opened again. A stream that ends or fails is reconnected after a backoff (domain/backoff.py),
for as long as the room runs; each connection that is heard from gets a new `generation`, so
the live room knows to catch up on the span no stream saw (commands/live_feed.py).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from launchkit.adapters.mastodon_timeline import MastodonTagReader, mastodon_tag_reader, to_post
from launchkit.domain.backoff import RetryPolicy, backoff
from launchkit.domain.recap.posts import Post
from launchkit.errors import CredentialsError
from launchkit.settings import Settings

__all__ = ["READ_TIMEOUT_S", "MastodonHashtagStream", "mastodon_hashtag_stream"]

READ_TIMEOUT_S = 60.0  # four missed heartbeats
STREAM_POLICY = RetryPolicy(transient_base=timedelta(seconds=2), cap=timedelta(minutes=2))


class _Stopped(Exception):
    """Raised inside the listener to leave Mastodon.py's blocking read when the room ends."""


class MastodonHashtagStream:
    """The hashtag stream of the configured instance; `on_post` gets each new public post,
    `on_delete(network, post id)` each deleted status (from the stream's own thread)."""

    network = "mastodon"

    def __init__(
        self,
        client: Any,
        tag: str,
        on_post: Callable[[Post], None],
        on_delete: Callable[[str, str], None],
        clock: Callable[[], datetime],
        *,
        read_timeout_s: float = READ_TIMEOUT_S,
        policy: RetryPolicy = STREAM_POLICY,
    ) -> None:
        self.client, self.tag, self.clock = client, tag.lstrip("#＃"), clock
        self.on_post, self.on_delete = on_post, on_delete
        self.read_timeout_s, self.policy = read_timeout_s, policy
        self.connected_since: datetime | None = None  # when the open stream was first heard
        self.generation = 0  # raised by every connection that was heard from
        self.problem = ""  # why the last connection ended
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Connect in a thread of its own (a daemon: it never holds the process open)."""
        self._thread = threading.Thread(target=self._run, name="mastodon-stream", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop reconnecting; an open stream ends at its next event or heartbeat."""
        self._stop.set()

    def _heard(self) -> None:
        if self._stop.is_set():
            raise _Stopped
        if self.connected_since is None:
            self.generation += 1
            self.connected_since = self.clock()

    def _run(self) -> None:
        from mastodon import StreamListener

        stream = self

        class Listener(StreamListener):
            def handle_heartbeat(self) -> None:
                stream._heard()

            def on_update(self, status: Any) -> None:
                stream._heard()
                if status.get("visibility", "public") == "public" and not status.get("reblog"):
                    stream.on_post(to_post(status))

            def on_delete(self, status_id: Any) -> None:
                stream._heard()
                stream.on_delete(stream.network, str(status_id))  # Mastodon.py makes it an int

        attempt = 0
        while not self._stop.is_set():
            try:
                self.client.stream_hashtag(self.tag, Listener(), timeout=self.read_timeout_s)
                self.problem = "the stream ended"
            except _Stopped:
                break
            except Exception as exc:  # any failure must leave the thread reconnecting
                self.problem = _describe(exc)
            was_heard, self.connected_since = self.connected_since is not None, None
            attempt = 1 if was_heard else attempt + 1
            wait = backoff(attempt, self.policy.transient_base, self.policy.cap)
            if self._stop.wait(wait.total_seconds()):
                break
        self.connected_since = None


def _describe(exc: Exception) -> str:
    import mastodon
    from mastodon.errors import MastodonReadTimeout

    if isinstance(exc, MastodonReadTimeout):
        return "the stream went silent (no heartbeat)"
    if isinstance(exc, mastodon.MastodonError):
        detail = str(exc.args[0]) if exc.args else type(exc).__name__
        return f"the stream failed: {detail}"
    return f"the stream failed ({type(exc).__name__})"


def mastodon_hashtag_stream(
    settings: Settings,
    tag: str,
    on_post: Callable[[Post], None],
    on_delete: Callable[[str, str], None],
    clock: Callable[[], datetime],
) -> MastodonHashtagStream:
    """The stream of the configured instance, not yet started; Mastodon asks for a user token
    (LAUNCHKIT_MASTODON_TOKEN) since 4.2, so without one there is none (CredentialsError)."""
    if not settings.mastodon_token:
        raise CredentialsError(
            "Mastodon's hashtag stream needs an access token",
            hint="set LAUNCHKIT_MASTODON_TOKEN; without it the tag timeline is polled",
        )
    reader: MastodonTagReader = mastodon_tag_reader(settings)  # a client of its own
    return MastodonHashtagStream(reader.client, tag, on_post, on_delete, clock)
