"""The wizard's review screen: everything chosen, the sessions (public holidays flagged), the
timeline of posts and emails in time order (late steps marked), and what posting costs; and
the questions about late steps and holiday sessions."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from launchkit.commands.init import InitContext
from launchkit.commands.init.answers import Answers, answers_to_chat
from launchkit.commands.init.checks import describe_report
from launchkit.commands.init.plan import PlanPreview
from launchkit.domain.excerpt import first_words
from launchkit.domain.networks import network_label
from launchkit.errors import LaunchkitError
from launchkit.output import pad, text_width

if TYPE_CHECKING:
    from launchkit.commands.pack import PackEmail, PackPost
    from launchkit.domain.chat import Chat
    from launchkit.domain.items import ItemRef

# The review screen shows each post's opening in this many terminal columns.
POST_COLUMNS = 60
# The late-steps question names this many steps, then counts the rest.
_NAMED = 4
_WHEN_COLUMNS = 25
LATE_WORDS = {"send": "late: sent at once", "skip": "late: skipped", None: "LATE"}


def review_text(ctx: InitContext, answers: Answers) -> str:
    """A person-readable summary of the answers and the plan they make."""
    from launchkit.domain.schedule import SessionRule, render_schedule

    try:
        chat = answers_to_chat(answers)
    except (LaunchkitError, ValueError) as exc:
        return f"(the answers do not make a chat yet: {exc})"
    rule = SessionRule(chat.schedule.rrule, chat.schedule.start, chat.schedule.duration_min)
    lines = [
        f"Chat:      {chat.name} — {chat.topic}",
        f"Host:      {chat.host.name} {chat.host.handle or ''} <{chat.host.email or 'no email'}>",
        f"Hashtag:   {describe_report(ctx.report(chat.hashtag))}",
        f"Schedule:  {render_schedule((rule,), chat.timezone)} ({chat.timezone}), "
        f"{chat.schedule.duration_min} min",
        f"Guests:    {', '.join(g.name for g in chat.guests) or 'none'}",
        f"Questions: {len(chat.questions)}",
        f"Playbook:  {chat.playbook}",
        f"Networks:  {', '.join(network_label(n) for n in chat.networks)}",
    ]
    plan = ctx.plan(answers)
    if plan is None:
        return "\n".join([*lines, "", _why_no_plan(ctx, answers)])
    lines += _sessions(plan)
    lines += ["", "Timeline (the first session, and every email), in the chat's zone:"]
    lines += timeline_lines(plan, answers.get("late_steps"))
    if plan.late:
        choice = LATE_WORDS[answers.get("late_steps")]
        lines += ["", f"{len(plan.late)} steps were due before now ({choice})."]
    return "\n".join([*lines, "", *_costs(ctx, list(plan.pack.posts), chat.networks)])


def _why_no_plan(ctx: InitContext, answers: Answers) -> str:
    from launchkit.commands.init.plan import preview

    try:
        preview(ctx, answers)
    except (LaunchkitError, ValueError, KeyError) as exc:
        return f"The content pack cannot be built yet: {exc}"
    return "The content pack cannot be built yet."


def _sessions(plan: PlanPreview) -> list[str]:
    from launchkit.domain.timefmt import format_moment

    lines = []
    for n, start in enumerate(plan.pack.sessions):
        label = "Sessions:  " if n == 0 else " " * 11
        lines.append(f"{label}{format_moment(start, plan.chat.zones)}")
    skipped = [h for h in plan.holidays if h.start.date() in plan.skipped]
    lines += [f"Skipped:   {h.describe()}" for h in skipped]
    lines += [f"Holiday:   {h.describe()} (kept)" for h in plan.holidays if h not in skipped]
    return lines


def _recipient(chat: Chat, address: str) -> str:
    names = {g.email: g.name for g in chat.all_guests}
    if chat.host.email:
        names.setdefault(chat.host.email, chat.host.name)
    return f"{names[address]} <{address}>" if address in names else address


def item_line(plan: PlanPreview, item: PackPost | PackEmail) -> str:
    """What one step is, for a person: a post's network and opening, an email's subject and
    to whom it goes."""
    from launchkit.commands.pack import PackEmail

    if isinstance(item, PackEmail):
        subject = first_words(item.subject, POST_COLUMNS, text_width)
        return f"{pad('email', 9)}to {_recipient(plan.chat, item.recipient)}: {subject}"
    where = network_label(item.ref.channel)
    return f"{pad(where, 9)}{first_words(item.text, POST_COLUMNS, text_width)}"


def timeline_lines(plan: PlanPreview, late_choice: str | None = None) -> list[str]:
    """The first session's posts and emails and every later email, in time order; a step
    already due is marked with what happens to it."""
    from launchkit.domain.timefmt import format_local

    first = plan.pack.sessions[0].date() if plan.pack.sessions else None
    items: list[PackPost | PackEmail] = [p for p in plan.pack.posts if p.ref.session == first]
    items += plan.pack.emails
    late = {ref.key for ref in plan.late}
    lines = []
    for item in sorted(items, key=lambda i: (i.ref.due_utc, i.ref.key)):
        mark = f"  ({LATE_WORDS[late_choice]})" if item.ref.key in late else ""
        when = pad(format_local(item.due_local), _WHEN_COLUMNS)
        lines.append(f"  {when}  {item_line(plan, item)}{mark}")
    return lines


def _late_item(plan: PlanPreview, ref: ItemRef, now: datetime) -> str:
    from launchkit.domain.timefmt import format_local
    from launchkit.domain.wording import elapsed_phrase

    due = {e.ref.key: e.due_local for e in plan.pack.emails}
    due |= {p.ref.key: p.due_local for p in plan.pack.posts}
    late = elapsed_phrase(now - ref.due_utc)
    return f"{ref.step} of {ref.session:%a %d %b} (due {format_local(due[ref.key])}, {late} ago)"


def late_question(ctx: InitContext, answers: Answers) -> str:
    """The question about steps already due: which ones, and how late."""
    plan = ctx.plan(answers)
    late = plan.late if plan else ()
    named = [_late_item(plan, ref, ctx.now()) for ref in late[:_NAMED]] if plan else []
    more = f"; and {len(late) - _NAMED} more" if len(late) > _NAMED else ""
    return (
        f"{len(late)} steps of this plan are already late: {'; '.join(named)}{more}. "
        "Send them at once (with the next `launchkit post`), or skip them?"
    )


def holiday_question(ctx: InitContext, answers: Answers) -> str:
    """The question about sessions on public holidays: which, and which holiday where."""
    plan = ctx.plan(answers)
    found = plan.holidays if plan else ()
    listed = "; ".join(h.describe() for h in found)
    return f"Sessions on public holidays for the host or the audience: {listed}. Skip them?"


def _costs(ctx: InitContext, posts: list[PackPost], networks: list[str]) -> list[str]:
    """What posting costs on each network: X per post through its API, the others nothing."""
    s = ctx.settings
    lines = []
    for network in networks:
        mine = [p for p in posts if p.ref.channel == network]
        if network == "x":
            cost = sum(s.price_post_url_usd if p.has_url else s.price_post_usd for p in mine)
            lines.append(
                f"X: {len(mine)} posts through the X API cost about ${cost:.2f} "
                f"(${s.price_post_usd:.3f} a post, ${s.price_post_url_usd:.2f} with a link)."
            )
        else:
            lines.append(f"{network_label(network)}: {len(mine)} posts, free.")
    return lines
