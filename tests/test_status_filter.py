"""Issue 13: "The status filter steps through 10 statuses with F8; a choice list is faster."  F8 opens a short
list of the statuses with their counts: arrows and Enter, or the first letter; Escape leaves it as it was."""

from __future__ import annotations

from newsroom_tui.domain.model import Status
from newsroom_tui.tui.screens.status_filter import StatusFilterScreen
from tests.factories import make_story, screen_text, until


def _stories():  # type: ignore[no-untyped-def]
    return [
        make_story(headline="A draft", slug="a-draft"),
        make_story(headline="Another draft", slug="another-draft"),
        make_story(headline="Submitted copy", slug="submitted-copy", status=Status.SUBMITTED),
        make_story(headline="Spiked copy", slug="spiked-copy", status=Status.SPIKED),
        make_story(headline="Scheduled copy", slug="scheduled-copy", status=Status.SCHEDULED),
    ]


def _slugs(app) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(row.slug for row in app.screen_stack[0].list_pane.story_list.rows)


async def test_f8_lists_the_statuses_with_counts_and_fits_80x24(desk_with):
    async with desk_with(*_stories(), opened=None, size=(80, 24)) as (app, pilot):
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, StatusFilterScreen), "F8 opens the list")
        await pilot.pause()
        text = screen_text(app)
        for line in ("all", "draft", "submitted", "spiked", "killed", "unpublished"):
            assert line in text, line
        assert "but spiked, killed" in text
        lines = text.splitlines()
        assert len(lines) == 24
        assert any("draft" in line and " 2" in line for line in lines), "counts beside the statuses"
        assert any("Esc: unchanged" in line for line in lines), "its last line is on screen"
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, StatusFilterScreen), "Escape closes it")
        assert app.screen.list_pane.status_filter is None and len(_slugs(app)) == 4


async def test_a_first_letter_picks_and_a_shared_one_moves_to_the_next(desk_with):
    async with desk_with(*_stories(), opened=None) as (app, pilot):
        await pilot.press("f8", "d")
        await until(pilot, lambda: _slugs(app) == ["a-draft", "another-draft"], "d picks draft at once")
        assert "draft" in str(app.screen.query_one("#status-filter").render())
        # s: submitted, scheduled, spiked — each press moves on; Enter picks.
        await pilot.press("f8", "s", "s", "s", "enter")
        await until(pilot, lambda: _slugs(app) == ["spiked-copy"], "the third s is spiked")
        await pilot.press("f8", "up", "up", "enter")  # from spiked: killed, unpublished
        await until(pilot, lambda: app.screen.list_pane.status_filter is Status.UNPUBLISHED, "arrows and Enter")
        await pilot.press("f8", "a")
        await until(pilot, lambda: len(_slugs(app)) == 4, "a is all: the spiked one hidden again")
        assert app.screen.list_pane.status_filter is None
