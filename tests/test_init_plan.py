"""Plans that fit: the default first date leaves room for the playbook's longest lead; late
steps are named in the review and sent at once or skipped, as far as the ledger and the send
loop; sessions on public holidays are flagged and skipped; the review and init's output read
in order."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest

from launchkit.adapters.season_store import SeasonStore
from launchkit.adapters.zone_countries import countries_of
from launchkit.commands import init as cmd
from launchkit.commands import schedule, status
from launchkit.commands.init.plan import default_first
from launchkit.commands.init.review import review_text
from launchkit.commands.init.steps import build_steps
from launchkit.commands.init.wizard import ScriptedAsker, collect
from launchkit.domain.public_holidays import holiday_sessions
from launchkit.settings import DEFAULT_SESSIONS, Settings
from tests.fakes.smtp_server import SmtpServer
from tests.fakes.x_api import FakeXApi
from tests.support import (
    REPO,
    WIZARD_TODAY,
    FakeTime,
    init_context,
    invoke,
    open_ledger,
    runtime,
    wizard_script,
    x_env,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # the context's clock: noon of WIZARD_TODAY
EARLY = "2026-12-01"  # a Tuesday six days away: the invitation and the first posts are late
LATE_KEYS = {"guest-invite|2026-12-01|1", "announce|2026-12-01|0", "reminder-7d|2026-12-01|0"}


def _ctx(tmp_path: Path) -> cmd.InitContext:
    ctx: cmd.InitContext = init_context(tmp_path / "chat", WIZARD_TODAY)
    return ctx


def _answers(
    ctx: cmd.InitContext, given: dict[str, Any] | None = None, **changes: Any
) -> tuple[dict[str, Any], ScriptedAsker]:
    """The scripted run's answers (with `given` ones from a file), and its asker."""
    asker = ScriptedAsker(wizard_script(**changes))
    return collect(build_steps(ctx), dict(given or {}), asker), asker


def _early(**changes: Any) -> dict[str, Any]:
    guests = [{"name": "Grace Guest", "email": "grace@example.org", "session": EARLY}]
    return {"first": EARLY, "guests": guests, **changes}


def test_the_default_first_date_leaves_room_for_the_playbooks_longest_lead(
    tmp_path: Path,
) -> None:
    ctx = _ctx(tmp_path)
    answers = {"timezone": "America/New_York", "slot": "TU 20:00", "cadence": "weekly"}
    answers["audience_timezones"] = ["America/New_York", "Europe/London"]
    # weekly-launch invites guests 28 days ahead: Tue 22 Dec's invitation was due on 24 Nov
    # (before now), Tue 29 Dec is in Christmas week; Tue 5 Jan leaves room and is no holiday.
    assert default_first(ctx, answers) == "2027-01-05"
    # A playbook of our own with a six-week lead moves the first date one week on.
    longer = tmp_path / "six-weeks.yaml"
    bundled = (REPO / "playbooks" / "weekly-launch.yaml").read_text(encoding="utf-8")
    longer.write_text(bundled.replace("offset: -28d", "offset: -42d"), encoding="utf-8")
    assert default_first(ctx, {**answers, "playbook": str(longer)}) == "2027-01-12"


