"""The checks, suggestions and defaults behind the wizard's questions (see commands/init.py)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from launchkit.commands.init import InitContext
from launchkit.commands.init.answers import Answers, slot_rrule
from launchkit.domain.timetext import parse_date
from launchkit.domain.weekdays import parse_day_time

if TYPE_CHECKING:
    from launchkit.domain.hashtag.check import HashtagReport
    from launchkit.domain.slots.search import Slot

TWEET_LIMIT = 280
QUESTION_FORMAT = "Q{n}: {question} {hashtag}"  # the bundled x/question template's shape


def describe_report(report: HashtagReport) -> str:
    """One line for a person: the verdict and its first reasons."""
    reasons = "; ".join(report.reasons[:2])
    return f"{report.hashtag}: {report.verdict}" + (f" ({reasons})" if reasons else "")


# Words that make poor hashtag stems: chat endings are added by the suggester itself.
_FILLER = {"hour", "chat", "talk", "your", "my", "our", "first", "about", "how", "all"}


def hashtag_suggestions(ctx: InitContext, answers: Answers, limit: int = 6) -> list[str]:
    """Clear hashtags, best first: the chat's name run together, then forms of the topic."""
    import re

    from launchkit.domain.hashtag.suggest import suggest_hashtags

    name_words = re.findall(r"[^\W_]+", str(answers.get("name", "")))
    topic_words = re.findall(r"[^\W_]+", str(answers.get("topic", "")))
    name_tag = "#" + "".join(w[:1].upper() + w[1:] for w in name_words)
    picks = [name_tag] if name_words and ctx.report(name_tag).verdict == "clear" else []
    words = list({w.casefold(): w for w in reversed([*name_words, *topic_words])}.values())[::-1]
    words = [w for w in words if w.casefold() not in _FILLER]
    found, _ = suggest_hashtags(words[:4], ctx.index(), limit=limit)
    picks += [s.hashtag for s in found if s.hashtag.casefold() != name_tag.casefold()]
    return picks[:limit]


def hashtag_problem(ctx: InitContext, tag: str) -> str | None:
    """Why a hashtag cannot be chosen (invalid or taken), or None."""
    report = ctx.report(tag)
    if report.verdict == "invalid":
        return "; ".join(report.problems) or f"{tag} is not a valid hashtag"
    if report.verdict == "taken":
        return describe_report(report) + " — pick another"
    return None


def hashtag_needs_care(ctx: InitContext, answers: Answers) -> bool:
    """True when the chosen hashtag's verdict is `caution` (an explicit yes is needed)."""
    tag = answers.get("hashtag")
    return bool(tag) and ctx.report(str(tag)).verdict == "caution"


def live_price_text(ctx: InitContext, answers: Answers) -> str:
    """The opt-in question for a live check, with its price (X counts are paid per call)."""
    places = ["on Mastodon (free)"]
    if ctx.settings.x_bearer_token:
        places.insert(0, f"on X (one count call, about ${ctx.settings.price_count_usd:.3f})")
    if ctx.settings.bluesky_handle and ctx.settings.bluesky_app_password:
        places.append("on Bluesky (free, signed in)")
    return (
        f"Check how much {answers['hashtag']} was used in the last 7 days "
        + ", ".join(places[:-1])
        + f" and {places[-1]}?"
    )


def live_usage_text(ctx: InitContext, answers: Answers) -> str:
    """The live check's result for the chosen hashtag, as the question to keep it."""
    from launchkit.domain.hashtag.check import check_hashtag

    tag = str(answers["hashtag"])
    usage = ctx.live_usage(tag)
    report = check_hashtag(tag, ctx.index(), on=ctx.today, usage=usage)
    ctx._reports[report.hashtag] = report
    seen = "; ".join(f"{name}: {u.summary}" for name, u in usage.items())
    return f"{describe_report(report)} — {seen}. Keep it?"


def varied_slots(ctx: InitContext, answers: Answers, count: int = 5) -> list[Slot]:
    """The best slot of each of the best weekdays: five choices on five different days
    (ties in the ranking would otherwise offer five starts on one morning)."""
    best: dict[str, Slot] = {}
    for slot in ctx.slots(answers, top=200).slots:
        best.setdefault(slot.weekday, slot)
    return sorted(best.values(), key=lambda s: s.rank)[:count]


def closest_slots(ctx: InitContext, answers: Answers, count: int = 5) -> list[Slot]:
    """When no start fits every audience window: the closest fits, each missing a window."""
    return list(ctx.slots(answers, top=count).closest)


def slot_question(ctx: InitContext, answers: Answers) -> str:
    """The slot question, with why nothing fits when no start fits every audience window."""
    found = ctx.slots(answers, top=200)
    if found.slots or not found.closest:
        return "Pick a slot (local times for every audience zone; lower score = less competition)"
    why = (found.unfit or "").partition(": ")[2] or "the audience windows never meet"
    return (
        f"No start fits every audience window: {why}. Closest fits, with the zone each "
        "misses (lower score = less competition)"
    )


