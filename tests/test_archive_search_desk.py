"""The desk's archive search (F6, or "Search the archive" in the palette), driven as an editor would."""

from __future__ import annotations

from typing import Any

from newsroom_tui.domain.model import Story
from newsroom_tui.tui.screens.archive_search import ArchiveSearchScreen
from newsroom_tui.tui.screens.help import HelpScreen
from tests.conftest import _story_is_open
from tests.factories import screen_text, type_text, until

TOLL = Story(
    headline="Padma bridge toll rises",
    slug="padma-bridge-toll-rises",
    body="Cars pay more from July, the ministry said.\n\nLorries pay a fifth more.",
)
FERRY = Story(
    headline="Ferries run again",
    slug="ferries-run-again",
    body="Ferries crossed the Padma again on Monday after a week of fog kept every boat at the ghat.",
)
BANGLA = Story(
    headline="পদ্মা সেতুর টোল বা\u09dcছে",  # ড় precomposed, as stored
    slug="padma-toll-bn",
    body="২০২৪ সালের জুলাই থেকে নতুন হার কার্যকর হবে।",
    language="bn",
)


def searching(app: Any) -> ArchiveSearchScreen | None:
    return app.screen if isinstance(app.screen, ArchiveSearchScreen) else None


def status_of(app: Any) -> str:
    return str(app.screen.query_one("#search-status").render())


async def open_search(app: Any, pilot: Any, key: str = "f6") -> ArchiveSearchScreen:
    await pilot.press(key)
    await until(pilot, lambda: searching(app) is not None, f"{key} opens archive search")
    screen = searching(app)
    assert screen is not None
    await until(pilot, lambda: screen.query_box.has_focus, "the query box has the focus")
    return screen


async def results_for(pilot: Any, screen: ArchiveSearchScreen, query: str) -> list[str]:
    await until(pilot, lambda: screen.shown_for == query, f"the results for {query!r}")
    return [hit.row.slug for hit in screen.hits]


async def test_typing_searches_every_story_and_enter_opens_a_hit_with_its_lock(desk_with, rina) -> None:
    async with desk_with(TOLL, FERRY, BANGLA) as (app, pilot):
        screen = await open_search(app, pilot)
        assert "Type words or" in status_of(app)
        await type_text(pilot, "padma")  # the search runs a moment after the last key
        # Saved in one save, the two share updated_at: which comes first is the id's business.
        assert sorted(await results_for(pilot, screen, "padma")) == ["ferries-run-again", "padma-bridge-toll-rises"]
        await until(
            pilot,
            lambda: "Ferries run again" in screen_text(app) and "crossed the Padma again on Monday" in screen_text(app),
            "each hit shows its headline and its snippet",
        )
        assert "2 stories, newest first" in status_of(app)
        second = screen.hits[1].row.id
        await pilot.press("down", "down", "enter")  # to the results, the second hit, open it
        await until(pilot, lambda: _story_is_open(app, second), "Enter opens the hit in the desk")
        assert searching(app) is None
        holder = rina.holder(second)
        assert holder is not None and holder.user == "desk", "opened the normal way: with its lock"


async def test_enter_in_the_box_searches_at_once_then_opens_the_first_hit(desk_with) -> None:
    async with desk_with(TOLL, FERRY) as (app, pilot):
        screen = await open_search(app, pilot)
        screen.query_box.value = "toll july"
        await pilot.press("enter")
        assert await results_for(pilot, screen, "toll july") == ["padma-bridge-toll-rises"]
        await until(pilot, lambda: "Cars pay more from July" in screen_text(app), "the snippet")
        await pilot.press("enter")
        toll_id = app.store.find_by_slug("padma-bridge-toll-rises").id
        await until(pilot, lambda: _story_is_open(app, toll_id), "the second Enter opens the first hit")


async def test_no_story_matches_is_said_and_escape_goes_back_changing_nothing(desk_with) -> None:
    async with desk_with(TOLL, FERRY) as (app, pilot):
        opened = app.desk.story
        screen = await open_search(app, pilot)
        await type_text(pilot, "cricket")
        assert await results_for(pilot, screen, "cricket") == []
        await until(pilot, lambda: "No story matches cricket." in screen_text(app), "the no-match line")
        await pilot.press("down", "enter")  # nothing to go to, nothing to open
        await pilot.pause()
        assert searching(app) is screen
        await pilot.press("escape")
        await until(pilot, lambda: searching(app) is None, "Escape goes back")
        assert app.desk.story is opened and _story_is_open(app, opened.id)


