"""The question asked before leaving a story with unsaved changes."""

from __future__ import annotations

from enum import Enum

from rich.text import Text

from newsroom_tui.text.safety import for_display
from newsroom_tui.tui.screens.choice import Choice, ChoiceDialog


class Unsaved(Enum):
    """What to do with the unsaved changes (None: stay on the story)."""

    SAVE = "save"
    DISCARD = "discard"


class UnsavedChangesScreen(ChoiceDialog[Unsaved]):
    """Asked before leaving a story with unsaved changes.  Result: `Unsaved.SAVE`, `Unsaved.DISCARD` or None."""

    def __init__(self, headline: str, leaving_to: str) -> None:
        message = Text("“")
        message.append(for_display(headline) or "(no headline)")
        message.append(f"” has changes that are not saved. Save them before you {leaving_to}?")
        super().__init__(
            "Unsaved changes",
            message,
            [
                Choice("s", "Save", Unsaved.SAVE, variant="primary"),
                Choice("d", "Discard", Unsaved.DISCARD, variant="error"),
            ],
            cancel_keys="escape,c",
        )
        self.headline = headline
        self.leaving_to = leaving_to
