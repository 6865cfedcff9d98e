"""Asking before anything that costs money: the price first, then a yes from a person."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from launchkit.errors import LaunchkitError, UsageError

if TYPE_CHECKING:
    from launchkit.output import Console

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Accept the price unasked.")]


def confirm_price(console: Console, flag: str, calls: int, unit_usd: float, yes: bool) -> None:
    """Show `calls` X count calls at `unit_usd` on stderr and ask, unless `yes`.

    Nothing to pay, no question. Without a terminal the question cannot be answered, so
    it is an error naming --yes.
    """
    if calls == 0:
        return
    price = calls * unit_usd
    console.stderr.write(
        f"{flag}: {calls} X count call{'s' if calls > 1 else ''} x "
        f"${unit_usd:.3f} = ${price:.3f} (price_count_usd)\n"
    )
    if yes:
        return
    if not console.interactive:
        raise UsageError(
            f"{flag} costs ${price:.3f} and there is no terminal to confirm it",
            hint=f"add --yes to accept the price, or drop {flag}",
        )
    if not console.confirm("Go ahead?"):
        raise LaunchkitError("cancelled: nothing was called", hint=f"drop {flag} for free checks")


def approve_price(
    console: Console, what: str, max_calls: int, unit_usd: float, yes: bool
) -> str | None:
    """Show the most `max_calls` paid calls of `what` can cost on stderr and ask, unless
    `yes`; None when they may be made, else why not (the caller goes on without them)."""
    price = max_calls * unit_usd
    console.stderr.write(
        f"{what}: at most {max_calls} call{'s' if max_calls > 1 else ''} x ${unit_usd:.3f} = "
        f"at most ${price:.3f} (price_count_usd)\n"
    )
    return _approved(console, yes)


def approve_rate(
    console: Console, what: str, every_s: float, unit_usd: float, minutes: int, yes: bool
) -> str | None:
    """Show what one paid call every `every_s` seconds of `what` costs a minute, and at most
    over `minutes`, on stderr and ask, unless `yes`; None when the calls may be made, else
    why not."""
    per_minute = unit_usd * 60 / every_s
    console.stderr.write(
        f"{what}: 1 call every {every_s:g} s x ${unit_usd:.3f} = ${per_minute:.3f} a minute "
        f"of polling, at most ${per_minute * minutes:.3f} over {minutes} minutes "
        "(price_count_usd)\n"
    )
    return _approved(console, yes)


def _approved(console: Console, yes: bool) -> str | None:
    if yes:
        return None
    if not console.interactive:
        return "its price was not confirmed (no terminal to ask at: add --yes)"
    if not console.confirm("Read it?", err=True):
        return "its price was declined"
    return None
