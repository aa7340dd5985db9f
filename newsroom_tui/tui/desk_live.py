"""Live desks: what other editors change reaches this desk as it happens, when the store can tell
(contract.LiveStore: PostgreSQL's LISTEN/NOTIFY); a TinyDB desk just keeps its poll.

Why this shape.  The store's listener runs in a thread of its own and hands over ids only; on a story's
change the list asks its question again (panes/list_query.py, in the list's own thread), and who holds
which lock is read here, in the listener's thread, so the UI thread never waits on the network.  A lock change
on a story this desk holds runs the heartbeat at once: the existing path that finds a take-over and turns
the story read-only, now within a second instead of at the next 10 s beat.  While the listener's
connection is down the status line says so, the desk stops polling the database (each poll would wait on
it), the open draft goes to the recovery journal as typing goes on, and a save says in one sentence why
it failed; once the listener is back the list asks again and the desk re-reads the locks and its own once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from newsroom_tui.domain.errors import LockError
from newsroom_tui.storage.contract import Change, ChangeListener, LiveStore
from newsroom_tui.storage.errors import StoreError
from newsroom_tui.tui.keymaps import key_name

if TYPE_CHECKING:
    from newsroom_tui.tui.screens.desk import DeskScreen

# What the status line shows while the database is away (and a notice says once, with the reason).
AWAY = "⚠ database away — reconnecting; your text is kept on this machine"


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
        stories = any(change.kind != "lock" for change in changes)  # a save, or a payload this code cannot read
        lock_ids = {change.story_id for change in changes if change.kind == "lock"}
        if stories:
            with contextlib.suppress(StoreError):
                store.refresh()  # handled here: the next poll need not ask the list again for these
        marks = self._marks() if lock_ids or stories else None
        mine = bool(lock_ids & set(locks.held()))
        self._post(lambda: self._show_changes(ask=stories, marks=marks, mine=mine))

    def _marks(self) -> dict[str, str] | None:
        locks = self.desk.desk_app.locks
        try:
            return {story_id: lock.user for story_id, lock in locks.all_locks().items() if not locks.is_mine(lock)}
        except LockError:
            return None

    def _state(self, away: str | None) -> None:
        marks = self._marks() if away is None else None  # back: read here what may have been missed
        self._post(lambda: self._show_state(away, marks=marks))

    # -- on the UI thread -----------------------------------------------------------------------------
    def _show_changes(self, *, ask: bool, marks: dict[str, str] | None, mine: bool) -> None:
        list_pane = self.desk.list_pane
        if ask:
            list_pane.changed_elsewhere()
        if marks is not None:
            list_pane.story_list.set_lock_marks(marks)
        if mine:
            self.desk.editing.heartbeat()  # a lock of ours changed hands: find out now, not at the next beat

    def _show_state(self, away: str | None, *, marks: dict[str, str] | None = None) -> None:
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
            list_pane.changed_elsewhere()
            if marks is not None:
                list_pane.story_list.set_lock_marks(marks)
            self.desk.editing.heartbeat()
            self.desk.notify("The database is back; the list is up to date.", timeout=4)
        else:  # listening from now on: what was saved between reading the store and LISTEN
            self.desk.poll_store()
