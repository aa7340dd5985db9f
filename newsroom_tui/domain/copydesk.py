"""The copy desk's house-style checks, and the fixes that are safe to apply without a human.

Wire copy arrives with backtick apostrophes (Ukraine`s), straight and curly quotes mixed, non-breaking
spaces, paragraphs ending in a comma, "ransom ware".  `check_text`/`check_story` find these;
`fix_text`/`fix_story` apply only fixes that never change meaning (typography, spacing, invisible
characters, house spellings, the dari, digit scripts).  Everything else is reported for an editor to
decide.  The UI runs `check_story` debounced while the editor types, so it must stay fast (a 1,500-word
story takes a few milliseconds).

Codes (fix = the finding carries a safe fix):

| code  | meaning                                                                                     | fix  |
| ----- | ------------------------------------------------------------------------------------------- | ---- |
| NR101 | apostrophe not in house style: backtick, straight ' or ´ (curly ’ when quotes = "straight") | yes  |
| NR102 | quote mark not in house style, or a curly double quote facing the wrong way                 | yes¹ |
| NR103 | straight, curly and backtick quote styles mixed in one text                                 | no   |
| NR104 | unbalanced quotes in a paragraph                                                            | no   |
| NR105 | unbalanced brackets in a paragraph                                                          | no   |
| NR106 | double space or tab inside a line                                                           | yes  |
| NR107 | non-breaking or other special space (U+00A0, U+202F, thin space…)                           | yes  |
| NR108 | invisible character: zero-width space, word joiner, BOM, soft hyphen, stray ZWJ/ZWNJ        | yes  |
| NR109 | trailing whitespace at the end of a line                                                    | yes  |
| NR110 | space before punctuation (`word ,`)                                                         | yes  |
| NR111 | paragraph without final punctuation                                                         | no   |
| NR112 | paragraph ends in a comma (also `,”` at the end)                                            | no   |
| NR201 | repeated word ("the the"), English or Bangla                                                | no   |
| NR202 | sentence longer than `max_sentence_words`                                                   | no   |
| NR203 | headline longer than the headline limit                                                     | no   |
| NR204 | house spelling (`[copydesk.words]`, e.g. Chittagong → Chattogram)                           | yes  |
| NR301 | full stop ending a Bengali sentence: use the dari (।)                                       | yes  |
| NR302 | Bengali and ASCII digits mixed in one number                                                | yes  |
| NR401 | English word not in the dictionary (with up to five suggestions)                             | no   |
| NR402 | Bangla word not in the dictionary (with up to five suggestions)                              | no   |

¹ not for a straight quote between two spaces: which way it faces is for the editor to say.

Positions: `line` and `column` are 1-based within the field's own text as stored (body paragraphs are
separated by blank lines, so they count as lines); columns count characters (code points), not
terminal cells.  `paragraph` is the 1-based paragraph (1 for the headline and the summary).  A fix is
`(start, end, replacement)`, offsets into that field's text.  `format_findings` prints
`NAME:FIELD:LINE:COL: CODE message`, e.g. `padma-bridge-toll:body:12:5: NR103 …`.

Where the rules stop (kept simple on purpose):
* NR111 skips the headline, Markdown headings (`# …`), list items (`- …`, `1. …`, `১. …`), bold
  crossheads (`**…**`) and paragraphs ending in a colon (they introduce a list or a quote).  A crosshead
  typed as plain text is reported; the editor ignores it.  The summary is checked like a paragraph.
* Feet and inches (5'11") become curly like any other quote; Markdown code spans are not recognised.
* A paragraph that opens a quote and does not close it is fine when the next paragraph opens a quote
  again (the convention for a quote running over several paragraphs).
* Leading spaces of a line are kept (only NBSPs in them become spaces); trailing ones are removed.
* ZWJ/ZWNJ are kept between two letters or marks of a non-Latin script (Bengali needs them) and
  next to emoji; anywhere else they are invisible noise (NR108).
* House words match whole words, case-insensitively; the replacement takes an upper-case first letter
  when the match has one (all capitals stay all capitals); inside URLs, e-mail addresses and the
  `keep` phrases (e.g. "University of Chittagong", an official name) nothing is replaced.
* Bengali reduplication (ধীরে ধীরে, হাজার হাজার) and "had had"/"that that" are not repeated words.
"""

from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from newsroom_tui.domain.config import ConfigError, Settings
from newsroom_tui.domain.model import DEFAULT_HEADLINE_LIMIT, Story, count_words
from newsroom_tui.text.bangla import ENGLISH_LETTER_NAMES, LETTER_NAMES_THAT_ARE_WORDS
from newsroom_tui.text.spelling import Names, Speller

# One line per code, for `--explain` and the UI; the table in the docstring says the same.
CODES: dict[str, str] = {
    "NR101": "apostrophe not in house style",
    "NR102": "quote mark not in house style, or facing the wrong way",
    "NR103": "quote styles mixed in one text",
    "NR104": "unbalanced quotes in a paragraph",
    "NR105": "unbalanced brackets in a paragraph",
    "NR106": "double space or tab inside a line",
    "NR107": "non-breaking or other special space",
    "NR108": "invisible character",
    "NR109": "trailing whitespace",
    "NR110": "space before punctuation",
    "NR111": "paragraph without final punctuation",
    "NR112": "paragraph ends in a comma",
    "NR201": "repeated word",
    "NR202": "sentence too long",
    "NR203": "headline too long",
    "NR204": "house spelling",
    "NR301": "full stop ending a Bengali sentence (use ।)",
    "NR302": "Bengali and ASCII digits mixed in one number",
    "NR401": "English word not in the dictionary",
    "NR402": "Bangla word not in the dictionary",
}
SPELLING_CODES = frozenset({"NR401", "NR402"})
QUOTE_STYLES = ("curly", "straight")
DEFAULT_MAX_SENTENCE_WORDS = 40
FIELDS = ("headline", "summary", "body")
MAX_FIX_PASSES = 6

