"""The body editor and the one-line inputs, with terminal control stripped from what comes in.

A paste can carry escape sequences (OSC 52 clipboard writes, screen clears) or C1 controls from
a web page; `clean_text` removes them before they reach the document, keeping ZWJ/ZWNJ.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.strip import Strip
from textual.widgets import Input, TextArea
from textual.widgets.input import Selection as InputSelection
from textual.widgets.text_area import EditResult, Location, Selection

from newsroom_tui.text.graphemes import next_boundary, previous_boundary
from newsroom_tui.text.safety import clean_text
from newsroom_tui.text.search import (
    SearchOptions,
    find_all,
    keep_case,
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


# A line that has not been painted yet (or whose look could not be worked out): never equal to a look.
_UNKNOWN = object()


class BodyEditor(TextArea):
    """The story body: soft-wrapped prose, undo/redo, no syntax highlighting.

    Repaints only the screen lines whose look changed.  Textual's `TextArea.selection` is a reactive that
    repaints the whole widget whenever the cursor moves, which is on every key: measured in a pty, about
    3.8 KB a keystroke at 120x40 for a 4 KB story.  Here the selection does not repaint by itself.
    Instead the editor remembers, for each screen line it painted, what that line showed (its *look*:
    the slice of the paragraph, the part of the selection and the cursor on it, the frame around it).
    Whenever the document or the selection may have changed -- an edit, undo, redo, a load, the text
    setter, a rewrap, a cursor move -- it works out each visible line's look again and repaints exactly
    the lines that differ from what was painted.  Deciding by comparing with the screen rather than by
    knowing what each operation did means no path can leave a stale line behind: undo after fix-all,
    an F12 restore and the `$EDITOR` result all go through the same comparison as a keystroke.
    """

    selection: Reactive[Selection] = reactive(Selection(), init=False, always_update=True, repaint=False)

    def __init__(self, *, id: str | None = None, disabled: bool = False) -> None:
        # What each screen line (y in the widget) showed when it was last painted.
        self._painted_looks: list[object] = []
        self._spelling_marks: list[tuple[int, int, str]] = []
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

    # -- spelling marks -------------------------------------------------------------------------------
    # Words the copy desk's spelling check found, underlined in red through TextArea's own highlight
    # map (the one syntax highlighting uses; this editor has no language, so the map is ours).
    SPELLING_STYLE = Style(color="red", underline=True)

    def show_spelling(self, marks: list[tuple[int, int, str]]) -> None:
        """Underline these words: (row, column, word), columns in characters of the document's line."""
        if marks == self._spelling_marks:
            return
        self._spelling_marks = marks
        self._build_highlight_map()
        self._repaint_changed_lines()

    def _build_highlight_map(self) -> None:
        super()._build_highlight_map()
        # A mark whose word is no longer where it was (the text moved under it since the last check)
        # is dropped until the next check places it again.
        lines = self.document.lines
        for row, column, word in self._spelling_marks:
            if row < len(lines) and lines[row][column : column + len(word)] == word:
                start = len(lines[row][:column].encode("utf-8"))
                self._highlights[row].append((start, start + len(word.encode("utf-8")), "newsroom-spelling"))

    def _set_theme(self, theme: str) -> None:
        super()._set_theme(theme)
        self._theme.syntax_styles = {**self._theme.syntax_styles, "newsroom-spelling": self.SPELLING_STYLE}

    # -- partial repaint ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        looks = self._painted_looks
        if y >= len(looks):
            looks.extend([_UNKNOWN] * (y + 1 - len(looks)))
        looks[y] = self._looks(range(y, y + 1))[0]
        return strip

    def _frame(self) -> tuple[object, ...]:
        """What every line's look depends on: a change here repaints them all."""
        placeholder = bool(self.placeholder) and self.document.line_count == 1 and not self.document[0]
        return (
            self.size,
            self.scroll_offset,
            self.scrollable_content_region.size,
            self.virtual_size.width,
            self.soft_wrap,
            self.theme,
            self.show_line_numbers,
            self.line_number_start,
            self.gutter_width,
            self.read_only,
            self.show_cursor,
            placeholder,
            self._draw_cursor if placeholder else None,
        )

    def _looks(self, ys: range) -> list[object]:
        """What each screen line in `ys` shows, in terms cheap to compute and compare (no rendering).

        Mirrors what `TextArea._render_line` draws for a line: the slice of the paragraph (its wrapped
        section), the part of the selection, the cursor and a matched bracket that fall in that slice,
        and whatever decorates the whole paragraph row (cursor-line highlight, a suggestion, syntax
        highlights, tab widths, the line number).
        """
        frame = self._frame()
        wrapped = self.wrapped_document
        document = self.document
        line_info = wrapped._offset_to_line_info
        height = wrapped.height
        scroll_y = self.scroll_offset.y
        selection = self.selection
        cursor_row, cursor_column = selection.end
        (top_row, top_column), (bottom_row, bottom_column) = sorted(selection)
        selecting = not selection.is_empty
        draw_cursor = self._draw_cursor
        cursor_line = self.highlight_cursor_line and self._has_cursor
        suggestion = (self.suggestion, cursor_column, self.has_focus) if self.suggestion else None
        bracket = self._matching_bracket_location
        brackets = (
            (bracket, selection.end) if bracket is not None and self.match_cursor_bracket and not selecting else ()
        )
        highlights = self._highlights
        numbers = self.show_line_numbers
        looks: list[object] = []
        for y in ys:
            absolute_y = scroll_y + y
            if absolute_y >= height:
                looks.append((frame, None))
                continue
            try:
                row, section = line_info[absolute_y]
                line = document[row]
                bounds = [0, *wrapped.get_offsets(row), len(line) + 1]
                start, end = bounds[section], bounds[section + 1]
            except (IndexError, ValueError):  # the wrapped view is between two states: repaint to be sure
                looks.append(_UNKNOWN)
                continue
            text = line[start:end]
            marks: list[object] = []
            if selecting and top_row <= row <= bottom_row:
                if not line and row != cursor_row:
                    marks.append("selected empty line")
                else:
                    first = max(top_column if row == top_row else 0, start)
                    last = min(bottom_column if row == bottom_row else len(line), end)
                    if first < last:
                        marks.append(("selected", first - start, last - start))
            if cursor_row == row:
                if start <= cursor_column < end:
                    marks.append(("cursor", cursor_column - start, draw_cursor))
                if cursor_line:
                    marks.append("cursor line")
                if suggestion:
                    marks.append(suggestion)
            for bracket_row, bracket_column in brackets:
                if bracket_row == row and start <= bracket_column < end:
                    marks.append(("bracket", bracket_column - start))
            if highlights and highlights.get(row):
                marks.append(("highlights", start, tuple(highlights[row])))
            if "\t" in text:
                marks.append(("tabs", tuple(wrapped.get_tab_widths(row)), start))
            if numbers:
                marks.append(("number", row if section == 0 else None))
            looks.append((frame, text, end == bounds[-1], tuple(marks)))
        return looks

    def _repaint_changed_lines(self) -> None:
        """Repaint the visible lines whose look differs from what was painted there, and only those."""
        if not self.is_mounted:
            return
        height = self.size.height
        if not height:
            return
        painted = self._painted_looks
        scroll_y = self.scroll_offset.y
        run_start: int | None = None
        for y, look in enumerate([*self._looks(range(height)), None]):
            changed = y < height and (y >= len(painted) or painted[y] != look)
            if changed and run_start is None:
                run_start = y
            elif not changed and run_start is not None:
                self.refresh_lines(scroll_y + run_start, y - run_start)
                run_start = None

    def _recompute_cursor_offset(self) -> None:
        # An undo or redo batch changes the document first and restores the selection last; in between,
        # a scrollbar that comes or goes scrolls to the cursor, which may point past the shortened
        # document (Textual 8.2.8 then raises ValueError and the desk dies).  The restored selection
        # recomputes the offset and scrolls again, so the nearest real place is right for the meantime.
        self._cursor_offset = self.wrapped_document.location_to_offset(self.clamp_visitable(self.cursor_location))

    def _watch_selection(self, previous_selection: Selection, selection: Selection) -> None:
        super()._watch_selection(previous_selection, selection)
        self._repaint_changed_lines()

    def _refresh_size(self) -> None:
        # Every change to the document ends here, whichever way it came: `edit()`, undo and redo
        # batches, `load_text`/the text setter (through the rewrap), a resize, a new wrap width.
        #
        # Textual sets the virtual size on every edit; a change (even of the unused width) lays out and
        # repaints the whole editor.  Only a change in the number of wrapped lines needs that.
        if self.soft_wrap:
            if self.virtual_size.height != self.wrapped_document.height:
                self.virtual_size = Size(self.virtual_size.width, self.wrapped_document.height)
            self._refresh_scrollbars()
        else:
            super()._refresh_size()
        self._repaint_changed_lines()

    class TypedWhileReadOnly(Message):
        """A key that would have typed was ignored because the body is read-only (the desk says why, once)."""

    async def _on_key(self, event: events.Key) -> None:
        if self.read_only and (event.is_printable or event.key in ("enter", "backspace", "delete")):
            self.post_message(self.TypedWhileReadOnly())
        await super()._on_key(event)

    def _replace_via_keyboard(self, insert: str, start: tuple[int, int], end: tuple[int, int]) -> EditResult | None:
        return super()._replace_via_keyboard(clean_text(insert), start, end)

    # The cursor, and so Backspace and Delete, step over whole grapheme clusters: `সি` is one step, not two
    # (Textual moves by code point, and typing between স and ি gave `সXিলেটে`).
    def get_cursor_left_location(self) -> Location:
        row, column = self.cursor_location
        if column == 0:
            return super().get_cursor_left_location()
        return row, previous_boundary(self.document[row], column)

    def get_cursor_right_location(self) -> Location:
        row, column = self.cursor_location
        line = self.document[row]
        if column >= len(line):
            return super().get_cursor_right_location()
        return row, next_boundary(line, column)

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
        replacement = clean_text(replacement)
        if not options.case_sensitive:  # as replace-all does: "Toll" → "Fee", not "fee"
            replacement = keep_case(text[span[0] : span[1]], replacement)
        self.history.checkpoint()
        self.replace(replacement, start, end)
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


