"""Answers of live hashtag lookups, kept for the day in the user cache directory.

One JSON file per source (and instance) holds the day it was filled and each tag's answer.
A second audit the same day reads it and asks nothing; the next day starts afresh. Only real
answers are kept: a lookup that failed is asked again next time. Files are written to a
temporary name and renamed, so an interrupted run never leaves a half-written cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from launchkit.adapters.fsutil import write_text_atomic
from launchkit.domain.calendars.liveness import TagUse

__all__ = ["LookupCache", "default_cache_dir"]


def default_cache_dir() -> Path:
    """Where lookups are cached: `tag-lookups` in the platformdirs user cache dir."""
    from launchkit.settings import cache_dir

    return cache_dir() / "tag-lookups"


class LookupCache:
    """Today's answers per source; `get` and `put` by (source cache key, folded tag)."""

    def __init__(self, directory: Path, today: date) -> None:
        self.directory = directory
        self.today = today
        self._loaded: dict[str, dict[str, TagUse]] = {}

    def _path(self, source_key: str) -> Path:
        digest = hashlib.sha256(source_key.encode("utf-8")).hexdigest()[:20]
        return self.directory / f"{digest}.json"

    def answers(self, source_key: str) -> dict[str, TagUse]:
        """Every answer cached today for this source (empty when the file is old or damaged)."""
        if source_key in self._loaded:
            return self._loaded[source_key]
        found: dict[str, TagUse] = {}
        try:
            data = json.loads(self._path(source_key).read_text(encoding="utf-8"))
            if data.get("day") == self.today.isoformat() and data.get("source") == source_key:
                found = {tag: TagUse.from_json(use) for tag, use in data["tags"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            found = {}  # no cache, or one we cannot read: ask again, it is only a cache
        self._loaded[source_key] = found
        return found

    def put(self, source_key: str, answers: Mapping[str, TagUse]) -> None:
        """Add real answers (checked ones) for this source and write the file."""
        kept = self.answers(source_key)
        kept.update({tag: use for tag, use in answers.items() if use.checked})
        data = {
            "source": source_key,
            "day": self.today.isoformat(),
            "tags": {tag: use.to_json() for tag, use in sorted(kept.items())},
        }
        write_text_atomic(self._path(source_key), json.dumps(data, ensure_ascii=False, indent=1))
