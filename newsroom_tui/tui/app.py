"""NewsroomApp: wires the store and settings to the desk screen; keys, palette and quitting."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Hit, Hits
from textual.filter import LineFilter
from textual.screen import Screen
from textual.system_commands import SystemCommandsProvider

from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.model import now
from newsroom_tui.storage.errors import StoreError
from newsroom_tui.tui.cellwidths import use_terminal_cell_widths
from newsroom_tui.tui.screens.desk import DeskScreen
from newsroom_tui.tui.terminal_filter import TerminalSafety
from newsroom_tui.tui.widgets.story_editor import CURSOR_BLINK

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.theme import Theme
    from textual.timer import Timer

    from newsroom_tui.domain.copydesk import CopydeskConfig
    from newsroom_tui.storage.contract import LockKeeper, Store
    from newsroom_tui.storage.drafts import RecoveryJournal
    from newsroom_tui.storage.first_page import FirstPage
    from newsroom_tui.storage.rowcache import CachedRows
    from newsroom_tui.usecases.newsroom import Newsroom

STORE_POLL_SECONDS = 2.0
STORE_POLL_VARIABLE = "NEWSROOM_STORE_POLL_SECONDS"
EXIT_STORE_PROBLEM = 1  # as the CLI's user errors (cli.EXIT_USER_ERROR)
LOCK_HEARTBEAT_SECONDS = 10.0
LOCK_HEARTBEAT_VARIABLE = "NEWSROOM_LOCK_HEARTBEAT_SECONDS"
# After SIGTERM/SIGHUP, how long the event loop has to save the words and go before the last resort.
HANG_UP_GRACE_SECONDS = 1.5


# The desk menu's actions as palette entries: (menu letter, action, title, what it does — what a search finds).
PALETTE_ACTIONS = (
    ("s", "submit", "Submit story", "Submit the draft to the desk for editing"),
    ("e", "mark_edited", "Mark edited", "Mark as copy-edited and ready to publish"),
    ("t", "schedule", "Schedule story", "Schedule publication for a later time"),
    ("d", "deschedule", "Deschedule story", "Take the story off the schedule"),
    ("r", "correct", "Correct story", "Republish a live story with a correction note"),
    ("u", "unpublish", "Unpublish story", "Take a live story off the site"),
    ("k", "kill", "Kill story", "Withdraw the story for good, for legal or factual reasons"),
    ("x", "spike", "Spike story", "Set the story aside (soft-delete); unspike brings it back"),
    ("z", "unspike", "Unspike story", "Bring a spiked story back to the desk"),
    ("o", "take_over", "Take over the story", "Take the lock from the editor who has the story open"),
    ("w", "export", "Export story", "Write the story to a file: wire text, Markdown, HTML, ninjs or NITF"),
    ("c", "copy", "Copy story", "Copy the story to the clipboard (OSC 52) as wire text, Markdown, HTML…"),
)


def store_poll_seconds() -> float:
    """How often the desk polls the store for other editors' saves (on PostgreSQL, a fallback for the live
    notifications): STORE_POLL_SECONDS, or `NEWSROOM_STORE_POLL_SECONDS`."""
    return _seconds_from(STORE_POLL_VARIABLE, STORE_POLL_SECONDS)


def lock_heartbeat_seconds() -> float:
    """How often the desk refreshes its locks: LOCK_HEARTBEAT_SECONDS, or `NEWSROOM_LOCK_HEARTBEAT_SECONDS`."""
    return _seconds_from(LOCK_HEARTBEAT_VARIABLE, LOCK_HEARTBEAT_SECONDS)


def _seconds_from(variable: str, default: float) -> float:
    """A period from the environment (tests set them long, so only a live notification can bring the news);
    the default unless it is a number of at least 0.1 s."""
    try:
        seconds = float(os.environ.get(variable, ""))
    except ValueError:
        return default
    return seconds if 0.1 <= seconds < float("inf") else default


class DeskCommands(SystemCommandsProvider):
    """The palette's search over the desk's actions by title *and* by what they do: Textual's matches titles
    only, so `kill`, `withdraw`, `undo` or `recovery` found nothing."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            score = max(matcher.match(title), matcher.match(help_text) * 0.8)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


EDITING_CSS = Path(__file__).with_name("editing.tcss")


