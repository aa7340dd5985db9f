"""The desk: story list, body editor and metadata form on one screen.

Wide terminals show the three panes side by side; below 110 columns one pane shows at a time and
F2/F3/F4 switch between them, so 80×24 stays readable.  This screen composes the panes and routes
between them: each pane owns its widgets (`tui/panes/`), the dialog flows live in `desk_actions`
(F9/F10/F12) and `desk_editing` (save, lock, autosave, recovery), and every story rule below them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import TextArea

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.storage.errors import StoreError
from newsroom_tui.text.safety import clean_text
from newsroom_tui.tui.desk_actions import DeskActions, display_path
from newsroom_tui.tui.desk_editing import DeskEditing
from newsroom_tui.tui.desk_live import DeskLive, LiveNews
from newsroom_tui.tui.desk_spelling import DeskSpelling
from newsroom_tui.tui.keymaps import key_name, read_only_note
from newsroom_tui.tui.panes.editor_pane import FIND_BAR_ID, EditorPane
from newsroom_tui.tui.panes.list_pane import ListPane
from newsroom_tui.tui.panes.metadata_pane import MetadataPane
from newsroom_tui.tui.panes.startup_gate import StartupGate, waits_for_open
from newsroom_tui.tui.widgets.key_bar import KeyBar
from newsroom_tui.tui.widgets.status_line import StatusLine
from newsroom_tui.tui.widgets.story_list import StoryList

if TYPE_CHECKING:
    from collections.abc import Callable

    from newsroom_tui.domain.copydesk import Finding
    from newsroom_tui.text.spelling import Speller
    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.widgets.checks_panel import ChecksPanel
    from newsroom_tui.tui.widgets.find_bar import FindBar
    from newsroom_tui.tui.widgets.metadata_form import MetadataForm
    from newsroom_tui.usecases.session import EditingSession

NARROW_WIDTH = 110
PANES = ("list-pane", "editor-pane", "metadata-pane")
PANE_KEYS = (("Stories", "show-stories"), ("Body", "show-body"), ("Metadata", "show-metadata"))
__all__ = ["NARROW_WIDTH", "DeskScreen"]


def _route(part: str, method: str, unless_open: str | None = None, *, writes: bool = False) -> Callable[..., Any]:
    """A desk action that hands its key to a pane or a flow (`part`), once the story is open (see
    `waits_for_open`); with `unless_open`, said instead when no story is open."""

    @waits_for_open
    def action(desk: DeskScreen, *args: Any) -> Any:
        if unless_open is not None and desk.story is None:
            desk.notify(unless_open)
            return None
        if writes and desk.read_only:  # the body's key filter alone let ctrl+o, ctrl+r and ctrl+t through
            why = desk.session.cannot_write or (desk.session.frozen if desk.session.read_only is None else None)
            desk.notify(
                why or read_only_note(desk.app),
                severity="warning",
            )
            return None
        return getattr(getattr(desk, part), method)(*args)

    action.__name__ = f"action_{method}"
    return action


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
        Binding("f8", "choose_status_filter", "Status", id="status-filter", show=False),
        Binding("f9", "publish", "Publish", id="publish"),
        Binding("f10", "desk_actions", "Menu", id="desk-actions"),
        Binding("f12", "history", "History", id="history", show=False),
        Binding("ctrl+l", "focus_filter", "Filter", id="filter", show=False, priority=True),
        Binding("ctrl+f", "find", "Find", id="find", show=False, priority=True),
        Binding("ctrl+o", "external_editor", "$EDITOR", id="external-editor", show=False),
        Binding("ctrl+g", "next_finding", "Next check", id="next-finding", show=False),
        Binding("ctrl+r", "fix_finding", "Fix", id="fix-finding", show=False),
        Binding("ctrl+t", "fix_all", "Fix all", id="fix-all", show=False),
        # F7, as in word processors: a priority binding, ahead of the body's own F7 (select all); the
        # find bar keeps its F7 (whole words) through `check_action`.
        Binding("f7", "spelling", "Spelling", id="spelling", show=False, priority=True),
        # F6 searches the archive from anywhere on the desk (ahead of the body's own F6, select line); the find
        # bar keeps its F6 (match case) through `check_action`, as it keeps F7.
        Binding("f6", "search_archive", "Search", id="search-archive", show=False, priority=True),
        # One key each to accept the word at the cursor (the dialog's a and p, without the dialog); the
        # Linux console sends neither (the dialog and the palette do the same there).
        Binding("ctrl+f7", "spelling_add_desk", "Add to desk", id="spelling-add-desk", show=False, priority=True),
        Binding(
            "shift+f7", "spelling_add_personal", "Add to mine", id="spelling-add-personal", show=False, priority=True
        ),
    ]
    AUTO_FOCUS = "#story-list"  # focused before the first frame: moving it later restyles and repaints

    def __init__(self, open_story_id: str | None = None) -> None:
        super().__init__()
        self.open_story_id = open_story_id
        self._session: EditingSession | None = None  # made with the editing widgets (the store is read then)
        self._shown_unsaved = False  # what the title line says now (redrawn only when it changes)
        self.active_pane = "list-pane"
        self._shown = (0, 0)  # stories shown in the list, and in all
        self._more = False  # more than those shown match (a database's list, counted no further)
        self._hidden: dict[Status, int] = {}  # spiked and killed stories the list's default view leaves out
        self.gate = StartupGate(self)
        self.actions = DeskActions(self)
        self.editing = DeskEditing(self)
        self.spelling = DeskSpelling(self)
        self.live = DeskLive(self)
        self._told_read_only = False  # said once a story why typing into its read-only body does nothing

    @property
    def desk_app(self) -> NewsroomApp:
        return self.app  # type: ignore[return-value]

    @property
    def session(self) -> EditingSession:
        """The open story, its lock and its unsaved-ness: the desk keeps none of them itself."""
        assert self._session is not None, "the session comes with the editing widgets (gate.when_ready)"
        return self._session

    @property
    def story(self) -> Story | None:
        """The stored version of the open story (version 0: new), as the session has it."""
        return self._session.story if self._session is not None else None

    @property
    def read_only(self) -> bool:
        """Nothing typed here can be saved: another editor holds the story, the store is read-only, or the
        story is spiked or killed (`session.frozen`)."""
        session = self._session
        return session is not None and (
            session.read_only is not None or session.cannot_write is not None or session.frozen is not None
        )

    @property
    def dirty(self) -> bool:
        """The story shows unsaved changes (the session's rule, asked on every change)."""
        return self._shown_unsaved

    @property
    def ready(self) -> bool:
        """The store is read and the editing widgets are mounted."""
        return self.gate.ready

    @property
    def list_pane(self) -> ListPane:
        return self.query_one(ListPane)

    @property
    def editor_pane(self) -> EditorPane:
        return self.query_one(EditorPane)

    @property
    def metadata_pane(self) -> MetadataPane:
        return self.query_one(MetadataPane)

    @property
    def form(self) -> MetadataForm:
        return self.metadata_pane.form

    @property
    def findings(self) -> list[Finding]:
        return self.metadata_pane.findings

    # -- layout -------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        # Classes and disabled states are set before mounting: changing them afterwards restyles the
        # whole tree once per change, which was a fifth of the start-up time (measured).
        self.add_class("-browsing")
        self.set_class(self.app.size.width < NARROW_WIDTH, "-narrow")
        with Horizontal(id="panes"):
            yield ListPane(self.desk_app.settings.zone, id="list-pane", classes="pane -active")
            yield EditorPane(id="editor-pane", classes="pane")
            # The body editor, the metadata form and the checks come with the first story opened
            # (`StartupGate.build`); the find bar with the first ctrl+f.
            yield MetadataPane(id="metadata-pane", classes="pane")
        settings = self.desk_app.settings
        where = settings.store_label if settings.store_url is not None else display_path(settings.db_path)
        yield StatusLine(where, id="status-line")
        yield KeyBar()

    def on_mount(self) -> None:
        titles = [f"{name} {key_name(self.app, binding_id)}" for name, binding_id in PANE_KEYS]
        for pane_id, title in zip(PANES, titles, strict=True):
            self.query_one(f"#{pane_id}").border_title = title
        self.list_pane.start()
        # The first counts now, not through `ListPane.Filtered`: a message would draw them a frame after
        # the list, and the first screen is the list with its count (the start-up budget waits for both).
        self._shown = self.list_pane.shown_and_total()
        self._hidden = self.list_pane.hidden_now()
        self._update_status_line()
        self._update_title()
        if self.open_story_id is not None:
            story_id = self.open_story_id
            self.gate.when_ready(lambda: self.open_story(story_id))
        self.set_timer(0.5, self.gate.first_screen_out)  # in case the list is never drawn (a tiny terminal)

    @on(StoryList.Painted)
    def _after_first_screen(self) -> None:
        self.gate.first_screen_out()

    def begin(self, session: EditingSession) -> None:
        """The editing widgets are mounted (`StartupGate.build`): the session the desk asks from now on."""
        self._session = session

    @on(StoryList.Relay)
    def _relayed(self, event: StoryList.Relay) -> None:
        self.gate.when_ready(event.callback)

    @on(StoryList.TypedAhead)
    def _typed_ahead(self, event: StoryList.TypedAhead) -> None:
        self.gate.typed(event.character)

    def on_key(self, event: events.Key) -> None:
        """A key typed while the desk was starting, before the list took the focus (`newsroom`, then straight
        away `flood`): Textual hands it to the screen, where it was dropped.  It starts a filter, as it
        would have in the list, and the keys after it follow it there.  (Neither the list nor the filter box
        lets such a key bubble up here: one that reaches the screen while either has the focus was sent
        before it had.)"""
        pane = self.list_pane
        if self.focused in (None, pane.story_list, pane.filter_box) and StoryList.types_ahead(event):
            event.stop()
            event.prevent_default()
            self.gate.typed(event.character or "")

    def on_resize(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")
        self.list_pane.update_header()

    def _set_active_pane(self, pane_id: str) -> None:
        if pane_id == self.active_pane:
            return
        self.active_pane = pane_id
        for pane in PANES:
            self.query_one(f"#{pane}").set_class(pane == pane_id, "-active")
        # Browsing the queue, the list takes the room the metadata form had, for its columns; filling in
        # the form, the form takes the list's.
        self.set_class(pane_id == "list-pane", "-browsing")
        self.set_class(pane_id == "metadata-pane", "-form")

    def on_descendant_focus(self, event: object) -> None:
        node: Widget | None = self.focused
        while node is not None and node is not self:
            if node.id in PANES:
                self._set_active_pane(node.id)
                break
            node = node.parent  # type: ignore[assignment]

    @waits_for_open
    def action_show_pane(self, pane_id: str) -> None:
        if pane_id != "list-pane" and self.story is None:
            opens, starts = key_name(self.app, "open-story"), key_name(self.app, "new-story")
            self.notify(f"No story is open: {opens} opens the one under the cursor, {starts} starts one.")
            return
        self._set_active_pane(pane_id)
        if pane_id == "list-pane":
            self.set_focus(self.list_pane.story_list)
        elif pane_id == "editor-pane":
            self.set_focus(self.editor_pane.body)
        else:
            self.set_focus(self.form.input("headline"))

    def focus_field(self, name: str) -> None:
        if self.size.width < NARROW_WIDTH:
            self._set_active_pane("metadata-pane")
        name = {"embargo_until": "embargo"}.get(name, name)
        self.set_focus(self.query_one("#field-language") if name == "language" else self.form.input(name))

    # -- the status line ------------------------------------------------------------------------------
    @on(ListPane.Filtered)
    def _filtered(self, event: ListPane.Filtered) -> None:
        self._shown = (event.shown, event.total)
        self._more = event.more
        self._hidden = event.hidden
        self._update_status_line()

    @on(MetadataPane.Checked)
    def _checked(self) -> None:
        self._update_status_line()

    def _update_status_line(self) -> None:
        checks = len(self.findings) if self.story is not None else 0
        self.query_one(StatusLine).show(
            self._shown, unsaved=self.dirty, checks=checks, hidden=self._hidden, more=self._more
        )

    def _update_title(self) -> None:
        story = self.story
        headline, due = "", ""
        if story is not None:  # the workflow module is not needed (nor imported) for the first screen
            from newsroom_tui.domain.workflow import due_text

            headline = self.form.input("headline").value
            due = due_text(story, now=self.desk_app.clock(), zone=self.desk_app.settings.zone)
        self.editor_pane.show_title(story, headline, unsaved=self.dirty, due=due)

    # -- the list -----------------------------------------------------------------------------------
    def key_escape(self) -> None:
        self.list_pane.clear_filter()

    action_focus_filter = _route("list_pane", "focus_filter")
    action_choose_status_filter = _route("list_pane", "choose_status_filter")

    @on(StoryList.Opened)
    def _open_from_list(self, event: StoryList.Opened) -> None:
        self.open_chosen(event.story_id)

    def open_chosen(self, story_id: str) -> None:
        """Open the story an editor picked (in the list, in archive search): unsaved changes asked about first."""
        if self.story is not None and story_id == self.story.id:
            self.set_focus(self.editor_pane.body)
            return
        self.editing.when_safe_to_leave("open another story", lambda: self.open_story(story_id))

    def action_search_archive(self) -> None:
        """F6: search every story (screens/archive_search.py); Enter on a hit opens it here."""
        if not self.ready:
            self.gate.when_ready(self.action_search_archive)
            return
        from newsroom_tui.tui.screens.archive_search import ArchiveSearchScreen

        if isinstance(self.app.screen, ArchiveSearchScreen):
            return
        app = self.desk_app
        self.app.push_screen(ArchiveSearchScreen(app.newsroom, app.settings.zone), self._open_found)

    def _open_found(self, story_id: str | None) -> None:
        if story_id is not None:
            self.open_chosen(story_id)

    def poll_store(self) -> None:
        """Pick up stories saved by other editors (the app's timer; on PostgreSQL, a fallback for the live
        notifications, and not while the database is away: each poll would wait on it)."""
        if not (self.is_mounted and self.query(StoryList) and self.desk_app.store_loaded):
            return
        if self.live.away is None:
            self.list_pane.poll()
        else:
            self.list_pane.story_list.check_due()  # an overdue story is flagged all the same

    @on(LiveNews)
    def _live_news(self, news: LiveNews) -> None:
        self.live.on_news(news)

    def show_connection(self, away: str | None) -> None:
        """The database's state in the status line: `away` while the desk cannot reach it, else None."""
        self.query_one(StatusLine).away = away
        self._update_status_line()

    # -- opening and editing ------------------------------------------------------------------------
    def open_story(self, story_id: str) -> None:
        if not self.ready:
            self.gate.when_ready(lambda: self.open_story(story_id))
            return
        try:
            opened = self.session.open(story_id)
        except StoreError as error:
            self.notify(str(error), severity="error")
            return
        self.show(opened.story_shown, cleaned=opened.cleaned)
        if opened.cleaned or opened.warning:
            self.notify(opened.message, severity="warning", timeout=8)
        self.list_pane.show_row_of(opened.story_shown)
        self.set_focus(self.editor_pane.body)
        self.editing.offer_for(story_id)  # its kept drafts, if any (a *later* at start-up comes back here)

    def show(self, shown: Story, *, cleaned: bool = False) -> None:
        """Show the session's open story for editing (read-only while another editor holds it)."""
        self.editor_pane.body.disabled = False  # body and form take input only once a story is open
        self.form.disabled = False
        self.editor_pane.load_body(shown.body)
        self.form.load(shown)
        self._shown_unsaved = False
        self._update_title()
        self._update_status_line()
        self.metadata_pane.run_checks()
        self.set_read_only(self.session.read_only, lost=self.session.lock_lost)
        if cleaned:
            self.refresh_dirty()  # text cleaned of terminal control is unsaved until saved

    def on_body_editor_typed_while_read_only(self) -> None:  # by name: the body's module loads after start-up
        """Keys typed into a read-only body were ignored without a word (issue 13): say why, once a story."""
        if self._told_read_only:
            return
        self._told_read_only = True
        session = self.session
        if session.cannot_write is not None:
            why = session.cannot_write
        elif session.frozen is not None and session.read_only is None:
            why = session.frozen
        else:
            who = session.read_only or "another editor"
            why = f"{who.partition(' since ')[0]} has it; {key_name(self.app, 'desk-actions')} then o takes it over."
        self.notify(f"Nothing you type here can be saved: {why}", severity="warning", timeout=6)

    def set_read_only(self, holder: str | None, *, lost: bool = False) -> None:
        self._told_read_only = False
        story = self.story
        # A read-only store, or a spiked or killed story: its sentence, not an editor, in the banner.
        reason = self.session.cannot_write or self.session.frozen
        live = story if story is not None and story.is_live else None
        self.editor_pane.show_holder(holder, lost=lost, live=live, reason=reason)
        self.form.disabled = holder is not None or reason is not None or self.story is None

    def adopt(self, saved: Story, *, reload: bool = False) -> None:
        """The store's new version becomes the open story, without disturbing the editor's cursor
        (`reload`: its text changed too, e.g. a restore)."""
        self.session.adopt(saved)
        if reload:
            self.show(saved)
        else:
            self.form.saved(saved)
            self.refresh_dirty()
            self._update_title()
            self.set_read_only(self.session.read_only, lost=self.session.lock_lost)
        self.list_pane.replace_row(saved)

    def action_new_story(self) -> None:
        self.editing.when_safe_to_leave("start a new story", self._start_new_story)

    def _start_new_story(self) -> None:
        if not self.ready:
            self.gate.in_order(self._start_new_story)  # ctrl+n runs at once; the headline typed after it waits
            return
        self.show(self.session.new())
        self.set_focus(self.form.input("headline"))

    @on(TextArea.Changed, "#body")
    def _body_changed(self) -> None:
        self.refresh_dirty()
        self.editor_pane.schedule_counts()
        self.metadata_pane.schedule_checks()

    def on_metadata_form_edited(self, event: MetadataForm.Edited) -> None:
        self.refresh_dirty()
        if event.field in ("headline", "summary", "language"):
            self.metadata_pane.schedule_checks()
        if event.field == "headline":
            self._update_title()

    def refresh_dirty(self) -> None:
        """Unsaved means what the session says: what the editor shows differs from the stored version."""
        draft = self.current_draft()
        if draft is None:
            return  # the form is disabled until a story is open; this is Select settling on mount
        self.set_dirty(self.session.is_unsaved(draft) or bool(self.form.typed_problems))
        if self.dirty:
            self.editing.schedule_autosave()

    def set_dirty(self, dirty: bool) -> None:
        if dirty == self._shown_unsaved:
            return  # most keystrokes change nothing here: redraw nothing
        self._shown_unsaved = dirty
        self._update_title()
        self._update_status_line()

    def current_draft(self) -> Story | None:
        """The open story as the editor sees it now, unsaved changes included."""
        if self.story is None:
            return None
        body = clean_text(self.editor_pane.body.text)
        # Runs on every keystroke (the unsaved marker): the stored body is replaced, so don't clean it too.
        return self.form.apply_to(self.story.copy(body="")).copy(body=body)

    def undo_in_body(self) -> None:
        """The palette's Undo: the body's last change (^z where the body has the focus)."""
        if self.story is None:
            self.notify("Open a story first.", severity="warning")
            return
        self.action_show_pane("editor-pane")
        self.editor_pane.body.action_undo()

    def saved_story(self) -> Story | None:
        """The open story as stored, saving first if it has unsaved changes (actions act on what is saved)."""
        if self.story is None:
            self.notify("Open a story first.", severity="warning")
            return None
        if (self.dirty or self.story.is_new) and not self.editing.save():
            return None
        return self.story

    # -- actions: each key routes to the pane or the flow that does it --------------------------------
    action_save = _route("editing", "save")
    action_external_editor = _route(
        "editing", "external_editor", "Open a story to edit its body in another editor.", writes=True
    )
    action_preview = _route("actions", "preview")
    action_desk_actions = _route("actions", "menu")
    action_publish = _route("actions", "publish")
    action_history = _route("actions", "history")
    action_take_over = _route("actions", "take_over")
    action_fix_finding = _route("metadata_pane", "fix_highlighted", "Open a story to fix its copy.", writes=True)
    action_fix_all = _route("metadata_pane", "fix_everything", "Open a story to fix its copy.", writes=True)
    action_spelling = _route("spelling", "suggest", "Open a story to check its spelling.")
    action_spelling_add_desk = _route("spelling", "add_to_desk", "Open a story to check its spelling.")
    action_spelling_add_personal = _route("spelling", "add_to_personal", "Open a story to check its spelling.")
    action_spelling_ignore = _route("spelling", "ignore_here", "Open a story to check its spelling.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("spelling", "search_archive"):
            node: Widget | None = self.focused
            while node is not None:  # by id: the key bar asks at the first frame, before any find bar exists
                if node.id == FIND_BAR_ID:
                    return False  # the key goes on to the find bar's own F7 (or F6)
                node = node.parent  # type: ignore[assignment]
        return True

    def app_newsroom_speller(self) -> Speller | None:
        """The speller if the dictionaries are loaded (the desk never waits for them)."""
        return self.desk_app.newsroom.speller()

    @waits_for_open
    def action_next_finding(self) -> None:
        if self.story is not None and (finding := self.metadata_pane.next_finding(self.editor_pane.body.has_focus)):
            self.go_to(finding)

    def go_to(self, finding: Finding) -> None:
        """Put the cursor on the finding: in the body editor, or in the headline/summary field."""
        if finding.field == "body":
            editor = self.editor_pane.body
            self._set_active_pane("editor-pane")
            editor.move_cursor((finding.line - 1, finding.column - 1), center=True)
            self.set_focus(editor)
        else:
            box = self.form.input(finding.field)
            self._set_active_pane("metadata-pane")
            self.set_focus(box)
            box.cursor_position = finding.column - 1

    def on_checks_panel_chosen(self, event: ChecksPanel.Chosen) -> None:
        self.go_to(event.finding)

    @waits_for_open
    async def action_find(self) -> None:
        if self.story is None:
            self.notify("Open a story to search its body.")
            return
        self._set_active_pane("editor-pane")
        await self.editor_pane.open_find()

    def on_find_bar_requested(self, event: FindBar.Requested) -> None:
        self.editor_pane.find_requested(event)  # here, not in the pane: see EditorPane.find_requested
