"""The editor pane: the lock banner, the title line, the body editor, its counts, the find bar and
the hand-off to $EDITOR.

The body editor comes with the first story opened (`mount_body`); the find bar with the first ctrl+f:
mounted at start-up they repainted the pane for nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from newsroom_tui.domain.model import READING_WORDS_PER_MINUTE, Story, count_words
from newsroom_tui.text.safety import for_display
from newsroom_tui.text.wording import counted
from newsroom_tui.tui.keymaps import key_name
from newsroom_tui.tui.widgets.story_editor import BodyEditor

if TYPE_CHECKING:
    from textual.timer import Timer

    from newsroom_tui.tui.widgets.find_bar import FindBar


def editor_hint(app: App[Any]) -> str:
    return (
        f"{key_name(app, 'open-story')} opens the story under the cursor in the list.\n"
        f"{key_name(app, 'new-story')} begins a fresh one.\n"
        f"{key_name(app, 'palette')} lists everything the desk can do."
    )


COUNTS_DELAY = 0.25  # seconds after the last keystroke


def live_banner(story: Story, app: App[Any]) -> Text:
    """What an editor must know before changing a live story."""
    text = Text(" LIVE ", style="bold reverse green")
    if story.has_unsent_changes:
        text.append(
            f" Readers see version {story.sent_version}; version {story.version} is not sent yet.", style="bold"
        )
        text.append(f" {key_name(app, 'desk-actions')} then r sends it as a correction.", style="dim")
    else:
        text.append(f" Readers see this story ({story.status.value}).", style="bold")
        text.append(f" {key_name(app, 'save')} asks: send the change as a correction, or keep it unsent.", style="dim")
    return text


# The find bar is mounted with the first ctrl+f; the desk and help tell it by this id (no import of its module).
FIND_BAR_ID = "find-bar"


class EditorPane(Vertical):
    """The body of the open story and what is said about it."""

    def compose(self) -> ComposeResult:
        yield Static("", id="lock-banner", markup=False)
        yield Static("", id="editor-title", markup=False)
        yield Static(editor_hint(self.app), id="editor-hint", markup=False)
        yield Static("", id="body-counts", markup=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._counts_timer: Timer | None = None

    @property
    def body(self) -> BodyEditor:
        return self.query_one(BodyEditor)

    async def mount_body(self) -> None:
        await self.mount(BodyEditor(id="body", disabled=True), before="#body-counts")
        await self.query_one("#editor-hint").remove()

    def load_body(self, text: str) -> None:
        """A whole text, not an edit: no `Changed` (the desk compares the draft itself after a load)."""
        editor = self.body
        with editor.prevent(TextArea.Changed):
            editor.load_text(text)
        self.update_counts()

    # -- the title line and the banner ----------------------------------------------------------------
    def show_title(self, story: Story | None, headline: str, *, unsaved: bool, due: str = "") -> None:
        title = Text()
        if story is None:
            title.append(" No story open", style="dim")
        else:
            if unsaved:
                title.append(" ● unsaved", style="bold yellow")
            elif story.is_new:
                title.append(" ○ new story", style="yellow")
            else:
                title.append(" ✓ saved", style="green")
            if story.has_unsent_changes:  # live, and changed since the version that went out
                title.append(f" · {story.status.value}", style="dim")
                title.append(f" ✱ unsent since v{story.sent_version}", style="bold yellow")
                title.append(f" · v{story.version} · ", style="dim")
            elif due:  # a scheduled story says when it goes out, and loudly once that time has passed
                title.append(f" · {story.status.value} ", style="dim")
                title.append(due, style="bold red" if due.startswith("overdue") else "bold")
                title.append(f" · v{story.version} · ", style="dim")
            else:
                title.append(f" · {story.status.value} · v{story.version} · ", style="dim")
            title.append(headline or "(new story)", style="bold")
        self.query_one("#editor-title", Static).update(title, layout=False)  # one fixed line

    def show_holder(
        self, holder: str | None, *, lost: bool = False, live: Story | None = None, reason: str | None = None
    ) -> None:
        """Read-only while another editor holds the story: say who, and how to take it over; or, with
        `reason` (a read-only store), why nothing can be saved, and no take-over to offer.  Else, for a
        `live` story, that readers see it (a change is sent only as a correction)."""
        self.body.read_only = holder is not None or reason is not None
        banner = self.query_one("#lock-banner", Static)
        banner.set_class(holder is None and reason is None and live is not None, "-live")
        if holder is None and reason is not None:
            text = Text(" READ-ONLY ", style="bold reverse red")
            text.append(f" {for_display(reason)}", style="bold")
            banner.update(text)
            banner.display = True
            return
        if holder is None:
            if live is not None:
                banner.update(live_banner(live, self.app))
            banner.display = live is not None
            return
        text = Text(" READ-ONLY ", style="bold reverse red")
        text.append(f" {holder_sentence(for_display(holder), lost=lost)}", style="bold")
        text.append(f" {key_name(self.app, 'desk-actions')} then o takes it over.", style="dim")
        banner.update(text)
        banner.display = True

    # -- counts ---------------------------------------------------------------------------------------
    def schedule_counts(self) -> None:
        """Counts follow typing a moment later: repainting them on every key doubled the bytes a keystroke
        sends over SSH, and nobody reads a word count mid-word."""
        if self._counts_timer is not None:
            self._counts_timer.stop()
        self._counts_timer = self.set_timer(COUNTS_DELAY, self.update_counts)

    def update_counts(self) -> None:
        """Words, characters and reading time (Superdesk's 250 words a minute) under the body."""
        text = self.body.text
        words = count_words(text)
        minutes = -(-words // READING_WORDS_PER_MINUTE) if words else 0
        line = Text(f" {counted(words, 'word')} · {counted(len(text), 'character')} · {minutes} min read", style="dim")
        self.query_one("#body-counts", Static).update(line, layout=False)

    # -- find and replace -----------------------------------------------------------------------------
    async def open_find(self) -> None:
        if not self.query(f"#{FIND_BAR_ID}"):
            from newsroom_tui.tui.widgets.find_bar import FindBar

            await self.mount(FindBar(id=FIND_BAR_ID), before="#body-counts")
        editor = self.body
        self._find_bar.open(editor.selected_text if "\n" not in editor.selected_text else "")

    @property
    def _find_bar(self) -> FindBar:
        return cast("FindBar", self.query_one(f"#{FIND_BAR_ID}"))

    def find_requested(self, event: FindBar.Requested) -> None:
        """Handled from the screen, not here: edits made while this pane handles a message would be
        sent by it, and Textual stops a message at its sender's child (the desk would not see `Changed`)."""
        editor = self.body
        bar = self._find_bar
        if event.action == "close":
            self.screen.set_focus(editor)
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
                self.notify(
                    f"Enter finds a match first; {key_name(self.app, 'find-replace')} then replaces it.", timeout=3
                )
            number, total = editor.find(event.query, event.options)
            bar.show_count(number, total)
        elif event.action == "replace_all":
            count = editor.replace_every_match(event.query, event.replacement, event.options)
            bar.show_count(None, 0)
            self.notify(f"Replaced {count} match{'es' if count != 1 else ''} (ctrl+z undoes all).", timeout=4)

    # -- $EDITOR --------------------------------------------------------------------------------------
    def edit_externally(self, beat: Callable[[], list[str]]) -> list[str]:
        """The body in $VISUAL/$EDITOR; what comes back is one undoable change.  `hand_off` always brings
        the desk back, keeps the lock beating meanwhile (`beat`), and says in one sentence what happened.
        Returns the stories whose locks were taken over while the editor ran."""
        from newsroom_tui.tui.external_editor import hand_off

        editor = self.body
        lost: list[str] = []  # stories taken over while the editor ran: told once the desk is back
        result = hand_off(self.app, editor.text, beat=lambda: lost.extend(beat()))
        if result.text is not None and result.text != editor.text:
            editor.replace_whole_text(result.text)
        self.notify(result.message, severity="information" if result.ok else "error", timeout=8)
        return lost


def holder_sentence(holder: str, *, lost: bool) -> str:
    """The banner's sentence about who has the story, from a lock's description (`rina on desk-1 (pid 4121)
    since 13:36, taken over from root on vm (pid 28968)`).

    It read "READ-ONLY rina on vm (pid 28971) since 13:36, taken over from root on vm (pid 28968) took this
    story over." (issue 13): the description was pasted into a sentence of its own.
    """
    who, _, taken_from = holder.partition(", taken over from ")
    name, _, since = who.partition(" since ")
    if lost:  # the editor reading this is the one it was taken from
        when = f" at {since}" if since else ""
        return f"{name} took this story over{when}. Your unsaved text is kept as a recoverable draft."
    sentence = f"{who} has this story open"
    return sentence + (f"; they took it over from {taken_from}." if taken_from else ".")
