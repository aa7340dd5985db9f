"""Live desks on PostgreSQL (schema 5, storage/postgres.py's PostgresChangeListener): a committed write
tells a listener which story changed, a rolled-back one tells nobody, a lock's holder changing is news and
its heartbeat is not, and a listener whose server goes away says so and listens again once it is back.

Real servers (tests/pgserver.py); the waits are "within N seconds", never timings.
"""

from __future__ import annotations

import queue
import threading
import time
from datetime import timedelta
from typing import Any

import pytest

from newsroom_tui.storage.backends import open_store
from newsroom_tui.storage.contract import Change, LiveStore
from newsroom_tui.storage.store import ConflictError

from .factories import make_story

pytestmark = pytest.mark.slow


class Heard:
    """What a listener reported, as queues a test can wait on."""

    def __init__(self) -> None:
        self.changes: queue.Queue[Change] = queue.Queue()
        self.states: queue.Queue[str | None] = queue.Queue()
        self.threads: set[str] = set()

    def on_changes(self, changes: list[Change]) -> None:
        self.threads.add(threading.current_thread().name)
        for change in changes:
            self.changes.put(change)

    def on_state(self, state: str | None) -> None:
        self.states.put(state)

    def next_change(self, timeout: float = 5.0) -> Change:
        return self.changes.get(timeout=timeout)

    def quiet_for(self, seconds: float) -> list[Change]:
        """Everything heard in the next `seconds` (the answer to "was anything sent?")."""
        deadline = time.monotonic() + seconds
        heard: list[Change] = []
        while (left := deadline - time.monotonic()) > 0:
            try:
                heard.append(self.changes.get(timeout=left))
            except queue.Empty:
                break
        return heard

    def next_state(self, timeout: float) -> str | None:
        return self.states.get(timeout=timeout)


def _listening(store: Any, heard: Heard) -> Any:
    assert isinstance(store, LiveStore)
    listener = store.listen(heard.on_changes, heard.on_state)
    assert heard.next_state(10) is None, "the listener says it listens"
    assert listener.connected
    return listener


def test_the_journal_has_no_channel(db_path) -> None:
    """TinyDB keeps polling: it offers no listener, and the desk asks with isinstance."""
    with open_store(db_path) as store:
        assert not isinstance(store, LiveStore)


def test_a_committed_save_notifies_and_a_rolled_back_one_does_not(pg_url: str) -> None:
    heard = Heard()
    with open_store(pg_url) as store, open_store(pg_url) as elsewhere:
        listener = _listening(store, heard)
        try:
            first = elsewhere.save(make_story(headline="Ferry service resumes"), user="rina")
            assert heard.next_change() == Change("story", first.id)
            assert heard.threads == {"newsroom-listen"}  # called from the listener's thread, not the caller's
            other = elsewhere.save(make_story(headline="Council meets"), user="rina")
            assert heard.next_change() == Change("story", other.id)
            # All or none: the first story's update runs (its trigger calls pg_notify), the second is stale,
            # the transaction rolls back, and nobody is told about either.
            with pytest.raises(ConflictError):
                elsewhere.save_many([first.copy(body="Changed."), other.copy(version=other.version - 1)], user="k")
            assert elsewhere.get(first.id).version == first.version
            assert heard.quiet_for(1.5) == []
            # Purged: news too (the list drops it).
            elsewhere.delete([elsewhere.get(other.id)], user="rina", note="test")
            assert heard.next_change() == Change("story", other.id)
        finally:
            listener.close(wait=3)
        assert not listener.connected


def test_a_burst_of_saves_comes_in_few_wake_ups_each_story_once(pg_url: str) -> None:
    batches: list[list[Change]] = []
    done = threading.Event()

    def on_changes(changes: list[Change]) -> None:
        batches.append(changes)
        if sum(len(batch) for batch in batches) >= 20:
            done.set()

    states: queue.Queue[str | None] = queue.Queue()
    with open_store(pg_url) as store, open_store(pg_url) as elsewhere:
        assert isinstance(store, LiveStore)
        listener = store.listen(on_changes, states.put)
        try:
            assert states.get(timeout=10) is None
            saved = elsewhere.save_many([make_story(headline=f"Story {n}") for n in range(20)], user="rina")
            assert done.wait(5)
            heard = [change for batch in batches for change in batch]
            assert heard == [Change("story", story.id) for story in saved]
            assert len(batches) <= 3  # one transaction's notifications arrive together
        finally:
            listener.close(wait=3)


def test_a_take_over_is_news_and_a_heartbeat_is_not(pg_url: str) -> None:
    from newsroom_tui.storage.postgres import PostgresLockBook

    heard = Heard()
    with open_store(pg_url) as store:
        story = store.save(make_story(headline="Council meets"), user="seed")
        listener = _listening(store, heard)
        rina = PostgresLockBook(pg_url, user="rina", host="desk-a", expiry=timedelta(minutes=5))
        kamal = PostgresLockBook(pg_url, user="kamal", host="desk-b", expiry=timedelta(minutes=5))
        try:
            assert rina.acquire(story.id).ok
            assert heard.next_change() == Change("lock", story.id)
            assert rina.heartbeat() == [] and rina.heartbeat() == []
            assert heard.quiet_for(1.0) == []
            kamal.take_over(story.id)
            assert heard.next_change() == Change("lock", story.id)
            assert rina.heartbeat() == [story.id]
            kamal.release(story.id)
            assert heard.next_change() == Change("lock", story.id)
        finally:
            listener.close(wait=3)
            rina.close()
            kamal.close()


def test_a_payload_this_code_cannot_read_means_reread_everything() -> None:
    assert Change.from_payload('{"kind": "story", "id": "abc"}') == Change("story", "abc")
    assert Change.from_payload('{"kind": "lock", "id": "abc"}') == Change("lock", "abc")
    for odd in ("", "not json", "[]", '{"kind": "story"}', '{"kind": "x", "id": "a"}', '{"kind": "story", "id": 3}'):
        assert Change.from_payload(odd) == Change("unknown")


def test_the_server_stopped_and_back(tmp_path) -> None:
    """The listener says the database is away (one sentence, once, not at every retry), keeps trying,
    and says it listens again once the server is back; a save then reaches it."""
    from .pgserver import PgServer, why_no_server

    reason = why_no_server()
    if reason is not None:
        pytest.skip(reason)
    server = PgServer()
    heard = Heard()
    try:
        url = server.new_database()
        with open_store(url) as store:
            listener = _listening(store, heard)
            try:
                server.stop()
                away = heard.next_state(10)
                assert away is not None and "cannot be reached" in away and "\n" not in away
                time.sleep(2.5)  # a few retries meanwhile (1 s, then 2 s)
                assert heard.states.empty(), "an outage is said once"
                assert not listener.connected
                server.start()
                assert heard.next_state(15) is None
                with open_store(url) as elsewhere:  # another desk's: a store's own saves are not news to it
                    saved = elsewhere.save(make_story(headline="Back again"), user="rina")
                assert heard.next_change() == Change("story", saved.id)
            finally:
                listener.close(wait=3)
    finally:
        server.close()


def test_closing_ends_the_thread(pg_url: str) -> None:
    heard = Heard()
    with open_store(pg_url) as store:
        listener = _listening(store, heard)
        listener.close(wait=3)
        assert not any(thread.name == "newsroom-listen" and thread.is_alive() for thread in threading.enumerate())
        assert heard.states.empty()  # a deliberate close is not an outage
