"""Look up many hashtags on every live source at once, within each service's rate limit.

Answers already cached today are not asked again. Each source gets its own small pool of
workers (its `rate.concurrency`) and its own sliding-window limiter, so a slow or strict
service does not hold up the others. Progress is reported through a callback (the CLI draws
it on a terminal); answers are saved to the cache as they come, even when the run is
interrupted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from launchkit.adapters.lookup_cache import LookupCache
from launchkit.adapters.tag_sources import RateLimiter, TagSource
from launchkit.domain.calendars.liveness import TagUse
from launchkit.domain.hashtag.collisions import fold

__all__ = ["LookupPlan", "Progress", "look_up", "plan_lookups"]

Progress = Callable[[int, int], None]  # (done, total)
# Save what has come in every this many answers, so a long run interrupted keeps its work.
_SAVE_EVERY = 50


@dataclass(frozen=True)
class LookupPlan:
    """Which tags each source still has to be asked today, and what that costs."""

    tags: tuple[str, ...]  # one per folded tag, as first written
    to_ask: Mapping[str, tuple[str, ...]]  # source cache key -> tags not cached today
    calls: int  # paid lookups
    price_usd: float

    @property
    def requests(self) -> int:
        """How many lookups will go out (free and paid)."""
        return sum(len(tags) for tags in self.to_ask.values())


def plan_lookups(
    tags: Iterable[str], sources: Sequence[TagSource], cache: LookupCache
) -> LookupPlan:
    """Drop repeated tags (case-insensitively) and those already answered today."""
    unique: dict[str, str] = {}
    for tag in tags:
        unique.setdefault(fold(tag), tag)
    to_ask: dict[str, tuple[str, ...]] = {}
    calls, price = 0, 0.0
    for source in sources:
        cached = cache.answers(source.cache_key)
        missing = tuple(tag for key, tag in unique.items() if key not in cached)
        to_ask[source.cache_key] = missing
        if source.price_usd > 0:
            calls += len(missing)
            price += len(missing) * source.price_usd
    return LookupPlan(tuple(unique.values()), to_ask, calls, price)


def look_up(
    plan: LookupPlan,
    sources: Sequence[TagSource],
    cache: LookupCache,
    on_progress: Progress | None = None,
) -> dict[str, list[TagUse]]:
    """Every source's answer for every planned tag, keyed by the folded tag."""
    answers: dict[str, list[TagUse]] = {fold(tag): [] for tag in plan.tags}
    for source in sources:
        for key, use in cache.answers(source.cache_key).items():
            if key in answers:
                answers[key].append(use)
    total = plan.requests
    if total == 0:
        return answers
    pools = [ThreadPoolExecutor(max_workers=s.rate.concurrency) for s in sources]
    pending: dict[Future[TagUse], tuple[TagSource, str]] = {}
    fresh: dict[str, dict[str, TagUse]] = {s.cache_key: {} for s in sources}
    try:
        for source, pool in zip(sources, pools, strict=True):
            limiter = RateLimiter(source.rate)
            for tag in plan.to_ask.get(source.cache_key, ()):
                future = pool.submit(_ask, source, limiter, tag)
                pending[future] = (source, tag)
        for done, future in enumerate(as_completed(pending), start=1):
            source, tag = pending[future]
            use = future.result()
            answers[fold(tag)].append(use)
            fresh[source.cache_key][fold(tag)] = use
            if on_progress:
                on_progress(done, total)
            if done % _SAVE_EVERY == 0:
                _save(cache, fresh)
    finally:
        for pool in pools:
            pool.shutdown(wait=True, cancel_futures=True)
        _save(cache, fresh)
    return answers


def _ask(source: TagSource, limiter: RateLimiter, tag: str) -> TagUse:
    limiter.acquire()
    return source.lookup(tag)


def _save(cache: LookupCache, fresh: Mapping[str, Mapping[str, TagUse]]) -> None:
    for key, answers in fresh.items():
        if answers:
            cache.put(key, answers)
