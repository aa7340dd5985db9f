"""The story list: the desk's queue, drawn line by line so it costs what is on screen.

`ListView` builds a widget per row and lags past ~1,000 stories; `DataTable` re-measures every cell
when rows change.  This `ScrollView` keeps plain `StoryRow`s and renders only the visible lines
(Textual's Line API), so filtering 10,000 stories is a list comprehension and a refresh.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsroom_tui.domain.listing import ListedRows, PagedRows, RowWindow, StoryRow
from newsroom_tui.domain.model import Status
from newsroom_tui.text.columns import pad_middle
from newsroom_tui.text.safety import for_display

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
    """Which columns fit.  The list is 78 cells wide both at 120×40 (beside the body) and at 80×24 (alone):
    there it keeps the status, the slug (two stories with one headline are told apart by it: `…toll-2`), the
    headline, who saved it last and when; the desk and the word count come back from 100 cells."""
    if width >= 130:
        return [
            Column("Status", 11),
            Column("Slug", 24),
            Column("Headline", 0),
            Column("Desk", 12),
            Column("Edited by", 12),
            Column("Updated", 12),
            Column("Words", 5),
        ]
    if width >= 100:
        return [
            Column("Status", 11),
            Column("Slug", 20),
            Column("Headline", 0),
            Column("Desk", 10),
            Column("Edited by", 10),
            Column("Updated", 12),
        ]
    if width >= 72:
        return [
            Column("Status", 11),
            Column("Slug", 16),
            Column("Headline", 0),
            Column("Edited by", 9),
            Column("Saved", 6),  # the short stamp: today's time, else the day
        ]
    if width >= 50:
        return [Column("Status", 11), Column("Headline", 0), Column("Saved", 6)]
    return [Column("Status", 11), Column("Headline", 0)]


def fit_slug(slug: str, width: int) -> str:
    """A slug cut in the middle, keeping its end (`padma-br…again-2`), as `newsroom list` cuts it."""
    return pad_middle(for_display(slug).replace("\n", " "), width)


def short_stamp(moment: datetime, zone: ZoneInfo, today: date) -> str:
    """Six cells: the time for today's stories, the day and month for older ones (as `ls -l` does)."""
    local = moment.astimezone(zone)
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d %b")


def _fit_cell(value: str, width: int) -> str:
    """`value` as one line exactly `width` cells wide: cut with an ellipsis, or padded."""
    text = for_display(value).replace("\n", " ")
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    return set_cell_size(text, width)


@cache
def _style(definition: str) -> Style | None:
    return Style.parse(definition) if definition else None


_DIM = Style(dim=True)
_HOLDER = Style(bold=True, color="magenta")
# Live marks: told apart by their shape as well as their colour (16-colour terminals, NO_COLOR).
LIVE_MARK = "●"  # readers see this story; nothing unsent
UNSENT_MARK = "●+"  # live, with saved changes that have not gone out yet
HOLDER_CELLS = 10  # at most this much of another editor's name before the headline
_LIVE = Style(bold=True, color="green")
_DUE = Style(color="magenta")
# Overdue: scheduled, its time passed, nothing published it.  The "!" tells it apart without colour.
OVERDUE_MARK = "! overdue"
_OVERDUE = Style(bold=True, color="red")
_UNSENT = Style(bold=True, color="yellow")


