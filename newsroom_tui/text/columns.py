"""Plain-text columns for the command line: cell widths as terminals draw them, cuts between clusters.

`newsroom list` lines up its columns without Rich (the command line loads no desk).  Widths follow glibc's
`wcwidth`, which tmux, xterm and SSH terminals use: wide East Asian characters two cells, combining
nonspacing marks and format characters (virama, ZWJ) none, Bengali spacing vowel signs one (see
tui/cellwidths.py for why the desk agrees).  A cut never splits a grapheme cluster, so a Bangla headline
is never left ending on a lone virama or starting on a vowel sign.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from newsroom_tui.text.graphemes import next_boundary

ELLIPSIS = "…"


@lru_cache(maxsize=4096)
def char_cells(char: str) -> int:
    if unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def cell_width(text: str) -> int:
    """How many terminal cells `text` (one line) takes (ASCII: a cell a character, the common case)."""
    return len(text) if text.isascii() else sum(map(char_cells, text))


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, with an ellipsis where it was cut; never inside a cluster."""
    if width <= 0:
        return ""
    if cell_width(text) <= width:
        return text
    if text.isascii() and "\r" not in text:  # a character a cell and a cluster (`newsroom list`: 4 fits a line)
        return text[: width - 1].rstrip() + ELLIPSIS
    room = width - 1
    used = 0
    end = 0
    while end < len(text):
        following = next_boundary(text, end)
        cells = cell_width(text[end:following])
        if used + cells > room:
            break
        used += cells
        end = following
    return text[:end].rstrip() + ELLIPSIS


def pad(text: str, width: int) -> str:
    """`text` fitted to `width` cells and padded with spaces to exactly that many."""
    fitted = fit(text, width)
    return fitted + " " * (width - cell_width(fitted))


def pad_middle(text: str, width: int) -> str:
    """Like `pad`, but a cut keeps both ends (`padma-bri…toll-2`): slugs that differ at the end stay apart.
    Slugs are ASCII (text/slugs.py), so here a character is a cell."""
    if cell_width(text) <= width or width < 5 or not text.isascii():
        return pad(text, width)
    tail = (width - 1) // 2
    return text[: width - 1 - tail] + ELLIPSIS + text[len(text) - tail :]
