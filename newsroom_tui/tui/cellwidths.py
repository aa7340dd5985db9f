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

import bisect
import sys
import unicodedata
from collections.abc import Iterable
from functools import cache
from typing import Any

import rich.cells
from rich import _unicode_data

from newsroom_tui.tui.spacing_marks import SPACING_MARKS

_original_load = _unicode_data.load
# rich.cells imports the loader under its own name (not re-exported), so it is replaced there too.
_rich_cells: Any = rich.cells


def spacing_mark_ranges() -> list[tuple[int, int]]:
    """The Mc code points as sorted, inclusive (first, last) ranges: from the table for this Python's
    Unicode version, else by asking `unicodedata` about every code point (once, cached by `_load`)."""
    table = SPACING_MARKS.get(unicodedata.unidata_version)
    if table is None:
        return _ranges(code for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Mc")
    ranges = []
    for item in table.split():
        first, _, last = item.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    return ranges


def _ranges(codes: Iterable[int]) -> list[tuple[int, int]]:
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return ranges


def _widened(table: Any) -> Any:
    """`table` with each zero-width span split so that Mc code points get width 1."""
    marks = spacing_mark_ranges()
    widths: list[tuple[int, int, int]] = []
    for start, end, width in table.widths:
        if width != 0:
            widths.append((start, end, width))
            continue
        at = start  # the first code point of the span not yet written
        for first, last in marks[max(0, bisect.bisect_left(marks, (start, -1)) - 1) :]:
            if first > end:
                break
            if last < at:
                continue
            first = max(first, at)
            if first > at:
                widths.append((at, first - 1, 0))
            widths.append((first, min(last, end), 1))
            at = min(last, end) + 1
        if at <= end:
            widths.append((at, end, 0))
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
