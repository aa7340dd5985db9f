"""Search the archive (F6, or "Search the archive" in the palette): every story, not only the desk's list.

Keyboard only: type words and "quoted phrases" and the results follow (the search runs in a worker thread a
moment after the last key, or at once on Enter); ↓ goes to the results, Enter on a hit opens it in the desk
through the desk's own open path (unsaved changes asked about first, the story's lock taken), Escape goes back.
What matches is the use case's rule (`Newsroom.search`, the same as `newsroom search`); this screen only
shows it, as `Text` (never markup) through the terminal boundary.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from newsroom_tui.domain.errors import UserError
from newsroom_tui.storage.store import StoreError
from newsroom_tui.text.safety import for_display
from newsroom_tui.text.wording import counted
from newsroom_tui.tui.keymaps import key_name
from newsroom_tui.tui.widgets.key_bar import KeyBar
from newsroom_tui.tui.widgets.story_editor import SafeInput

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from newsroom_tui.domain.search import SearchHit
    from newsroom_tui.usecases.newsroom import Newsroom

DESK_SEARCH_LIMIT = 50  # more than a screen; past that the editor adds a word
TYPING_PAUSE = 0.25  # seconds after the last key before the search runs (Enter runs it at once)
PROMPT = 'Type words or "quoted phrases": every one must be in the headline, summary, body, byline or tags.'


def hit_text(hit: SearchHit, zone: ZoneInfo, width: int) -> Text:
    """A hit as two lines cut to `width` cells: status, last saved (the desk's zone) and headline; the snippet."""
    row = hit.row
    line = Text(end="")
    line.append(f"{row.status.value:<11}", style="bold" if row.live else "")
    line.append(row.updated_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), style="dim")
    line.append("  ")
    line.append(for_display(row.headline) or "(no headline)", style="bold")
    snippet = Text("  " + (for_display(hit.snippet) or for_display(row.slug)), style="italic dim", end="")
    for part in (line, snippet):
        part.truncate(max(10, width), overflow="ellipsis")
    return Text.assemble(line, "\n", snippet, end="")


class ArchiveSearchScreen(Screen[str | None]):
    """Dismisses with the id of the story to open, or None (Escape)."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="search-close"),
        Binding("down", "to_results", "Results", id="search-results", show=False),
    ]
    AUTO_FOCUS = "#search-query"

    def __init__(self, newsroom: Newsroom, zone: ZoneInfo, *, limit: int = DESK_SEARCH_LIMIT) -> None:
        super().__init__()
        self.newsroom = newsroom
        self.zone = zone
        self.limit = limit
        self._timer: Timer | None = None
        self._asked = 0  # searches started; a result is shown only if it answers the latest
        self.shown_for: str | None = None  # the query the results on screen answer
        self.hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        title = Text("Search the archive", style="bold")
        down, back = key_name(self.app, "search-results"), key_name(self.app, "search-close")
        title.append(f"  {down} results · Enter opens · {back} goes back", style="dim")
        yield Static(title, id="search-title")
        yield SafeInput(placeholder='words or "a phrase"', id="search-query", label="search")
        yield Static(Text(PROMPT, style="dim"), id="search-status")
        yield OptionList(id="search-results")
        yield KeyBar()

    @property
    def query_box(self) -> SafeInput:
        return self.query_one("#search-query", SafeInput)

    @property
    def results(self) -> OptionList:
        return self.query_one("#search-results", OptionList)

    def _say(self, sentence: str, *, style: str = "") -> None:
        self.query_one("#search-status", Static).update(Text(for_display(sentence), style=style))

    # -- searching --------------------------------------------------------------------------------------
    @on(SafeInput.Changed, "#search-query")
    def _typed(self, event: SafeInput.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(TYPING_PAUSE, lambda: self.search(event.value))

    @on(SafeInput.Submitted, "#search-query")
    def _entered(self, event: SafeInput.Submitted) -> None:
        if event.value == self.shown_for and self.hits:
            self._open(self.results.highlighted or 0)  # the results are this query's: Enter opens the first
            return
        if self._timer is not None:
            self._timer.stop()
        self.search(event.value)

    def search(self, text: str) -> None:
        """Run the search for `text` in a worker (an empty box just shows the prompt again)."""
        self._asked += 1
        if not text.strip():
            self.shown_for, self.hits = text, []
            self.results.clear_options()
            self._say(PROMPT, style="dim")
            return
        self._say("Searching…", style="dim")
        self._search(text, self._asked)

    @work(thread=True, exclusive=True, group="archive-search")
    def _search(self, text: str, asked: int) -> None:
        try:
            hits, problem = self.newsroom.search(text, limit=self.limit), None
        except (UserError, StoreError) as error:
            hits, problem = [], str(error)
        with contextlib.suppress(RuntimeError):  # the app is closing: nobody is waiting for this
            self.app.call_from_thread(self._show, asked, text, hits, problem)

    def _show(self, asked: int, text: str, hits: list[SearchHit], problem: str | None) -> None:
        if asked != self._asked or not self.is_mounted:
            return  # a later search is on its way
        self.shown_for, self.hits = text, hits
        self._list_hits(0)
        if problem is not None:
            self._say(problem, style="bold")
        elif not hits:
            self._say(f"No story matches {text.strip()}.", style="bold")
        elif len(hits) >= self.limit:
            self._say(f"The newest {len(hits)} matches; add a word to narrow them. {self._down} then Enter opens one.")
        else:
            self._say(f"{counted(len(hits), 'story')}, newest first. {self._down} then Enter opens one.")

    @property
    def _down(self) -> str:
        return key_name(self.app, "search-results")

    def _list_hits(self, highlighted: int | None) -> None:
        """The hits as the results list's options, each line cut to the list's width (a wrapped headline
        pushed the snippets off an 80×24 screen)."""
        results = self.results
        width = results.content_region.width - results.styles.scrollbar_size_vertical
        options: list[Option | None] = []
        for hit in self.hits:
            if options:
                options.append(None)  # a rule between hits
            options.append(Option(hit_text(hit, self.zone, width), id=hit.row.id))
        results.set_options(options)
        if self.hits and highlighted is not None:
            results.highlighted = min(highlighted, len(self.hits) - 1)

    def on_resize(self) -> None:
        if self.hits:
            self.call_after_refresh(lambda: self._list_hits(self.results.highlighted))

    # -- choosing -----------------------------------------------------------------------------------------
    def action_to_results(self) -> None:
        if self.hits:
            self.results.focus()

    def on_key(self, event: events.Key) -> None:
        """Typing while the results have the focus goes on with the query, as a list's type-ahead does."""
        if self.results.has_focus and event.is_printable and event.character:
            event.stop()
            box = self.query_box
            box.focus()
            box.insert_text_at_cursor(event.character)

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option_index)

    def _open(self, index: int) -> None:
        option = self.results.get_option_at_index(index)
        if option.id is not None:
            self.dismiss(option.id)

    def action_close(self) -> None:
        self.dismiss(None)
