"""Keys typed while the desk starts (`newsroom`, then straight away `flood`) start the filter, as they would in
the list: Textual hands a key that arrives before anything has the focus to the screen, where they were all
dropped, and the keys behind the first one reached it after the filter box had the focus (a tmux walk found
it: at 80x24, on TinyDB and on a million stories alike)."""

from __future__ import annotations

from typing import Any

from textual import events

from .factories import make_story, until


async def _sent_before_anything_had_the_focus(app: Any, pilot: Any, text: str) -> None:
    app.screen.set_focus(None)  # as before AUTO_FOCUS ran
    for character in text:  # all sent before the screen handles the first: each finds no focus
        app.post_message(events.Key(character, character))
    await pilot.pause()


async def test_keys_typed_as_the_desk_starts_become_the_filter(desk_with: Any) -> None:
    async with desk_with(
        make_story(headline="Flood warning for the north", slug="flood-north"),
        make_story(headline="Padma ferry fares cut", slug="padma-ferry"),
        opened=None,
        size=(80, 24),
    ) as (app, pilot):
        pane = app.screen.list_pane
        await _sent_before_anything_had_the_focus(app, pilot, "flood")
        await until(pilot, lambda: pane.filter_box.value == "flood", "the keys in the filter")
        assert app.screen.focused is pane.filter_box
        await until(pilot, lambda: len(pane.story_list.rows) == 1, "the list filtered")
        assert pane.story_list.rows[0].slug == "flood-north"


async def test_a_key_for_a_field_is_not_taken_for_the_filter(desk_with: Any) -> None:
    story = make_story(headline="Padma ferry fares cut", slug="padma-ferry")
    async with desk_with(story, size=(80, 24)) as (app, pilot):
        pane = app.screen.list_pane
        body = app.screen.editor_pane.body
        app.screen.set_focus(body)
        await pilot.press("x")
        assert pane.filter_box.value == ""
        assert "x" in body.text
