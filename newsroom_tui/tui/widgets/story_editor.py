"""The body editor and the one-line inputs, with terminal control stripped from what comes in.

A paste can carry escape sequences (OSC 52 clipboard writes, screen clears) or C1 controls from
a web page; `clean_text` removes them before they reach the document, keeping ZWJ/ZWNJ.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.reactive import Reactive, reactive
from textual.widgets import Input, TextArea
from textual.widgets.text_area import Edit, EditResult, Selection

from newsroom_tui.text.safety import clean_text
from newsroom_tui.text.search import (
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
    """The story body: soft-wrapped prose, undo/redo, no syntax highlighting.

    Repaints only what a keystroke changed.  Textual's `TextArea.selection` is a reactive that repaints
    the whole widget whenever the cursor moves, which is on every key: measured in a pty, about 3.8 KB
    a keystroke at 120x40 for a 4 KB story.  Here the selection does not repaint by itself; an edit
    refreshes the wrapped lines of the paragraphs it touched (everything below when the paragraph
    grew or shrank by a line), and a cursor move refreshes the lines it left and entered.
    """

    selection: Reactive[Selection] = reactive(Selection(), init=False, always_update=True, repaint=False)

    def __init__(self, *, id: str | None = None, disabled: bool = False) -> None:
        super().__init__(
            "",
            soft_wrap=True,
            show_line_numbers=False,
            tab_behavior="focus",
            highlight_cursor_line=False,
            id=id,
            disabled=disabled,
        )
        self.cursor_blink = CURSOR_BLINK["enabled"]

    def edit(self, edit: Edit) -> EditResult:
        wrapped = self.wrapped_document
        height_before = wrapped.height
        top, bottom = sorted((edit.from_location, edit.to_location))
        offsets_before = wrapped.get_offsets(top[0]) if top[0] == bottom[0] else None
        length_before = len(self.document[top[0]]) if offsets_before is not None else 0
        result = super().edit(edit)
        row = top[0]
        first_y = wrapped.location_to_offset(top)[1]
        if wrapped.height != height_before:
            # Lines came or went: everything from the edit down moves.
            self.refresh_lines(first_y, max(1, self.scroll_offset.y + self.size.height - first_y))
        elif offsets_before is not None and result.end_location[0] == row:
            # An edit inside one paragraph: if its wrap points only shifted by what was typed or
            # deleted, the lines after the edited one show the same words and need no repaint.
            shift = len(self.document[row]) - length_before
            shifted = [offset + shift if offset > top[1] else offset for offset in offsets_before]
            if shifted == wrapped.get_offsets(row):
                last_y = wrapped.location_to_offset(result.end_location)[1]
                self.refresh_lines(first_y, last_y - first_y + 1)
            else:
                self.refresh_lines(first_y, self._line_y(row) + self._wrapped_height(row) - first_y)
        else:
            last_row = max(bottom[0], result.end_location[0])
            self.refresh_lines(first_y, self._line_y(last_row) + self._wrapped_height(last_row) - first_y)
        return result

    def _watch_selection(self, previous_selection: Selection, selection: Selection) -> None:
        super()._watch_selection(previous_selection, selection)
        if not self.is_mounted:
            return
        locations = (*previous_selection, *selection)
        if any(row >= self.document.line_count for row, _ in locations):
            self.refresh()
            return
        # Only the wrapped lines the cursor (or the selection) left and entered.
        ys = [self.wrapped_document.location_to_offset(location)[1] for location in locations]
        self.refresh_lines(min(ys), max(ys) - min(ys) + 1)

    def _refresh_size(self) -> None:
        # Textual sets the virtual size on every edit; a change (even of the unused width) lays out and
        # repaints the whole editor.  Only a change in the number of wrapped lines needs that.
        if self.soft_wrap:
            if self.virtual_size.height != self.wrapped_document.height:
                self.virtual_size = Size(self.virtual_size.width, self.wrapped_document.height)
            self._refresh_scrollbars()
        else:
            super()._refresh_size()

    def _line_y(self, row: int) -> int:
        """The first wrapped line (y in the document) of document row `row`."""
        row = max(0, min(row, self.document.line_count - 1))
        return self.wrapped_document.location_to_offset((row, 0))[1]

    def _wrapped_height(self, row: int) -> int:
        row = max(0, min(row, self.document.line_count - 1))
        return max(1, len(self.wrapped_document.get_offsets(row)) + 1)

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

    def _watch_value(self, value: str) -> None:
        """Textual's Input sets `virtual_size`, a layout reactive, on every change: each keystroke in any
        box re-laid out the whole screen (8-13 ms at 120×40, measured on the filter box).  The box's own
        size never depends on its text here (no `width: auto`), so only its scroll range is updated."""
        size = Size(self.content_width, 1)
        if size != self.virtual_size and not self.styles.auto_dimensions:
            self.set_reactive(Input.virtual_size, size)
            if self.is_mounted:
                self._scroll_update(size)
        super()._watch_value(value)  # finds the size already set: no layout

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # replaces Input's own paste handler
        text = clean_text(event.text[: self.max_length or MAX_PASTE_CHARACTERS])
        if text:
            self.insert_text_at_cursor(" ".join(text.split("\n")).replace("\t", " "))
        event.stop()
