"""Finding a story the way an editor names it: by its slug."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsroom_tui.usecases.errors import NotFound

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.model import Story
    from newsroom_tui.storage.store import StoryStore


def find_story(store: StoryStore, settings: Settings, slug: str) -> Story:
    story = store.find_by_slug(slug)
    if story is None:
        raise NotFound(f"There is no story with the slug {slug!r} in {settings.db_path}.")
    return story


def versions_held(numbers: list[int]) -> str:
    """What versions a story has, for the sentence refusing one it has not."""
    numbers = sorted(numbers)
    if len(numbers) == 1:
        return f"it has only version {numbers[0]}"
    return f"its versions are {numbers[0]} to {numbers[-1]}"
