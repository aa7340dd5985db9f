"""The body editor and the one-line inputs, with terminal control stripped from what comes in.

A paste can carry escape sequences (OSC 52 clipboard writes, screen clears) or C1 controls from
a web page; `clean_text` removes them before they reach the document, keeping ZWJ/ZWNJ.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input, TextArea
from textual.widgets.text_area import EditResult, Selection

from newsroom_tui.textsafety import clean_text
from newsroom_tui.textsearch import (
    SearchOptions,
    find_all,
    location_to_offset,
    next_match,
    offset_to_location,
    replace_all,
)

# A story body is a few thousand words; a paste beyond this is almost certainly a mistake (a whole
# web page or a log file) and would make the editor crawl while it re-wraps.
MAX_PASTE_CHARACTERS = 200_000


# A blinking cursor repaints twice a second and sends bytes over SSH while nobody types: off unless the
# desk's config turns it on (`cursor_blink = true`); the app sets this once from the settings.
CURSOR_BLINK = {"enabled": False}


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
        self.cursor_blink = CURSOR_BLINK["enabled"]

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

    # -- find and replace (the find bar's operations), each one undoable ----------------------------
    def find(self, query: str, options: SearchOptions, *, backwards: bool = False) -> tuple[int | None, int]:
        """Select the next (or previous) match from the cursor; returns (its 1-based number, total)."""
        text = self.text
        matches = find_all(text, query, options)
        start, end = self.selection
        cursor = location_to_offset(text, min(start, end) if backwards else max(start, end))
        span = next_match(matches, cursor, backwards=backwards)
        if span is None:
            return None, 0
        self.selection = Selection(offset_to_location(text, span[0]), offset_to_location(text, span[1]))
        self.scroll_cursor_visible(center=True, animate=False)
        return matches.index(span) + 1, len(matches)

    def count(self, query: str, options: SearchOptions) -> int:
        return len(find_all(self.text, query, options))

    def replace_selected_match(self, query: str, replacement: str, options: SearchOptions) -> bool:
        """Replace the selection if it is a match (as the find bar selected it); False if it is not."""
        text = self.text
        start, end = sorted(self.selection)
        span = (location_to_offset(text, start), location_to_offset(text, end))
        if span not in find_all(text, query, options):
            return False
        self.history.checkpoint()
        self.replace(clean_text(replacement), start, end)
        self.history.checkpoint()
        return True

    def replace_every_match(self, query: str, replacement: str, options: SearchOptions) -> int:
        """Replace all matches as ONE edit, so one undo brings them all back."""
        new_text, count = replace_all(self.text, query, clean_text(replacement), options)
        if count:
            self.replace_whole_text(new_text)
        return count

    def replace_whole_text(self, new_text: str) -> None:
        """Swap the body for `new_text` as a single undoable edit, keeping the cursor near where it was."""
        row, column = self.cursor_location
        self.history.checkpoint()
        self.replace(new_text, (0, 0), self.document.end)
        self.history.checkpoint()
        last_row = self.document.line_count - 1
        row = min(row, last_row)
        self.move_cursor((row, min(column, len(self.document[row]))))


class SafeInput(Input):
    """An `Input` whose pastes are cleaned of terminal control and joined onto one line.

    It does not select its whole value on focus (Textual's default): F4 and a keystroke would
    otherwise replace the headline the editor meant to fix.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = CURSOR_BLINK["enabled"]

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # replaces Input's own paste handler
        text = clean_text(event.text[: self.max_length or MAX_PASTE_CHARACTERS])
        if text:
            self.insert_text_at_cursor(" ".join(text.split("\n")).replace("\t", " "))
        event.stop()
