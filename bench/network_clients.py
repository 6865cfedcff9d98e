"""What each network's client costs to import, against `import typer` (the choice of client).

Only the runs that post to a network pay for its client (bench/post_idle.py checks that a run
with nothing due pays for none). Figures: `import mastodon` (Mastodon.py, used), `import
atproto` (the atproto SDK, a test oracle only: too heavy for cron runs), and the Bluesky
adapter launchkit uses instead (requests).
"""

from __future__ import annotations

from _common import PYTHON, REPO, report, time_commands

CLIENTS = {
    "import mastodon (Mastodon.py)": "import mastodon",
    "import atproto (SDK, not used at run time)": "import atproto",
    "import launchkit.adapters.bluesky (requests)": "import launchkit.adapters.bluesky",
}


def main() -> None:
    for name, statement in CLIENTS.items():
        comp = time_commands(
            [PYTHON, "-c", statement], [PYTHON, "-c", "import typer"], runs=7, cwd=REPO
        )
        report(name, comp, "informative", ref_name="import typer")


if __name__ == "__main__":
    main()
