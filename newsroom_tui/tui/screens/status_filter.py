"""F8: the status filter as a short list to pick from, instead of stepping through ten statuses.

Arrows and Enter pick, as in any list; so does a status's first letter (`d` draft, `k` killed), and a
letter several statuses share (`s`: submitted, scheduled, spiked) moves to the next of them, Enter then
picking it.  Escape leaves the filter as it was.  Each line shows how many stories have that status, so
an empty status is seen before it is picked.  Eleven lines and a title: it fits 80×24.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsroom_tui.domain.listing import counted_by_status
from newsroom_tui.domain.model import Status
from newsroom_tui.tui.keymaps import key_shown

ALL = "all"  # the result for "all" (None is Escape)


class StatusFilterScreen(ModalScreen[str | None]):
    """Pick the list's status filter: returns a status's value, `ALL`, or None (Escape: unchanged)."""

    DEFAULT_CSS = """
    StatusFilterScreen {
        align: center middle;
        #status-choice {
            width: 48;
            height: auto;
            max-height: 100%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        #status-choice OptionList {
            height: auto;
            max-height: 100%;
            border: none;
            padding: 0;
        }
        .status-choice-hint {
            color: $text-muted;
        }
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="status-filter-cancel", show=False)]

    def __init__(self, current: Status | None, counts: Mapping[Status, int]) -> None:
        super().__init__()
        self.current = current
        self.counts = dict(counts)
        self.values = [ALL, *(status.value for status in Status)]

    def compose(self) -> ComposeResult:
        shown = counted_by_status(self.counts)
        options = [Option(self._line("all", shown, "but spiked, killed"), id=ALL)]
        for status in Status:
            options.append(Option(self._line(status.value, self.counts.get(status, 0)), id=status.value))
        with Vertical(id="status-choice"):
            yield Static(Text("Show stories", style="bold"))
            yield OptionList(*options, id="status-options")
            cancel = key_shown(self.app, "status-filter-cancel", "esc").capitalize()
            yield Static(
                f"↑↓ Enter, or a first letter · {cancel}: unchanged", classes="status-choice-hint", markup=False
            )

    @staticmethod
    def _line(name: str, count: int, note: str = "") -> Text:
        line = Text()
        line.append(name[0], style="bold underline")
        line.append(f"{name[1:]:<13}")
        line.append(f"{count:>6,}", style="dim" if not count else "")
        if note:
            line.append(f"  {note}", style="dim")
        return line

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = self.values.index(self.current.value if self.current is not None else ALL)
        options.focus()

    def on_key(self, event: events.Key) -> None:
        character = (event.character or "").casefold()
        if not (event.is_printable and character.isalpha()):
            return
        event.stop()
        event.prevent_default()
        matches = [index for index, value in enumerate(self.values) if value.startswith(character)]
        if not matches:
            self.notify(f"No status starts with {character!r}.", severity="warning", timeout=2)
            return
        if len(matches) == 1:
            self.dismiss(self.values[matches[0]])
            return
        options = self.query_one(OptionList)
        now = options.highlighted if options.highlighted is not None else -1
        options.highlighted = next((index for index in matches if index > now), matches[0])

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
