"""The body editor and the one-line inputs, with terminal control stripped from what comes in.

A paste can carry escape sequences (OSC 52 clipboard writes, screen clears) or C1 controls from
a web page; `clean_text` removes them before they reach the document, keeping ZWJ/ZWNJ.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea
from textual.widgets.text_area import EditResult

from newsroom_tui.textsafety import clean_text

# A story body is a few thousand words; a paste beyond this is almost certainly a mistake (a whole
# web page or a log file) and would make the editor crawl while it re-wraps.
MAX_PASTE_CHARACTERS = 200_000


class BodyEditor(TextArea):
    """The story body: soft-wrapped prose, undo/redo, no syntax highlighting."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            "",
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            highlight_cursor_line=False,
            id=id,
        )

    def _replace_via_keyboard(self, insert: str, start: tuple[int, int], end: tuple[int, int]) -> EditResult | None:
        return super()._replace_via_keyboard(clean_text(insert), start, end)

    async def _on_paste(self, event: events.Paste) -> None:
        # Textual calls each class's `_on_paste` along the MRO: TextArea's runs after this one
        # (and cleans through `_replace_via_keyboard`) unless the default is prevented here.
        # Stop it here too: a paste that bubbled up to the app would be forwarded back to us.
        event.stop()
        if len(event.text) > MAX_PASTE_CHARACTERS:
            event.prevent_default()
            size_mb = len(event.text.encode("utf-8", "replace")) / 1_000_000
            self.notify(
                f"That paste is {size_mb:.1f} MB; the body takes at most "
                f"{MAX_PASTE_CHARACTERS:,} characters at once. Nothing was pasted.",
                severity="error",
                markup=False,
            )


class SafeInput(Input):
    """An `Input` whose pastes are cleaned of terminal control and joined onto one line."""

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # replaces Input's own paste handler
        text = clean_text(event.text[: self.max_length or MAX_PASTE_CHARACTERS])
        if text:
            self.insert_text_at_cursor(" ".join(text.split("\n")).replace("\t", " "))
        event.stop()
