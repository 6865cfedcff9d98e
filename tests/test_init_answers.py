"""launchkit init keeps every answer: going back, Ctrl-C in a list, resume, an existing
chat.yaml, unknown answer keys, and the documented keys."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from launchkit.cli.init import resume_command
from launchkit.commands import init as cmd
from launchkit.commands.init.answers import UNFINISHED
from launchkit.commands.init.session import documented_keys, gather_answers, save_partial
from launchkit.commands.init.steps import GROUPS, Step, build_steps
from launchkit.commands.init.wizard import (
    PartialAnswer,
    ScriptedAsker,
    collect,
    run_wizard,
)
from tests.support import (
    QUESTIONS,
    REPO,
    WIZARD_TODAY,
    init_context,
    invoke,
    runtime,
    wizard_script,
)

ANSWERS = REPO / "examples" / "answers.yaml"


def _ctx(tmp_path: Path) -> cmd.InitContext:
    ctx: cmd.InitContext = init_context(tmp_path / "chat", WIZARD_TODAY)
    return ctx


def test_going_back_and_refusing_the_old_slot_asks_slot_and_first_again(tmp_path: Path) -> None:
    """The crash of issue 13: back from the review to the zones, then "no" to the old slot,
    used to check the first date against a slot no longer there (KeyError: 'slot')."""
    ctx = _ctx(tmp_path)
    steps = build_steps(ctx)
    answers: dict[str, Any] = dict(wizard_script())
    answers.pop("slot_ok")
    asker = ScriptedAsker(
        wizard_script(
            review=["chat", "confirm"],
            audience_timezones="America/New_York, Asia/Tokyo",
            slot_ok=[False, True],  # no to the old slot; yes to the new one
            slot="WE 21:00",
            first="2027-01-06",
        )
    )
    assert run_wizard(steps, answers, asker, GROUPS, lambda a: None)
    # The zones were offered as they were stored: a list, which the prompt shows as text.
    assert asker.offered["audience_timezones"] == ["America/New_York", "Europe/London"]
    assert answers["audience_timezones"] == ["America/New_York", "Asia/Tokyo"]
    assert answers["slot"] == "WE 21:00" and answers["first"] == "2027-01-06"
    # The old first date (a Tuesday) was not offered for a Wednesday slot.
    assert asker.offered["first"] is None


class _InterruptAtQuestion:
    """A person who types `count` questions, then presses Ctrl-C at the next one."""

    def __init__(self, script: dict[str, Any], count: int) -> None:
        self.scripted = ScriptedAsker(script)
        self.count = count

    def ask(self, step: Step, answers: dict[str, Any], previous: Any) -> Any:
        if step.name == "questions":
            raise PartialAnswer(QUESTIONS[: self.count])
        return self.scripted.ask(step, answers, previous)


def test_ctrl_c_in_the_questions_keeps_those_typed_and_resume_offers_them(
    tmp_path: Path,
) -> None:
    ctx = _ctx(tmp_path)
    steps = build_steps(ctx)
    answers: dict[str, Any] = {}
    with pytest.raises(KeyboardInterrupt):
        collect(steps, answers, _InterruptAtQuestion(wizard_script(), 3))
    partial = save_partial(tmp_path / "chat.partial.yaml", answers)
    kept = yaml.safe_load(partial.read_text(encoding="utf-8"))
    assert kept["questions"] == QUESTIONS[:3]
    assert kept["name"] == "Indie Dev Hour" and kept["first"] == "2026-12-22"
    assert kept[UNFINISHED] == "questions"

    resumed = gather_answers(partial, None, {}, ())
    asker = ScriptedAsker(wizard_script())
    collect(steps, resumed, asker)
    assert asker.asked[0] == "questions"  # nothing typed before is asked again
    assert asker.offered["questions"] == QUESTIONS[:3]  # the three, ready to keep
    assert UNFINISHED not in resumed


def test_the_resume_command_names_the_folder() -> None:
    assert resume_command(Path("my-chat"), None) == "launchkit init my-chat --resume"
    assert (
        resume_command(Path("my chat"), "cal.csv")
        == "launchkit init 'my chat' --resume --calendar cal.csv"
    )


def test_answers_typed_on_resume_win_over_the_answers_file(tmp_path: Path) -> None:
    partial = tmp_path / "chat.partial.yaml"
    partial.write_text("name: Typed Later\n", encoding="utf-8")
    answers_file = tmp_path / "answers.yaml"
    answers_file.write_text("name: From The File\ntopic: games\n", encoding="utf-8")
    answers = gather_answers(partial, answers_file, {}, ("name", "topic"))
    assert answers == {"name": "Typed Later", "topic": "games"}


def test_an_existing_chat_yaml_is_not_replaced_without_a_terminal(tmp_path: Path) -> None:
    target = tmp_path / "c"
    target.mkdir()
    (target / "chat.yaml").write_text("mine: keep me\n", encoding="utf-8")
    run = invoke(runtime(), ["init", str(target), "--answers", str(ANSWERS)])
    assert run.exit_code == 2
    assert f"{target / 'chat.yaml'} already exists" in run.stderr
    assert "--force" in run.stderr
    assert (target / "chat.yaml").read_text(encoding="utf-8") == "mine: keep me\n"

    forced = invoke(runtime(), ["init", str(target), "--answers", str(ANSWERS), "--force"])
    assert forced.exit_code == 0, forced.stderr
    assert "hashtag:" in (target / "chat.yaml").read_text(encoding="utf-8")


def test_an_existing_chat_yaml_is_kept_when_the_host_says_no(tmp_path: Path) -> None:
    target = tmp_path / "c"
    target.mkdir()
    (target / "chat.yaml").write_text("mine: keep me\n", encoding="utf-8")
    run = invoke(runtime(terminal=True, answers="n\n"), ["init", str(target)])
    assert run.exit_code == 1
    assert "already exists. Replace it when the wizard is done? [y/N]" in run.stdout
    assert "Nothing written." in run.stdout
    assert (target / "chat.yaml").read_text(encoding="utf-8") == "mine: keep me\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "hashtg=#MyChat"], "--set: 'hashtg' is not an answer (did you mean 'hashtag'?)"),
        (["--set", "colour=blue"], "--set: 'colour' is not an answer"),
    ],
)
def test_an_unknown_set_key_is_an_error_naming_the_nearest(
    tmp_path: Path, args: list[str], message: str
) -> None:
    run = invoke(runtime(), ["init", str(tmp_path / "c"), "--answers", str(ANSWERS), *args])
    assert run.exit_code == 3
    assert message in run.stderr
    assert not (tmp_path / "c").exists()


def test_an_unknown_key_in_the_answers_file_is_an_error(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        ANSWERS.read_text(encoding="utf-8") + "audience_timezone: [Asia/Tokyo]\n", encoding="utf-8"
    )
    run = invoke(runtime(), ["init", str(tmp_path / "c"), "--answers", str(answers)])
    assert run.exit_code == 3
    assert "'audience_timezone' is not an answer (did you mean 'audience_timezones'?)" in run.stderr
    nested = tmp_path / "chat-shaped.yaml"
    nested.write_text("schedule: {rrule: FREQ=WEEKLY, strat: '20:00'}\n", encoding="utf-8")
    run = invoke(runtime(), ["init", str(tmp_path / "d"), "--answers", str(nested)])
    assert run.exit_code == 3
    assert "schedule: 'strat' is not an answer (did you mean 'start'?)" in run.stderr


def test_every_accepted_answer_key_is_documented(tmp_path: Path) -> None:
    accepted = set(documented_keys(build_steps(_ctx(tmp_path))))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Answer keys")[1].split("\n\n")[2]
    in_readme = {
        key for row in table.splitlines()[2:] for key in re.findall(r"`(\w+)`", row.split("|")[1])
    }
    assert in_readme == accepted
    shown = invoke(runtime(), ["init", "--help"])
    help_text = " ".join((shown.stdout + shown.output).split())
    listed = re.search(r"each takes\): (.*?); and a chat\.yaml's own keys: (.*?)\.", help_text)
    assert listed is not None
    in_help = {key.strip() for key in f"{listed[1]}, {listed[2]}".split(",")}
    assert in_help == accepted
