"""A whole chat hour scripted on the fake Mastodon and Bluesky servers (and X), with what a
correct recap of it must say, for the recap tests and the benchmark.

Session: Tue 2027-03-02 20:00 New York (01:00 UTC on the 3rd), window 00:50-03:00 UTC. The
host asks Q1..Q5 ten minutes apart on both networks; a dozen people answer in the "A1",
"A1:", "A1 -" forms or by replying to the question post; some reply to each other; some
write the tag in other letter cases; there are posts before and after the window, a post
deleted and a followers-only one, and enough posts to need more than one page on each
network. `Expected` is derived from the same script, not typed in by hand.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from tests.fakes.bluesky import FakeBlueskyPds
from tests.fakes.mastodon_api import FakeMastodonApi
from tests.fakes.x_search import FakeXSearch
from tests.support import Run, invoke, runtime, write_chat

START = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)  # Tue 2 Mar 20:00 EST
AFTER_WINDOW = datetime(2027, 3, 3, 4, 0, tzinfo=UTC)
TAG_FORMS = ("#IndieDevHour", "#indiedevhour", "#INDIEDEVHOUR")
ANSWER_FORMS = ("A{n}: {text}", "A{n} - {text}", "A{n} {text}", "@ada_example A{n}: {text}")
MASTODON_PEOPLE = ("mia", "noor", "olu", "pat@other.social", "quinn", "ravi")
BLUESKY_PEOPLE = ("sam.bsky.test", "tao.bsky.test", "uma.bsky.test", "vic.bsky.test",
                  "wen.bsky.test", "xio.bsky.test")  # fmt: skip
HOST_MASTODON = "ada_example"  # chat.yaml's host.handle, also the host's Mastodon name
HOST_BLUESKY = "chathost.test"  # the Bluesky account launchkit signs in with


@dataclass
class Expected:
    """What the recap of the scripted hour must find."""

    answers: dict[int, list[str]] = field(default_factory=dict)  # n -> marker texts
    others: list[str] = field(default_factory=list)  # marker texts of the rest
    absent: list[str] = field(default_factory=list)  # markers that must not appear
    per_network: Counter[str] = field(default_factory=Counter)
    people: Counter[tuple[str, str]] = field(default_factory=Counter)  # (network, handle)

    @property
    def posts(self) -> int:
        return sum(self.per_network.values())


def script_hour(
    mastodon: FakeMastodonApi,
    bluesky: FakeBlueskyPds,
    x: FakeXSearch | None = None,
    start: datetime = START,
    chatter: int = 18,
    who: tuple[int, ...] = tuple(range(6)),
    label: str = "",
) -> Expected:
    """Post the hour starting at `start` on the fakes; `who` picks which of the six people on
    each network come; `chatter` small-talk posts per Bluesky person (pages: 100 a page)."""
    exp = Expected()
    m_people = [MASTODON_PEOPLE[i] for i in who]
    b_people = [BLUESKY_PEOPLE[i] for i in who]

    def m_post(text: str, user: str, at: datetime, reply: str | None = None) -> str:
        return str(mastodon.add_status(text, username=user, created_at=at, in_reply_to=reply)["id"])

    def b_post(text: str, user: str, at: datetime, reply: str | None = None) -> str:
        return bluesky.add_post(text, handle=user, created_at=at, reply_to=reply)

    # Before and after the window: never in the recap.
    m_post(f"early bird{label} #IndieDevHour", "mia", start - timedelta(minutes=20))
    b_post(f"too late{label} #IndieDevHour", "sam.bsky.test", start + timedelta(hours=2, minutes=5))
    exp.absent += [f"early bird{label}", f"too late{label}"]
    # Ten minutes before: inside the window, the rest of the conversation.
    m_post(f"hello all{label} #IndieDevHour", "noor", start - timedelta(minutes=8))
    exp.others.append(f"hello all{label}")
    exp.per_network["mastodon"] += 1
    exp.people[("mastodon", "noor")] += 1
    for n in range(1, 6):
        asked = start + timedelta(minutes=5 + 10 * (n - 1))
        q_m = m_post(f"Q{n}: question {n}{label} #IndieDevHour", HOST_MASTODON, asked)
        q_b = b_post(f"Q{n}: question {n}{label} #IndieDevHour", HOST_BLUESKY, asked)
        exp.per_network.update(["mastodon", "bluesky"])
        exp.answers[n] = []
        for i, (m_user, b_user) in enumerate(zip(m_people, b_people, strict=True)):
            at = asked + timedelta(minutes=1, seconds=20 * i)
            tag = TAG_FORMS[(n + i) % 3]
            text = f"answer {n} from {m_user}{label}"
            if (n + i) % 4 == 3:  # a reply to the question, without "A{n}"
                m_id = m_post(f"{text} {tag}", m_user, at, reply=q_m)
            else:
                form = ANSWER_FORMS[(n + i) % len(ANSWER_FORMS)]
                m_id = m_post(form.format(n=n, text=f"{text} {tag}"), m_user, at)
            b_text = f"answer {n} from {b_user}{label}"
            b_id = b_post(ANSWER_FORMS[i % 3].format(n=n, text=f"{b_text} {tag}"), b_user, at)
            if i % 2 == 0:  # replies to the question on Bluesky too
                b_post(f"{b_text} (thread) {tag}", b_user, at + timedelta(seconds=5), reply=q_b)
                exp.answers[n].append(f"{b_text} (thread)")
                exp.per_network["bluesky"] += 1
                exp.people[("bluesky", b_user)] += 1
            exp.answers[n] += [text, b_text]
            exp.per_network.update(["mastodon", "bluesky"])
            exp.people[("mastodon", m_user)] += 1
            exp.people[("bluesky", b_user)] += 1
            if i == 1:  # someone answers the answer: conversation, not an answer
                other = m_people[0]
                m_post(
                    f"love this {n}{label} #IndieDevHour",
                    other,
                    at + timedelta(seconds=9),
                    reply=m_id,
                )
                exp.others.append(f"love this {n}{label}")
                exp.per_network["mastodon"] += 1
                exp.people[("mastodon", other)] += 1
                b_post(
                    f"same here {n}{label} #indiedevhour",
                    b_people[0],
                    at + timedelta(seconds=9),
                    reply=b_id,
                )
                exp.others.append(f"same here {n}{label}")
                exp.per_network["bluesky"] += 1
                exp.people[("bluesky", b_people[0])] += 1
    for i, user in enumerate(b_people):
        for k in range(chatter):
            at = start + timedelta(minutes=2 + k * 3, seconds=i)
            b_post(f"chat {k} from {user}{label} #IndieDevHour", user, at)
            exp.others.append(f"chat {k} from {user}{label}")
            exp.per_network["bluesky"] += 1
            exp.people[("bluesky", user)] += 1
    gone = m_post(f"deleted thought{label} #IndieDevHour", "olu", start + timedelta(minutes=30))
    mastodon.delete_status(gone)
    mastodon.add_status(f"followers only{label} #IndieDevHour", username="olu",
                        created_at=start + timedelta(minutes=31), visibility="private")  # fmt: skip
    exp.absent += [f"deleted thought{label}", f"followers only{label}"]
    if x is not None:
        q1 = x.add_tweet(f"Q1: question 1{label} #IndieDevHour", username="ada_example",
                         at=start + timedelta(minutes=5))  # fmt: skip
        x.add_tweet(f"A1: answer 1 from yan{label} & co #indiedevhour", username="yan",
                    at=start + timedelta(minutes=6))  # fmt: skip
        x.add_tweet(f"answer 1 from zed{label} #IndieDevHour", username="zed",
                    at=start + timedelta(minutes=7), reply_to=q1)  # fmt: skip
        exp.answers[1] += [f"answer 1 from yan{label} & co", f"answer 1 from zed{label}"]
        exp.per_network["x"] += 3
        exp.people.update({("x", "yan"): 1, ("x", "zed"): 1})
    return exp


def chat_on(folder: Path, networks: list[str], **recap: object) -> Path:
    """The test chat (first session Tue 2027-03-02 20:00 New York) on `networks`, with
    chat.yaml's `recap:` options."""
    path = write_chat(folder)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["networks"] = networks
    if recap:
        data["recap"] = recap
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def env_for(
    mastodon: FakeMastodonApi, bluesky: FakeBlueskyPds, x: FakeXSearch | None = None
) -> dict[str, str]:
    """Settings that point launchkit at the fakes, with the host's Bluesky account."""
    env = {
        "LAUNCHKIT_MASTODON_URL": mastodon.base_url,
        "LAUNCHKIT_BLUESKY_URL": bluesky.base_url,
        "LAUNCHKIT_BLUESKY_HANDLE": HOST_BLUESKY,
        "LAUNCHKIT_BLUESKY_APP_PASSWORD": "app-pass-word",
    }
    if x is not None:
        env["LAUNCHKIT_X_BEARER_TOKEN"] = "test-bearer-token"
        env["LAUNCHKIT_X_API_BASE_URL"] = x.base_url
    return env


def recap(
    chat: Path,
    env: dict[str, str],
    *args: str,
    terminal: bool = False,
    answers: str = "",
    now: datetime = AFTER_WINDOW,
) -> Run:
    """`launchkit recap --chat CHAT ARGS` at `now`; it must succeed."""
    rt = runtime(now, env=env, terminal=terminal, answers=answers)
    result = invoke(rt, ["recap", "--chat", str(chat), *args])
    assert result.exit_code == 0, result.stderr + result.output
    return result
