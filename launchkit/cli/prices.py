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
    if yes:
        return None
    if not console.interactive:
        return "its price was not confirmed (no terminal to ask at: add --yes)"
    if not console.confirm("Read it?", err=True):
        return "its price was declined"
    return None
