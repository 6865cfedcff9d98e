"""Identity, not text (finding 1 of issue 19): no two posts of a chat have the same text. The
bundled templates name the session where a text would repeat; a session may have its own
theme, questions and guests in chat.yaml; a plan that would repeat a text is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from launchkit.adapters.ledger import PlanRow
from launchkit.commands.pack import build_pack
from launchkit.domain.chat import Chat, format_validation_error
from launchkit.domain.items import ItemRef
from launchkit.domain.season import SeasonChanges, Shift, plan_season
from launchkit.domain.sessions import session_starts
from launchkit.errors import ConfigError
from tests.support import REPO, make_chat, open_ledger, plan, write_chat

NOW = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)


def pack_of(chat: Chat, playbook: str, sessions: int = 6) -> object:
    from launchkit.adapters.playbookfile import load_playbook
    from launchkit.adapters.templates import load_templates

    templates = load_templates(None)
    book = load_playbook(playbook, templates.names(), REPO)
    return build_pack(chat, book, session_starts(chat, sessions), NOW, templates)


@pytest.mark.parametrize("playbook", ["weekly-launch", "monthly", "one-off"])
def test_every_post_of_a_bundled_playbook_is_distinct_over_many_sessions(playbook: str) -> None:
    # The same questions every session, guests on some: still no text twice.
    chat = make_chat(playbook=playbook)
    pack = pack_of(chat, playbook, sessions=8)
    texts = [p.text for p in pack.posts]  # type: ignore[attr-defined]
    assert len(texts) == len(set(texts))


def test_a_session_with_its_own_questions_and_theme_posts_them() -> None:
    chat = make_chat(
        sessions=[
            {
                "date": "2027-03-09",
                "theme": "launch week",
                "questions": ["Which day do you launch on?", "Who do you tell first?"],
                "guests": [{"name": "Lin", "email": "lin@example.org", "handle": "@lin"}],
            }
        ]
    )
    pack = pack_of(chat, "weekly-launch", sessions=3)
    posts = {p.ref.key: p.text for p in pack.posts}  # type: ignore[attr-defined]
    assert posts["question|2027-03-09|1"] == "Q1: Which day do you launch on? #IndieDevHour"
    assert "question|2027-03-09|3" not in posts  # two questions that week
    assert posts["question|2027-03-16|1"] == "Q1 (Tue 16 Mar): Question 1? #IndieDevHour"
    assert "on Tue 9 Mar: launch week, with @lin" in posts["live|2027-03-09|0"]
    invited = [e.recipient for e in pack.emails if e.ref.session == date(2027, 3, 9)]  # type: ignore[attr-defined]
    assert "lin@example.org" in invited


def test_a_template_that_would_repeat_a_post_is_refused(tmp_path: Path) -> None:
    chat_file = write_chat(tmp_path)
    own = tmp_path / "templates" / "x"
    own.mkdir(parents=True)
    (own / "question.txt.j2").write_text("Q{{ n }}: {{ question }} {{ hashtag }}\n")
    with pytest.raises(ConfigError) as caught:
        plan(chat_file)
    assert "question|2027-03-02|1 and question|2027-03-09|1 would post the same text" in str(
        caught.value
    )
    assert caught.value.hint is not None and "session_day" in caught.value.hint


def test_schedule_refuses_a_text_already_sent_for_another_row(tmp_path: Path) -> None:
    chat_file = write_chat(tmp_path)
    first = plan(chat_file)
    q1 = next(t for t in first.items if t.ref.key == "question|2027-03-09|1")
    with open_ledger(chat_file, NOW) as ledger:
        # An earlier post, by another row, that happens to have next week's exact text.
        ref = ItemRef("extra", date(2027, 1, 5), 0, "x", NOW)
        ledger.sync_plan("#IndieDevHour", [*_rows(ledger), PlanRow("#IndieDevHour", ref, q1.text)])
        extra = next(i for i in ledger.items() if i.ref.step == "extra")
        ledger.mark_sent(ledger.mark_sending(extra), "1", None)
    with pytest.raises(ConfigError) as caught:
        plan(chat_file)
    assert "extra|2027-01-05|0 and question|2027-03-09|1 would post the same text" in str(
        caught.value
    )


def _rows(ledger: object) -> list[PlanRow]:
    from launchkit.adapters.ledger_schema import as_plan

    return [as_plan(i) for i in ledger.items() if i.state == "planned"]  # type: ignore[attr-defined]


def test_a_sessions_own_content_moves_with_it() -> None:
    chat = make_chat(sessions=[{"date": "2027-03-09", "questions": ["Only this?"]}])
    changes = SeasonChanges(sessions=2, shifts=(Shift(date(2027, 3, 9), 1),))
    season = plan_season(chat, changes, 4)
    assert [s.day for s in season.sessions] == [date(2027, 3, 2), date(2027, 3, 10)]
    assert season.chat.questions_for(date(2027, 3, 10)) == ["Only this?"]


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        (
            [{"date": "2027-03-09"}, {"date": "2027-03-09", "theme": "again"}],
            "sessions: 2027-03-09 is listed twice",
        ),
        (
            [{"date": "2027-03-09", "guests": [{"name": "G", "email": "g@example.org",
                                                 "session": "2027-03-16"}]}],
            "guest G is listed under the session of 2027-03-09 but booked for 2027-03-16",
        ),
        ([{"date": "2027-03-09", "thme": "typo"}],
         "sessions.0.thme: unknown key (did you mean 'theme'?)"),
        ([{"date": "2027-03-09", "theme": "two\nlines"}],
         "sessions.0.theme: 'two\\nlines': must be one line"),
    ],
)  # fmt: skip
def test_sessions_entries_are_checked_field_by_field(sessions: object, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_chat(sessions=sessions)
    assert message in format_validation_error("chat.yaml", caught.value)


def test_the_example_chat_file_documents_a_valid_sessions_entry() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```yaml\nsessions:", 1)[1].split("```", 1)[0]
    sessions = yaml.safe_load("sessions:" + block)["sessions"]
    chat = make_chat(
        schedule={"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "20:00", "first": "2027-01-12"},
        sessions=sessions,
    )
    assert chat.theme_for(date(2027, 1, 19)) == "marketing on a shoestring"
