"""Live desks: what other editors change reaches this desk as it happens, when the store can tell
(contract.LiveStore: PostgreSQL's LISTEN/NOTIFY); a TinyDB desk just keeps its poll.

Why this shape.  The store's listener runs in a thread of its own and hands over ids only; this module
re-reads those stories (and, for locks, who holds what) in that thread, so the UI thread never waits on
the network, and posts the result to the desk as one message, applied on the UI thread.  A lock change
on a story this desk holds runs the heartbeat at once: the existing path that finds a take-over and turns
the story read-only, now within a second instead of at the next 10 s beat.  While the listener's
connection is down the status line says so, the desk stops polling the database (each poll would wait on
it), the open draft goes to the recovery journal as typing goes on, and a save says in one sentence why
it failed; once the listener is back the desk re-reads the list, the locks and its own locks once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from newsroom_tui.domain.errors import LockError
from newsroom_tui.storage.contract import Change, ChangeListener, LiveStore
from newsroom_tui.storage.errors import StoreError, StoryNotFoundError
from newsroom_tui.tui.keymaps import key_name

if TYPE_CHECKING:
    from newsroom_tui.domain.listing import StoryRow
    from newsroom_tui.domain.model import Story
    from newsroom_tui.tui.screens.desk import DeskScreen

# What the status line shows while the database is away (and a notice says once, with the reason).
AWAY = "⚠ database away — reconnecting; your text is kept on this machine"
# More stories than this in one wake-up (an import, a migrate) re-read the whole list instead, in one query.
MOST_READ_ONE_BY_ONE = 25


class LiveNews(Message):
    """Posted from the listener's thread: `apply` runs on the UI thread, in the desk's message order."""

    def __init__(self, apply: Callable[[], None]) -> None:
        super().__init__()
        self.apply = apply


class DeskLive:
    """The desk's end of a store's change listener."""

    def __init__(self, desk: DeskScreen) -> None:
        self.desk = desk
        self._listener: ChangeListener | None = None
        self.away: str | None = None  # why the database cannot be reached, while it cannot

    @property
    def listening(self) -> bool:
        return self._listener is not None and self._listener.connected

    def start(self) -> None:
        """Once the store is read: listen if it can tell (UI thread; the lock book is made here, not there)."""
        app = self.desk.desk_app
        store = app.store
        if self._listener is not None or not isinstance(store, LiveStore):
            return
        app.locks  # noqa: B018 - made on the UI thread: the listener's thread only reads it
        self._listener = store.listen(self._changed, self._state)

    def stop(self) -> None:
        """On exit: the thread ends by itself within a second (a daemon: it never keeps the process alive)."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def on_news(self, news: LiveNews) -> None:
        if self._listener is not None and self.desk.is_attached:
            news.apply()

    # -- in the listener's thread ---------------------------------------------------------------------
    def _post(self, apply: Callable[[], None]) -> None:
        with contextlib.suppress(Exception):  # the app is closing: nothing to show any more
            self.desk.post_message(LiveNews(apply))

    def _changed(self, changes: list[Change]) -> None:
        app = self.desk.desk_app
        store, locks = app.store, app.locks
        story_ids = [change.story_id for change in changes if change.kind == "story"]
        lock_ids = {change.story_id for change in changes if change.kind == "lock"}
        everything = any(change.kind == "unknown" for change in changes) or len(story_ids) > MOST_READ_ONE_BY_ONE
        read: dict[str, Story | None] = {}
        queried = self.desk.list_pane.queried is not None  # the list asks the database itself, in its thread
        if queried and (story_ids or everything):
            with contextlib.suppress(StoreError):
                store.refresh()  # the next poll need not ask again for these
            marks = self._marks() if lock_ids or everything else None
            mine = bool(lock_ids & set(locks.held()))
            self._post(lambda: self._show_changes({}, rows=None, marks=marks, mine=mine, ask=True))
            return
        if story_ids and not everything:
            try:
                store.refresh()  # these saves are handled here: the next poll need not re-read the list for them
                for story_id in story_ids:
                    try:
                        read[story_id] = store.get(story_id)
                    except StoryNotFoundError:
                        read[story_id] = None  # purged
            except StoreError:
                everything, read = True, {}
        rows = self._rows() if everything else None
        marks = self._marks() if lock_ids or everything else None
        mine = bool(lock_ids & set(locks.held()))
        self._post(lambda: self._show_changes(read, rows=rows, marks=marks, mine=mine))

    def _rows(self) -> list[StoryRow] | None:
        """The whole list read again, here in the listener's thread (at 50,000 stories it takes seconds: never
        on the UI thread); None when the store cannot answer (the poll catches up later), or when the list is
        a window on a query (it asks again itself)."""
        if self.desk.list_pane.queried is not None:
            return None
        try:
            return self.desk.desk_app.store.story_rows(previous=self.desk.list_pane.all_rows)
        except StoreError:
            return None

    def _marks(self) -> dict[str, str] | None:
        locks = self.desk.desk_app.locks
        try:
            return {story_id: lock.user for story_id, lock in locks.all_locks().items() if not locks.is_mine(lock)}
        except LockError:
            return None

    def _state(self, away: str | None) -> None:
        back = away is None  # read what may have been missed here, before telling the UI thread
        rows, marks = (self._rows(), self._marks()) if back else (None, None)
        self._post(lambda: self._show_state(away, rows=rows, marks=marks))

    # -- on the UI thread -----------------------------------------------------------------------------
    def _show_changes(
        self,
        read: dict[str, Story | None],
        *,
        rows: list[StoryRow] | None,
        marks: dict[str, str] | None,
        mine: bool,
        ask: bool = False,
    ) -> None:
        list_pane = self.desk.list_pane
        if ask and list_pane.queried is not None:
            list_pane.queried.ask()
        elif rows is not None:
            list_pane.show_rows(rows, keep_story_id=list_pane.story_list.highlighted_id)
        elif read:
            list_pane.take_changes(read)
        if marks is not None:
            list_pane.story_list.set_lock_marks(marks)
        if mine:
            self.desk.editing.heartbeat()  # a lock of ours changed hands: find out now, not at the next beat

    def _show_state(
        self, away: str | None, *, rows: list[StoryRow] | None = None, marks: dict[str, str] | None = None
    ) -> None:
        was_away = self.away is not None
        self.away = away
        self.desk.show_connection(AWAY if away is not None else None)
        if away is not None:
            if self.desk.ready:
                self.desk.editing.autosave()  # the words on screen are in the journal now, whatever comes
            if not was_away:
                self.desk.notify(
                    f"{away} Your text stays in the editor and in the recovery journal; "
                    f"{key_name(self.desk.app, 'save')} works again once the database is back.",
                    severity="warning",
                    timeout=10,
                )
            return
        if was_away:  # notifications sent meanwhile are lost: read again, once (in the listener's thread)
            list_pane = self.desk.list_pane
            if list_pane.queried is not None:
                list_pane.queried.ask()
            elif rows is not None:
                list_pane.show_rows(rows, keep_story_id=list_pane.story_list.highlighted_id)
            if marks is not None:
                list_pane.story_list.set_lock_marks(marks)
            self.desk.editing.heartbeat()
            self.desk.notify("The database is back; the list is up to date.", timeout=4)
        else:  # listening from now on: what was saved between reading the store and LISTEN
            self.desk.poll_store()
