"""`launchkit post` with nothing due (what cron runs every minute) against `import typer`.

Target: median wall time at most 2x `python -c "import typer"`, with all three networks
configured (chat.yaml's `networks: [x, mastodon, bluesky]` and every network's credentials in
the environment, and an SMTP server set): no network's client and no SMTP stack may load
before an item is due. The ledger holds a scheduled season, posts and guest emails (whole
messages) alike, all in the future: the run reads the plan, finds nothing due and exits.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from _common import LAUNCHKIT, PYTHON, REPO, report, time_commands

sys.path.insert(0, str(REPO))

CHAT_YAML = """\
version: 1
name: Bench Hour
hashtag: "#BenchHour"
timezone: Europe/London
schedule: {rrule: "FREQ=WEEKLY;BYDAY=TU", start: "20:00", first: 2030-01-01}
networks: [x, mastodon, bluesky]
host: {name: Bench Host, email: host@example.org}
guests:
  - {name: Grace Guest, email: grace@example.org, session: 2030-01-15}
  - {name: Lin Guest, email: lin@example.org, session: 2030-01-22}
questions: ["One?", "Two?", "Three?", "Four?", "Five?"]
"""
# Credentials of every network (never used: nothing is due, nothing is sent).
NETWORK_ENV = {
    "LAUNCHKIT_X_USER_TOKEN": "bench-x-token",
    "LAUNCHKIT_MASTODON_URL": "https://mastodon.example",
    "LAUNCHKIT_MASTODON_TOKEN": "bench-mastodon-token",
    "LAUNCHKIT_BLUESKY_HANDLE": "bench.bsky.social",
    "LAUNCHKIT_BLUESKY_APP_PASSWORD": "bench-app-password",
    "LAUNCHKIT_SMTP_HOST": "smtp.example.org",
}


def main() -> None:
    import subprocess

    os.environ.update(NETWORK_ENV)  # the timed commands inherit it
    # An installed launchkit runs from its bytecode (pip compiles it), as typer does: with
    # PYTHONDONTWRITEBYTECODE set, every launchkit module would be compiled on every run
    # while typer's come compiled, and the ratio would measure the compiler. The warm-up run
    # writes the bytecode.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="post-idle-") as tmp:
        chat = Path(tmp) / "chat.yaml"
        chat.write_text(CHAT_YAML, encoding="utf-8")
        subprocess.run(
            [PYTHON, "-m", "launchkit", "-q", "schedule", "--chat", str(chat), "--sessions", "8"],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        launchkit = [LAUNCHKIT] if os.path.exists(LAUNCHKIT) else [PYTHON, "-m", "launchkit"]
        comp = time_commands(
            [*launchkit, "post", "--chat", str(chat)],
            [PYTHON, "-c", "import typer"],
            runs=11,
            cwd=REPO,
        )
        report(
            "launchkit post (nothing due, a season of posts and emails, x+mastodon+bluesky)",
            comp,
            "<= 2x",
            ref_name="import typer",
        )


if __name__ == "__main__":
    main()
