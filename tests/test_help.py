"""F1 and `?` show the desk's keys for where the editor is; the palette finds every action (issue 13)."""

from __future__ import annotations

import io
from typing import Any

from newsroom_tui.domain.model import Story
from newsroom_tui.tui.screens.help import HelpScreen
from tests.factories import screen_text, until

STORY = Story(headline="Tigers clinch series", slug="tigers-clinch-series", body="Body.")


def help_drawn(app: Any) -> bool:
    return isinstance(app.screen, HelpScreen) and "Escape, F1, q or ? closes" in screen_text(app)


async def test_f1_shows_the_keys_for_where_you_are_and_escape_closes_it(desk_with) -> None:
    """One desk, every area in turn (a desk start per area made this the suite's slowest file)."""
    async with desk_with(STORY, size=(120, 40)) as (app, pilot):
        for keys, here in (
            (["f2"], "In the story list  ← you are here"),
            (["f3"], "In the body  ← you are here"),
            (["f4"], "In the metadata form  ← you are here"),
            (["f3", "ctrl+f"], "In the find bar  ← you are here"),
        ):
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.press("f1")
            await until(pilot, lambda: help_drawn(app), "the help")
            text = screen_text(app)
            assert here in text, keys
            assert "Select line" not in text, "not Textual's TextArea keys"
            await pilot.press("end")  # the workflow, below the keys, by keyboard
            await until(pilot, lambda: "The workflow" in screen_text(app), "End shows the workflow")
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, HelpScreen), "Escape closes it")
        await pilot.press("escape")  # the find bar


async def test_question_mark_in_the_list_opens_help_but_types_in_the_filter(desk_with) -> None:
    async with desk_with(STORY, opened=None) as (app, pilot):
        await pilot.press("f2", "down")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "? opens the help from the list")
        await pilot.press("q")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen), "q closes it")
        await pilot.press("ctrl+l", "question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.screen.query_one("#filter").value == "?"


async def test_help_follows_a_remapped_key(desk_with) -> None:
    async with desk_with(STORY) as (app, pilot):
        app.set_keymap({"publish": "ctrl+k"})
        await pilot.pause()
        await pilot.press("f1")
        await until(
            pilot,
            lambda: isinstance(app.screen, HelpScreen) and "Escape, F1, q or ? closes" in screen_text(app),
            "the help",
        )
        assert "^k" in screen_text(app) and "check, confirm and publish" in screen_text(app)


async def test_help_shows_the_archive_searchs_remapped_keys(desk_with) -> None:
    """Its keys have ids (a `[keys]` table can move them): help reads them, as it reads the desk's."""
    from rich.console import Console

    async with desk_with(STORY) as (app, pilot):
        app.set_keymap({"search-close": "f11", "search-results": "ctrl+j"})
        await pilot.pause()
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen._text())  # the whole help, not only the part on screen
        lines = [line.strip() for line in console.export_text().splitlines()]
        assert any(line.startswith("f11") and "back to the desk" in line for line in lines), lines
        assert any(line.startswith("^j") and "to the results" in line for line in lines), lines


async def test_the_palette_finds_each_desk_action_by_name_or_by_what_it_does(desk_with) -> None:
    from textual.command import Command, CommandInput, CommandList, CommandPalette

    def found() -> list[str]:
        options = app.screen.query_one(CommandList)
        hits = [options.get_option_at_index(i) for i in range(options.option_count)]
        return [str(hit.hit.text) for hit in hits if isinstance(hit, Command)]

    async with desk_with(STORY) as (app, pilot):
        for query, title in (
            ("kill", "Kill story"),
            ("withdraw", "Kill story"),
            ("spike", "Spike story"),
            ("submit", "Submit story"),
            ("schedule", "Schedule story"),
            ("unpublish", "Unpublish story"),
            ("correct", "Correct story"),
            ("undo", "Undo"),
            ("recovery", "Recover kept drafts"),
            ("help", "Help: keys"),
        ):
            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette opens")
            app.screen.query_one(CommandInput).value = query  # as typed, in one search (not one per letter)
            await until(pilot, lambda: title in found(), f"{query!r} finds {title!r}", deadline=10)  # noqa: B023
            await pilot.pause(0.3)  # every provider has answered
            assert found()[0] == title, f"{query!r}: {title!r} comes first, not {found()[:3]}"
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, CommandPalette), "Escape closes the palette")


async def test_a_palette_action_the_story_does_not_allow_says_why(desk_with) -> None:
    async with desk_with(STORY, notifications=True) as (app, pilot):
        app.desk.actions.run("unpublish")
        await pilot.pause()
        assert any("Unpublish is not possible now" in note.message for note in app._notifications)
