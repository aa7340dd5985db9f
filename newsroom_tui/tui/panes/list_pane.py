"""The list pane: the filter box, the status filter, the column header and the story list.

It owns the desk's rows (from the row cache at start, then from the store), filters them, marks the
stories other editors have open, picks up other processes' saves and keeps the row cache current.
"""

from __future__ import annotations

import contextlib
import operator
from typing import TYPE_CHECKING, TypeGuard

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from newsroom_tui.domain.errors import LockError
from newsroom_tui.domain.listing import (
    HIDDEN_BY_DEFAULT,
    StoryRow,
    filter_rows,
    hidden_counts,
    no_match_message,
    shows_hidden,
)
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.storage.errors import StoreError
from newsroom_tui.tui.widgets.story_editor import SafeInput
from newsroom_tui.tui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from newsroom_tui.storage.contract import QueryStore
    from newsroom_tui.storage.journal import JournalPosition
    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.panes.list_query import QueriedList


def _answers_queries(store: object) -> TypeGuard[QueryStore]:
    """A store that answers the list as a query (contract.QueryStore), loaded only when there is a store to
    ask about: a TinyDB desk's first screen comes from the row cache, before any store is read."""
    from newsroom_tui.storage.contract import QueryStore

    return isinstance(store, QueryStore)