class NewsroomApp(App[int]):
    """The desk editor's app.  `run()` returns the exit status."""

    CSS_PATH = "app.tcss"  # the first screen's; `load_editing_css` adds the rest once it is out
    TITLE = "newsroom"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = {DeskCommands}
    BINDINGS = [
        # A priority binding: a keymap may put quit on a key the body or a field uses (nano's ctrl+x).
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("f1", "help", "Help", id="help", show=False, priority=True),
        # Textual's own palette key, declared here to give it an id (a keymap can move it); Textual then adds none.
        Binding(
            "ctrl+p", "command_palette", "palette", id="palette", show=False, priority=True, tooltip="Open the palette"
        ),
    ]

    def __init__(
        self,
        *,
        store: Store | None = None,
        settings: Settings,
        first_rows: CachedRows | None = None,
        first_page: FirstPage | None = None,
        open_story_id: str | None = None,
        startup_note: str | None = None,
        clock: Callable[[], datetime] = now,
    ) -> None:
        use_terminal_cell_widths()  # before anything is measured: Bangla must line up
        super().__init__()
        self._store = store
        self._store_task: asyncio.Task[Store | None] | None = None
        # Set when reading the store failed after the first screen: the app exits and the CLI prints it.
        self.store_problem: str | None = None
        self.first_rows = first_rows  # the list from the row cache, drawn before the store is read
        self.first_page = first_page  # a database's first page, read by a forked child (storage/first_page.py)
        self.settings = settings
        self.open_story_id = open_story_id
        self.startup_note = startup_note
        self.clock = clock  # the preview's edition date; tests fix it
        # A [copydesk] table is checked now, so a mistake in it stops the start with a clear message;
        # without one, the copy desk (8 ms of imports) loads when the first story opens.
        self._copydesk_config = self._read_copydesk_config() if "copydesk" in settings.sections else None
        self._locks: LockKeeper | None = None
        self._journal: RecoveryJournal | None = None
        self._newsroom: Newsroom | None = None
        self._session = f"{os.getpid()}-{os.urandom(3).hex()}"
        CURSOR_BLINK["enabled"] = settings.cursor_blink
        self._signalled = False
        self._terminal_safety = TerminalSafety()
        self._previous_handlers: dict[int, Any] = {}
        self._apply_keys_and_looks(settings)

    def _apply_keys_and_looks(self, settings: Settings) -> None:
        """The config's keymap (`keymap`, `[keys]`) and theme, checked now: a wrong id, key or theme name stops
        the start with one sentence (ConfigError), as the rest of the config does."""
        from newsroom_tui.storage.desk_state import remembered_theme
        from newsroom_tui.tui.themes import DEFAULT_THEME, register_desk_themes, theme_for

        if settings.keymap != "default" or "keys" in settings.sections:
            from newsroom_tui.tui.keymaps import keymap_for

            self.set_keymap(keymap_for(settings))
        register_desk_themes(self)
        configured = theme_for(settings, self) if settings.theme != DEFAULT_THEME else DEFAULT_THEME
        picked = remembered_theme(settings.theme)  # picked in the palette while the config said the same
        chosen = picked if picked in self.available_themes else configured
        if chosen != self.theme:
            self.theme = chosen
        self._theme_at_start = chosen
        self._theme_timer: Timer | None = None

    @property
    def locks(self) -> LockKeeper:
        """Who has which story open; loaded when first asked (after the first screen: 5 ms of imports)."""
        if self._locks is None:
            from newsroom_tui.storage.backends import lock_book_for

            self._locks = lock_book_for(self.settings, store=self._store)  # on the store's connection, once read
        return self._locks

    @property
    def journal(self) -> RecoveryJournal:
        """This session's recovery journal (autosaved drafts); loaded when first used."""
        if self._journal is None:
            from newsroom_tui.storage import drafts as recovery

            self._journal = recovery.RecoveryJournal(
                recovery.recovery_folder_from(self.settings), user=self.settings.user, session=self._session
            )
        return self._journal

    @property
    def newsroom(self) -> Newsroom:
        """The use cases both front ends call; made once the store is read (with this app's locks and journal)."""
        if self._newsroom is None:
            from newsroom_tui.usecases.newsroom import Newsroom

            self._newsroom = Newsroom(
                self.settings, self.store, clock=self.clock, locks=self.locks, journal=self.journal
            )
        return self._newsroom

    @property
    def store(self) -> Store:
        """The story store.  Started from the row cache, the desk reads it just after its first screen
        (`load_store`); everything that needs it waits for `DeskScreen.when_ready` until then."""
        if self._store is None:
            raise RuntimeError("the store is not read yet: wait for DeskScreen.when_ready")
        return self._store

    @property
    def store_loaded(self) -> bool:
        return self._store is not None

    def load_editing_css(self) -> None:
        """Add editing.tcss, which styles nothing the first screen shows: just after that screen is out
        (`StartupGate`), and before any other screen in any case (`push_screen`)."""
        if not self.stylesheet.has_source(os.path.abspath(EDITING_CSS)):
            self.stylesheet.read(EDITING_CSS)  # as Textual reads CSS_PATH: the same weight, after app.tcss
            self.stylesheet.parse()  # now, not inside the next mount

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self.load_editing_css()
        return super().push_screen(*args, **kwargs)

    async def load_store(self) -> Store | None:
        """Read the whole store in a thread, so the screen keeps drawing; None if it cannot be read.

        A store that cannot be read ends the app with the store's message (printed by the CLI), as it
        would have before the first screen; nothing is written to it.
        """
        if self._store is not None:
            return self._store
        if self._store_task is None:
            self._store_task = asyncio.ensure_future(self._read_store())
        return await asyncio.shield(self._store_task)

    async def _read_store(self) -> Store | None:
        try:
            from newsroom_tui.storage.backends import store_for

            store = await asyncio.to_thread(store_for, self.settings)
        except StoreError as error:
            self.end_on_store_problem(str(error))
            return None
        self._store = store
        gc.freeze()  # the store's documents live as long as the app: see cli.command_desk
        return store

    async def advise_on_size(self) -> None:
        """Once the store is read: a TinyDB store past the size it is comfortable at says, once, where to go."""
        from newsroom_tui.usecases.newsroom import size_advice

        try:
            advice = await asyncio.to_thread(size_advice, self.settings, self.store)
        except (StoreError, OSError):
            advice = None
        if advice:
            self.notify(advice, title="A big store", timeout=15)

    def end_on_store_problem(self, message: str) -> None:
        """The store cannot be read: end with its sentence (printed by the CLI) and status 1, writing nothing."""
        self.store_problem = message
        self.exit(return_code=EXIT_STORE_PROBLEM)

    def close_store(self) -> None:
        if self._store is not None:
            self._store.close()

    def _read_copydesk_config(self) -> CopydeskConfig:
        from newsroom_tui.domain.copydesk import CopydeskConfig

        return CopydeskConfig.from_settings(self.settings)

    @property
    def copydesk_config(self) -> CopydeskConfig:
        if self._copydesk_config is None:
            self._copydesk_config = self._read_copydesk_config()
        return self._copydesk_config

    @property
    def desk(self) -> DeskScreen:
        return self._desk

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification of the desk, whoever sends it (widgets route theirs here): never markup, and
        through the one terminal boundary, since messages carry headlines, user names and server replies."""
        from newsroom_tui.text.safety import for_display

        if timeout is None:
            super().notify(for_display(message), title=for_display(title), severity=severity, markup=False)
        else:
            super().notify(
                for_display(message), title=for_display(title), severity=severity, timeout=timeout, markup=False
            )

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters (colour conversion…), then the terminal-safety filter on every drawn line."""
        return [*super().get_line_filters(), self._terminal_safety]

    def get_default_screen(self) -> Screen[Any]:
        """The desk is the app's first screen, not one pushed over it: that paints the list sooner."""
        self._desk = DeskScreen(self.open_story_id)
        return self._desk

    def on_mount(self) -> None:
        if self.startup_note:
            self.notify(self.startup_note, title="Welcome to the desk", timeout=8)
        self.set_interval(store_poll_seconds(), self.desk.poll_store, name="store-poll")
        self.set_interval(lock_heartbeat_seconds(), self.desk.editing.heartbeat, name="lock-heartbeat")
        self._install_signal_handlers()
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        """A theme picked in the palette is kept for the next start (never in the user's config.toml); a
        second later, as the palette may try several on the way."""
        if self._theme_timer is not None:
            self._theme_timer.stop()
        self._theme_timer = self.set_timer(1.0, self._remember_theme, name="remember-theme")

    def _remember_theme(self) -> None:
        from newsroom_tui.storage.desk_state import remember_theme

        if self.theme == self._theme_at_start:
            return
        try:
            remember_theme(self.theme, self.settings.theme)
        except OSError as error:
            self.notify(f"The theme is not remembered for next time: {error.strerror or error}.", severity="warning")
            return
        self._theme_at_start = self.theme

    def _install_signal_handlers(self) -> None:
        """SIGHUP (a dropped SSH connection) and SIGTERM: keep the words, free the locks, leave.

        Not asyncio's `add_signal_handler`: it runs the handler from the event loop, so a desk whose UI
        thread was stuck in a long computation (50,000 tags once took minutes) ignored SIGTERM and kept
        its locks.  A plain handler runs between the busy code's bytecodes; it only hands the work to the
        loop and starts a last-resort thread that frees the locks and ends the process if the loop has not
        done so in time.  It never does the work itself: that could re-enter a write it interrupted.
        """
        loop = asyncio.get_running_loop()

        def handler(signum: int, frame: object) -> None:
            if self._signalled:
                return
            self._signalled = True
            threading.Thread(target=self._last_resort, args=(signum,), name="hang-up", daemon=True).start()
            with contextlib.suppress(RuntimeError):  # the loop has closed: the last resort ends it
                loop.call_soon_threadsafe(self._hang_up, signum)

        for signum in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(ValueError, OSError):  # not the main thread: the embedder decides
                self._previous_handlers[signum] = signal.signal(signum, handler)

    def _restore_signal_handlers(self) -> None:
        for signum, previous in self._previous_handlers.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(signum, previous)
        self._previous_handlers.clear()

    def _last_resort(self, signum: int) -> None:
        """The loop did not end the process in time: free the locks from here (bounded), then go."""
        time.sleep(HANG_UP_GRACE_SECONDS)
        releasing = threading.Thread(target=self._release_locks_quietly, daemon=True)
        releasing.start()
        releasing.join(timeout=2.0)  # the busy thread may hold the lock book; never wait on it for long
        os._exit(128 + signum)

    def _release_locks_quietly(self) -> None:
        with contextlib.suppress(Exception):
            self.locks.release_all()

    def _hang_up(self, signum: int) -> None:
        """Keep the words and free the locks, then go.

        After SIGHUP the terminal is gone: a normal exit tries to restore it, fails, and (measured)
        left processes spinning at 50% CPU and holding their locks.  So a hang-up ends the process
        at once; SIGTERM gets a normal exit, with the same hard stop if that has not finished in 2 s.
        """
        self.keep_the_words()
        if signum == signal.SIGHUP:
            os._exit(128 + signum)
        threading.Timer(2.0, os._exit, args=(128 + signum,)).start()
        self.exit(return_code=128 + signum)

    def keep_the_words(self) -> None:
        """Last chance before the process ends: the draft to the journal, this editor's locks released."""
        with contextlib.suppress(Exception):
            self.desk.editing.autosave()
        with contextlib.suppress(Exception):
            self.locks.release_all()

    def _handle_exception(self, error: Exception) -> None:
        # A bug must not cost the editor's words: journal them before Textual shows the traceback.
        self.keep_the_words()
        super()._handle_exception(error)

    def on_unmount(self) -> None:
        self._restore_signal_handlers()
        with contextlib.suppress(Exception):
            self.desk.live.stop()
        with contextlib.suppress(Exception):
            self.locks.release_all()

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every desk action in the palette, each its own entry with its key; found by name or by what it does
        (`DeskCommands`).  Textual's own follow, less its Keys panel (F1 is the desk's), Quit (ours asks) and
        Theme (ours says what it does: the desk's two themes are there with Textual's)."""
        from newsroom_tui.tui.keymaps import key_shown

        desk = self.desk
        actions = desk.actions

        def key(binding_id: str, default: str) -> str:
            return key_shown(self, binding_id, default)

        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Help: keys", f"The keys for where you are, and the workflow ({key('help', 'f1')})", self.action_help),
            ("New story", f"Start a new story ({key('new-story', '^n')})", desk.action_new_story),
            ("Save story", f"Save the open story as a new version ({key('save', '^s')})", desk.action_save),
            ("Preview story", f"The article as readers will see it ({key('preview', 'f5')})", desk.action_preview),
            (
                "Show stories",
                f"The desk's story list ({key('show-stories', 'f2')})",
                lambda: desk.action_show_pane("list-pane"),
            ),
            ("Show body", f"The body editor ({key('show-body', 'f3')})", lambda: desk.action_show_pane("editor-pane")),
            (
                "Show metadata",
                f"Headline, slug, byline… ({key('show-metadata', 'f4')})",
                lambda: desk.action_show_pane("metadata-pane"),
            ),
            (
                "Filter stories",
                f"Type to filter by headline, slug, byline, tags ({key('filter', '^l')})",
                desk.action_focus_filter,
            ),
            (
                "Filter by status",
                f"Pick the statuses the list shows: all, draft, … spiked, killed ({key('status-filter', 'f8')})",
                desk.action_choose_status_filter,
            ),
            (
                "Search the archive",
                f"Every story's headline, summary, body, byline, tags ({key('search-archive', 'f6')})",
                desk.action_search_archive,
            ),
            ("Find and replace", f"Find and replace in the body ({key('find', '^f')})", desk.action_find),
            (
                "Edit body in $EDITOR",
                f"Hand the body to $VISUAL/$EDITOR, vim or nano ({key('external-editor', '^o')})",
                desk.action_external_editor,
            ),
            (
                "Publish story",
                f"Check, confirm and publish the open story ({key('publish', 'f9')})",
                desk.action_publish,
            ),
            (
                "Desk menu",
                f"Submit, mark edited, schedule, correct, unpublish, kill, spike… ({key('desk-actions', 'f10')})",
                desk.action_desk_actions,
            ),
        ]
        menu = key("desk-actions", "f10")
        for letter, action, title, what in PALETTE_ACTIONS:
            commands.append((title, f"{what} ({menu} {letter})", functools.partial(actions.run, action)))
        commands += [
            ("Story history", f"Every version, diffs, restore ({key('history', 'f12')})", desk.action_history),
            ("Undo", "Undo the last change in the body (^z; ^y redoes)", desk.undo_in_body),
            (
                "Recover kept drafts",
                "Unsaved text a crash or a Later kept in the recovery journal, one by one",
                desk.editing.offer_recovery,
            ),
            ("Next check", f"Go to the next copy-desk finding ({key('next-finding', '^g')})", desk.action_next_finding),
            (
                "Fix this check",
                f"Apply the highlighted finding's safe fix ({key('fix-finding', '^r')})",
                desk.action_fix_finding,
            ),
            ("Fix all checks", f"Apply every safe copy-desk fix at once ({key('fix-all', '^t')})", desk.action_fix_all),
            (
                "Spelling suggestions",
                f"Suggestions for the misspelt word at the cursor; replace it ({key('spelling', 'f7')})",
                desk.action_spelling,
            ),
            (
                "Add word to desk dictionary",
                f"The whole desk accepts the word at the cursor ({key('spelling-add-desk', 'ctrl+F7')})",
                desk.action_spelling_add_desk,
            ),
            (
                "Add word to my words",
                f"Your own list accepts the word at the cursor ({key('spelling-add-personal', 'shift+F7')})",
                desk.action_spelling_add_personal,
            ),
            (
                "Ignore word in this story",
                f"Stop flagging the word at the cursor in this story, for every editor ({key('spelling', 'f7')} i)",
                desk.action_spelling_ignore,
            ),
            ("Quit", f"Leave newsroom, asking first about unsaved changes ({key('quit', '^q')})", self.action_quit),
            (
                "Change theme",
                "The desk's look: newsroom-dark, newsroom-light, or one of Textual's (theme = … in the config)",
                self.action_change_theme,
            ),
        ]
        for title, help_text, callback in commands:
            yield SystemCommand(title, help_text, callback)
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Keys", "Theme"):
                yield command

    def action_help(self) -> None:
        """F1: the keys for where the editor is (the focused pane, a dialog), then the rest."""
        from newsroom_tui.tui.screens.help import HelpScreen, where

        if isinstance(self.screen, HelpScreen):
            return
        from newsroom_tui.tui.screens.archive_search import ArchiveSearchScreen

        area = where(self.focused) if self.screen is self.desk else "dialogs"
        if isinstance(self.screen, ArchiveSearchScreen):
            area = "search"
        self.push_screen(HelpScreen(area, self.desk, self.desk.query("FindBar")))

    async def action_quit(self) -> None:
        """Quit, asking first when the open story has unsaved changes."""
        if not isinstance(self.screen, DeskScreen) and self.screen.is_modal:
            return
        self.desk.editing.when_safe_to_leave("quit", lambda: self.exit(0))
