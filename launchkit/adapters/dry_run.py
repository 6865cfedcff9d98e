"""Stand-ins that show what would happen: --dry-run goes through the same code with these."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Self

from launchkit.adapters.fsutil import write_bytes_atomic
from launchkit.domain.networks.identity import OwnPost, PostIdentity


class PrintingPublisher:
    """A Publisher that prints each post instead of sending it."""

    def __init__(self, show: Callable[[str], None], network: str = "x") -> None:
        from launchkit.domain.networks import network_label

        self.show = show
        self.label = network_label(network)
        self.count = 0

    def create_post(self, text: str, identity: PostIdentity | None = None) -> tuple[str, str]:
        """Show the post; return a made-up id."""
        self.count += 1
        self.show(f"would send on {self.label}:\n{text}\n")
        return f"dry-run-{self.count}", ""

    def own_posts_since(self, since: datetime, limit: int = 0) -> list[OwnPost]:
        """Nothing is looked up in a dry run."""
        return []

    def link(self, post_id: str) -> str:
        """A dry-run post has no link."""
        return ""


class PrintingMailer:
    """A Mailer that prints each email's envelope and subject instead of sending it."""

    def __init__(self, show: Callable[[str], None]) -> None:
        self.show = show

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def send(self, message: EmailMessage, name: str) -> str:
        """Show the email; return its Message-ID."""
        self.show(
            f"would send by email:\nTo: {message['To']}\nSubject: {message['Subject']}\n"
            f"Date: {message['Date']}\n"
        )
        return str(message["Message-ID"] or name)


class EmlFolderMailer:
    """A Mailer that writes each message to `folder/<name>.eml` for review."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def send(self, message: EmailMessage, name: str) -> str:
        """Write the message; return its path."""
        path = self.folder / f"{name}.eml"
        write_bytes_atomic(path, bytes(message))
        return str(path)
