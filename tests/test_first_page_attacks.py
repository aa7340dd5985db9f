"""A review's attacks on the forked first page (storage/first_page.py): keys pressed before the desk's store is
open, a desk that dies while its child reads, a server that cannot be reached."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.listing import PAGE_ROWS
from newsroom_tui.storage import backends
from newsroom_tui.storage.backends import open_store
from newsroom_tui.storage.first_page import FirstPageReader

from .factories import make_story, until

STORIES = PAGE_ROWS + 20  # more than the first page


@pytest.fixture
def seeded_url(pg_url: str) -> str:
    with open_store(pg_url) as store:
        for n in range(STORIES):
            store.save(make_story(headline=f"Story number {n}", slug=f"story-{n}"), user="seed")
    return pg_url


def _slow_store(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The desk's own store opens only once the returned event is set (psycopg's import and a connection on a
    busy machine): what is pressed meanwhile is pressed before the store is attached."""
    opened = backends.store_for
    go = threading.Event()

    def slow_store_for(settings: Settings) -> Any:
        go.wait(10)
        return opened(settings)

    monkeypatch.setattr(backends, "store_for", slow_store_for)
    return go


async def test_end_pressed_before_the_store_is_attached_stays_at_the_end(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End before the store was open put the cursor on a row not read yet; the list asked again once the
    store was attached, found no story under the cursor to keep, and jumped back to the top."""
    from newsroom_tui.tui.app import NewsroomApp

    reader = FirstPageReader.start(seeded_url)
    assert reader is not None
    page = reader.take()
    assert page is not None and page.total == STORIES
    go = _slow_store(monkeypatch)
    settings = Settings(user="desk")
    settings.use_store(seeded_url)
    app = NewsroomApp(settings=settings, first_page=page)
    async with app.run_test(size=(120, 40)) as pilot:
        story_list = app.screen.list_pane.story_list
        first_window = story_list.window
        await pilot.press("end")
        assert not app.store_loaded
        assert story_list.cursor == STORIES - 1 and story_list.highlighted_id is None  # beyond the first page
        go.set()
        await until(
            pilot,
            lambda: story_list.window is not first_window and story_list.highlighted_id is not None,
            "the list asked again once its store was attached",
        )
        assert story_list.cursor == STORIES - 1
        assert story_list.window.get(story_list.cursor).headline == "Story number 0"
    app.close_store()
