"""One hashtag's full report: validity, collisions, guidance, live usage and a verdict."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from launchkit.domain.hashtag.advice import (
    UsageReport,
    Verdict,
    assess_usage,
    guidance_for,
    validity_problems,
)
from launchkit.domain.hashtag.collisions import TAKEN_KINDS, Collision, TagIndex, find_collisions
from launchkit.domain.hashtag.meeting import PlannedSlot, meets_same_hour
from launchkit.domain.tweet.text import extract_hashtags, weighted_length

__all__ = ["HashtagReport", "check_hashtag", "normalise_candidate"]

_RANK: Mapping[str, int] = {"clear": 0, "caution": 1, "taken": 2, "invalid": 3}


@dataclass(frozen=True)
class HashtagReport:
    """Everything `hashtag check` knows about one candidate.

    `same_hour` has one entry per collision (None where the slot or the chat's time is
    unknown); `usage` maps "x"/"mastodon"/"bluesky" to what was (or was not) checked live.
    """

    hashtag: str
    valid: bool
    problems: tuple[str, ...]
    weighted_length: int
    verdict: Verdict
    collisions: tuple[Collision, ...]
    same_hour: tuple[bool | None, ...]
    usage: Mapping[str, UsageReport]
    advice: tuple[str, ...]
    reasons: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The documented JSON shape (one object per tag)."""
        collisions = []
        for collision, same in zip(self.collisions, self.same_hour, strict=True):
            item: dict[str, Any] = {
                "hashtag": collision.hashtag,
                "kind": collision.kind,
                "row": collision.row,
                "name": collision.name,
                "schedule_text": collision.schedule_text,
                "reason": collision.reason,
            }
            if same is not None:
                item["same_hour"] = same
            collisions.append(item)
        usage = {}
        for service, report in self.usage.items():
            fields = dataclasses.asdict(report)
            del fields["service"]
            usage[service] = {k: v for k, v in fields.items() if v is not None}
        return {
            "hashtag": self.hashtag,
            "valid": self.valid,
            "problems": list(self.problems),
            "weighted_length": self.weighted_length,
            "verdict": self.verdict,
            "collisions": collisions,
            "usage": usage,
            "advice": list(self.advice),
        }


def normalise_candidate(text: str) -> str:
    """A candidate as typed: spaces trimmed, and a '#' added when it has none."""
    text = text.strip()
    return text if text.startswith(("#", "＃")) else "#" + text


def _worst(verdicts: Sequence[Verdict]) -> Verdict:
    return max(verdicts, key=lambda v: _RANK[v], default="clear")


def check_hashtag(
    candidate: str,
    index: TagIndex,
    *,
    slot: PlannedSlot | None = None,
    on: date | None = None,
    usage: Mapping[str, UsageReport] | None = None,
) -> HashtagReport:
    """Check one candidate against the calendar index, with optional slot and usage data.

    An invalid tag is checked as what X would link (``#foo-bar`` as ``#foo``), so its report
    still lists collisions; its verdict is ``invalid`` and ``valid`` is false.
    """
    tag = normalise_candidate(candidate)
    problems = validity_problems(tag)
    linked = extract_hashtags(tag)
    effective = tag if not problems else ("#" + linked[0] if linked else "")
    collisions = tuple(find_collisions(effective, index)) if effective else ()
    same_hour = tuple(
        _same_hour(index, c, slot, on) if slot is not None and on is not None else None
        for c in collisions
    )
    verdicts: list[Verdict] = ["invalid"] if problems else []
    reasons: list[str] = list(problems)
    if collisions:
        strongest = collisions[0]
        verdicts.append("taken" if strongest.kind in TAKEN_KINDS else "caution")
        reasons.append(
            f"{strongest.kind} match: {strongest.hashtag} (row {strongest.row}, {strongest.reason})"
        )
    guidance = guidance_for(effective, known=index.spellings) if effective else []
    for item in guidance:
        if item.caution:
            verdicts.append("caution")
            reasons.append(item.text)
    advice = [item.text for item in guidance]
    for report in (usage or {}).values():
        verdict, why = assess_usage(report)
        verdicts.append(verdict)
        if why:
            reasons.append(why)
            advice.append(why)
    return HashtagReport(
        hashtag=tag,
        valid=not problems,
        problems=tuple(problems),
        weighted_length=weighted_length(tag),
        verdict=_worst(verdicts),
        collisions=collisions,
        same_hour=same_hour,
        usage=dict(usage or {}),
        advice=tuple(advice),
        reasons=tuple(reasons),
    )


def _same_hour(index: TagIndex, collision: Collision, slot: PlannedSlot, on: date) -> bool | None:
    entry = index.entries[collision.entry_index]
    parse = getattr(entry, "parse", None)  # entries without a parsed schedule: unknown
    if parse is None:
        return None
    return meets_same_hour(slot, getattr(parse, "tz", None), getattr(parse, "sessions", ()), on)
