"""Helpers many test files share: chat files and chats, the init context, and a runtime with
its own streams and clock for driving the CLI. Test files import this module, never each other.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from launchkit.adapters.chatfolder import ChatFolder, open_chat_folder
from launchkit.adapters.ledger import SqliteLedger, ledger_path
from launchkit.cli import app
from launchkit.cli.runtime import Runtime
from launchkit.commands.schedule import ScheduleRun
from launchkit.domain.chat import Chat
from launchkit.domain.schedule import ScheduleParse, SessionRule
from launchkit.output import Console
from launchkit.settings import Settings, load_settings

REPO = Path(__file__).resolve().parents[1]

# A weekly chat across the 2027-03-14 DST change, with a guest on the third session.
CHAT_YAML = """\
version: 1
name: Indie Dev Hour
hashtag: "#IndieDevHour"
topic: indie game development
link: https://example.org/indiedevhour
host: {{name: Ada Example, handle: "@ada_example", email: ada@example.org}}
timezone: America/New_York
schedule: {{rrule: "FREQ=WEEKLY;BYDAY=TU", start: "20:00", duration_min: 60, first: 2027-03-02}}
audience_timezones: [America/New_York, Europe/London]
guests:
  - {{name: Grace Guest, email: grace@example.org, handle: "@grace", session: 2027-03-16}}
questions: [{q1}, "What are you building now?", "Best marketing tip?",
            "Hardest part of launch?", "Where do you find players?"]
playbook: weekly-launch
"""

QUESTIONS = [
    "What got you into making games?",
    "Which engine would you pick again?",
    "How do you find players before launch day?",
    "What marketing idea worked best?",
    "How do you decide a game is ready to ship?",
]


def x_settings(base_url: str, **more: Any) -> Settings:
    """Settings that post to X (OAuth 1.0a test keys) through the fake at `base_url`."""
    return Settings(
        x_api_key="ck",
        x_api_secret="cs",
        x_access_token="at",
        x_access_secret="as",
        x_api_base_url=base_url,
        **more,
    )


def x_env(base_url: str) -> dict[str, str]:
    """The same settings as environment variables, for the CLI."""
    return {
        f"LAUNCHKIT_{name.upper()}": value
        for name, value in vars(x_settings(base_url)).items()
        if name.startswith("x_") and isinstance(value, str)
    }


def networks_env(x_url: str, mastodon_url: str, bluesky_url: str) -> dict[str, str]:
    """Settings (as environment variables) that post to all three networks' fakes, with the
    fakes' default credentials."""
    return {
        **x_env(x_url),
        "LAUNCHKIT_MASTODON_URL": mastodon_url,
        "LAUNCHKIT_MASTODON_TOKEN": "test-mastodon-token",
        "LAUNCHKIT_BLUESKY_URL": bluesky_url,
        "LAUNCHKIT_BLUESKY_HANDLE": "chathost.test",
        "LAUNCHKIT_BLUESKY_APP_PASSWORD": "app-pass-word",
    }


def write_chat(folder: Path, q1: str = "What got you into making games?") -> Path:
    """chat.yaml (CHAT_YAML) in `folder`; returns its path."""
    path = folder / "chat.yaml"
    path.write_text(CHAT_YAML.format(q1=json.dumps(q1)), encoding="utf-8")
    return path


