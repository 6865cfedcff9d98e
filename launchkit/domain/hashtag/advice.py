"""What hosts' own practice says about a hashtag, apart from collisions.

Validity follows twitter-text (what X would actually link), then three habits of hosts who
ran long-lived chats: keep it short (15 characters or fewer after the ``#``), never put a year
or month into a recurring chat's tag, and write compound words in CamelCase so people (and
screen readers) can read them. Live usage numbers are judged here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from launchkit.domain.hashtag.words import KnownSpellings, camel_case
from launchkit.domain.networks import network_label
from launchkit.domain.tweet.text import extract_hashtags, is_valid_hashtag, weighted_length

__all__ = [
    "MAX_COMFORTABLE_LENGTH",
    "USABLE_VERDICTS",
    "Guidance",
    "UsageReport",
    "Verdict",
    "assess_usage",
    "guidance_for",
    "validity_problems",
]

# clear: use it; caution: usable, read why; taken: someone's tag; invalid: not one tag on X.
Verdict = Literal["clear", "caution", "taken", "invalid"]
USABLE_VERDICTS: frozenset[str] = frozenset({"clear", "caution"})
MAX_COMFORTABLE_LENGTH = 15
# Posts in the last 7 days on X / uses on a Mastodon instance that make a tag someone's.
X_CAUTION, X_TAKEN = 50, 1000
MASTODON_CAUTION, MASTODON_TAKEN = 10, 200

_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_MONTHS: tuple[str, ...] = ("january", "february", "march", "april", "june", "july")
_MONTHS += ("august", "september", "october", "november", "december")
_MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept"}
_MONTH_ABBREVIATIONS |= {"oct", "nov", "dec"}
_PIECES = re.compile(r"[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+|\d+")


@dataclass(frozen=True)
class Guidance:
    """One piece of advice; `caution` ones lower the verdict to at least caution."""

    text: str
    caution: bool


@dataclass(frozen=True)
class UsageReport:
    """Live use of a tag on one service, or why it was not checked.

    `total` counts posts (X, Bluesky) or uses (Mastodon) over `days` days; `accounts` is the
    count of distinct accounts. When `checked` is false, `reason` says why.
    """

    service: str
    checked: bool
    reason: str | None = None
    hint: str | None = None
    total: int | None = None
    days: int | None = None
    accounts: int | None = None

    @property
    def summary(self) -> str:
        """One line for a person: the numbers, or "not checked: <reason>"."""
        if not self.checked:
            return f"not checked: {self.reason}"
        text = f"{self.total} uses in {self.days} days"
        if self.accounts is not None:
            text += f" by {self.accounts} accounts"
        return text


def validity_problems(tag: str) -> list[str]:
    """Why `tag` is not exactly one hashtag on X, with what X would link instead ([] if valid)."""
    if is_valid_hashtag(tag):
        return []
    linked = extract_hashtags(tag)
    if not linked:
        if not tag.startswith(("#", "＃")):
            return [f"{tag!r} does not start with '#'"]
        return [f"{tag} is not a hashtag on X: it needs at least one letter"]
    return [f"{tag} is not one hashtag: X would only link #{linked[0]}"]


def _has_date(body: str) -> str | None:
    year = _YEAR.search(body)
    if year:
        return str(year.group(1))
    lowered = body.casefold()
    for month in _MONTHS:
        if month in lowered:
            return month
    pieces: list[str] = [p.casefold() for p in _PIECES.findall(body)]
    for position, piece in enumerate(pieces):
        next_is_number = position + 1 < len(pieces) and pieces[position + 1].isdigit()
        # "May" alone is a word; an abbreviation counts when it is a CamelCase piece of a
        # longer tag ("TechTalkMay") or comes before digits ("Jan24").
        set_apart = len(pieces) > 1 and not body.islower()
        if piece in _MONTH_ABBREVIATIONS and (set_apart or next_is_number):
            return piece
    return None


def guidance_for(tag: str, *, known: KnownSpellings, recurring: bool = True) -> list[Guidance]:
    """Length, dates and readability advice for a valid `tag` (with its '#').

    `known`: English words and how the calendar writes its tags, which CamelCase advice
    follows.
    """
    body = tag.lstrip("#＃")
    advice: list[Guidance] = []
    if len(body) > MAX_COMFORTABLE_LENGTH:
        advice.append(
            Guidance(
                f"{len(body)} characters after the '#': tags over {MAX_COMFORTABLE_LENGTH} are "
                "hard to type every tweet; hosts keep them short",
                caution=True,
            )
        )
    dated = _has_date(body) if recurring else None
    if dated:
        advice.append(
            Guidance(
                f"'{dated}' dates the tag; a recurring chat keeps one tag for years",
                caution=True,
            )
        )
    camel = camel_case(body, known)
    if camel:
        advice.append(
            Guidance(
                f"write it as #{camel}: CamelCase is easier to read (and for screen "
                "readers); X matches tags ignoring case",
                caution=False,
            )
        )
    cost = weighted_length(tag) + 1
    advice.append(Guidance(f"costs {cost} of 280 characters in every tweet (tag + space)", False))
    return advice


def assess_usage(report: UsageReport) -> tuple[Verdict, str | None]:
    """The verdict live use implies and why: heavy use by others makes a tag theirs."""
    if not report.checked or report.total is None:
        return "clear", None
    caution, taken = (
        (X_CAUTION, X_TAKEN) if report.service == "x" else (MASTODON_CAUTION, MASTODON_TAKEN)
    )
    # Bluesky, like Mastodon, is a smaller and free room: Mastodon's thresholds fit it.
    where = f"on {network_label(report.service)}"
    if report.total >= taken:
        return "taken", f"in heavy use {where}: {report.summary}"
    if report.total >= caution:
        return "caution", f"already used {where}: {report.summary}"
    return "clear", None
