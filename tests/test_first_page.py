"""A database desk's first page, read by a forked child while the desk loads Textual (storage/first_page.py):
it is the page the desk would have read itself, no answer means the usual start, the child is always
reaped, and the desk that starts from it asks again once its own store is open, so nothing saved in
between is missed and nothing typed meanwhile is dropped."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.listing import PAGE_ROWS, counted_by_status
from newsroom_tui.domain.model import Status
from newsroom_tui.storage import backends
from newsroom_tui.storage.backends import open_store
from newsroom_tui.storage.first_page import FirstPageReader
from newsroom_tui.usecases.startup import DeskStart, settle_desk_start

from .factories import make_story, type_text, until

STORIES = PAGE_ROWS + 20  # more than the page


@pytest.fixture
def archive_url(pg_url: str) -> str:
    from newsroom_tui.storage import postgres

    base = datetime(2026, 11, 1, 8, tzinfo=UTC)
    with open_store(pg_url) as store:
        for n in range(STORIES):  # story n saved at minute n: the newest is the last
            story = make_story(
                headline=f"Story number {n} {'flood' if n % 10 == 0 else 'toll'}",
                slug=f"story-{n}",
                status=Status.KILLED if n % 30 == 4 else Status.DRAFT,
            )
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(postgres, "now", lambda n=n: base + timedelta(minutes=n))
                store.save(story, user="seed")
    return pg_url


def _reaped(reader: FirstPageReader) -> bool:
    try:
        os.waitpid(reader._pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_forked_reader_brings_the_page_the_desk_would_read(archive_url: str) -> None:
    reader = FirstPageReader.start(archive_url)
    assert reader is not None
    page = reader.take()
    assert page is not None
    assert _reaped(reader)
    with open_store(archive_url) as store:
        counts = store.status_counts()
        rows = store.window_rows("", None, 0, PAGE_ROWS, total=counted_by_status(counts))
    assert page.counts == counts
    assert page.total == STORIES - len(range(4, STORIES, 30))  # the default view leaves the killed out
    assert [(row.id, row.version, row.headline, row.updated_at) for row in page.rows] == [
        (row.id, row.version, row.headline, row.updated_at) for row in rows
    ]
    assert page.rows[0].headline == f"Story number {STORIES - 1} toll"
    assert reader.take() is None  # taken once


def test_an_empty_database_gives_no_page(pg_url: str) -> None:
    reader = FirstPageReader.start(pg_url)
    assert reader is not None
    assert reader.take() is None  # the usual start gives it the sample stories
    assert _reaped(reader)


def test_a_server_that_is_away_gives_no_page_and_the_child_ends(tmp_path: Path) -> None:
    reader = FirstPageReader.start(f"postgresql://nobody@/news?host={tmp_path}")  # no server listens there
    assert reader is not None
    began = time.monotonic()
    assert reader.take() is None
    assert time.monotonic() - began < 6
    assert _reaped(reader)


def test_a_child_past_the_wait_is_stopped_and_reaped(archive_url: str) -> None:
    reader = FirstPageReader.start(archive_url)
    assert reader is not None
    assert reader.take(timeout=0) is None
    assert _reaped(reader)
    other = FirstPageReader.start(archive_url)
    assert other is not None
    other.cancel()
    assert _reaped(other)


def test_without_a_page_the_desk_starts_the_usual_way(pg_url: str) -> None:
    """An empty database: no page from the child, so the usual start, which gives it the sample stories."""
    settings = Settings(user="desk")
    settings.use_store(pg_url)
    start = settle_desk_start(DeskStart(settings, None, None, None, None, reading=FirstPageReader.start(pg_url)))
    assert start.store is not None and start.first_page is None and start.reading is None
    try:
        assert len(start.store) > 0  # the samples
    finally:
        start.store.close()


def _desk_from_page(url: str, page: Any) -> Any:
    from newsroom_tui.tui.app import NewsroomApp

    settings = Settings(user="desk")
    settings.use_store(url)
    return NewsroomApp(settings=settings, first_page=page)


async def test_the_desk_draws_the_page_then_asks_again_once_its_store_is_open(archive_url: str) -> None:
    reader = FirstPageReader.start(archive_url)
    assert reader is not None
    page = reader.take()
    assert page is not None
    with open_store(archive_url) as other:  # another desk saves after the page was read
        other.save(make_story(headline="Saved while the desk started", slug="while-starting"), user="rina")
    app = _desk_from_page(archive_url, page)
    async with app.run_test(size=(120, 40)) as pilot:
        story_list = app.screen.list_pane.story_list
        await until(pilot, lambda: app.store_loaded, "the store opened after the first screen")
        await until(
            pilot,
            lambda: story_list.window.get(0) is not None and story_list.window.get(0).slug == "while-starting",
            "the story saved meanwhile on the list",
        )
        assert len(story_list.window) == page.total + 1
        status_line = app.screen.query_one("#status-line")
        counted = f"{page.total + 1:,} of {STORIES + 1:,} stories"
        await until(pilot, lambda: counted in str(status_line.render()), "the status line's count")
    app.close_store()


async def test_a_filter_typed_before_the_store_is_open_is_answered_once_it_is(
    archive_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reader = FirstPageReader.start(archive_url)
    assert reader is not None
    page = reader.take()
    opened = backends.store_for
    typed = threading.Event()

    def slow_store_for(settings: Settings) -> Any:  # psycopg's import and a connection on a busy machine
        typed.wait(10)
        return opened(settings)

    monkeypatch.setattr(backends, "store_for", slow_store_for)
    app = _desk_from_page(archive_url, page)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = app.screen.list_pane
        await pilot.press("f2")
        pane.focus_filter()
        await type_text(pilot, "flood")
        assert not app.store_loaded  # typed while the store was being opened
        assert pane.filter_box.value == "flood"
        typed.set()
        await until(pilot, lambda: app.store_loaded, "the store opened")
        flooded = [n for n in range(STORIES) if n % 10 == 0 and n % 30 != 4]
        await until(pilot, lambda: len(pane.story_list.window) == len(flooded), "the filter answered")
        assert pane.story_list.window.get(0).headline == f"Story number {flooded[-1]} flood"
    app.close_store()