def example_chat_file(folder: Path, **changes: object) -> Path:
    """examples/chat.yaml with top-level `changes`, written to `folder`/chat.yaml."""
    import yaml

    data = yaml.safe_load((REPO / "examples" / "chat.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    path = folder / "chat.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def make_chat(**changes: Any) -> Chat:
    """A valid Chat (first session Tue 2027-03-02 20:00 New York, one guest), with changes."""
    data: dict[str, Any] = {
        "name": "Indie Dev Hour",
        "hashtag": "#IndieDevHour",
        "host": {"name": "Ada Example", "handle": "@ada", "email": "ada@example.org"},
        "timezone": "America/New_York",
        "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "20:00", "first": "2027-03-02"},
        "audience_timezones": ["Europe/London"],
        "guests": [{"name": "Grace", "email": "grace@example.org", "session": "2027-03-02"}],
        "questions": [f"Question {n}?" for n in range(1, 7)],
    }
    data.update(changes)
    return Chat.model_validate(data)


def folder(chat_file: Path, templates: Path | None = None) -> ChatFolder:
    """The chat's folder as the runtime opens it."""
    return open_chat_folder(chat_file, templates)


def plan(
    chat_file: Path, now: datetime = datetime(2027, 1, 1, 12, 0, tzinfo=UTC), **options: Any
) -> ScheduleRun:
    """`schedule` run on the chat (ledger and out/ beside it) at `now`."""
    from launchkit.commands import schedule

    with open_ledger(chat_file, now) as ledger:
        return schedule.run(folder(chat_file), ledger, Settings(), now=now, **options)


def open_ledger(chat_file: Path, now: datetime | None = None) -> SqliteLedger:
    """The ledger beside chat.yaml (created when missing), with a fixed clock when given."""
    return SqliteLedger.open(ledger_path(chat_file), clock=(lambda: now) if now else None)


class FakeTime:
    """A clock that only moves when the code under test sleeps; `slept` lists each sleep.

    `on_sleep` (optional) runs after each sleep with the new time: what happens meanwhile.
    `max_sleeps` turns a wait without bound into a failure instead of a hung test.
    """

    def __init__(self, now: datetime, max_sleeps: int = 10_000) -> None:
        self.now = now
        self.slept: list[float] = []
        self.max_sleeps = max_sleeps
        self.on_sleep: Any = None

    def __call__(self) -> datetime:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        assert len(self.slept) <= self.max_sleeps, f"still waiting after {self.max_sleeps} sleeps"
        self.now += timedelta(seconds=seconds)
        if self.on_sleep is not None:
            self.on_sleep(self.now)


class Terminal(io.StringIO):
    """A stream that says it is a terminal (as a person's would), for terminal-only branches."""

    def isatty(self) -> bool:
        return True


@dataclass
class Run:
    """What one CLI run printed, and how it ended."""

    exit_code: int
    stdout: str
    stderr: str
    output: str = field(default="")  # click's own messages (usage errors)


def runtime(
    now: datetime = datetime(2027, 1, 1, 12, 0, tzinfo=UTC),
    *,
    terminal: bool = False,
    answers: str = "",
    env: dict[str, str] | None = None,
    zone: str | None = "UTC",
    time: FakeTime | None = None,
) -> Runtime:
    """A runtime with its own streams (terminals when `terminal`), clock and environment;
    with `time`, its clock and sleep are that fake's (and `now` is ignored)."""
    import os

    kind = Terminal if terminal else io.StringIO
    console = Console(kind(), kind(), kind(answers), no_color=True)
    environment = {**os.environ, **(env or {})}
    environment.pop("TZ", None)
    if zone:
        environment["TZ"] = zone
    rt = Runtime(console, clock=lambda: now, env=environment, localtime=Path("/nonexistent"))
    if time is not None:
        rt.clock, rt.sleep = time, time.sleep
    return rt


def invoke(rt: Runtime, args: Sequence[str]) -> Run:
    """Run the CLI with `rt` as its runtime; return what it printed on its streams."""
    result = CliRunner().invoke(app, list(args), obj=rt)
    out, err = rt.console.stdout, rt.console.stderr
    assert isinstance(out, io.StringIO) and isinstance(err, io.StringIO)
    return Run(result.exit_code, out.getvalue(), err.getvalue(), result.output)


def init_context(target: Path, today: date, settings: Settings | None = None) -> Any:
    """The init command's context as the CLI builds it, for these settings."""
    from launchkit.commands import init as cmd

    rt = runtime()
    rt.preset_settings = settings or load_settings()
    return cmd.InitContext(
        rt.settings,
        target,
        today,
        machine_zone="UTC",
        read_calendar=lambda: rt.calendar(None),
        live_usage=rt.live_usage,
        open_folder=rt.chat_folder,
        open_ledger=lambda chat_file: rt.ledger(chat_file, must_exist=False),
    )


# The day the wizard tests run on: its default first session is three weeks later.
WIZARD_TODAY = date(2026, 11, 25)


def wizard_script(**overrides: Any) -> dict[str, Any]:
    """A whole wizard run's answers (weekly, Tuesday 20:00 New York, from 2026-12-22), with
    changes, for a ScriptedAsker."""
    script: dict[str, Any] = {
        "name": "Indie Dev Hour",
        "topic": "indie game development and launching games",
        "link": "",
        "host_name": "Ada Example",
        "host_handle": "@ada",
        "host_email": "ada@example.org",
        "timezone": "America/New_York",
        "audience_timezones": "America/New_York, Europe/London",
        "hashtag": "#IndieDevLaunch",
        "cadence": "weekly",
        "slot": "TU 20:00",
        "slot_ok": True,
        "first": "2026-12-22",
        "guests": [{"name": "Grace Guest", "email": "grace@example.org", "session": "2026-12-22"}],
        "questions": QUESTIONS,
        "networks": "x",
        "playbook": "weekly-launch",
        # Tue 29 Dec is in the week between Christmas and New Year; the guest's invitation
        # (four weeks before 22 Dec) was due on 24 Nov.
        "holiday_sessions": "skip",
        "late_steps": "send",
    }
    script.update(overrides)
    return script


def columns(text: str) -> int:
    """Terminal columns by Unicode's data, independent of wcwidth: a grapheme cluster with a
    wide or fullwidth character, an emoji presentation selector or a flag takes two; one of
    only marks and joiners none; any other one."""
    import unicodedata

    import regex

    total = 0
    for cluster in regex.findall(r"\X", text):
        wide = any(unicodedata.east_asian_width(c) in "WF" for c in cluster)
        flag = len(cluster) == 2 and all(0x1F1E6 <= ord(c) <= 0x1F1FF for c in cluster)
        if wide or flag or "\ufe0f" in cluster:
            total += 2
        elif all(unicodedata.category(c) in ("Mn", "Me", "Cf") for c in cluster):
            total += 0
        else:
            total += 1
    return total


@dataclass(frozen=True)
class SlotChat:
    """A calendar row as the slot search reads it."""

    hashtag: str | None
    name: str | None
    topic: str | None
    parse: ScheduleParse


def slot_chat(
    tag: str, rrule: str, start: str, topic: str = "education", tz: str = "America/New_York"
) -> SlotChat:
    """A calendar chat with one 60-minute session rule."""
    session = SessionRule(rrule, start, 60)
    return SlotChat(tag, None, topic, ScheduleParse("ok", tz, (session,), ()))
