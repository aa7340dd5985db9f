"""The story list's row cache: the desk's first screen without reading the whole store, never wrong for long."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from newsroom_tui.domain.listing import StoryRow
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.storage.rowcache import MAX_TAIL_BYTES, REWRITE_TAIL_BYTES, cache_path, read_rows, write_rows
from newsroom_tui.storage.store import StoryStore

BANGLA = "পদ্মা সেতুর টোল বাড়ছে"


def seed(path: Path, count: int = 5) -> list[Story]:
    with StoryStore(path) as store:
        return store.save_many(
            [
                Story(
                    headline=BANGLA if n == 0 else f"Story {n}",
                    slug=f"story-{n}",
                    byline="Staff Correspondent",
                    tags=["Dhaka"],
                    body=" ".join(["word"] * (10 + n)),
                    desk="National",
                )
                for n in range(count)
            ],
            user="seed",
        )


def cache(path: Path) -> None:
    """What a desk session does once it has read the store."""
    with StoryStore(path) as store:
        write_rows(path, *store.rows_and_position())


def shown(rows: list[StoryRow]) -> list[tuple]:
    return [
        (
            r.id,
            r.version,
            r.status,
            r.slug,
            r.headline,
            r.desk,
            r.byline,
            r.updated_at,
            r.updated_by,
            r.language,
            r.haystack,
            r.word_count,
            r.sent_version,
            r.live,
            r.unsent,
        )
        for r in rows
    ]


def store_rows(path: Path) -> list[StoryRow]:
    with StoryStore(path) as store:
        return store.story_rows()


def test_the_cache_gives_the_rows_the_store_gives(db_path: Path) -> None:
    seed(db_path)
    cache(db_path)
    cached = read_rows(db_path)
    assert cached is not None and cached.tail_bytes == 0
    assert shown(cached.rows) == shown(store_rows(db_path))
    assert BANGLA in {row.headline for row in cached.rows}  # Bengali as itself
    assert BANGLA.encode() in cache_path(db_path).read_bytes()


def test_no_cache_a_foreign_file_or_a_damaged_one_means_read_the_store(db_path: Path) -> None:
    seed(db_path)
    assert read_rows(db_path) is None
    for content in (
        b"",
        b"{",
        b"[]",
        b'{"format": "something else"}',
        json.dumps({"format": "newsroom-story-rows", "version": 99}).encode(),
    ):
        cache_path(db_path).write_bytes(content)
        assert read_rows(db_path) is None
    cache(db_path)
    data = json.loads(cache_path(db_path).read_bytes())
    data["rows"][0][7] = "not a date"
    cache_path(db_path).write_text(json.dumps(data))
    assert read_rows(db_path) is None


def test_saves_after_the_cache_come_from_the_journal_tail(db_path: Path) -> None:
    stories = seed(db_path)
    cache(db_path)
    with StoryStore(db_path) as other_editor:
        changed = other_editor.save(
            stories[2].copy(headline="Toll cut after protests", status=Status.SUBMITTED), user="rafiq"
        )
        added = other_editor.save(Story(headline="Late story", body="Just in."), user="rafiq")
    cached = read_rows(db_path)
    assert cached is not None and cached.tail_bytes > 0
    assert shown(cached.rows) == shown(store_rows(db_path))
    by_id = {row.id: row for row in cached.rows}
    assert by_id[changed.id].headline == "Toll cut after protests" and by_id[changed.id].version == 2
    assert by_id[added.id].word_count == 2


def test_a_line_still_being_written_is_left_for_the_store(db_path: Path) -> None:
    seed(db_path)
    cache(db_path)
    with open(db_path, "ab") as journal:
        journal.write(b'{"tx": {"stories": {"x": {"id": "x", "headl')
    cached = read_rows(db_path)
    assert cached is not None and "x" not in {row.id for row in cached.rows}


def test_a_damaged_tail_means_read_the_store(db_path: Path) -> None:
    seed(db_path)
    cache(db_path)
    with open(db_path, "ab") as journal:
        journal.write(b"this is not json\n")
    assert read_rows(db_path) is None


def test_a_compacted_or_replaced_journal_is_not_taken_for_the_cached_one(db_path: Path) -> None:
    seed(db_path)
    cache(db_path)
    with StoryStore(db_path) as store:
        store.save(Story(headline="One more"), user="desk")
        store.compact()  # a new file: a new inode
    assert read_rows(db_path) is None


def test_a_shorter_or_different_file_under_the_same_name_is_noticed(db_path: Path) -> None:
    seed(db_path)
    cache(db_path)
    data = db_path.read_bytes()
    with open(db_path, "r+b") as journal:  # same inode, different bytes before the cached offset
        journal.seek(len(data) - 10)
        journal.write(b"X" * 9)
    assert read_rows(db_path) is None
    with open(db_path, "r+b") as journal:
        journal.truncate(len(data) // 2)
    assert read_rows(db_path) is None


def test_a_tail_too_long_to_be_worth_it_means_read_the_store(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed(db_path)
    cache(db_path)
    with StoryStore(db_path) as store:
        store.save(Story(headline="Long one", body="word " * 2000), user="desk")
    cached = read_rows(db_path)
    assert cached is not None and cached.tail_bytes > 10_000
    assert MAX_TAIL_BYTES > REWRITE_TAIL_BYTES
    monkeypatch.setattr("newsroom_tui.storage.rowcache.MAX_TAIL_BYTES", 10_000)
    assert read_rows(db_path) is None


def test_the_cache_is_written_whole_with_the_stores_permissions(db_path: Path) -> None:
    seed(db_path)
    os.chmod(db_path, 0o660)
    cache(db_path)
    assert stat.S_IMODE(os.stat(cache_path(db_path)).st_mode) == 0o660
    assert not [p for p in db_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_word_counts_are_counted_once_for_the_cache(db_path: Path) -> None:
    seed(db_path)
    with StoryStore(db_path) as store:
        rows, position = store.rows_and_position()
        assert all(row._word_count is None for row in rows)  # the list counts only what it draws
        write_rows(db_path, rows, position)
    cached = read_rows(db_path)
    assert cached is not None
    assert sorted(row.word_count for row in cached.rows) == list(range(10, 15))
    assert all(row.body == "" for row in cached.rows)  # bodies stay in the store


def test_an_empty_store_is_not_cached(db_path: Path) -> None:
    StoryStore(db_path).close()
    cache(db_path)
    cached = read_rows(db_path)
    assert cached is None or cached.rows == []


def test_rows_from_the_stored_documents_are_the_rows_stories_give(db_path: Path) -> None:
    """StoryRow.from_doc (the list at start-up) and StoryRow.from_story (the list after a save) agree."""
    seed(db_path)
    with StoryStore(db_path) as store:
        assert shown(store.story_rows()) == shown([StoryRow.from_story(story) for story in store.list_stories()])


def live_and_unsent(path: Path) -> tuple[Story, Story]:
    """One story published and left as it went out, one published then saved again (unsent changes)."""
    from newsroom_tui.domain.model import now
    from newsroom_tui.domain.workflow import apply_action

    stories = seed(path, 2)
    with StoryStore(path) as store:
        sent, changed = (store.save(apply_action(s, "publish", user="desk", now=now()), user="desk") for s in stories)
        changed = store.save(changed.copy(body=changed.body + " more"), user="desk")
    return sent, changed


def test_rows_say_which_stories_are_live_and_which_have_unsent_changes(db_path: Path) -> None:
    sent, changed = live_and_unsent(db_path)
    rows = {row.id: row for row in store_rows(db_path)}
    assert (rows[sent.id].live, rows[sent.id].unsent) == (True, False)
    assert (rows[changed.id].live, rows[changed.id].unsent) == (True, True)
    cache(db_path)
    cached = read_rows(db_path)
    assert cached is not None
    assert shown(cached.rows) == shown(store_rows(db_path))
    with StoryStore(db_path) as store:
        assert shown(store.story_rows()) == shown([StoryRow.from_story(story) for story in store.list_stories()])


def test_a_cache_written_before_rows_knew_live_stories_is_ignored(db_path: Path) -> None:
    """Version 1 rows had no live/unsent marks: starting from them would show live stories unmarked."""
    live_and_unsent(db_path)
    cache(db_path)
    data = json.loads(cache_path(db_path).read_bytes())
    data["version"] = 1
    data["rows"] = [row[:12] for row in data["rows"]]
    cache_path(db_path).write_text(json.dumps(data))
    assert read_rows(db_path) is None
