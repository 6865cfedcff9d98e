"""The wizard's review screen: everything chosen, the first session's timeline, its cost."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from launchkit.commands.init import InitContext
from launchkit.commands.init.answers import Answers, answers_to_chat
from launchkit.commands.init.checks import describe_report
from launchkit.domain.excerpt import first_words
from launchkit.domain.networks import network_label
from launchkit.errors import LaunchkitError
from launchkit.output import pad, text_width

# The review screen shows each post's opening in this many terminal columns.
POST_COLUMNS = 60

if TYPE_CHECKING:
    from launchkit.commands.pack import PackPost


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
        f"Networks:  {', '.join(network_label(n) for n in chat.networks)}",
    ]
    try:
        env = load_templates(None)
        playbook = load_playbook(chat.playbook, env.names(), ctx.target)
        pack = build_pack(chat, playbook, [first], now, env)
    except LaunchkitError as exc:
        return "\n".join([*lines, "", f"The content pack cannot be built yet: {exc}"])
    lines += ["", "First session timeline:"]
    for post in pack.posts:
        late = "  (late)" if post.late else ""
        where = network_label(post.ref.channel)
        opening = first_words(post.text, POST_COLUMNS, text_width)
        lines.append(f"  {pad(format_local(post.due_local), 25)}  {pad(where, 9)}{opening}{late}")
    for mail in pack.emails:
        lines.append(
            f"  {pad(format_local(mail.due_local), 25)}  {pad('email', 9)}to {mail.recipient}"
        )
    return "\n".join(lines + _costs(ctx, list(pack.posts), chat.networks))


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
