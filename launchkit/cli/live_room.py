"""The live room: `launchkit live` at a terminal, full screen (Textual).

The session's posts from every network of the chat, newest at the bottom, each with its
time (in the chat's zone, named), network and author; guests' posts stand out, the host's
questions too, and each answer carries the question it answers (recap's rules, through
domain/live/room.py). The side panel shows the question schedule from the ledger (what was
posted, the next question and its countdown), each network's state, the participants and
the posts per minute. Keys: p pause, f (or 1-9) filter to one question, a all, g grouped
by question, o open the post's link, m mark it for the recap's highlights, q quit. A post
its author deletes (Mastodon's stream tells) leaves the table at once, paused or not.

Only the look is here: the reading, the grouping, the countdown and the rates are the
commands' and the domain's (commands/live_feed.py), tested without Textual. The feed is
polled in a worker thread; the clock is the runtime's, so a test drives the time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Footer, Static

from launchkit.cli.live_view import panel_text, row_cells, row_style
from launchkit.commands.live import LiveSession
from launchkit.commands.live_feed import FeedChanges, LiveFeed
from launchkit.domain.live.room import PostKey, Shown, post_key
from launchkit.errors import LaunchkitError
from launchkit.output import visible

__all__ = ["LiveRoom"]


class LiveRoom(App[None]):
    """The room (see the module docstring)."""

    TITLE = "launchkit live"
    CSS = """
    #posts { width: 1fr; }
    #panel { width: 44; padding: 0 1; border-left: solid $primary; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "pause", "Pause"),
        Binding("f", "next_filter", "Filter"),
        Binding("a", "show_all", "All"),
        Binding("g", "group", "Group"),
        Binding("o", "open_link", "Open link"),
        Binding("m", "mark", "Mark for recap"),
        Binding("q", "quit", "Quit"),
        *[Binding(str(n), f"filter({n})", show=False) for n in range(1, 10)],
    ]

    def __init__(
        self,
        session: LiveSession,
        feed: LiveFeed,
        clock: Callable[[], datetime],
        open_link: Callable[[str], None],
        *,
        until: datetime | None = None,
        tick_s: float = 1.0,
    ) -> None:
        super().__init__()
        self.session, self.feed, self.clock, self.browse = session, feed, clock, open_link
        self.until, self.tick_s = until, tick_s
        self.paused = False
        self.waiting: set[PostKey] = set()  # posts that came while paused
        self.question: int | None = None  # the filter
        self.grouped = False
        self._polling = False
        self.failure: LaunchkitError | None = None  # why the room ended early, if it did
        # The rows by their keys (the row key is the index here; a deleted post's row goes
        # from the table, its entry stays); in the table's order after each rebuild.
        self._shown: list[Shown] = []

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield DataTable(id="posts", cursor_type="row", zebra_stripes=True)
            yield Static(id="panel")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#posts", DataTable)
        table.add_columns("time", "network", "who", "Q/A", "post")
        table.add_column("", width=0, key="key")  # the row's place in `_shown`, for sorting
        table.focus()
        self.set_interval(self.tick_s, self._tick)
        self._tick()

    # -- time passes ------------------------------------------------------------------

    def _tick(self) -> None:
        if not self.is_running:  # a tick while the room closes finds no widgets
            return
        now = self.clock()
        if self.until is not None and now >= self.until:
            self.exit()
            return
        if not self._polling and not self.feed.finished():
            self._polling = True
            self.run_worker(lambda: self._poll(now), thread=True, group="poll")
        self._show_panel(now)

    def _poll(self, now: datetime) -> None:
        # In a worker thread. `_polling` stays set until the rows are added (call_from_thread
        # waits for them): one poll at a time. The room may close meanwhile (RuntimeError):
        # what was read is stored, nothing is lost.
        try:
            fresh = self.feed.poll(now)
            with contextlib.suppress(RuntimeError):
                self.call_from_thread(self._arrived, fresh)
        except LaunchkitError as exc:  # the store cannot be written: end with one clear line
            self.failure = exc
            with contextlib.suppress(RuntimeError):
                self.call_from_thread(self.exit)
        finally:
            self._polling = False

    def _arrived(self, changes: FeedChanges) -> None:
        fresh = changes.shown
        if not (fresh or changes.deleted) or not self.is_running:
            return
        for shown in changes.deleted:
            self._remove(shown)
        if self.paused:
            self.waiting.update(post_key(s.post) for s in fresh)
        elif self.question is None and not self.grouped:
            self._append(fresh)
        elif fresh:
            self._rebuild()
        self._show_panel(self.clock())

    # -- the table --------------------------------------------------------------------

    def _rows(self) -> list[Shown]:
        return self.feed.rows(self.question, self.grouped)

    def _append(self, rows: list[Shown]) -> None:
        """Add new posts to the timeline; a post older than the last row (a network polled
        later than the stream delivered) is put in its place by sorting the rows, which
        costs far less than building a table of thousands of rows again."""
        table = self.query_one("#posts", DataTable)
        at_bottom = not table.row_count or table.cursor_row >= table.row_count - 1
        bottom = self._at_row(table, table.row_count - 1)  # the newest row, after a sort too
        last = bottom.post.time_order if bottom is not None else None
        for shown in rows:
            self._add_row(table, shown)
        if last is not None and any(s.post.time_order < last for s in rows):
            shown_rows = self._shown
            table.sort("key", key=lambda key: shown_rows[int(key.plain)].post.time_order)
        if at_bottom:
            table.move_cursor(row=table.row_count - 1)

    def _remove(self, gone: Shown) -> None:
        """Take a deleted post's row out of the table, and say so."""
        key = post_key(gone.post)
        self.waiting.discard(key)
        table = self.query_one("#posts", DataTable)
        for index, shown in enumerate(self._shown):
            if post_key(shown.post) == key and str(index) in table.rows:
                table.remove_row(str(index))
        time, network, who, *_ = row_cells(gone, self.session.zone)
        self.notify(f"{who} deleted the post of {time} on {network}", title="Deleted",
                    markup=False)  # fmt: skip

    def _add_row(self, table: DataTable[Text], shown: Shown) -> None:
        index = len(self._shown)
        table.add_row(*self._cells(shown), Text(str(index)), key=str(index))
        self._shown.append(shown)

    def _cells(self, shown: Shown) -> list[Text]:
        style = row_style(shown)
        return [Text(c, style=style) for c in row_cells(shown, self.session.zone)]

    def _rebuild(self) -> None:
        table = self.query_one("#posts", DataTable)
        current = self._selected()
        table.clear()
        self._shown = []
        for shown in self._rows():
            self._add_row(table, shown)
        keys = [post_key(s.post) for s in self._shown]
        if current is not None and post_key(current.post) in keys:
            table.move_cursor(row=keys.index(post_key(current.post)))
        elif self._shown:
            table.move_cursor(row=len(self._shown) - 1)

    def _selected(self) -> Shown | None:
        table = self.query_one("#posts", DataTable)
        return self._at_row(table, table.cursor_row)

    def _at_row(self, table: DataTable[Text], row: int) -> Shown | None:
        if not 0 <= row < table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(row, 0)).row_key.value
        return self._shown[int(key)] if key is not None else None

    def _show_panel(self, now: datetime) -> None:
        text = panel_text(
            self.session, self.feed, now, paused=self.paused, pending=len(self.waiting),
            question=self.question, grouped=self.grouped, until=self.until,
        )  # fmt: skip
        self.query_one("#panel", Static).update(Text(text))

    # -- keys -------------------------------------------------------------------------

    def action_pause(self) -> None:
        """Stop the stream from moving (posts keep being read and stored), or go on."""
        self.paused = not self.paused
        if not self.paused and self.waiting:
            self.waiting = set()
            self._rebuild()
        self._show_panel(self.clock())

    def action_filter(self, n: int) -> None:
        """Show question n only: the host's post of it, then its answers."""
        self.question = n
        self._rebuild()
        self._show_panel(self.clock())

    def action_next_filter(self) -> None:
        """Filter to the next question asked so far (after the last: every post)."""
        asked = self.feed.questions()
        later = [n for n in asked if self.question is None or n > self.question]
        self.question = later[0] if later else None
        self._rebuild()
        self._show_panel(self.clock())

    def action_show_all(self) -> None:
        """Every post again."""
        self.question = None
        self._rebuild()
        self._show_panel(self.clock())

    def action_group(self) -> None:
        """Every question with its answers under it, or the stream in time order."""
        self.grouped = not self.grouped
        self.question = None
        self._rebuild()
        self._show_panel(self.clock())

    def action_open_link(self) -> None:
        """Open the selected post's page in the web browser."""
        shown = self._selected()
        if shown is not None and shown.post.url.startswith(("https://", "http://")):
            self.browse(shown.post.url)
            # Said in the room too, so the link can be copied where no browser opens.
            self.notify(visible(shown.post.url), title="Opening", markup=False)

    def on_data_table_row_selected(self, _: DataTable.RowSelected) -> None:
        self.action_open_link()

    def action_mark(self) -> None:
        """Mark the selected post for the recap's highlights (again: unmark it)."""
        shown = self._selected()
        if shown is None:
            return
        try:
            self.feed.toggle_highlight(post_key(shown.post))
        except LaunchkitError as exc:  # the store cannot be written: end with one clear line
            self.failure = exc
            self.exit()
            return
        table = self.query_one("#posts", DataTable)
        row = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
        fresh = self.feed.shown(shown.post)
        self._shown[int(str(row.value))] = fresh
        for column, cell in zip(table.columns, self._cells(fresh), strict=False):
            table.update_cell(row, column, cell)
