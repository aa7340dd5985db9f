"""The desk: story list, body editor and metadata form on one screen.

Wide terminals show the three panes side by side; below 110 columns one pane shows at a time and
F2/F3/F4 switch between them, so 80×24 stays readable.  All story logic lives in the domain modules;
this screen only moves values between them and the widgets.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import operator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from newsroom_tui.domain.errors import LockError, RecoveryError
from newsroom_tui.domain.listing import StoryRow, filter_rows
from newsroom_tui.domain.model import READING_WORDS_PER_MINUTE, Status, Story, count_words, new_id, validate
from newsroom_tui.storage.store import ConflictError, SlugTakenError, StoreError
from newsroom_tui.text.safety import clean_text
from newsroom_tui.tui.widgets.key_bar import KeyBar
from newsroom_tui.tui.widgets.story_editor import BodyEditor, SafeInput
from newsroom_tui.tui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.timer import Timer

    from newsroom_tui.domain.copydesk import Finding
    from newsroom_tui.storage.store import JournalPosition
    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.widgets.checks_panel import ChecksPanel
    from newsroom_tui.tui.widgets.find_bar import FindBar
    from newsroom_tui.tui.widgets.metadata_form import MetadataForm

NARROW_WIDTH = 110
EDITOR_HINT = (
    "Enter opens the story under the cursor in the list.\n"
    "ctrl+n begins a fresh one.\n"
    "ctrl+p lists everything the desk can do."
)
COUNTS_DELAY = 0.25  # seconds after the last keystroke
STATUS_FILTERS: list[Status | None] = [None, *Status]
PANES = ("list-pane", "editor-pane", "metadata-pane")


def _short(reason: str | None) -> str | None:
    """The first clause of a workflow refusal: enough for a menu line (the full sentence shows on use)."""
    return reason.split(";")[0] if reason else None


def display_path(path: Path) -> str:
    """The store's path as an editor would type it: under the home folder as ~/…"""
    try:
        return "~/" + str(path.expanduser().resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(path)


def waits_for_open(action: Callable[..., Any]) -> Callable[..., Any]:
    """For a desk action: while a story is still being opened, run it once the story is open, in
    the order its key was typed, instead of refusing it.

    Over SSH keys arrive in bursts: Enter, the first words and F3 can all be read before the first
    story has been opened (the store and the editing widgets come with it).
    """

    @functools.wraps(action)
    def deferring(self: DeskScreen, *args: Any) -> Any:
        if not self.ready and self._waiting_for_ready:
            self._in_order(functools.partial(action, self, *args))
            return None
        return action(self, *args)

    return deferring


class DeskScreen(Screen[None]):
    """One screen for the desk's day: pick a story, edit it, check its metadata, save."""

    # Key order matters over SSH, where keys arrive in bursts.  Textual hands each key to the
    # widget focused when the app reads it, and runs a *priority* binding at once, ahead of keys
    # still queued for that widget.  So: actions that read or save the text (ctrl+s, F5) are
    # ordinary bindings and run after the keys typed before them; actions that move the focus
    # (F2/F3/F4, ctrl+l, ctrl+n) are priority bindings, so the keys typed after them go where
    # the editor meant them to.
    BINDINGS = [
        Binding("ctrl+n", "new_story", "New", id="new-story", priority=True, show=False),
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("f2", "show_pane('list-pane')", "List", id="show-stories", priority=True),
        Binding("f3", "show_pane('editor-pane')", "Body", id="show-body", priority=True),
        Binding("f4", "show_pane('metadata-pane')", "Meta", id="show-metadata", priority=True),
        Binding("f5", "preview", "View", id="preview"),  # "View": the footer must fit 80 columns
        Binding("f8", "cycle_status_filter", "Status", id="status-filter", show=False),
        Binding("f9", "publish", "Publish", id="publish"),
        Binding("f10", "desk_actions", "Menu", id="desk-actions"),
        Binding("f12", "history", "History", id="history", show=False),
        Binding("ctrl+l", "focus_filter", "Filter", id="filter", show=False, priority=True),
        Binding("ctrl+f", "find", "Find", id="find", show=False, priority=True),
        Binding("ctrl+o", "external_editor", "$EDITOR", id="external-editor", show=False),
        Binding("ctrl+g", "next_finding", "Next check", id="next-finding", show=False),
        Binding("ctrl+r", "fix_finding", "Fix", id="fix-finding", show=False),
        Binding("ctrl+t", "fix_all", "Fix all", id="fix-all", show=False),
    ]
    AUTO_FOCUS = "#story-list"  # focused before the first frame: moving it later restyles and repaints
    CHECKS_DELAY = 0.4  # seconds after the last keystroke before the copy desk looks again

    def __init__(self, open_story_id: str | None = None) -> None:
        super().__init__()
        self.open_story_id = open_story_id
        self.all_rows: list[StoryRow] = []
        self.status_filter: Status | None = None
        self.story: Story | None = None  # the stored version of the open story (version 0: new)
        self.dirty = False
        self.shown_count = 0
        self.active_pane = "list-pane"
        self.findings: list[Finding] = []
        self._checks_timer: Timer | None = None
        self._autosave_timer: Timer | None = None
        self._counts_timer: Timer | None = None
        self.read_only = False  # another editor holds the lock (or took it from us)
        self._journal_warned = False
        self._recovered_files: dict[str, Path] = {}  # drafts recovered at start, removed once saved
        self.ready = False  # the store is read and the editing widgets are mounted (`when_ready`)
        self._building = False
        self._store_read = asyncio.Event()
        self._reading_store = False
        self._row_cache_at: JournalPosition | None = None  # where the row cache was last written
        self._header_width = -1  # the list header is drawn for this width
        self._waiting_for_ready: list[Callable[[], object]] = []

    @property
    def desk_app(self) -> NewsroomApp:
        return self.app  # type: ignore[return-value]

    # The editing widgets exist once `ready` (see `_build_editing_widgets`); their modules are imported
    # then, not at start-up.
    @property
    def form(self) -> MetadataForm:
        return cast("MetadataForm", self.query_one("#metadata"))

    @property
    def checks_panel(self) -> ChecksPanel:
        return cast("ChecksPanel", self.query_one("#checks"))

    @property
    def find_bar(self) -> FindBar:
        return cast("FindBar", self.query_one("#find-bar"))

    # -- layout -------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # Classes and disabled states are set before mounting: changing them afterwards restyles the
        # whole tree once per change, which was a fifth of the start-up time (measured).
        self.add_class("-browsing")
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        with Horizontal(id="panes"):
            with Vertical(id="list-pane", classes="pane -active"):
                with Horizontal(id="filter-bar"):
                    yield SafeInput(placeholder="Type to filter…", id="filter", compact=True)
                    yield Static("all", id="status-filter", markup=False)
                yield Static("", id="list-header", markup=False)
                yield StoryList(self.desk_app.settings.zone, id="story-list")
            with Vertical(id="editor-pane", classes="pane"):
                yield Static("", id="lock-banner", markup=False)
                yield Static("", id="editor-title", markup=False)
                yield Static(EDITOR_HINT, id="editor-hint", markup=False)
                yield Static("", id="body-counts", markup=False)
            # The body editor, the metadata form and the checks come with the first story opened
            # (`_build_editing_widgets`); the find bar with the first ctrl+f.
            yield Vertical(id="metadata-pane", classes="pane")
        yield Static("", id="status-line", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        for pane_id, title in (
            ("list-pane", "Stories F2"),
            ("editor-pane", "Body F3"),
            ("metadata-pane", "Metadata F4"),
        ):
            self.query_one(f"#{pane_id}").border_title = title
        cached = self.desk_app.first_rows
        if self.desk_app.store_loaded or cached is None:
            self.reload_rows()
        else:
            self.all_rows = cached.rows
            self.apply_filter()
        self._update_list_header()
        self._update_title()
        self.watch(self.query_one("#filter", Input), "value", self._filter_changed, init=False)
        if self.open_story_id is not None:
            story_id = self.open_story_id
            self.when_ready(lambda: self.open_story(story_id))
        self.set_timer(0.5, self._after_first_screen)  # in case the list is never drawn (a tiny terminal)

    @on(StoryList.Painted)
    def _after_first_screen(self) -> None:
        """The first screen is out (the list posts `Painted` while it is drawn, handled after the frame
        is written): read the store now, not before, so its thread does not slow that frame down."""
        if not self._reading_store:
            self._reading_store = True
            self.run_worker(self._read_the_store(), name="read-store", group="store")

    async def _read_the_store(self) -> None:
        """Once the list is on screen: read the whole store (in a thread), then offer recovered drafts.

        Started from the row cache the list already shows the stories; the store brings their full
        text, and its rows replace the cached ones (the same objects wherever nothing changed).
        """
        store = await self.desk_app.load_store()
        if store is None:
            return  # the app is exiting with the store's message
        if self.desk_app.first_rows is not None:
            self.reload_rows(keep_story_id=self.query_one(StoryList).highlighted_id)
        self._store_read.set()
        self._refresh_lock_marks()  # other editors' marks: the lock book is loaded now, not before the list
        self.offer_recovery()
        cached = self.desk_app.first_rows
        self._row_cache_at = cached.position if cached is not None else None
        self._keep_row_cache_current()

    def _keep_row_cache_current(self) -> None:
        """Rewrite the row cache (in a thread, from the rows in memory) when the next start would
        ignore it or read a long tail: none yet, a compaction replaced the journal (every few
        thousand saves at 10,000 stories), or a day of saves piled up behind it.  A `pread` of 64
        bytes when there is nothing to do; called after the store changed."""
        from newsroom_tui.storage.rowcache import needs_rewriting

        store = self.desk_app.store
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

    def _start_building(self) -> None:
        if not self._building:
            self._building = True
            self.run_worker(self._build_editing_widgets(), name="build", group="build")

    async def _build_editing_widgets(self) -> None:
        """Mount the metadata form and the checks when a story first opens; then whatever waited runs.

        They are half the desk's widgets and the first screen shows none of them; mounting them after
        it repainted the whole screen (Textual restyles everything when new widget types arrive), so
        they come with the first story, which repaints the panes anyway.  The store must be read first.
        """
        await self._store_read.wait()
        from newsroom_tui.tui.widgets.checks_panel import ChecksPanel
        from newsroom_tui.tui.widgets.metadata_form import MetadataForm

        settings = self.desk_app.settings
        await self.query_one("#editor-pane").mount(BodyEditor(id="body", disabled=True), before="#body-counts")
        await self.query_one("#editor-hint").remove()
        await self.query_one("#metadata-pane").mount_all(
            [
                MetadataForm(
                    desks=settings.desks,
                    limits={"headline": settings.headline_limit, "summary": settings.summary_limit},
                    slug_owner=self.desk_app.store.slug_owner,
                    id="metadata",
                    disabled=True,
                ),
                Static("", id="checks-title", markup=False),
                ChecksPanel(id="checks"),
            ]
        )
        self.ready = True
        waiting, self._waiting_for_ready = self._waiting_for_ready, []
        for callback in waiting:
            self._run_callback(callback)

    def _in_order(self, callback: Callable[[], object]) -> None:
        """`when_ready(callback)`, after the keys already typed into the list are handled: they reach
        the desk through the list's message queue (`TypedAhead`, `Opened`), and so does this."""
        self.query_one(StoryList).post_message(StoryList.Relay(callback))

    @on(StoryList.Relay)
    def _relayed(self, event: StoryList.Relay) -> None:
        self.when_ready(event.callback)

    def _run_callback(self, callback: Callable[[], object]) -> None:
        result = callback()
        if inspect.isawaitable(result):
            self.run_worker(result)  # an async action (find) deferred until the story was open

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Run `callback` now if the store is read and the editing widgets are mounted, else as soon
        as they are (the first story opened mounts them)."""
        if self.ready:
            self._run_callback(callback)
        else:
            self._waiting_for_ready.append(callback)
            self._start_building()

    def on_resize(self) -> None:
        self._update_layout(self.size.width)

    def _update_layout(self, width: int) -> None:
        self.set_class(width < NARROW_WIDTH, "-narrow")
        self._update_list_header()

    def _enable_editing(self, enabled: bool) -> None:
        """Body and form take input only once a story is open, so no keystroke lands nowhere."""
        self.query_one(BodyEditor).disabled = not enabled
        self.form.disabled = not enabled

    def _update_list_header(self) -> None:
        story_list = self.query_one(StoryList)
        width = story_list.size.width or self.size.width
        if width != self._header_width:  # resizes come in several steps at start-up: draw it once
            self._header_width = width
            self.query_one("#list-header", Static).update(story_list.header_text(width), layout=False)

    def _set_active_pane(self, pane_id: str) -> None:
        if pane_id == self.active_pane:
            return
        self.active_pane = pane_id
        for pane in PANES:
            self.query_one(f"#{pane}").set_class(pane == pane_id, "-active")
        # Browsing the queue, the list takes the room the metadata form had, for its columns.
        self.set_class(pane_id == "list-pane", "-browsing")

    def on_descendant_focus(self, event: object) -> None:
        focused = self.focused
        node: Widget | None = focused
        while node is not None and node is not self:
            if node.id in PANES:
                self._set_active_pane(node.id)
                break
            node = node.parent  # type: ignore[assignment]

    # -- the list -----------------------------------------------------------------------------------
    def reload_rows(self, keep_story_id: str | None = None) -> None:
        rows = self.desk_app.store.story_rows(previous=self.all_rows)
        if len(rows) == len(self.all_rows) and all(map(operator.is_, rows, self.all_rows)):
            return  # the same rows (the store read after the row cache, mostly): nothing to redraw
        self.all_rows = rows
        self.apply_filter(keep_story_id)

    def apply_filter(self, keep_story_id: str | None = None) -> None:
        query = self.query_one("#filter", Input).value
        rows = filter_rows(self.all_rows, query, self.status_filter)
        self.query_one(StoryList).set_rows(rows, keep_story_id=keep_story_id)
        self._update_status_line(len(rows))

    def _update_status_line(self, shown: int | None = None) -> None:
        """The bottom line: the unsaved marker (visible whichever pane shows), counts, the store."""
        total = len(self.all_rows)
        if shown is not None:
            self.shown_count = shown
        shown = self.shown_count
        line = Text()
        if self.dirty:
            line.append(" ● unsaved ", style="bold yellow")
        if self.story is not None and self.findings:
            line.append(f" ⚑ {len(self.findings)} checks ", style="yellow")
        line.append(f" {shown} of {total} stories" if shown != total else f" {total} stories", style="dim")
        line.append(f" · {display_path(self.desk_app.settings.db_path)}", style="dim")
        self.query_one("#status-line", Static).update(line, layout=False)  # one fixed line

    def _filter_changed(self) -> None:
        """Watched on the filter box's value, so the list is filtered while the key is handled and
        the box and the list are drawn in one frame (through `Input.Changed` they took two)."""
        self.apply_filter()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.set_focus(self.query_one(StoryList))

    @on(StoryList.Resized)
    def _list_resized(self) -> None:
        self._update_list_header()

    @on(StoryList.TypedAhead)
    def _typed_ahead(self, event: StoryList.TypedAhead) -> None:
        """A character typed in the list.  Over SSH keys arrive in bursts, so it may have been typed
        after Enter or ctrl+n, meant for the story: it goes where the focus is now, or waits for the
        story still being opened; otherwise it starts a filter."""
        if not self.ready and self._waiting_for_ready:
            self._waiting_for_ready.append(functools.partial(self._deliver_typed, event.character))
            return
        self._deliver_typed(event.character)

    def _deliver_typed(self, text: str) -> None:
        focused = self.focused
        if isinstance(focused, TextArea):
            if not focused.read_only:
                focused.insert(text)
        elif isinstance(focused, Input):
            focused.insert_text_at_cursor(text)
        elif text.strip():  # a filter does not start with a space
            box = self.query_one("#filter", Input)
            self.set_focus(box)
            box.insert_text_at_cursor(text.lstrip())

    def key_escape(self) -> None:
        """Escape in the filter box clears it and goes back to the list."""
        box = self.query_one("#filter", Input)
        if self.focused is box:
            box.value = ""
            self.set_focus(self.query_one(StoryList))

    @waits_for_open
    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one("#filter", Input))

    def action_cycle_status_filter(self) -> None:
        index = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(index + 1) % len(STATUS_FILTERS)]
        label = self.status_filter.value if self.status_filter else "all"
        self.query_one("#status-filter", Static).update(label)
        self.apply_filter()

    @on(StoryList.Opened)
    def _open_from_list(self, event: StoryList.Opened) -> None:
        if self.story is not None and event.story_id == self.story.id:
            self.set_focus(self.query_one(BodyEditor))
            return
        self.when_safe_to_leave("open another story", lambda: self.open_story(event.story_id))

    # -- opening and editing ------------------------------------------------------------------------
    def open_story(self, story_id: str) -> None:
        if not self.ready:
            self.when_ready(lambda: self.open_story(story_id))
            return
        try:
            story = self.desk_app.store.get(story_id)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.load(story)
        self.query_one(StoryList).move_to(story.id)
        self.set_focus(self.query_one(BodyEditor))

    def load(self, story: Story) -> None:
        """Show `story` for editing: take its lock, or show it read-only when another editor has it."""
        self._release_current_lock(keeping=story.id)
        self.story = story
        self._enable_editing(True)
        holder = self._take_lock(story.id)
        # The editor and the inputs draw text as it is, so what an older tool or a hand edit left in the
        # store (escape sequences, C1 controls, bidi overrides) is cleaned before it reaches them.
        hazardous = story.has_terminal_control()
        shown = story.cleaned() if hazardous else story
        editor = self.query_one(BodyEditor)
        with editor.prevent(TextArea.Changed):
            editor.load_text(shown.body)
        self.form.load(shown)
        self.dirty = False
        self._update_title()
        self._update_status_line()
        self._update_body_counts()
        self.run_checks()
        self._set_read_only(holder)
        if hazardous:
            self._refresh_dirty()
            self.notify(
                "Removed terminal control characters this story had in the store; save to keep it clean.",
                severity="warning",
                timeout=8,
            )

    # -- locks: who has which story open ---------------------------------------------------------------
    def _take_lock(self, story_id: str) -> str | None:
        """Lock the story for this editor; the holder's description when someone else has it."""
        locks = self.desk_app.locks
        try:
            result = locks.acquire(story_id)
        except LockError as error:
            self.notify(
                f"Could not check the story locks ({error}); saving still refuses to overwrite.",
                severity="warning",
                markup=False,
            )
            return None
        if result.ok:
            return None
        return result.lock.describe(self.desk_app.settings.zone)

    def _release_current_lock(self, keeping: str | None = None) -> None:
        if self.story is not None and self.story.id != keeping and not self.read_only:
            with contextlib.suppress(LockError):
                self.desk_app.locks.release(self.story.id)

    def _set_read_only(self, holder: str | None, *, lost: bool = False) -> None:
        """Read-only while another editor holds the story: say who, and how to take it over."""
        self.read_only = holder is not None
        self.query_one(BodyEditor).read_only = self.read_only
        self.form.disabled = self.read_only or self.story is None
        banner = self.query_one("#lock-banner", Static)
        if holder is None:
            banner.display = False
            return
        text = Text(" READ-ONLY ", style="bold reverse red")
        if lost:
            text.append(
                f" {holder} took this story over. Your unsaved text is kept as a recoverable draft.", style="bold"
            )
        else:
            text.append(f" {holder} has this story open.", style="bold")
        text.append(" F10 then o takes it over.", style="dim")
        banner.update(text)
        banner.display = True

    @waits_for_open
    def action_take_over(self) -> None:
        if self.story is None or not self.read_only:
            self.notify("You already hold this story.", timeout=3)
            return
        try:
            self.desk_app.locks.take_over(self.story.id)
            latest = self.desk_app.store.get(self.story.id)
        except (LockError, StoreError) as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.read_only = False
        self.load(latest)
        self.notify("You hold the story now; the other editor has been told.", timeout=5)

    def heartbeat(self) -> None:
        """Keep this editor's locks fresh (a dropped session's locks go stale by themselves)."""
        self._heartbeat_worker()

    @work(thread=True, exclusive=True, group="heartbeat")
    def _heartbeat_worker(self) -> None:
        try:
            lost = self.desk_app.locks.heartbeat()
        except LockError:
            return
        if lost:
            self.app.call_from_thread(self._locks_lost, lost)

    def _locks_lost(self, story_ids: list[str]) -> None:
        if self.story is None or self.story.id not in story_ids:
            return
        self.autosave_now()
        holder = self.desk_app.locks.holder(self.story.id)
        who = holder.describe(self.desk_app.settings.zone) if holder else "Another editor"
        self._set_read_only(who, lost=True)
        self.notify(
            f"{who} took this story over; your unsaved text is kept as a recoverable draft.",
            severity="warning",
            markup=False,
            timeout=15,
        )

    # -- autosave to the recovery journal --------------------------------------------------------------
    def _schedule_autosave(self) -> None:
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(self.desk_app.settings.autosave_seconds, self.autosave_now)

    def autosave_now(self) -> None:
        """Write the unsaved draft to the per-user journal: never to the store, never a version."""
        if self.story is None or not self.dirty:
            return
        draft = self.current_draft()
        if draft is None:
            return
        try:
            self.desk_app.journal.save_draft(
                draft, base_version=self.story.version, store_path=self.desk_app.settings.db_path
            )
        except RecoveryError as error:
            if not self._journal_warned:
                self._journal_warned = True
                self.notify(str(error), severity="warning", markup=False, timeout=15)

    def offer_recovery(self) -> None:
        """At start-up: drafts a session left unsaved (crash, kill, dropped SSH) are offered one by one."""
        from newsroom_tui.storage import drafts as recovery

        journal = self.desk_app.journal
        try:
            scan = journal.scan(self.desk_app.settings.db_path)
        except RecoveryError as error:
            self.notify(str(error), severity="warning", markup=False)
            return
        for problem in scan.problems:
            self.notify(getattr(problem, "message", str(problem)), severity="warning", markup=False)
        pending = []
        for draft in scan.drafts:
            try:
                stored = self.desk_app.store.get(draft.story_id)
            except StoreError:
                stored = None
            if recovery.draft_is_saved(draft, stored):
                with contextlib.suppress(RecoveryError):
                    journal.discard_file(draft.path)
            else:
                pending.append((draft, stored))
        self._offer_next(pending)

    def _offer_next(self, pending: list) -> None:
        from newsroom_tui.tui.screens.recovery import RecoveryScreen

        if not pending:
            return
        draft, stored = pending[0]
        description = draft.describe(self.desk_app.settings.zone)

        def decided(choice: str | None) -> None:
            if choice == "recover":
                self.when_ready(lambda: self._recover(draft, stored))
                return  # the recovered story is open; the rest wait for the next start
            if choice == "discard":
                with contextlib.suppress(RecoveryError):
                    self.desk_app.journal.discard_file(draft.path)
            self._offer_next(pending[1:])

        self.app.push_screen(RecoveryScreen(draft, stored, description), decided)

    def _recover(self, draft: object, stored: Story | None) -> None:
        """Open the recovered words as unsaved changes on top of the version they started from."""
        recovered: Story = draft.story  # type: ignore[attr-defined]
        base_version: int = draft.base_version  # type: ignore[attr-defined]
        self._recovered_files[recovered.id] = draft.path  # type: ignore[attr-defined]
        base = (
            stored.copy(version=base_version) if stored is not None else recovered.copy(version=0, headline="", body="")
        )
        self.load(base)
        self.query_one(BodyEditor).replace_whole_text(recovered.body)
        form = self.form
        form.load(recovered.copy(version=base_version))
        self.story = base
        self._refresh_dirty()
        self.query_one(StoryList).move_to(base.id)
        # After the dialog closes, focus would return to the list, and typing would filter it.
        self.call_after_refresh(self.action_show_pane, "editor-pane")
        self.notify(
            "Recovered the unsaved text; ctrl+s saves it (a newer version in the store will be shown "
            "side by side first).",
            timeout=8,
        )

    def action_new_story(self) -> None:
        self.when_safe_to_leave("start a new story", self._start_new_story)

    def _start_new_story(self) -> None:
        if not self.ready:
            self._in_order(self._start_new_story)  # ctrl+n runs at once; the headline typed after it waits
            return
        self._release_current_lock()
        settings = self.desk_app.settings
        self.load(Story(created_by=settings.user, updated_by=settings.user))
        self.set_focus(self.form.input("headline"))

    @on(TextArea.Changed, "#body")
    def _body_changed(self) -> None:
        self._refresh_dirty()
        self._schedule_counts()
        self._schedule_checks()

    def _schedule_counts(self) -> None:
        """Counts follow typing a moment later: repainting them on every key doubled the bytes a keystroke
        sends over SSH, and nobody reads a word count mid-word."""
        if self._counts_timer is not None:
            self._counts_timer.stop()
        self._counts_timer = self.set_timer(COUNTS_DELAY, self._update_body_counts)

    def _update_body_counts(self) -> None:
        """Words, characters and reading time (Superdesk's 250 words a minute) under the body."""
        text = self.query_one(BodyEditor).text
        words = count_words(text)
        minutes = -(-words // READING_WORDS_PER_MINUTE) if words else 0
        line = Text(f" {words:,} words · {len(text):,} characters · {minutes} min read", style="dim")
        self.query_one("#body-counts", Static).update(line, layout=False)

    def on_metadata_form_edited(self, event: MetadataForm.Edited) -> None:
        self._refresh_dirty()
        if event.field in ("headline", "summary", "language"):
            self._schedule_checks()
        if event.field == "headline":
            self._update_title()

    def _refresh_dirty(self) -> None:
        """Unsaved means: what the editor shows differs from the stored version.

        Compared, not flagged per event: a change message can arrive after a save that already
        included it (keys typed fast over SSH), and undoing back to the saved text is clean again.
        """
        if self.story is None:
            return  # the form is disabled until a story is open; this is Select settling on mount
        draft = self.current_draft()
        self.set_dirty(draft is not None and draft != self.story)
        if self.dirty:
            self._schedule_autosave()

    def set_dirty(self, dirty: bool) -> None:
        if dirty == self.dirty:
            return  # most keystrokes change nothing here: redraw nothing
        self.dirty = dirty
        self._update_title()
        self._update_status_line()

    def _update_title(self) -> None:
        title = Text()
        if self.story is None:
            title.append(" No story open", style="dim")
        else:
            headline = self.form.input("headline").value or "(new story)"
            if self.dirty:
                title.append(" ● unsaved", style="bold yellow")
            elif self.story.is_new:
                title.append(" ○ new story", style="yellow")
            else:
                title.append(" ✓ saved", style="green")
            title.append(f" · {self.story.status.value} · v{self.story.version} · ", style="dim")
            title.append(headline, style="bold")
        self.query_one("#editor-title", Static).update(title, layout=False)  # one fixed line

    def current_draft(self) -> Story | None:
        """The open story as the editor sees it now, unsaved changes included."""
        if self.story is None:
            return None
        body = clean_text(self.query_one(BodyEditor).text)
        # Runs on every keystroke (the unsaved marker): the stored body is replaced, so don't clean it too.
        return self.form.apply_to(self.story.copy(body="")).copy(body=body)

    # -- saving -------------------------------------------------------------------------------------
    @waits_for_open
    def action_save(self) -> bool:
        """Save the open story; returns whether it was saved (the quit prompt needs to know)."""
        from newsroom_tui.tui.screens.recovery import ConflictScreen

        draft = self.current_draft()
        if draft is None:
            self.notify("There is no story open to save.", severity="warning")
            return False
        settings = self.desk_app.settings
        form = self.form
        problems = validate(draft, headline_limit=settings.headline_limit, summary_limit=settings.summary_limit)
        clash = form.slug_problem(draft.slug)
        if clash and "slug" not in problems:
            problems["slug"] = clash
        form.show_problems(problems)
        if problems:
            first = next(iter(problems))
            self.notify(
                "Not saved: " + " ".join(problems.values()) + " Your text is still in the editor.",
                severity="error",
                markup=False,
            )
            self._focus_field(first)
            return False
        if self.read_only:
            self.autosave_now()
            self.notify(
                "Not saved: another editor holds this story (F10 then o takes it over). "
                "Your text is kept as a recoverable draft.",
                severity="error",
                markup=False,
                timeout=10,
            )
            return False
        if not draft.is_new and not self.desk_app.locks.still_mine(draft.id):
            self._locks_lost([draft.id])
            return False
        try:
            saved = self.desk_app.store.save(draft, user=settings.user)
        except SlugTakenError as error:
            form.show_problems({"slug": str(error)})
            self.notify(f"Not saved: {error}", severity="error", markup=False)
            return False
        except ConflictError as error:
            self.autosave_now()
            self.app.push_screen(ConflictScreen(draft, error.theirs), lambda choice: self._resolve(choice, draft))
            return False
        except StoreError as error:  # a full disk, a read-only folder, a damaged store
            self.autosave_now()
            self.notify(
                f"Not saved: {error} Your text is still in the editor (and in the recovery journal where "
                "the disk allows).",
                severity="error",
                markup=False,
                timeout=15,
            )
            return False
        self._saved(saved)
        self.notify(f"Saved “{saved.headline}” (version {saved.version}).", markup=False, timeout=3)
        return True

    def _saved(self, saved: Story) -> None:
        self.story = saved
        self.form.saved(saved)
        self._refresh_dirty()
        self._replace_row(saved)
        with contextlib.suppress(RecoveryError):
            self.desk_app.journal.discard(saved.id)
            recovered_file = self._recovered_files.pop(saved.id, None)
            if recovered_file is not None:
                self.desk_app.journal.discard_file(recovered_file)

    def _resolve(self, choice: str | None, mine: Story) -> None:
        """The conflict dialog's answer: keep mine on top, take theirs, or save mine as a copy."""
        from newsroom_tui.text.slugs import alternative_slugs

        store = self.desk_app.store
        user = self.desk_app.settings.user
        try:
            theirs = store.get(mine.id)
            if choice == "mine":
                saved = store.save(mine.copy(version=theirs.version), user=user)
                self._saved(saved)
                self.notify(f"Saved yours on top of {theirs.updated_by}'s as version {saved.version}.", markup=False)
            elif choice == "theirs":
                self.desk_app.journal.save_draft(
                    mine, base_version=mine.version, store_path=self.desk_app.settings.db_path
                )
                self.load(theirs)
                self.notify(
                    "Took their version; yours is kept as a recoverable draft (offered at next start).",
                    markup=False,
                    timeout=8,
                )
            elif choice == "copy":
                slug_taken = lambda slug: store.slug_owner(slug) is not None  # noqa: E731
                slug = (alternative_slugs(mine.slug, slug_taken, count=1) or [""])[0]
                copy = mine.copy(
                    id=new_id(),
                    version=0,
                    slug=slug,
                    slug_set_by_hand=True,
                    status=Status.DRAFT,
                    history=[],
                    published_at=None,
                    previous_status=None,
                )
                saved = store.save(copy, user=user)
                self.load(saved)
                self._replace_row(saved)
                self.notify(f"Saved yours as a new story, {saved.slug}; theirs is untouched.", markup=False)
        except (StoreError, RecoveryError) as error:
            self.notify(
                f"Not saved: {error} Your text is still in the editor.", severity="error", markup=False, timeout=15
            )

    def _focus_field(self, name: str) -> None:
        if self.size.width < NARROW_WIDTH:
            self._set_active_pane("metadata-pane")
        form = self.form
        if name == "language":
            self.set_focus(self.query_one("#field-language"))
        else:
            self.set_focus(form.input(name))

    def _replace_row(self, story: Story) -> None:
        """After this desk saved `story` (a save, an action, a restore)."""
        self.all_rows = [row for row in self.all_rows if row.id != story.id]
        self.all_rows.insert(0, StoryRow.from_story(story))
        self.apply_filter(keep_story_id=story.id)
        self._keep_row_cache_current()

    # -- other processes' writes ---------------------------------------------------------------------
    def poll_store(self) -> None:
        """Pick up stories saved by other editors; costs a `stat` when nothing changed."""
        if not self.is_mounted or not self.query(StoryList) or not self.desk_app.store_loaded:
            return  # the timer can fire while the app is closing, or before the store is read
        try:
            changed = self.desk_app.store.refresh()
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if changed:
            self.reload_rows(keep_story_id=self.query_one(StoryList).highlighted_id)
            self._keep_row_cache_current()
        self._refresh_lock_marks()

    def _refresh_lock_marks(self) -> None:
        """Who else has which story open, marked in the list (re-read only when the lock file changed)."""
        locks = self.desk_app.locks
        try:
            marks = {story_id: lock.user for story_id, lock in locks.all_locks().items() if not locks.is_mine(lock)}
        except LockError:
            return
        self.query_one(StoryList).set_lock_marks(marks)

    # -- panes, preview -----------------------------------------------------------------------------
    @waits_for_open
    def action_show_pane(self, pane_id: str) -> None:
        if pane_id != "list-pane" and self.story is None:
            self.notify("No story is open: Enter opens the one under the cursor, ctrl+n starts one.")
            return
        self._set_active_pane(pane_id)
        if pane_id == "list-pane":
            self.set_focus(self.query_one(StoryList))
        elif pane_id == "editor-pane":
            self.set_focus(self.query_one(BodyEditor))
        else:
            form = self.form
            self.set_focus(form.input("headline"))

    @waits_for_open
    def action_preview(self) -> None:
        from newsroom_tui.tui.screens.preview import PreviewScreen

        draft = self.current_draft()
        if draft is None:
            self.notify("Open a story to preview it.", severity="warning")
            return
        settings = self.desk_app.settings
        from newsroom_tui.tui.render import render_article  # Rich's Markdown and markdown-it: only when previewing

        article = render_article(
            draft,
            masthead=settings.masthead(draft.language),
            edition_city=settings.edition_city(draft.language),
            zone=settings.zone,
            edition_date=self.desk_app.clock(),
        )
        self.app.push_screen(PreviewScreen(article))

    # -- the copy desk's checks -----------------------------------------------------------------------
    def _schedule_checks(self) -> None:
        """Check again once typing pauses, so a long story never slows a keystroke."""
        if self._checks_timer is not None:
            self._checks_timer.stop()
        self._checks_timer = self.set_timer(self.CHECKS_DELAY, self.run_checks)

    def run_checks(self) -> None:
        from newsroom_tui.domain.copydesk import check_text

        if self.story is None:
            return
        config = self.desk_app.copydesk_config
        form = self.form
        language = str(self.query_one("#field-language").value) if self.story else "en"
        findings = [
            *check_text(form.input("headline").value, "headline", config, language),
            *check_text(form.input("summary").value, "summary", config, language),
            *check_text(self.query_one(BodyEditor).text, "body", config, language),
        ]
        self.findings = findings
        self.checks_panel.show(findings)
        fixable = sum(1 for finding in findings if finding.fix is not None)
        title = Text(f" Checks: {len(findings)}", style="bold")
        if findings:
            title.append(f" · {fixable} fixable (ctrl+t)", style="dim")
        self.query_one("#checks-title", Static).update(title, layout=False)
        self._update_status_line()

    def _field_text(self, field: str) -> str:
        if field == "body":
            return self.query_one(BodyEditor).text
        return self.form.input(field).value

    def _go_to(self, finding: Finding) -> None:
        """Put the cursor on the finding: in the body editor, or in the headline/summary field."""
        if finding.field == "body":
            editor = self.query_one(BodyEditor)
            self._set_active_pane("editor-pane")
            editor.move_cursor((finding.line - 1, finding.column - 1), center=True)
            self.set_focus(editor)
        else:
            box = self.form.input(finding.field)
            self._set_active_pane("metadata-pane")
            self.set_focus(box)
            box.cursor_position = finding.column - 1

    def on_checks_panel_chosen(self, event: ChecksPanel.Chosen) -> None:
        self._go_to(event.finding)

    @waits_for_open
    def action_next_finding(self) -> None:
        """The next finding after the cursor, in reading order (headline, summary, body), wrapping."""
        self.run_checks()
        if not self.findings:
            self.notify("No checks to look at: the copy is clean.", timeout=3)
            return
        panel = self.checks_panel
        current = panel.highlighted
        index = 0 if current is None or (self.focused is not panel and current is None) else (current + 1)
        if self.focused is self.query_one(BodyEditor):
            row, column = self.query_one(BodyEditor).cursor_location
            after = [
                i
                for i, f in enumerate(self.findings)
                if f.field == "body" and (f.line - 1, f.column - 1) > (row, column)
            ]
            index = after[0] if after else 0
        index %= len(self.findings)
        panel.highlighted = index
        self._go_to(self.findings[index])

    @waits_for_open
    def action_fix_finding(self) -> None:
        """Apply the fix of the highlighted finding (an undoable edit in the body)."""
        from newsroom_tui.text.search import offset_to_location

        if not self.ready or self.story is None:
            self.notify("Open a story to fix its copy.", timeout=3)
            return
        panel = self.checks_panel
        finding = panel.selected_finding
        if finding is None or finding.fix is None:
            self.notify("The highlighted check has no safe fix; it needs an editor's judgement.", timeout=4)
            return
        start, end, replacement = finding.fix
        if finding.field == "body":
            editor = self.query_one(BodyEditor)
            text = editor.text
            editor.history.checkpoint()
            editor.replace(replacement, offset_to_location(text, start), offset_to_location(text, end))
            editor.history.checkpoint()
        else:
            box = self.form.input(finding.field)
            box.value = box.value[:start] + replacement + box.value[end:]
        self.run_checks()

    @waits_for_open
    def action_fix_all(self) -> None:
        """Every safe fix at once: the body as one undo step, the headline and summary in place."""
        from newsroom_tui.domain.copydesk import fix_text

        if self.story is None:
            return
        config = self.desk_app.copydesk_config
        language = str(self.query_one("#field-language").value)
        editor = self.query_one(BodyEditor)
        fixed_body = fix_text(editor.text, "body", config, language)
        changed = 0
        if fixed_body != editor.text:
            editor.replace_whole_text(fixed_body)
            changed += 1
        form = self.form
        for field in ("headline", "summary"):
            box = form.input(field)
            fixed = fix_text(box.value, field, config, language)
            if fixed != box.value:
                box.value = fixed
                changed += 1
        self.run_checks()
        left = len(self.findings)
        if changed:
            self.notify(f"Applied the safe fixes; {left} checks need a decision (ctrl+z undoes the body).", timeout=4)
        else:
            self.notify(f"Nothing to fix automatically; {left} checks need a decision.", timeout=4)

    # -- publishing and the desk's workflow ----------------------------------------------------------
    ACTION_MENU = (
        ("p", "publish", "Publish"),
        ("s", "submit", "Submit to the desk"),
        ("e", "mark_edited", "Mark as edited (copy-edited, ready)"),
        ("t", "schedule", "Schedule publication"),
        ("d", "deschedule", "Take off the schedule"),
        ("r", "correct", "Correct (republish with a correction note)"),
        ("u", "unpublish", "Unpublish"),
        ("k", "kill", "Kill (withdraw for legal or factual reasons)"),
        ("x", "spike", "Spike (soft-delete)"),
        ("z", "unspike", "Unspike"),
        ("h", "history", "History and restore"),
        ("o", "take_over", "Take over the story from the editor who has it"),
    )

    def _saved_story(self) -> Story | None:
        """The open story as stored, saving first if it has unsaved changes (actions act on what is saved)."""
        if self.story is None:
            self.notify("Open a story first.", severity="warning")
            return None
        if (self.dirty or self.story.is_new) and not self.action_save():
            return None
        return self.story

    @waits_for_open
    def action_desk_actions(self) -> None:
        from newsroom_tui.tui.screens.publishing import DeskAction, DeskActionsScreen

        story = self._saved_story()
        if story is None:
            return
        items = [
            DeskAction(key, action, title, self._menu_refusal(story, action)) for key, action, title in self.ACTION_MENU
        ]
        self.app.push_screen(DeskActionsScreen(story, items), self._desk_action_chosen)

    def _menu_refusal(self, story: Story, action: str) -> str | None:
        from newsroom_tui.domain.workflow import refusal

        if action == "history":
            return None
        if action == "take_over":
            return None if self.read_only else "you hold this story"
        if self.read_only:
            return "another editor holds this story"
        return _short(refusal(story, action))

    def _desk_action_chosen(self, action: str | None) -> None:
        from newsroom_tui.tui.screens.publishing import KillScreen

        if action is None:
            return
        if action == "take_over":
            self.action_take_over()
            return
        if action == "publish":
            self.action_publish()
        elif action == "history":
            self.action_history()
        elif action == "kill":
            self.app.push_screen(
                KillScreen(self.story), lambda reason: reason and self.run_action("kill", reason=reason)
            )
        elif action == "schedule":
            self._ask_schedule()
        elif action == "correct":
            self._ask_correction()
        else:
            self.run_action(action)

    def _targets(self) -> list[str]:
        try:
            from newsroom_tui.delivery import OutboxTarget, load_targets  # urllib and friends: only when used

            targets = load_targets(self.desk_app.settings)
        except Exception as error:  # a bad [targets] table must not stop the dialog
            return [f"(targets not usable: {error})"]
        described = []
        for target in targets:
            if isinstance(target, OutboxTarget):
                described.append(f"outbox {display_path(target.path)} ({', '.join(target.formats)})")
            else:
                described.append(f"{target.name} {getattr(target, 'url', '')}".strip())
        return described

    @waits_for_open
    def action_publish(self) -> None:
        """F9: the checks' result first, then publish on confirmation."""
        from newsroom_tui.domain.checks import publish_checks
        from newsroom_tui.domain.workflow import refusal
        from newsroom_tui.tui.screens.publishing import PublishScreen

        story = self._saved_story()
        if story is None:
            return
        why_not = refusal(story, "publish")
        if why_not:
            self.notify(f"Cannot publish: {why_not}", severity="warning", markup=False)
            return
        result = publish_checks(story, **self._check_args(), now=self.desk_app.clock())
        self.app.push_screen(
            PublishScreen(story, result, self._targets()),
            lambda confirmed: confirmed and self.run_action("publish"),
        )

    def _check_args(self) -> dict[str, object]:
        holder = None
        if self.read_only and self.story is not None:
            lock = self.desk_app.locks.holder(self.story.id)
            holder = lock.describe(self.desk_app.settings.zone) if lock is not None else "Another editor"
        return {
            "slug_owner": self.desk_app.store.slug_owner,
            "headline_limit": self.desk_app.settings.headline_limit,
            "lock_holder": holder,
        }

    def _ask_schedule(self) -> None:
        from newsroom_tui.tui.screens.publishing import PromptScreen

        zone = self.desk_app.settings.zone

        def parse(value: str) -> datetime | str:
            try:
                moment = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=zone)
            except ValueError:
                return "Write the time as YYYY-MM-DD HH:MM, e.g. 2026-11-28 07:30."
            if moment <= self.desk_app.clock():
                return "That time has passed; choose a time in the future."
            return moment

        def validate(value: str) -> str | None:
            result = parse(value)
            return result if isinstance(result, str) else None

        def chosen(value: str | None) -> None:
            if value:
                moment = parse(value)
                if isinstance(moment, datetime):
                    self.run_action("schedule", at=moment)

        self.app.push_screen(
            PromptScreen(
                "Schedule publication",
                f"Publish at (desk time, {zone.key}):",
                placeholder="YYYY-MM-DD HH:MM",
                validate=validate,
            ),
            chosen,
        )

    def _ask_correction(self) -> None:
        from newsroom_tui.tui.screens.publishing import PromptScreen

        self.app.push_screen(
            PromptScreen(
                "Correct a published story",
                "Correction note (readers and partners see it):",
                placeholder="An earlier version misstated the toll for buses.",
                validate=lambda value: None if value.strip() else "A correction needs a note.",
            ),
            lambda note: note and self.run_action("correct", note=note),
        )

    def run_action(self, action: str, **args: object) -> None:
        """Apply a workflow action to the saved story, save it, and deliver it where that matters."""
        from newsroom_tui.domain.workflow import WorkflowError, apply_action

        story = self._saved_story()
        if story is None:
            return
        settings = self.desk_app.settings
        if action in ("publish", "schedule", "correct"):
            args = {**self._check_args(), **args}
        try:
            changed = apply_action(story, action, user=settings.user, now=self.desk_app.clock(), **args)
            saved = self.desk_app.store.save(changed, user=settings.user)
        except (WorkflowError, StoreError) as error:
            self.notify(str(error), severity="error", markup=False, timeout=10)
            return
        self._adopt(saved)
        self.notify(f"“{saved.headline}” is now {saved.status.value} (version {saved.version}).", markup=False)
        if action in ("publish", "correct", "kill", "unpublish"):
            self._deliver(saved)

    def _adopt(self, saved: Story) -> None:
        """The store's new version becomes the open story, without disturbing the editor's cursor."""
        self.story = saved
        self.form.saved(saved)
        self._refresh_dirty()
        self._update_title()
        self._replace_row(saved)

    @work(thread=True, exclusive=False, group="delivery")
    def _deliver(self, saved: Story) -> None:
        """Delivery can wait on a slow webhook: it runs off the UI thread and reports back."""
        settings = self.desk_app.settings
        try:
            from newsroom_tui.delivery import deliver

            results = deliver(saved, settings, now=self.desk_app.clock())
        except Exception as error:  # a bad target must not lose the publish; it is already saved
            self.app.call_from_thread(self.notify, f"Delivery failed: {error}", severity="error", markup=False)
            return
        self.app.call_from_thread(self._deliveries_done, saved.id, results)

    def _deliveries_done(self, story_id: str, results: list) -> None:
        settings = self.desk_app.settings
        for result in results:
            self.notify(
                result.message,
                severity="information" if result.ok else "error",
                markup=False,
                timeout=6 if result.ok else 15,
            )
        try:
            latest = self.desk_app.store.get(story_id)
            from newsroom_tui.delivery import record_deliveries

            recorded = record_deliveries(latest, results, user=settings.user, now=self.desk_app.clock())
            saved = self.desk_app.store.save(recorded, user=settings.user)
        except StoreError as error:
            self.notify(f"Delivered, but the history could not record it: {error}", severity="warning", markup=False)
            return
        if self.story is not None and self.story.id == story_id and not self.dirty:
            self._adopt(saved)

    @waits_for_open
    def action_history(self) -> None:
        from newsroom_tui.tui.screens.history import HistoryScreen

        story = self._saved_story()
        if story is None:
            return
        try:
            revisions = self.desk_app.store.revisions(story.id)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.app.push_screen(HistoryScreen(revisions, self.desk_app.settings.zone), self._restore_chosen)

    def _restore_chosen(self, version: int | None) -> None:
        if version is None or self.story is None:
            return
        try:
            restored = self.desk_app.store.restore(self.story.id, version, user=self.desk_app.settings.user)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.load(restored)
        self._replace_row(restored)
        self.notify(f"Restored version {version} as version {restored.version}.", markup=False)

    # -- find and replace, external editor ------------------------------------------------------------
    @waits_for_open
    async def action_find(self) -> None:
        if self.story is None:
            self.notify("Open a story to search its body.")
            return
        if not self.query("#find-bar"):
            # Made on first use: mounted at start-up it repainted the editor pane for nothing.
            from newsroom_tui.tui.widgets.find_bar import FindBar

            await self.query_one("#editor-pane").mount(FindBar(id="find-bar"), before="#body-counts")
        self._set_active_pane("editor-pane")
        editor = self.query_one(BodyEditor)
        self.find_bar.open(editor.selected_text if "\n" not in editor.selected_text else "")

    def on_find_bar_requested(self, event: FindBar.Requested) -> None:
        editor = self.query_one(BodyEditor)
        bar = self.find_bar
        if event.action == "close":
            self.set_focus(editor)
            return
        if not event.query:
            bar.show_count(None, 0)
            return
        if event.action == "count":
            bar.show_count(None, editor.count(event.query, event.options))
        elif event.action in ("find", "find_previous"):
            number, total = editor.find(event.query, event.options, backwards=event.action == "find_previous")
            bar.show_count(number, total)
        elif event.action == "replace_one":
            if not editor.replace_selected_match(event.query, event.replacement, event.options):
                self.notify("Enter finds a match first; ctrl+r then replaces it.", timeout=3)
            number, total = editor.find(event.query, event.options)
            bar.show_count(number, total)
        elif event.action == "replace_all":
            count = editor.replace_every_match(event.query, event.replacement, event.options)
            bar.show_count(None, 0)
            self.notify(f"Replaced {count} match{'es' if count != 1 else ''} (ctrl+z undoes all).", timeout=4)

    @waits_for_open
    def action_external_editor(self) -> None:
        """The body in $VISUAL/$EDITOR; what comes back is one undoable change.  `hand_off` always brings
        the desk back, keeps the lock beating meanwhile, and says in one sentence what happened."""
        from newsroom_tui.tui.external_editor import hand_off

        if self.story is None:
            self.notify("Open a story to edit its body in another editor.")
            return
        editor = self.query_one(BodyEditor)
        lost: list[str] = []  # stories taken over while the editor ran: told once the desk is back
        result = hand_off(self.app, editor.text, beat=lambda: lost.extend(self.desk_app.locks.heartbeat()))
        if result.text is not None and result.text != editor.text:
            editor.replace_whole_text(result.text)
        self.notify(result.message, severity="information" if result.ok else "error", markup=False, timeout=8)
        if lost:
            self._locks_lost(lost)

    # -- leaving a story ----------------------------------------------------------------------------
    def when_safe_to_leave(self, leaving_to: str, then: Callable[[], None]) -> None:
        """Run `then` now if nothing is unsaved, else after the editor chose save or discard."""
        from newsroom_tui.tui.screens.dialogs import UnsavedChangesScreen

        if not self.dirty:
            then()
            return
        draft = self.current_draft()

        def decided(choice: str | None) -> None:
            if choice == "save":
                if self.action_save():
                    then()
            elif choice == "discard":
                self.set_dirty(False)
                if self.story is not None:
                    # The editor threw these changes away: the next start must not offer them back.
                    with contextlib.suppress(RecoveryError):
                        self.desk_app.journal.discard(self.story.id)
                then()

        self.app.push_screen(UnsavedChangesScreen(draft.headline if draft else "", leaving_to), decided)
