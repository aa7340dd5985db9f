"""Review finding: a desk on PostgreSQL heard its own saves come back through LISTEN/NOTIFY and read each
story again (and its own lock changes, and ran its heartbeat for them).  A notification carries the pid of
the server process that sent it; the listener now leaves out those sent on the store's own connection, which
is this desk's (its lock book shares it).  Another connection's save is still heard and read."""

from __future__ import annotations

import queue
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


async def test_a_desks_own_save_is_not_read_again_and_anothers_is(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The list asks the database again once for this desk's own save (the save itself asks, keeping the
    cursor on the story) and once for another desk's (the listener); the notification of its own save is
    not heard as news.  Notifications come in commit order: once theirs has been acted on, ours would have.
    The 2 s poll, the fallback for notifications, is kept out of it: on a loaded machine it could land
    between the other desk's commit and its notification and ask a third time (a helper saw it once)."""
    from newsroom_tui.tui.app import NewsroomApp

    monkeypatch.setenv("NEWSROOM_STORE_POLL_SECONDS", "600")

    with open_store(pg_url) as seed:
        story = seed.save(make_story(headline="Ferry service resumes", body="First paragraph."), user="seed")
    settings = Settings(user="desk")
    settings.use_store(pg_url)
    app = NewsroomApp(store=open_store(pg_url), settings=settings, open_story_id=story.id)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await until(pilot, lambda: app.focused is not None and app.focused.id == "body", "the story is open")
        await until(pilot, lambda: app.screen.live.listening, "the desk listens")
        queried = app.screen.list_pane.queried
        asked: list[str | None] = []
        ask = queried.ask
        queried.ask = lambda keep_story_id=None: (asked.append(keep_story_id), ask(keep_story_id))[1]
        await pilot.press("end")
        await type_text(pilot, " Typed here.")
        await pilot.press("ctrl+s")
        story_list = app.screen.list_pane.story_list
        with open_store(pg_url) as elsewhere:
            await until(pilot, lambda: elsewhere.get(story.id).version == 2, "the desk's own save is stored")
            other = elsewhere.save(make_story(headline="Council meets"), user="rina")
            await until(pilot, lambda: any(row.id == other.id for row in story_list.rows), "another desk's save shows")
        assert len(asked) == 2 and asked[0] == story.id, f"the desk's own save was heard as news: {asked}"
    app.close_store()
