"""The fake Mastodon instance and the fake Bluesky PDS in a process of their own.

A crash test SIGKILLs `launchkit post` in the middle of a request: the server must outlive
the client (and hold what it accepted), as a real one does. ``python -m tests.fakes.standalone
mastodon --port-file F`` serves until terminated; :class:`FakeProcess` starts one from a test
and reads it back over the fakes' ``/_fake/`` endpoints.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import requests

from tests.fakes.servers import FakeServer, ServerProcess, serve_until_killed

Kind = Literal["mastodon", "bluesky"]
# Where each fake lists the texts its own account posted.
TEXTS = {"mastodon": "/_fake/statuses", "bluesky": "/_fake/posts"}


def _server(kind: str) -> FakeServer:
    if kind == "mastodon":
        from tests.fakes.mastodon_api import FakeMastodonApi

        return FakeMastodonApi()
    from tests.fakes.bluesky import FakeBlueskyPds

    return FakeBlueskyPds()


class FakeProcess(ServerProcess):
    """Run ``python -m tests.fakes.standalone KIND`` and read it over HTTP."""

    def __init__(self, kind: Kind, workdir: Path) -> None:
        super().__init__("tests.fakes.standalone", workdir / f"{kind}.port", kind)
        self.kind = kind

    def texts(self) -> list[str]:
        """The texts the account has posted, oldest first."""
        response = requests.get(self.base_url + TEXTS[self.kind], timeout=5)
        response.raise_for_status()
        return [str(text) for text in response.json()]

    def requests_to(self, route: str) -> int:
        """How many requests matched ``route`` (e.g. Bluesky's logins)."""
        response = requests.get(self.base_url + "/_fake/requests", timeout=5)
        response.raise_for_status()
        return sum(r["route"] == route for r in response.json())


def main(argv: Sequence[str] | None = None) -> None:
    """Serve until killed, writing the port to ``--port-file``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("kind", choices=sorted(TEXTS))
    parser.add_argument("--port-file", required=True)
    args = parser.parse_args(argv)
    serve_until_killed(_server(args.kind).start(), args.port_file)


if __name__ == "__main__":
    main()
