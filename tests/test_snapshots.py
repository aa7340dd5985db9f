"""How the key screens look, at 80×24 and 120×40 (SVGs under tests/__snapshots__/; open them to review).

The store is seeded from the packaged sample stories with a fixed clock, and HOME points at the
temporary folder, so every run draws the same screen.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import newsroom_tui.storage.store as store_module
from newsroom_tui.domain.config import Settings
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.tui.app import NewsroomApp
from newsroom_tui.usecases.newsroom import Newsroom

FIXED_NOW = datetime(2026, 11, 27, 9, 30, tzinfo=ZoneInfo("Asia/Dhaka"))


@pytest.fixture
def desk_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(store_module, "now", lambda: FIXED_NOW)
    db_path = tmp_path / "newsroom.json"
    # Spelling off: its dictionaries load in a worker, and a snapshot taken before or after that would differ.
    settings = Settings(db_path=db_path, user="desk", sections={"copydesk": {"spelling": False}})
    store = StoryStore(db_path)
    Newsroom(settings, store).seed_samples_if_empty()
    apps: list[NewsroomApp] = []

    def make(**kwargs) -> NewsroomApp:
        app = NewsroomApp(store=store, settings=settings, clock=lambda: FIXED_NOW, **kwargs)
        apps.append(app)
        return app

    yield make
    store.close()


def story_id(app: NewsroomApp, slug_start: str) -> str:
    return next(s.id for s in app.store.list_stories() if s.slug.startswith(slug_start))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_desk_with_the_story_list(snap_compare, desk_app, size):
    assert snap_compare(desk_app(), terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_desk_editing_a_story(snap_compare, desk_app, size):
    app = desk_app()
    app.open_story_id = story_id(app, "padma")
    assert snap_compare(app, terminal_size=size)


def test_desk_metadata_at_80_columns(snap_compare, desk_app):
    app = desk_app()
    app.open_story_id = story_id(app, "padma")
    assert snap_compare(app, press=["f4"], terminal_size=(80, 24))


def test_desk_metadata_at_120_columns_takes_the_lists_room(snap_compare, desk_app):
    app = desk_app()
    app.open_story_id = story_id(app, "padma")
    assert snap_compare(app, press=["f4"], terminal_size=(120, 40))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_preview_english(snap_compare, desk_app, size):
    app = desk_app()
    app.open_story_id = story_id(app, "padma")
    assert snap_compare(app, press=["f5"], terminal_size=size)


def test_preview_bangla(snap_compare, desk_app):
    app = desk_app()
    app.open_story_id = story_id(app, "chandpure")
    assert snap_compare(app, press=["f5"], terminal_size=(120, 40))


def story_opened(story: str):  # type: ignore[no-untyped-def]
    """A `run_before` that waits until the story is open in the editor: keys pressed sooner (a loaded
    machine opens it later) went to the story list, and the snapshot showed another screen."""
    from tests.conftest import _story_is_open
    from tests.factories import until

    async def wait(pilot) -> None:  # type: ignore[no-untyped-def]
        await until(pilot, lambda: _story_is_open(pilot.app, story), "the story is open")

    return wait


def test_unsaved_changes_question(snap_compare, desk_app):
    app = desk_app()
    app.open_story_id = story_id(app, "padma")
    run_before = story_opened(app.open_story_id)
    assert snap_compare(app, press=["x", "ctrl+q"], terminal_size=(80, 24), run_before=run_before)


def test_publish_confirmation(snap_compare, desk_app):
    app = desk_app()
    app.open_story_id = story_id(app, "padma")
    assert snap_compare(app, press=["f9"], terminal_size=(80, 24), run_before=story_opened(app.open_story_id))


def test_history_view(snap_compare, desk_app):
    app = desk_app()
    story = next(s for s in app.store.list_stories() if s.slug.startswith("padma"))
    app.store.save(
        story.copy(body=story.body.replace("about 20 percent", "a fifth"), summary="Cheaper crossings."), user="rina"
    )
    app.open_story_id = story.id
    assert snap_compare(app, press=["f12"], terminal_size=(120, 40))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_help_in_the_body(snap_compare, desk_app, size):
    """F1 from the body: the body's keys first, marked; issue 13."""
    app = desk_app()
    assert snap_compare(app, press=["enter", "f3", "f1"], terminal_size=size)


def test_desk_in_the_newsroom_light_theme(snap_compare, desk_app):
    """One of the desk's own themes (`theme = "newsroom-light"`), editing a story at 80×24; issue 13."""
    app = desk_app()
    app.theme = "newsroom-light"
    app.open_story_id = story_id(app, "padma")
    assert snap_compare(app, terminal_size=(80, 24))


def archive_search_for(query: str):  # type: ignore[no-untyped-def]
    """A `run_before`: F6, the query typed into the box, and the results drawn."""
    from newsroom_tui.tui.screens.archive_search import ArchiveSearchScreen
    from tests.factories import until

    async def search(pilot) -> None:  # type: ignore[no-untyped-def]
        app = pilot.app
        await until(pilot, lambda: app.store_loaded, "the store is read")
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, ArchiveSearchScreen), "archive search")
        app.screen.query_box.value = query
        await until(pilot, lambda: app.screen.shown_for == query, "the results")
        await pilot.pause()

    return search


def saved_minutes_apart(app: NewsroomApp, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample stories saved a minute apart: seeded at one fixed time, the hits' order was the ids' (random)."""
    from datetime import timedelta

    stories = app.store.list_stories()
    for minutes, story in enumerate(stories):
        monkeypatch.setattr(store_module, "now", lambda minutes=minutes: FIXED_NOW - timedelta(minutes=minutes))
        app.store.save(story, user="rina")
    monkeypatch.setattr(store_module, "now", lambda: FIXED_NOW)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_archive_search_results(snap_compare, desk_app, monkeypatch, size):
    app = desk_app()
    saved_minutes_apart(app, monkeypatch)
    assert snap_compare(app, terminal_size=size, run_before=archive_search_for("dhaka"))


def test_archive_search_in_bangla(snap_compare, desk_app, monkeypatch):
    app = desk_app()
    saved_minutes_apart(app, monkeypatch)
    assert snap_compare(app, terminal_size=(120, 40), run_before=archive_search_for("ঢাকা"))


def test_archive_search_with_no_match(snap_compare, desk_app):
    assert snap_compare(desk_app(), terminal_size=(80, 24), run_before=archive_search_for("cricket world cup"))
