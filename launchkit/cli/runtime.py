"""The composition root: one Runtime per run, built by the root command (cli/_app.py).

It holds what a run reads from the process (settings, the clock, the environment, the
streams and whether they are a terminal, --quiet/--verbose/--debug) and the factories that
build the adapters commands are handed: a ledger, publishers, a mailer, the calendar, the
calendar sheet, live hashtag usage. Commands never build these themselves, so a test gives a
command fakes, and gives the CLI a Runtime with its own streams and clock.

Nothing heavy is imported here: each factory imports its adapter when it is called, so
`launchkit --help` and `launchkit post` with nothing due stay fast.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from launchkit.errors import ConfigError
from launchkit.output import Console
from launchkit.settings import DEFAULT_CHAT_FILE, Settings, load_settings

if TYPE_CHECKING:
    from launchkit.adapters.audit_file import AuditFile
    from launchkit.adapters.bluesky_session import BlueskyAccount
    from launchkit.adapters.chatfolder import ChatFolder
    from launchkit.adapters.dry_run import EmlFolderMailer, PrintingMailer
    from launchkit.adapters.ledger import SqliteLedger
    from launchkit.adapters.lookup_cache import LookupCache
    from launchkit.adapters.mastodon_stream import MastodonHashtagStream
    from launchkit.adapters.people_store import PeopleStore
    from launchkit.adapters.post_store import PostStore
    from launchkit.adapters.process_lock import ProcessLock
    from launchkit.adapters.publishing import Publisher
    from launchkit.adapters.sheet_writer import GspreadCalendarSheet
    from launchkit.adapters.sheets import SheetRef
    from launchkit.adapters.smtp import SmtpMailer
    from launchkit.adapters.submissions import SubmissionLog
    from launchkit.adapters.tag_sources import LiveSources
    from launchkit.commands.recap_sources import TagReader
    from launchkit.domain.calendars.table import Calendar
    from launchkit.domain.hashtag.advice import UsageReport
    from launchkit.domain.networks.text_rules import MastodonLimits
    from launchkit.domain.recap.posts import Post

__all__ = ["Runtime", "system_zone"]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _open_in_browser(url: str) -> bool:
    import webbrowser

    return webbrowser.open(url)


def system_zone(env: Mapping[str, str], localtime: Path = Path("/etc/localtime")) -> str | None:
    """The system's IANA zone: $TZ, else the /etc/localtime link, else None."""
    from launchkit.domain.iana import is_iana_zone

    tz = env.get("TZ", "").lstrip(":")
    if tz and is_iana_zone(tz):
        return tz
    try:
        target = str(localtime.resolve())
    except OSError:
        return None
    _, sep, name = target.partition("zoneinfo/")
    return name if sep and is_iana_zone(name) else None


