"""Answering the desk's questions in Pilot tests: a question takes keys only once it has been painted
(plus its grace), so a test waits for that as an editor's eyes would."""

from __future__ import annotations

import asyncio

from textual._time import get_time

from newsroom_tui.tui.screens.choice import ChoiceDialog


async def until_answerable(pilot, dialog: ChoiceDialog | None = None) -> ChoiceDialog:  # type: ignore[type-arg]
    """Wait until `dialog` (or the question on screen) takes keys as answers; return it."""
    for _ in range(200):
        screen = dialog or pilot.app.screen
        if isinstance(screen, ChoiceDialog) and screen.answers_from is not None:
            await asyncio.sleep(max(0.0, screen.answers_from - get_time()))
            return screen
        await pilot.pause(0.01)
    raise AssertionError(f"no question became answerable; the screen is {pilot.app.screen!r}")


async def answer(pilot, *keys: str) -> None:
    """Press `keys` on the question on screen once it takes answers."""
    await until_answerable(pilot)
    await pilot.press(*keys)
    await pilot.pause()
