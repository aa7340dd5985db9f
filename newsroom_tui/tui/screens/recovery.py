"""Dialogs that keep an editor's words: recover a draft after a crash, resolve a save conflict."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from newsroom_tui.domain.history import diff_versions
from newsroom_tui.domain.model import Story
from newsroom_tui.storage.drafts import RecoveredDraft, diff_against_store
from newsroom_tui.text.safety import for_display
from newsroom_tui.tui.screens.history import diff_text


class RecoveryScreen(ModalScreen[str]):
    """A draft the journal kept from a session that ended without saving.  Result: "recover" or "discard"."""

    BINDINGS = [
        Binding("r", "choose('recover')", "Recover", id="recovery-recover"),
        Binding("d", "choose('discard')", "Discard", id="recovery-discard"),
        Binding("escape,l", "choose('later')", "Later", id="recovery-later"),
    ]

    def __init__(self, draft: RecoveredDraft, stored: Story | None, description: str) -> None:
        super().__init__()
        self.draft = draft
        self.stored = stored
        self.description = description

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog wide-dialog"):
            title = Text("Unsaved text was kept: ", style="bold")
            title.append(for_display(self.draft.story.headline) or "(no headline)", style="bold")
            yield Static(title, classes="dialog-title")
            yield Static(Text(for_display(self.description), style="dim"))
            with VerticalScroll(classes="dialog-diff"):
                yield Static(diff_text(diff_against_store(self.draft, self.stored)))
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text("Recover (r)"), id="recover", variant="primary")
                yield Button(Text("Discard (d)"), id="discard", variant="error")
                yield Button(Text("Later (esc)"), id="later")

    def on_mount(self) -> None:
        self.query_one("#recover", Button).focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "later")


class ConflictScreen(ModalScreen[str]):
    """Someone saved a newer version while this editor was working.

    Result: "mine" (keep mine as a new version on top), "theirs" (take theirs; mine stays a recoverable
    draft), "copy" (save mine as a new story), or "cancel".  Never a silent overwrite.
    """

    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine", id="conflict-mine"),
        Binding("t", "choose('theirs')", "Take theirs", id="conflict-theirs"),
        Binding("c", "choose('copy')", "Save mine as a copy", id="conflict-copy"),
        Binding("escape", "choose('cancel')", "Decide later", id="conflict-cancel"),
    ]

    def __init__(self, mine: Story, theirs: Story) -> None:
        super().__init__()
        self.mine = mine
        self.theirs = theirs

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog wide-dialog"):
            title = Text("Someone saved this story while you were editing", style="bold")
            yield Static(title, classes="dialog-title")
            who = Text(
                f"{self.theirs.updated_by or 'Another editor'} saved version {self.theirs.version}; "
                f"you started from version {self.mine.version}. Lines marked - are theirs, + yours.",
                style="dim",
            )
            yield Static(who)
            with VerticalScroll(classes="dialog-diff"):
                lines = diff_versions(self.theirs, self.mine.copy(version=self.theirs.version))
                yield Static(diff_text(lines) if lines else Text("The texts are the same.", style="dim"))
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text("Keep mine (m)"), id="mine", variant="primary")
                yield Button(Text("Take theirs (t)"), id="theirs")
                yield Button(Text("Mine as a copy (c)"), id="copy")
                yield Button(Text("Later (esc)"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#mine", Button).focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")
