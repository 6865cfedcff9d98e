"""Writing files so that a crash or Ctrl-C never leaves one half-written, and a full disk or
a read-only folder is one clear error (StorageError) with the old file still in place."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from launchkit.errors import StorageError


@contextmanager
def storing(path: Path) -> Iterator[None]:
    """Turn an OSError while writing `path` into a StorageError naming it and the reason."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StorageError(
            f"{path}: cannot be written ({reason})",
            hint="free some disk space or fix the folder's permissions, then run it again",
        ) from None


@contextmanager
def sqlite_writing(label: str, kept: str) -> Iterator[None]:
    """Turn SQLite's write failures (disk full, read-only file) inside the block into one
    StorageError naming `label`; `kept` says what became of the write (rolled back)."""
    import sqlite3  # here, not at start-up: only the stores' writes need it

    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(
            f"{label}: could not be written ({exc}); {kept}",
            hint="free some disk space or fix the folder's permissions, then run it again",
        ) from None


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> None:
    """Write `text` to a temporary file beside `path`, then rename it into place."""
    write_bytes_atomic(path, text.encode(encoding))


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to a temporary file beside `path`, then rename it into place.

    `durable=False` skips the fsync: for files that can be generated again (thousands of
    them, where a sync each would cost seconds) the rename alone keeps readers from ever
    seeing half a file.
    """
    with storing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def replace_dir_atomic(staging: Path, target: Path) -> None:
    """Swap a fully written `staging` directory in for `target` (the old one is removed)."""
    with storing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        old: Path | None = None
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(target, old)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
