"""The story list: the desk's queue, drawn line by line so it costs what is on screen.

`ListView` builds a widget per row and lags past ~1,000 stories; `DataTable` re-measures every cell
when rows change.  This `ScrollView` keeps plain `StoryRow`s and renders only the visible lines
(Textual's Line API), so filtering 10,000 stories is a list comprehension and a refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsroom_tui.listing import StoryRow
from newsroom_tui.model import Status
from newsroom_tui.textsafety import for_display

STATUS_STYLES: dict[Status, str] = {
    Status.DRAFT: "",
    Status.SUBMITTED: "cyan",
    Status.EDITED: "blue",
    Status.SCHEDULED: "magenta",
    Status.PUBLISHED: "green",
    Status.CORRECTED: "green",
    Status.UNPUBLISHED: "yellow",
    Status.KILLED: "red",
    Status.SPIKED: "dim",
}


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: int  # 0: takes the remaining width


def columns_for(width: int) -> list[Column]:
    """Which columns fit: all six from 100 cells; at 80 the slug goes (it is in the form and the filter)."""
    if width >= 100:
        return [Column("Status", 11), Column("Slug", 24), Column("Headline", 0), Column("Desk", 12),
                Column("Updated", 12), Column("Words", 5)]
    if width >= 72:
        return [Column("Status", 11), Column("Headline", 0), Column("Desk", 10), Column("Updated", 12),
                Column("Words", 5)]
    if width >= 50:
        return [Column("Status", 11), Column("Headline", 0), Column("Words", 5)]
    return [Column("Status", 11), Column("Headline", 0)]


def _fit(value: str, width: int, style: str | Style = "") -> Text:
    text = Text(for_display(value).replace("\n", " "), style=style, no_wrap=True, end="")
    text.truncate(width, overflow="ellipsis", pad=True)
    return text


class StoryList(ScrollView, can_focus=True):
    """The queue.  Enter opens the story under the cursor; typing a letter starts a filter."""

    COMPONENT_CLASSES = {"story-list--cursor", "story-list--header"}
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "open", "Open", id="open-story", show=False),
    ]

    cursor = reactive(0, always_update=True, init=False)

    class Opened(Message):
        """The editor asked to open the story under the cursor."""

        def __init__(self, story_id: str) -> None:
            self.story_id = story_id
            super().__init__()

    class Resized(Message):
        """The list changed width: the header above it must show the same columns."""

    class TypedAhead(Message):
        """A printable key in the list: the pane moves it to the filter box."""

        def __init__(self, character: str) -> None:
            self.character = character
            super().__init__()

    def __init__(self, zone: ZoneInfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone
        self.rows: list[StoryRow] = []
        self.lock_marks: dict[str, str] = {}  # story id -> the other editor who has it open
        self._line_cache: dict[tuple[int, int, bool, bool], Strip] = {}

    # -- data ---------------------------------------------------------------------------------------
    def set_rows(self, rows: list[StoryRow], *, keep_story_id: str | None = None) -> None:
        """Show `rows`, keeping the cursor on `keep_story_id` (or the current story) when it is there."""
        current = keep_story_id or self.highlighted_id
        self.rows = rows
        self._line_cache.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        index = 0
        if current is not None:
            for position, row in enumerate(rows):
                if row.id == current:
                    index = position
                    break
        self.cursor = min(index, max(0, len(rows) - 1))
        self.refresh()

    def set_lock_marks(self, marks: dict[str, str]) -> None:
        """Mark stories other editors have open; redraws only when the marks changed."""
        if marks != self.lock_marks:
            self.lock_marks = marks
            self._line_cache.clear()
            self.refresh()

    def move_to(self, story_id: str) -> None:
        """Put the cursor on `story_id` if it is in the list."""
        for position, row in enumerate(self.rows):
            if row.id == story_id:
                self.cursor = position
                return

    @property
    def highlighted_id(self) -> str | None:
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor].id
        return None

    # -- drawing ------------------------------------------------------------------------------------
    def header_text(self, width: int) -> Text:
        cols = columns_for(width)
        flex = self._flex_width(width, cols)
        parts = [_fit(col.title, col.width or flex) for col in cols]
        return Text(" ").join(parts)

    @staticmethod
    def _flex_width(width: int, cols: list[Column]) -> int:
        fixed = sum(col.width for col in cols) + len(cols) - 1
        return max(8, width - fixed)

    def watch_cursor(self, old: int, new: int) -> None:
        self._line_cache.pop((old, self.size.width, True, self.has_focus), None)
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self) -> None:
        if self.rows:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)

    def refresh_line(self, index: int) -> None:
        y = index - int(self.scroll_y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self, event: events.Resize) -> None:
        self._line_cache.clear()
        self.virtual_size = Size(event.size.width, len(self.rows))
        self.post_message(self.Resized())

    def on_focus(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._line_cache.clear()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.size.width
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        is_cursor = index == self.cursor
        key = (index, width, is_cursor, self.has_focus)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_row(self.rows[index], width, is_cursor)
            if len(self._line_cache) > 400:
                self._line_cache.clear()
            self._line_cache[key] = strip
        return strip

    def _render_row(self, row: StoryRow, width: int, is_cursor: bool) -> Strip:
        cols = columns_for(width)
        flex = self._flex_width(width, cols)
        cells: list[Text] = []
        for col in cols:
            cell_width = col.width or flex
            if col.title == "Status":
                cells.append(_fit(row.status.value, cell_width, STATUS_STYLES.get(row.status, "")))
            elif col.title == "Slug":
                cells.append(_fit(row.slug, cell_width, "dim"))
            elif col.title == "Headline":
                holder = self.lock_marks.get(row.id)
                if holder:
                    cell = Text(no_wrap=True, end="")
                    cell.append(f"✎{for_display(holder)} ", style="bold magenta")
                    cell.append(for_display(row.headline or "(no headline)").replace("\n", " "))
                    cell.truncate(cell_width, overflow="ellipsis", pad=True)
                    cells.append(cell)
                else:
                    cells.append(_fit(row.headline or "(no headline)", cell_width))
            elif col.title == "Desk":
                cells.append(_fit(row.desk, cell_width))
            elif col.title == "Updated":
                stamp = row.updated_at.astimezone(self.zone).strftime("%d %b %H:%M")
                cells.append(_fit(stamp, cell_width, "dim"))
            elif col.title == "Words":
                cells.append(Text(str(row.word_count).rjust(cell_width)[:cell_width], no_wrap=True, end=""))
        line = Text(" ", end="").join(cells)
        base = self.rich_style
        if is_cursor:
            line.stylize(self.get_component_rich_style("story-list--cursor"))
        segments = list(line.render(self.app.console))
        return Strip(segments).adjust_cell_length(width, base).apply_style(base)

    # -- keys ---------------------------------------------------------------------------------------
    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1

    def action_cursor_down(self) -> None:
        if self.cursor < len(self.rows) - 1:
            self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor = max(0, self.cursor - max(1, self.size.height - 1))

    def action_page_down(self) -> None:
        self.cursor = min(max(0, len(self.rows) - 1), self.cursor + max(1, self.size.height - 1))

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, len(self.rows) - 1)

    def action_open(self) -> None:
        story_id = self.highlighted_id
        if story_id is not None:
            self.post_message(self.Opened(story_id))

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character and event.character not in " \t":
            event.stop()
            event.prevent_default()
            self.post_message(self.TypedAhead(event.character))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y
        if 0 <= index < len(self.rows):
            self.cursor = index
            if event.chain >= 2:
                self.action_open()
