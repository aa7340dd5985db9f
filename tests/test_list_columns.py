"""Issue 13: "Who last touched a story is only in the history: add 'last edited by' to the list; show the slug
column at 120×40 (the list pane is 80 wide there), so two stories with one headline can be told apart."  The
list is 78 cells wide at 120×40 and at 80×24 alike, so both show the same columns."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.tui.widgets.story_list import columns_for, fit_slug, short_stamp
from tests.factories import screen_text

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
