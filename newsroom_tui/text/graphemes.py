"""Where a cursor may stand: between user-perceived characters (grapheme clusters), never inside one.

Textual's TextArea and Input move and delete by code point, so one → from the start of `সিলেটে` put the cursor
between স and its vowel sign ি, and typing there gave `সXিলেটে`.  This is the part of Unicode's extended
grapheme cluster rules (UAX #29, with Unicode 15.1's Indic conjunct rule) that news copy meets: a base
character takes every combining mark after it (vowel signs, nukta, candrabindu, anusvara, variation
selectors), ZWNJ, and a ZWJ with the character it joins; a virama joins the consonant after it into one
conjunct (ক্ষ, ন্ত্র); emoji skin tones join their emoji.  Plain Python, no dependency: a line is a paragraph
at most, and a step looks at a few characters either side.
"""

from __future__ import annotations

import unicodedata

ZWJ = "\u200d"
ZWNJ = "\u200c"
_VIRAMA_CLASS = 9  # canonical combining class of ্ (U+09CD) and the other Indic viramas


def _extends(char: str) -> bool:
    """A character that belongs to the cluster before it."""
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or char in (ZWJ, ZWNJ)
        or "\U0001f3fb" <= char <= "\U0001f3ff"  # emoji skin tone modifiers
    )


def _joins(previous: str, char: str) -> bool:
    """`char` continues the cluster because of what comes before it: after a ZWJ, or a letter after a virama."""
    if previous == ZWJ:
        return True
    return unicodedata.combining(previous) == _VIRAMA_CLASS and unicodedata.category(char) == "Lo"


def next_boundary(text: str, index: int) -> int:
    """The end of the cluster that starts at (or contains) `index`: where → puts the cursor."""
    length = len(text)
    if index >= length:
        return length
    end = index + 1
    while end < length and (_extends(text[end]) or _joins(text[end - 1], text[end])):
        end += 1
    return end


def previous_boundary(text: str, index: int) -> int:
    """The start of the cluster that ends at `index`: where ← (and backspace) put the cursor."""
    if index <= 0:
        return 0
    start = min(index, len(text)) - 1
    while start > 0 and (_extends(text[start]) or _joins(text[start - 1], text[start])):
        start -= 1
    return start
