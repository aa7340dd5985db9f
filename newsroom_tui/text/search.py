"""Find and replace in story text, plain Python so the desk's find bar and tests share one truth.

Whole-word matching uses Unicode word characters plus the Bengali combining marks (vowel signs,
virama) and ZWJ/ZWNJ, which `\\w` does not cover: without them "ঢাকা" would "end" after ঢ.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that continue a word: \w, Bengali/Indic combining marks (Mn/Mc), ZWJ and ZWNJ.
_WORD_CHAR = r"[\w\u0981-\u0983\u09bc-\u09d7\u09e2\u09e3\u200c\u200d]"


@dataclass(frozen=True, slots=True)
class SearchOptions:
    case_sensitive: bool = False
    whole_word: bool = False


def _pattern(query: str, options: SearchOptions) -> re.Pattern[str]:
    body = re.escape(query)
    if options.whole_word:
        body = rf"(?<!{_WORD_CHAR}){body}(?!{_WORD_CHAR})"
    return re.compile(body, 0 if options.case_sensitive else re.IGNORECASE)


def find_all(text: str, query: str, options: SearchOptions = SearchOptions()) -> list[tuple[int, int]]:
    """Every non-overlapping match as (start, end) character offsets, in order."""
    if not query:
        return []
    return [match.span() for match in _pattern(query, options).finditer(text)]


def replace_all(text: str, query: str, replacement: str, options: SearchOptions = SearchOptions()) -> tuple[str, int]:
    """`text` with every match replaced literally (no backreferences), and how many were replaced.

    Case-insensitive, a lower-case replacement takes each match's case (`keep_case`): `toll` → `fee` made
    "fee collection" of "Toll collection" at the start of a sentence.
    """
    if not query:
        return text, 0
    if options.case_sensitive:
        return _pattern(query, options).subn(lambda _match: replacement, text)
    return _pattern(query, options).subn(lambda match: keep_case(match.group(), replacement), text)


def keep_case(matched: str, replacement: str) -> str:
    """`replacement` in the case of `matched`: all capitals for all capitals (`TOLL` → `FEE`), a capital
    first letter for one (`Toll` → `Fee`).  A replacement with capitals of its own (`AFP`, `iPhone`) is the
    editor's choice and stays as typed; scripts without case (Bengali) are unchanged."""
    if replacement != replacement.lower():
        return replacement
    letters = [char for char in matched if char.isalpha()]
    cased = [char for char in letters if char.lower() != char.upper()]
    if len(cased) >= 2 and all(char.isupper() for char in cased):
        return replacement.upper()
    if letters and letters[0].isupper():
        index = next((i for i, char in enumerate(replacement) if char.isalpha()), None)
        if index is not None:
            return replacement[:index] + replacement[index].upper() + replacement[index + 1 :]
    return replacement


def next_match(matches: list[tuple[int, int]], offset: int, *, backwards: bool = False) -> tuple[int, int] | None:
    """The match after (or before) `offset`, wrapping round the text as editors do."""
    if not matches:
        return None
    if backwards:
        before = [span for span in matches if span[0] < offset]
        return before[-1] if before else matches[-1]
    after = [span for span in matches if span[0] >= offset]
    return after[0] if after else matches[0]


def offset_to_location(text: str, offset: int) -> tuple[int, int]:
    """A character offset as the editor's (row, column)."""
    row = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return row, offset - line_start


def location_to_offset(text: str, location: tuple[int, int]) -> int:
    row, column = location
    offset = 0
    for _ in range(row):
        newline = text.find("\n", offset)
        if newline == -1:
            return len(text)
        offset = newline + 1
    return min(offset + column, len(text))