@dataclass
class Runtime:
    """What one run of launchkit works with (see the module docstring)."""

    console: Console
    clock: Callable[[], datetime] = _utc_now
    sleep: Callable[[float], None] = time.sleep  # every wait of a command (tests: a fake's)
    env: Mapping[str, str] = field(default_factory=lambda: os.environ)
    debug: bool = False
    localtime: Path = Path("/etc/localtime")  # the system zone's link, when $TZ is unset
    preset_settings: Settings | None = None  # settings given up front (tests)
    browser: Callable[[str], object] = field(default=_open_in_browser)  # tests: a fake's

    @classmethod
    def from_process(cls) -> Runtime:
        """The runtime of this process: its streams, environment and clock."""
        console = Console(
            sys.stdout, sys.stderr, sys.stdin, no_color=bool(os.environ.get("NO_COLOR"))
        )
        return cls(console, debug=bool(os.environ.get("LAUNCHKIT_DEBUG")))

    def configure(self, *, quiet: bool, verbose: bool, debug: bool) -> None:
        """Apply the global flags (--quiet, --verbose, --debug) of this run."""
        self.console.quiet = self.console.quiet or quiet
        self.console.verbose = self.console.verbose or verbose
        self.debug = self.debug or debug

    @property
    def settings(self) -> Settings:
        """Every setting with its source, resolved once (on first use)."""
        if self.preset_settings is None:
            self.preset_settings = load_settings(env=self.env)
        return self.preset_settings

    def now(self) -> datetime:
        """The current time, aware, in UTC."""
        return self.clock()

    def system_zone(self) -> str | None:
        """The machine's IANA zone, when it can be told."""
        return system_zone(self.env, self.localtime)

    def today(self) -> date:
        """Today's date in the machine's zone (UTC when it cannot be told)."""
        from zoneinfo import ZoneInfo

        return self.now().astimezone(ZoneInfo(self.system_zone() or "UTC")).date()

    # -- factories: each imports its adapter only when called ---------------------------

    def chat_folder(self, chat_file: Path, templates_dir: Path | None = None) -> ChatFolder:
        """chat.yaml with its templates and playbook."""
        from launchkit.adapters.chatfolder import open_chat_folder

        return open_chat_folder(chat_file, templates_dir)

    def ledger_if_any(self, chat_file: Path) -> SqliteLedger | None:
        """The ledger beside chat.yaml when there is one (what `render` follows), else None."""
        from launchkit.adapters.ledger import ledger_path

        return self.ledger(chat_file) if ledger_path(chat_file).is_file() else None

    def ledger(self, chat_file: Path, *, must_exist: bool = True) -> SqliteLedger:
        """The ledger beside chat.yaml (a context manager that closes it)."""
        from launchkit.adapters.ledger import SqliteLedger, ledger_path

        path = ledger_path(chat_file)
        if must_exist and not path.is_file():
            raise ConfigError(
                f"no ledger at {path}", hint="run `launchkit schedule` first to plan the posts"
            )
        return SqliteLedger.open(path, clock=self.clock)

    def lock(self, chat_file: Path) -> ProcessLock:
        """The lock that keeps two sending runs of one chat apart."""
        from launchkit.adapters.ledger import ledger_path
        from launchkit.adapters.process_lock import LOCK_FILE, ProcessLock

        return ProcessLock(ledger_path(chat_file).parent / LOCK_FILE)

    def submissions(self, chat_file: Path) -> SubmissionLog:
        """The calendar submissions recorded beside the ledger."""
        from launchkit.adapters.ledger import ledger_path
        from launchkit.adapters.submissions import SubmissionLog

        return SubmissionLog(ledger_path(chat_file))

    def publisher(self, network: str, chat_file: Path = DEFAULT_CHAT_FILE) -> Publisher:
        """The real publisher of `network`, from the settings (Bluesky keeps its session
        beside the ledger of `chat_file`)."""
        if network == "x":
            from launchkit.adapters.x_post import tweepy_publisher

            return tweepy_publisher(self.settings)
        if network == "mastodon":
            from launchkit.adapters.mastodon_post import mastodon_publisher

            return mastodon_publisher(self.settings)
        if network == "bluesky":
            from launchkit.adapters.bluesky import bluesky_publisher

            return bluesky_publisher(self.settings, chat_file, self.clock)
        raise ConfigError(
            f"launchkit cannot post to {network!r}", hint="use x, mastodon or bluesky"
        )

    def post_store(self, chat_file: Path, *, any_thread: bool = False) -> PostStore:
        """The sessions' posts beside the ledger of `chat_file` (a context manager; with
        `any_thread`, usable from other threads, one at a time)."""
        from launchkit.adapters.post_store import PostStore, community_path

        return PostStore.open(community_path(chat_file), any_thread=any_thread)

    def hashtag_stream(
        self, tag: str, on_post: Callable[[Post], None], on_delete: Callable[[str, str], None]
    ) -> MastodonHashtagStream:
        """Mastodon's hashtag stream (not yet started), or a CredentialsError without a
        token: each new public post with `tag` goes to `on_post`, each deletion to
        `on_delete(network, post id)`, from the stream's thread."""
        from launchkit.adapters.mastodon_stream import mastodon_hashtag_stream

        return mastodon_hashtag_stream(self.settings, tag, on_post, on_delete, self.clock)

    def open_link(self, url: str) -> None:
        """Open `url` in the person's web browser (`launchkit live`)."""
        self.browser(url)

    def people_store(self, chat_file: Path) -> PeopleStore:
        """Who came to each recapped session, beside the ledger (a context manager)."""
        from launchkit.adapters.people_store import PeopleStore
        from launchkit.adapters.post_store import community_path

        return PeopleStore.open(community_path(chat_file))

    def tag_reader(
        self, network: str, chat_file: Path = DEFAULT_CHAT_FILE, *, paid_calls: int | None = None
    ) -> TagReader:
        """What reads a hashtag's posts back from `network` (X: paid, with the bearer token,
        at most `paid_calls` calls a read; Mastodon: the public tag timeline; Bluesky: signed
        in with the saved session)."""
        if network == "x":
            from launchkit.adapters.x_search import MAX_CALLS, x_tag_reader

            return x_tag_reader(self.settings, self.clock, paid_calls or MAX_CALLS)
        if network == "mastodon":
            from launchkit.adapters.mastodon_timeline import mastodon_tag_reader

            return mastodon_tag_reader(self.settings)
        if network == "bluesky":
            from launchkit.adapters.bluesky import bluesky_account
            from launchkit.adapters.bluesky_search import BlueskyTagReader

            return BlueskyTagReader(bluesky_account(self.settings, chat_file, self.clock))
        raise ConfigError(f"launchkit cannot read {network!r}", hint="use x, mastodon or bluesky")

    def mastodon_limits(self) -> MastodonLimits | None:
        """The configured Mastodon instance's post limits, or None when it cannot be asked."""
        from launchkit.adapters.mastodon_post import instance_limits

        return instance_limits(self.settings)

    def printing_publisher(self, network: str, *, err: bool = False) -> Publisher:
        """A publisher that shows each post (on stderr with `err`) instead of sending it."""
        from launchkit.adapters.dry_run import PrintingPublisher

        return PrintingPublisher(lambda text: self.console.echo(text, err=err), network)

    def printing_mailer(self, *, err: bool = False) -> PrintingMailer:
        """A mailer that shows each email (on stderr with `err`) instead of sending it."""
        from launchkit.adapters.dry_run import PrintingMailer

        return PrintingMailer(lambda text: self.console.echo(text, err=err))

    def mailer(self) -> SmtpMailer:
        """The SMTP mailer from the settings (a context manager: connects on enter)."""
        from launchkit.adapters.smtp import SmtpMailer

        return SmtpMailer(self.settings)

    def review_mailer(self, folder: Path) -> EmlFolderMailer:
        """A mailer that writes each message as an .eml file into `folder`."""
        from launchkit.adapters.dry_run import EmlFolderMailer

        return EmlFolderMailer(folder)

    def calendar(
        self,
        source: str | None,
        *,
        refresh: bool = False,
        worksheet: str | None = None,
        overrides: Mapping[str, str] | None = None,
    ) -> Calendar:
        """The public calendar (`source`, else the calendar setting, else the snapshot)."""
        from launchkit.adapters.calendar_source import read_calendar

        return read_calendar(
            source, self.settings, refresh=refresh, worksheet=worksheet, overrides=overrides
        )

    def calendar_sheet(self, ref: SheetRef, worksheet: str | None) -> GspreadCalendarSheet:
        """The calendar worksheet `submit` reads and writes."""
        from launchkit.adapters.sheet_writer import open_calendar_sheet

        return open_calendar_sheet(self.settings, ref, worksheet)

    def audit_file(self, path: Path) -> AuditFile:
        """An audit written by `calendar audit --json` (for --audit FILE)."""
        from launchkit.adapters.audit_file import read_audit

        return read_audit(path)

    def tag_sources(self, *, paid: bool = True) -> LiveSources:
        """Where a hashtag's last use can be looked up (X only with a token and `paid`;
        Bluesky with an account, its session saved beside ./chat.yaml's ledger as
        `hashtag check --live` does)."""
        from launchkit.adapters.tag_sources import live_sources

        def bluesky() -> BlueskyAccount:
            from launchkit.adapters.bluesky import bluesky_account

            return bluesky_account(self.settings, DEFAULT_CHAT_FILE, self.clock)

        return live_sources(self.settings, paid=paid, bluesky=bluesky)

    def lookup_cache(self) -> LookupCache:
        """Today's answers of earlier lookups, in the user cache directory."""
        from launchkit.adapters.lookup_cache import LookupCache, default_cache_dir

        return LookupCache(default_cache_dir(), self.today())

    def live_usage(
        self, tag: str, chat_file: Path = DEFAULT_CHAT_FILE
    ) -> Mapping[str, UsageReport]:
        """Recent use of `tag` on X (a paid count), on Mastodon and on Bluesky (signed in,
        with the session saved beside the ledger of `chat_file`)."""
        from launchkit.adapters import mastodon, x_counts

        return {
            "x": x_counts.recent_count(self.settings, tag),
            "mastodon": mastodon.tag_history(self.settings, tag),
            "bluesky": self.bluesky_usage(tag, chat_file),
        }

    def bluesky_usage(self, tag: str, chat_file: Path = DEFAULT_CHAT_FILE) -> UsageReport:
        """Posts with `tag` on Bluesky over the last 7 days, or why they were not counted."""
        from launchkit.adapters.bluesky import bluesky_account, tag_usage
        from launchkit.domain.hashtag.advice import UsageReport
        from launchkit.errors import CredentialsError

        try:
            account = bluesky_account(self.settings, chat_file, self.clock)
        except CredentialsError as exc:
            return UsageReport("bluesky", checked=False, reason=exc.message, hint=exc.hint)
        return tag_usage(account, tag, self.now())
