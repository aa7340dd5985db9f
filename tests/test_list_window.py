"""The desk's list as a window on a query (PostgreSQL, schema 7): the database answers the list's filter,
its count, a window of its rows and where a story is in it, with exactly the rule the TinyDB desk applies
in memory (domain.listing.filter_rows), which is the reference every case here is held to."""

from __future__ import annotations

import collections
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from newsroom_tui.domain.listing import filter_rows
from newsroom_tui.domain.model import Status
from newsroom_tui.storage.backends import open_store

from .factories import make_story

# Words the queries below look for, in every field the filter searches, in both scripts; with the
# characters LIKE would read as patterns (% _ \) and the haystack's own separator in a headline.
HEADLINES = [
    "Padma bridge toll to rise",
    "পদ্মা সেতুর টোল বাড়ছে",
    "Flood warning for Sylhet",
    "বন্যার সতর্কতা সিলেটে",
    "Tigers win the series",
    "100% turnout_claimed in by-polls",
    "Back\\slash and 50_50 odds",
    "Odd \ue000 separator in a headline",
    "Metro rail fares cut",
    "Budget: power outage hits capital",
]
DESKS = ["National", "Sports", "সারাদেশ", "Business", ""]
BYLINES = ["Staff Reporter", "Karim Uddin", "রিনা আক্তার", "", "Sports Desk"]
SIGN_OFFS = ["Dhaka/Karim/NR", "", "Sylhet/Rina/NR", "Dhaka/Desk/NR"]
TAGS = [["padma", "toll"], ["flood"], ["ক্রিকেট", "tigers"], [], ["metro", "karim"]]
STATUSES = list(Status)

QUERIES = [
    "",
    "padma",
    "PADMA",
    "পদ্মা",
    "toll rise",
    "desk:sports",
    "by:karim",
    "by:rina tag:flood",
    "tag:padma",
    "slug:toll",
    "headline:flood",
    "status:pub",
    "status:spi",
    "status:k",
    "status:draft padma",
    "100%",
    "50_50",
    "_",
    "%",
    "back\\slash",
    "separator",
    "desk:separator",
    "সারাদেশ",
    "desk:সারাদেশ by:রিনা",
    "nothing-matches-this",
    "a",
    "status:",
    "status:pub status:cor",
]


