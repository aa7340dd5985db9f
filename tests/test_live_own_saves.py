"""Review finding: a desk on PostgreSQL heard its own saves come back through LISTEN/NOTIFY and read each
story again (and its own lock changes, and ran its heartbeat for them).  A notification carries the pid of
the server process that sent it; the listener now leaves out those sent on the store's own connection, which
is this desk's (its lock book shares it).  Another connection's save is still heard and read."""

from __future__ import annotations

import queue
import threading
from typing import Any

import pytest

from newsroom_tui.domain.config import Settings
from newsroom_tui.storage.backends import open_lock_book, open_store
from newsroom_tui.storage.contract import Change, LiveStore

from .factories import make_story, type_text, until

pytestmark = pytest.mark.slow


def test_the_listener_leaves_out_what_its_own_store_sent(pg_url: str) -> None:
    heard: queue.Queue[Change] = queue.Queue()
    states: queue.Queue[str | None] = queue.Queue()
    with open_store(pg_url) as store, open_store(pg_url) as elsewhere:
        assert isinstance(store, LiveStore)
        mine = store.save(make_story(headline="Ferry service resumes"), user="desk")
        listener: Any = store.listen(lambda changes: [heard.put(change) for change in changes], states.put)
        try:
            assert states.get(timeout=10) is None
            store.save(store.get(mine.id).copy(body="Our own words."), user="desk")  # this desk's save
            book = open_lock_book(pg_url, user="desk", store=store)  # this desk's lock, on the store's connection
            assert book.acquire(mine.id).ok
            theirs = elsewhere.save(make_story(headline="Council meets"), user="rina")  # another desk's
            # Notifications come in commit order on one connection: once theirs is heard, ours would have been.
            assert heard.get(timeout=5) == Change("story", theirs.id)
            assert heard.empty()
            rina = open_lock_book(pg_url, user="rina")
            rina.take_over(mine.id)
            assert heard.get(timeout=5) == Change("lock", mine.id), "a take-over by someone else is news"
        finally:
            listener.close(wait=3)


async def test_a_desks_own_save_is_not_read_again_and_anothers_is(pg_url: str) -> None:
    from newsroom_tui.tui.app import NewsroomApp

    with open_store(pg_url) as seed:
        story = seed.save(make_story(headline="Ferry service resumes", body="First paragraph."), user="seed")
    settings = Settings(user="desk")
    settings.use_store(pg_url)
    store = open_store(pg_url)
    reads: list[str] = []  # the stories the listener's thread read
    get = store.get

    def counting_get(story_id: str) -> Any:
        if threading.current_thread().name == "newsroom-listen":
            reads.append(story_id)
        return get(story_id)

    store.get = counting_get  # type: ignore[method-assign]
    app = NewsroomApp(store=store, settings=settings, open_story_id=story.id)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await until(pilot, lambda: app.focused is not None and app.focused.id == "body", "the story is open")
        await until(pilot, lambda: app.screen.live.listening, "the desk listens")
        await pilot.press("end")
        await type_text(pilot, " Typed here.")
        await pilot.press("ctrl+s")
        with open_store(pg_url) as elsewhere:
            await until(pilot, lambda: elsewhere.get(story.id).version == 2, "the desk's own save is stored")
            other = elsewhere.save(make_story(headline="Council meets"), user="rina")
            await until(pilot, lambda: other.id in reads, "another desk's save is read")
        assert story.id not in reads, "the desk's own save was read again"
    app.close_store()
