"""Archive search: what a query means, whether a story matches it and the snippet a hit shows, in plain Python.

Both store backends answer `search(query, limit=...)` with `SearchHit`s built here, so the desk and
`newsroom search` print the same whatever holds the archive.  A query is words and "quoted phrases"; a story
matches when every one occurs (as a substring, in any case) in its headline, summary, body, byline or tags.

Matching compares folded text (`fold`), the same on both sides:
* ZWJ and ZWNJ dropped: র‍্যাব typed with a joiner finds র্যাব stored without one, and the other way round;
* NFC, which turns the nukta letters য় ড় ঢ় into their decomposed forms (they are composition exclusions), so
  a precomposed letter typed finds a decomposed one stored and vice versa;
* casefold, so "Padma" finds "PADMA";
* Bengali digits as ASCII ones, so "২০২৪" finds "2024";
* every run of whitespace as one space, so a phrase finds its words across a line break (never across two
  fields: they are joined with a control character no query can hold).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from newsroom_tui.domain.listing import StoryRow
from newsroom_tui.domain.model import Story
from newsroom_tui.text.graphemes import next_boundary, previous_boundary
from newsroom_tui.text.safety import clean_line

__all__ = [
    "FIELD_SEPARATOR",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "SNIPPET_LENGTH",
    "SearchHit",
    "SearchQuery",
    "fold",
    "matches",
    "parse_query",
    "search_text",
    "search_text_of",
    "snippet_for",
]

# Between fields in `search_text`, so no word or phrase spans two fields: a control character no query can hold
# (`parse_query` cleans them out) and not whitespace.  ASCII, so an English story's search text stays one byte a
# character in memory (a private-use separator made every one two: 67 MB of TinyDB's search cache at 10,000).
FIELD_SEPARATOR = "\x01"
SNIPPET_LENGTH = 160
MAX_QUERY_LENGTH = 500  # a query is what an editor types; past this it is a paste gone wrong
MAX_TERMS = 20

_JOINERS = ("\u200c", "\u200d")
_BENGALI_DIGITS = "০১২৩৪৫৬৭৮৯"
_DIGITS_TO_ASCII = str.maketrans(_BENGALI_DIGITS, "0123456789")
# Straight and typographic double quotes (a Bangla keyboard or a phone types “ ”).
_QUOTES = '"“”„«»'
_TERM = re.compile(rf"[{_QUOTES}]([^{_QUOTES}]*)(?:[{_QUOTES}]|$)|([^\s{_QUOTES}]+)")
# NFC over 10,000 stories took most of a search's first second.  Text that holds nothing but Latin-1, Bengali, the
# danda and general punctuation is normalised by hand instead: in those ranges NFC only decomposes the three nukta
# letters (composition exclusions) and composes ো and ৌ from their halves; a virama before a nukta (which NFC
# would reorder) sends the text the slow way.  tests/test_search.py checks this against unicodedata on random text.
_NOT_FAST_NFC = re.compile("[^\x00-\u00ff\u0964\u0965\u0980-\u09ff\u2000-\u206f]")
_FAST_NFC = (
    ("\u09dc", "\u09a1\u09bc"),  # ড় -> ড + nukta
    ("\u09dd", "\u09a2\u09bc"),  # ঢ় -> ঢ + nukta
    ("\u09df", "\u09af\u09bc"),  # য় -> য + nukta
    ("\u09c7\u09be", "\u09cb"),  # ে + া -> ো
    ("\u09c7\u09d7", "\u09cc"),  # ে + ৗ -> ৌ
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """The form both sides of a match are compared in (see the module's docstring): the same as
    `" ".join(unicodedata.normalize("NFC", text without joiners).translate(Bengali digits).casefold().split())`,
    only faster.  Deterministic, so a backend may store `search_text(story)` (already folded) and look for a
    query's terms in it."""
    if "\u200c" in text or "\u200d" in text:
        text = text.replace("\u200c", "").replace("\u200d", "")
    if not text.isascii():
        if "\u09cd\u09bc" not in text and _NOT_FAST_NFC.search(text) is None:
            for composed, normal in _FAST_NFC:
                if composed in text:
                    text = text.replace(composed, normal)
        else:
            text = unicodedata.normalize("NFC", text)
        if any(digit in text for digit in _BENGALI_DIGITS):
            text = text.translate(_DIGITS_TO_ASCII)
    text = text.casefold()
    if "\n" in text:
        text = text.replace("\n\n", " ").replace("\n", " ")
    if "  " in text or not text.isprintable():  # every space but " " is unprintable: one fast test for all
        text = _SPACES.sub(" ", text)
    return text.strip(" ")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed query: `terms` are folded words and phrases, every one of which a story must hold."""

    text: str
    terms: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.terms


def parse_query(text: str) -> SearchQuery:
    """Words and "quoted phrases" (straight or typographic quotes; an unclosed quote runs to the end),
    folded; repeated terms once.  Past MAX_QUERY_LENGTH characters or MAX_TERMS terms the rest is dropped
    (the use case says so before it gets here)."""
    cleaned = clean_line(text)[:MAX_QUERY_LENGTH]
    terms: list[str] = []
    for match in _TERM.finditer(cleaned):
        phrase, word = match.groups()
        term = fold(phrase if phrase is not None else word).strip()
        if term and term not in terms:
            terms.append(term)
    return SearchQuery(cleaned, tuple(terms[:MAX_TERMS]))


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One story a search found: its list row, and plain text around the first match (never markup)."""

    row: StoryRow
    snippet: str


def search_text_of(headline: str, summary: str, body: str, byline: str, tags: Iterable[str]) -> str:
    """The fields a search looks in, folded, one after another with FIELD_SEPARATOR between them."""
    return FIELD_SEPARATOR.join(fold(part) for part in (headline, summary, body, byline, *tags))


def search_text(story: Story) -> str:
    """`search_text_of` for a story."""
    return search_text_of(story.headline, story.summary, story.body, story.byline, story.tags)


def matches(query: SearchQuery, story: Story) -> bool:
    """Whether every term of `query` occurs in the story's headline, summary, body, byline or tags.
    An empty query matches nothing: a search for nothing is not a list of everything."""
    if query.is_empty:
        return False
    haystack = search_text(story)
    return all(term in haystack for term in query.terms)


# -- snippets -------------------------------------------------------------------------------------------------
def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` folded one character at a time, and for each folded character the offset it came from.

    Decomposed (NFD), not composed, so a character folds the same alone as inside its word; the terms are
    decomposed the same way before they are looked for here.  Whitespace is not collapsed: terms have
    single spaces, so a run of whitespace is matched by `_find` instead.
    """
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if char in _JOINERS:
            continue
        folded = unicodedata.normalize("NFD", char.translate(_DIGITS_TO_ASCII)).casefold()
        if char.isspace():
            folded = " "
        pieces.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(pieces), offsets


# How a folded term's characters may be stored: the other nukta and vowel-sign forms, either digit, any space.
_STORED_FORMS = {
    "\u09a1\u09bc": "(?:\u09a1\u09bc|\u09dc)",
    "\u09a2\u09bc": "(?:\u09a2\u09bc|\u09dd)",
    "\u09af\u09bc": "(?:\u09af\u09bc|\u09df)",
    "\u09cb": "(?:\u09cb|\u09c7\u09be)",
    "\u09cc": "(?:\u09cc|\u09c7\u09d7)",
    " ": r"\s+",
    **{
        ascii_digit: f"[{ascii_digit}{bengali}]"
        for ascii_digit, bengali in zip("0123456789", _BENGALI_DIGITS, strict=True)
    },
}
_PAIRS = re.compile("\u09a1\u09bc|\u09a2\u09bc|\u09af\u09bc|.", re.DOTALL)


@functools.lru_cache(maxsize=64)
def _stored_pattern(term: str) -> re.Pattern[str]:
    """A pattern that finds a folded term in text as stored (joiners anywhere in Bangla, either form of a
    letter, any case as `re` sees it), so a snippet is found without folding the story a letter at a time."""
    joiners = "" if term.isascii() else "[\u200c\u200d]*"
    parts = [_STORED_FORMS.get(piece) or re.escape(piece) for piece in _PAIRS.findall(term)]
    return re.compile(joiners.join(parts), re.IGNORECASE)


def _find(text: str, terms: tuple[str, ...]) -> tuple[int, int] | None:
    """The earliest (start, end) in `text` (original offsets) where any term occurs, or None."""
    if not text:
        return None
    best: tuple[int, int] | None = None
    folded: str | None = None
    for term in terms:
        found = _stored_pattern(term).search(text)
        span: tuple[int, int] | None = found.span() if found is not None else None
        if span is None:  # what `re` folds otherwise than casefold (ß and ss, a composed é typed apart)
            folded = fold(text) if folded is None else folded
            span = _find_slowly(text, term) if term in folded else None
        if span is not None and span[0] < span[1] and (best is None or span[0] < best[0]):
            best = span
    return best


def _find_slowly(text: str, term: str) -> tuple[int, int] | None:
    folded, offsets = _folded_with_offsets(text)
    pattern = r"\s+".join(re.escape(unicodedata.normalize("NFD", part)) for part in term.split(" "))
    found = re.search(pattern, folded)
    if found is None or found.start() == found.end():
        return None
    return offsets[found.start()], offsets[found.end() - 1] + 1


def _window(text: str, start: int, end: int, length: int) -> str:
    """About `length` characters of `text` around text[start:end], cut at spaces (or at least between
    grapheme clusters, never inside ক্ষ), whitespace collapsed, "…" where something was cut."""
    before = min(length // 3, max(0, length - (end - start)))
    left = max(0, start - before)
    right = min(len(text), left + length)
    left = max(0, min(left, right - length))
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 and space - left <= 20 else previous_boundary(text, left + 1)
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space != -1 and right - space <= 20 else next_boundary(text, right - 1)
    piece = " ".join(text[left:right].split())
    if not piece:
        return ""
    return ("…" if left > 0 else "") + piece + ("…" if right < len(text) else "")


def snippet_for(query: SearchQuery, story: Story, *, length: int = SNIPPET_LENGTH) -> str:
    """Plain text around the first match, about `length` characters, "…" at a cut end, on one line.

    Looked for in the body, then the summary, the byline and the tags; a story found only by its
    headline (which the results show anyway) gets the start of its summary, or of its body.
    """
    text = clean_line(" ".join(story.body.split()))  # one line: the snippet is shown on one
    for field in (text, clean_line(story.summary), clean_line(story.byline), ", ".join(story.tags)):
        found = _find(field, query.terms)
        if found is not None:
            return _window(field, *found, length)
    lead = clean_line(story.summary) or text or clean_line(story.headline)
    return _window(lead, 0, 0, length)
