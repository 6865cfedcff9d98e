"""The fake Mastodon instance and the fake Bluesky PDS in a process of their own.

A crash test SIGKILLs `launchkit post` in the middle of a request: the server must outlive
the client (and hold what it accepted), as a real one does. ``python -m tests.fakes.standalone
mastodon --port-file F`` serves until terminated; :class:`FakeProcess` starts one from a test
and reads it back over the fakes' ``/_fake/`` endpoints.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal, Self

import requests

from tests.fakes.servers import FakeServer, wait_for_port_file

Kind = Literal["mastodon", "bluesky"]
# Where each fake lists the texts its own account posted.
TEXTS = {"mastodon": "/_fake/statuses", "bluesky": "/_fake/posts"}


def _server(kind: str) -> FakeServer:
    if kind == "mastodon":
        from tests.fakes.mastodon_api import FakeMastodonApi

        return FakeMastodonApi()
    from tests.fakes.bluesky import FakeBlueskyPds

    return FakeBlueskyPds()


class FakeProcess:
    """Run ``python -m tests.fakes.standalone KIND`` and read it over HTTP."""

    def __init__(self, kind: Kind, workdir: Path) -> None:
        self.kind = kind
        self.port_file = workdir / f"{kind}.port"
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = ""

    def start(self) -> Self:
        """Start the server and wait for its port."""
        self.port_file.unlink(missing_ok=True)
        root = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fakes.standalone", self.kind, "--port-file",
             str(self.port_file)],
            cwd=root,
        )  # fmt: skip
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
    server = _server(args.kind).start()
    tmp = Path(args.port_file + ".tmp")
    tmp.write_text(str(server.port), encoding="utf-8")
    os.replace(tmp, args.port_file)
    threading.Event().wait()


if __name__ == "__main__":
    main()