def test_the_wizards_own_first_date_makes_no_late_step(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    answers, asker = _answers(ctx, {"first": "auto"})
    assert answers["first"] == "2027-01-05"
    plan = ctx.plan(answers)
    assert plan is not None and plan.late == () and plan.holidays == ()
    assert "late_steps" not in asker.asked and "holiday_sessions" not in asker.asked


def test_an_early_first_date_names_each_late_step(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    answers, asker = _answers(ctx, **_early())
    plan = ctx.plan(answers)
    assert plan is not None and {ref.key for ref in plan.late} == LATE_KEYS
    question = asker.shown[asker.asked.index("late_steps")]
    assert question.startswith("3 steps of this plan are already late: guest-invite of Tue 01 Dec")
    assert "(due Tue 3 Nov 2026 20:00 EST, 21 days ago)" in question
    assert "Send them at once (with the next `launchkit post`), or skip them?" in question


def test_late_steps_sent_at_once_are_never_called_late_and_the_loop_sends_them(
    tmp_path: Path, x: FakeXApi, clock: FakeTime
) -> None:
    ctx = _ctx(tmp_path)
    answers, _ = _answers(ctx, **_early(late_steps="send"))
    result = cmd.finish(ctx, answers, NOW)
    assert result.late_steps == 3 and result.late_choice == "send"
    assert not any(t.late for t in result.schedule.items)
    chat = str(result.chat_file)
    with open_ledger(result.chat_file) as ledger:
        # The host's word is kept per item, for every later plan: let through although late.
        choices = SeasonStore(ledger).choices("#IndieDevLaunch")
        assert choices == dict.fromkeys(LATE_KEYS, "send_late")
        # Three hours later, long past the 30-minute grace: due, not late.
        clock.now = NOW + timedelta(hours=3)
        report = status.run(ledger, (), clock.now, timedelta(minutes=30))
        labels = {r.ref.key: r.status for r in report.items if r.ref.key in LATE_KEYS}
        assert labels == dict.fromkeys(LATE_KEYS, "due")
    with SmtpServer() as smtp:
        env = {
            **x_env(x.base_url),
            "LAUNCHKIT_SMTP_HOST": "127.0.0.1",
            "LAUNCHKIT_SMTP_PORT": str(smtp.port),
            "LAUNCHKIT_SMTP_SECURITY": "none",
        }
        sent = invoke(runtime(time=clock, env=env), ["post", "--chat", chat])
        assert sent.exit_code == 0, sent.stderr
    # The two late X posts and the guest's late invitation, dated when it went.
    assert sorted(p["text"][:20] for p in x.posted()) == [
        "#IndieDevLaunch is n",
        "New chat: Indie Dev ",
    ]
    (invitation,) = smtp.messages
    assert "grace@example.org" in str(invitation["To"])
    assert parsedate_to_datetime(str(invitation["Date"])) >= clock.now - timedelta(minutes=1)
    with open_ledger(result.chat_file) as ledger:
        # A later plan keeps the choice: the steps stay sent, none is late.
        again = schedule.run(ctx.open_folder(result.chat_file), ledger, Settings(), now=clock.now)
    assert not any(t.late for t in again.items)
    assert {t.ref.key for t in again.items if t.state == "sent"} == LATE_KEYS


def test_late_steps_skipped_stay_out_of_every_later_plan(tmp_path: Path) -> None:
    ctx = _ctx(tmp_path)
    answers, _ = _answers(ctx, **_early(late_steps="skip"))
    result = cmd.finish(ctx, answers, NOW)
    assert {t.ref.key for t in result.schedule.items} & LATE_KEYS == set()
    assert not any(t.late for t in result.schedule.items)
    later = NOW + timedelta(days=2)
    with open_ledger(result.chat_file) as ledger:
        again = schedule.run(ctx.open_folder(result.chat_file), ledger, Settings(), now=later)
        assert not {i.ref.key for i in ledger.items(("planned",))} & LATE_KEYS
    assert not any(t.late for t in again.items)


def test_sessions_on_public_holidays_are_flagged_and_skipped_as_schedule_cancel_does(
    tmp_path: Path,
) -> None:
    ctx = _ctx(tmp_path / "skip")
    answers, asker = _answers(ctx)  # from Tue 22 Dec: Tue 29 Dec is in Christmas week
    question = asker.shown[asker.asked.index("holiday_sessions")]
    assert "Tue 29 Dec 2026: between Christmas Day and New Year's Day (US)" in question
    assert "between Boxing Day (observed) and New Year's Day (GB)" in question
    assert "Skipped:   Tue 29 Dec 2026: between Christmas Day" in review_text(ctx, answers)
    result = cmd.finish(ctx, answers, NOW)
    assert date(2026, 12, 29) not in result.schedule.sessions
    assert result.holidays[0].endswith(": skipped")
    with open_ledger(result.chat_file) as ledger:
        stored = SeasonStore(ledger).changes("#IndieDevLaunch")
    assert stored.cancelled == {date(2026, 12, 29)}
    assert len(result.schedule.sessions) == DEFAULT_SESSIONS  # the season still has four
    # The pack (out/posts.md) renders the sessions scheduled, not the skipped one.
    assert result.render.sessions == result.schedule.sessions
    posts_md = (result.chat_file.parent / "out" / "posts.md").read_text(encoding="utf-8")
    assert "## Session Tue 29 Dec" not in posts_md

    kept = _ctx(tmp_path / "keep")
    answers, _ = _answers(kept, holiday_sessions="keep")
    assert "Holiday:   Tue 29 Dec 2026" in review_text(kept, answers)
    result = cmd.finish(kept, answers, NOW)
    assert date(2026, 12, 29) in result.schedule.sessions
    assert result.holidays[0].endswith(": kept")


NY, LONDON, TOKYO, SYDNEY = "America/New_York", "Europe/London", "Asia/Tokyo", "Australia/Sydney"


@pytest.mark.parametrize(
    ("start", "zones", "expected"),
    [
        # Thanksgiving, for a Thursday chat in New York.
        (datetime(2026, 11, 26, 20, 0), [NY], ["Thanksgiving Day (US)"]),
        # 8pm in New York on New Year's Eve is 1am on New Year's Day in London.
        (
            datetime(2026, 12, 31, 20, 0),
            [NY, LONDON],
            ["between Christmas Day and New Year's Day (US)", "New Year's Day (GB)"],
        ),
        # Monday 8pm in New York is Tuesday noon in Sydney: Australia Day there, not here.
        (datetime(2027, 1, 25, 20, 0), [NY, SYDNEY], ["Australia Day (AU)"]),
        # Golden Week, for an audience in Tokyo (Tuesday 8pm in New York is Wednesday there).
        (datetime(2027, 5, 4, 20, 0), [NY, TOKYO], ["Children's Day (JP)"]),
        (
            datetime(2027, 4, 29, 20, 0),
            [NY, TOKYO],
            ["between Showa Day and Constitution Day (JP)"],
        ),
        (datetime(2027, 3, 2, 20, 0), [NY, LONDON, TOKYO, SYDNEY], []),
    ],
)
def test_a_session_is_checked_on_its_local_date_in_each_countrys_zone(
    start: datetime, zones: list[str], expected: list[str]
) -> None:
    from zoneinfo import ZoneInfo

    found = holiday_sessions([start.replace(tzinfo=ZoneInfo(zones[0]))], zones, countries_of(zones))
    assert [r for h in found for r in h.reasons] == expected


def test_the_review_timeline_is_in_time_order_and_says_who_each_email_goes_to(
    tmp_path: Path,
) -> None:
    ctx = _ctx(tmp_path)
    answers, _ = _answers(ctx, **_early(late_steps="skip"))
    timeline = review_text(ctx, answers).split("in the chat's zone:\n")[1].split("\n\n")[0]
    lines = timeline.splitlines()
    moments = [
        datetime.strptime(re.findall(r"\w+ \d+ \w+ \d{4} \d\d:\d\d", line)[0], "%a %d %b %Y %H:%M")
        for line in lines
    ]
    assert moments == sorted(moments)
    emails = [line for line in lines if "  email  " in line]
    assert len(emails) == 3
    assert all("to Grace Guest <grace@example.org>: " in line for line in emails)
    invite = next(line for line in lines if "Guest on Indie Dev Hour" in line)
    assert invite.startswith("  Tue 3 Nov 2026 20:00 EST") and invite.endswith("(late: skipped)")
    assert sum(line.endswith("(late: skipped)") for line in lines) == 3


def test_init_prints_the_pack_then_the_schedule_then_the_summary_last(tmp_path: Path) -> None:
    answers = REPO / "examples" / "answers.yaml"
    run = invoke(runtime(NOW), ["init", str(tmp_path / "c"), "--answers", str(answers)])
    assert run.exit_code == 0, run.stderr
    out = run.stdout
    pack, sessions = out.index("# Indie Dev Hour"), out.index("Sessions scheduled in the ledger")
    summary, steps = out.index("Wrote "), out.index("Next steps")
    assert pack < sessions < summary < steps
    assert out.rstrip().splitlines()[-1].lstrip().startswith("launchkit submit")


def test_the_next_steps_send_the_guests_emails_through_post_never_invite_send(
    tmp_path: Path,
) -> None:
    answers = str(REPO / "examples" / "answers.yaml")
    without = invoke(runtime(NOW), ["init", str(tmp_path / "a"), "--answers", answers])
    assert without.exit_code == 0, without.stderr
    steps = without.stdout.split("Next steps")[1]
    assert "invite --send" not in without.stdout
    assert "launchkit post --watch" in steps
    assert "the guests' emails go out once LAUNCHKIT_SMTP_HOST is set" in steps
    # With a mail server set, `post` alone is the way: no extra step to read.
    env = {"LAUNCHKIT_SMTP_HOST": "127.0.0.1"}
    with_smtp = invoke(runtime(NOW, env=env), ["init", str(tmp_path / "b"), "--answers", answers])
    assert with_smtp.exit_code == 0, with_smtp.stderr
    assert "LAUNCHKIT_SMTP_HOST" not in with_smtp.stdout.split("Next steps")[1]
    assert "invite --send" not in with_smtp.stdout