# The desk's house spellings: wrong -> right.  Place names follow the official Bangladeshi spellings.
DEFAULT_WORDS: dict[str, str] = {
    "ransom ware": "ransomware",
    "e-mail": "email",
    "Chittagong": "Chattogram",
    "Comilla": "Cumilla",
    "Barisal": "Barishal",
    "Jessore": "Jashore",
    "Bogra": "Bogura",
}
# Official names that keep the old spelling: renaming them would change what they refer to.
DEFAULT_KEEP: tuple[str, ...] = (
    "University of Chittagong",
    "Chittagong Hill Tracts",
    "Jessore Road",
)


class Fix(NamedTuple):
    """Replace text[start:end] with `replacement` in the field's text."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One house-style problem in one field; `fix` is None when a human must decide."""

    code: str
    field: str
    paragraph: int
    line: int
    column: int
    message: str
    fix: Fix | None = None
    word: str = ""  # a spelling finding's word, as typed
    suggestions: tuple[str, ...] = ()

    @property
    def is_spelling(self) -> bool:
        return self.code in SPELLING_CODES


@dataclass(frozen=True)
class Spelling:
    """What a spelling check needs besides the text: the speller, the story's names, the words the
    editor ignored in this story, and whether to work out suggestions (the CLI does; the desk asks
    for them when the editor does, F7, which keeps each check within its budget)."""

    speller: Speller
    names: Names = field(default_factory=Names)
    suggest: bool = True


def story_names(story: Story, ignored: Iterable[str] = ()) -> Names:
    """The names a story vouches for: its metadata's words, and the capitals its prose uses consistently."""
    metadata = [story.byline, story.source, story.credit, story.dateline, story.sign_off, *story.tags]
    split = [re.sub(r"[./@_:]+", " ", text) for text in metadata if text]
    return Names.of([story.summary, story.body], split, ignored)


