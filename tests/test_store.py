"""The story store in one process: saving, versions, slugs, history, damage, and what it costs."""

from __future__ import annotations

import errno
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import newsroom_tui.storage.store as store_module
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.storage.store import (
    ConflictError,
    SlugTakenError,
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoryNotFoundError,
    StoryStore,
)

BANGLA_BODY = "পদ্মা সেতুর টোল জুলাই থেকে বাড়বে বলে জানিয়েছেন মন্ত্রী।\n\nযাত্রীরা উদ্বিগ্ন।"


@pytest.fixture
def store(db_path: Path):
    with StoryStore(db_path) as opened:
        yield opened


def story(headline: str = "Padma bridge toll to rise", slug: str = "", **fields) -> Story:
    return Story(headline=headline, slug=slug, body=fields.pop("body", "The toll rises in July."), **fields)


def journal_lines(db_path: Path) -> list[dict]:
    return [json.loads(line) for line in db_path.read_bytes().splitlines()]


def one_sentence(message: str) -> bool:
    return message.endswith(".") and ". " not in message.rstrip(".") and "\n" not in message


# -- basics ---------------------------------------------------------------------------------------------
def test_a_new_store_is_created_empty_with_its_folder(db_path: Path) -> None:
    with StoryStore(db_path) as store:
        assert store.path == db_path
        assert store.is_empty() and len(store) == 0
        assert store.list_stories() == []
    assert journal_lines(db_path) == [{"format": "newsroom-story-journal", "version": 1}]


def test_save_stamps_the_saved_copy(store: StoryStore) -> None:
    draft = story(slug="padma-bridge-toll")
    saved = store.save(draft, user="shamera")
    assert (saved.version, saved.updated_by, saved.created_by) == (1, "shamera", "shamera")
    assert saved.updated_at.tzinfo is not None and saved.updated_at.utcoffset().total_seconds() == 0
    assert draft.version == 0, "the caller's story is not changed"
    saved.headline = "Edited"
    again = store.save(saved, user="rafiq")
    assert (again.version, again.updated_by, again.created_by) == (2, "rafiq", "shamera")
    assert again.created_at == saved.created_at
    assert store.get(saved.id).headline == "Edited"


def test_returned_stories_are_copies_the_caller_may_change(store: StoryStore) -> None:
    saved = store.save(story(tags=["economy"]), user="u")
    for copy in (saved, store.get(saved.id), store.list_stories()[0], store.revisions(saved.id)[0]):
        copy.tags.append("mutated")
        copy.headline = "mutated"
    fresh = store.get(saved.id)
    assert fresh.tags == ["economy"] and fresh.headline == "Padma bridge toll to rise"
    assert store.list_stories()[0].tags == ["economy"]


def test_everything_survives_reopening_and_bangla_is_written_as_utf8(db_path: Path) -> None:
    published = datetime(2025, 6, 1, 9, 30, tzinfo=UTC)
    original = story(
        headline="পদ্মা সেতুর টোল বাড়ছে",
        body=BANGLA_BODY,
        slug="padma-toll",
        summary="সারাংশ",
        byline="নিজস্ব প্রতিবেদক",
        tags=["পদ্মা", "transport"],
        language="bn",
        status=Status.PUBLISHED,
        urgency=3,
        published_at=published,
        correction_sequence=2,
        slug_set_by_hand=True,
    )
    with StoryStore(db_path) as store:
        saved = store.save(original, user="nadia")
    with StoryStore(db_path) as store:
        assert store.get(saved.id) == saved
    raw = db_path.read_bytes()
    assert "পদ্মা সেতুর টোল বাড়ছে".encode() in raw and b"\\u09" not in raw


def test_list_is_newest_first_and_filters_by_status(store: StoryStore) -> None:
    first = store.save(story("one", status=Status.PUBLISHED), user="u")
    second = store.save(story("two"), user="u")
    third = store.save(story("three", status=Status.PUBLISHED), user="u")
    assert [s.headline for s in store.list_stories()] == ["three", "two", "one"]
    assert [s.id for s in store.list_stories(Status.PUBLISHED)] == [third.id, first.id]
    first.body = "updated"
    store.save(first, user="u")
    assert [s.headline for s in store.list_stories()] == ["one", "three", "two"]
    assert [s.id for s in store.list_stories(Status.DRAFT)] == [second.id]


