"""What templates see, and the checks on what they produce (pure; no jinja2 here).

The jinja2 environment lives in adapters/templates.py; this module builds the variables for
each planned item and checks each rendered tweet against X's weighted length. Variables
available to every template:

  chat, name, hashtag, link, host, session (date), is_first_session (bool)
  session_day ("Tue 12 Jan", the session's date in the chat's zone: what tells one
    session's post from another's), theme (the session's, from `sessions:`; "" if none)
  topic (as written), topic_phrase ("game development, marketing and launch"; topic_short
    is its older name: the topic is never cut)
  when ("Tue 12 Jan, 8pm ET / 1am GMT (Wed)": posts), when_full ("Tue 12 Jan 2027, 8pm ET
    / 1am GMT (Wed 13 Jan)": emails), when_local ("Tue 12 Jan 2027, 8pm ET": the chat's
    zone), start_local / end_local ("8pm ET"), other_zones (bool)
  duration_phrase ("one hour"), questions (the session's own, else the chat's),
    question_count, question_spacing ("10 minutes", or "" with fewer than two questions),
    timeline ([{n, question, time}]), questions_repeat (True when the session asks the
    chat's shared list and the chat meets more than once: a question post then needs
    `session_day`, or it would repeat last week's, which X refuses)
  guests, guest_names ("@grace and Lin"), next_when (the next session's `when`, or "" when
    the chat's schedule has ended), step, countdown ("in 2 weeks", "tomorrow", "now"),
  network ("x", "mastodon", "bluesky"; "email" for emails), recap (what the session's recap
    found: recap.people, recap.posts, recap.answers, recap.questions, recap.link; None until
    `launchkit recap` has run for the session)
and per repeat: n and question (each: question), guest and first_name ("Grace") (each: guest).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from launchkit.domain.chat import Chat, Guest
from launchkit.domain.networks import network_label
from launchkit.domain.networks.text_rules import MastodonLimits, TextCheck, check_text
from launchkit.domain.playbooks import Step
from launchkit.domain.sequencing import PlannedItem, guests_for_session
from launchkit.domain.sessions import last_session
from launchkit.domain.timefmt import format_clock, format_day, format_moment, zone_abbreviation
from launchkit.domain.tweet.text import weighted_length
from launchkit.domain.tweet.urls import extract_urls
from launchkit.domain.wording import duration_phrase, first_name, join_names, topic_phrase

__all__ = [
    "MAX_WEIGHT",
    "ContentError",
    "PostCheck",
    "TemplateRenderer",
    "check_post",
    "check_questions",
    "countdown",
    "item_context",
    "session_context",
]

MAX_WEIGHT = 280


class ContentError(ValueError):
    """Content that cannot be posted as written; the message says what to change."""


class TemplateRenderer(Protocol):
    """Renders templates by logical name (implemented by adapters.templates.Templates)."""

    def names(self) -> frozenset[str]: ...

    def has_html(self, name: str) -> bool: ...

    def render(self, name: str, context: Mapping[str, Any], html: bool = False) -> str: ...


@dataclass(frozen=True)
class PostCheck:
    """A rendered post's X weight, whether it carries a URL (a pricier X API call), and its
    length by its own network's rule."""

    weighted_length: int
    has_url: bool
    measured: TextCheck


def check_post(
    item: PlannedItem, step: Step, text: str, mastodon: MastodonLimits | None = None
) -> PostCheck:
    """Measure a rendered post by its network's rule (X: twitter-text's 280; Mastodon: the
    instance's `mastodon` limits; Bluesky: 300 graphemes and 3,000 bytes); too long is a
    ContentError naming the step, the network (when not X) and the excess.

    Question posts are named "Q4" (the same question is posted every session); other
    posts by step id and session date.
    """
    question = step.each == "question"
    ref = item.ref
    label = f"Q{ref.index}" if question else f"{ref.step} ({ref.session})"
    if not text.strip():
        raise ContentError(f"{label} is empty: template {item.template} produced no text")
    measured = check_text(ref.channel, text, mastodon)
    if not measured.fits:
        what = "the question" if question else f"template {item.template}"
        unit = measured.unit if measured.excess != 1 else measured.unit.removesuffix("s")
        where = "" if ref.channel == "x" else f" on {network_label(ref.channel)}"
        size = f"{measured.length}/{measured.limit}" + (
            "" if ref.channel == "x" else f" {measured.unit}"
        )
        raise ContentError(f"{label}{where} is {size}: shorten {what} by {measured.excess} {unit}")
    return PostCheck(weighted_length(text), bool(extract_urls(text)), measured)