@dataclass
class CopydeskConfig:
    """The `[copydesk]` table of the config file, with the desk's defaults."""

    quotes: str = "curly"
    max_sentence_words: int = DEFAULT_MAX_SENTENCE_WORDS
    headline_limit: int = DEFAULT_HEADLINE_LIMIT
    words: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_WORDS))
    keep: tuple[str, ...] = DEFAULT_KEEP
    spelling: bool = True  # `spelling = false`: no NR401/NR402 (the desk then loads no dictionary)

    def __post_init__(self) -> None:
        if self.quotes not in QUOTE_STYLES:
            raise ValueError(f"quotes must be one of {', '.join(QUOTE_STYLES)}, not {self.quotes!r}")

    @classmethod
    def from_settings(cls, settings: Settings) -> CopydeskConfig:
        """Read `[copydesk]` (`quotes`, `max_sentence_words`, `default_words`, `keep`, `[copydesk.words]`).

        `[copydesk.words]` adds to the defaults; an entry mapping a word to itself (`"e-mail" = "e-mail"`)
        drops a default, and `default_words = false` drops them all.
        """
        where = str(settings.config_path or "the config file")
        table = settings.sections.get("copydesk", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [copydesk] must be a table.")
        known = {"quotes", "max_sentence_words", "words", "default_words", "keep", "spelling"}
        unknown = sorted(set(table) - known)
        if unknown:
            raise ConfigError(f"{where}: [copydesk] has an unknown setting {unknown[0]!r}.")
        quotes = table.get("quotes", "curly")
        if quotes not in QUOTE_STYLES:
            raise ConfigError(f'{where}: [copydesk] quotes must be "curly" or "straight", not {quotes!r}.')
        limit = table.get("max_sentence_words", DEFAULT_MAX_SENTENCE_WORDS)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise ConfigError(f"{where}: [copydesk] max_sentence_words must be a whole number above 0.")
        use_defaults = table.get("default_words", True)
        if not isinstance(use_defaults, bool):
            raise ConfigError(f"{where}: [copydesk] default_words must be true or false.")
        keep = table.get("keep", list(DEFAULT_KEEP))
        if not isinstance(keep, list) or not all(isinstance(k, str) and k.strip() for k in keep):
            raise ConfigError(f"{where}: [copydesk] keep must be a list of phrases.")
        spelling = table.get("spelling", True)
        if not isinstance(spelling, bool):
            raise ConfigError(f"{where}: [copydesk] spelling must be true or false.")
        words = _read_words(table.get("words", {}), dict(DEFAULT_WORDS) if use_defaults else {}, where)
        return cls(
            quotes=quotes,
            max_sentence_words=limit,
            headline_limit=settings.headline_limit,
            words=words,
            keep=tuple(keep),
            spelling=spelling,
        )


def _read_words(raw: Any, words: dict[str, str], where: str) -> dict[str, str]:
    """Merge `[copydesk.words]` into `words`, refusing entries that would never settle."""
    if not isinstance(raw, dict):
        raise ConfigError(f'{where}: [copydesk.words] must be a table of "wrong" = "right".')
    folded = {_phrase_key(wrong): wrong for wrong in words}
    for wrong, right in raw.items():
        if not isinstance(right, str) or not right.strip() or not any(c.isalnum() for c in wrong):
            raise ConfigError(f"{where}: [copydesk.words] {wrong!r} needs a word and a replacement.")
        old = folded.pop(_phrase_key(wrong), None)
        if old is not None:
            del words[old]
        if _phrase_key(wrong) != _phrase_key(right):
            words[wrong] = right
            folded[_phrase_key(wrong)] = wrong
    pattern = _word_pattern(tuple(words))
    for wrong, right in words.items():
        clash = pattern.search(right) if pattern else None
        if clash is not None:
            raise ConfigError(
                f"{where}: [copydesk.words] {wrong!r} = {right!r}: the replacement contains "
                f"{clash.group()!r}, itself a word to replace, so the fix would never settle."
            )
    return words


# -- characters -------------------------------------------------------------------------------------------
_SPECIAL_SPACES = frozenset(
    "\u00a0\u202f\u2007\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000\u1680"
)
_INVISIBLE = frozenset("\u200b\u2060\ufeff\u00ad")
_JOINERS = frozenset("\u200c\u200d")
_SKIP = _INVISIBLE | _JOINERS  # transparent when looking at a character's neighbours
_INVISIBLE_NAMES = {
    "\u200b": "zero-width space",
    "\u2060": "word joiner",
    "\ufeff": "byte-order mark (zero-width)",
    "\u00ad": "soft hyphen",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
}
_BN_DIGITS = "০১২৩৪৫৬৭৮৯"
_TO_BN = str.maketrans("0123456789", _BN_DIGITS)
_TO_ASCII = str.maketrans(_BN_DIGITS, "0123456789")
# A letter, digit or mark of a word; Bengali vowel signs are marks, which `\w` misses.
_W = r"[\w\u0980-\u09ff\u200c\u200d]"
_FINAL = frozenset(".!?।॥…")
_CLOSERS = frozenset("\"'`´’”)]}»")


def _is_bengali_char(char: str) -> bool:
    return "\u0980" <= char <= "\u09ff"


def _is_wordy(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char)[0] == "M"


def _bengali_letters_win(text: str, language: str) -> bool:
    """The script of the surrounding text: by letters only (digits would vote for themselves)."""
    bengali = other = 0
    for char in text:
        if char.isalpha() or unicodedata.category(char)[0] == "M":
            if _is_bengali_char(char):
                bengali += 1
            else:
                other += 1
    if bengali == other == 0:
        return language.lower().startswith("bn")
    return bengali > other


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


# -- the document being checked -------------------------------------------------------------------------------
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")  # as model.split_paragraphs


class _Hit(NamedTuple):
    offset: int
    code: str
    message: str
    fix: Fix | None = None
    word: str = ""
    suggestions: tuple[str, ...] = ()


class _Doc:
    """One field's text with its paragraph spans; what every check reads."""

    def __init__(self, text: str, field_name: str, config: CopydeskConfig, language: str) -> None:
        self.text = text
        self.field = field_name
        self.config = config
        self.language = language
        self.paragraphs = _paragraph_spans(text)
        self.paragraph_starts = [start for start, _ in self.paragraphs]

    def paragraph_of(self, offset: int) -> int:
        """0-based index of the paragraph holding `offset`; between paragraphs, the one before."""
        return max(0, bisect.bisect_right(self.paragraph_starts, offset) - 1)


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    bounds = [(m.start(), m.end()) for m in _PARAGRAPH_BREAK.finditer(text)] + [(len(text), len(text))]
    for cut, resume in bounds:
        start, end = position, cut
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
        position = resume
    return spans


# -- typography: quotes and apostrophes -----------------------------------------------------------------------
_QUOTE = re.compile(r"``|[\"'`´‘’“”]")
_DOUBLES = frozenset({'"', "“", "”", "``"})
_STYLE = {
    '"': "straight",
    "'": "straight",
    "`": "backtick",
    "´": "backtick",
    "``": "backtick",
    "‘": "curly",
    "’": "curly",
    "“": "curly",
    "”": "curly",
}
_SPACE, _OPENING, _WORD, _OTHER = range(4)
_OPENERS = frozenset("([{—–«")
_OPEN, _CLOSE, _APOS, _AMBIGUOUS = "open", "close", "apostrophe", "ambiguous"
# After an opening-position apostrophe: '90s, 'em, 'til, rock 'n' roll.
_ELISION = re.compile(r"(?:\d\d|em\b|til\b|tis\b|twas\b|n['’`])", re.IGNORECASE)


def _class_of(char: str | None) -> int:
    if char is None or char.isspace():
        return _SPACE
    if char in _OPENERS:
        return _OPENING
    return _WORD if _is_wordy(char) else _OTHER


def _neighbour(text: str, index: int, step: int) -> int:
    """Index of the nearest visible neighbour (zero-width characters are skipped), or -1."""
    index += step
    while 0 <= index < len(text) and text[index] in _SKIP:
        index += step
    return index if 0 <= index < len(text) else -1


@dataclass
class _QuoteState:
    """Offsets of the quotes still open in the paragraph being scanned, doubles and singles apart."""

    doubles: list[int] = field(default_factory=list)
    singles: list[int] = field(default_factory=list)


def _check_quotes(doc: _Doc) -> Iterator[_Hit]:
    """NR101–NR104: resolve each quote left to right, as an editor reads it, then compare with house style."""
    text, curly = doc.text, doc.config.quotes == "curly"
    resolved: dict[int, str] = {}  # index of a quote's last character -> its kind
    first_of_style: dict[str, int] = {}
    counts: dict[str, int] = {}
    state = _QuoteState()
    current = -1
    for match in _QUOTE.finditer(text):
        start, end, char = match.start(), match.end(), match.group()
        paragraph = doc.paragraph_of(start)
        if paragraph != current:
            if current >= 0:
                yield from _unclosed(doc, current, state)
            state, current = _QuoteState(), paragraph
        style = _STYLE[char]
        counts[style] = counts.get(style, 0) + 1
        first_of_style.setdefault(style, start)

        before, after = _neighbour(text, start, -1), _neighbour(text, end - 1, 1)
        prev_kind = resolved.get(before)
        if prev_kind is not None:
            prev = _OPENING if prev_kind == _OPEN else _OTHER
        else:
            prev = _class_of(text[before] if before >= 0 else None)
        nxt = _OTHER if after >= 0 and text[after] in _STYLE else _class_of(text[after] if after >= 0 else None)

        if char in _DOUBLES:
            kind, hits = _double(char, prev, nxt, state, curly, start, end)
        else:
            elision = prev in (_SPACE, _OPENING) and bool(_ELISION.match(text, end))
            kind, hits = _single(char, prev, nxt, elision, state, curly, start, end)
        resolved[end - 1] = kind
        yield from hits
    if current >= 0:
        yield from _unclosed(doc, current, state)
    if len(counts) > 1:
        ordered = sorted(first_of_style.items(), key=lambda item: item[1])
        summary = ", ".join(f"{counts[style]} {style}" for style, _ in ordered)
        yield _Hit(ordered[1][1], "NR103", f"mixed quote styles ({summary}); house style is {doc.config.quotes}")


def _double(
    char: str, prev: int, nxt: int, state: _QuoteState, curly: bool, start: int, end: int
) -> tuple[str, list[_Hit]]:
    if prev in (_SPACE, _OPENING):
        kind = _AMBIGUOUS if nxt == _SPACE else _OPEN
    elif nxt == _WORD:
        kind = _CLOSE if state.doubles else _OPEN  # `word"word`: the open quotes decide
    else:
        kind = _CLOSE
    hit: _Hit | None = None
    if not curly:
        if char != '"':
            hit = _Hit(start, "NR102", f'{_name(char)}: house style is straight "', Fix(start, end, '"'))
        if kind == _AMBIGUOUS:
            kind = _CLOSE if state.doubles else _OPEN
    elif char in ('"', "``"):
        if kind == _AMBIGUOUS:
            kind = _CLOSE if state.doubles else _OPEN
            hit = _Hit(start, "NR102", f"{_name(char)} between spaces: use “ or ” (which way is for you to say)")
        else:
            want = "“" if kind == _OPEN else "”"
            hit = _Hit(start, "NR102", f"{_name(char)}: use {want}", Fix(start, end, want))
    else:
        clearly_open = prev in (_SPACE, _OPENING) and nxt != _SPACE
        clearly_close = prev not in (_SPACE, _OPENING) and nxt != _WORD
        if char == "”" and clearly_open:
            hit = _Hit(start, "NR102", "closing quote ” opens a quote: use “", Fix(start, end, "“"))
            kind = _OPEN
        elif char == "“" and clearly_close:
            hit = _Hit(start, "NR102", "opening quote “ closes a quote: use ”", Fix(start, end, "”"))
            kind = _CLOSE
        else:
            kind = _OPEN if char == "“" else _CLOSE
    hits = [hit] if hit is not None else []
    if kind == _OPEN:
        state.doubles.append(start)
    elif state.doubles:
        state.doubles.pop()
    else:
        hits.append(_Hit(start, "NR104", "closing quote without an opening one in this paragraph"))
    return kind, hits


def _single(
    char: str, prev: int, nxt: int, elision: bool, state: _QuoteState, curly: bool, start: int, end: int
) -> tuple[str, list[_Hit]]:
    if prev == _WORD and nxt == _WORD:
        kind = _APOS
    elif prev in (_SPACE, _OPENING):
        kind = _AMBIGUOUS if nxt == _SPACE else (_APOS if elision else _OPEN)
    else:
        kind = _CLOSE if state.singles else _APOS
    if char == "’" and kind == _OPEN:
        kind = _APOS  # ’90s, ’em: a curly apostrophe at the start of a word is an elision
    if char == "‘" and kind == _AMBIGUOUS:
        kind = _OPEN
    hit: _Hit | None = None
    code = "NR101" if kind == _APOS else "NR102"
    if not curly:
        if char != "'":
            hit = _Hit(start, code, f"{_name(char)}: house style is straight '", Fix(start, end, "'"))
    elif kind == _AMBIGUOUS:
        if char != "’":
            hit = _Hit(start, "NR102", f"{_name(char)} between spaces: use ‘ or ’ (which way is for you to say)")
    else:
        want = "‘" if kind == _OPEN else "’"
        if char != want:
            what = "an apostrophe" if kind == _APOS else ("an opening quote" if kind == _OPEN else "a closing quote")
            hit = _Hit(start, code, f"{_name(char)} used as {what}: use {want}", Fix(start, end, want))
    if kind == _OPEN:
        state.singles.append(start)
    elif kind == _CLOSE and state.singles:
        state.singles.pop()
    return kind, [hit] if hit is not None else []


def _name(char: str) -> str:
    return {
        '"': 'straight double quote "',
        "'": "straight single quote '",
        "`": "backtick `",
        "``": "double backtick ``",
        "´": "acute accent ´",
        "‘": "curly quote ‘",
        "’": "curly apostrophe ’",
        "“": "curly quote “",
        "”": "curly quote ”",
    }[char]


def _unclosed(doc: _Doc, paragraph: int, state: _QuoteState) -> Iterator[_Hit]:
    """NR104 for quotes still open at the end of a paragraph, unless the next paragraph opens one again."""
    if not state.doubles and not state.singles:
        return
    following = doc.paragraphs[paragraph + 1][0] if paragraph + 1 < len(doc.paragraphs) else -1
    opener = doc.text[following] if following >= 0 else ""
    if state.doubles and opener not in ('"', "“", "`"):
        yield _Hit(state.doubles[0], "NR104", "quote opened here is not closed in this paragraph")
    if state.singles and opener not in ("'", "‘", "`"):
        yield _Hit(state.singles[0], "NR104", "single quote opened here is not closed in this paragraph")


# -- typography: brackets ---------------------------------------------------------------------------------
_BRACKET = re.compile(r"[()\[\]{}]")
_PAIRS = {")": "(", "]": "[", "}": "{"}
_LIST_MARKER = re.compile(r"(?:^|\n)[^\S\n]*(?:\w{1,3}|[০-৯]{1,3})\)")


def _check_brackets(doc: _Doc) -> Iterator[_Hit]:
    """NR105, per paragraph; `1)` and `a)` at the start of a line are list markers, not brackets."""
    text = doc.text
    for start, end in doc.paragraphs:
        markers = {m.end() - 1 for m in _LIST_MARKER.finditer(text, start, end)}
        stack: list[int] = []
        for match in _BRACKET.finditer(text, start, end):
            char, at = match.group(), match.start()
            if char in "([{":
                stack.append(at)
            elif at in markers:
                continue
            elif not stack:
                yield _Hit(at, "NR105", f"closing {char} without an opening {_PAIRS[char]}")
            elif text[stack[-1]] != _PAIRS[char]:
                yield _Hit(at, "NR105", f"closing {char} does not match the opening {text[stack.pop()]}")
            else:
                stack.pop()
        for at in stack:
            yield _Hit(at, "NR105", f"opening {text[at]} is not closed in this paragraph")


# -- typography: spaces and invisible characters ----------------------------------------------------------------
# Only runs worth a look: a special space or tab in it, two or more spaces, or before a newline or punctuation.
# Each match is a whole run, because every run that matches at all matches from its first character.
_HSPACE = re.compile(r"[^\S\n]*[^\S\n ][^\S\n]*| {2,}| (?=[\n,;:!?।.]|$)")
_PUNCT_AFTER = re.compile(r"(?:[,;:!?।]|\.(?!\.))(?=[\s\"'”’)\]}.,;:!?।]|$)")
_NO_SPACE_AFTER = frozenset("([{“‘\"'`´")


def _check_spaces(doc: _Doc) -> Iterator[_Hit]:
    """NR106/107/109/110: each run of horizontal whitespace gets at most one finding, so fixes never overlap."""
    text = doc.text
    for match in _HSPACE.finditer(text):
        run, start, end = match.group(), match.start(), match.end()
        special = next((c for c in run if c in _SPECIAL_SPACES), None)
        if start == 0 or text[start - 1] == "\n":
            if special is not None:  # indentation stays, in ordinary spaces
                fixed = "".join(" " if c in _SPECIAL_SPACES else c for c in run)
                yield _Hit(
                    start, "NR107", f"special space {_describe(special)}: use an ordinary space", Fix(start, end, fixed)
                )
        elif end == len(text) or text[end] == "\n":
            if special is not None:
                message = f"special space {_describe(special)} at the end of a line: remove it"
                yield _Hit(start, "NR107", message, Fix(start, end, ""))
            else:
                yield _Hit(start, "NR109", "trailing whitespace", Fix(start, end, ""))
        elif text[start - 1] not in _NO_SPACE_AFTER and _PUNCT_AFTER.match(text, end):
            yield _Hit(start, "NR110", f"space before {text[end]!r}", Fix(start, end, ""))
        elif special is not None:
            yield _Hit(
                start, "NR107", f"special space {_describe(special)}: use an ordinary space", Fix(start, end, " ")
            )
        elif run != " ":
            what = "tab inside a line" if "\t" in run else "double space"
            yield _Hit(start, "NR106", what, Fix(start, end, " "))


_INVISIBLE_RE = re.compile(r"[\u200b\u2060\ufeff\u00ad\u200c\u200d]")


def _joiner_belongs(text: str, index: int) -> bool:
    """ZWJ/ZWNJ inside a word of a joining script (Bengali conjuncts, র‍্য), or in an emoji sequence."""
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if any(c and (unicodedata.category(c) in ("So", "Sk") or c == "\ufe0f") for c in (before, after)):
        return True
    return all(c and ord(c) >= 0x370 and (c.isalpha() or unicodedata.category(c)[0] == "M") for c in (before, after))


def _check_invisible(doc: _Doc) -> Iterator[_Hit]:
    """NR108: characters nobody can see in a terminal, which break search and spelling."""
    text = doc.text
    for match in _INVISIBLE_RE.finditer(text):
        at, char = match.start(), match.group()
        if char in _JOINERS and _joiner_belongs(text, at):
            continue
        yield _Hit(
            at, "NR108", f"invisible {_INVISIBLE_NAMES[char]} ({_describe(char)}): remove it", Fix(at, at + 1, "")
        )


# -- paragraph endings ---------------------------------------------------------------------------------------
_EXEMPT_LINE = re.compile(r"#|[-*+•]\s|(?:\d{1,3}|[০-৯]{1,3})[.)]\s|\*\*.*\*\*$|__.*__$")


def _check_paragraph_ends(doc: _Doc) -> Iterator[_Hit]:
    """NR111/NR112; the headline is exempt, and so are headings, list items and bold crossheads."""
    if doc.field == "headline":
        return
    text = doc.text
    for start, end in doc.paragraphs:
        last_line = text[text.rfind("\n", start, end) + 1 : end].strip()
        if _EXEMPT_LINE.match(last_line):
            continue
        core = end
        while core > start and (text[core - 1] in _CLOSERS or text[core - 1] in _SKIP or text[core - 1].isspace()):
            core -= 1
        if core == start:
            continue
        final = text[core - 1]
        if final in _FINAL or final == ":":
            continue
        if final == ",":
            yield _Hit(core - 1, "NR112", "paragraph ends in a comma: is something missing?")
        else:
            stop = "।" if _bengali_letters_win(text[start:end], doc.language) else "a full stop"
            yield _Hit(core - 1, "NR111", f"paragraph ends without final punctuation ({stop}, ? or !)")


# -- language -----------------------------------------------------------------------------------------------
_REPEAT = re.compile(
    rf"(?<!{_W})(?<!['’-])({_W}+)(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)(\1)(?!{_W})(?!['’-]\w)", re.IGNORECASE
)
# Grammatical repeats: English "had had", "that that"; Bengali reduplication is everyday grammar.
_REPEAT_OK = frozenset(
    unicodedata.normalize("NFC", word).casefold()
    for word in (
        "had",
        "that",
        "ধীরে",
        "আস্তে",
        "মাঝে",
        "বড়",
        "বড়ো",
        "ছোট",
        "ছোটো",
        "কে",
        "কী",
        "কি",
        "কোথায়",
        "কখন",
        "কেন",
        "যার",
        "যে",
        "যা",
        "যেখানে",
        "নিজ",
        "ভিন্ন",
        "আলাদা",
        "দিন",
        "ঘরে",
        "সঙ্গে",
        "সাথে",
        "মনে",
        "হাতে",
        "দলে",
        "থেকে",
        "একে",
        "ধাপে",
        "বছর",
        "হাজার",
        "লাখ",
        "লক্ষ",
        "কোটি",
        "শত",
        "টুকরো",
        "পাশে",
        "কাছে",
        "জায়গায়",
        "গ্রামে",
        "বারে",
        "ঘন",
        "চুপ",
        "গরম",
        "নতুন",
        "বার",
        "রাশি",
        "ঝাঁকে",
        "লাল",
        "সারি",
        "কাঁদো",
        "হাসি",
        "কোথাও",
        "কেউ",
        "কিছু",
        "কোনো",
        "কোন",
        "কত",
        "কার",
        "কবে",
        "কাকে",
        "এক",
        "একটু",
        "অল্প",
        "বেশি",
        "ভালো",
        "ঠিক",
        "সব",
        "যখন",
        "তখন",
        "এখন",
        "টুক",
        "হু",
        "হা",
        "ছি",
    )
)


def _check_repeated_words(doc: _Doc) -> Iterator[_Hit]:
    """NR201: a word typed twice; reported, not fixed, because some repeats are meant."""
    for match in _REPEAT.finditer(doc.text):
        word = match.group(1)
        if not any(c.isalpha() for c in word):
            continue
        if unicodedata.normalize("NFC", word).casefold() in _REPEAT_OK:
            continue
        yield _Hit(match.start(2), "NR201", f"repeated word {word!r}")


_SENTENCE_END = re.compile(r"[.!?।॥…]+[\"'”’)\]]*(?=\s|$)")
_EN_ABBREVIATIONS = frozenset(
    (
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "capt",
        "sgt",
        "maj",
        "gov",
        "govt",
        "sen",
        "rep",
        "rev",
        "hon",
        "inc",
        "ltd",
        "co",
        "corp",
        "plc",
        "no",
        "nos",
        "vs",
        "etc",
        "approx",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mt",
        "ft",
        "fig",
        "dept",
        "est",
        "univ",
        "ave",
        "rd",
        "blvd",
    )
)
_BN_ABBREVIATIONS = frozenset(
    unicodedata.normalize("NFC", word)
    for word in (
        "মো",
        "মোহা",
        "মোসা",
        "মোছা",
        "ডা",
        "ড",
        "মি",
        "মিস",
        "মিসেস",
        "খ্রি",
        "লি",
        "প্রা",
        "সা",
        "রা",
        "রহ",
        "আ",
        "অ্যাড",
        "প্রফে",
        "ইঞ্জি",
        "পৃ",
        "সং",
        "তা",
        "ইং",
        "বাং",
        "অব",
        "নং",
        # English letter names used as initials; those that are words too are _BN_AMBIGUOUS_LETTERS.
        *(name for name in ENGLISH_LETTER_NAMES if name not in LETTER_NAMES_THAT_ARE_WORDS),
    )
)
_BN_AMBIGUOUS_LETTERS = frozenset(unicodedata.normalize("NFC", w) for w in LETTER_NAMES_THAT_ARE_WORDS)


def _token_before(text: str, dot: int) -> tuple[int, str]:
    """(start, token) of the run of non-space characters that ends at `dot`."""
    start = dot
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return start, text[start:dot]


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at `dot` ends an abbreviation or an initial rather than a sentence."""
    start, token = _token_before(text, dot)
    token = token.lstrip("([{\"'“‘")
    if not token:
        return False
    if "." in token:  # U.S., a.m., বি.এ.
        return True
    if len(token) == 1 and token.isalpha() and not _is_bengali_char(token):
        return True
    if token.casefold() in _EN_ABBREVIATIONS:
        return True
    normal = unicodedata.normalize("NFC", token)
    if normal in _BN_ABBREVIATIONS:
        return True
    if normal in _BN_AMBIGUOUS_LETTERS:  # এ. কে. ফজলুল হক: initials come in runs
        after = re.match(r"\s+(\S+?)\.(?=\s)", text[dot + 1 : dot + 40])
        if after and unicodedata.normalize("NFC", after.group(1)) in _BN_AMBIGUOUS_LETTERS | _BN_ABBREVIATIONS:
            return True
        before = text[max(0, start - 12) : start].rstrip()
        if before.endswith("."):
            _, previous = _token_before(before, len(before) - 1)
            if unicodedata.normalize("NFC", previous) in _BN_AMBIGUOUS_LETTERS | _BN_ABBREVIATIONS:
                return True
    return False


def _sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans in text[start:end]; a stop after an abbreviation or before a lower-case word goes on."""
    begin = start
    for match in _SENTENCE_END.finditer(text, start, end):
        stop = match.start()
        if text[stop] == "." and match.group().count(".") == 1 and _is_abbreviation(text, stop):
            continue
        following = text[match.end() : match.end() + 3].lstrip()
        if following[:1].islower():
            continue
        yield begin, match.end()
        begin = match.end()
    if text[begin:end].strip():
        yield begin, end


def _check_sentence_length(doc: _Doc) -> Iterator[_Hit]:
    """NR202: long sentences lose readers; the limit is `max_sentence_words`."""
    if doc.field == "headline":
        return
    limit, text = doc.config.max_sentence_words, doc.text
    for paragraph_start, paragraph_end in doc.paragraphs:
        for start, end in _sentences(text, paragraph_start, paragraph_end):
            words = count_words(text[start:end])
            if words > limit:
                while text[start].isspace():
                    start += 1
                yield _Hit(start, "NR202", f"sentence of {words} words (the limit is {limit}): consider splitting it")


def _check_headline_length(doc: _Doc) -> Iterator[_Hit]:
    """NR203, at the first character over the limit."""
    limit = doc.config.headline_limit
    if doc.field == "headline" and len(doc.text) > limit:
        yield _Hit(limit, "NR203", f"headline is {len(doc.text)} characters; the limit is {limit}")


# -- house words -----------------------------------------------------------------------------------------------
def _phrase_key(phrase: str) -> str:
    return " ".join(unicodedata.normalize("NFC", phrase).split()).casefold()


def _phrase_regex(phrase: str) -> str:
    return r"\s+".join(re.escape(part) for part in unicodedata.normalize("NFC", phrase).split())


@lru_cache(maxsize=32)
def _word_pattern(wrongs: tuple[str, ...]) -> re.Pattern[str] | None:
    if not wrongs:
        return None
    alternatives = "|".join(_phrase_regex(w) for w in sorted(wrongs, key=len, reverse=True))
    return re.compile(rf"(?<!{_W})(?:{alternatives})(?!{_W})(?!\.\w)", re.IGNORECASE)


@lru_cache(maxsize=32)
def _keep_pattern(keep: tuple[str, ...]) -> re.Pattern[str] | None:
    if not keep:
        return None
    return re.compile(r"|".join(_phrase_regex(k) for k in keep), re.IGNORECASE)


def _match_case(found: str, right: str) -> str:
    """Upper-case first letter (or all capitals) follows the text; otherwise the table's spelling."""
    letters = [c for c in found if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return right.upper()
    if found[:1].isupper():
        return right[:1].upper() + right[1:]
    return right


def _in_address(text: str, start: int, end: int) -> bool:
    """Inside a URL or an e-mail address, where a spelling is part of an address."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    token = text[left:right]
    return "://" in token or token.lower().startswith("www.") or "@" in token


def _check_house_words(doc: _Doc) -> Iterator[_Hit]:
    """NR204: the desk's spellings, whole words only; official names in `keep` stay as they are."""
    config, text = doc.config, doc.text
    pattern = _word_pattern(tuple(config.words))
    if pattern is None:
        return
    lookup = {_phrase_key(wrong): right for wrong, right in config.words.items()}
    keep = _keep_pattern(tuple(config.keep))
    kept = [(m.start(), m.end()) for m in keep.finditer(text)] if keep is not None else []
    for match in pattern.finditer(text):
        start, end, found = match.start(), match.end(), match.group()
        if "\n\n" in found.replace(" ", "") or _in_address(text, start, end):
            continue
        if any(k_start <= start and end <= k_end for k_start, k_end in kept):
            continue
        right = lookup.get(_phrase_key(found))
        if right is None:
            continue
        replacement = _match_case(found, right)
        if replacement != found:
            yield _Hit(start, "NR204", f"house style: {replacement!r}, not {found!r}", Fix(start, end, replacement))


# -- Bangla -----------------------------------------------------------------------------------------------------
_BN_FULL_STOP = re.compile(r"(?<=[\u0980-\u09ff])\.(?=[\s\"'”’)\]}]|$)")


def _check_dari(doc: _Doc) -> Iterator[_Hit]:
    """NR301: a Bengali sentence ends with the dari; decimals, abbreviations and list numbers keep their stop."""
    text = doc.text
    for match in _BN_FULL_STOP.finditer(text):
        dot = match.start()
        start, token = _token_before(text, dot)
        if token and all(c in _BN_DIGITS for c in token) and (start == 0 or text[start - 1] == "\n"):
            continue  # ১. at the start of a line numbers a list
        if _is_abbreviation(text, dot):
            continue
        yield _Hit(dot, "NR301", "a Bengali sentence ends with । (dari), not a full stop", Fix(dot, dot + 1, "।"))


_NUMBER = re.compile(r"[0-9০-৯]+(?:[.,:/][0-9০-৯]+)*")


def _nearest_letter(text: str, index: int, stop: int, step: int) -> str | None:
    while index != stop:
        if text[index].isalpha():
            return text[index]
        index += step
    return None


def _check_mixed_digits(doc: _Doc) -> Iterator[_Hit]:
    """NR302: `১2৩` reads wrong in both editions; the words around the number decide which digits stay.

    The nearest letter on each side decides when they agree (or only one exists); otherwise the
    paragraph's letters, then the story's language, so `দাম ১2৩ টাকা` in an English story gets ১২৩.
    """
    text = doc.text
    for match in _NUMBER.finditer(text):
        number = match.group()
        if not (any(c in _BN_DIGITS for c in number) and any("0" <= c <= "9" for c in number)):
            continue
        start, end = doc.paragraphs[doc.paragraph_of(match.start())]
        sides = {
            _is_bengali_char(letter)
            for letter in (
                _nearest_letter(text, match.start() - 1, start - 1, -1),
                _nearest_letter(text, match.end(), end, 1),
            )
            if letter is not None
        }
        bengali = sides.pop() if len(sides) == 1 else _bengali_letters_win(text[start:end], doc.language)
        fixed = number.translate(_TO_BN if bengali else _TO_ASCII)
        script = "Bengali" if bengali else "ASCII"
        yield _Hit(
            match.start(),
            "NR302",
            f"Bengali and ASCII digits mixed in {number!r}: use {script} digits",
            Fix(match.start(), match.end(), fixed),
        )


_CHECKS: tuple[Callable[[_Doc], Iterable[_Hit]], ...] = (
    _check_quotes,
    _check_brackets,
    _check_spaces,
    _check_invisible,
    _check_paragraph_ends,
    _check_repeated_words,
    _check_sentence_length,
    _check_headline_length,
    _check_house_words,
    _check_dari,
    _check_mixed_digits,
)


# -- the API -----------------------------------------------------------------------------------------------------
def _check_spelling(text: str, spelling: Spelling) -> Iterator[_Hit]:
    """NR401/NR402: words no dictionary knows (names and the desk's words left out; text/spelling.py)."""
    for miss in spelling.speller.check(text, spelling.names):
        suggestions = tuple(spelling.speller.suggest(miss.word)) if spelling.suggest else ()
        language = "Bangla" if miss.language == "bn" else "English"
        message = f"{miss.word!r} is not in the {language} dictionary"
        if suggestions:
            message += f"; did you mean {', '.join(suggestions)}?"
        elif spelling.suggest:
            message += "; no close word found"
        else:
            message += " (F7 on the desk: suggestions)"
        code = "NR402" if miss.language == "bn" else "NR401"
        yield _Hit(miss.start, code, message, None, miss.word, suggestions)


def check_text(
    text: str,
    field: str,
    config: CopydeskConfig | None = None,
    language: str = "en",
    *,
    spelling: Spelling | None = None,
) -> list[Finding]:
    """Every finding in one field's text, in reading order.  `field` is "headline", "summary" or "body";
    with `spelling`, the spelling findings too."""
    config = config or CopydeskConfig()
    if not text:
        return []
    doc = _Doc(text, field, config, language)
    found = [hit for check in _CHECKS for hit in check(doc)]
    if spelling is not None:
        # A house spelling (Bogra → Bogura) is reported once, as NR204, with its fix.
        house = [(hit.fix.start, hit.fix.end) for hit in found if hit.code == "NR204" and hit.fix is not None]
        found.extend(hit for hit in _check_spelling(text, spelling) if not any(a <= hit.offset < b for a, b in house))
    hits = sorted(found, key=lambda h: (h.offset, h.code))
    line_starts = [0, *(m.end() for m in re.finditer("\n", text))]
    findings = []
    for hit in hits:
        line = bisect.bisect_right(line_starts, hit.offset)
        findings.append(
            Finding(
                code=hit.code,
                field=field,
                paragraph=doc.paragraph_of(hit.offset) + 1,
                line=line,
                column=hit.offset - line_starts[line - 1] + 1,
                message=hit.message,
                fix=hit.fix,
                word=hit.word,
                suggestions=hit.suggestions,
            )
        )
    return findings


def check_story(
    story: Story,
    config: CopydeskConfig | None = None,
    speller: Speller | None = None,
    *,
    suggest: bool = True,
    ignored: Iterable[str] = (),
) -> list[Finding]:
    """Findings for the headline, the summary and the body, in that order; spelling too with a `speller`."""
    spelling = Spelling(speller, story_names(story, ignored), suggest) if speller is not None else None
    return [
        finding
        for name in FIELDS
        for finding in check_text(getattr(story, name), name, config, story.language, spelling=spelling)
    ]


def apply_fixes(text: str, findings: Sequence[Finding]) -> str:
    """Apply the fixes of one field's findings, right to left; of two overlapping fixes the left one wins.

    Findings without a fix are ignored.  Fixes that were skipped show up again on the next check;
    `fix_text` repeats until nothing is left to fix.
    """
    fields = {finding.field for finding in findings if finding.fix is not None}
    if len(fields) > 1:
        raise ValueError(f"apply_fixes works on one field at a time, not {', '.join(sorted(fields))}")
    fixes = sorted({finding.fix for finding in findings if finding.fix is not None})
    for fix in fixes:
        if not 0 <= fix.start <= fix.end <= len(text):
            raise ValueError(f"fix {fix} lies outside a text of {len(text)} characters")
    chosen: list[Fix] = []
    limit = -1
    for fix in fixes:  # left to right, keeping the first of overlapping fixes
        if fix.start >= limit:
            chosen.append(fix)
            limit = max(fix.end, fix.start + (fix.start == fix.end))
    parts: list[str] = []
    position = len(text)
    for fix in reversed(chosen):
        parts.append(text[fix.end : position])
        parts.append(fix.replacement)
        position = fix.start
    parts.append(text[:position])
    return "".join(reversed(parts))


def fix_text(text: str, field: str, config: CopydeskConfig | None = None, language: str = "en") -> str:
    """All safe fixes, repeated until none is left (one pass almost always does it)."""
    for _ in range(MAX_FIX_PASSES):
        fixable = [finding for finding in check_text(text, field, config, language) if finding.fix is not None]
        if not fixable:
            break
        fixed = apply_fixes(text, fixable)
        if fixed == text:
            break
        text = fixed
    return text


def fix_story(story: Story, config: CopydeskConfig | None = None) -> Story:
    """A copy of `story` with every safe fix applied to the headline, the summary and the body."""
    changes = {name: fix_text(getattr(story, name), name, config, story.language) for name in FIELDS}
    return story.copy(**changes)


# -- output ---------------------------------------------------------------------------------------------------
def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    rank = {name: index for index, name in enumerate(FIELDS)}
    return sorted(findings, key=lambda f: (rank.get(f.field, len(FIELDS)), f.field, f.line, f.column, f.code))


def format_findings(name: str, findings: Iterable[Finding]) -> list[str]:
    """Linter lines, `NAME:FIELD:LINE:COL: CODE message`; LINE and COL are within the field's text."""
    return [f"{name}:{f.field}:{f.line}:{f.column}: {f.code} {f.message}" for f in _ordered(findings)]


def finding_to_dict(name: str, finding: Finding) -> dict[str, Any]:
    """One finding as JSON-ready data, with the story's name and whether it can be fixed safely."""
    fix = finding.fix
    row: dict[str, Any] = {
        "story": name,
        "code": finding.code,
        "field": finding.field,
        "paragraph": finding.paragraph,
        "line": finding.line,
        "column": finding.column,
        "message": finding.message,
        "fixable": fix is not None,
        "fix": None if fix is None else {"start": fix.start, "end": fix.end, "replacement": fix.replacement},
    }
    if finding.is_spelling:
        row["word"] = finding.word
        row["suggestions"] = list(finding.suggestions)
    return row


def findings_to_json(results: Mapping[str, Iterable[Finding]]) -> str:
    """`--format json`: one array of findings for all the stories checked, keyed by story name."""
    rows = [finding_to_dict(name, finding) for name, findings in results.items() for finding in _ordered(findings)]
    return json.dumps(rows, ensure_ascii=False, indent=2)
