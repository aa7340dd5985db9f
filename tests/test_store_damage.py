"""Hand-edited and damaged store files: one sentence naming the file and line, never a traceback.

Wrong types (`"body": 5`), a story that is a list, a missing id and JSON nested 200,000 deep, in the journal,
the revisions file, the locks file, the row cache and the pending deliveries; and text from the store cleaned
of terminal control however it got there.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.delivery import PendingDeliveries, PendingFileError
from newsroom_tui.domain.model import Story
from newsroom_tui.storage.locks import LockBook
from newsroom_tui.storage.rowcache import cache_path, read_rows, write_rows
from newsroom_tui.storage.store import StoreCorruptError, StoryStore
from newsroom_tui.text.safety import has_terminal_control

from .factories import make_story, run_newsroom, store_with

DEEP = "[" * 200_000


def rewrite_story(db_path: Path, change: Any) -> bytes:
    """Hand-edit the journal's last commit: `change(doc)` edits the story document (or returns a new value)."""
    lines = db_path.read_bytes().split(b"\n")
    entry = json.loads(lines[-2])
    (story_id, doc), *_ = entry["tx"]["stories"].items()
    changed = change(doc)
    entry["tx"]["stories"][story_id] = doc if changed is None else changed
    lines[-2] = json.dumps(entry, ensure_ascii=False).encode()
    db_path.write_bytes(b"\n".join(lines))
    return db_path.read_bytes()