def check_questions(chat: Chat) -> list[str]:
    """A problem line for each question (the chat's, and each session's own) that could
    never fit in a tweet on its own."""
    lists = [("", chat.questions)] + [(f" of {p.date}", p.questions) for p in chat.sessions]
    problems = []
    for where, questions in lists:
        for n, question in enumerate(questions, 1):
            weight = weighted_length(question)
            if weight > MAX_WEIGHT:
                problems.append(
                    f"Q{n}{where} is {weight}/{MAX_WEIGHT} on its own: no tweet can hold it; "
                    f"shorten it by at least {weight - MAX_WEIGHT} characters (more for "
                    f"'Q{n}: ' and the hashtag)"
                )
    return problems


def countdown(step: Step) -> str:
    """How far ahead of the session a step is, in words ("in 2 weeks", "tomorrow", "now")."""
    delta = -step.offset.delta
    if delta <= timedelta(0):
        return "now"
    if step.offset.calendar_days:
        days = delta.days
        if days == 1:
            return "tomorrow"
        if days % 7 == 0:
            weeks = days // 7
            return "next week" if weeks == 1 else f"in {weeks} weeks"
        return f"in {days} days"
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60 == 0:
        hours = minutes // 60
        return f"in {hours} hour{'s' if hours != 1 else ''}"
    return f"in {minutes} minutes"


def _short(dt: datetime) -> str:
    return f"{format_clock(dt)} {zone_abbreviation(dt)}"


def session_context(
    chat: Chat,
    start: datetime,
    next_start: datetime | None,
    items: Sequence[PlannedItem],
) -> dict[str, Any]:
    """Variables shared by every item of one session (`items`: that session's plan)."""
    local = start.astimezone(ZoneInfo(chat.timezone))
    day = local.date()
    guests = guests_for_session(chat, day)
    questions = chat.questions_for(day)
    asked = [
        i for i in items if i.template.endswith("question") and i.ref.index and i.ref.session == day
    ]
    timeline = [
        {"n": i.ref.index, "question": questions[i.ref.index - 1], "time": _short(i.due_local)}
        for i in asked
    ]
    topic = topic_phrase(chat.topic) or chat.name
    last = last_session(chat)
    meets_once = last is not None and last.date() == chat.schedule.first
    return {
        "chat": chat,
        "name": chat.name,
        "hashtag": chat.hashtag,
        "topic": chat.topic,
        "topic_phrase": topic,
        "topic_short": topic,
        "link": chat.link or "",
        "host": chat.host,
        "session": day,
        "session_day": format_day(local),
        "theme": chat.theme_for(day),
        "is_first_session": day == chat.schedule.first,
        "when": format_moment(local, chat.zones),
        "when_full": format_moment(local, chat.zones, year=True),
        "when_local": format_moment(local, [chat.timezone], year=True),
        "start_local": _short(local),
        "end_local": _short(local + timedelta(minutes=chat.schedule.duration_min)),
        "other_zones": len(chat.zones) > 1,
        "duration_phrase": duration_phrase(chat.schedule.duration_min),
        "questions": questions,
        "question_count": len(questions),
        "questions_repeat": not chat.has_own_questions(day) and not meets_once,
        "question_spacing": _spacing(asked),
        "guests": guests,
        "guest_names": join_names([g.handle or g.name for g in guests]),
        "timeline": timeline,
        "next_when": format_moment(next_start, chat.zones) if next_start else "",
        "recap": None,
    }


def _spacing(asked: Sequence[PlannedItem]) -> str:
    """The time between two questions in words ("10 minutes"), or "" for a single question."""
    if len(asked) < 2:
        return ""
    minutes = int((asked[1].ref.due_utc - asked[0].ref.due_utc).total_seconds() // 60)
    return duration_phrase(minutes)


def item_context(
    chat: Chat, item: PlannedItem, step: Step, session: Mapping[str, Any]
) -> dict[str, Any]:
    """The variables for one planned item: the session's plus the step and its repeat."""
    context = {
        **session,
        "step": step.id,
        "countdown": countdown(step),
        "network": item.ref.channel,
    }
    if step.each == "question":
        context.update(n=item.ref.index, question=session["questions"][item.ref.index - 1])
    elif step.each == "guest":
        guest: Guest = session["guests"][item.ref.index - 1]
        context.update(guest=guest, first_name=first_name(guest.name))
    return context
