"""The content pack: every post and email a playbook makes for some sessions, rendered and
checked in memory (`build_pack`). `render` writes it as files (pack_files.py); `schedule` and
`invite` read its items into the ledger. Every check runs before anything is written, so a
bad question or template leaves `out/` as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from launchkit.domain.chat import Chat
from launchkit.domain.ics import Attendee, session_invite_ics
from launchkit.domain.items import ItemRef
from launchkit.domain.mail import Mailbox, build_message, eml_name, file_slug, split_subject
from launchkit.domain.networks.text_rules import MastodonLimits, TextCheck
from launchkit.domain.playbooks import Playbook, network_template
from launchkit.domain.recap.figures import RecapFigures
from launchkit.domain.reconcile import canonical_text
from launchkit.domain.rendering import (
    ContentError,
    PostCheck,
    TemplateRenderer,
    check_post,
    check_questions,
    item_context,
    session_context,
)
from launchkit.domain.season import Season, SeasonSession
from launchkit.domain.sequencing import PlannedItem, plan_sequence
from launchkit.domain.sessions import clock_change_warnings, next_session, zone_warnings
from launchkit.errors import ConfigError

__all__ = [
    "ContentPack",
    "PackEmail",
    "PackPost",
    "build_pack",
    "build_season_pack",
    "check_distinct",
]

_QUESTIONS_ADVISED = (5, 8)


@dataclass(frozen=True)
class PackPost:
    """One rendered post of the sequence."""

    ref: ItemRef
    template: str
    due_local: datetime
    text: str
    weighted_length: int
    has_url: bool  # a post with a URL costs more through the X API
    late: bool  # due before `now`
    measured: TextCheck  # its length by its own network's rule


@dataclass(frozen=True)
class PackEmail:
    """One rendered email: the message and the .eml file name it is written as."""

    ref: ItemRef
    template: str
    due_local: datetime
    recipient: str
    subject: str
    filename: str
    message: EmailMessage
    late: bool


@dataclass(frozen=True)
class ContentPack:
    """Everything a playbook produces for some sessions, rendered and checked."""

    hashtag: str
    playbook: str
    sessions: tuple[datetime, ...]  # starts (chat zone) of the sessions with something planned
    posts: tuple[PackPost, ...]
    emails: tuple[PackEmail, ...]
    warnings: tuple[str, ...]
    cancelled: tuple[date, ...] = ()  # sessions cancelled among these (`schedule --cancel`)


def _check_inputs(chat: Chat, playbook: Playbook, starts: Sequence[datetime]) -> list[str]:
    """Raise for input no pack can be made from; return warnings for the rest."""
    days = [s.date() for s in starts]
    bare = [d for d in days if not chat.questions_for(d)]
    if playbook.needs_questions and bare:
        raise ConfigError(
            f"chat.yaml has no questions for {bare[0]}, but playbook {playbook.name} posts Q1..Qn",
            hint="add 5 to 8 questions under `questions:` in chat.yaml (or under that "
            "session's entry in `sessions:`)",
        )
    problems = check_questions(chat)
    if problems:
        raise ConfigError("\n".join(problems), hint="shorten these questions in chat.yaml")
    warnings = zone_warnings(chat) + clock_change_warnings(starts)
    low, high = _QUESTIONS_ADVISED
    counts = sorted({len(chat.questions_for(d)) for d in days})
    if playbook.needs_questions and any(not low <= n <= high for n in counts):
        warnings.append(
            f"{'/'.join(map(str, counts))} questions: a one-hour chat works best with {low} to "
            f"{high} (about 10 minutes each)"
        )
    guests = chat.all_guests
    if playbook.needs_guests and not guests:
        warnings.append("no guests in chat.yaml: no guest invitations or briefs were made")
    if playbook.needs_guests and guests and not chat.host.email:
        raise ConfigError(
            "guest emails need the host's address as sender, and host.email is not set",
            hint="add `email:` under `host:` in chat.yaml",
        )
    return warnings


def build_pack(
    chat: Chat,
    playbook: Playbook,
    sessions: Sequence[datetime],
    now: datetime,
    env: TemplateRenderer,
    mastodon: MastodonLimits | None = None,
    recaps: Mapping[date, RecapFigures] | None = None,
) -> ContentPack:
    """The pack of `sessions` as the chat's rule gives them (no shifts or cancellations);
    see `build_season_pack`."""
    zone = ZoneInfo(chat.timezone)
    starts = sorted(s.astimezone(zone) for s in sessions)
    following = next_session(chat, starts[-1]) if starts else None
    season = Season(chat, tuple(SeasonSession(s.date(), s) for s in starts), (), following, ())
    return build_season_pack(season, playbook, now, env, mastodon, recaps)


def build_season_pack(
    season: Season,
    playbook: Playbook,
    now: datetime,
    env: TemplateRenderer,
    mastodon: MastodonLimits | None = None,
    recaps: Mapping[date, RecapFigures] | None = None,
) -> ContentPack:
    """Plan, render and check every post and email of `playbook` for the season's sessions,
    one post per network of the chat for each post step (a network's own template variant
    when there is one); `mastodon` is the instance's limits (default: 500 characters, URLs
    23); `recaps`, the figures of sessions that have a recap (templates see them as
    `recap`). The season's warnings (bookings that name no session) come with the pack's.

    Raises ConfigError listing every post that is too long (nothing is truncated).
    """
    names = env.names()
    chat = season.chat
    starts = season.starts
    warnings = _check_inputs(chat, playbook, starts)
    warnings += season.warnings
    items = plan_sequence(chat, playbook, starts)
    steps = {s.id: s for s in playbook.steps}
    contexts = {}
    for i, start in enumerate(starts):
        # After the last session planned here, the season's next one: its wrap names it.
        following = starts[i + 1] if i + 1 < len(starts) else season.following
        own = [it for it in items if it.ref.session == start.date()]
        session_vars = session_context(chat, start, following, own)
        session_vars["recap"] = (recaps or {}).get(start.date())
        contexts[start.date()] = (start, session_vars)
    posts: list[PackPost] = []
    emails: list[PackEmail] = []
    errors: list[str] = []
    for item in items:
        step = steps[item.ref.step]
        start, session_vars = contexts[item.ref.session]
        context = item_context(chat, item, step, session_vars)
        template = item.template
        if item.ref.channel != "email":
            template = network_template(template, item.ref.channel, names)
            item = replace(item, template=template)
        text = env.render(template, context).strip()
        if item.ref.channel != "email":
            try:
                check = check_post(item, step, text, mastodon)
            except ContentError as exc:
                if str(exc) not in errors:  # a question repeats every session: say it once
                    errors.append(str(exc))
                continue
            posts.append(_post(item, text, check, now))
        else:
            html = (
                env.render(item.template, context, html=True)
                if env.has_html(item.template)
                else None
            )
            emails.append(_email(chat, item, start, context, text, html, now))
    if errors:
        raise ConfigError("\n".join(errors), hint="posts are never truncated: edit and re-render")
    check_distinct(posts)
    return ContentPack(
        hashtag=chat.hashtag,
        playbook=playbook.name,
        # Sessions the playbook does nothing for (a one-off's later weeks) are left out.
        sessions=tuple(s for s in starts if any(i.ref.session == s.date() for i in items)),
        posts=tuple(posts),
        emails=tuple(emails),
        warnings=tuple(warnings),
        cancelled=tuple(c.day for c in season.cancelled),
    )


def check_distinct(posts: Sequence[PackPost], earlier: Mapping[str, str] | None = None) -> None:
    """Refuse a plan in which two posts on one network would have the same text.

    A network refuses a repeat (X: 403 duplicate content), and a repeat could be taken for the
    other post when an outcome is unknown. `earlier` maps the text of posts already sent
    (canonical form, see domain/reconcile.py) to their item key.
    """
    seen = dict(earlier or {})
    clashes = []
    for post in posts:
        text = f"{post.ref.channel}\n{canonical_text(post.text)}"
        if text in seen and seen[text] != post.ref.key:
            clashes.append(
                f"{seen[text]} and {post.ref.key} would post the same text: {post.text!r}"
            )
        seen.setdefault(text, post.ref.key)
    if clashes:
        shown = clashes[:5] + ([f"... and {len(clashes) - 5} more"] if len(clashes) > 5 else [])
        raise ConfigError(
            "\n".join(shown),
            hint="a network refuses a repeated post: keep {{ session_day }} in the template, or "
            "give each session its own questions or theme under `sessions:` in chat.yaml",
        )


def _post(item: PlannedItem, text: str, check: PostCheck, now: datetime) -> PackPost:
    return PackPost(
        item.ref,
        item.template,
        item.due_local,
        text=text,
        weighted_length=check.weighted_length,
        has_url=check.has_url,
        late=item.ref.due_utc < now,
        measured=check.measured,
    )


def _email(
    chat: Chat,
    item: PlannedItem,
    start: datetime,
    context: dict[str, object],
    text: str,
    html: str | None,
    now: datetime,
) -> PackEmail:
    try:
        subject, body = split_subject(text, item.template)
    except ValueError as exc:
        raise ConfigError(str(exc), hint="start email templates with a Subject: line") from None
    guest = context.get("guest")
    name = getattr(guest, "name", chat.host.name)
    recipient = item.recipient
    if recipient is None:
        raise ConfigError(
            f"step {item.ref.step} emails the host, and host.email is not set",
            hint="add `email:` under `host:` in chat.yaml",
        )
    try:
        ics = session_invite_ics(
            chat,
            start,
            [Attendee(name, recipient)],
            dtstamp=item.ref.due_utc,  # the planned send time: a later one supersedes
            description=f"{chat.name} on X: follow {chat.hashtag}",
        )
        message = build_message(
            sender=Mailbox(chat.host.name, chat.host.email or ""),
            to=Mailbox(name, recipient),
            subject=subject,
            body=body,
            date=item.ref.due_utc,
            html=html,
            ics=ics,
            ics_name=f"{file_slug(chat.hashtag)}-{item.ref.session.isoformat()}.ics",
        )
    except ValueError as exc:
        raise ConfigError(
            f"{item.ref.key} (template {item.template}): {exc}",
            hint="names, subjects and addresses must be one line; check chat.yaml and the template",
        ) from None
    ref = item.ref
    filename = f"{eml_name(ref, recipient)}.eml"
    return PackEmail(
        ref,
        item.template,
        item.due_local,
        recipient=recipient,
        subject=subject,
        filename=filename,
        message=message,
        late=ref.due_utc < now,
    )
