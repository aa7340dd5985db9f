"""Keys typed before the editing widgets exist: kept, in the order they were typed, until they do.

Over SSH keys arrive in bursts: Enter, the first words and F3 can all be read before the first story
has been opened (the store and the editing widgets come with it).  The desk builds those widgets with
the first story, not at start-up (they are half its widgets and the first screen shows none of them),
so whatever needs them waits here.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from textual.widgets import Input, TextArea

from newsroom_tui.tui.keymaps import key_name
from newsroom_tui.tui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from newsroom_tui.tui.screens.desk import DeskScreen


class _Gated(Protocol):
    gate: StartupGate


def waits_for_open(action: Callable[..., Any]) -> Callable[..., Any]:
    """For a desk action: while a story is still being opened, run it once the story is open, in
    the order its key was typed, instead of refusing it."""

    @functools.wraps(action)
    def deferring(self: _Gated, *args: Any) -> Any:
        if self.gate.pending:
            self.gate.in_order(functools.partial(action, self, *args))
            return None
        return action(self, *args)

    return deferring


class StartupGate:
    """`ready` once the store is read and the editing widgets are mounted; callbacks wait until then."""

    def __init__(self, screen: DeskScreen) -> None:
        self._screen = screen
        self.ready = False
        self._building = False
        self._reading_store = False
        self._store_read = asyncio.Event()
        self._waiting: list[Callable[[], object]] = []

    # -- the start-up, in order -----------------------------------------------------------------------
    def first_screen_out(self) -> None:
        """The first screen is out (the list posts `Painted` while it is drawn, handled after the frame
        is written): read the store now, not before, so its thread does not slow that frame down."""
        if not self._reading_store:
            self._reading_store = True
            # `newsroom_tui.entry` kept the cyclic collector off while the desk started: what start-up
            # made lives as long as the app, so it is frozen out of every later collection, then on again.
            gc.freeze()
            gc.enable()
            self._screen.desk_app.load_editing_css()
            self._screen.run_worker(self._read_the_store(), name="read-store", group="store")

    async def _read_the_store(self) -> None:
        """Once the list is on screen: read the whole store (in a thread), then offer the kept drafts."""
        screen = self._screen
        if await screen.desk_app.load_store() is None:
            return  # the app is exiting with the store's message
        if not (screen.is_attached and screen.app.is_running):
            # Quit while the store was being opened (ctrl+q at once, or a test's end): the panes may be gone
            # already, and the list asking again raised from this worker as the app closed.
            return
        screen.list_pane.store_read()
        self._store_read.set()
        screen.live.start()  # other editors' saves and take-overs as they happen, where the store can tell
        screen.editing.offer_recovery()
        await screen.desk_app.advise_on_size()

    def _build(self) -> None:
        self._screen.run_worker(self.build(), name="build", group="build")

    async def build(self) -> None:
        """Mount the body, the metadata form and the checks when a story first opens; then whatever waited.

        They are half the desk's widgets and the first screen shows none of them; mounting them after
        it repainted the whole screen (Textual restyles everything when new widget types arrive), so
        they come with the first story, which repaints the panes anyway.  The store must be read first.
        """
        from newsroom_tui.usecases.session import EditingSession

        await self._store_read.wait()
        screen, app = self._screen, self._screen.desk_app
        await screen.editor_pane.mount_body()
        await screen.metadata_pane.build(
            app.settings, screen.list_pane.slug_holder, screen.editor_pane.body, app.copydesk_config
        )
        unspike = f"{key_name(app, 'desk-actions')} then z on the desk, `newsroom unspike` on the command line"
        screen.begin(EditingSession(app.newsroom, unspike_how=unspike))
        self.opened()
        screen.metadata_pane.start_spelling(app.newsroom, screen.current_draft)

    @property
    def pending(self) -> bool:
        """A story is being opened: what comes now must wait for it, in order."""
        return not self.ready and bool(self._waiting)

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Run `callback` now if ready, else as soon as the editing widgets are (which starts building them)."""
        if self.ready:
            self._run(callback)
            return
        self._waiting.append(callback)
        if not self._building:
            self._building = True
            self._build()

    def in_order(self, callback: Callable[[], object]) -> None:
        """`when_ready(callback)`, after the keys already typed into the list are handled: they reach
        the desk through the list's message queue (`TypedAhead`, `Opened`), and so does this."""
        self._screen.query_one(StoryList).post_message(StoryList.Relay(callback))

    def opened(self) -> None:
        """The editing widgets are mounted: run what waited, in order."""
        self.ready = True
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            self._run(callback)

    def typed(self, character: str) -> None:
        """A character typed in the list.  Typed after Enter or ctrl+n it was meant for the story: it
        goes where the focus is now, or waits for the story still being opened; else it starts a filter."""
        if self.pending:
            self._waiting.append(functools.partial(self._deliver, character))
            return
        self._deliver(character)

    def _deliver(self, text: str) -> None:
        screen = self._screen
        focused = screen.focused
        if isinstance(focused, TextArea):
            if not focused.read_only:
                focused.insert(text)
        elif isinstance(focused, Input):
            focused.insert_text_at_cursor(text)
        elif text.strip():  # a filter does not start with a space
            box = screen.query_one("#filter", Input)
            screen.set_focus(box)
            box.insert_text_at_cursor(text.lstrip())

    def _run(self, callback: Callable[[], object]) -> None:
        result = callback()
        if inspect.isawaitable(result):
            self._screen.run_worker(result)  # an async action (find) deferred until the story was open
