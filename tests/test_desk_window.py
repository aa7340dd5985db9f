"""The desk on PostgreSQL holds a window of the list, never the archive (panes/list_query.py): its first
screen is one page, scrolling reads the pages that come into view, typing a filter asks the database, and
what it shows is what the in-memory rule (domain.listing.filter_rows) shows for the same stories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsroom_tui.domain import listing
from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.listing import MOST_PAGES, PAGE_ROWS, ListedRows, PagedRows, filter_rows
from newsroom_tui.domain.model import Status
from newsroom_tui.storage.backends import open_store

from .factories import make_story, type_text, until

STORIES = 5 * PAGE_ROWS + 37  # more than a screen, and than the pages one answer reads
DESKS = ("National", "Sports", "সারাদেশ")


@pytest.fixture
def archive_url(pg_url: str) -> str:
    from newsroom_tui.storage import postgres

    base = datetime(2026, 11, 1, 8, tzinfo=UTC)
    stories = [
        make_story(
            headline=f"Story number {n} {'flood' if n % 10 == 0 else 'toll'}",
            slug=f"story-{n}",
            desk=DESKS[n % 3],
            status=Status.SPIKED if n % 50 == 7 else Status.DRAFT,
        )
        for n in range(STORIES)
    ]
    with open_store(pg_url) as store:
        for n, story in enumerate(stories):  # story n saved at minute n: the newest is the last
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(postgres, "now", lambda n=n: base + timedelta(minutes=n))
                store.save(story, user="seed")
    return pg_url


def _desk(url: str) -> Any:
    from newsroom_tui.tui.app import NewsroomApp

    settings = Settings(user="desk")
    settings.use_store(url)
    return NewsroomApp(store=open_store(url), settings=settings)


def _shown(story_list: Any) -> list[str]:
    """The headlines on screen, as drawn (a row not read yet is drawn as `…`)."""
    top = int(story_list.scroll_y)
    return [
        story_list.window.get(index).headline if story_list.window.get(index) else "…"
        for index in range(top, min(len(story_list.window), top + story_list.size.height))
    ]


async def test_the_first_screen_is_a_page_of_the_list_not_the_archive(archive_url: str) -> None:
    app = _desk(archive_url)
    async with app.run_test(size=(120, 40)) as pilot:
        story_list = app.screen.list_pane.story_list
        window = story_list.window
        assert isinstance(window, PagedRows) and len(window) == STORIES - len(range(7, STORIES, 50))
        assert sum(len(rows) for rows in window.pages.values()) == PAGE_ROWS  # one page held, not 537 rows
        assert app.screen.list_pane.all_rows == []
        assert _shown(story_list)[0] == f"Story number {STORIES - 1} toll"
        await pilot.pause()
        spiked = STORIES - len(window)
        assert f"{len(window):,} of {STORIES:,} stories · {spiked} spiked not shown (F8)" in str(
            app.screen.query_one("#status-line").render()
        )
    app.close_store()


async def test_scrolling_reads_the_pages_that_come_into_view_and_holds_few(archive_url: str) -> None:
    app = _desk(archive_url)
    async with app.run_test(size=(80, 24)) as pilot:
        story_list = app.screen.list_pane.story_list
        app.screen.set_focus(story_list)
        await pilot.press("end")  # the oldest story, read from the oldest end
        await until(pilot, lambda: "…" not in _shown(story_list), "the last page is read")
        assert _shown(story_list)[-1] == "Story number 0 flood" and story_list.highlighted_id is not None
        await pilot.press("home")
        await until(pilot, lambda: "…" not in _shown(story_list), "the first page is on screen")
        for _ in range(40):  # page down through the whole list
            await pilot.press("pagedown")
        await until(pilot, lambda: "…" not in _shown(story_list), "every page came as it was scrolled to")
        window = story_list.window
        assert len(window.pages) <= MOST_PAGES
        expected = [row.headline for row in filter_rows(open_store(archive_url).story_rows())]
        top = int(story_list.scroll_y)
        assert _shown(story_list) == expected[top : top + story_list.size.height]
    app.close_store()


@pytest.mark.parametrize("typed", ["flood", "desk:sports", "desk:সারাদেশ flood", "status:spi", "nothing-like-it"])
async def test_a_typed_filter_is_answered_by_the_database_as_in_memory(archive_url: str, typed: str) -> None:
    app = _desk(archive_url)
    with open_store(archive_url) as store:
        expected = [row.headline for row in filter_rows(store.story_rows(), typed)]
    async with app.run_test(size=(120, 40)) as pilot:
        list_pane = app.screen.list_pane
        list_pane.focus_filter()
        if typed.isascii():
            await type_text(pilot, typed)
        else:  # Pilot has no keys for Bengali's vowel signs: as a paste, or an input method, gives it
            list_pane.filter_box.insert_text_at_cursor(typed)
        await until(
            pilot,
            lambda: len(list_pane.story_list.window) == len(expected),
            f"the list for {typed!r} ({list_pane.filter_box.value!r}: {len(list_pane.story_list.window)})",
        )
        await until(pilot, lambda: "…" not in _shown(list_pane.story_list), "its rows are read")
        assert _shown(list_pane.story_list) == expected[: list_pane.story_list.size.height]
        if not expected:
            assert list_pane.story_list.empty_message.startswith(f"No story matches {typed}.")
    app.close_store()


async def test_the_status_filter_counts_come_from_the_database(archive_url: str) -> None:
    from newsroom_tui.tui.screens.status_filter import StatusFilterScreen

    app = _desk(archive_url)
    async with app.run_test(size=(120, 40)) as pilot:
        list_pane = app.screen.list_pane
        app.screen.set_focus(list_pane.story_list)
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, StatusFilterScreen), "the status filter")
        spiked = len(range(7, STORIES, 50))
        assert app.screen.counts == {Status.DRAFT: STORIES - spiked, Status.SPIKED: spiked}
        await pilot.press("escape")
        list_pane.set_status_filter(Status.SPIKED)
        await until(pilot, lambda: len(list_pane.story_list.window) == spiked, "only the spiked stories")
        await until(pilot, lambda: "…" not in _shown(list_pane.story_list), "their rows")
        assert _shown(list_pane.story_list)[0] == "Story number 507 toll"
    app.close_store()


async def test_a_tinydb_desk_still_holds_every_row(db_path: Any) -> None:
    from newsroom_tui.tui.app import NewsroomApp

    from .factories import settings_for, store_with

    store_with(db_path, *[make_story(headline=f"Story {n}", slug=f"s-{n}") for n in range(3)])
    app = NewsroomApp(store=open_store(db_path), settings=settings_for(db_path))
    async with app.run_test(size=(80, 24)):
        assert isinstance(app.screen.list_pane.story_list.window, ListedRows)
        assert app.screen.list_pane.queried is None and len(app.screen.list_pane.all_rows) == 3
    app.close_store()


# -- found in review: the window's questions, pages and cursor under an editor's hands ------------------------


async def test_pages_dropped_from_the_window_are_read_again_when_scrolled_back(
    archive_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(listing, "MOST_PAGES", 2)  # as 20 pages at 2,100+ stories, with 537
    app = _desk(archive_url)
    async with app.run_test(size=(80, 24)) as pilot:
        story_list = app.screen.list_pane.story_list
        app.screen.set_focus(story_list)
        for _ in range(30):  # page down through the list: the first pages are dropped as the later come
            await pilot.press("pagedown")
        await until(pilot, lambda: "…" not in _shown(story_list), "the pages scrolled to")
        assert 0 not in story_list.window.pages
        await pilot.press("home")
        await until(pilot, lambda: "…" not in _shown(story_list), "the first page read again (from the answer)")
        for _ in range(6):  # back down to page 1, read by read_pages before and dropped since
            await pilot.press("pagedown")
        assert story_list.window.page_of(story_list.cursor) == 1
        await until(pilot, lambda: "…" not in _shown(story_list), "page 1 read again", deadline=5)
        assert story_list.highlighted_id is not None
    app.close_store()


async def test_end_on_a_list_counted_no_further_keeps_the_cursor_at_the_end(
    archive_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsroom_tui.tui.panes import list_query

    most = 300  # as 1,000 at a million stories: `toll` matches 476 of these
    monkeypatch.setattr(list_query, "FIRST_COUNT", most)
    monkeypatch.setattr(list_query.QueriedList.ask, "__kwdefaults__", {"most": most})
    monkeypatch.setattr(list_query.QueriedList.question, "__kwdefaults__", {"most": most})
    app = _desk(archive_url)
    async with app.run_test(size=(80, 24)) as pilot:
        list_pane = app.screen.list_pane
        story_list = list_pane.story_list
        list_pane.focus_filter()
        await type_text(pilot, "toll")
        await until(pilot, lambda: list_pane.queried.more and len(story_list.window) == most, "toll: 300+")
        app.screen.set_focus(story_list)
        await pilot.press("end")
        await until(pilot, lambda: not list_pane.queried.more, "counted further as the end was reached")
        await pilot.pause(0.5)
        assert story_list.cursor >= most - 1, f"the cursor went back to row {story_list.cursor}"
    app.close_store()


async def test_pages_scrolled_to_are_of_the_list_shown_not_of_a_filter_not_answered(
    archive_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsroom_tui.domain.listing import filter_rows
    from newsroom_tui.storage.backends import open_store
    from newsroom_tui.storage.errors import StoreBusyError

    app = _desk(archive_url)
    async with app.run_test(size=(80, 24)) as pilot:
        list_pane = app.screen.list_pane
        story_list = list_pane.story_list
        store = app.store

        def too_slow(*_: Any, **__: Any) -> int:  # as a filter past the 3 s deadline
            raise StoreBusyError("too long")

        monkeypatch.setattr(store, "count_rows", too_slow)
        list_pane.focus_filter()
        await type_text(pilot, "flood")
        await pilot.pause(0.5)  # "taking too long": the list still shows every story
        app.screen.set_focus(story_list)
        for _ in range(6):
            await pilot.press("pagedown")
        await until(pilot, lambda: "…" not in _shown(story_list), "page 1")
        expected = [row.headline for row in filter_rows(open_store(archive_url).story_rows())]
        top = int(story_list.scroll_y)
        assert _shown(story_list) == expected[top : top + story_list.size.height]
    app.close_store()


async def test_a_keystroke_cancels_the_lists_question_not_a_page_being_read(
    archive_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import asyncio

    from psycopg import sql

    app = _desk(archive_url)
    async with app.run_test(size=(80, 24)) as pilot:
        list_pane = app.screen.list_pane
        story_list = list_pane.story_list
        store = app.store
        said: list[str] = []
        monkeypatch.setattr(list_pane, "notify", lambda message, **_: said.append(str(message)))
        window_rows = store.window_rows

        def slow_page(*args: Any, **kwargs: Any) -> Any:  # a page read deep in a million stories
            store._db.run(lambda conn: store._ask(conn, sql.SQL("SELECT pg_sleep(3)"), []), write=False)
            return window_rows(*args, **kwargs)

        monkeypatch.setattr(store, "window_rows", slow_page)
        app.screen.set_focus(story_list)
        for _ in range(6):
            await pilot.press("pagedown")  # page 1 is being read
        await until(pilot, lambda: store._asking is not None, "the page read running")
        list_pane.queried.ask()  # another desk's save: the list is asked again (it waits for the connection)
        await asyncio.sleep(0.1)
        list_pane.focus_filter()
        await type_text(pilot, "f")  # a keystroke while both are under way
        await pilot.pause(4)
        assert not said, said
    app.close_store()


async def test_the_cursor_moved_while_the_list_was_asked_again_stays_where_the_editor_put_it(
    archive_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    app = _desk(archive_url)
    async with app.run_test(size=(80, 24)) as pilot:
        list_pane = app.screen.list_pane
        story_list = list_pane.story_list
        store = app.store
        status_counts = store.status_counts

        def slow_counts() -> Any:  # a busy server: the answer takes a second
            time.sleep(1)
            return status_counts()

        monkeypatch.setattr(store, "status_counts", slow_counts)
        app.screen.set_focus(story_list)
        shown_at = list_pane.queried.shown_at
        list_pane.queried.ask()  # another desk saved a story
        for _ in range(3):
            await pilot.press("down")
        moved_to = story_list.highlighted_id
        await until(pilot, lambda: list_pane.queried.shown_at != shown_at, "the answer")
        await pilot.pause(0.2)
        assert story_list.cursor == 3 and story_list.highlighted_id == moved_to, story_list.cursor
    app.close_store()


@pytest.mark.parametrize("typed", ["z", "zz", "-", "a-b"])
def test_a_term_without_trigrams_is_asked_as_strpos(typed: str) -> None:
    from newsroom_tui.domain.listing import FilterQuery
    from newsroom_tui.storage import postgres

    condition, _ = postgres._list_condition(FilterQuery.parse(typed), None)
    assert "strpos" in repr(condition), repr(condition)
