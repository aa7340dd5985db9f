"""`newsroom list`: one line per story, for people and for grep."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.model import Story


def list_lines(stories: Sequence[Story], settings: Settings) -> list[str]:
    """`newsroom list`: status, slug, last saved, words, headline (user text inside)."""
    zone = settings.zone
    return [
        f"{story.status.value:<11} {story.slug:<40} {story.updated_at.astimezone(zone).strftime('%Y-%m-%d %H:%M')}  "
        f"{story.word_count:>5}w  {story.headline}"
        for story in stories
    ]
