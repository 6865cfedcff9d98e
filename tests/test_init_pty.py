"""launchkit init end to end in a real pseudo-terminal (pexpect): keystrokes, Ctrl-C, resume."""

from __future__ import annotations

import json
import os
import re
import shlex
import sqlite3
import sys
from pathlib import Path

import pexpect
import yaml

from tests.support import QUESTIONS, REPO

UP, DOWN, CTRL_C, CTRL_U = "\x1b[A", "\x1b[B", "\x03", "\x15"


def _spawn(target: Path, *extra: str) -> pexpect.spawn:
    return _spawn_command(["launchkit", "init", str(target), *extra])


def _spawn_command(words: list[str]) -> pexpect.spawn:
    """A launchkit command line as a person types it, run by this Python."""
    assert words[0] == "launchkit"
    env = {
        **os.environ,
        "TERM": "xterm",
        "TZ": "America/New_York",
        "PROMPT_TOOLKIT_NO_CPR": "1",  # pexpect does not answer cursor-position queries
        "NO_COLOR": "1",
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "launchkit", *words[1:]],
        env=env,
        encoding="utf-8",
        timeout=90,
        dimensions=(50, 200),
    )


def _type(child: pexpect.spawn, prompt: str, text: str) -> None:
    child.expect(prompt)
    child.send(text + "\r")


def _answer_chat(child: pexpect.spawn) -> None:
    _type(child, "What is the chat called", "Indie Dev Hour")
    _type(child, "What is it about", "indie game development and launching games")
    _answer_rest_of_chat(child)


def _answer_rest_of_chat(child: pexpect.spawn) -> None:
    _type(child, "A link for the chat", "")
    _type(child, "Your name", "Ada Example")
    _type(child, "Your X handle", "@ada")
    _type(child, "Your email", "ada@example.org")
    _type(child, "home time zone", "")  # the default: the machine's zone (TZ)
    _type(child, "Where your audience is", CTRL_U + "America/New_York, Europe/London")


def _answer_the_rest(child: pexpect.spawn) -> None:
    child.expect("Pick a hashtag")
    child.send(UP)  # the list wraps: the last entry is "Type your own hashtag"
    child.send("\r")
    _type(child, "Type your own hashtag", "#edchat")
    child.expect("taken")  # refused on the spot: the calendar already has #edchat
    child.send(CTRL_U + "#IndieDevLaunch\r")
    child.expect("How often does it run")
    child.send("\r")  # weekly
    child.expect("Pick a slot")
    child.expect("score")
    child.send("\r")  # the top suggested slot
    _type(child, "Date of the first session", "")  # the default: room for every step
    _type(child, "Add a guest", "n")
    for question in QUESTIONS:
        _type(child, "Question", question)
    _type(child, "Question 6", "")  # empty: done
    _type(child, "Which networks", "")  # the default: X (no credentials are set)
    child.expect("Which announcement playbook")
    child.send("\r")
    _confirm_the_review(child)


# Asked only on some days of the year: sessions on a public holiday (the default: skip them),
# a slot that no longer fits after a change (keep it), steps already late (send at once).
_MAYBE = {
    "Sessions on public holidays": "\r",
    r"Keep it\?": "y",
    "already late": "\r",
}


def _confirm_the_review(child: pexpect.spawn) -> None:
    """Answer the questions a day of the year may bring, then confirm the review."""
    prompts = list(_MAYBE)
    while (found := child.expect([*prompts, "What next"])) < len(prompts):
        child.send(_MAYBE[prompts[found]])
    child.send("\r")  # confirm
    child.expect("Next steps")
    child.expect(pexpect.EOF)


def _check_launch(target: Path) -> None:
    chat = yaml.safe_load((target / "chat.yaml").read_text(encoding="utf-8"))
    assert chat["hashtag"] == "#IndieDevLaunch"
    assert chat["timezone"] == "America/New_York"
    assert chat["audience_timezones"] == ["America/New_York", "Europe/London"]
    assert chat["questions"] == QUESTIONS
    posts = json.loads((target / "out" / "posts.json").read_text(encoding="utf-8"))
    texts = [post["text"] for post in posts["posts"]]
    # Every session asks the chat's questions, so each post names its session's date.
    assert any(
        re.fullmatch(r"Q1 \(\w{3} \d+ \w{3}\): What got you into making games\? #IndieDevLaunch", t)
        for t in texts
    )
    with sqlite3.connect(target / ".launchkit" / "ledger.db") as db:
        assert db.execute("SELECT count(*) FROM items").fetchone()[0] > 0


def test_wizard_in_a_terminal(tmp_path: Path) -> None:
    target = tmp_path / "my-chat"
    child = _spawn(target)
    _answer_chat(child)
    _answer_the_rest(child)
    child.close()
    assert child.exitstatus == 0
    _check_launch(target)


def test_ctrl_c_saves_answers_and_resume_continues(tmp_path: Path) -> None:
    target = tmp_path / "my-chat"
    child = _spawn(target)
    _type(child, "What is the chat called", "Indie Dev Hour")
    _type(child, "What is it about", "indie game development and launching games")
    child.expect("A link for the chat")
    child.send(CTRL_C)
    child.expect("Aborted")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    partial = yaml.safe_load((target / "chat.partial.yaml").read_text(encoding="utf-8"))
    assert partial == {
        "name": "Indie Dev Hour",
        "topic": "indie game development and launching games",
    }
    assert not (target / "chat.yaml").exists()

    child = _spawn(target, "--resume")
    # Resuming starts at the first unanswered question: no retyping of name and topic.
    index = child.expect(["What is the chat called", "A link for the chat"])
    assert index == 1
    child.send("\r")
    _type(child, "Your name", "Ada Example")
    _type(child, "Your X handle", "@ada")
    _type(child, "Your email", "ada@example.org")
    _type(child, "home time zone", "")
    _type(child, "Where your audience is", CTRL_U + "America/New_York, Europe/London")
    _answer_the_rest(child)
    child.close()
    assert child.exitstatus == 0
    _check_launch(target)
    assert not (target / "chat.partial.yaml").exists()


