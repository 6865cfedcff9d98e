"""CLI: launchkit doctor."""

from __future__ import annotations

from launchkit import output
from launchkit.cli._app import JsonOpt, command


@command("doctor")
def doctor(json: JsonOpt = False) -> None:
    """Show every setting with its source (secrets masked) and what your credentials allow."""
    from launchkit.commands import doctor as cmd
    from launchkit.settings import load_settings

    report = cmd.run(load_settings())
    if json:
        output.emit_json(report)
        return
    output.echo(f"launchkit {report.version}")
    exists = "" if report.config_file_exists else " (not present)"
    output.echo(f"config file: {report.config_file}{exists}\n")
    rows = [(s.name, s.value if s.value is not None else "-", s.source) for s in report.settings]
    output.echo(output.table(["setting", "value", "source"], rows))
    output.echo("")
    caps = [(c.name, "yes" if c.available else "no", c.reason) for c in report.capabilities]
    output.echo(output.table(["capability", "available", "why"], caps))
