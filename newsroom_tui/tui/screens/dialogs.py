"""Modal dialogs with typed results, answered from the keyboard (each choice has a key)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class UnsavedChangesScreen(ModalScreen[str]):
    """Asked before leaving a story with unsaved changes.  Result: "save", "discard" or "cancel"."""

    BINDINGS = [
        Binding("s", "choose('save')", "Save", id="unsaved-save"),
        Binding("d", "choose('discard')", "Discard", id="unsaved-discard"),
        Binding("escape,c", "choose('cancel')", "Cancel", id="unsaved-cancel"),
    ]

    def __init__(self, headline: str, leaving_to: str) -> None:
        super().__init__()
        self.headline = headline
        self.leaving_to = leaving_to

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Text("Unsaved changes", style="bold"), classes="dialog-title")
            message = Text()
            message.append("“")
            message.append(self.headline or "(no headline)")
            message.append(f"” has changes that are not saved. Save them before you {self.leaving_to}?")
            yield Static(message, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text("Save (s)"), id="save", variant="primary")
                yield Button(Text("Discard (d)"), id="discard", variant="error")
                yield Button(Text("Cancel (esc)"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#save", Button).focus()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")