def one_sentence(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    assert stderr.count("\n") == 1, stderr
    return stderr


HAND_EDITS: list[tuple[str, Any, str]] = [
    ("body is a number", lambda doc: doc.update(body=5), "its body is a number, not text"),
    ("headline is a number", lambda doc: doc.update(headline=7), "its headline is a number, not text"),
    ("tags are text", lambda doc: doc.update(tags="a, b"), "its tags are not a list of words"),
    ("version is text", lambda doc: doc.update(version="3"), "its version is text, not a whole number"),
    ("urgency is NaN", lambda doc: doc.update(urgency=float("nan")), "its urgency is a number, not a whole number"),
    ("status is unknown", lambda doc: doc.update(status="half-done"), "its status is “half-done”, not a status"),
    ("a date that is not one", lambda doc: doc.update(updated_at="yesterday"), "its updated_at is not a date"),
    ("history holds a list", lambda doc: doc.update(history=[[1]]), "its history event 1 is not an event"),
    ("no id", lambda doc: doc.pop("id") and None, "it has no id"),
    ("the body nested deep", lambda doc: doc.update(body=json.loads("[" * 500 + "]" * 500)), "its body is a list"),
]


@pytest.mark.parametrize(("name", "change", "reason"), HAND_EDITS, ids=[edit[0] for edit in HAND_EDITS])
def test_a_wrong_type_in_the_journal_is_one_sentence_with_the_file_and_line(
    db_path: Path, name: str, change: Any, reason: str
) -> None:
    store_with(db_path, make_story(headline="First", slug="first"))
    store_with(db_path, make_story(headline="Second", slug="second"))
    damaged = rewrite_story(db_path, change)
    with StoryStore(db_path) as store, pytest.raises(StoreCorruptError) as raised:
        store.list_stories()
    assert f"at line 3 of {db_path}" in str(raised.value) and reason in str(raised.value)
    rows_refused = False
    with StoryStore(db_path) as store:
        try:  # the list's rows read fewer fields (not urgency, not history): damaged or not, no other error
            store.story_rows()
        except StoreCorruptError as error:
            assert str(error) == str(raised.value)
            rows_refused = True
    # `newsroom list` reads rows, as the desk's list does: the damage is its sentence where a row holds it, and
    # any command that reads the whole story says it (the desk too, opening it).
    listed = run_newsroom("list", "--db", str(db_path))
    if rows_refused:
        assert listed.returncode == 1
        assert f"at line 3 of {db_path}" in one_sentence(listed.stderr) and reason in listed.stderr
    else:
        assert listed.returncode == 0 and "Traceback" not in listed.stderr
    result = run_newsroom("export", "second", "--db", str(db_path))  # the story damaged: the last one saved
    assert result.returncode == 1
    assert f"at line 3 of {db_path}" in one_sentence(result.stderr) and reason in result.stderr
    assert db_path.read_bytes() == damaged


@pytest.mark.parametrize(
    "line",
    [
        '{"tx": {"stories": {"s1": [1, 2, 3]}}}',  # a story that is a list
        '{"tx": {"stories": {"s1": "a story"}}}',
        '{"tx": [1]}',
        DEEP,
        '{"tx": {"stories": {"s1": ' + DEEP,
        '{"tx": ' + "[" * 5000 + "]" * 5000 + "}",
    ],
    ids=["list", "text", "tx list", "deep", "deep inside", "deep but closed"],
)
def test_a_line_that_is_not_a_commit_is_refused_naming_the_line(db_path: Path, line: str) -> None:
    store_with(db_path, make_story(headline="First"))
    damaged = db_path.read_bytes() + line.encode() + b"\n"
    db_path.write_bytes(damaged)
    with pytest.raises(StoreCorruptError, match=r"damaged at line 3 \("):
        StoryStore(db_path)
    result = run_newsroom("list", "--db", str(db_path))
    assert result.returncode == 1 and "damaged at line 3" in one_sentence(result.stderr)
    assert db_path.read_bytes() == damaged


def test_the_desk_ends_with_the_same_sentence(db_path: Path) -> None:
    """The desk reports a hand-edited story as it reports any damage: exit 1, the sentence, no traceback."""
    store_with(db_path, make_story(headline="First"))
    rewrite_story(db_path, lambda doc: doc.update(body=5))
    result = run_newsroom("--db", str(db_path), env=None)
    assert result.returncode == 1
    assert f"at line 2 of {db_path}" in one_sentence(result.stderr)


async def test_the_desk_ends_with_the_sentence_when_its_list_finds_the_damage(db_path: Path) -> None:
    """The store opens (documents are read lazily); the list's rows are where the hand edit shows."""
    from .factories import make_app

    store_with(db_path, make_story(headline="First"), make_story(headline="Second"))
    with StoryStore(db_path) as store:
        write_rows(db_path, *store.rows_and_position())
    damaged = rewrite_story(db_path, lambda doc: doc.update(headline=7))
    assert read_rows(db_path) is None  # the cache no longer matches the journal: the store is read first
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    app.close_store()
    assert app.return_code == 1
    assert app.store_problem is not None and f"at line 2 of {db_path}" in app.store_problem
    assert db_path.read_bytes() == damaged


def test_a_damaged_revision_names_the_revisions_file_and_line(db_path: Path) -> None:
    (saved,) = store_with(db_path, make_story(headline="First", slug="first"))
    with StoryStore(db_path) as store:
        store.save(store.get(saved.id).copy(headline="Second"), user="u")
        revisions = store.revisions_path
    lines = revisions.read_bytes().split(b"\n")
    first = json.loads(lines[0])
    first["doc"]["body"] = 5
    lines[0] = json.dumps(first, ensure_ascii=False).encode()
    revisions.write_bytes(b"\n".join(lines))
    with StoryStore(db_path) as store, pytest.raises(StoreCorruptError) as raised:
        store.revisions(saved.id)
    assert f"at line 1 of {revisions}" in str(raised.value) and "its body is a number" in str(raised.value)
    for bad in ('{"key": ["stories", "%s"], "doc": [1, 2]}', '{"key": ["stories", "%s"], "doc": ' + DEEP):
        lines[0] = (bad % saved.id).encode()
        revisions.write_bytes(b"\n".join(lines))
        with StoryStore(db_path) as store, pytest.raises(StoreCorruptError, match=f"{revisions} is damaged at line 1"):
            store.revisions(saved.id)
    result = run_newsroom("history", saved.slug, "--db", str(db_path))
    assert result.returncode == 1 and str(revisions) in one_sentence(result.stderr)


def test_a_damaged_delivery_log_is_refused_not_replaced(db_path: Path) -> None:
    (saved,) = store_with(db_path, make_story(headline="First"))
    with StoryStore(db_path) as store:
        store.log_deliveries(saved.id, [{"target": "outbox", "ok": True}])
    lines = db_path.read_bytes().split(b"\n")
    entry = json.loads(lines[-2])
    entry["tx"]["deliveries"][saved.id]["entries"] = 5
    lines[-2] = json.dumps(entry).encode()
    damaged = b"\n".join(lines)
    db_path.write_bytes(damaged)
    with StoryStore(db_path) as store:
        assert store.delivery_log(saved.id) == []
        with pytest.raises(StoreCorruptError, match=f"at line 3 of {db_path}"):
            store.log_deliveries(saved.id, [{"target": "outbox", "ok": True}])
    assert db_path.read_bytes() == damaged


# -- text from the store is cleaned ------------------------------------------------------------------------------
def test_terminal_control_in_a_hand_edited_store_never_comes_out(db_path: Path) -> None:
    store_with(db_path, make_story(headline="First", slug="first"))
    evil = "\x1b]52;c;aGk=\x07\x1b]0;PWNED\x07\u202e\x9b31m"
    rewrite_story(
        db_path,
        lambda doc: doc.update(
            headline=f"Head{evil}line", body=f"Body{evil}\n\nmore", byline=evil, tags=[f"t{evil}"],
            updated_by=evil, history=[{"action": "publish", "by": evil, "note": evil}], ednote=evil,
        ),
    )  # fmt: skip
    with StoryStore(db_path) as store:
        (story,) = store.list_stories()
        (row,) = store.story_rows()
        (revision,) = store.revisions(story.id)
    assert story.headline == "Headline" and story.body == "Body\n\nmore" and story.tags == ["t"]
    assert not story.has_terminal_control() and not has_terminal_control(json.dumps(story.to_dict()))
    # (a row's body is only counted, never shown: it is cleaned when the story is opened)
    assert not any(has_terminal_control(value) for value in (row.headline, row.byline, row.updated_by, row.haystack))
    assert not has_terminal_control(str(story.history)) and not has_terminal_control(str(revision.to_dict()))
    result = run_newsroom("list", "--json", "--db", str(db_path))
    assert result.returncode == 0 and "Headline" in result.stdout and not has_terminal_control(result.stdout)


def test_every_stored_field_has_a_reader() -> None:
    """A field added to Story without a rule in `STORED_FIELDS` would be dropped on every read."""
    from dataclasses import fields

    from newsroom_tui.domain import model

    assert {f.name for f in fields(Story)} == model.STORED_FIELDS
    story = make_story(body="x", tags=["a"], history=[{"action": "publish", "at": "2024-01-01T00:00:00+00:00"}])
    assert Story.from_dict(story.to_dict()) == story


# -- the files beside the store -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "content",
    [
        DEEP,
        '{"format": "newsroom-story-locks", "version": 1, "locks": ' + DEEP,
        '{"format": "newsroom-story-locks", "version": 1, "locks": {"s1": {"user": 7, "host": [], "pid": 1,'
        ' "since": 5, "heartbeat": null, "session": {}}}}',
        '{"format": "newsroom-story-locks", "version": 1, "locks": {"s1": [1, 2]}}',
        '{"format": "newsroom-story-locks", "version": 1, "locks": [1, 2]}',
    ],
    ids=["deep", "deep locks", "wrong types", "a list lock", "locks a list"],
)
def test_a_damaged_locks_file_reads_as_no_locks(db_path: Path, content: str) -> None:
    """Locks are advisory and put back by the next heartbeat: damage reads as "no locks", never a traceback."""
    (saved,) = store_with(db_path, make_story(headline="First"))
    book = LockBook(db_path, user="rina")
    book.path.write_text(content)
    assert book.all_locks() == {}
    result = run_newsroom("list", "--db", str(db_path))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert book.acquire(saved.id).ok


