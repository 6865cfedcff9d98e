"""The questions of `launchkit init`, as data: what a step is, and every step in order.

Checks and suggestions come from commands/init/checks.py; wizard.py asks the steps.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from launchkit.commands.doctor import posting_networks
from launchkit.commands.init import InitContext
from launchkit.commands.init import checks as lk
from launchkit.commands.init import plan as lp
from launchkit.commands.init import review as lr
from launchkit.commands.init.answers import (
    CADENCES,
    Answers,
    check_date,
    check_email,
    check_zone,
)
from launchkit.domain.networks import check_networks
from launchkit.domain.weekdays import parse_day_time
from launchkit.resources import bundled_playbook_names

Kind = Literal["text", "select", "confirm", "list", "records"]
OTHER = "__other__"


@dataclass(frozen=True)
class Choice:
    """One option of a select step."""

    title: str
    value: Any
    disabled: str | None = None


def _always(_: Answers) -> bool:
    return True


@dataclass(frozen=True)
class Step:
    """One question: where its answer goes, how it is asked, checked and defaulted."""

    name: str
    message: str | Callable[[Answers], str]
    kind: Kind = "text"
    group: str = "chat"
    choices: Callable[[Answers], Sequence[Choice]] | None = None
    other: str | None = None  # a select step also accepts a typed answer, asked with this
    validate: Callable[[Any, Answers], str | None] | None = None
    default: Callable[[Answers], Any] | None = None
    applies: Callable[[Answers], bool] = _always
    optional: bool = False
    assumed: bool = False  # without a terminal, the default is taken rather than required
    meter: Callable[[str, Answers], str] | None = None  # live line under a text prompt
    store: Callable[[Any], Any] | None = None  # turns a typed answer into the stored value
    resets: tuple[str, ...] = ()  # a confirm answered "no" forgets these answers
    fields: tuple[Step, ...] = field(default_factory=tuple)  # the sub-questions of "records"

    def text(self, answers: Answers) -> str:
        """The question as shown, for these answers."""
        return self.message(answers) if callable(self.message) else self.message


GROUPS = {
    "chat": "the chat (name, topic, host, zones)",
    "hashtag": "the hashtag",
    "slot": "the time slot and first date",
    "people": "guests and questions",
    "playbook": "the playbook",
    "plan": "late steps and sessions on public holidays",
}
# Asked last, about the plan all the other answers make: going back to any group asks again.
PLAN_GROUP = "plan"


def _zones_problem(value: Any, _: Answers) -> str | None:
    zones = value if isinstance(value, list) else str(value).replace(",", " ").split()
    return next((p for p in map(check_zone, zones) if p), None)


def _as_list(value: Any) -> list[str]:
    return value if isinstance(value, list) else str(value).replace(",", " ").split()


def _slot_problem(value: Any, _: Answers) -> str | None:
    try:
        parse_day_time(str(value))
    except ValueError as exc:
        return str(exc)
    return None


def _networks_problem(value: Any, _: Answers) -> str | None:
    try:
        check_networks(_as_list(value))
    except ValueError as exc:
        return str(exc)
    return None


def _one_of(value: Any, allowed: Sequence[str]) -> str | None:
    return None if value in allowed else f"answer {' or '.join(allowed)}, not {value!r}"


def _choices(values: list[str]) -> list[Choice]:
    return [Choice(v, v) for v in values]


def _plan_step(
    ctx: InitContext,
    name: str,
    message: Callable[[Answers], str],
    options: dict[str, str],
    found: Callable[[lp.PlanPreview], bool],
    *,
    assumed: bool,
) -> Step:
    """A choice about the plan complete answers make (`options`: value → title, the first
    the default), asked only when `found` finds something in that plan."""
    return Step(
        name,
        message,
        kind="select",
        group=PLAN_GROUP,
        choices=lambda _: [Choice(title, value) for value, title in options.items()],
        applies=lambda a: bool((plan := ctx.plan(a)) and found(plan)),
        validate=lambda v, _: _one_of(v, tuple(options)),
        default=lambda _: next(iter(options)),
        assumed=assumed,
    )


def build_steps(ctx: InitContext) -> tuple[Step, ...]:
    """Every question of the wizard, in order, bound to one context."""

    def hashtag_choices(answers: Answers) -> list[Choice]:
        return [
            Choice(lk.describe_report(ctx.report(tag)), tag)
            for tag in lk.hashtag_suggestions(ctx, answers)
        ]

    def slot_choices(answers: Answers) -> list[Choice]:
        # Nothing fits every audience window: the closest fits, each naming its miss.
        found = lk.varied_slots(ctx, answers) or lk.closest_slots(ctx, answers)
        return [Choice(lk.slot_title(s), f"{s.weekday} {s.start}") for s in found]

    def top_slot(answers: Answers) -> str | None:
        found = lk.varied_slots(ctx, answers, 1)
        return f"{found[0].weekday} {found[0].start}" if found else None

    def first_hashtag(answers: Answers) -> str | None:
        found = lk.hashtag_suggestions(ctx, answers, limit=1)
        return found[0] if found else None

    return (
        Step("name", "What is the chat called?"),
        Step("topic", "What is it about, in a sentence?"),
        Step("link", "A link for the chat (optional)", optional=True),
        Step("host_name", "Your name (the host)"),
        Step("host_handle", "Your X handle, e.g. @you (optional)", optional=True),
        Step("host_email", "Your email (guests reply to it)", validate=lambda v, _: check_email(v)),
        Step(
            "timezone",
            "The chat's home time zone (IANA name)",
            validate=lambda v, _: check_zone(str(v)),
            default=lambda _: ctx.machine_zone,
        ),
        Step(
            "audience_timezones",
            "Where your audience is: IANA zones, comma-separated",
            validate=_zones_problem,
            default=lambda a: a.get("timezone"),
            store=_as_list,
            assumed=True,
        ),
        Step(
            "timezone_ok",
            lambda a: " ".join(lk.zone_warnings(a)) + " Keep these zones?",
            kind="confirm",
            applies=lambda a: "audience_timezones" in a and bool(lk.zone_warnings(a)),
            # Without a terminal the zones stand; render and schedule repeat the warning.
            optional=True,
            default=lambda _: False,
            resets=("timezone", "audience_timezones"),
        ),
        Step(
            "hashtag",
            "Pick a hashtag (checked against the public calendar)",
            kind="select",
            group="hashtag",
            choices=hashtag_choices,
            other="Type your own hashtag (with #)",
            validate=lambda v, _: lk.hashtag_problem(ctx, str(v)),
            default=first_hashtag,
        ),
        Step(
            "hashtag_ok",
            lambda a: f"{lk.describe_report(ctx.report(a['hashtag']))}. Use it anyway?",
            kind="confirm",
            group="hashtag",
            applies=partial(lk.hashtag_needs_care, ctx),
            resets=("hashtag",),
        ),
        Step(
            "hashtag_live",
            partial(lk.live_price_text, ctx),
            kind="confirm",
            group="hashtag",
            optional=True,
            default=lambda _: False,
            # Offered when a paid X count or a signed-in Bluesky search can run (each
            # opt-in); Mastodon's free tag history comes along with either.
            applies=lambda a: (
                "hashtag" in a
                and bool(
                    ctx.settings.x_bearer_token
                    or (ctx.settings.bluesky_handle and ctx.settings.bluesky_app_password)
                )
            ),
        ),
        Step(
            "hashtag_live_ok",
            partial(lk.live_usage_text, ctx),
            kind="confirm",
            group="hashtag",
            applies=lambda a: a.get("hashtag_live") is True,
            resets=("hashtag", "hashtag_ok", "hashtag_live"),
        ),
        Step(
            "cadence",
            "How often does it run?",
            kind="select",
            group="slot",
            choices=lambda _: _choices(list(CADENCES)),
            default=lambda _: "weekly",
            assumed=True,
        ),
        Step(
            "slot",
            partial(lk.slot_question, ctx),
            kind="select",
            group="slot",
            choices=slot_choices,
            other="Type a day and time, e.g. TU 20:00",
            validate=_slot_problem,
            default=top_slot,
        ),
        Step(
            "slot_ok",
            lambda a: "That slot: " + "; ".join(lk.slot_concerns(ctx, a)) + ". Keep it?",
            kind="confirm",
            group="slot",
            applies=lambda a: (
                "slot" in a and a["slot"] != top_slot(a) and bool(lk.slot_concerns(ctx, a))
            ),
            resets=("slot",),
        ),
        Step(
            "first",
            "Date of the first session (YYYY-MM-DD)",
            group="slot",
            validate=lambda v, a: check_date(str(v)) or lk.first_date_problem(v, a, ctx.today),
            default=partial(lp.default_first, ctx),
        ),
        Step(
            "guests",
            lambda a: "Add a guest?" if not a.get("_n") else "Add another guest?",
            kind="records",
            group="people",
            optional=True,
            default=lambda _: [],
            fields=(
                Step("name", "Guest's name"),
                Step("email", "Guest's email", validate=lambda v, _: check_email(v)),
                Step("handle", "Guest's X handle (optional)", optional=True),
                Step(
                    "session",
                    "Which session (YYYY-MM-DD)",
                    validate=lambda v, _: check_date(str(v)),
                    default=lambda a: a.get("first"),
                ),
            ),
        ),
        Step(
            "questions",
            "Question",
            kind="list",
            group="people",
            validate=lambda v, a: (
                lk.check_questions(v, a) if isinstance(v, list) else lk.question_problem(str(v), a)
            ),
            meter=lk.question_meter,
        ),
        Step(
            "networks",
            "Which networks will it post to? (x, mastodon, bluesky; comma-separated)",
            group="playbook",
            validate=_networks_problem,
            # Pre-selected: the networks whose credentials are set (X when none are).
            default=lambda _: ", ".join(posting_networks(ctx.settings) or ["x"]),
            store=lambda v: check_networks(_as_list(v)),
            assumed=True,
        ),
        Step(
            "playbook",
            "Which announcement playbook?",
            kind="select",
            group="playbook",
            choices=lambda _: _choices(bundled_playbook_names()),
            default=lambda _: "weekly-launch",
            assumed=True,
        ),
        _plan_step(
            ctx,
            "holiday_sessions",
            partial(lr.holiday_question, ctx),
            {
                "skip": "Skip them (cancelled, as `schedule --skip-holidays` does)",
                "keep": "Keep them",
            },
            lambda plan: bool(plan.holidays),
            assumed=True,
        ),
        # Without a terminal the answers must say: nothing goes out late by default.
        _plan_step(
            ctx,
            "late_steps",
            partial(lr.late_question, ctx),
            {"send": "Send them at once (with the next `launchkit post`)", "skip": "Skip them"},
            lambda plan: bool(plan.late),
            assumed=False,
        ),
    )
