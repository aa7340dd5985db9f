"""F10 w and F10 c: the open story in an export format, to a file or to the clipboard (OSC 52).

One question each: which format (one key), then for a file where (a path, prefilled beside where the desk was
started).  What goes out is the saved story, rendered by the same code as `newsroom export`, so a file written
here and one written by the command line are the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Static

from newsroom_tui.domain.model import Story
from newsroom_tui.tui.screens.choice import Choice, ChoiceDialog, quoted

# The key for each format in the dialog: the format's first letter, but j for ninjs (n is NITF).
FORMAT_KEYS = {"wire": "w", "markdown": "m", "html": "h", "ninjs": "j", "nitf": "n"}


def format_choices() -> list[Choice[str]]:
    from newsroom_tui.formats import FORMATS

    return [
        Choice(FORMAT_KEYS.get(name, name[0]), f"{name} (.{fmt.extension}) — {fmt.description}", name)
        for name, fmt in FORMATS.items()
    ]


class FormatScreen(ChoiceDialog[str]):
    """Which export format; the result is its name (`wire`, `ninjs`…), or None."""

    def __init__(self, story: Story, *, to_clipboard: bool) -> None:
        title = Text("Copy " if to_clipboard else "Export ")
        title.append_text(quoted(story.headline))
        title.append(" to the clipboard" if to_clipboard else " to a file")
        body = (
            "Through the terminal (OSC 52): over SSH it reaches your own machine's clipboard if your terminal allows "
            "it (in tmux: set -g set-clipboard on)."
            if to_clipboard
            else "The saved version, as `newsroom export` writes it."
        )
        super().__init__(
            title, body, format_choices(), answers_typed_ahead=True, show_keys=False, classes="actions-dialog"
        )

    def compose_choices(self) -> Iterable[Widget]:
        """One line a format, its key first, as the F10 menu shows its actions: five buttons in a row did
        not fit 80 columns."""
        for choice in self.choices:
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f" {choice.key} ", style="bold reverse")
            line.append(f" {choice.label}")
            yield Static(line, classes="action-line")
        yield Static(Text("Press a key, or Escape to close.", style="dim"), classes="dialog-hint")
