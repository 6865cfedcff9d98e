"""One `launchkit post` at a time: an advisory lock file that names its holder.

`fcntl.flock` is released by the kernel when the holder dies, even by SIGKILL, so a crash never
leaves a stale lock behind; the pid written inside is only there to tell a person who holds it.
The file is opened without following a symbolic link: a link planted in its place would
otherwise have the lock truncate whatever it points to.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType
from typing import Self

from launchkit.errors import ConfigError, LaunchkitError

LOCK_FILE = "post.lock"


class LockHeld(LaunchkitError):
    """Another launchkit process is already sending for this chat."""


class ProcessLock:
    """An exclusive, non-blocking lock on a file; use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise LockHeld naming the process that has it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            link = self.path.is_symlink()
            raise ConfigError(
                f"{self.path}: cannot be used as a lock ("
                + ("it is a symbolic link" if link else exc.strerror or type(exc).__name__)
                + ")",
                hint="remove it (launchkit makes a new one); a lock file is never a link"
                if link
                else "check the folder's permissions",
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise LockHeld(
                f"another launchkit process (pid {holder}) is already sending for this chat",
                hint=f"wait for it to finish; the lock is {self.path}",
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        """Drop the lock (the file stays; an empty file is not a lock)."""
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
