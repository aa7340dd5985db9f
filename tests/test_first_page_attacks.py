"""A review's attacks on the forked first page (storage/first_page.py): keys pressed before the desk's store is
open, a desk that dies while its child reads, a server that cannot be reached."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
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


def _ended(pid: int) -> bool:
    """`pid` has exited (gone, or a zombie its new parent has not reaped yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")


def _wait(condition: Any, what: str, deadline: float = 20.0) -> None:
    give_up = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"{what}: not after {deadline:g} s")
        time.sleep(0.05)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL, signal.SIGHUP])
def test_the_child_does_not_outlive_a_desk_that_was_killed_while_it_read(seeded_url: str, how: int) -> None:
    """A desk killed while its child waited on the database (here a table lock; a hung server is the same) left
    the child running, reparented, holding its connection until the database answered, however long."""
    import psycopg

    starter = (
        "import sys, time\n"
        "from newsroom_tui.storage.first_page import FirstPageReader\n"
        "reader = FirstPageReader.start(sys.argv[1])\n"
        "print(reader._pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    with psycopg.connect(seeded_url) as holder:
        holder.execute("LOCK TABLE stories IN ACCESS EXCLUSIVE MODE")  # the child's first read waits for it
        desk = subprocess.Popen([sys.executable, "-c", starter, seeded_url], stdout=subprocess.PIPE, text=True)
        assert desk.stdout is not None
        child = int(desk.stdout.readline())
        try:

            def child_waits() -> bool:
                with psycopg.connect(seeded_url, autocommit=True) as watcher:  # a fresh view of the activity
                    row = watcher.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'newsroom' "
                        "AND wait_event_type = 'Lock'"
                    ).fetchone()
                return bool(row and row[0])

            _wait(child_waits, "the child waiting on the lock")
            desk.send_signal(how)
            desk.wait(20)
            _wait(lambda: _ended(child), "the child ended with its desk")
        finally:
            desk.kill()
            desk.wait()
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
