"""The wizard's review screen: everything chosen, the first session's timeline, its cost."""

from __future__ import annotations

from datetime import datetime

from launchkit.commands.init import InitContext
from launchkit.commands.init.answers import Answers, answers_to_chat
from launchkit.commands.init.checks import describe_report
from launchkit.errors import LaunchkitError


def review_text(ctx: InitContext, answers: Answers, now: datetime) -> str:
    """A person-readable summary of the answers and the first session's planned posts."""
    from launchkit.adapters.playbookfile import load_playbook
    from launchkit.adapters.templates import load_templates
    from launchkit.commands.pack import build_pack
    from launchkit.domain.schedule import SessionRule, render_schedule
    from launchkit.domain.sessions import session_starts
    from launchkit.domain.timefmt import format_local, format_moment

    try:
        chat = answers_to_chat(answers)
    except (LaunchkitError, ValueError) as exc:
        return f"(the answers do not make a chat yet: {exc})"
    rule = SessionRule(chat.schedule.rrule, chat.schedule.start, chat.schedule.duration_min)
    first = session_starts(chat, 1)[0]
    lines = [
        f"Chat:      {chat.name} — {chat.topic}",
        f"Host:      {chat.host.name} {chat.host.handle or ''} <{chat.host.email or 'no email'}>",
        f"Hashtag:   {describe_report(ctx.report(chat.hashtag))}",
        f"Schedule:  {render_schedule((rule,), chat.timezone)} ({chat.timezone}), "
        f"{chat.schedule.duration_min} min",
        f"First:     {format_moment(first, chat.zones)}",
        f"Guests:    {', '.join(g.name for g in chat.guests) or 'none'}",
        f"Questions: {len(chat.questions)}",
        f"Playbook:  {chat.playbook}",
    ]
    try:
        env = load_templates(None)
        playbook = load_playbook(chat.playbook, env.names(), ctx.target)
        pack = build_pack(chat, playbook, [first], now, env)
    except LaunchkitError as exc:
        return "\n".join([*lines, "", f"The content pack cannot be built yet: {exc}"])
    s = ctx.settings
    cost = sum(s.price_post_url_usd if p.has_url else s.price_post_usd for p in pack.posts)
    lines += ["", "First session timeline:"]
    for post in pack.posts:
        late = "  (late)" if post.late else ""
        lines.append(f"  {format_local(post.due_local):<25}  X      {post.text[:60]}{late}")
    for mail in pack.emails:
        lines.append(f"  {format_local(mail.due_local):<25}  email  to {mail.recipient}")
    lines.append(
        f"Posting these {len(pack.posts)} posts through the X API costs about ${cost:.2f} "
        f"(${s.price_post_usd:.3f} a post, ${s.price_post_url_usd:.2f} with a link)."
    )
    return "\n".join(lines)