def test_get_of_an_unknown_story(store: StoryStore) -> None:
    with pytest.raises(StoryNotFoundError) as caught:
        store.get("nope")
    assert caught.value.story_id == "nope" and one_sentence(str(caught.value))


# -- versions and conflicts -----------------------------------------------------------------------------
def test_a_save_writes_the_story_not_the_store(db_path: Path) -> None:
    with StoryStore(db_path) as store:
        store.save_many([story(f"story {n}", body="words " * 700) for n in range(200)], user="u")
        one = store.list_stories()[0]
        before = db_path.stat().st_size
        one.body = "other words " * 350
        store.save(one, user="u")
    written = db_path.stat().st_size - before
    assert written < 2 * len(json.dumps(one.to_dict(), ensure_ascii=False)) < before / 50


def test_a_stale_save_raises_conflict_and_overwrites_nothing(db_path: Path) -> None:
    with StoryStore(db_path) as mine, StoryStore(db_path) as theirs:
        loaded_by_me = mine.save(story(slug="toll"), user="me")
        loaded_by_them = theirs.get(loaded_by_me.id)
        loaded_by_them.headline = "Their headline"
        theirs.save(loaded_by_them, user="rafiq")
        size = db_path.stat().st_size
        loaded_by_me.headline = "My headline"
        with pytest.raises(ConflictError) as caught:
            mine.save(loaded_by_me, user="me")
        error = caught.value
        assert (error.story_id, error.expected_version, error.found_version) == (loaded_by_me.id, 1, 2)
        assert error.theirs.headline == "Their headline" and error.theirs.updated_by == "rafiq"
        assert "rafiq" in str(error) and one_sentence(str(error))
        assert db_path.stat().st_size == size
        assert mine.get(loaded_by_me.id).headline == "Their headline"


def test_a_new_story_cannot_reuse_a_stored_id(store: StoryStore) -> None:
    saved = store.save(story(), user="u")
    with pytest.raises(ConflictError):
        store.save(story("impostor", id=saved.id), user="u")


def test_a_loaded_story_that_is_not_in_the_store(store: StoryStore) -> None:
    with pytest.raises(StoryNotFoundError):
        store.save(story(version=3), user="u")


# -- slugs ----------------------------------------------------------------------------------------------
def test_a_slug_belongs_to_one_story(store: StoryStore) -> None:
    owner = store.save(story("Padma bridge toll rises", slug="padma-toll"), user="u")
    with pytest.raises(SlugTakenError) as caught:
        store.save(story("Another", slug="padma-toll"), user="u")
    error = caught.value
    assert (error.slug, error.owner_id, error.owner_headline) == ("padma-toll", owner.id, owner.headline)
    assert one_sentence(str(error)) and "padma-toll" in str(error)
    assert len(store) == 1
    owner.body = "its own slug is fine"
    store.save(owner, user="u")
    assert store.find_by_slug("padma-toll").id == owner.id
    assert store.slug_owner("padma-toll").id == owner.id
    assert store.slug_owner("free") is None and store.slug_owner("") is None


def test_a_renamed_slug_is_free_again_and_empty_slugs_are_allowed(store: StoryStore) -> None:
    owner = store.save(story(slug="old-slug"), user="u")
    owner.slug = "new-slug"
    store.save(owner, user="u")
    taker = store.save(story("Taker", slug="old-slug"), user="u")
    assert store.find_by_slug("old-slug").id == taker.id
    store.save(story("no slug one"), user="u")
    store.save(story("no slug two"), user="u")
    assert len(store) == 4


def test_two_stories_in_one_batch_cannot_share_a_slug(store: StoryStore) -> None:
    with pytest.raises(SlugTakenError) as caught:
        store.save_many([story("first", slug="same"), story("second", slug="same")], user="u")
    assert caught.value.owner_headline == "first"
    assert store.is_empty()


