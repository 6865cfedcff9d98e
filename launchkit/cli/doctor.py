"""CLI: launchkit doctor."""

from __future__ import annotations

from launchkit import output
from launchkit.cli._app import JsonOpt, command, runtime


@command("doctor")
def doctor(json: JsonOpt = False) -> None:
    """Show every setting with its source (secrets masked) and what your credentials allow."""
    from launchkit.commands import doctor as cmd

    rt = runtime()
    report = cmd.run(rt.settings, rt.env)
    console = rt.console
    if json:
        console.emit_json(output.json_object(report))
        return
    console.echo(f"launchkit {report.version}")
    exists = "" if report.config_file_exists else " (not present)"
    console.echo(f"config file: {report.config_file}{exists}\n")
    rows = [(s.name, s.value if s.value is not None else "-", s.source) for s in report.settings]
    console.echo(output.table(["setting", "value", "source"], rows))
    console.echo("")
    caps = [(c.name, "yes" if c.available else "no", c.reason) for c in report.capabilities]
    console.echo(output.table(["capability", "available", "why"], caps))
