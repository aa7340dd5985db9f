"""The story list on a store that answers it as a query (contract.QueryStore: PostgreSQL), so a desk
holds pages of rows around where the editor looks, never the archive.

Why this shape.  Every question goes to the database in the pane's threads, never on the UI thread, and
one at a time: a filter keystroke, a save, another desk's change or the status filter asks for the list
again, and while one answer is being read only the latest question waits (typing `flood` asks once or
twice, not five times).  An answer is shown only if it still answers what the filter box and the status
filter say.  Rows scrolled into view that the window lacks are drawn as placeholders and their pages read
(`StoryList.NeedRows`).  The first answer, before the first screen, is read on the UI thread: it is the
first screen; or it comes from a forked child that read it while Textual loaded (storage/first_page.py),
and questions wait for the store, opened just after that screen (`attach`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsroom_tui.domain.listing import (
    HIDDEN_BY_DEFAULT,
    PAGE_ROWS,
    FilterQuery,
    PagedRows,
    StoryRow,
    counted_by_status,
    no_match_message,
    shows_hidden,
)
from newsroom_tui.storage.errors import StoreBusyError, StoreError

if TYPE_CHECKING:
    from newsroom_tui.domain.model import Status
    from newsroom_tui.storage.contract import QueryStore
    from newsroom_tui.storage.first_page import FirstPage
    from newsroom_tui.tui.panes.list_pane import ListPane

# Pages read with an answer: the cursor's, and those the list shows on screen, at most this many.
MOST_PAGES_AT_ONCE = 3
# A typed filter's matches are counted this far at first ("1,000+"), ten times further each time the
# editor scrolls to the end of what was counted: a common word matches most of a million stories.
FIRST_COUNT = 1000


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    status: Status | None
    keep_story_id: str | None  # the story the cursor stays on, if the answer has it
    first_shown: int  # the list's top row on screen, and how many rows it shows
    height: int
    most: int = FIRST_COUNT  # count a typed filter's matches this far
    keep_cursor: int | None = None  # no story to keep (a row not read yet): keep the cursor's row instead


@dataclass(frozen=True, slots=True)
class Answer:
    question: Question
    counts: dict[Status, int]
    total: int
    more: bool  # a typed filter matches more than `total` (counted no further)
    cursor: int
    pages: dict[int, list[StoryRow]]


class QueriedList:
    """The list pane's end of a QueryStore."""

    def __init__(self, pane: ListPane, store: QueryStore | None) -> None:
        self.pane = pane
        self.store = store  # None until `attach`: the first page came from a forked child
        self.counts: dict[Status, int] = {}  # by status, with the last answer
        self.shown_for: tuple[str, Status | None] | None = None  # the filter and status the list shows
        self.shown_at = 0.0  # when that answer was put on the list (time.perf_counter: bench_desk.py)
        self._mutex = threading.Lock()
        self._wanted: Question | None = None  # the latest question not yet taken by the reader
        self._reading = False
        self._asked: tuple[PagedRows | None, set[int]] = (None, set())  # pages being read now, for this window
        self.more = False  # the list shows the first `len(window)` of more matches
        self._most = FIRST_COUNT
        self._counting_to = 0  # a recount asked for (scrolled to the end of what was counted), until answered
        self._shown: Question | None = None  # the question the window on screen answers: its pages are read for it
        self._asked_at: tuple[str | None, int] | None = None  # the cursor's story and row when the last was asked
        self._reader_thread: int | None = None  # the reader's thread: only its statements are ever cancelled
        self._open_on_answer: tuple[str, Status | None] | None = None  # Enter in the filter box, before its answer

    # -- questions, on the UI thread --------------------------------------------------------------------
    def question(self, keep_story_id: str | None = None, *, most: int = FIRST_COUNT) -> Question:
        pane = self.pane
        story_list = pane.story_list
        kept = keep_story_id or story_list.highlighted_id
        text, status = pane.filter_box.value, pane.status_filter
        # No story under the cursor (its page not read yet: End before the store was attached, or a save
        # elsewhere while a page is read): the same list asked again, or counted further, keeps the cursor's
        # row; another filter's answer starts at its top.
        again = most > FIRST_COUNT or self.shown_for == (text, status)
        return Question(
            text,
            status,
            kept,
            int(story_list.scroll_y),
            max(1, story_list.size.height or pane.screen.size.height),
            most,
            keep_cursor=story_list.cursor if kept is None and again else None,
        )

    def first(self) -> None:
        """The first answer, read now (the first screen is the list with its count)."""
        try:
            answer = self._read(self.question())
        except StoreError as error:
            self.pane.desk_app.end_on_store_problem(str(error))
            return
        self._show(answer)

    def first_from(self, page: FirstPage) -> None:
        """The first answer, from the page a forked child read (the default view, as `first` asks it)."""
        question = self.question()
        rows = page.rows[: page.total]  # a story saved between the child's two reads: no row past the count
        self._show(Answer(question, page.counts, page.total, False, 0, {0: rows} if rows else {}))

    def attach(self, store: QueryStore) -> None:
        """The store, opened after the first screen: ask again (what the filter says now, and anything
        saved since the first page was read), the cursor staying on its story."""
        self.store = store
        self.ask(self._wanted.keep_story_id if self._wanted is not None else None)

    def open_when_answered(self) -> None:
        """Enter in the filter box before its answer came: open the first match once it does, unless the
        filter has changed by then (that answer is for what was typed after), the editor has left the box,
        or the database could not answer."""
        pane = self.pane
        self._open_on_answer = (pane.filter_box.value, pane.status_filter)

    def ask(self, keep_story_id: str | None = None, *, most: int = FIRST_COUNT) -> None:
        """Read the list again for what the filter says now (in a thread); the cursor stays on
        `keep_story_id`, else on the story it is on, when the answer has it.  Before the store is
        attached, the latest question waits for it."""
        story_list = self.pane.story_list
        self._asked_at = (story_list.highlighted_id, story_list.cursor)
        with self._mutex:
            self._wanted = self.question(keep_story_id, most=most)
            store = self.store
            if store is None:
                return
            if self._reading:
                # The reader takes it once done with the one it has, which this one replaces: cancelled (its
                # statements only, never a page being read), as a filter of one rare letter (`z`: no trigram
                # to look up) takes seconds to answer.
                if self._reader_thread is not None:
                    store.interrupt(self._reader_thread)
                return
            self._reading = True
        self.pane.run_worker(self._reader, thread=True, group="list-query", name="list-query")

    # -- in the reader's thread ---------------------------------------------------------------------------
    def _reader(self) -> None:
        self._reader_thread = threading.get_ident()
        while True:
            with self._mutex:
                question, self._wanted = self._wanted, None
                if question is None:
                    self._reading = False
                    return
            try:
                answer: Answer | str = self._read(question)
            except StoreBusyError:
                with self._mutex:
                    replaced = self._wanted is not None
                if replaced:
                    continue  # cancelled for a newer question, which the loop takes now
                asked = question.text.strip()
                answer = (
                    f"The database is taking too long to find {asked!r}; type more of it, or Escape to clear the "
                    f"filter."
                    if asked
                    else "The database is taking too long to answer the list; it is asked again at the next change."
                )
            except StoreError as error:
                answer = str(error)
            try:
                self.pane.app.call_from_thread(self._take, answer)
            except RuntimeError:  # the app is closing
                with self._mutex:
                    self._reading = False
                return

    def _read(self, question: Question) -> Answer:
        store = self.store
        if store is None:  # asked only once attached (`ask` keeps the question until then)
            raise RuntimeError("the list was asked before its store was attached")
        counts = store.status_counts()
        more = False
        if FilterQuery.parse(question.text).has_terms:
            total = store.count_rows(question.text, question.status, most=question.most)
            more, total = total > question.most, min(total, question.most)
        else:  # from the counts just read (count_rows would read them again)
            total = counted_by_status(counts, question.status)
        cursor = 0
        if question.keep_story_id is not None and total:
            found = store.position_of(question.keep_story_id, question.text, question.status)
            cursor = found if found is not None and found < total else 0
        elif question.keep_cursor is not None:
            cursor = min(question.keep_cursor, max(0, total - 1))
        top = min(question.first_shown, max(0, total - question.height))
        if not top <= cursor < top + question.height:  # the list scrolls to the cursor
            top = max(0, min(cursor - question.height // 2, total - question.height))
        window = PagedRows(total)
        wanted = sorted({window.page_of(cursor), *window.missing(top, top + question.height - 1)})
        pages: dict[int, list[StoryRow]] = {}
        exact = None if more else total
        for page in wanted[:MOST_PAGES_AT_ONCE]:
            after = pages[page - 1][-1] if pages.get(page - 1) else None
            pages[page] = store.window_rows(
                question.text, question.status, page * PAGE_ROWS, PAGE_ROWS, total=exact, after=after
            )[: max(0, total - page * PAGE_ROWS)]
        return Answer(question, counts, total, more, cursor, pages)

    # -- answers, on the UI thread ------------------------------------------------------------------------
    def _take(self, answer: Answer | str) -> None:
        if not self.pane.is_attached:
            return
        if isinstance(answer, str):
            if self._wanted is None:  # else a newer question is on its way, with its own answer
                self._open_on_answer = None  # no match to open: a later answer must not open one unasked
                self.pane.notify(answer, severity="error")
            return
        question = answer.question
        if (question.text, question.status) != (self.pane.filter_box.value, self.pane.status_filter):
            return  # the filter has changed since: its own answer is on its way
        self._show(answer)

    def _show(self, answer: Answer) -> None:
        pane, question = self.pane, answer.question
        story_list = pane.story_list
        self.counts = answer.counts
        self._shown = question
        self._counting_to = 0
        self.shown_for = (question.text, question.status)
        self.shown_at = time.perf_counter()
        self.more, self._most = answer.more, question.most
        window = PagedRows(answer.total, answer.pages)
        everything = sum(answer.counts.values())
        empty = no_match_message(question.text, question.status) if not answer.total and everything else ""
        cursor = answer.cursor
        if self._asked_at is not None and self._asked_at != (story_list.highlighted_id, story_list.cursor):
            # The editor moved while the list was asked again: the cursor stays where they put it.
            moved_to = story_list.highlighted_id
            found = window.index_of(moved_to) if moved_to is not None else None
            cursor = found if found is not None else min(story_list.cursor, max(0, answer.total - 1))
        self._asked_at = None
        story_list.set_window(window, cursor, empty=empty)
        pane.post_message(pane.Filtered(answer.total, everything, self.hidden(), more=answer.more))
        if self._open_on_answer is not None:
            entered, self._open_on_answer = self._open_on_answer, None
            screen = pane.screen
            if entered == self.shown_for and pane.app.screen is screen and screen.focused is pane.filter_box:
                pane.open_highlighted()  # not if they moved on (another field, a dialog, the palette)

    def hidden(self) -> dict[Status, int]:
        """Spiked and killed stories the list leaves out as it is filtered now (none when a status is asked for)."""
        if shows_hidden(self.pane.filter_box.value, self.pane.status_filter):
            return {}
        return {status: count for status, count in self.counts.items() if status in HIDDEN_BY_DEFAULT}

    def shown_and_total(self) -> tuple[int, int]:
        return len(self.pane.story_list.window), sum(self.counts.values())

    # -- pages scrolled into view -----------------------------------------------------------------------
    def read_pages(self, window: PagedRows, pages: list[int]) -> None:
        """Read the pages the list drew as placeholders (each once per window), in a thread; before the
        store is attached, none (its first answer reads the window on screen)."""
        if self.store is None:
            return
        asked_for, asked = self._asked
        if asked_for is not window:
            asked = set()
            self._asked = (window, asked)
        fresh = [page for page in pages if page not in asked and page not in window.pages]
        wider = self._most * 10
        if self.more and self._counting_to < wider and any((page + 1) * PAGE_ROWS >= len(window) for page in pages):
            self._counting_to = wider  # asked once, until answered
            self.ask(most=wider)  # scrolled to the end of what was counted: count further
        question = self._shown
        if not fresh or question is None:
            return
        asked.update(fresh)
        self.pane.run_worker(
            lambda: self._read_pages(window, question, fresh), thread=True, group="list-pages", name="list-pages"
        )

    def _read_pages(self, window: PagedRows, question: Question, pages: list[int]) -> None:
        """Each page through a neighbour held when there is one (the index takes it from there), else by offset."""
        exact = None if self.more else window.total
        store = self.store
        if store is None:  # pragma: no cover - read_pages starts this only once attached
            return
        try:
            read: dict[int, list[StoryRow]] = {}
            for page in pages:
                after, before = read.get(page - 1) or window.pages.get(page - 1), window.pages.get(page + 1)
                rows = store.window_rows(
                    question.text,
                    question.status,
                    page * PAGE_ROWS,
                    PAGE_ROWS,
                    total=exact,
                    after=after[-1] if after else None,
                    before=before[0] if before and not after else None,
                )
                read[page] = rows[: max(0, window.total - page * PAGE_ROWS)]
        except StoreError as error:
            self.pane.app.call_from_thread(self._not_read, window, pages, str(error))
            return
        self.pane.app.call_from_thread(self._fill, window, read)

    def _not_read(self, window: PagedRows, pages: list[int], error: str) -> None:
        """A page that could not be read is asked for again when it is next drawn."""
        asked_for, asked = self._asked
        if asked_for is window:
            asked.difference_update(pages)
        self.pane.notify(error, severity="error")

    def _fill(self, window: PagedRows, read: dict[int, list[StoryRow]]) -> None:
        story_list = self.pane.story_list
        asked_for, asked = self._asked
        if asked_for is window:
            asked.difference_update(read)  # read: a page dropped later is asked for again when scrolled back to
        if story_list.window is not window:
            return  # the list was read again meanwhile
        for page, rows in read.items():
            window.fill(page, rows, keep_near=story_list.cursor)
        story_list.refresh()

    def slug_holder(self, slug: str) -> StoryRow | None:
        """The story with `slug` among the rows held: the form's check as the editor types (the save's own
        check, in the database, decides for every story)."""
        for row in self.pane.story_list.window.held():
            if row.slug == slug:
                return row
        return None