class StoryList(ScrollView, can_focus=True):
    """The queue.  Enter opens the story under the cursor; typing a letter starts a filter."""

    COMPONENT_CLASSES = {"story-list--cursor", "story-list--header"}
    BINDINGS = [
        Binding("up", "cursor_up", "Up", id="list-up", show=False),
        Binding("down", "cursor_down", "Down", id="list-down", show=False),
        Binding("pageup", "page_up", "Page up", id="list-page-up", show=False),
        Binding("pagedown", "page_down", "Page down", id="list-page-down", show=False),
        Binding("home", "first", "First", id="list-first", show=False),
        Binding("end", "last", "Last", id="list-last", show=False),
        Binding("enter", "open", "Open", id="open-story", show=False),
        Binding("question_mark", "app.help", "Help", id="list-help", show=False),
    ]

    cursor = reactive(0, always_update=True, init=False)

    class Opened(Message):
        """The editor asked to open the story under the cursor."""

        def __init__(self, story_id: str) -> None:
            self.story_id = story_id
            super().__init__()

    class Resized(Message):
        """The list changed width: the header above it must show the same columns."""

    class Relay(Message):
        """Carries a desk action through the list's queue, so it keeps its place among the keys typed
        into the list (see StartupGate.in_order)."""

        def __init__(self, callback: Callable[[], object]) -> None:
            self.callback = callback
            super().__init__()

    class NeedRows(Message):
        """Rows came into view that the window does not hold yet (a database's list): read these pages."""

        def __init__(self, window: PagedRows, pages: list[int]) -> None:
            self.window = window
            self.pages = pages
            super().__init__()

    class Painted(Message):
        """The list has been drawn for the first time: the desk can build what the first screen lacks."""

    class TypedAhead(Message):
        """A printable key in the list: the desk moves it to the filter box (or to the story it is
        opening, when the key was typed right after Enter)."""

        def __init__(self, character: str) -> None:
            self.character = character
            super().__init__()

    def __init__(self, zone: ZoneInfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.zone = zone
        self.window: RowWindow = ListedRows([])
        self._missing: set[int] = set()  # pages drawn as placeholders this frame
        self.lock_marks: dict[str, str] = {}  # story id -> the other editor who has it open
        self._line_cache: dict[tuple[str, int, bool, int, bool, bool, str | None, date, bool], Strip] = {}
        self._base_style: Style | None = None
        self._painted = False
        self.empty_message = ""  # what to say when the filter leaves no rows
        self._today_at: tuple[float, date] | None = None  # (when looked up, today in the desk's zone)
        self._now = datetime.now(UTC)  # this frame's time: which scheduled rows are overdue
        self._due_checked = self._now  # rows drawn since were drawn as they were then

    # -- data ---------------------------------------------------------------------------------------
    def set_rows(self, rows: list[StoryRow], *, keep_story_id: str | None = None, empty: str = "") -> None:
        """Show `rows`, keeping the cursor on `keep_story_id` (or the current story) when it is there;
        `empty` is what to say when there are none (what the filter asked for)."""
        current = keep_story_id or self.highlighted_id
        window = ListedRows(rows)
        index = window.index_of(current) if current is not None else None
        self.set_window(window, index or 0, empty=empty)

    def set_window(self, window: RowWindow, cursor: int, *, empty: str = "") -> None:
        """Show `window` (every row, or some pages of a database's answer) with the cursor on row `cursor`."""
        self.window = window
        self.empty_message = empty
        self._set_row_count(len(window))
        self.cursor = min(cursor, max(0, len(window) - 1))
        self.refresh()

    @property
    def rows(self) -> list[StoryRow]:
        """The rows held: every row of an in-memory list, the pages read of a database's."""
        window = self.window
        return window.rows if isinstance(window, ListedRows) else list(window.held())

    def _set_row_count(self, count: int) -> None:
        """The scrollable height, without a layout of the whole screen.

        `virtual_size` is a layout reactive: setting it re-laid out every widget on the screen, about
        8 ms of each filter keystroke at 120×40 (measured).  The list's own box never changes with its
        row count (the scrollbar gutter is kept, `scrollbar-gutter: stable`), so only its scrollbar is
        updated, as Textual does after a resize; a scrollbar that appears or goes still lays out.
        """
        size = Size(0, count)  # rows are cut to the width: nothing to scroll sideways
        if size == self.virtual_size:
            return
        self.set_reactive(ScrollView.virtual_size, size)
        if self.is_mounted and self.size:
            self._scroll_update(size)
        else:
            self.refresh(layout=True)

    def check_due(self, moment: datetime | None = None) -> None:
        """Redraw when a scheduled story's time has passed since the last look (it turns overdue); the desk
        calls it on its store poll.  Costs a look at each row's time, no drawing unless one turned."""
        moment = moment or datetime.now(UTC)
        last, self._due_checked = self._due_checked, moment
        if any(row.scheduled_at is not None and last < row.scheduled_at <= moment for row in self.window.held()):
            self.refresh()

    def set_lock_marks(self, marks: dict[str, str]) -> None:
        """Mark stories other editors have open; redraws only when the marks changed."""
        if marks != self.lock_marks:
            self.lock_marks = marks
            self.refresh()

    def move_to(self, story_id: str) -> None:
        """Put the cursor on `story_id` if it is in the list."""
        position = self.window.index_of(story_id)
        if position is not None:
            self.cursor = position

    @property
    def highlighted_id(self) -> str | None:
        """The story under the cursor; None on an empty list, or on a row whose page is still being read."""
        row = self.window.get(self.cursor)
        return row.id if row is not None else None

    # -- drawing ------------------------------------------------------------------------------------
    @property
    def row_width(self) -> int:
        """The cells a row shows: the list's width less its scrollbar's gutter (kept, `scrollbar-gutter:
        stable`).  Rows drawn as wide as the list lost their last cell under it: `02 Apr` showed `02 Ap`."""
        return self.scrollable_content_region.width

    def header_text(self, width: int) -> Text:
        cols = columns_for(width)
        flex = self._flex_width(width, cols)
        return Text(" ".join(_fit_cell(col.title, col.width or flex) for col in cols), no_wrap=True, end="")

    @staticmethod
    def _flex_width(width: int, cols: list[Column]) -> int:
        fixed = sum(col.width for col in cols) + len(cols) - 1
        return max(8, width - fixed)

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self) -> None:
        if len(self.window):
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)

    def refresh_line(self, index: int) -> None:
        y = index - int(self.scroll_y)
        if 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def on_resize(self, event: events.Resize) -> None:
        self._line_cache.clear()
        self._set_row_count(len(self.window))
        self.post_message(self.Resized())

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()  # a theme change: the cached lines have the old colours

    def render_lines(self, crop: Region) -> list[Strip]:
        # The widget's base style walks every ancestor's styles: work it out once a frame, not a line.
        self._base_style = self.rich_style
        self._now = datetime.now(UTC)
        lines = super().render_lines(crop)
        window = self.window
        if self._missing and isinstance(window, PagedRows):
            self.post_message(self.NeedRows(window, sorted(self._missing)))
        self._missing.clear()
        return lines

    def render_line(self, y: int) -> Strip:
        if not self._painted:
            self._painted = True
            self.post_message(self.Painted())  # handled after this frame is written
        index = int(self.scroll_y) + y
        width = self.row_width
        base = self._base_style or self.rich_style
        window = self.window
        if index >= len(window):
            if index == 0 and self.empty_message:
                text = for_display(self.empty_message)[:width]
                return Strip([Segment(" " + text, base + Style(dim=True, italic=True))]).extend_cell_length(width, base)
            return Strip.blank(width, base)
        row = window.get(index)
        is_cursor = index == self.cursor
        if row is None:  # a database's row not read yet: a placeholder, and its page is asked for
            assert isinstance(window, PagedRows)
            self._missing.add(window.page_of(index))
            top = base + self.get_component_rich_style("story-list--cursor") if is_cursor else base
            return Strip([Segment(" …".ljust(width), top + _DIM)], width)
        # By story, not by position: filtering moves rows about, and a row seen before is not drawn again.
        holder = self.lock_marks.get(row.id)
        overdue = row.scheduled_at is not None and row.overdue(self._now)
        key = (row.id, row.version, row.unsent, width, is_cursor, self.has_focus, holder, self._today(), overdue)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_row(row, width, is_cursor, base)
            if len(self._line_cache) > 2000:
                self._line_cache.clear()
            self._line_cache[key] = strip
        return strip

    def _render_row(self, row: StoryRow, width: int, is_cursor: bool, base: Style) -> Strip:
        """One row as segments, without building Rich `Text`: a filter keystroke draws every visible row."""
        cols = columns_for(width)
        flex = self._flex_width(width, cols)
        segments: list[Segment] = []
        for col in cols:
            if segments:
                segments.append(Segment(" "))
            cell_width = col.width or flex
            if col.title == "Status":
                segments.append(self._status_cell(row, cell_width))
            elif col.title == "Slug":
                segments.append(Segment(fit_slug(row.slug, cell_width), _DIM))
            elif col.title == "Headline":
                segments.extend(self._headline_cell(row, cell_width))
            elif col.title == "Desk":
                segments.append(Segment(_fit_cell(row.desk, cell_width)))
            elif col.title == "Edited by":
                segments.append(Segment(_fit_cell(row.updated_by, cell_width), _DIM))
            elif col.title == "Updated":
                stamp = row.updated_at.astimezone(self.zone).strftime("%d %b %H:%M")
                segments.append(Segment(_fit_cell(stamp, cell_width), _DIM))
            elif col.title == "Saved":
                segments.append(
                    Segment(_fit_cell(short_stamp(row.updated_at, self.zone, self._today()), cell_width), _DIM)
                )
            elif col.title == "Words":
                segments.append(Segment(str(row.word_count).rjust(cell_width)[:cell_width]))
        segments = Segment.adjust_line_length(segments, width)  # pad, or crop at a narrow width
        top = base + self.get_component_rich_style("story-list--cursor") if is_cursor else base
        # One Strip, exactly `width` cells, the base (and cursor) style under each cell's own: building
        # it in steps (adjust_cell_length, apply_style) made three Strips a row, each with its caches.
        return Strip([Segment(text, top + style if style else top) for text, style, _ in segments], width)

    def _status_cell(self, row: StoryRow, width: int) -> Segment:
        """The status; for a scheduled story when it goes out (`due 18:00`, `due 03 Dec`), or `! overdue`
        once that time has passed and nothing published it (the title line says since when)."""
        if row.scheduled_at is not None and row.status is Status.SCHEDULED:
            if row.overdue(self._now):
                return Segment(_fit_cell(OVERDUE_MARK, width), _OVERDUE)
            due = f"due {short_stamp(row.scheduled_at, self.zone, self._today())}"
            return Segment(_fit_cell(due, width), _DUE)
        return Segment(_fit_cell(row.status.value, width), _style(STATUS_STYLES[row.status]))

    def _headline_cell(self, row: StoryRow, width: int) -> list[Segment]:
        """The headline, after its marks: live (`●`) or live with unsent changes (`●+`), then who has it
        open (`✎rina`).  The marks take only their own width (a long name is cut), so the headline shows."""
        segments: list[Segment] = []
        used = 0
        if row.live:
            mark, style = (UNSENT_MARK, _UNSENT) if row.unsent else (LIVE_MARK, _LIVE)
            mark = _fit_cell(f"{mark} ", min(width, cell_len(mark) + 1))
            segments.append(Segment(mark, style))
            used += cell_len(mark)
        holder = self.lock_marks.get(row.id)
        if holder and used < width:
            name = for_display(holder)
            room = min(width - used, HOLDER_CELLS + 2, cell_len(name) + 2)  # ✎, the name, a space
            if cell_len(name) > room - 2:  # cut, without a space before the ellipsis
                name = set_cell_size(name, max(0, room - 3)).rstrip() + "…" if room > 3 else ""
            mark = f"✎{name} "
            mark = _fit_cell(mark, min(room, cell_len(mark)))
            segments.append(Segment(mark, _HOLDER))
            used += cell_len(mark)
        if used < width:
            segments.append(Segment(_fit_cell(row.headline or "(no headline)", width - used)))
        return segments

    def _today(self) -> date:
        """Today in the desk's zone (for the short stamps), looked up once a second at most."""
        import time

        now = time.monotonic()
        if self._today_at is None or now - self._today_at[0] > 1.0:
            self._today_at = (now, datetime.now(self.zone).date())
        return self._today_at[1]

    # -- keys ---------------------------------------------------------------------------------------
    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1

    def action_cursor_down(self) -> None:
        if self.cursor < len(self.window) - 1:
            self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor = max(0, self.cursor - max(1, self.size.height - 1))

    def action_page_down(self) -> None:
        self.cursor = min(max(0, len(self.window) - 1), self.cursor + max(1, self.size.height - 1))

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, len(self.window) - 1)

    def action_open(self) -> None:
        story_id = self.highlighted_id
        if story_id is not None:
            self.post_message(self.Opened(story_id))

    @staticmethod
    def types_ahead(event: events.Key) -> bool:
        """A key the list types into the filter.  `?` is help here, as in vim and less (its binding runs);
        in the filter box itself it types."""
        return bool(event.is_printable and event.character and event.character not in ("\t", "?"))

    def on_key(self, event: events.Key) -> None:
        if self.types_ahead(event):
            event.stop()
            event.prevent_default()
            self.post_message(self.TypedAhead(event.character or ""))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y
        if 0 <= index < len(self.window):
            self.cursor = index
            if event.chain >= 2:
                self.action_open()
