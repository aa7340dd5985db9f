"""`newsroom export`: a story in an export format, rendered by the same code the outbox uses, so a
script sees exactly what subscribers get."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.usecases.errors import UserError
from newsroom_tui.usecases.stories import find_story

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.store import StoryStore


def export_story(store: StoryStore, settings: Settings, slug: str, fmt: str, *, now: datetime) -> str:
    from newsroom_tui import formats

    return formats.export(find_story(store, settings, slug), fmt, settings, now=now)


def write_export(output: str, text: str) -> None:
    """The export written to a file, atomically; a folder is refused rather than written into."""
    from newsroom_tui.usecases.files import write_file

    path = Path(output)
    if path.is_dir():
        raise UserError(f"{path} is a folder; give -o a file name.")
    write_file(path, text.encode("utf-8"))
