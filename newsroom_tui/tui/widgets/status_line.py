"""The desk's bottom line: the unsaved marker (visible whichever pane shows), the checks, the counts, the store."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from newsroom_tui.domain.model import Status
from newsroom_tui.text.wording import counted
from newsroom_tui.tui.keymaps import key_name


class StatusLine(Static):
    """One fixed line, redrawn without a layout pass."""

    def __init__(self, store_path: str, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.store_path = store_path  # as an editor would type it (~/…)
        self.away: str | None = None  # the database cannot be reached (tui/desk_live.py): said first

    def show(
        self,
        counts: tuple[int, int],
        *,
        unsaved: bool,
        checks: int,
        hidden: dict[Status, int] | None = None,
        more: bool = False,
    ) -> None:
        """`counts`: the stories the list shows, and all of them; `hidden`: the spiked and killed stories the
        default view leaves out, by status (F8 or `status:` shows them); `more`: more than `shown` match, not
        counted yet (a database's list: `1,000+ of 1,000,000 stories`)."""
        shown, total = counts
        line = Text()
        if self.away:
            line.append(f" {self.away} ", style="bold white on dark_red")
        if unsaved:
            line.append(" ● unsaved ", style="bold yellow")
        if checks:
            line.append(f" ⚑ {counted(checks, 'check')} ", style="yellow")
        line.append(
            f" {shown:,}{'+' if more else ''} of {counted(total, 'story')}"
            if shown != total or more
            else f" {counted(total, 'story')}",
            style="dim",
        )
        if hidden:
            left_out = ", ".join(f"{count:,} {status.value}" for status, count in sorted(hidden.items()) if count)
            line.append(f" · {left_out} not shown ({key_name(self.app, 'status-filter')})", style="dim")
        line.append(f" · {self.store_path}", style="dim")
        self.update(line, layout=False)
