"""Review finding: a desk on PostgreSQL held five connections (the store, the listener, the lock book, the desk
dictionary, the words each story ignores), so a newsroom of 40 desks met the server's default 100 connections.
The lock book and the word stores now share the store's own connection; the listener keeps its own (a LISTEN
connection waits on its socket and must not queue behind a save).  Counted by the server: pg_stat_activity."""

from __future__ import annotations

import queue
from typing import Any

import psycopg
import pytest

from newsroom_tui.domain.config import Settings
from newsroom_tui.storage.backends import open_store
from newsroom_tui.storage.contract import LiveStore

from .factories import make_story, until

pytestmark = pytest.mark.slow


def connections(url: str) -> list[str]:
    """The application names of every connection to the database at `url` but the one asking."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT application_name FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY application_name"
        ).fetchall()
    return [str(row[0]) for row in rows]


def settings_on(url: str) -> Settings:
    settings = Settings(user="desk")
    settings.use_store(url)
    return settings


def test_the_use_cases_hold_the_stores_connection_and_the_listeners(pg_url: str) -> None:
    from newsroom_tui.usecases.newsroom import Newsroom

    seed = open_store(pg_url)
    story = seed.save(make_story(headline="Padma ferry fares cut", slug="padma-ferry-fares-cut"), user="seed")
    seed.close()
    store = open_store(pg_url)
    assert isinstance(store, LiveStore)
    states: queue.Queue[str | None] = queue.Queue()
    listener: Any = store.listen(lambda changes: None, states.put)
    try:
        assert states.get(timeout=10) is None
        newsroom = Newsroom(settings_on(pg_url), store)
        assert newsroom.locks.acquire(story.id).ok  # the lock book
        assert newsroom.heartbeat() == []
        assert newsroom.holder(story.id) is None
        newsroom.spelling.add("Reznikov")  # the desk dictionary
        assert "Reznikov" in newsroom.spelling.words("desk")
        assert newsroom.story_words("padma-ferry-fares-cut", "add", ["ফেরিঘাট"])  # what the story ignores
        assert newsroom.spelling.ignored(story.id) == {"ফেরিঘাট"}
        assert newsroom.find("padma-ferry-fares-cut").id == story.id
        assert connections(pg_url) == ["newsroom", "newsroom-listen"]
        newsroom.release(story.id)
    finally:
        listener.close(wait=3)
        store.close()


async def test_a_desk_holds_the_stores_connection_and_the_listeners(pg_url: str) -> None:
    from newsroom_tui.tui.app import NewsroomApp

    with open_store(pg_url) as seed:
        story = seed.save(make_story(headline="Ferry service resumes", body="First paragraph."), user="seed")
    app = NewsroomApp(store=open_store(pg_url), settings=settings_on(pg_url), open_story_id=story.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.focused is not None and app.focused.id == "body", "the story is open")
        await until(pilot, lambda: app.screen.live.listening, "the desk listens")
        assert app.locks.holder(story.id) is not None, "the desk holds the story's lock"
        spelling = app.newsroom.spelling
        spelling.add("Reznikov")
        spelling.ignore(story.id, "ফেরিঘাট")
        assert "Reznikov" in spelling.words("desk")
        assert spelling.word_list("desk").stamp() is not None
        assert connections(pg_url) == ["newsroom", "newsroom-listen"]
    app.close_store()
