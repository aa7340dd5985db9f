"""`newsroom list` reads the rows a page at a time and says its lines as they come (Store.read_rows): it read
every whole story first, bodies and all, which on a million stories took minutes and gigabytes before the
first line.  The columns are fitted to the first WIDTH_ROWS rows; both backends print the same lines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.model import Status
from newsroom_tui.storage.backends import open_store
from newsroom_tui.usecases import listing

from .factories import make_story

STORIES = 12


def _settings(location: str) -> Settings:
    settings = Settings(user="desk")
    settings.use_store(location)
    return settings


@pytest.fixture
def listed(store_location: str, monkeypatch: pytest.MonkeyPatch) -> str:
    from newsroom_tui.storage import postgres, store

    base = datetime(2026, 11, 1, 8, tzinfo=UTC)
    with open_store(store_location) as opened:
        for n in range(STORIES):
            story = make_story(
                headline=f"{'A long headline about the Padma ferry fares ' * (n % 3)}Story {n}",
                slug=f"story-{n}-{'x' * (n * 3)}",
                byline="নিজস্ব প্রতিবেদক" if n % 2 else "Staff",
                status=Status.SPIKED if n % 5 == 1 else Status.DRAFT,
            )
            with pytest.MonkeyPatch.context() as patch:
                moment = base + timedelta(minutes=n // 2)  # two stories a minute: the tie keeps the save order
                patch.setattr(postgres, "now", lambda moment=moment: moment)
                patch.setattr(store, "now", lambda moment=moment: moment)
                opened.save(story, user="seed")
    monkeypatch.setattr(postgres, "ROWS_A_PAGE", 5)
    monkeypatch.setattr(store, "ROWS_A_PAGE", 5)
    return store_location


@pytest.mark.parametrize("width_rows", [1000, 4])
def test_the_lines_are_those_of_every_row_at_once(
    listed: str, width_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "WIDTH_ROWS", width_rows)
    settings = _settings(listed)
    with open_store(listed) as store:
        rows = store.story_rows()
        said: list[str] = []
        hidden = listing.write_list(store, settings, None, everything=False, width=100, say=said.append)
    shown = [row for row in rows if row.status is not Status.SPIKED]
    assert hidden == len(rows) - len(shown) == 3
    if width_rows >= STORIES:
        assert said == listing.list_lines(shown, settings, width=100)
    else:  # fitted to the first rows: the same widths as a list of those rows alone
        first = listing.list_lines(shown[:width_rows], settings, width=100)
        assert said[:width_rows] == first
        assert {len(line) for line in said} == {len(first[0])}  # later rows cut to those columns


def test_the_lines_are_said_before_the_last_page_is_read(listed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "WIDTH_ROWS", 4)
    said: list[str] = []
    pages: list[tuple[int, int]] = []  # (rows in the page, lines said before it)
    with open_store(listed) as store:
        read_rows = store.read_rows

        def watched(status: Status | None, take: object) -> int:
            def page(rows: list[object]) -> None:
                pages.append((len(rows), len(said)))
                take(rows)  # type: ignore[operator]

            return read_rows(status, page)

        monkeypatch.setattr(store, "read_rows", watched)
        listing.write_list(store, _settings(listed), Status.DRAFT, everything=False, width=100, say=said.append)
    assert [rows for rows, _ in pages] == [5, 4]  # nine drafts, five a page
    assert pages[1][1] >= 4  # the first page's lines were out before the second was read
    assert len(said) == 9


def test_a_wider_status_further_down_is_never_cut(listed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "WIDTH_ROWS", 2)
    with open_store(listed) as store:
        rows = store.story_rows()
        oldest = store.get(rows[-1].id)
    lines = listing.list_lines([*rows[:2], oldest.copy(status=Status.UNPUBLISHED)], _settings(listed), width=100)
    assert lines[0].startswith("draft  ") and lines[-1].startswith("unpublished  ")


def test_a_database_list_never_reads_whole_stories(listed: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not listed.startswith("postgresql"):
        pytest.skip("a journal holds its rows in memory")
    from newsroom_tui.storage.postgres import PostgresStore

    def whole(*_: object, **__: object) -> list[object]:
        raise AssertionError("read every whole story")

    monkeypatch.setattr(PostgresStore, "list_stories", whole)
    monkeypatch.setattr(PostgresStore, "story_rows", whole)
    said: list[str] = []
    with open_store(listed) as store:
        listing.write_list(store, _settings(listed), None, everything=True, width=100, say=said.append)
    assert len(said) == STORIES