async def test_bangla_typed_with_the_other_nukta_form_and_ascii_digits_is_found(desk_with) -> None:
    async with desk_with(TOLL, BANGLA) as (app, pilot):
        screen = await open_search(app, pilot)
        screen.query_box.value = "বা\u09a1\u09bcছে 2024"  # ড + nukta, ASCII digits
        assert await results_for(pilot, screen, "বা\u09a1\u09bcছে 2024") == ["padma-toll-bn"]
        await until(pilot, lambda: "২০২৪ সালের জুলাই থেকে" in screen_text(app), "the Bangla snippet")


async def test_typing_in_the_results_goes_on_with_the_query(desk_with) -> None:
    async with desk_with(TOLL, FERRY) as (app, pilot):
        screen = await open_search(app, pilot)
        await type_text(pilot, "padma")
        await results_for(pilot, screen, "padma")
        await pilot.press("down")
        await until(pilot, lambda: screen.results.has_focus, "↓ goes to the results")
        await type_text(pilot, " fog")
        assert await results_for(pilot, screen, "padma fog") == ["ferries-run-again"]
        assert screen.query_box.has_focus


async def test_unsaved_changes_are_asked_about_before_a_hit_opens(desk_with) -> None:
    from newsroom_tui.tui.screens.dialogs import UnsavedChangesScreen

    async with desk_with(TOLL, FERRY) as (app, pilot):
        await type_text(pilot, "Draft words ")  # into the open story's body
        await until(pilot, lambda: app.desk.dirty, "the story is unsaved")
        screen = await open_search(app, pilot)
        await type_text(pilot, "fog")
        await results_for(pilot, screen, "fog")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, UnsavedChangesScreen), "the unsaved question")


async def test_the_palette_entry_opens_it(desk_with) -> None:
    from textual.command import Command, CommandInput, CommandList, CommandPalette

    async with desk_with(TOLL) as (app, pilot):
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette opens")
        app.screen.query_one(CommandInput).value = "search the archive"

        def first() -> str:
            options = app.screen.query_one(CommandList)
            hits = [options.get_option_at_index(i) for i in range(options.option_count)]
            titles = [str(hit.hit.text) for hit in hits if isinstance(hit, Command)]
            return titles[0] if titles else ""

        await until(pilot, lambda: first() == "Search the archive", "the palette finds it")
        await pilot.press("enter")
        await until(pilot, lambda: searching(app) is not None, "the palette entry opens archive search")


async def test_help_lists_the_key_and_explains_the_search_screen(desk_with) -> None:
    async with desk_with(TOLL) as (app, pilot):
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        assert "search the archive: every story, body and all" in screen_text(app)
        assert "f6" in screen_text(app)
        await pilot.press("escape")
        await open_search(app, pilot)
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help over archive search")
        assert "In archive search  ← you are here" in screen_text(app)


async def test_the_key_can_be_remapped_by_its_id(desk_with) -> None:
    async with desk_with(TOLL) as (app, pilot):
        app.set_keymap({"search-archive": "ctrl+k"})
        await pilot.pause()
        await open_search(app, pilot, "ctrl+k")
        await pilot.press("escape")
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        assert "^k" in screen_text(app)


async def test_the_find_bar_keeps_its_own_f6(desk_with) -> None:
    async with desk_with(TOLL) as (app, pilot):
        await pilot.press("f3", "ctrl+f")
        await until(pilot, lambda: bool(app.screen.query("FindBar")), "the find bar")
        bar = app.screen.query_one("FindBar")
        await until(pilot, lambda: app.focused is not None and app.focused.id == "find-query", "the find box")
        await pilot.press("f6")
        await pilot.pause()
        assert searching(app) is None and bar.options.case_sensitive


async def test_hits_are_cut_to_the_width_again_when_the_terminal_is_resized(desk_with) -> None:
    from rich.cells import cell_len

    long_one = Story(headline="Padma " + "bridge toll " * 15, slug="long", body="Padma ferries. " * 40)
    async with desk_with(long_one, size=(120, 40)) as (app, pilot):
        screen = await open_search(app, pilot)
        await type_text(pilot, "padma")
        await results_for(pilot, screen, "padma")

        def widest() -> int:
            prompt = screen.results.get_option_at_index(0).prompt
            return max(cell_len(line) for line in str(prompt).splitlines())

        assert 100 < widest() <= screen.results.content_region.width
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: widest() <= screen.results.content_region.width < 80, "cut to 80 columns")
        assert "Padma bridge toll" in screen_text(app)
