"""The recap's rules on their own: what counts as a question or an answer, and who a handle
names (the host, a guest, someone left out)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from launchkit.domain.recap.posts import Post, parse_handle_rules
from launchkit.domain.recap.threads import answer_number, question_number, thread_posts

T0 = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "n"),
    [("A1: yes", 1), ("A1 - yes", 1), ("A1 yes", 1), ("a2: lower case", 2), ("A3", 3),
     ("@ada @bo A4: with mentions", 4), ("A12. twelve", 12), ("A1B2 is a chip", None),
     ("Answer 1", None), ("A0: zero", None), ("my A1: late", None)],
)  # fmt: skip
def test_answer_forms(text: str, n: int | None) -> None:
    assert answer_number(text) == n


@pytest.mark.parametrize(
    ("text", "n"),
    [("Q1: why?", 1), ("Q2. how?", 2), ("Q3 - what?", 3), ("Q4 where?", 4), ("Quick one", None)],
)
def test_question_forms(text: str, n: int | None) -> None:
    assert question_number(text) == n


@pytest.mark.parametrize(
    ("spec", "network", "handle", "same"),
    [("@ada", "x", "ADA", True), ("@ada", "mastodon", "ada@mastodon.social", True),
     ("@ada", "bluesky", "ada.bsky.social", False), ("x:@ada", "mastodon", "ada@m.social", False),
     ("@ada@m.social", "mastodon", "ada@other.social", False),
     ("bluesky:ada.bsky.social", "bluesky", "Ada.bsky.social", True)],
)  # fmt: skip
def test_handle_rules(spec: str, network: str, handle: str, same: bool) -> None:
    assert parse_handle_rules([spec])[0].matches(network, handle) is same


@pytest.mark.parametrize("spec", ["", "@", "threads:@ada", "two words"])
def test_bad_handles_are_refused(spec: str) -> None:
    with pytest.raises(ValueError, match=r"handle|network"):
        parse_handle_rules([spec])


def post(pid: str, who: str, text: str, minutes: int, reply: str | None = None,
         network: str = "x") -> Post:  # fmt: skip
    return Post(network, pid, who, "", T0 + timedelta(minutes=minutes), text, "", reply)


def test_a_question_posted_on_two_networks_is_listed_once_with_every_answer() -> None:
    posts = [
        post("1", "host", "Q1: Why? #T", 5),
        post("m1", "host", "Q1: Why? #T", 5, network="mastodon"),
        post("2", "bo", "A1: because", 6),
        post("m2", "cy", "no idea", 7, reply="m1", network="mastodon"),
        post("3", "di", "so true", 8, reply="2"),
        post("4", "bo", "Q1: me asking", 9),  # not the host: conversation
    ]
    threads = thread_posts(posts, lambda p: p.handle == "host", ["Why do you make games?"])
    (q1,) = threads.questions
    assert (q1.n, q1.text) == (1, "Why?")
    assert sorted(p.post_id for p in q1.posts) == ["1", "m1"]
    assert [p.post_id for p in q1.answers] == ["2", "m2"]
    assert [p.post_id for p in threads.others] == ["3", "4"]
    parent = threads.parent_of(threads.others[0])
    assert parent is not None and parent.handle == "bo"


def test_answers_to_a_planned_question_whose_post_was_not_read_keep_its_text() -> None:
    threads = thread_posts([post("1", "bo", "A2 - later", 20)], lambda p: False, ["One?", "Two?"])
    assert [(q.n, q.text, len(q.answers)) for q in threads.questions] == [(2, "Two?", 1)]
    assert thread_posts([post("1", "bo", "A7: huh", 20)], lambda p: False, ["One?"]).others
