"""The wizard only asks: its questions are data, and one function turns a step into a prompt.

Every answer can also come from an answers file (`--answers`) or `--set key=value`; what the
steps need to know (suggestions, checks, defaults) comes from launchkit.commands.init.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from launchkit.commands.init.answers import UNFINISHED, Answers
from launchkit.commands.init.steps import OTHER, PLAN_GROUP, Choice, Step
from launchkit.errors import ConfigError, UsageError
from launchkit.output import visible


class PartialAnswer(KeyboardInterrupt):
    """Ctrl-C in the middle of a list or records step: carries what was typed so far."""

    def __init__(self, value: list[Any]) -> None:
        super().__init__()
        self.value = value


class Asker(Protocol):
    """Something that can put one step to a person."""

    def ask(self, step: Step, answers: Answers, previous: Any) -> Any:
        """Ask `step` (with `previous` as the default) and return the answer."""


def _check(step: Step, value: Any, answers: Answers) -> str | None:
    if value in (None, "", []) and not step.optional:
        return "an answer is needed"
    if step.validate is not None and value not in (None, ""):
        return step.validate(value, answers)
    return None


def _next_step(steps: Sequence[Step], answers: Answers) -> Step | None:
    return next((s for s in steps if s.name not in answers and s.applies(answers)), None)


def missing_answers(steps: Sequence[Step], answers: Answers) -> list[str]:
    """The answers still needed (for an answers file used without a terminal)."""
    return [
        s.name
        for s in steps
        if s.name not in answers and s.applies(answers) and not (s.optional or s.assumed)
    ]


def resolve_given(steps: Sequence[Step], answers: Answers, previous: Answers | None = None) -> None:
    """Fill `auto` answers from their defaults and check every given answer, in step order.

    A given answer that fails its check is an error, or, with a person to ask (`previous`
    given), moved to `previous` to be asked again (a first date off a newly chosen slot).
    Answers after the first one still missing are checked once it is given: their checks
    and conditions read the earlier answers (the slot's concerns read the zones).
    """
    for step in steps:
        if step.name not in answers:
            if step.applies(answers):
                return
            continue
        if not step.applies(answers):
            continue
        if answers[step.name] == "auto" and step.default is not None:
            answers[step.name] = step.default(answers)
        if step.store is not None and answers[step.name] is not None:
            answers[step.name] = step.store(answers[step.name])
        problem = _check(step, answers[step.name], answers)
        if problem and previous is not None:
            previous[step.name] = answers.pop(step.name)
        elif problem:
            raise ConfigError(f"answers: {step.name}: {problem}", hint="fix it or leave it out")


def collect(
    steps: Sequence[Step],
    answers: Answers,
    asker: Asker | None,
    previous: Answers | None = None,
) -> Answers:
    """Ask every step that applies and has no answer yet; returns the completed answers.

    Without an asker (no terminal), missing answers are an error that lists them.
    `answers` is updated in place, so whatever was answered before a Ctrl-C is still there,
    and so is a list step's part typed so far (named by UNFINISHED, to be asked again).
    """
    previous = {} if previous is None else previous
    unfinished = answers.pop(UNFINISHED, None)
    if unfinished in answers:
        previous[unfinished] = answers.pop(unfinished)
    while True:
        resolve_given(steps, answers, previous if asker is not None else None)
        step = _next_step(steps, answers)
        if step is None:
            return answers
        if asker is None and (step.optional or step.assumed):
            answers[step.name] = step.default(answers) if step.default else None
            continue
        if asker is None:
            raise UsageError(
                "no terminal to ask, and the answers leave out: "
                + ", ".join(missing_answers(steps, answers)),
                hint="add them to the --answers file or give --set KEY=VALUE "
                "(the value `auto` takes the wizard's own pick where it has one)",
            )
        before = previous.get(step.name)
        # A value typed for other answers (a date off a new slot) gives way to the default.
        before = before if before is None or _check(step, before, answers) is None else None
        try:
            value = asker.ask(step, answers, before)
        except PartialAnswer as partial:
            if partial.value:
                answers[step.name], answers[UNFINISHED] = partial.value, step.name
            raise
        if step.kind == "confirm" and value is False and step.resets:
            for name in step.resets:
                previous[name] = answers.pop(name, previous.get(name))
            continue
        answers[step.name] = value


def forget_group(steps: Sequence[Step], answers: Answers, group: str) -> Answers:
    """Remove one review group's answers (returned, to be offered again as defaults)."""
    return {s.name: answers.pop(s.name) for s in steps if s.group == group and s.name in answers}


class ScriptedAsker:
    """Answers from a script (name → value, or a list of values used in turn); for tests."""

    def __init__(self, script: dict[str, Any]) -> None:
        self.script = {k: list(v) if isinstance(v, tuple) else v for k, v in script.items()}
        self.asked: list[str] = []
        self.shown: list[str] = []  # each question as a person would have read it
        self.offered: dict[str, Any] = {}  # the last value each step offered to keep

    def ask(self, step: Step, answers: Answers, previous: Any) -> Any:
        """Return the scripted answer for `step`, checked as a person's would be."""
        self.asked.append(step.name)
        self.shown.append(step.text(answers))
        self.offered[step.name] = previous
        value = self.script[step.name]
        if isinstance(value, list) and step.kind not in ("list", "records"):
            value = value.pop(0)
        problem = _check(step, value, answers)
        if problem:
            raise AssertionError(f"scripted answer for {step.name} rejected: {problem}")
        return value


class QuestionaryAsker:
    """Puts steps to a person at a terminal with questionary (the one prompt call site)."""

    def ask(self, step: Step, answers: Answers, previous: Any) -> Any:
        """Ask one step; Ctrl-C raises KeyboardInterrupt (unsafe_ask), never returns None."""
        if step.kind == "records":
            return self._records(step, answers, previous)
        if step.kind == "list":
            return self._list(step, answers, previous)
        return self._one(step, answers, previous)

    def _one(self, step: Step, answers: Answers, previous: Any) -> Any:
        import questionary

        default = (
            previous if previous is not None else (step.default(answers) if step.default else None)
        )
        if isinstance(default, list):  # zones, networks: edited as the text one would type
            default = ", ".join(map(str, default))
        # Titles and messages carry calendar text (names, hashtags): shown, never obeyed.
        message = visible(step.text(answers))
        if step.kind == "confirm":
            return questionary.confirm(message, default=bool(default)).unsafe_ask()
        if step.kind == "select" and step.choices is not None:
            options = [
                questionary.Choice(visible(c.title), value=c.value, disabled=c.disabled)
                for c in step.choices(answers)
            ]
            if step.other:
                options.append(questionary.Choice(step.other, value=OTHER))
            values = [o.value for o in options if not o.disabled]
            picked = questionary.select(
                message, choices=options, default=default if default in values else None
            ).unsafe_ask()
            if picked != OTHER:
                return picked
            message, default = step.other or message, None
        return self._text(step, message, answers, default)

    def _text(self, step: Step, message: str, answers: Answers, default: Any) -> Any:
        import questionary
        from prompt_toolkit.application import get_app

        def validate(text: str) -> bool | str:
            return _check(step, text.strip(), answers) or True

        extra: dict[str, Any] = {}
        if step.meter is not None:
            meter = step.meter
            extra["bottom_toolbar"] = lambda: meter(get_app().current_buffer.text, answers)
        value = questionary.text(
            message, default="" if default is None else str(default), validate=validate, **extra
        ).unsafe_ask()
        return str(value).strip()

    def _list(self, step: Step, answers: Answers, previous: Any) -> list[str]:

        items: list[str] = []
        defaults = list(previous or (step.default(answers) if step.default else []) or [])
        try:
            return self._list_items(step, answers, items, defaults)
        except KeyboardInterrupt:
            raise PartialAnswer(items) from None

    def _list_items(
        self, step: Step, answers: Answers, items: list[str], defaults: list[str]
    ) -> list[str]:
        import questionary

        while True:
            n = len(items) + 1
            scoped = {**answers, "_n": n}
            hint = "(empty to finish)" if items else ""
            text = questionary.text(
                f"{step.text(scoped)} {n} {hint}".rstrip(),
                default=defaults[n - 1] if n <= len(defaults) else "",
                validate=lambda t, s=scoped: (
                    (not t.strip() and bool(items)) or (_check(step, t.strip(), s) or True)
                ),
                bottom_toolbar=(lambda s=scoped: step.meter(_buffer(), s)) if step.meter else None,
            ).unsafe_ask()
            if not str(text).strip():
                return items
            items.append(str(text).strip())

    def _records(self, step: Step, answers: Answers, previous: Any) -> list[dict[str, Any]]:
        import questionary

        records: list[dict[str, Any]] = [dict(r) for r in previous or []]
        typing: dict[str, Any] = {}  # the record being typed, when it is not in `records` yet
        try:
            for record in records:  # one left unfinished by a Ctrl-C: complete it first
                if any(f.name not in record for f in step.fields if not f.optional):
                    self._fill(step, answers, record)
            while questionary.confirm(
                step.text({**answers, "_n": len(records)}), default=False
            ).unsafe_ask():
                typing = {}
                self._fill(step, answers, typing)
                records.append(typing)
                typing = {}
        except KeyboardInterrupt:
            raise PartialAnswer(records + ([typing] if typing else [])) from None
        return records

    def _fill(self, step: Step, answers: Answers, record: dict[str, Any]) -> None:
        """Ask each field of a record that it does not have yet, filling it in place."""
        for sub in step.fields:
            if sub.name in record:
                continue
            value = self._one(sub, {**answers, **record}, None)
            if value not in (None, ""):
                record[sub.name] = value


def _buffer() -> str:
    from prompt_toolkit.application import get_app

    return str(get_app().current_buffer.text)


def run_wizard(
    steps: Sequence[Step],
    answers: Answers,
    asker: Asker | None,
    groups: dict[str, str],
    show_review: Callable[[Answers], None],
) -> bool:
    """Collect every answer, then (with a person at the terminal) show the review screen
    until they confirm, go back to a group of steps, or abort. True means confirmed."""
    collect(steps, answers, asker)
    if asker is None:
        return True
    choices = [Choice("Looks good: write chat.yaml, render and schedule", "confirm")]
    choices += [Choice(f"Change {label}", name) for name, label in groups.items()]
    choices.append(Choice("Abort without writing anything", "abort"))
    review = Step("review", "What next?", kind="select", choices=lambda _: choices)
    while True:
        show_review(answers)
        picked = asker.ask(review, answers, "confirm")
        if picked in ("confirm", "abort"):
            return bool(picked == "confirm")
        previous = forget_group(steps, answers, str(picked))
        # The plan's questions are about every other answer: asked again after any change.
        previous.update(forget_group(steps, answers, PLAN_GROUP))
        collect(steps, answers, asker, previous=previous)
