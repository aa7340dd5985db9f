"""The copy desk's findings for the open story, one line each; Enter jumps to the one under the cursor."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsroom_tui.domain.copydesk import Finding
from newsroom_tui.text.safety import for_display


class ChecksPanel(OptionList):
    """Findings as `Text` rows (messages quote story text, so never markup)."""

    class Chosen(Message):
        def __init__(self, finding: Finding) -> None:
            self.finding = finding
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)
        self.findings: list[Finding] = []

    def show(self, findings: list[Finding]) -> None:
        """Replace the rows, keeping the highlight on the same position when possible."""
        if findings == self.findings:
            return  # typing that changes no finding redraws nothing
        highlighted = self.highlighted
        self.findings = findings
        self.clear_options()
        self.add_options([Option(self._row(finding)) for finding in findings])
        if findings:
            self.highlighted = min(highlighted or 0, len(findings) - 1)

    @staticmethod
    def _row(finding: Finding) -> Text:
        row = Text(no_wrap=True, overflow="ellipsis")
        row.append("✎ " if finding.fix is not None else "  ", style="green")
        row.append(f"{finding.field} {finding.line}:{finding.column} ", style="dim")
        row.append(f"{finding.code} ", style="bold")
        row.append(for_display(finding.message))
        return row

    @property
    def selected_finding(self) -> Finding | None:
        if self.highlighted is None or not (0 <= self.highlighted < len(self.findings)):
            return None
        return self.findings[self.highlighted]

    def _on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        finding = self.selected_finding
        if finding is not None:
            self.post_message(self.Chosen(finding))
