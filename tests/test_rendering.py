"""Rendering: times for people, template strictness and sandbox, tweet length checks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from launchkit.adapters.playbookfile import load_playbook
from launchkit.adapters.templates import load_templates
from launchkit.commands.pack import build_pack
from launchkit.domain.chat import Chat
from launchkit.domain.items import ItemRef
from launchkit.domain.playbooks import Offset, Step
from launchkit.domain.rendering import ContentError, check_post, countdown
from launchkit.domain.sequencing import PlannedItem
from launchkit.domain.sessions import session_starts
from launchkit.domain.timefmt import format_local, format_moment
from launchkit.domain.wording import duration_phrase, first_name, topic_phrase
from launchkit.errors import ConfigError
from tests.support import make_chat

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "zones", "expected"),
    [
        (
            datetime(2027, 1, 12, 20, tzinfo=NY),
            ["America/New_York", "Europe/London"],
            "Tue 12 Jan, 8pm ET / 1am GMT (Wed)",
        ),
        (
            datetime(2027, 7, 13, 20, 30, tzinfo=NY),
            ["America/New_York", "Europe/London"],
            "Tue 13 Jul, 8:30pm ET / 1:30am BST (Wed)",
        ),
        (
            datetime(2027, 1, 12, 12, tzinfo=NY),
            ["America/New_York", "America/Los_Angeles"],
            "Tue 12 Jan, 12pm ET / 9am PT",
        ),
        (
            datetime(2027, 1, 12, 20, tzinfo=NY),
            ["Europe/Berlin", "Asia/Kolkata"],
            "Wed 13 Jan, 2am CET / 6:30am IST",
        ),
        (
            datetime(2027, 1, 12, 20, tzinfo=NY),
            ["America/New_York", "Asia/Dubai"],
            "Tue 12 Jan, 8pm ET / 5am UTC+4 (Wed)",
        ),
    ],
)
def test_format_moment(moment: datetime, zones: list[str], expected: str) -> None:
    assert format_moment(moment, zones) == expected


def test_format_local() -> None:
    assert format_local(datetime(2027, 1, 12, 20, tzinfo=NY)) == "Tue 12 Jan 2027 20:00 EST"
    assert format_local(datetime(2027, 3, 16, 20, tzinfo=NY)) == "Tue 16 Mar 2027 20:00 EDT"
    with pytest.raises(ValueError, match="aware"):
        format_local(datetime(2027, 1, 12, 20))


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        ("-14d", "in 2 weeks"),
        ("-7d", "next week"),
        ("-3d", "in 3 days"),
        ("-1d", "tomorrow"),
        ("-1h", "in 1 hour"),
        ("-2h", "in 2 hours"),
        ("-10m", "in 10 minutes"),
        ("0m", "now"),
    ],
)
def test_countdown(offset: str, words: str) -> None:
    from launchkit.domain.playbooks import parse_offset

    step = Step("r", "x", "x/reminder", Offset(offset, parse_offset(offset), offset.endswith("d")))
    assert countdown(step) == words


def _item(step: Step, index: int = 4) -> PlannedItem:
    due = datetime(2027, 1, 13, 1, 35, tzinfo=UTC)
    ref = ItemRef(step.id, date(2027, 1, 12), index, "x", due)
    return PlannedItem(ref, step.template, due.astimezone(NY), None)


def test_check_post_names_step_and_excess() -> None:
    step = Step(
        "question",
        "x",
        "x/question",
        Offset("+5m", timedelta(minutes=5), False),
        each="question",
        every=timedelta(minutes=10),
    )
    with pytest.raises(
        ContentError, match=r"^Q4 is 297/280: shorten the question by 17 characters$"
    ):
        check_post(_item(step), step, "x" * 297)
    ok = check_post(_item(step), step, "Q4: see https://example.org/a-very-long-path #Tag")
    assert ok.has_url and ok.weighted_length == len("Q4: see ") + 23 + len(" #Tag")
    # Emoji weigh 2, CJK 2: the project's twitter-text rules, not len().
    assert check_post(_item(step), step, "👩‍👩‍👧 日本").weighted_length == 7


def _pack(chat: Chat, templates: Path | None = None) -> object:
    env = load_templates(templates)
    book = load_playbook("weekly-launch", env.names())
    return build_pack(chat, book, session_starts(chat, 1), NOW, env)


def test_question_too_long_after_rendering() -> None:
    # Fits alone, not with "Q1 (Tue 2 Mar): " and the hashtag.
    long_q = "Why " + "really " * 36 + "?"
    chat = make_chat(questions=[long_q, "Short?"])
    with pytest.raises(ConfigError, match=r"^Q1 is 2[89]\d/280: shorten the question by \d+ char"):
        _pack(chat)


def test_question_that_can_never_fit() -> None:
    chat = make_chat(questions=["x" * 300])
    with pytest.raises(ConfigError, match="Q1 is 300/280 on its own"):
        _pack(chat)


def test_no_questions_is_an_error_few_is_a_warning() -> None:
    with pytest.raises(ConfigError, match="no questions") as info:
        _pack(make_chat(questions=[]))
    assert "add 5 to 8 questions" in (info.value.hint or "")
    pack = _pack(make_chat(questions=["One?", "Two?"]))
    assert any("2 questions" in w for w in pack.warnings)
    pack = _pack(make_chat(questions=[f"Q number {n}?" for n in range(20)]))
    assert any("20 questions" in w for w in pack.warnings)


def test_no_guests_warns_and_makes_no_emails() -> None:
    pack = _pack(make_chat(guests=[]))
    assert pack.emails == ()
    assert any("no guests" in w for w in pack.warnings)


def test_user_template_overrides_and_unknown_variable(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "live.txt.j2").write_text("Live now: {{ hashtag }}!\n")
    pack = _pack(make_chat(), tmp_path)
    live = [p for p in pack.posts if p.ref.step == "live"]
    assert live[0].text == "Live now: #IndieDevHour!"
    (tmp_path / "x" / "live.txt.j2").write_text("Hello\n{{ hashtg }}\n")
    with pytest.raises(ConfigError, match=r"live\.txt\.j2, line 2: 'hashtg' is undefined"):
        _pack(make_chat(), tmp_path)


def test_template_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "wrap.txt.j2").write_text("Bye\n{% if hashtag %}oops\n")
    with pytest.raises(
        ConfigError, match=r"template .*x/wrap\.txt\.j2, line 2: Unexpected end of template"
    ):
        _pack(make_chat(), tmp_path)


def test_user_templates_are_sandboxed(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "live.txt.j2").write_text("{{ chat.__class__.__mro__ }}\n")
    with pytest.raises(ConfigError, match=r"live\.txt\.j2.*unsafe"):
        _pack(make_chat(), tmp_path)


def test_posts_render_times_with_all_zones() -> None:
    pack = _pack(make_chat())
    announce = next(p for p in pack.posts if p.ref.step == "announce")
    assert "Tue 2 Mar, 8pm ET / 1am GMT (Wed)" in announce.text
    q1 = next(p for p in pack.posts if p.ref.key == "question|2027-03-02|1")
    assert q1.text == "Q1 (Tue 2 Mar): Question 1? #IndieDevHour"
    assert not q1.late


SYDNEY = ["America/New_York", "Europe/London", "Australia/Sydney"]


@pytest.mark.parametrize(
    ("moment", "zones", "expected"),
    [
        (
            datetime(2027, 3, 30, 20, tzinfo=NY),
            SYDNEY,
            "Tue 30 Mar 2027, 8pm ET / 1am BST (Wed 31 Mar) / 11am AEDT (Wed 31 Mar)",
        ),
        (datetime(2027, 1, 12, 12, tzinfo=NY), ["America/New_York"], "Tue 12 Jan 2027, 12pm ET"),
    ],
)
def test_format_moment_with_the_year_names_every_date_once(
    moment: datetime, zones: list[str], expected: str
) -> None:
    text = format_moment(moment, zones, year=True)
    assert text == expected
    assert "((" not in text and text.count("(") == text.count(")") <= len(zones) - 1


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Grace Guest", "Grace"),
        ("Zoë Ørsted", "Zoë"),
        ("Dr. Ana Lima", "Ana"),
        ("Prof Ana María Lima", "Ana"),
        ("Lima, Ana", "Ana"),
        ("Lin", "Lin"),
        ("J. R. Hartley", "J. R. Hartley"),  # initials: no first name to take
        ("李小龙", "李小龙"),  # written without spaces: the name as given
        ("김 민준", "김 민준"),
        ("  Mary-Jane   Watson ", "Mary-Jane"),
    ],
)
def test_guests_are_greeted_by_first_name(name: str, greeting: str) -> None:
    assert first_name(name) == greeting


@pytest.mark.parametrize(
    ("topic", "phrase"),
    [
        (
            "indie game development, marketing, launch",
            "indie game development, marketing and launch",
        ),
        (
            "running online communities: moderation, safety, growth",
            "running online communities: moderation, safety and growth",
        ),
        ("books, tea and rain", "books, tea and rain"),  # its "and" is kept
        ("gardening & plants, indoors", "gardening & plants, indoors"),
        ("knitting.", "knitting"),
    ],
)
def test_topic_phrase_is_never_cut(topic: str, phrase: str) -> None:
    assert topic_phrase(topic) == phrase


def test_duration_phrase() -> None:
    assert [duration_phrase(m) for m in (30, 45, 60, 90, 120, 180)] == [
        "half an hour",
        "45 minutes",
        "one hour",
        "90 minutes",
        "two hours",
        "3 hours",
    ]


def _weekly_pack(chat: Chat, sessions: int = 3) -> Any:
    env = load_templates()
    book = load_playbook("weekly-launch", env.names())
    return build_pack(chat, book, session_starts(chat, sessions), NOW, env)


def _posts(pack: Any, step: str) -> list[Any]:
    return [p for p in pack.posts if p.ref.step == step]


def test_every_session_gets_its_wrap_and_recap_and_the_last_wrap_names_the_next_date() -> None:
    chat = make_chat(topic="indie game development, marketing, launch")
    pack = _weekly_pack(chat)
    wraps, recaps = _posts(pack, "wrap"), _posts(pack, "recap")
    assert [w.ref.session for w in wraps] == [s.date() for s in pack.sessions]
    assert [r.ref.session for r in recaps] == [s.date() for s in pack.sessions]
    # Three sessions rendered; the chat goes on, so the third wrap names the fourth date.
    assert "See you next time: Tue 23 Mar, 8pm ET / 12am GMT (Wed)." in wraps[-1].text
    assert all("watch this space" not in p.text for p in pack.posts)
    assert all("marketing and launch" in r.text for r in recaps)  # never cut at a comma


def test_a_chat_whose_schedule_ends_says_so_in_its_last_wrap() -> None:
    chat = make_chat(
        schedule={"rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=2", "start": "20:00", "first": "2027-03-02"}
    )
    wraps = _posts(_weekly_pack(chat, 5), "wrap")
    assert len(wraps) == 2
    assert "See you next time: Tue 9 Mar" in wraps[0].text
    assert wraps[1].text == (
        "That's a wrap! Thank you all. That was our last session: thank you for being part "
        "of it. #IndieDevHour"
    )


def test_guest_emails_greet_by_first_name_sign_on_separate_lines_and_nest_no_dates() -> None:
    chat = make_chat(
        link="https://example.org/indiedevhour",
        audience_timezones=["Europe/London", "Australia/Sydney"],
        guests=[{"name": "Dr. Grace Guest", "email": "grace@example.org", "session": "2027-03-02"}],
    )
    pack = _weekly_pack(chat, 1)
    bodies = {}
    for email in pack.emails:
        body = email.message.get_body(("plain",))
        assert body is not None
        bodies[email.ref.step] = body.get_content().replace("\r\n", "\n")
    assert set(bodies) == {"guest-invite", "guest-brief", "guest-reminder"}
    for text in bodies.values():
        assert text.startswith("Hi Grace,\n")
        assert "((" not in text and "))" not in text
    invite = bodies["guest-invite"]
    assert "Ada Example (@ada)\nhttps://example.org/indiedevhour\n" in invite
    when = "Tue 2 Mar 2027, 8pm ET / 1am GMT (Wed 3 Mar) / 12pm AEDT (Wed 3 Mar)"
    assert f"Would you be our guest on {when}?" in invite
    assert "I post 6 questions, one every 10 minutes" in invite
