"""What a desk starts from: prepared by the command line, run by the desk front end."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.rowcache import CachedRows
    from newsroom_tui.storage.store import StoryStore


@dataclass(frozen=True)
class DeskStart:
    """The store (or the row cache to start from), the story to open, a note for the first screen."""

    settings: Settings
    store: StoryStore | None
    first_rows: CachedRows | None
    open_story_id: str | None
    startup_note: str | None
