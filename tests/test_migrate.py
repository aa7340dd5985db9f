"""`newsroom migrate SOURCE DEST`: TinyDB to PostgreSQL and back, every version, the delivery log and the
pending deliveries; idempotent, resumable, verified; `list --json` and `history` print the same on both."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsroom_tui.delivery import DeliveryResult, PendingDeliveries
from newsroom_tui.domain.config import Settings
from newsroom_tui.storage.backends import open_store

from .factories import make_story, run_newsroom

pytestmark = pytest.mark.slow


def _newsroom(*args: str) -> tuple[int, str, str]:
    result = run_newsroom(*args, env={**os.environ})
    return result.returncode, result.stdout, result.stderr


def _fill(location: str) -> list[str]:
    """Stories with several versions, Bangla, a delivery log, and a failed delivery queued."""
    slugs = []
    with open_store(location) as store:
        for n in range(5):
            story = store.save(make_story(headline=f"পদ্মা সেতু {n}", slug=f"padma-{n}", body="প্রথম।"), user="rina")
            for edit in range(n):
                story = store.save(story.copy(body=story.body + f" সংশোধন {edit}."), user="kamal")
            store.log_deliveries(story.id, [{"action": "deliver", "target": "outbox", "ok": True, "version": n + 1}])
            slugs.append(story.slug)
        settings = Settings(user="desk")
        settings.use_store(location)
        moment = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        PendingDeliveries.of(settings, store).add(
            DeliveryResult("webhook", False, "503", story.id, story.version, attempts=2), now=moment
        )
    return slugs


def test_tinydb_to_postgresql_and_back(pg_url: str, tmp_path: Path) -> None:
    source = str(tmp_path / "desk" / "newsroom.json")
    back = str(tmp_path / "back" / "newsroom.json")
    slugs = _fill(source)

    code, out, err = _newsroom("migrate", source, pg_url)
    assert code == 0, err
    assert "Copied 5 of 5 stories" in out and "1 pending delivery." in out
    assert "Verified: 5 stories, 15 versions, 5 delivery log entries and 1 pending delivery" in out

    # The same list and the same history on both sides.
    assert _newsroom("--db", pg_url, "list", "--json")[1] == _newsroom("--db", source, "list", "--json")[1]
    for slug in slugs:
        assert _newsroom("--db", pg_url, "history", slug)[1] == _newsroom("--db", source, "history", slug)[1]
    assert "padma-4" in _newsroom("--db", pg_url, "search", "সংশোধন")[1]

    # Again: nothing to do, still verified.
    code, out, err = _newsroom("migrate", source, pg_url)
    assert code == 0 and "Copied 0 of 5 stories" in out and "(5 already there)" in out and "Verified" in out, err

    # Resumed after more work at the source: only what is new is copied.
    with open_store(source) as store:
        story = store.find_by_slug("padma-0")
        assert story is not None
        store.save(story.copy(headline="পদ্মা সেতু নতুন"), user="rina")
    code, out, err = _newsroom("migrate", source, pg_url)
    assert code == 0 and "Copied 1 of 5 stories" in out and "16 versions" in out, err

    # And back to a new TinyDB store: the same again.
    code, out, err = _newsroom("migrate", pg_url, back)
    assert code == 0 and "Verified: 5 stories, 16 versions" in out, err
    assert _newsroom("--db", back, "list", "--json")[1] == _newsroom("--db", source, "list", "--json")[1]
    assert _newsroom("--db", back, "history", "padma-0")[1] == _newsroom("--db", source, "history", "padma-0")[1]


def test_a_story_purged_at_the_destination_is_not_brought_back(pg_url: str, tmp_path: Path) -> None:
    source = str(tmp_path / "desk" / "newsroom.json")
    _fill(source)
    assert _newsroom("migrate", source, pg_url)[0] == 0
    with open_store(pg_url) as store:
        gone = store.find_by_slug("padma-2")
        assert gone is not None
        store.delete([gone], user="desk", note="spiked long ago")
    code, out, err = _newsroom("migrate", source, pg_url)
    assert code == 1 and "(4 already there)" in out
    assert "Not brought back, because" in err and "purged them: padma-2." in err
    assert "Verified" not in out and "does not match" in err
    with open_store(pg_url) as store:
        assert store.find_by_slug("padma-2") is None


def test_a_story_changed_at_the_destination_is_left_alone(pg_url: str, tmp_path: Path) -> None:
    source = str(tmp_path / "newsroom.json")
    _fill(source)
    assert _newsroom("migrate", source, pg_url)[0] == 0
    with open_store(pg_url) as store:
        story = store.find_by_slug("padma-1")
        assert story is not None
        store.save(story.copy(headline="Edited on the database"), user="kamal")
    with open_store(source) as store:
        story = store.find_by_slug("padma-1")
        assert story is not None
        store.save(story.copy(headline="Edited in the file"), user="rina")
    code, _, err = _newsroom("migrate", source, pg_url)
    assert code == 1 and "Left alone" in err and "padma-1" in err and "does not match" in err
    with open_store(pg_url) as store:
        kept = store.find_by_slug("padma-1")
        assert kept is not None and kept.headline == "Edited on the database"  # never overwritten


def test_the_same_store_twice_is_refused(tmp_path: Path) -> None:
    code, _, err = _newsroom("migrate", str(tmp_path / "a.json"), str(tmp_path / "a.json"))
    assert code == 1 and "the same store" in err


def test_a_slug_another_story_holds_at_the_destination_is_one_sentence(pg_url: str, tmp_path: Path) -> None:
    """A different story with one of the slugs already in the database: the unique index refused the copy,
    and its error escaped as a psycopg traceback."""
    source = str(tmp_path / "newsroom.json")
    _fill(source)
    with open_store(pg_url) as store:
        store.save(make_story(headline="Someone else's", slug="padma-2", body="Other."), user="kamal")
    code, _out, err = _newsroom("migrate", source, pg_url)
    assert code == 1 and "Traceback" not in err, err
    assert "already has a different story with one of the slugs" in err and "padma-2" in err
    with open_store(pg_url) as store:
        held = store.find_by_slug("padma-2")
        assert held is not None and held.headline == "Someone else's"