def slot_title(slot: Slot) -> str:
    """'Tue 20:00 America/New_York = Wed 01:00 Europe/London (outside 09:00-22:00) · score
    0.40 · overlaps #a, #b'."""
    overlaps = ", ".join(slot.overlaps[:3]) + (" …" if len(slot.overlaps) > 3 else "")
    parts = [slot.when(), f"score {slot.score:.2f}"]
    parts.append(f"overlaps {overlaps}" if overlaps else "no overlaps")
    if slot.warnings:
        parts.append("DST: " + slot.warnings[0])
    return " · ".join(parts)


def typed_slot(ctx: InitContext, answers: Answers) -> Slot:
    """The finder's view of a day and time the host typed, fitting the windows or not."""
    day, start = parse_day_time(str(answers["slot"]))
    return ctx.slot_at(answers, day, start)


_COMPETITORS_NAMED = 4


def slot_concerns(ctx: InitContext, answers: Answers) -> list[str]:
    """What speaks against the chosen slot: each audience zone it leaves out, the weeks
    clocks put it outside a window, and the chats it competes with (hashtag, schedule)."""
    slot = typed_slot(ctx, answers)
    concerns = [
        f"it starts {miss.local} {miss.zone}, outside {miss.window} there, every week"
        for miss in slot.misses
        if miss.every_week
    ]
    concerns += slot.warnings
    from launchkit.domain.excerpt import first_words

    entries = ctx.calendar().entries
    named = []
    for n, row in enumerate(slot.overlap_rows[:_COMPETITORS_NAMED]):
        schedule = first_words(entries[row].schedule_text, 60)
        same = " — same topic" if n < slot.same_topic else ""
        named.append(f"{slot.overlaps[n]} ({schedule}{same})")
    if len(slot.overlaps) > _COMPETITORS_NAMED:
        named.append(f"{len(slot.overlaps) - _COMPETITORS_NAMED} more")
    if named:
        concerns.append("it competes with " + ", ".join(named))
    return concerns


def first_date_problem(value: str, answers: Answers, today: date) -> str | None:
    """Why a first-session date does not fit the slot (naming the rule's nearest dates), or
    None."""
    from launchkit.domain.rule_dates import first_date_problem as off_rule

    try:
        first = parse_date(value)
    except ValueError as exc:
        return str(exc)
    if first < today:
        return f"{first} is in the past"
    if "slot" not in answers:
        return None  # checked again once the slot is chosen
    day, _ = parse_day_time(str(answers["slot"]))
    rrule = answers.get("rrule") or slot_rrule(day, str(answers.get("cadence", "weekly")))
    return off_rule(str(rrule), first)


def zone_warnings(answers: Answers) -> list[str]:
    """What to know about the chosen zones: EST and other zones that never change their
    clocks (domain/iana.py), one line each."""
    from launchkit.domain.iana import fixed_offset_warning, iana_zone

    given = [answers.get("timezone"), *(answers.get("audience_timezones") or [])]
    zones = dict.fromkeys(iana_zone(str(z)) for z in given if z)
    return [w for w in map(fixed_offset_warning, zones) if w]


def question_post(question: str, answers: Answers) -> str:
    """The question as it will be posted."""
    n = int(answers.get("_n", 1))
    return QUESTION_FORMAT.format(
        n=n, question=question.strip(), hashtag=answers.get("hashtag", "")
    )


def question_meter(text: str, answers: Answers) -> str:
    """The live line under a question prompt: its length as posted and what remains."""
    from launchkit.domain.tweet.text import weighted_length

    used = weighted_length(question_post(text, answers))
    left = TWEET_LIMIT - used
    state = f"{left} left" if left >= 0 else f"{-left} too long"
    return f"Q{answers.get('_n', 1)} as posted: {used}/{TWEET_LIMIT} ({state})"


def question_problem(text: str, answers: Answers) -> str | None:
    """Why a question cannot be posted as Qn with the hashtag, or None."""
    from launchkit.domain.tweet.text import weighted_length

    used = weighted_length(question_post(text, answers))
    if used > TWEET_LIMIT:
        return f"as posted it is {used}/{TWEET_LIMIT}: shorten it by {used - TWEET_LIMIT}"
    return None


def check_questions(value: Any, answers: Answers) -> str | None:
    """Check a whole list of questions (from an answers file)."""
    if not isinstance(value, list) or not value:
        return "give the questions as a list (5-8 is usual)"
    for n, question in enumerate(value, 1):
        problem = question_problem(str(question), {**answers, "_n": n})
        if problem:
            return f"Q{n}: {problem}"
    return None