_SIGNS = frozenset(("Mn", "Mc", "Me"))  # marks: a vowel sign, a virama, a candrabindu


class SafeInput(Input):
    """An `Input` whose pastes are cleaned of terminal control and joined onto one line.

    It does not select its whole value on focus (Textual's default): F4 and a keystroke would
    otherwise replace the headline the editor meant to fix.
    """

    def __init__(self, *args: object, label: str = "", **kwargs: object) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.cursor_blink = CURSOR_BLINK["enabled"]
        self.label = label  # names the box in messages ("The byline takes at most…")

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

    def render_line(self, y: int) -> Strip:
        """Never start the view on a lone vowel sign: scrolled by cells, a Bangla headline showed as
        `ি ৪০ হাজার…`, the sign cut from its letter.  Signs left at the view's start are blanked (one
        space for a sign a cell wide), so every cell stays where Textual put it, the cursor included."""
        strip = super().render_line(y)
        if not self.scroll_offset.x:
            return strip
        segments: list[Segment] = []
        leading = True
        for segment in strip:
            if leading and segment.text and not segment.control:
                text = segment.text
                cut = 0
                while cut < len(text) and unicodedata.category(text[cut]) in _SIGNS:
                    cut += 1
                if cut:
                    blank = "".join(" " for char in text[:cut] if cell_len(char))
                    segment = Segment(blank + text[cut:], segment.style, segment.control)
                leading = cut == len(text)
            segments.append(segment)
        return Strip(segments, strip.cell_length)

    # By grapheme cluster, as the body does (text.graphemes): never between a letter and its vowel sign.
    def action_cursor_left(self, select: bool = False) -> None:
        start, end = self.selection
        if select:
            self.selection = InputSelection(start, previous_boundary(self.value, end))
        elif self.selection.is_empty:
            self.cursor_position = previous_boundary(self.value, self.cursor_position)
        else:
            self.cursor_position = min(start, end)

    def action_cursor_right(self, select: bool = False) -> None:
        start, end = self.selection
        if select:
            self.selection = InputSelection(start, next_boundary(self.value, end))
        elif self.cursor_at_end and self._suggestion:
            super().action_cursor_right()
        elif self.selection.is_empty:
            self.cursor_position = next_boundary(self.value, self.cursor_position)
        else:
            self.cursor_position = max(start, end)

    def action_delete_left(self) -> None:
        if self.selection.is_empty:
            self.delete(previous_boundary(self.value, self.cursor_position), self.cursor_position)
        else:
            self.delete_selection()

    def action_delete_right(self) -> None:
        if self.selection.is_empty:
            self.delete(self.cursor_position, next_boundary(self.value, self.cursor_position))
        else:
            self.delete_selection()

    def _on_paste(self, event: events.Paste) -> None:
        event.prevent_default()  # replaces Input's own paste handler
        event.stop()
        text = " ".join(clean_text(event.text[:MAX_PASTE_CHARACTERS]).split("\n")).replace("\t", " ")
        if not text:
            return
        start, end = sorted(self.selection)
        after = len(self.value) - (end - start) + len(text)
        if self.max_length and after > self.max_length:
            # Input drops a paste that would pass max_length without a word; say so and keep the box as it was.
            box = f"The {self.label.lower()} box" if self.label else "This box"
            self.app.notify(
                f"{box} takes at most {self.max_length:,} characters; the paste has {len(text):,}. Nothing was pasted.",
                severity="warning",
            )
            return
        if start == end:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, start, end)