def test_a_lock_holders_name_is_cleaned_when_read(db_path: Path) -> None:
    book = LockBook(db_path, user="\x1b]0;PWNED\x07rina")
    book.acquire("s1")
    (lock,) = LockBook(db_path, user="tom").all_locks().values()
    assert lock.user == "rina"


@pytest.mark.parametrize(
    "content",
    [
        DEEP,
        '{"format": "newsroom-story-rows", "version": 3, "journal": ' + DEEP,
        '{"format": "newsroom-story-rows", "version": 3, "journal": {"device": 1e400, "inode": 1, "offset": 1}}',
        '{"format": "newsroom-story-rows", "version": 3, "journal": [], "rows": {}}',
        "[1, 2, 3]",
        "\x00\xff",
    ],
)
def test_a_damaged_row_cache_is_ignored(db_path: Path, content: str) -> None:
    store_with(db_path, make_story(headline="First"))
    cache_path(db_path).write_text(content, encoding="utf-8", errors="surrogateescape")
    assert read_rows(db_path) is None


def test_wrong_types_in_the_row_cache_mean_read_the_store(db_path: Path) -> None:
    store_with(db_path, make_story(headline="First"))
    with StoryStore(db_path) as store:
        write_rows(db_path, *store.rows_and_position())
    good = json.loads(cache_path(db_path).read_text())
    assert read_rows(db_path) is not None
    for column, value in [(4, 7), (1, "2"), (2, "nope"), (7, 5), (11, -1), (0, None)]:
        data = json.loads(json.dumps(good))
        data["rows"][0][column] = value
        cache_path(db_path).write_text(json.dumps(data))
        assert read_rows(db_path) is None, (column, value)
    data = json.loads(json.dumps(good))
    data["rows"][0][4] = "\x1b]0;PWNED\x07First"
    cache_path(db_path).write_text(json.dumps(data))
    cached = read_rows(db_path)
    assert cached is not None and cached.rows[0].headline == "First"


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (DEEP, "not valid JSON"),
        ('{"format": "newsroom-pending-deliveries", "version": 1,\n "pending": ' + DEEP, "not valid JSON"),
        ('{"format": "newsroom-pending-deliveries",\n "pending": [1, 2}', "not valid JSON at line 2"),
        ('{"format": "newsroom-pending-deliveries", "pending": {"a": 1}}', "its pending list is not a list"),
        ('{"format": "newsroom-pending-deliveries", "pending": [[1]]}', "its entry 1 is not an object"),
        (
            '{"format": "newsroom-pending-deliveries", "pending": [{"story_id": "a", "target": "w", "version": 1e400,'
            ' "since": "x", "attempts": 1, "last_error": "e"}]}',
            "its entry 1 has no number version",
        ),
        (
            '{"format": "newsroom-pending-deliveries", "pending": [{"story_id": 5, "target": "w", "version": 1,'
            ' "since": "x", "attempts": 1, "last_error": "e"}]}',
            "its entry 1 has no text story_id",
        ),
    ],
    ids=["deep", "deep inside", "syntax", "dict", "list entry", "infinite version", "number id"],
)
def test_a_damaged_pending_file_is_one_sentence(db_path: Path, content: str, what: str) -> None:
    store_with(db_path, make_story(headline="First"))
    pending = db_path.with_name("newsroom-deliveries.json")
    pending.write_text(content)
    with pytest.raises(PendingFileError) as raised:
        PendingDeliveries(pending).entries()
    assert str(pending) in str(raised.value) and what in str(raised.value)
    result = run_newsroom("deliver", "--retry", "--db", str(db_path))
    assert result.returncode == 1 and str(pending) in one_sentence(result.stderr)
    assert pending.read_text() == content