class ListPane(Vertical):
    """The desk's queue.  Tells the desk how many stories it shows (`Filtered`)."""

    class Filtered(Message):
        """The list shows `shown` of `total` stories (for the desk's status line); `hidden` counts, by
        status, the spiked and killed stories the default view leaves out."""

        def __init__(
            self, shown: int, total: int, hidden: dict[Status, int] | None = None, *, more: bool = False
        ) -> None:
            self.shown = shown
            self.total = total
            self.hidden = hidden or {}
            self.more = more  # a database's list: more than `shown` match (counted no further)
            super().__init__()

    def __init__(self, zone: ZoneInfo, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._zone = zone
        self.all_rows: list[StoryRow] = []
        self.status_filter: Status | None = None
        self._row_cache_at: JournalPosition | None = None  # where the row cache was last written
        self._header_width = -1  # the list header is drawn for this width
        self._hidden: tuple[list[StoryRow], dict[Status, int]] = ([], {})  # hidden_counts of these rows
        self._slugs: tuple[list[StoryRow], dict[str, StoryRow]] = ([], {})  # slug -> row, of these rows
        # On a store that answers the list as a query (PostgreSQL) the pane holds a window of it, not
        # `all_rows` (which stays empty): panes/list_query.py.
        self.queried: QueriedList | None = None

    @property
    def desk_app(self) -> NewsroomApp:
        return self.app  # type: ignore[return-value]

    @property
    def story_list(self) -> StoryList:
        return self.query_one(StoryList)

    @property
    def filter_box(self) -> Input:
        return self.query_one("#filter", Input)

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-bar"):
            yield SafeInput(placeholder="Type to filter…", id="filter", compact=True)
            yield Static("all", id="status-filter", markup=False)
        yield Static("", id="list-header", markup=False)
        yield StoryList(self._zone, id="story-list")

    def start(self) -> None:
        """The first rows: the row cache's when the store is not read yet (the first screen comes sooner)."""
        cached = self.desk_app.first_rows
        store = self.desk_app.store if self.desk_app.store_loaded else None
        first_page = self.desk_app.first_page
        if first_page is not None:  # a database's, read by a forked child: its store is opened after this screen
            from newsroom_tui.tui.panes.list_query import QueriedList

            self.queried = QueriedList(self, None)
            self.queried.first_from(first_page)
        elif store is not None and _answers_queries(store):
            from newsroom_tui.tui.panes.list_query import QueriedList

            self.queried = QueriedList(self, store)
            self.queried.first()
        elif self.desk_app.store_loaded or cached is None:
            self.reload_rows()
        else:
            self.all_rows = cached.rows
            self.apply_filter()
        self.update_header()
        # Watched on the value, so the list is filtered while the key is handled and the box and the
        # list are drawn in one frame (through `Input.Changed` they took two).
        self.watch(self.filter_box, "value", self._filter_changed, init=False)

    def store_read(self) -> None:
        """The whole store is read: its rows replace the cached ones (the same objects where nothing changed)."""
        store = self.desk_app.store
        if self.queried is not None and self.queried.store is None and _answers_queries(store):
            self.queried.attach(store)  # asks again: what was saved since the first page was read
        elif self.desk_app.first_rows is not None:
            self.reload_rows(keep_story_id=self.story_list.highlighted_id)
        self.refresh_lock_marks()  # other editors' marks: the lock book is loaded now, not before the list
        cached = self.desk_app.first_rows
        self._row_cache_at = cached.position if cached is not None else None
        self.keep_row_cache_current()

    # -- rows -----------------------------------------------------------------------------------------
    def reload_rows(self, keep_story_id: str | None = None, *, polled: bool = False) -> None:
        """The list's rows from the store.  A story the store holds but cannot read (a hand edit) ends the
        desk with the store's sentence, as damage found at its start does; found by a poll, while an editor
        may have words on screen, it is said in a notice instead."""
        if self.queried is not None:
            self.queried.ask(keep_story_id)
            return
        try:
            rows = self.desk_app.store.story_rows(previous=self.all_rows)
        except StoreError as error:
            if polled:
                self.notify(str(error), severity="error")
            else:
                self.desk_app.end_on_store_problem(str(error))
            return
        self.show_rows(rows, keep_story_id)

    def show_rows(self, rows: list[StoryRow], keep_story_id: str | None = None) -> None:
        """Rows read from the store (here, or in the live desk's thread), shown as the filter asks."""
        if len(rows) == len(self.all_rows) and all(map(operator.is_, rows, self.all_rows)):
            return  # the same rows (the store read after the row cache, mostly): nothing to redraw
        self.all_rows = rows
        self.apply_filter(keep_story_id)

    def apply_filter(self, keep_story_id: str | None = None) -> None:
        if self.queried is not None:
            self.queried.ask(keep_story_id)
            return
        query = self.filter_box.value
        rows = filter_rows(self.all_rows, query, self.status_filter)
        empty = no_match_message(query, self.status_filter) if not rows and self.all_rows else ""
        self.story_list.set_rows(rows, keep_story_id=keep_story_id, empty=empty)
        self.post_message(self.Filtered(len(rows), len(self.all_rows), self.hidden_now()))

    def hidden_now(self) -> dict[Status, int]:
        """Spiked and killed stories the list leaves out as it is filtered now (none when a status is asked
        for); counted once per set of rows, not per keystroke."""
        if self.queried is not None:
            return self.queried.hidden()
        if shows_hidden(self.filter_box.value, self.status_filter):
            return {}
        rows, counts = self._hidden
        if rows is not self.all_rows:
            counts = hidden_counts(self.all_rows)
            self._hidden = (self.all_rows, counts)
        return counts

    def slug_holder(self, slug: str) -> StoryRow | None:
        """The story in the list that has `slug`: the form's check as the editor types.  From the rows in
        memory, never the store (on PostgreSQL that was a query a keystroke, on the UI thread); the store's
        own check at save decides."""
        if self.queried is not None:
            return self.queried.slug_holder(slug) if slug else None
        rows, index = self._slugs
        if rows is not self.all_rows:
            index = {row.slug: row for row in self.all_rows if row.slug}
            self._slugs = (self.all_rows, index)
        return index.get(slug) if slug else None

    def replace_row(self, story: Story) -> None:
        """After this desk saved `story` (a save, an action, a restore)."""
        if self.queried is not None:
            self.queried.ask(keep_story_id=story.id)
            return
        self.all_rows = [row for row in self.all_rows if row.id != story.id]
        self.all_rows.insert(0, StoryRow.from_story(story))
        self.apply_filter(keep_story_id=story.id)
        self.keep_row_cache_current()

    def changed_elsewhere(self) -> None:
        """Another editor changed stories (a live notification said so): the list asks again, the cursor
        staying on its story.  On a database, in the list's thread; a store that cannot answer queries is
        read again here."""
        self.reload_rows(keep_story_id=self.story_list.highlighted_id, polled=True)

    def type_ahead(self, text: str) -> None:
        """Keys a question did not take (typed as it came up): into the filter, as they were meant, unless
        the editor has moved on to a story meanwhile."""
        focused = self.screen.focused
        if text.strip() and (focused is None or focused is self.story_list or focused is self.filter_box):
            self.screen.set_focus(self.filter_box)
            self.filter_box.insert_text_at_cursor(text.lstrip() if not self.filter_box.value else text)

    def focus_filter(self) -> None:
        self.screen.set_focus(self.filter_box)

    def choose_status_filter(self) -> None:
        """F8: a short list of the statuses, with how many stories each has, to pick the filter from."""
        from newsroom_tui.tui.screens.status_filter import ALL, StatusFilterScreen

        counts: dict[Status, int] = {}
        if self.queried is not None:
            counts = dict(self.queried.counts)  # as of the list's last answer
        for row in self.all_rows:  # none on a database: the pane holds a window, not the rows
            counts[row.status] = counts.get(row.status, 0) + 1

        def chosen(value: str | None) -> None:
            if value is not None:
                self.set_status_filter(None if value == ALL else Status(value))

        self.app.push_screen(StatusFilterScreen(self.status_filter, counts), chosen)

    def show_row_of(self, story: Story) -> None:
        """Put the cursor on the story just opened; one the default view hides (`newsroom open` of a spiked
        story) switches the list to its status, so the list shows where the editor is."""
        story_list = self.story_list
        hidden = self.status_filter is None and not self.filter_box.value and story.status in HIDDEN_BY_DEFAULT
        held = story_list.window.index_of(story.id) is not None
        if hidden and not held:
            self.set_status_filter(story.status, keep_story_id=story.id)
        if self.queried is not None and not held:
            self.queried.ask(keep_story_id=story.id)  # not among the rows read: the database says where it is
            return
        story_list.move_to(story.id)

    def set_status_filter(self, status: Status | None, *, keep_story_id: str | None = None) -> None:
        self.status_filter = status
        self.query_one("#status-filter", Static).update(status.value if status else "all")
        self.apply_filter(keep_story_id)
        if self.screen.focused is None:
            self.screen.set_focus(self.story_list)

    def update_header(self) -> None:
        story_list = self.story_list
        width = story_list.row_width or self.screen.size.width
        if width != self._header_width:  # resizes come in several steps at start-up: draw it once
            self._header_width = width
            self.query_one("#list-header", Static).update(story_list.header_text(width), layout=False)

    def _filter_changed(self) -> None:
        self.apply_filter()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        """Enter opens the highlighted match, as one press (it took two, and the second put a blank line
        into the body); with no match it goes back to the list."""
        event.stop()
        if self.queried is not None and self.queried.shown_for != (self.filter_box.value, self.status_filter):
            # A database's answer to the filter is on its way (`flood` and Enter in one burst, or typed before
            # the store was open): the row under the cursor now is the old list's, so Enter waits for it.
            self.queried.open_when_answered()
            return
        self.open_highlighted()

    def open_highlighted(self) -> None:
        """Enter in the filter box: open the highlighted match; with no match, back to the list."""
        story_id = self.story_list.highlighted_id
        if story_id is None:
            self.screen.set_focus(self.story_list)
            return
        # Posted from here: Textual does not bubble a message up to the widget that sent it.
        self.post_message(StoryList.Opened(story_id))

    @on(StoryList.Resized)
    def _list_resized(self) -> None:
        self.update_header()

    @on(StoryList.NeedRows)
    def _need_rows(self, event: StoryList.NeedRows) -> None:
        if self.queried is not None:
            self.queried.read_pages(event.window, event.pages)

    def shown_and_total(self) -> tuple[int, int]:
        """How many stories the list shows, and the store holds (the desk's status line)."""
        if self.queried is not None:
            return self.queried.shown_and_total()
        return len(self.story_list.rows), len(self.all_rows)

    def clear_filter(self) -> bool:
        """Escape in the filter box, or in the list while a filter is set, clears it and goes back to the
        list (after F2, typing used to append to the old filter: `floodtigers`); False if it did nothing."""
        box = self.filter_box
        focused = self.screen.focused
        if focused is not box and (focused is not self.story_list or not box.value):
            return False
        box.value = ""
        self.screen.set_focus(self.story_list)
        return True

    # -- other processes ------------------------------------------------------------------------------
    def poll(self) -> None:
        """Pick up stories saved by other editors; costs a `stat` when nothing changed."""
        try:
            changed = self.desk_app.store.refresh()
        except StoreError as error:
            self.notify(str(error), severity="error")
            return
        if changed:
            self.reload_rows(keep_story_id=self.story_list.highlighted_id, polled=True)
            self.keep_row_cache_current()
        self.refresh_lock_marks()
        self.story_list.check_due()

    def refresh_lock_marks(self) -> None:
        """Who else has which story open, marked in the list (re-read only when the lock file changed)."""
        locks = self.desk_app.locks
        try:
            marks = {story_id: lock.user for story_id, lock in locks.all_locks().items() if not locks.is_mine(lock)}
        except LockError:
            return
        self.story_list.set_lock_marks(marks)

    # -- the row cache --------------------------------------------------------------------------------
    def keep_row_cache_current(self) -> None:
        """Rewrite the row cache (in a thread, from the rows in memory) when the next start would
        ignore it or read a long tail: none yet, a compaction replaced the journal (every few
        thousand saves at 10,000 stories), or a day of saves piled up behind it.  A `pread` of 64
        bytes when there is nothing to do; called after the store changed."""
        from newsroom_tui.storage.rowcache import needs_rewriting
        from newsroom_tui.storage.store import StoryStore

        store = self.desk_app.store
        if not isinstance(store, StoryStore):
            return  # the row cache is the journal's; a database answers the first screen itself
        try:
            if not needs_rewriting(self._row_cache_at, store.journal_position()):
                return
            rows, position = store.rows_and_position(previous=self.all_rows)
        except StoreError:
            return  # the store's own message comes with the next read or save
        self._row_cache_at = position
        self._write_row_cache(rows, position)

    @work(thread=True, exclusive=True, group="row-cache")
    def _write_row_cache(self, rows: list[StoryRow], position: JournalPosition) -> None:
        """Keep the next start fast; a cache that cannot be written only makes it slower."""
        from newsroom_tui.storage.rowcache import remove_leftovers, write_rows

        with contextlib.suppress(OSError):
            write_rows(self.desk_app.settings.db_path, rows, position)
            remove_leftovers(self.desk_app.settings.db_path)