def _archive(count: int = 90) -> list[Any]:
    base = datetime(2026, 11, 1, 8, tzinfo=UTC)
    stories = []
    for n in range(count):
        stories.append(
            make_story(
                headline=f"{HEADLINES[n % len(HEADLINES)]} {n}",
                slug=f"story-{n}" if n % 7 else f"toll-{n}",
                desk=DESKS[n % len(DESKS)],
                byline=BYLINES[n % len(BYLINES)],
                sign_off=SIGN_OFFS[n % len(SIGN_OFFS)],
                tags=TAGS[n % len(TAGS)],
                status=STATUSES[n % len(STATUSES)],
                # several stories share each minute: the tie-break (the order saved in) is held too
                updated_at=base + timedelta(minutes=n // 3),
            )
        )
    return stories


@pytest.fixture
def archive(pg_url: str) -> Any:
    from newsroom_tui.storage import postgres

    with open_store(pg_url) as store:
        # The save stamps the time of the save: one call a story, each with the story's own time.
        for story in _archive():
            at = story.updated_at
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(postgres, "now", lambda at=at: at)
                store.save(story, user="seed")
    store = open_store(pg_url)
    yield store
    store.close()


@pytest.mark.parametrize("status", [None, Status.DRAFT, Status.SPIKED, Status.PUBLISHED])
def test_the_database_answers_every_filter_as_the_desk_does_in_memory(archive: Any, status: Status | None) -> None:
    every_row = archive.story_rows()
    for query in QUERIES:
        expected = [row.id for row in filter_rows(every_row, query, status)]
        total = archive.count_rows(query, status)
        assert total == len(expected), query
        got = [row.id for row in archive.window_rows(query, status, 0, 1000, total=total)]
        assert got == expected, query
        # windows from the newest end, the middle and the oldest end (read backwards) are slices of it
        for offset, limit in ((0, 7), (total // 2 - 3, 7), (total - 5, 10), (total // 2 + 1, 4)):
            window = archive.window_rows(query, status, max(0, offset), limit, total=total)
            assert [row.id for row in window] == expected[max(0, offset) : max(0, offset) + limit], (query, offset)
        # page by page from a neighbour held (the index walk), forwards and backwards: the same rows
        pages, after = [], None
        while len(pages) < total:
            page = archive.window_rows(query, status, len(pages), 6, total=None, after=after)
            assert page, query
            pages += page
            after = page[-1]
        assert [row.id for row in pages] == expected, query
        if total > 6:
            tail = archive.window_rows(query, status, total - 6, 6, total=None, before=pages[-6 + 0])
            assert [row.id for row in tail] == expected[-12:-6], query
        # a typed filter is counted no further than asked (one past it: "1,000+"); by status alone the
        # counts are exact anyway
        assert archive.count_rows(query, status, most=5) == (min(total, 6) if query.split() else total), query
        for index in (0, len(expected) // 3, len(expected) - 1):
            if expected:
                assert archive.position_of(expected[index], query, status) == index, query
        left_out = {row.id for row in every_row} - set(expected)
        for story_id in list(left_out)[:3]:
            assert archive.position_of(story_id, query, status) is None, query


def test_rows_read_by_window_are_the_rows_read_whole(archive: Any) -> None:
    whole = {row.id: row for row in archive.story_rows()}
    total = archive.count_rows()
    for row in archive.window_rows("", None, 0, total, total=total):
        kept = whole[row.id]
        assert (row.headline, row.slug, row.haystack, row.word_count, row.version, row.status) == (
            kept.headline, kept.slug, kept.haystack, kept.word_count, kept.version, kept.status
        )  # fmt: skip


def _counted(store: Any) -> dict[Status, int]:
    return dict(collections.Counter(row.status for row in store.story_rows()))


def test_status_counts_follow_every_kind_of_write(pg_url: str) -> None:
    with open_store(pg_url) as store, open_store(pg_url) as other:
        assert store.status_counts() == {}
        saved = store.save_many([make_story(headline=f"Story {n}", slug=f"s-{n}") for n in range(5)], user="rina")
        assert store.status_counts() == {Status.DRAFT: 5} == other.status_counts()
        store.save(saved[0].copy(status=Status.SPIKED), user="rina")  # re-filed
        store.save(saved[1].copy(headline="Only the headline"), user="rina")  # same status: no count row
        assert store.status_counts() == {Status.DRAFT: 4, Status.SPIKED: 1} == _counted(store)
        store.delete([store.get(saved[0].id)], user="rina", note="purged")
        assert store.status_counts() == {Status.DRAFT: 4} == _counted(store)
        # a migration's copy: new stories and one updated in place (INSERT … ON CONFLICT DO UPDATE)
        moved = store.get(saved[2].id).copy(status=Status.EDITED, version=3)
        fresh = make_story(headline="Copied in", slug="copied", status=Status.PUBLISHED, version=1)
        store.copy_in([([store.get(saved[2].id), moved], []), ([fresh], [])])
        assert store.status_counts() == {Status.DRAFT: 3, Status.EDITED: 1, Status.PUBLISHED: 1} == _counted(store)
        assert store.count_rows() == 5 and store.count_rows(status=Status.EDITED) == 1


def test_the_counts_are_folded_and_stay_right(pg_url: str) -> None:
    import psycopg

    from newsroom_tui.storage import postgres

    with open_store(pg_url) as store:
        story = store.save(make_story(headline="Back and forth", slug="bf"), user="rina")
        for n in range(postgres._MOST_COUNT_ROWS // 2 + 5):  # each re-filing appends two rows
            story = store.save(story.copy(status=Status.SUBMITTED if n % 2 == 0 else Status.DRAFT), user="rina")
        expected = _counted(store)
        with psycopg.connect(pg_url) as conn:
            assert conn.execute("SELECT count(*) FROM story_counts").fetchone()[0] > postgres._MOST_COUNT_ROWS
        assert store.status_counts() == expected  # read, then folded
        with psycopg.connect(pg_url) as conn:
            assert conn.execute("SELECT count(*) FROM story_counts").fetchone()[0] <= len(Status)
        assert store.status_counts() == expected


def test_an_older_database_gets_its_haystacks_and_counts_on_upgrade(pg_url: str) -> None:
    import psycopg

    from newsroom_tui.storage import postgres

    with open_store(pg_url) as store:
        store.save_many(
            [make_story(headline="Flood warning", slug="flood", desk="Sports", status=Status.EDITED),
             make_story(headline="পদ্মা সেতু", slug="padma", byline="রিনা")], user="rina",
        )  # fmt: skip
    with psycopg.connect(pg_url, autocommit=True) as conn:  # back to schema 6, as an older newsroom left it
        conn.execute("DROP TRIGGER stories_count_added ON stories; DROP TRIGGER stories_count_removed ON stories")
        conn.execute("DROP TRIGGER stories_count_moved ON stories; DROP FUNCTION newsroom_count_statuses()")
        conn.execute("DROP TABLE story_counts; DROP INDEX stories_haystack; ALTER TABLE stories DROP COLUMN haystack")
        conn.execute("DROP INDEX stories_slug_bytes; DROP INDEX stories_slug_ends")  # schema 8's
        conn.execute("DELETE FROM schema_version WHERE version >= 7")
    assert [migration.version for migration in postgres.upgrade_url(pg_url)] == [7, 8]
    with open_store(pg_url) as store:
        assert store.status_counts() == {Status.EDITED: 1, Status.DRAFT: 1}
        assert [row.slug for row in store.window_rows("desk:sports", None, 0, 5, total=1)] == ["flood"]
        assert store.count_rows("by:রিনা") == 1
        assert store.position_of(store.find_by_slug("padma").id, "পদ্মা") == 0


def test_a_cancel_on_its_way_never_holds_up_the_keystroke_that_asked_for_it(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cancel is a connection of its own (a second, where the server cannot be reached): it goes in its own
    thread, so a filter keystroke on the UI thread never waits for it, and it still cancels."""
    import threading
    import time

    import psycopg
    from psycopg import sql

    from newsroom_tui.storage.errors import StoreBusyError

    cancel = psycopg.Connection.cancel_safe

    def slow_cancel(self: Any, *args: Any, **kwargs: Any) -> None:  # a server far away
        time.sleep(0.8)
        cancel(self, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "cancel_safe", slow_cancel)
    with open_store(pg_url) as store:
        failed: list[BaseException] = []

        def slow_question() -> None:
            try:
                store._db.run(lambda conn: store._ask(conn, sql.SQL("SELECT pg_sleep(30)"), []), write=False)
            except BaseException as error:
                failed.append(error)

        thread = threading.Thread(target=slow_question)
        thread.start()
        while store._asking is None:
            time.sleep(0.01)
        began = time.monotonic()
        store.interrupt(thread.ident or 0)
        store.interrupt(thread.ident or 0)  # the next key, while the first cancel is on its way
        assert time.monotonic() - began < 0.3
        thread.join(timeout=10)
        assert not thread.is_alive()
        assert len(failed) == 1 and isinstance(failed[0], StoreBusyError)


def test_a_question_running_is_cancelled_by_interrupt_and_nothing_else_is(pg_url: str) -> None:
    import threading
    import time

    from psycopg import sql

    from newsroom_tui.storage.errors import StoreBusyError

    with open_store(pg_url) as store:
        story = store.save(make_story(headline="Kept", slug="kept"), user="rina")
        store.interrupt(threading.get_ident())  # nothing running: nothing happens
        saved = store.save(story.copy(headline="Kept again"), user="rina")
        assert saved.version == 2
        failed: list[BaseException] = []

        def slow_question() -> None:  # as one of the list's, but one that would take 30 s
            try:
                store._db.run(lambda conn: store._ask(conn, sql.SQL("SELECT pg_sleep(30)"), []), write=False)
            except BaseException as error:
                failed.append(error)

        started = time.monotonic()
        thread = threading.Thread(target=slow_question)
        thread.start()
        while store._asking is None:
            time.sleep(0.01)
        store.interrupt(threading.get_ident())  # another thread's statement: not cancelled
        time.sleep(0.5)
        assert thread.is_alive()
        store.interrupt(thread.ident)
        thread.join(timeout=10)
        assert not thread.is_alive() and time.monotonic() - started < 10
        assert len(failed) == 1 and isinstance(failed[0], StoreBusyError)
        assert store.get(story.id).headline == "Kept again"  # the connection goes on
        assert store.save(saved.copy(headline="Third"), user="rina").version == 3
