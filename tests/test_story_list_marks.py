"""The list's marks (who has a story open, live, live with unsent changes) keep the headline readable."""

from __future__ import annotations

import dataclasses
from zoneinfo import ZoneInfo

import pytest
from textual.app import App, ComposeResult

from newsroom_tui.domain.listing import StoryRow
from newsroom_tui.domain.model import Status, Story
from newsroom_tui.tui.widgets.story_list import StoryList

HEADLINE = "Padma Bridge toll cut for motorcycles and buses from Sunday, ministry says"


class ListOnly(App[None]):
    def compose(self) -> ComposeResult:
        yield StoryList(ZoneInfo("Asia/Dhaka"))


def row(**changes) -> StoryRow:
    story = Story(headline=HEADLINE, slug="padma-bridge-toll", desk="National", body="Tolls fall.")
    return dataclasses.replace(StoryRow.from_story(story), **{"updated_by": "karim", **changes})


async def lines(width: int, rows: list[StoryRow], marks: dict[str, str]) -> list[str]:
    app = ListOnly()
    async with app.run_test(size=(width, 10)) as pilot:
        story_list = app.query_one(StoryList)
        story_list.set_rows(rows)
        story_list.set_lock_marks(marks)
        await pilot.pause()
        return [story_list.render_line(y).text for y in range(len(rows))]


@pytest.mark.parametrize("width", [80, 120])
async def test_the_lock_mark_keeps_the_headline_visible(width):
    """Issue 10, item 4: `draft  ✎root              National …` showed no headline at all."""
    locked = row(id="a")
    [line] = await lines(width, [locked], {"a": "rina"})
    assert "✎rina Padma Bridge toll" in line
    assert "karim" in line, "the columns after the headline still show (who saved it last)"


@pytest.mark.parametrize("width", [80, 120])
async def test_a_long_holder_name_is_cut_and_the_headline_still_shows(width):
    [line] = await lines(width, [row(id="a")], {"a": "Mohammad Abdur Rahman Chowdhury"})
    assert "✎Mohammad…" in line or "✎Mohammad " in line
    assert "Padma Bridge" in line


@pytest.mark.parametrize("width", [80, 120])
async def test_live_stories_and_unsent_changes_are_marked_in_the_headline_column(width):
    rows = [
        row(id="live", status=Status.PUBLISHED, version=3, sent_version=3),
        row(id="unsent", status=Status.CORRECTED, version=4, sent_version=3),
        row(id="draft"),
        row(id="both", status=Status.PUBLISHED, version=4, sent_version=3),
    ]
    live, unsent, draft, both = await lines(width, rows, {"both": "rina"})
    assert "● Padma Bridge toll" in live and "●+" not in live
    assert "●+ Padma Bridge toll" in unsent
    assert "●" not in draft and " Padma Bridge toll" in draft
    assert "●+ ✎rina Padma Bridge toll" in both
    # the columns after the headline stay where they were
    assert {line.index("karim") for line in (live, unsent, draft, both)} == {draft.index("karim")}
