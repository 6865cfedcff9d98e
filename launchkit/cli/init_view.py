"""How the result of `launchkit init` is shown on a terminal."""

from __future__ import annotations

from launchkit.commands.init import InitResult
from launchkit.output import Console


def show_result(console: Console, result: InitResult) -> None:
    """The review sheet, where the files are, and what to do next."""
    if result.review_sheet.is_file():
        console.echo(result.review_sheet.read_text(encoding="utf-8"))
    console.echo(f"Wrote {result.chat_file}")
    console.echo(f"Hashtag {result.hashtag} ({result.verdict}); runs {result.schedule_text}")
    render, schedule = result.render, result.schedule
    console.echo(
        f"Content pack: {render.posts} posts, {render.emails} emails in {render.out_dir}/ "
        f"(review sheet: {result.review_sheet})"
    )
    console.echo(
        f"Scheduled {len(schedule.items)} items over {len(schedule.sessions)} sessions in the "
        f"ledger; posting them through the X API costs about ${schedule.total_cost_usd:.2f}"
    )
    for warning in dict.fromkeys((*render.warnings, *schedule.warnings)):
        console.warn(warning)
    console.echo("\nNext steps (nothing has been posted or mailed):")
    for step in result.next_steps:
        console.echo(f"  {step}")