# -- save_many ------------------------------------------------------------------------------------------
def test_save_many_is_one_line_and_one_fsync_per_file(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with StoryStore(db_path) as store:
        syncs: list[int] = []
        real = store_module._fdatasync
        monkeypatch.setattr(store_module, "_fdatasync", lambda fd: (syncs.append(fd), real(fd)))
        saved = store.save_many([story(f"story {n}", slug=f"story-{n}") for n in range(20)], user="u")
        assert [s.version for s in saved] == [1] * 20
        assert len(syncs) == 2, "one for the journal, one for the revisions file"
    assert len(journal_lines(db_path)) == 2


def test_save_many_is_all_or_nothing(store: StoryStore, db_path: Path) -> None:
    kept = store.save(story("kept", slug="kept"), user="u")
    size = db_path.stat().st_size
    batch = [story("fine"), story("clash", slug="kept"), story("also fine")]
    with pytest.raises(SlugTakenError):
        store.save_many(batch, user="u")
    stale = kept.copy(version=0)
    with pytest.raises(ConflictError):
        store.save_many([story("fine"), stale], user="u")
    assert db_path.stat().st_size == size
    assert [s.id for s in store.list_stories()] == [kept.id]
    assert store.save_many([], user="u") == []


def test_a_failed_write_changes_nothing(store: StoryStore, db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = store.save(story("kept"), user="u")
    size = db_path.stat().st_size

    def disk_full(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_module.os, "write", disk_full)
    kept.headline = "lost?"
    with pytest.raises(StoreError) as caught:
        store.save(kept, user="u")
    assert "no space left on device" in str(caught.value) and one_sentence(str(caught.value))
    monkeypatch.undo()
    assert db_path.stat().st_size == size
    assert store.get(kept.id).headline == "kept" and store.get(kept.id).version == 1
    assert store.save(kept, user="u").version == 2, "the editor can save again once there is room"


# -- history --------------------------------------------------------------------------------------------
def test_every_version_is_kept_and_can_be_restored(store: StoryStore) -> None:
    v1 = store.save(story("first words", tags=["a"]), user="shamera")
    v1.headline, v1.tags = "second words", ["b"]
    v2 = store.save(v1, user="rafiq")
    v2.headline, v2.status = "third words", Status.PUBLISHED
    v3 = store.save(v2, user="nadia")
    history = store.revisions(v3.id)
    assert [(s.version, s.headline, s.updated_by) for s in history] == [
        (1, "first words", "shamera"),
        (2, "second words", "rafiq"),
        (3, "third words", "nadia"),
    ]
    assert store.revision(v3.id, 1).tags == ["a"]
    restored = store.restore(v3.id, 1, user="editor")
    assert (restored.version, restored.headline, restored.tags) == (4, "first words", ["a"])
    assert restored.status is Status.PUBLISHED, "a restore brings back words, not workflow state"
    assert [s.version for s in store.revisions(v3.id)] == [1, 2, 3, 4]
    with pytest.raises(StoryNotFoundError):
        store.revision(v3.id, 9)
    with pytest.raises(StoryNotFoundError):
        store.restore(v3.id, 9, user="editor")


def test_history_is_not_read_when_opening(db_path: Path) -> None:
    with StoryStore(db_path) as store:
        saved = store.save(story(), user="u")
    revisions = db_path.with_name(db_path.name + ".revisions")
    revisions.write_bytes(revisions.read_bytes() + b"garbage that only history would notice\n")
    with StoryStore(db_path) as store:
        assert store.get(saved.id).version == 1
        with pytest.raises(StoreCorruptError) as caught:
            store.revisions(saved.id)
    assert str(revisions) in str(caught.value) and one_sentence(str(caught.value))


def test_history_ignores_revisions_of_saves_that_never_finished(store: StoryStore, db_path: Path) -> None:
    saved = store.save(story("v1"), user="u")
    saved.headline = "v2"
    saved = store.save(saved, user="u")
    revisions = db_path.with_name(db_path.name + ".revisions")
    # A writer killed between its revision line and its journal line leaves an orphan version 3.
    orphan = saved.copy(version=3, headline="never acknowledged").to_dict()
    key = json.dumps(["stories", saved.id])
    with revisions.open("a", encoding="utf-8") as handle:
        handle.write(f'{{"key": {key}, "doc": {json.dumps(orphan, ensure_ascii=False)}}}\n')
    assert [s.headline for s in store.revisions(saved.id)] == ["v1", "v2"]
    saved.headline = "real v3"
    store.save(saved, user="u")
    assert [s.headline for s in store.revisions(saved.id)] == ["v1", "v2", "real v3"]


# -- other processes' writes (two store objects stand in for two processes here) -----------------------
def test_refresh_notices_other_writers_for_the_price_of_a_stat(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with StoryStore(db_path) as desk, StoryStore(db_path) as other:
        reads: list[int] = []
        real_pread = os.pread
        monkeypatch.setattr(store_module.os, "pread", lambda *args: (reads.append(1), real_pread(*args))[1])
        assert desk.refresh() is False and desk.refresh() is False
        assert reads == [], "nothing changed: nothing read"
        other.save(story("from another editor"), user="other")
        assert desk.refresh() is True
        assert desk.refresh() is False
        assert [s.headline for s in desk.list_stories()] == ["from another editor"]
        desk.save(story("my own"), user="me")
        assert desk.refresh() is False, "one's own saves are not news"


def test_readers_catch_up_after_another_process_compacts(db_path: Path) -> None:
    with StoryStore(db_path) as desk, StoryStore(db_path) as other:
        mine = desk.save(story("mine", slug="mine"), user="me")
        for n in range(3):
            mine = desk.save(mine.copy(body=f"edit {n}"), user="me")
        other.compact()
        other.save(story("after compaction"), user="other")
        assert desk.refresh() is True
        assert sorted(s.headline for s in desk.list_stories()) == ["after compaction", "mine"]
        assert desk.save(mine.copy(body="still mine"), user="me").version == 5
        assert [s.version for s in other.revisions(mine.id)] == [1, 2, 3, 4, 5]
        assert other.get(mine.id).body == "still mine"


def test_compaction_keeps_the_previous_file_and_shrinks_the_journal(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "COMPACT_MIN_DEAD_BYTES", 20_000)
    with StoryStore(db_path) as store:
        saved = store.save(story(body="x" * 2000), user="u")
        for n in range(30):
            saved = store.save(saved.copy(body=f"{n} " + "x" * 2000), user="u")
        assert db_path.stat().st_size < 20_000 + 3 * 2400
        assert store.backup_path.exists()
        assert [s.version for s in store.revisions(saved.id)] == list(range(1, 32))
    with StoryStore(db_path) as store:
        assert store.get(saved.id).version == 31


# -- crashes, damage and errors -------------------------------------------------------------------------
def test_a_torn_last_line_is_the_unacknowledged_write_and_is_dropped(db_path: Path) -> None:
    with StoryStore(db_path) as store:
        kept = store.save(story("kept"), user="u")
    whole = db_path.read_bytes()
    db_path.write_bytes(whole + b'{"tx": {"stories": {"abc": {"headline": "half a st')
    with StoryStore(db_path) as store:
        assert [s.headline for s in store.list_stories()] == ["kept"]
        kept.headline = "kept, edited"
        store.save(kept, user="u")
    lines = db_path.read_bytes().splitlines()
    assert db_path.read_bytes().startswith(whole) and len(lines) == 3
    assert all(json.loads(line) for line in lines)


def test_a_store_torn_while_being_created_is_empty(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(store_module.HEADER[:10])
    with StoryStore(db_path) as store:
        assert store.is_empty()
        store.save(story(), user="u")
    assert journal_lines(db_path)[0]["format"] == "newsroom-story-journal"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"GARBAGE\n", "line 2 (not valid JSON)"),
        (b'{"not": "an entry"}\n', "line 2 (not a journal entry)"),
        (b'{"tx": {"stories": {"id": "oops"}}}\n', "line 2 (not a journal entry)"),
        (b"\xff\xfe\n", "line 2 (not valid JSON)"),
    ],
)
def test_damage_in_the_middle_is_reported_and_never_repaired(db_path: Path, content: bytes, expected: str) -> None:
    with StoryStore(db_path) as store:
        store.save(story("first"), user="u")
    lines = db_path.read_bytes().splitlines(keepends=True)
    damaged = lines[0] + content + lines[1]
    db_path.write_bytes(damaged)
    with pytest.raises(StoreCorruptError) as caught:
        StoryStore(db_path)
    message = str(caught.value)
    assert str(db_path) in message and expected in message and one_sentence(message)
    assert str(db_path) + ".revisions" in message, "says where the saved versions are"
    assert db_path.read_bytes() == damaged


def test_damage_written_by_someone_else_is_noticed_by_an_open_store(db_path: Path) -> None:
    with StoryStore(db_path) as store:
        store.save(story("first"), user="u")
        with db_path.open("ab") as handle:
            handle.write(b"not json at all\n")
        with pytest.raises(StoreCorruptError) as caught:
            store.refresh()
        assert "line 3" in str(caught.value)
        with pytest.raises(StoreCorruptError):
            store.save(story("second"), user="u")
    assert db_path.read_bytes().endswith(b"not json at all\n")


@pytest.mark.parametrize(
    "content",
    [
        b'{"_default": {"1": {"headline": "a plain TinyDB file"}}}',
        b"hello, I am a text file\n",
        '{"stories": {"1": {"headline": "পদ্মা"}}}\n'.encode(),
    ],
)
def test_a_file_that_is_not_a_store_is_left_alone(db_path: Path, content: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    with pytest.raises(StoreCorruptError) as caught:
        StoryStore(db_path)
    assert "is not a newsroom story store" in str(caught.value) and one_sentence(str(caught.value))
    assert db_path.read_bytes() == content


def test_a_store_from_a_newer_newsroom(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b'{"format": "newsroom-story-journal", "version": 99}\n')
    with pytest.raises(StoreError, match="newer newsroom"):
        StoryStore(db_path)


def test_a_folder_is_not_a_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        StoryStore(tmp_path)
    assert "is a folder" in str(caught.value) and one_sentence(str(caught.value))


def test_an_unreadable_store(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    StoryStore(db_path).close()
    real_open = os.open

    def denied(file, flags, *args):
        if Path(file) == db_path:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(file, flags, *args)

    monkeypatch.setattr(store_module.os, "open", denied)
    with pytest.raises(StoreError) as caught:
        StoryStore(db_path)
    assert str(caught.value) == f"Cannot read the story store {db_path}: permission denied."


def test_a_busy_lock_is_reported_not_waited_for_forever(db_path: Path) -> None:
    with StoryStore(db_path, lock_timeout=0.05) as store:
        from newsroom_tui.storage.atomicfile import PathLock

        holder = PathLock(db_path, timeout=1)  # the lock is on the journal itself (issue 11, item 3)
        holder.acquire()
        with pytest.raises(StoreBusyError) as caught:
            store.save(story(), user="u")
        assert "busy" in str(caught.value) and one_sentence(str(caught.value))
        holder.release()
        assert store.is_empty()
        assert store.save(story(), user="u").version == 1


def test_temporaries_left_by_a_crash_are_removed(db_path: Path) -> None:
    StoryStore(db_path).close()
    leftovers = [
        db_path.with_name(f".{db_path.name}.1234-abcd.tmp"),
        db_path.with_name(f".{db_path.name}.bak.99-ff.tmp"),
    ]
    for leftover in leftovers:
        leftover.write_text("half a compaction")
    unrelated = db_path.with_name(".other.json.1-2.tmp")
    unrelated.write_text("not ours")
    StoryStore(db_path).close()
    assert not any(leftover.exists() for leftover in leftovers)
    assert unrelated.exists()


def test_a_closed_store_says_so(db_path: Path) -> None:
    store = StoryStore(db_path)
    store.close()
    with pytest.raises(StoreError, match="is closed"):
        store.list_stories()


def test_tinydb_in_place_updates_are_refused(store: StoryStore, db_path: Path) -> None:
    """An in-place change (TinyDB's `update` merges into the stored dict) would slip past the journal."""
    saved = store.save(story(), user="u")
    size = db_path.stat().st_size
    stored = store._storage.document(store_module.TABLE, saved.id)
    assert stored is not None
    with pytest.raises(TypeError):
        stored.update({"headline": "sneaky"})
    with pytest.raises(TypeError):
        stored["headline"] = "sneaky"
    assert store.get(saved.id).headline == saved.headline and db_path.stat().st_size == size


def test_lone_surrogates_from_a_bad_paste_do_not_break_saving(db_path: Path) -> None:
    with StoryStore(db_path) as store:
        saved = store.save(story("broken \ud800 paste \ud83d\ude00", body="ok"), user="u")
    assert saved.headline == "broken \ufffd paste 😀"
    with StoryStore(db_path) as store:
        assert store.get(saved.id).headline == "broken \ufffd paste 😀"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(headline="\n", body="", tags=[])  # found by hypothesis: the expectation, not the store, was wrong
@example(headline="", body="", tags=[""])
@example(headline=" ", body="", tags=[])
@example(headline="\t", body="", tags=[])
@given(
    headline=st.text(max_size=80),
    body=st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400),
    tags=st.lists(st.text(max_size=12), max_size=4),
)
def test_any_text_round_trips(tmp_path: Path, headline: str, body: str, tags: list[str]) -> None:
    path = tmp_path / "roundtrip.json"
    path.unlink(missing_ok=True)
    original = Story(headline=headline.replace("\ud800", ""), body=body, tags=tags)
    with StoryStore(path) as store:
        saved = store.save(original, user="u")
    with StoryStore(path) as store:
        loaded = store.get(saved.id)
    # Text comes back exactly; text holding terminal control as `Story.cleaned` makes it (issue 11).  A
    # one-line field holding a line break or tab (found by hypothesis: a headline of "\n") is read back by
    # the store's one-line rule: then what the save returned is what is read (below), nothing more.
    cleaned = original.cleaned()
    if original.has_terminal_control():
        assert (loaded.headline, loaded.body, loaded.tags) == (cleaned.headline, cleaned.body, cleaned.tags)
    elif original.headline.isprintable():
        assert (loaded.headline, loaded.body, loaded.tags) == (original.headline, original.body, original.tags)
    else:
        assert (loaded.body, loaded.tags) == (original.body, original.tags)
    assert not loaded.has_terminal_control()
    assert loaded == saved


def test_the_journal_is_a_plain_tinydb_storage(tmp_path: Path) -> None:
    from tinydb import Query, TinyDB

    from newsroom_tui.storage.store import JournalStorage

    path = tmp_path / "generic.json"
    with TinyDB(str(path), storage=JournalStorage) as db:
        db.insert({"name": "padma", "n": 1})
        db.insert_multiple([{"name": "jamuna", "n": 2}, {"name": "meghna", "n": 3}])
        db.remove(Query().name == "jamuna")
        db.table("other").insert({"x": "বাংলা"})
    with TinyDB(str(path), storage=JournalStorage) as db:
        assert sorted(doc["name"] for doc in db.all()) == ["meghna", "padma"]
        assert db.table("other").all() == [{"x": "বাংলা"}]
        db.drop_tables()
    with TinyDB(str(path), storage=JournalStorage) as db:
        assert db.tables() == set() or all(len(db.table(name)) == 0 for name in db.tables())


def test_threads_may_share_one_store(store: StoryStore) -> None:
    import threading

    def save_some(name: str) -> None:
        for n in range(25):
            store.save(story(f"{name} {n}", slug=f"{name}-{n}"), user=name)
            store.list_stories()

    threads = [threading.Thread(target=save_some, args=(f"t{k}",)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store) == 100 and len({s.slug for s in store.list_stories()}) == 100


def test_atomic_file_writes_leave_the_old_file_when_the_disk_is_full(tmp_path, monkeypatch):
    import errno
    import os as os_module

    from newsroom_tui.storage import atomicfile

    target = tmp_path / "outbox.json"
    target.write_bytes(b"old")

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomicfile, "write_all", full)
    with pytest.raises(OSError) as info:
        atomicfile.write_atomically(target, b"new")
    assert atomicfile.os_reason(info.value) == "the disk is full"
    assert target.read_bytes() == b"old"
    assert sorted(os_module.listdir(tmp_path)) == ["outbox.json"], "no temporary file left behind"
