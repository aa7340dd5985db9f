"""F7: one misspelt word, its suggestions, and what to do with it.

1–5 replaces the word with that suggestion (one undo step in the body), **a** adds it to the desk
dictionary (the whole desk learns it), **p** to the editor's own list, **i** ignores it in this story.
The result is typed: a `SpellingAnswer` naming the action and, for a replacement, the word.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button

from newsroom_tui.text.safety import for_display
from newsroom_tui.tui.screens.choice import Choice, ChoiceDialog

Action = Literal["replace", "desk", "personal", "ignore"]


@dataclass(frozen=True, slots=True)
class SpellingAnswer:
    action: Action
    replacement: str = ""


class SpellingDialog(ChoiceDialog[SpellingAnswer]):
    """The word, its suggestions as numbered choices, then add/ignore."""

    def __init__(self, word: str, suggestions: list[str], *, read_only: bool = False) -> None:
        title = Text("Spelling: ")
        title.append(for_display(word), style="bold red")
        body = Text("Not in the dictionary. " if suggestions else "Not in the dictionary, and no close word found. ")
        body.append(
            "Replace it; add it to the desk dictionary (a) or to your own words (p); or ignore it in this story (i).",
            style="dim",
        )
        refusal = "The story is read-only here" if read_only else None
        choices: list[Choice[SpellingAnswer]] = [
            Choice(str(number), for_display(suggestion), SpellingAnswer("replace", suggestion), refusal=refusal)
            for number, suggestion in enumerate(suggestions[:5], start=1)
        ]
        choices += [
            Choice("a", "Desk words", SpellingAnswer("desk")),
            Choice("p", "My words", SpellingAnswer("personal")),
            Choice("i", "Ignore", SpellingAnswer("ignore")),
        ]
        super().__init__(title, body, choices, cancel_label="Close", classes="spelling-dialog")

    def compose_choices(self) -> Iterable[Widget]:
        """The suggestions on one row, what else to do on the next: eight buttons do not fit 80 columns."""
        rows = (
            [i for i, c in enumerate(self.choices) if c.value.action == "replace"],
            [i for i, c in enumerate(self.choices) if c.value.action != "replace"],
        )
        for number, row in enumerate(rows):
            if not row:
                continue
            with Horizontal(classes="dialog-buttons"):
                for index in row:
                    choice = self.choices[index]
                    yield Button(
                        Text(f"{choice.label} ({self.key_display(choice.key)})"),
                        id=f"choice-{index}",
                        variant="primary" if index == 0 and choice.value.action == "replace" else "default",
                        disabled=choice.refusal is not None,
                    )
                if number == 1 and self.cancel_label is not None:
                    yield Button(Text(f"{self.cancel_label} (esc)"), id="choice-cancel")
