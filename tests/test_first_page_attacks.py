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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.listing import PAGE_ROWS
from newsroom_tui.domain.model import Status
from newsroom_tui.storage import backends
from newsroom_tui.storage.backends import open_store
from newsroom_tui.storage.errors import StoreError
from newsroom_tui.storage.first_page import FirstPageReader
from newsroom_tui.usecases.startup import DeskStart, settle_desk_start

from .factories import make_story, until

STORIES = PAGE_ROWS + 20  # more than the first page


@pytest.fixture
def seeded_url(pg_url: str) -> str:
    with open_store(pg_url) as store:
        for n in range(STORIES):
            flood = " flood" if n % 10 == 3 else ""
            store.save(make_story(headline=f"Story number {n}{flood}", slug=f"story-{n}"), user="seed")
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


async def test_a_filter_typed_and_entered_before_the_store_is_attached_opens_its_first_match(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`flood` and Enter typed before the store was open (one burst over SSH) opened the story on top of the
    list as it was, unfiltered (`Story number 119`), not the filter's first match: the list's answer to the
    filter comes later, and Enter took the row under the cursor then."""
    from newsroom_tui.tui.app import NewsroomApp

    reader = FirstPageReader.start(seeded_url)
    assert reader is not None
    page = reader.take()
    assert page is not None
    go = _slow_store(monkeypatch)
    settings = Settings(user="desk")
    settings.use_store(seeded_url)
    app = NewsroomApp(settings=settings, first_page=page)
    async with app.run_test(size=(120, 40)) as pilot:
        desk = app.screen
        await pilot.press("f2", *"flood", "enter")
        assert not app.store_loaded
        go.set()
        await until(pilot, lambda: desk.story is not None, "a story open")
        assert desk.story.headline == "Story number 113 flood"
        assert desk.list_pane.story_list.highlighted_id == desk.story.id
    app.close_store()


async def test_an_entered_filter_opens_nothing_once_the_editor_has_moved_on(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter waits for the filter's answer; by then the editor opened the palette: no story opens under it."""
    from newsroom_tui.tui.app import NewsroomApp

    reader = FirstPageReader.start(seeded_url)
    assert reader is not None
    page = reader.take()
    go = _slow_store(monkeypatch)
    settings = Settings(user="desk")
    settings.use_store(seeded_url)
    app = NewsroomApp(settings=settings, first_page=page)
    async with app.run_test(size=(120, 40)) as pilot:
        desk = app.screen
        opened: list[str] = []
        monkeypatch.setattr(desk, "open_chosen", opened.append)
        story_list = desk.list_pane.story_list
        first_window = story_list.window
        await pilot.press("f2", *"flood", "enter", "ctrl+p")
        await until(pilot, lambda: app.screen is not desk, "the palette")
        go.set()
        await until(pilot, lambda: story_list.window is not first_window, "the filter answered")
        assert story_list.window.get(0).headline == "Story number 113 flood"
        await pilot.pause(0.2)  # a StoryList.Opened posted with the answer would be handled by now
        assert opened == []
    app.close_store()


async def test_a_filter_entered_before_its_answer_opens_its_first_match_on_an_attached_desk(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same with the store open from the start: the filter's answer is read in a thread, and `flood` and
    Enter in one burst came before it (3 runs of 3 in tmux opened the old list's top story)."""
    from newsroom_tui.storage import postgres
    from newsroom_tui.tui.app import NewsroomApp

    answer = threading.Event()
    counted = postgres.PostgresStore.count_rows

    def slow_count(self: Any, text: str, *args: Any, **kwargs: Any) -> Any:
        if text:
            answer.wait(10)
        return counted(self, text, *args, **kwargs)

    monkeypatch.setattr(postgres.PostgresStore, "count_rows", slow_count)
    settings = Settings(user="desk")
    settings.use_store(seeded_url)
    app = NewsroomApp(settings=settings, store=open_store(seeded_url))
    async with app.run_test(size=(120, 40)) as pilot:
        desk = app.screen
        await until(pilot, lambda: desk.gate._store_read.is_set(), "the store read")
        await pilot.press("f2", *"flood", "enter")
        await pilot.pause(0.1)
        assert desk.story is None  # the answer has not come: nothing opened from the old list
        answer.set()
        await until(pilot, lambda: desk.story is not None, "a story open")
        assert desk.story.headline == "Story number 113 flood"
    app.close_store()


async def test_stories_changed_elsewhere_after_the_page_was_read_are_right_once_attached(seeded_url: str) -> None:
    """What the screen shows is what is saved: a story spiked, one retitled and one saved new by another desk
    between the child's read and the desk's own store are shown as they are now once the store is attached."""
    from newsroom_tui.tui.app import NewsroomApp

    reader = FirstPageReader.start(seeded_url)
    assert reader is not None
    page = reader.take()
    assert page is not None
    assert [row.slug for row in page.rows[:2]] == ["story-119", "story-118"]
    with open_store(seeded_url) as other:
        top = other.find_by_slug("story-119")
        second = other.find_by_slug("story-118")
        assert top is not None and second is not None
        other.save(top.copy(status=Status.SPIKED), user="rina")
        other.save(second.copy(headline="Retitled elsewhere"), user="rina")
        other.save(make_story(headline="New elsewhere", slug="new-elsewhere"), user="rina")
    settings = Settings(user="desk")
    settings.use_store(seeded_url)
    app = NewsroomApp(settings=settings, first_page=page)
    async with app.run_test(size=(120, 40)) as pilot:
        story_list = app.screen.list_pane.story_list
        first_window = story_list.window
        await until(pilot, lambda: story_list.window is not first_window, "the list asked again once attached")
        window = story_list.window
        assert [(window.get(n).slug, window.get(n).headline) for n in range(3)] == [
            ("new-elsewhere", "New elsewhere"),  # saved last
            ("story-118", "Retitled elsewhere"),
            ("story-117", "Story number 117"),
        ]
        assert window.index_of(top.id) is None  # spiked: the default view leaves it out
        assert len(window) == STORIES  # one spiked, one new
        status_line = app.screen.query_one("#status-line")
        counted = f"{STORIES:,} of {STORIES + 1:,} stories · 1 spiked"
        await until(pilot, lambda: counted in str(status_line.render()), "the status line's count")
    app.close_store()


async def test_a_page_read_across_a_save_shows_no_row_past_its_count(
    seeded_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child reads the counts, then the rows, in two statements: a story saved between them gave a page
    with one row more than its count, a row the window held past its end (`index_of` found it there, at
    the count itself; the desk's own first answer cuts its pages to the count)."""
    from newsroom_tui.storage.first_page import FirstPage
    from newsroom_tui.tui.app import NewsroomApp

    with open_store(seeded_url) as store:
        rows = store.window_rows("", None, 0, 3, total=3)
    page = FirstPage({Status.DRAFT: 2}, rows)  # counted before the third story was saved
    go = _slow_store(monkeypatch)
    settings = Settings(user="desk")
    settings.use_store(seeded_url)
    app = NewsroomApp(settings=settings, first_page=page)
    async with app.run_test(size=(120, 40)):
        window = app.screen.list_pane.story_list.window
        go.set()
        assert len(window) == 2
        assert window.index_of(rows[2].id) is None
        assert [row.id for row in window.held()] == [row.id for row in rows[:2]]
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
            _wait(lambda: _ended(child), "the child ended with its desk", deadline=10)  # its alarm is at 20 s
        finally:
            desk.kill()
            desk.wait()
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)


@pytest.fixture
def refusing_server() -> Iterator[Any]:
    """A Unix socket where a PostgreSQL server would listen, that takes each connection and drops it at once
    (a server going down, a proxy with nothing behind it); `accepted()` counts the connections.  In a process
    of its own: the desk forks its child only from a process with one thread."""
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="nrdrop-", dir="/tmp")  # a socket path must stay under 107 bytes
    log = Path(folder) / "accepted"
    serve = (
        "import socket, sys\n"
        "listener = socket.socket(socket.AF_UNIX)\n"
        "listener.bind(sys.argv[1] + '/.s.PGSQL.5432')\n"
        "listener.listen(16)\n"
        "print('listening', flush=True)\n"
        "while True:\n"
        "    conn, _ = listener.accept()\n"
        "    with open(sys.argv[1] + '/accepted', 'a') as log:\n"
        "        log.write('.')\n"
        "    conn.close()\n"
    )
    server = subprocess.Popen([sys.executable, "-c", serve, folder], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None and server.stdout.readline() == "listening\n"

    class Server:
        url = f"postgresql:///news?host={folder}&user=nobody"

        @staticmethod
        def accepted() -> int:
            return len(log.read_text()) if log.exists() else 0

    try:
        yield Server
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_server_that_cannot_be_reached_is_tried_once_and_said_as_before(refusing_server: Any) -> None:
    """The child failed to connect, gave no page, and the desk's usual start connected again: a server that
    took the connect timeout (5 s) to fail made the desk wait twice as long (10.7 s against 5.5 s, measured on
    a socket that never answers) before the same sentence."""
    with pytest.raises(StoreError) as before:
        open_store(refusing_server.url)  # what the desk said before its first page was forked
    once = refusing_server.accepted()
    assert once >= 1
    settings = Settings(user="desk")
    settings.use_store(refusing_server.url)
    # As prepare_desk starts it (which forks only from a process of one thread: a test worker may have more).
    start = DeskStart(settings, None, None, None, None, reading=FirstPageReader.start(refusing_server.url))
    assert start.reading is not None
    with pytest.raises(StoreError) as now:
        settle_desk_start(start)
    assert str(now.value) == str(before.value)
    assert type(now.value) is type(before.value)
    assert refusing_server.accepted() == 2 * once  # the child's connections, and none after them
