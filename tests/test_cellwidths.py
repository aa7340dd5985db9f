"""The desk measures Bangla as terminals draw it: spacing vowel signs one cell, nonspacing marks none."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from newsroom_tui.tui import cellwidths
from newsroom_tui.tui.spacing_marks import SPACING_MARKS


def _every_spacing_mark() -> list[int]:
    return [code for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Mc"]


def _widened_by_asking(table: object) -> list[tuple[int, int, int]]:
    """The reference: each zero-width code point asked of `unicodedata` in turn."""
    widths: list[tuple[int, int, int]] = []
    for start, end, width in table.widths:  # type: ignore[attr-defined]
        if width != 0:
            widths.append((start, end, width))
            continue
        run_start, run_width = start, int(unicodedata.category(chr(start)) == "Mc")
        for code in range(start + 1, end + 1):
            code_width = int(unicodedata.category(chr(code)) == "Mc")
            if code_width != run_width:
                widths.append((run_start, code - 1, run_width))
                run_start, run_width = code, code_width
        widths.append((run_start, end, run_width))
    return widths


def test_the_shipped_table_is_this_pythons_unicode() -> None:
    if unicodedata.unidata_version not in SPACING_MARKS:
        pytest.skip(f"no shipped table for Unicode {unicodedata.unidata_version}: the desk asks unicodedata")
    shipped = [code for first, last in cellwidths.spacing_mark_ranges() for code in range(first, last + 1)]
    assert shipped == _every_spacing_mark()


def test_the_widened_table_is_the_one_asking_would_make(monkeypatch: pytest.MonkeyPatch) -> None:
    table = cellwidths._original_load("auto")
    assert list(cellwidths._widened(table).widths) == _widened_by_asking(table)
    # Another Unicode version than any shipped: the same table, by asking.
    monkeypatch.setattr(cellwidths, "SPACING_MARKS", {})
    assert list(cellwidths._widened(table).widths) == _widened_by_asking(table)


def test_bangla_is_measured_as_the_terminal_draws_it() -> None:
    from rich.cells import cell_len

    cellwidths.use_terminal_cell_widths()
    assert cell_len("বাংলা ভাষা") == 10  # glibc's wcswidth: া and ি one cell each
    assert cell_len("কু") == 1  # ু (Mn) stays zero-width
