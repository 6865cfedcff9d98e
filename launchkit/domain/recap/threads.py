"""Which post answers which question (pure).

The host's question posts are those the ledger or the live room marked (`Post.question`),
else the host's posts that start "Q1:", "Q1." or "Q1 -". A post answers question n when it
starts "A1", "A1:" or "A1 -" (after any @mentions), or replies to a question post; every
other post is the rest of the conversation. A question is listed once, whatever the number
of networks it was posted on, with its answers from all of them.

>>> answer_number("@ada A3: Unity, again")
3
>>> answer_number("A12 - the trailer") is None, question_number("Q2. What next?")
(False, 2)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from launchkit.domain.recap.posts import Post

__all__ = ["Question", "Threads", "answer_number", "question_number", "thread_posts"]

_QUESTION = re.compile(r"^\s*Q\s?(\d{1,2})\s*(?:[:.)\-–—]|\s)", re.IGNORECASE)
_ANSWER = re.compile(r"^\s*(?:@[\w.@-]+\s+)*A\s?(\d{1,2})(?:\s*[:.)\-–—]|\s|$)", re.IGNORECASE)
_HASHTAGS_AT_END = re.compile(r"(?:\s+#\w+)+\s*$")


def question_number(text: str) -> int | None:
    """n when `text` is written as question n ("Q1:", "Q1.", "Q1 -"), else None."""
    found = _QUESTION.match(text)
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


def answer_number(text: str) -> int | None:
    """n when `text` is written as an answer to question n ("A1", "A1:", "A1 -")."""
    found = _ANSWER.match(text)
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


@dataclass(frozen=True)
class Question:
    """A question of the session: its text, the host's posts of it and every answer."""

    n: int
    text: str
    posts: tuple[Post, ...]  # the host's post of it on each network (none when not found)
    answers: tuple[Post, ...]  # oldest first


@dataclass(frozen=True)
class Threads:
    """A session's posts sorted into questions with their answers, and the rest."""

    questions: tuple[Question, ...]  # by n
    others: tuple[Post, ...]  # oldest first: the rest of the conversation

    def parent_of(self, post: Post) -> Post | None:
        """The post `post` replies to, when it is one of the session's posts."""
        if post.reply_to is None:
            return None
        return self._by_id.get((post.network, post.reply_to))

    @cached_property
    def _by_id(self) -> dict[tuple[str, str], Post]:
        every = [p for q in self.questions for p in (*q.posts, *q.answers)] + list(self.others)
        return {(p.network, p.post_id): p for p in every}


def _question_text(n: int, posts: Sequence[Post], planned: Sequence[str]) -> str:
    """What was asked: the host's first post of it (without "Qn:" and the closing hashtags),
    else chat.yaml's question n."""
    if posts:
        body = _HASHTAGS_AT_END.sub("", _QUESTION.sub("", posts[0].text, count=1)).strip()
        if body:
            return body
    return planned[n - 1] if n <= len(planned) else ""


def thread_posts(
    posts: Sequence[Post], is_host: Callable[[Post], bool], planned: Sequence[str] = ()
) -> Threads:
    """Sort `posts` (any order) into questions and the rest; `planned` are chat.yaml's
    questions (Q1 is planned[0]): answers to a planned question whose post was not found are
    still listed under it."""
    ordered = sorted(posts, key=lambda p: p.time_order)
    asked: dict[int, list[Post]] = {}
    question_of: dict[tuple[str, str], int] = {}
    for post in ordered:
        n = post.question
        if n is None and is_host(post):
            n = question_number(post.text)
        if n is not None and (
            post.question is not None or post.network not in _networks(asked.get(n))
        ):
            asked.setdefault(n, []).append(post)
            question_of[(post.network, post.post_id)] = n
    answers: dict[int, list[Post]] = {}
    others: list[Post] = []
    for post in ordered:
        if (post.network, post.post_id) in question_of:
            continue
        n = answer_number(post.text)
        if n is None and post.reply_to is not None:
            n = question_of.get((post.network, post.reply_to))
        if n is not None and (n in asked or n <= len(planned)):
            answers.setdefault(n, []).append(post)
        else:
            others.append(post)
    questions = tuple(
        Question(n, _question_text(n, asked.get(n, []), planned), tuple(asked.get(n, [])),
                 tuple(answers.get(n, [])))
        for n in sorted(set(asked) | set(answers))
    )  # fmt: skip
    return Threads(questions, tuple(others))


def _networks(posts: Sequence[Post] | None) -> set[str]:
    return {p.network for p in posts or ()}
