"""The story's history: every version with who, when and what happened, a diff, and restore.

Keyboard only: up/down pick a version, the diff beside it compares it with the version before it
(`c` compares it with the current version instead; space marks a version to compare any other with),
`r` restores it as a new version on top.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsroom_tui.domain.history import DiffLine, diff_lines, summarise_versions
from newsroom_tui.domain.model import Story
from newsroom_tui.text.safety import for_display
from newsroom_tui.text.wording import counted
from newsroom_tui.tui.widgets.key_bar import KeyBar
from newsroom_tui.usecases.history import event_text

_PART_STYLES = {"=": "", "-": "red strike", "+": "green bold"}


def diff_text(lines: Sequence[str | DiffLine]) -> Text:
    """A comparison coloured the usual way: words taken out red and struck through, words put in green
    and bold (struck and bold still show in 16 colours and on a monochrome screen); story text stays
    `Text`, never markup."""
    text = Text()
    for line in lines:
        if isinstance(line, DiffLine):
            base = "bold" if line.kind == "heading" else ""
            for index, (op, part) in enumerate(line.parts):
                if op == "+" and index and line.parts[index - 1][0] == "-":
                    text.append(" ")  # "about 20 percent a fifth", not "about 20 percenta fifth"
                text.append(for_display(part), style=_PART_STYLES[op] or base)
            text.append("\n")
            continue
        shown = for_display(line)
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        elif line.startswith("@@"):
            style = "cyan"
        else:
            style = ""
        text.append(shown + "\n", style=style)
    return text


class HistoryScreen(Screen[int | None]):
    """Dismisses with the version to restore, or None."""

    BINDINGS = [
        Binding("escape,f12", "close", "Back", id="history-close"),
        Binding("c", "toggle_compare", "Compare with current", id="history-compare"),
        Binding("space", "mark_base", "Compare from this", id="history-mark"),
        Binding("r", "restore", "Restore this version", id="history-restore"),
    ]

    def __init__(self, revisions: list[Story], zone: ZoneInfo, log: Sequence[Mapping[str, Any]] = ()) -> None:
        super().__init__()
        self.revisions = revisions
        self.zone = zone
        # `log`: the store's delivery log (Newsroom.history), shown on the version that went out.
        self.summaries = summarise_versions(revisions, log)
        self.compare_with_current = False
        self.base_index: int | None = None  # the version marked with space: compare any other with it

    def compose(self) -> ComposeResult:
        current = self.revisions[-1]
        title = Text(" History of ", style="bold")
        title.append(for_display(current.headline) or "(no headline)", style="bold")
        title.append(f"  ·  {counted(len(self.revisions), 'version')}", style="dim")
        yield Static(title, id="history-title")
        with Horizontal(id="history-panes"):
            yield OptionList(*[Option(self._row(index)) for index in range(len(self.summaries))], id="history-versions")
            with VerticalScroll(id="history-diff-pane"):
                yield Static("", id="history-diff")
        yield KeyBar()

    def _row(self, index: int) -> Text:
        summary = self.summaries[index]
        row = Text()
        row.append("◆ " if index == self.base_index else "  ", style="bold")
        row.append(f"v{summary.version:<3}", style="bold")
        row.append(summary.saved_at.astimezone(self.zone).strftime(" %d %b %H:%M "), style="dim")
        row.append(for_display(summary.saved_by or "?"))
        row.append(f" · {summary.status}", style="dim")
        for event in summary.events:
            # Short, like the version's own time: a full "20:12, 1 December 2026" wrapped every event.
            when = event.at.astimezone(self.zone).strftime("%d %b %H:%M") if event.at is not None else "?"
            row.append("\n      ")
            row.append(for_display(f"{when} {event.by or 'someone'} {event_text(event)}"), style="italic")
        if summary.changed:
            row.append("\n      changed: " + ", ".join(summary.changed), style="dim")
        return row

    def on_mount(self) -> None:
        versions = self.query_one("#history-versions", OptionList)
        versions.highlighted = len(self.summaries) - 1
        versions.focus()
        self._show_diff()

    @property
    def selected_index(self) -> int:
        highlighted = self.query_one("#history-versions", OptionList).highlighted
        return len(self.revisions) - 1 if highlighted is None else highlighted

    def _show_diff(self) -> None:
        index = self.selected_index
        chosen = self.revisions[index]
        if self.base_index is not None and self.base_index != index:
            first, second = sorted((self.base_index, index))
            old, new = self.revisions[first], self.revisions[second]
            heading = f"v{old.version} → v{new.version} (◆ marked; space again unmarks)"
        elif self.compare_with_current:
            old, new = chosen, self.revisions[-1]
            heading = f"v{old.version} → current v{new.version}"
        elif index == 0:
            old, new = Story(id=chosen.id), chosen
            heading = f"v{chosen.version}, the first version"
        else:
            old, new = self.revisions[index - 1], chosen
            heading = f"v{old.version} → v{new.version}"
        lines = diff_lines(old, new, zone=self.zone)
        text = Text(heading + "\n\n", style="bold")
        text.append_text(diff_text(lines) if lines else Text("No differences.", style="dim"))
        self.query_one("#history-diff", Static).update(text)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self) -> None:
        self._show_diff()

    def action_toggle_compare(self) -> None:
        self.compare_with_current = not self.compare_with_current
        self._show_diff()

    def action_mark_base(self) -> None:
        """Mark the highlighted version (or unmark it): the diff then compares any version with it."""
        index = self.selected_index
        marked = None if self.base_index == index else index
        versions = self.query_one("#history-versions", OptionList)
        previous, self.base_index = self.base_index, marked
        for changed in {previous, index} - {None}:
            assert changed is not None
            versions.replace_option_prompt_at_index(changed, self._row(changed))
        self._show_diff()

    def action_restore(self) -> None:
        chosen = self.revisions[self.selected_index]
        if chosen.version == self.revisions[-1].version:
            self.notify("That is the current version already.", severity="warning")
            return
        self.dismiss(chosen.version)

    def action_close(self) -> None:
        self.dismiss(None)
