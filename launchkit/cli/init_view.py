"""How the result of `launchkit init` is shown on a terminal: the content pack, then the
schedule, then the summary and the next steps (last, where the eye ends up)."""

from __future__ import annotations

from collections import Counter

from launchkit.commands.init import InitResult
from launchkit.output import Console


def show_result(console: Console, result: InitResult) -> None:
    """The review sheet, the sessions as scheduled, where the files are, what to do next."""
    if result.review_sheet.is_file():
        console.echo(result.review_sheet.read_text(encoding="utf-8"))
    _show_sessions(console, result)
    _show_summary(console, result)


def _show_sessions(console: Console, result: InitResult) -> None:
    planned = [t for t in result.schedule.items if t.state != "cancelled"]
    posts = Counter(t.ref.session for t in planned if t.ref.channel != "email")
    emails = Counter(t.ref.session for t in planned if t.ref.channel == "email")
    console.echo("Sessions scheduled in the ledger:")
    for day in result.schedule.sessions:
        console.echo(f"  {day:%a} {day.day} {day:%b %Y}: {posts[day]} posts, {emails[day]} emails")
    for line in result.holidays:
        console.echo(f"  public holiday, {line}")


def _show_summary(console: Console, result: InitResult) -> None:
    render, schedule = result.render, result.schedule
    console.echo("")
    console.echo(f"Wrote {result.chat_file}")
    console.echo(f"Hashtag {result.hashtag} ({result.verdict}); runs {result.schedule_text}")
    console.echo(
        f"Content pack: {render.posts} posts, {render.emails} emails in {render.out_dir}/ "
        f"(review sheet: {result.review_sheet})"
    )
    console.echo(
        f"Scheduled {len(schedule.items)} items over {len(schedule.sessions)} sessions in the "
        f"ledger; posting them through the X API costs about ${schedule.total_cost_usd:.2f}"
    )
    if result.replaced:
        console.echo(
            f"Replaced the chat {result.replaced}: {result.replaced_cancelled} of its unsent "
            "posts and emails cancelled (what was sent stays in the ledger)"
        )
    if result.late_steps:
        done = "to be sent at once" if result.late_choice == "send" else "skipped"
        console.echo(f"{result.late_steps} steps were already due when planned: {done}")
    for warning in dict.fromkeys((*render.warnings, *schedule.warnings)):
        console.warn(warning)
    console.echo("\nNext steps (nothing has been posted or mailed):")
    for step in result.next_steps:
        console.echo(f"  {step}")
