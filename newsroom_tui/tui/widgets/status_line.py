"""The desk's bottom line: the unsaved marker (visible whichever pane shows), the checks, the counts, the store."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from newsroom_tui.text.wording import counted


class StatusLine(Static):
    """One fixed line, redrawn without a layout pass."""

    def __init__(self, store_path: str, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.store_path = store_path  # as an editor would type it (~/…)

    def show(self, counts: tuple[int, int], *, unsaved: bool, checks: int) -> None:
        """`counts`: the stories the list shows, and all of them."""
        shown, total = counts
        line = Text()
        if unsaved:
            line.append(" ● unsaved ", style="bold yellow")
        if checks:
            line.append(f" ⚑ {counted(checks, 'check')} ", style="yellow")
        line.append(
            f" {shown:,} of {counted(total, 'story')}" if shown != total else f" {counted(total, 'story')}", style="dim"
        )
        line.append(f" · {self.store_path}", style="dim")
        self.update(line, layout=False)