def test_a_pending_error_message_is_cleaned_when_read(tmp_path: Path) -> None:
    path = tmp_path / "pending.json"
    entry = {"story_id": "a", "target": "w", "version": 1, "since": "x", "attempts": 1, "last_error": "\x1b]0;X\x07no"}
    path.write_text(json.dumps({"format": "newsroom-pending-deliveries", "version": 1, "pending": [entry]}))
    (read,) = PendingDeliveries(path).entries()
    assert read.last_error == "no"


def test_a_story_built_from_stored_data_checks_as_fast_as_before() -> None:
    """from_dict checks every field; at 10,000 stories it must stay a small part of opening the store."""
    from .factories import cpu_seconds

    docs = [
        Story(headline=f"Padma bridge toll {n}", body="word " * 800, tags=["a", "b"], slug=f"s-{n}").to_dict()
        for n in range(2000)
    ]
    seconds = cpu_seconds(lambda: [Story.from_dict(doc) for doc in docs])
    assert seconds < 0.2, f"{seconds:.3f} s for 2,000 stories"


def test_the_quick_look_for_terminal_control_never_misses_any() -> None:
    """`may_hold_terminal_control` lets the full check be skipped: it must be True wherever there is control."""
    import random

    from newsroom_tui.domain.model import may_hold_terminal_control
    from newsroom_tui.text.safety import _UNSAFE_TABLE

    rng = random.Random(5)
    alphabet = [chr(code) for code in _UNSAFE_TABLE] + [*"ab \n\t—“”\u00a0\u200d\u200cক্ষ😀", "\ud800", "\udfff"]
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))
        assert may_hold_terminal_control(text) or not has_terminal_control(text), repr(text)
    assert not may_hold_terminal_control("Plain English text.\n\nসরকার বলেছে।\tTabbed.")


def test_the_slug_clash_names_a_hand_edited_headline_cleaned(db_path: Path) -> None:
    from newsroom_tui.storage.store import SlugTakenError

    store_with(db_path, make_story(headline="First", slug="first"))
    rewrite_story(db_path, lambda doc: doc.update(headline="\x1b]0;PWNED\x07First"))
    with StoryStore(db_path) as store, pytest.raises(SlugTakenError) as raised:
        store.save(make_story(headline="Another", slug="first"), user="u")
    assert "“First”" in str(raised.value) and not has_terminal_control(str(raised.value))
