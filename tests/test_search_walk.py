"""Archive search on PostgreSQL at an archive's shape: a common word's newest hits are read from the newest
stories (a walk, window by window), a rare word's from the trigram index, and either way the hits are the
ones the TinyDB scan finds, in its order (storage/postgres.py's _search_docs)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.domain.search import parse_query
from newsroom_tui.storage.backends import open_store

from .factories import make_story

BASE = datetime(2025, 6, 1, 12, tzinfo=UTC)
STORIES = 600
# Every story holds "common"; "tenth", "rare" and "pair" thin out; "fresh" only the newest, "stale" only the
# oldest (the index must answer for them); "ferry" and "toll" never in one story; "padma" and "bridge" in
# every one, as the phrase "padma bridge" in one in ten.
QUERIES = ("common", "tenth", "rare", "fresh", "stale", "common tenth", "tenth rare", "fresh stale", "ferry toll",
           "ferry", "pair common", '"common tenth"', '"padma bridge"', '"bridge padma" tenth', '"padma bridge" rare',
           '"fresh stale"', "nothing")  # fmt: skip
LIMITS = (1, 6, 20, 75, 1000)


def _archive() -> list[Any]:
    """Stories saved seven to a minute (so window edges fall inside runs of equal `updated_at`, where the id
    decides), ids in mixed case (bytewise order is not a language's), the newest first."""
    stories = []
    for n in range(STORIES):
        words = ["common"]
        words += ["tenth"] if n % 10 == 3 else []
        words += ["rare"] if n % 97 == 5 else []
        words += ["pair"] if n % 41 in (0, 1) else []
        words += ["fresh"] if n < 15 else ["stale"] if n >= STORIES - 15 else []
        words += ["ferry"] if n % 2 else ["toll"]
        words += ["padma bridge"] if n % 10 == 7 else ["bridge padma"]
        stories.append(
            make_story(
                id=f"{'aB'[n % 2]}{(n * 7919) % 1000:03d}-{n}",
                slug=f"s-{n}",
                headline=f"Story {n}",
                body=" ".join(words) + " and the rest of the copy. " * 20,
                version=1,
                updated_at=BASE - timedelta(minutes=n // 7),
            )
        )
    return stories


@pytest.fixture
def both(db_path: Path, pg_url: str) -> Iterator[tuple[Any, Any]]:
    """The same archive in a TinyDB store and a PostgreSQL one (copied in, stamps as they are)."""
    stories = _archive()
    with open_store(str(db_path)) as tiny, open_store(pg_url) as pg:
        for store in (tiny, pg):
            assert store.copy_in([([story], []) for story in stories]) == ["copied"] * STORIES
        yield tiny, pg


def _ids(store: Any, query: str, limit: int) -> list[str]:
    return [hit.row.id for hit in store.search(parse_query(query), limit=limit)]


@pytest.mark.parametrize("first_walk", [3, 50, 200, 5000])
def test_the_walk_finds_what_the_scan_finds(
    both: tuple[Any, Any], first_walk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsroom_tui.storage import postgres

    monkeypatch.setattr(postgres, "_FIRST_WALK", first_walk)  # small windows: many edges, many windows
    tiny, pg = both
    for query in QUERIES:
        for limit in LIMITS:
            expected = _ids(tiny, query, limit)
            assert _ids(pg, query, limit) == expected, (query, limit)
    assert len(_ids(tiny, "common", 1000)) == STORIES and _ids(tiny, "ferry toll", 20) == []
    assert len(_ids(tiny, "stale", 20)) == 15 and len(_ids(tiny, "rare", 20)) == 7


def _stories_read(plan: dict[str, Any]) -> int:
    """How many rows of `stories` a plan fetched from the table (an index-only scan reads none)."""
    read = 0
    if plan.get("Relation Name") == "stories" and plan["Node Type"] in ("Index Scan", "Bitmap Heap Scan", "Seq Scan"):
        read += (
            plan["Actual Rows"] + plan.get("Rows Removed by Filter", 0) + plan.get("Rows Removed by Index Recheck", 0)
        )
    return read + sum(_stories_read(child) for child in plan.get("Plans", []))


def _explained(conn: Any) -> list[dict[str, Any]]:
    """The plans (EXPLAIN ANALYZE, JSON) of every statement `conn` runs from now on, as they run
    (auto_explain, sent to the client as notices)."""
    try:
        conn.execute("LOAD 'auto_explain'")
    except Exception as error:  # pragma: no cover - a server without contrib
        pytest.skip(f"auto_explain cannot be loaded here: {error}")
    plans: list[dict[str, Any]] = []
    conn.add_notice_handler(lambda notice: plans.append(json.loads(notice.message_primary.split("\n", 1)[1])))
    for setting in ("log_min_duration = 0", "log_analyze = on", "log_format = json", "log_level = notice"):
        conn.execute(f"SET auto_explain.{setting}")
    return plans


def test_a_common_word_reads_the_newest_stories_not_every_hit(both: tuple[Any, Any]) -> None:
    """Every story holds "common": the search reads a window of the newest, not all 600 (each one's 4 KB
    text decompressed, then sorted), which at a million stories was 14 s."""
    from newsroom_tui.storage import postgres

    _, pg = both
    plans = _explained(pg._db.connection())

    def read(query: str, hits: int = 20) -> int:
        plans.clear()
        assert len(pg.search(parse_query(query), limit=20)) == hits
        return sum(_stories_read(plan["Plan"]) for plan in plans)

    assert read("common") <= 30  # 20 hits, and the rest of their minute
    assert read("common tenth") <= 250  # one story in ten
    # Only the oldest 15: a first window with no hit (to the end of its last minute), then the index for those.
    assert read("stale", 15) <= postgres._FIRST_WALK + 7 + 15


def test_a_phrase_of_common_words_is_walked_not_handed_to_the_index(
    both: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One story in ten holds "padma bridge", every one both words: the index would hand over all 600 to be
    read, so the walk goes on past a first window that falls short."""
    from newsroom_tui.storage import postgres

    monkeypatch.setattr(postgres, "_FIRST_WALK", 30)  # three hits in it, not twenty
    _, pg = both
    plans = _explained(pg._db.connection())
    assert len(pg.search(parse_query('"padma bridge"'), limit=20)) == 20
    assert sum(_stories_read(plan["Plan"]) for plan in plans) <= 2 * 30 + 200


async def test_the_desks_archive_search_on_postgresql_shows_the_scans_hits(both: tuple[Any, Any], pg_url: str) -> None:
    """F6 on a desk whose store is the database: the screen's 50 hits are the TinyDB scan's first 50."""
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.tui.app import NewsroomApp

    from .factories import type_text
    from .test_archive_search_desk import open_search, results_for

    tiny, _ = both
    settings = Settings(user="desk")
    settings.use_store(pg_url)
    app = NewsroomApp(store=open_store(pg_url), settings=settings)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_search(app, pilot)
            await type_text(pilot, '"padma bridge" common')
            shown = await results_for(pilot, screen, '"padma bridge" common')
            assert shown == [hit.row.slug for hit in tiny.search(parse_query('"padma bridge" common'), limit=50)]
            assert len(shown) == 50 == screen.limit
    finally:
        app.close_store()
