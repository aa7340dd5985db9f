"""Things the desk says once to each editor (per user, on this machine), remembered in the user state dir.

A plain text file, one key a line, rewritten atomically: losing it only means a notice is said again.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_state_dir

from newsroom_tui.domain.config import APP_NAME
from newsroom_tui.storage.atomicfile import make_folder, write_atomically

NOTICES_NAME = "said-once.txt"


def notices_path() -> Path:
    """`NEWSROOM_NOTICES` (tests), else `<user state dir>/said-once.txt`."""
    chosen = os.environ.get("NEWSROOM_NOTICES")
    return Path(chosen) if chosen else Path(user_state_dir(APP_NAME, appauthor=False)) / NOTICES_NAME


def first_time(key: str, path: Path | None = None) -> bool:
    """True the first time `key` is asked about (and remember it); False ever after.  A file that cannot
    be read or written answers True: saying a notice twice is better than never."""
    path = path or notices_path()
    key = " ".join(key.split())
    try:
        said = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        said = []
    except (OSError, UnicodeDecodeError):
        return True
    if key in said:
        return False
    try:
        make_folder(path.parent)
        write_atomically(path, "".join(f"{line}\n" for line in [*said, key]).encode("utf-8"))
    except OSError:
        pass
    return True
