"""benchmarks/bench_store.py's bulk load by COPY builds what the save path builds: a store filled by COPY and a
store saved story by story (`PostgresStore.save`, its clock reading each story's time) hold the same rows, the
same indexes, and give the same `list --json`, `history` and `search` answers."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.storage.backends import open_store

from .factories import run_newsroom

pytestmark = pytest.mark.slow
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> Any:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_store
    finally:
        sys.path.remove(str(BENCHMARKS))
    return bench_store


def _stories(bench: Any) -> list[Any]:
    """Generated stories (a third Bengali), and the awkward ones: no slug, COPY's escape characters,
    terminal control and a NUL the save path cleans, a byline of its own."""
    stories = bench.generated_chunk(0, 20)
    stories[3].slug = ""
    stories[4].body = "Back\\slash\tand tab.\r\n\r\nA second paragraph \\N here."
    stories[5].headline = "Escape \x1b[31mred\x1b[0m headline"
    stories[6].body = "A NUL \x00 inside."
    stories[7].created_by = "rina"
    return stories


def _newsroom(*args: str) -> str:
    result = run_newsroom(*args, env={**os.environ})
    assert result.returncode == 0, result.stderr
    return result.stdout


def _tables(url: str) -> tuple[list[Any], list[Any], list[Any], Any]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        stories = conn.execute(
            "SELECT seq, id, slug, status, desk, language, updated_at, version, doc, search_text, words, row_doc, "
            "haystack FROM stories ORDER BY seq"
        ).fetchall()
        # saved_at is the save's wall clock (DEFAULT now()), the load's is the story's time: not compared.
        revisions = conn.execute("SELECT story_id, version, doc FROM revisions ORDER BY story_id, version").fetchall()
        indexes = conn.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "ORDER BY tablename, indexname"
        ).fetchall()
        trigger = conn.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'stories_notify'").fetchone()
        options = conn.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname IN ('stories', 'revisions') ORDER BY relname"
        ).fetchall()
        counts = conn.execute("SELECT status, sum(delta) FROM story_counts GROUP BY status ORDER BY status").fetchall()
    return stories, revisions, indexes, (trigger, options, counts)


def test_a_bulk_load_builds_what_saving_story_by_story_builds(pg_server: Any, bench: Any, monkeypatch) -> None:
    from newsroom_tui.storage import postgres

    saved_url, loaded_url = pg_server.new_database(), pg_server.new_database()
    try:
        stories = _stories(bench)
        clock: list[Any] = [None]
        monkeypatch.setattr(postgres, "now", lambda: clock[0])
        with open_store(saved_url) as store:
            for story in stories:
                clock[0] = story.updated_at
                store.save(story, user="bench")
        monkeypatch.undo()

        with open_store(loaded_url) as watcher:  # a desk open on the store while it is loaded
            bench.bulk_load(loaded_url, 0, jobs=1, stories=stories)  # the same stories, ids and all
            assert watcher.refresh(), "a desk that looked before the load sees that the store changed"

        saved, loaded = _tables(saved_url), _tables(loaded_url)
        assert len(saved[0]) == 20 and len(saved[1]) == 20
        assert loaded[0] == saved[0]  # every column of every story, its order (seq) included
        assert loaded[1] == saved[1]
        assert loaded[2] == saved[2]  # every index made again, as the migrations made it
        # The change-notifying trigger is on again, and autovacuum (off for the load) as the migrations left it.
        assert loaded[3][:2] == saved[3][:2] == (("O",), [("revisions", None), ("stories", None)])
        # The status counts (0007_list_window.sql) are kept by the load's COPY as by the saves.
        assert loaded[3][2] == saved[3][2] and sum(total for _, total in saved[3][2]) == 20

        for args in (("list", "--json"), ("list", "--status", "draft", "--json"), ("list", "--all")):
            assert _newsroom("--db", loaded_url, *args) == _newsroom("--db", saved_url, *args)
        slugs = [story.slug for story in stories if story.slug][:3]
        for slug in slugs:
            assert _newsroom("--db", loaded_url, "history", slug) == _newsroom("--db", saved_url, "history", slug)
        for query in ("bridge toll", "পদ্মা সেতুর", "back slash", "red headline"):  # two words each
            found = _newsroom("--db", loaded_url, "search", *query.split(), "--json")
            assert found == _newsroom("--db", saved_url, "search", *query.split(), "--json")
            assert found.count('"slug"') >= 1, f"{query!r} finds something"
    finally:
        pg_server.drop_database(saved_url)
        pg_server.drop_database(loaded_url)


def test_a_bulk_load_grows_a_store_and_its_stories_are_the_generated_ones(pg_url: str, bench: Any) -> None:
    """Growing 150 → 410 keeps what is there and adds generated stories 150…409, in chunks of 100 made by two
    processes, each found by its slug and searchable; the list reads them all."""
    bench.bulk_load(pg_url, 150, jobs=1, chunk=100)
    bench.bulk_load(pg_url, 410, jobs=2, chunk=100)
    expected = bench.generated_chunk(150, 410)
    with open_store(pg_url) as store:
        assert len(store) == 410
        for story in (expected[0], expected[100], expected[-1]):
            found = store.find_by_slug(story.slug)
            assert found is not None and found.body == story.body and found.version == 1
        rows = store.story_rows()
        assert len(rows) == 410 and len({row.id for row in rows}) == 410
        from newsroom_tui.domain.search import parse_query

        assert store.search(parse_query(expected[-1].headline), limit=5)[0].row.slug == expected[-1].slug
