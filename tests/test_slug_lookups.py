"""A start of a slug, or a mistyped one, is looked up by the store (schema 8 on PostgreSQL), not by reading
every slug in the archive: at a million stories that read took minutes.  The sentences are the same on both
backends, and the shell's TAB completion asks the database for the start typed, newest first."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom_tui.domain.config import Settings
from newsroom_tui.storage.backends import open_store
from newsroom_tui.usecases.errors import NotFound
from newsroom_tui.usecases.newsroom import MOST_SLUGS_NAMED, Newsroom

from .factories import make_story

SLUGS = [
    "padma-ferry-fares-cut",
    "padma-bridge-toll",
    "chattogram-port",
    "ঢাকা-বন্যা",
    "100%-turnout",
    "under_score",
    "Zeta",
]


def _newsroom(location: str, store: object) -> Newsroom:
    settings = Settings(user="desk")
    settings.use_store(location)
    return Newsroom(settings, store)  # type: ignore[arg-type]


@pytest.fixture
def slugged(store_location: str) -> str:
    with open_store(store_location) as store:
        store.save_many([make_story(headline=slug, slug=slug) for slug in SLUGS], user="seed")
    return store_location


def test_the_starts_of_slugs_in_code_point_order(slugged: str) -> None:
    with open_store(slugged) as store:
        assert store.slugs_starting("padma", most=10) == ["padma-bridge-toll", "padma-ferry-fares-cut"]
        assert store.slugs_starting("padma", most=1) == ["padma-bridge-toll", "padma-ferry-fares-cut"]  # most + 1
        assert store.slugs_starting("ঢাকা", most=10) == ["ঢাকা-বন্যা"]
        assert store.slugs_starting("100%", most=10) == ["100%-turnout"]  # LIKE's wildcards are letters here
        assert store.slugs_starting("100_", most=10) == []
        assert store.slugs_starting("under_", most=10) == ["under_score"]
        assert store.slugs_starting("z", most=10) == []  # no case folding: a slug is what it is
        assert store.slugs_starting("", most=10) == []


def test_a_mistyped_slug_gets_the_same_suggestion_on_both_backends(slugged: str) -> None:
    with open_store(slugged) as store:
        newsroom = _newsroom(slugged, store)
        for typed, meant in (
            ("padma-fery-fares-cut", "padma-ferry-fares-cut"),  # a letter left out
            ("pdma-ferry-fares-cut", "padma-ferry-fares-cut"),  # at the start, where no start would find it
            ("chatogram-port", "chattogram-port"),
            ("ঢাকা-বনযা", "ঢাকা-বন্যা"),
        ):
            with pytest.raises(NotFound) as refused:
                newsroom.look_up(typed)
            assert f"did you mean {meant}?" in str(refused.value)
        with pytest.raises(NotFound) as refused:
            newsroom.look_up("budget")
        assert str(refused.value).endswith(".") and "did you mean" not in str(refused.value)


def test_a_start_many_slugs_share_is_counted_no_further_than_it_is_worth(store_location: str) -> None:
    with open_store(store_location) as store:
        store.save_many(
            [make_story(headline=f"Flood {n}", slug=f"flood-{n:04d}") for n in range(MOST_SLUGS_NAMED + 5)],
            user="seed",
        )
        newsroom = _newsroom(store_location, store)
        with pytest.raises(NotFound) as refused:
            newsroom.look_up("flood")
        assert f"'flood' is the start of over {MOST_SLUGS_NAMED:,} slugs" in str(refused.value)
        assert "did you mean flood-0000, flood-0001, flood-0002 or another? Type more of it." in str(refused.value)
        with pytest.raises(NotFound) as refused:
            newsroom.look_up("flood-000")
        assert "'flood-000' is the start of 10 slugs" in str(refused.value)


def test_a_database_never_reads_every_story_to_say_did_you_mean(slugged: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not slugged.startswith("postgresql"):
        pytest.skip("a journal's rows are in memory: reading them is what it does")
    from newsroom_tui.storage.postgres import PostgresStore

    def every_row(*_: object, **__: object) -> list[object]:
        raise AssertionError("read every story's row")

    monkeypatch.setattr(PostgresStore, "story_rows", every_row)
    monkeypatch.setattr(PostgresStore, "list_stories", every_row)
    with open_store(slugged) as store:
        newsroom = _newsroom(slugged, store)
        with pytest.raises(NotFound, match="did you mean padma-ferry-fares-cut"):
            newsroom.find("padma-fery-fares-cut")
        with pytest.raises(NotFound, match="Give the whole slug"):
            newsroom.find("padma-f")
        assert newsroom.look_up("chatt").story.slug == "chattogram-port"


def test_tab_completion_asks_the_database_for_the_start_typed(slugged: str, tmp_path: Path) -> None:
    from newsroom_tui.storage.slugs import story_slugs

    if not slugged.startswith("postgresql"):
        assert story_slugs(Path(slugged), None, prefix="padma") == ["padma-bridge-toll", "padma-ferry-fares-cut"]
        return
    with open_store(slugged) as store:  # saved again: the newest
        store.save(store.find_by_slug("padma-ferry-fares-cut").copy(headline="Fares cut"), user="desk")  # type: ignore[union-attr]
    assert story_slugs(tmp_path / "unused.json", slugged, prefix="padma") == [
        "padma-ferry-fares-cut",
        "padma-bridge-toll",
    ]
    assert story_slugs(tmp_path / "unused.json", slugged, prefix="100%") == ["100%-turnout"]
    assert len(story_slugs(tmp_path / "unused.json", slugged)) == len(SLUGS)
