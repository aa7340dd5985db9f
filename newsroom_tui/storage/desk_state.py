"""What the desk remembers for its editor between runs (per user, on this machine): the theme picked in the palette.

The user's config.toml is theirs and never rewritten; a pick is kept here, in the user state dir, with the
config's `theme` at the time.  It holds until the config's `theme` changes (then the config wins again).
A small JSON file, rewritten atomically; losing it only means the config's theme comes back.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from platformdirs import user_state_dir

from newsroom_tui.domain.config import APP_NAME

STATE_NAME = "desk-state.json"


def desk_state_path() -> Path:
    """`NEWSROOM_DESK_STATE` (tests), else `<user state dir>/desk-state.json`."""
    chosen = os.environ.get("NEWSROOM_DESK_STATE")
    return Path(chosen) if chosen else Path(user_state_dir(APP_NAME, appauthor=False)) / STATE_NAME


def remembered_theme(config_theme: str, path: Path | None = None) -> str | None:
    """The theme picked in the palette, if it was picked while the config said `config_theme`; else None.
    A file that cannot be read, or was edited into something else, is as none."""
    try:
        state = json.loads((path or desk_state_path()).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("config_theme") != config_theme:
        return None
    theme = state.get("theme")
    return theme if isinstance(theme, str) and 0 < len(theme) <= 60 and theme.isprintable() else None


def remember_theme(theme: str, config_theme: str, path: Path | None = None) -> None:
    """Keep `theme` for the next start (raises OSError when the file cannot be written)."""
    from newsroom_tui.storage.atomicfile import make_folder, write_atomically

    path = path or desk_state_path()
    make_folder(path.parent)
    data = json.dumps({"theme": theme, "config_theme": config_theme}, indent=1) + "\n"
    write_atomically(path, data.encode("utf-8"))
