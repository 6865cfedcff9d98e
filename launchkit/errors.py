"""One error hierarchy for launchkit; the CLI is the only place that prints these."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes, one per kind of failure."""

    OK = 0
    FAILURE = 1
    USAGE = 2
    CONFIG = 3
    REMOTE = 4
    INTERRUPTED = 130


class LaunchkitError(Exception):
    """A failure a person can act on: a one-line message and an optional hint."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(LaunchkitError):
    """Flags or arguments that do not make sense together."""

    exit_code = ExitCode.USAGE


class ConfigError(LaunchkitError):
    """Bad input: chat.yaml, settings, a calendar file, a template, a playbook."""

    exit_code = ExitCode.CONFIG


class CredentialsError(ConfigError):
    """What a service needs (a key, a token, a server address) is missing or unusable."""


class RemoteError(LaunchkitError):
    """A remote service (X, Google Sheets, SMTP, Mastodon, a URL) failed or refused."""

    exit_code = ExitCode.REMOTE


class QuotaExceeded(RemoteError):
    """A service refused for now because a rate limit or quota is used up (HTTP 429)."""


class Interrupted(LaunchkitError):
    """The person pressed Ctrl-C."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, message: str = "Aborted", hint: str | None = None) -> None:
        super().__init__(message, hint)


class StorageError(LaunchkitError):
    """This machine refused to store something: a full disk, a read-only folder or file."""


class RowsFailed(RemoteError):
    """A run ended with items it could not deliver (listed in the message, one per line)."""