def test_three_zones_and_a_zone_that_never_changes_in_a_terminal(tmp_path: Path) -> None:
    """EST is questioned and replaced; with New York, London and Sydney no hour fits every
    audience window, so the slot step says why and offers the closest fits, each naming the
    zone it leaves out; picking one asks to keep it, naming that zone again."""
    target = tmp_path / "my-chat"
    child = _spawn(target)
    _type(child, "What is the chat called", "Indie Dev Hour")
    _type(child, "What is it about", "indie game development and launching games")
    _type(child, "A link for the chat", "")
    _type(child, "Your name", "Ada Example")
    _type(child, "Your X handle", "@ada")
    _type(child, "Your email", "ada@example.org")
    _type(child, "home time zone", CTRL_U + "EST")
    _type(child, "Where your audience is", CTRL_U + "EST, Europe/London, Australia/Sydney")
    child.expect_exact("EST is UTC−05:00 all year and never moves to daylight time.")
    child.expect_exact("People who write EST usually mean America/New_York")
    child.expect_exact("Keep these zones?")
    child.send("n")
    _type(child, "home time zone", CTRL_U + "America/New_York")
    zones = "America/New_York, Europe/London, Australia/Sydney"
    _type(child, "Where your audience is", CTRL_U + zones)
    child.expect("Pick a hashtag")
    child.send(UP + "\r")
    _type(child, "Type your own hashtag", "#IndieDevLaunch")
    child.expect("How often does it run")
    child.send("\r")
    child.expect_exact("No start fits every audience window: a 60-minute chat fits any two of")
    child.expect_exact("Europe/London (outside 09:00-22:00")  # a choice names the zone it misses
    child.send("\r")  # the first closest fit
    child.expect_exact("That slot: it starts")
    child.expect_exact("outside 09:00-22:00 there, every week")
    child.send("y")
    _type(child, "Date of the first session", "")
    _type(child, "Add a guest", "n")
    for question in QUESTIONS:
        _type(child, "Question", question)
    _type(child, "Question 6", "")
    _type(child, "Which networks", "")
    child.expect("Which announcement playbook")
    child.send("\r")
    _confirm_the_review(child)
    child.close()
    assert child.exitstatus == 0
    chat = yaml.safe_load((target / "chat.yaml").read_text(encoding="utf-8"))
    assert chat["timezone"] == "America/New_York"
    assert chat["audience_timezones"] == zones.split(", ")


def _answers_file(tmp_path: Path, **drop: bool) -> Path:
    """examples/answers.yaml (what `make demo` uses), without the answers named in `drop`."""
    data = yaml.safe_load((REPO / "examples" / "answers.yaml").read_text(encoding="utf-8"))
    path = tmp_path / "answers.yaml"
    kept = {k: v for k, v in data.items() if k not in drop}
    path.write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    return path


def test_going_back_from_the_review_edits_the_audience_as_typed_text(tmp_path: Path) -> None:
    """Started from an answers file: back to the chat's group from the review, the audience
    is offered as typed text (not a Python list); changing it and going on finishes."""
    target = tmp_path / "my-chat"
    child = _spawn(target, "--answers", str(_answers_file(tmp_path)))
    child.expect("What next")
    child.send(DOWN + "\r")  # "Change the chat (name, topic, host, zones)"
    for prompt in ("What is the chat called", "What is it about", "A link for the chat"):
        _type(child, prompt, "")  # each offered as it was: kept
    for prompt in ("Your name", "Your X handle", "Your email", "home time zone"):
        _type(child, prompt, "")
    child.expect("Where your audience is")
    child.expect_exact("America/New_York, Europe/London")
    assert "'America/New_York'" not in child.before  # not a Python list's repr
    child.send(CTRL_U + "America/New_York, Europe/Berlin\r")
    _confirm_the_review(child)
    child.close()
    assert child.exitstatus == 0
    chat = yaml.safe_load((target / "chat.yaml").read_text(encoding="utf-8"))
    assert chat["audience_timezones"] == ["America/New_York", "Europe/Berlin"]
    assert chat["name"] == "Indie Dev Hour"


def test_ctrl_c_after_three_questions_keeps_them_for_the_printed_resume(tmp_path: Path) -> None:
    target = tmp_path / "my-chat"
    child = _spawn(target, "--answers", str(_answers_file(tmp_path, questions=True)))
    for n, question in enumerate(QUESTIONS[:3], 1):
        _type(child, f"Question {n}", question)
    child.expect("Question 4")
    child.send(CTRL_C)
    child.expect(r"continue with `([^`]+)`")
    again = shlex.split(child.match.group(1))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert again == ["launchkit", "init", str(target), "--resume"]
    partial = yaml.safe_load((target / "chat.partial.yaml").read_text(encoding="utf-8"))
    assert partial["questions"] == QUESTIONS[:3]

    child = _spawn_command(again)
    for n, question in enumerate(QUESTIONS[:3], 1):
        child.expect(f"Question {n}")
        child.expect_exact(question)  # typed before the Ctrl-C: there, ready to keep
        child.send("\r")
    _type(child, "Question 4", QUESTIONS[3])
    _type(child, "Question 5", "")
    _confirm_the_review(child)
    child.close()
    assert child.exitstatus == 0
    chat = yaml.safe_load((target / "chat.yaml").read_text(encoding="utf-8"))
    assert chat["questions"] == QUESTIONS[:4]
    assert not (target / "chat.partial.yaml").exists()
