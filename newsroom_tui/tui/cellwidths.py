"""Make Rich measure text the way terminals draw it, so Bangla lines up.

Rich gives spacing combining marks (Unicode category Mc, e.g. the Bengali vowel signs া U+09BE and
ি U+09BF) zero cells: `cell_len("বাংলা ভাষা")` is 5.  glibc's `wcwidth`, and so tmux, xterm and the
terminals reached over SSH, draw each of them one cell wide (`wcswidth` gives 10).  The difference
pushed borders and columns right on every Bangla line and put the cursor in the wrong place.

`use_terminal_cell_widths()` rewrites Rich's width table once, in this one place, giving every Mc
character one cell; Textual measures through Rich, so the list, the editor and the preview agree
with the terminal.  Nonspacing marks (Mn: virama, ু, ঁ) stay zero-width, as in glibc.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Any

import rich.cells
from rich import _unicode_data

_original_load = _unicode_data.load
# rich.cells imports the loader under its own name (not re-exported), so it is replaced there too.
_rich_cells: Any = rich.cells


def _is_spacing_mark(code: int) -> bool:
    return unicodedata.category(chr(code)) == "Mc"


def _widened(table: Any) -> Any:
    """`table` with each zero-width span split so that Mc code points get width 1."""
    widths: list[tuple[int, int, int]] = []
    for start, end, width in table.widths:
        if width != 0:
            widths.append((start, end, width))
            continue
        run_start = start
        run_width = 1 if _is_spacing_mark(start) else 0
        for code in range(start + 1, end + 1):
            code_width = 1 if _is_spacing_mark(code) else 0
            if code_width != run_width:
                widths.append((run_start, code - 1, run_width))
                run_start, run_width = code, code_width
        widths.append((run_start, end, run_width))
    return type(table)(table.unicode_version, widths, table.narrow_to_wide)


@cache
def _load(unicode_version: str = "auto") -> Any:
    return _widened(_original_load(unicode_version))


def use_terminal_cell_widths() -> None:
    """Install the widened table for Rich (and so Textual); safe to call more than once."""
    if _rich_cells.load_cell_table is _load:
        return
    _rich_cells.load_cell_table = _load
    _unicode_data.load = _load
    rich.cells.get_character_cell_size.cache_clear()
    rich.cells.cached_cell_len.cache_clear()
