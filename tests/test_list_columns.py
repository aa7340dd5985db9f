"""Issue 13: "Who last touched a story is only in the history: add 'last edited by' to the list; show the slug
column at 120×40 (the list pane is 80 wide there), so two stories with one headline can be told apart."  The
list is 78 cells wide at 120×40 and at 80×24 alike, so both show the same columns."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.tui.widgets.story_list import columns_for, fit_slug, short_stamp
from tests.factories import screen_text, until

HEADLINE = "Padma bridge toll rises again this week"


def test_a_slug_is_cut_in_the_middle_so_its_end_shows():
    assert fit_slug("padma-bridge-toll-rises-again-2", 16) == "padma-br…again-2"
    assert fit_slug("padma-bridge-toll-rises-again", 16) == "padma-br…s-again"
    assert fit_slug("short", 16) == "short" + " " * 11
    assert len(fit_slug("padma-bridge-toll-rises-again", 9)) == 9


def test_the_short_stamp_is_the_time_today_and_the_day_before():
    zone = ZoneInfo("Asia/Dhaka")
    moment = datetime(2026, 12, 1, 8, 30, tzinfo=UTC)  # 14:30 in Dhaka
    assert short_stamp(moment, zone, date(2026, 12, 1)) == "14:30"
    assert short_stamp(moment, zone, date(2026, 12, 2)) == "01 Dec"


def test_which_columns_fit():
    titles = {width: [col.title for col in columns_for(width)] for width in (40, 60, 78, 104, 140)}
    assert titles[78] == ["Status", "Slug", "Headline", "Edited by", "Saved"]
    assert titles[104] == ["Status", "Slug", "Headline", "Desk", "Edited by", "Updated"]
    assert "Words" in titles[140] and "Desk" in titles[140]
    assert titles[60] == ["Status", "Headline", "Saved"] and titles[40] == ["Status", "Headline"]
    for width, columns in ((78, columns_for(78)), (104, columns_for(104))):
        fixed = sum(col.width for col in columns) + len(columns) - 1
        assert width - fixed >= 25, f"the headline keeps at least 25 cells at {width}"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_list_tells_two_stories_with_one_headline_apart_and_says_who_saved_last(desk_with, size):
    async with desk_with(
        Story(headline=HEADLINE, slug="padma-bridge-toll-rises-again", desk="National"),
        Story(headline=HEADLINE, slug="padma-bridge-toll-rises-again-2", desk="National"),
        opened=None,
        size=size,
    ) as (app, pilot):
        await pilot.pause()
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Status" in line and "Headline" in line)
        assert "Slug" in header and "Edited by" in header
        rows = [line for line in lines if "Padma bridge" in line]
        assert len(rows) == 2
        assert any("again-2" in row for row in rows) and any("s-again " in row for row in rows)
        assert all(" seed " in row for row in rows), "who saved it last (the stories were saved by 'seed')"


# -- issue 13: "the due time appears nowhere in the desk … Show it in the list … flag overdue stories"
def _scheduled(headline: str, slug: str, at: datetime) -> Story:
    return Story(headline=headline, slug=slug, desk="National", status=Status.SCHEDULED, scheduled_at=at)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_list_shows_when_a_scheduled_story_goes_out_and_flags_an_overdue_one(desk_with, size):
    zone = ZoneInfo("Asia/Dhaka")
    later = datetime.now(UTC) + timedelta(hours=2)
    async with desk_with(
        _scheduled("Budget speech at six", "budget-speech", later),
        _scheduled("Hilsa ban lifted", "hilsa-ban", datetime.now(UTC) - timedelta(minutes=5)),
        Story(headline="Tigers win in Sylhet", slug="tigers-win", desk="Sports"),
        opened=None,
        size=size,
    ) as (app, pilot):
        await pilot.pause()
        lines = screen_text(app).splitlines()
        budget = next(line for line in lines if "Budget speech" in line)
        hilsa = next(line for line in lines if "Hilsa ban" in line)
        local = later.astimezone(zone)
        due = local.strftime("%H:%M") if local.date() == datetime.now(zone).date() else local.strftime("%d %b")
        assert f"due {due}" in budget and "scheduled" not in budget
        assert "! overdue" in hilsa, "the '!' marks it without colour (16 colours, NO_COLOR)"
        assert "draft" in next(line for line in lines if "Tigers win" in line)


async def test_a_scheduled_story_turns_overdue_in_the_list_when_its_time_passes(desk_with):
    soon = datetime.now(UTC) + timedelta(seconds=2)
    async with desk_with(_scheduled("Budget speech at six", "budget-speech", soon), opened=None) as (app, pilot):
        await pilot.pause()
        row = next(line for line in screen_text(app).splitlines() if "Budget speech" in line)
        assert "due " in row
        await until(
            pilot,
            lambda: "! overdue" in next(line for line in screen_text(app).splitlines() if "Budget speech" in line),
            "the row turns overdue at the desk's next look at the store",
            deadline=10,
        )


def test_the_row_cache_keeps_a_scheduled_storys_due_time(tmp_path):
    from newsroom_tui.storage.rowcache import read_rows, write_rows
    from newsroom_tui.storage.store import StoryStore

    at = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    path = tmp_path / "newsroom.json"
    with StoryStore(path) as store:
        store.save_many([_scheduled("Budget", "budget", at), Story(headline="Other", slug="other")], user="seed")
        write_rows(path, *store.rows_and_position())
    cached = read_rows(path)
    assert cached is not None
    by_slug = {row.slug: row for row in cached.rows}
    assert by_slug["budget"].scheduled_at == at and by_slug["other"].scheduled_at is None
    assert by_slug["budget"].overdue(at) and not by_slug["budget"].overdue(at - timedelta(seconds=1))


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_row_is_as_wide_as_the_list_shows_so_its_last_column_is_whole(db_path, monkeypatch, size):
    """The rows were drawn as wide as the list, scrollbar gutter included, so their last cell was hidden
    under it: an older story's `Saved` showed `02 Ap` for `02 Apr`."""
    from newsroom_tui.storage import store as store_module
    from newsroom_tui.storage.backends import open_store
    from newsroom_tui.tui.app import NewsroomApp

    from .factories import settings_for, store_with

    monkeypatch.setattr(store_module, "now", lambda: datetime(2026, 4, 2, 6, tzinfo=UTC))
    store_with(db_path, Story(headline=HEADLINE, slug="padma-toll"))
    monkeypatch.undo()
    app = NewsroomApp(store=open_store(db_path), settings=settings_for(db_path))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        story_list = app.screen.list_pane.story_list
        row = next(line for line in screen_text(app).splitlines() if HEADLINE[:20] in line)
        assert "02 Apr" in row
        assert story_list.render_line(0).cell_length == story_list.scrollable_content_region.width
    app.close_store()
