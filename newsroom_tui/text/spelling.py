"""Spelling for English and Bangla copy: words, normal forms, inflection, names, and suggestions.

Plain Python over word sets: the dictionaries' files are read by `storage.dictionaries`, which hands
this module a `Lexicon` per language.  A pure word set beat Hunspell-in-Python (spylls) on every budget
we measured (README, "Copy desk"): a lookup is a set membership test, a 1,500-word story is checked in
a few milliseconds, and the suggester below answers in milliseconds where spylls took 0.4 s.

Bangla, which no stock checker handles for news copy:
* Normal form before lookup (both sides): NFC, which splits the nukta letters য় ড় ঢ় (U+09DF, U+09DC,
  U+09DD) into letter + nukta as many keyboards type them; ZWJ/ZWNJ dropped (a khanda ta typed as
  ত + ্ + ZWJ becomes ৎ first).
* Inflection: a word passes when a known stem plus a known ending makes it (`-ে`, `-র/-এর`, `-রা`,
  `-দের`, `-টি`, `-গুলো`, `-গুলোতে`, `-কে`, `-তে`, `-য়`, emphatic `-ই/-ও`, verb endings…).  A noun
  ending on a consonant takes `ে`-forms (`ঈদ` → `ঈদে`, `ইলিশের`), one on a vowel takes `য়`/`র` forms
  (`ঢাকায়`, `বৃষ্টির`).
* Numbers in either digit script, and a number glued to a classifier (`১০টি`, `5th`), are skipped.

English: a word in lower case in the dictionary passes capitalised or in capitals; a capitalised entry
(`Paris`) must be capitalised.  Words in capitals (`BGMEA`, `UN`) are taken for acronyms.

Names (what is not flagged though no dictionary has it):
* a word in the story's own metadata (byline, source, credit, dateline, sign-off, tags), or in the desk
  dictionary (names and words the desk added) or the editor's own list;
* in English, a capitalised word the story uses consistently: every time it appears it is capitalised,
  and at least once it is not the first word of a sentence (a capital mid-sentence is a name; a
  misspelling at the start of a sentence is still caught).

Suggestions: candidates one edit away, plus words that share a "sound key" (English: doubled letters
collapsed and vowel runs merged, so `tommorow`/`tomorrow` and `definately`/`definitely` meet; Bangla:
ি/ী, ু/ূ, ন/ণ, শ/ষ/স, জ/য, র/ড়, ং/ঙ merged and the ya- and ba-phala dropped, so `মুহুর্ত`/`মুহূর্ত`,
`উজ্জল`/`উজ্জ্বল`, `স্বাস্থ`/`স্বাস্থ্য` meet), ranked by an edit distance in which those
confusions cost less.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from newsroom_tui.text.bangla import ENGLISH_LETTER_NAMES

MAX_SUGGESTIONS = 5

# -- normal forms -------------------------------------------------------------------------------------------
_JOINERS = str.maketrans("", "", "\u200c\u200d")
_APOSTROPHES = str.maketrans({"’": "'", "`": "'", "´": "'", "ʼ": "'"})


def is_bengali_char(char: str) -> bool:
    return "\u0980" <= char <= "\u09ff"


def normalise(word: str) -> str:
    """The form words are looked up in: NFC, joiners dropped, one apostrophe.  Dictionaries get the same."""
    if "\u200d" in word:
        word = word.replace("ত্\u200d", "ৎ")
    return unicodedata.normalize("NFC", word.translate(_JOINERS)).translate(_APOSTROPHES)


# -- words in a text ------------------------------------------------------------------------------------------
_BN_DIGITS = "০১২৩৪৫৬৭৮৯"
# A word: letters and marks of either script, joined by apostrophes and hyphens inside it.  Digits are
# taken in so that `১০টি`, `COVID-19` and `5th` are one token, then skipped or split below.
_TOKEN = re.compile(
    r"[A-Za-z0-9\u0980-\u09ff\u00c0-\u024f\u200c\u200d]+"
    r"(?:['’`][A-Za-z\u00c0-\u024f]+)*"
)
# Where a URL or an e-mail address may be: found by these rare anchors, then widened to the spaces
# around them (a regex that tried every position cost more than the rest of the check).
_URL_ANCHOR = re.compile(r"://|www\.|@|\.(?:com|org|net|bd|gov|edu|info|io|uk|in)\b", re.IGNORECASE)
_SENTENCE_END = frozenset(".!?।॥…:")
_DIGIT = re.compile(rf"[0-9{_BN_DIGITS}]")


class Token(NamedTuple):
    """A word of the text: where it starts, what it says, whether it opens a sentence."""

    start: int
    text: str
    sentence_start: bool


def _url_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for anchor in _URL_ANCHOR.finditer(text):
        start, end = anchor.start(), anchor.end()
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < len(text) and not text[end].isspace():
            end += 1
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


@lru_cache(maxsize=8)
def tokens(text: str) -> tuple[Token, ...]:
    """The words of `text` worth spelling, in order (URLs, e-mail addresses and numbers left out).

    The last few texts' tokens are remembered: a check tokenises the body for its names and again for
    its words, and the desk checks the same headline and summary after every pause in typing."""
    return tuple(_tokens(text))


def _tokens(text: str) -> Iterator[Token]:
    skip = _url_spans(text)
    skip_index = 0
    last_end = 0
    sentence_start = True
    ends = _SENTENCE_END
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if start > last_end + 1:
            between = text[last_end:start]
            if not ends.isdisjoint(between) or "\n\n" in between:
                sentence_start = True
        elif start == last_end + 1 and text[last_end] in ends:
            sentence_start = True
        last_end = end
        if skip:
            while skip_index < len(skip) and skip[skip_index][1] <= start:
                skip_index += 1
            if skip_index < len(skip) and skip[skip_index][0] <= start:
                continue
        word = match.group()
        opens = sentence_start
        sentence_start = False
        if _DIGIT.search(word):
            # A number, or a number glued to a classifier or suffix (১০টি, 5th): not a word to spell.
            continue
        yield Token(start, word, opens)


def _script(word: str) -> str:
    return "bn" if any(is_bengali_char(char) for char in word) else "en"


# -- Bangla inflection --------------------------------------------------------------------------------------
_HASANTA = "\u09cd"
_VOWEL_SIGNS = frozenset("ািীুূৃেৈোৌ")
# Endings that attach after any stem (the stem as written, no sign taken off).
_BN_CLASSIFIERS = ("টি", "টা", "টো", "খানা", "খানি", "গুলো", "গুলি", "গুলা", "গণ", "বৃন্দ", "সমূহ", "দের", "রা", "এরা")
_BN_CASES = ("র", "এর", "কে", "তে", "য়", "য়ে", "ে", "ের", "েরা", "েরই", "রই", "ই", "ও", "তেই", "কেই", "েই", "টাই")
_BN_AFTER = ("ই", "ও", "টুকু", "মাত্র", "সহ", "ভিত্তিক", "কালে", "কালীন", "গত", "জনিত", "মূলক", "যোগ্য", "বাসী")


def _bn_endings() -> tuple[str, ...]:
    endings = set(_BN_CLASSIFIERS) | set(_BN_CASES) | set(_BN_AFTER)
    for classifier in _BN_CLASSIFIERS:
        for case in ("র", "কে", "তে", "তেই", "ই", "ও", "রই", "য়", "কেই"):
            endings.add(classifier + case)
    for case in ("র", "ের", "কে", "তে", "ে", "য়"):
        for after in ("ই", "ও"):
            endings.add(case + after)
    for after in _BN_AFTER:
        for case in ("র", "ের", "ে", "য়", "তে", "ও", "ই"):
            endings.add(after + case)
    return tuple(sorted((normalise(e) for e in endings), key=len, reverse=True))


_BN_ENDINGS = _bn_endings()
# Verb endings on a root (করা → কর-): present, past, future, perfect, continuous, habitual, non-finite.
_BN_VERB_ENDINGS = tuple(
    sorted(
        {
            normalise(e)
            for e in (
                "ি",
                "ে",
                "েন",
                "িস",
                "ো",
                "ছি",
                "ছে",
                "ছেন",
                "ছিস",
                "ছো",
                "েছি",
                "েছে",
                "েছেন",
                "েছিল",
                "েছিলেন",
                "েছিলাম",
                "িয়েছে",
                "িয়েছেন",
                "িল",
                "িলেন",
                "িলাম",
                "ল",
                "লেন",
                "লাম",
                "লো",
                "ছিল",
                "ছিলেন",
                "ছিলাম",
                "ছিলো",
                "তেন",
                "তাম",
                "ত",
                "তো",
                "বে",
                "বেন",
                "ব",
                "বো",
                "বি",
                "তে",
                "লে",
                "া",
                "ার",
                "ায়",
                "ানো",
                "ানোর",
                "ানোয়",
                "াতে",
                "িয়ে",
                "েই",
                "েও",
                "ুন",
                "ুক",
                "ক",
                "ন",
                "ছিলেন",
                "ছেনই",
                "বেই",
                "বেও",
                "তেই",
                "লেই",
                "লেও",
                "ারই",
                "াই",
                "াও",
                "ায়ও",
                "ানোই",
            )
        },
        key=len,
        reverse=True,
    )
)


def bangla_stems(word: str) -> Iterator[str]:
    """Candidate dictionary forms of an inflected Bangla word (the word itself first)."""
    yield word
    for ending in _BN_ENDINGS:
        if len(word) - len(ending) >= 2 and word.endswith(ending):
            stem = word[: -len(ending)]
            yield stem
            if ending.startswith("য়") or ending.startswith("র"):
                continue
            # `ে`-forms on a consonant stem leave the stem bare; on a stem the dictionary has with
            # a final vowel sign (`বাড়ি` + তে) the stem is already whole.
            if stem and stem[-1] in _VOWEL_SIGNS:
                continue
    for ending in _BN_VERB_ENDINGS:
        if len(word) - len(ending) >= 2 and word.endswith(ending):
            # Only through the verbal noun (করা, দেখা, বলা): a bare root would let a noun's misspelling
            # through as a verb (মন্ত্রি is no verb of মন্ত্র).
            root = word[: -len(ending)]
            yield root + "া"
            yield root + "ানো"


# -- the lexicon ---------------------------------------------------------------------------------------------
@dataclass
class Lexicon:
    """One language's words (normalised), those never suggested, and the suggester's index.

    The index (sound key -> the words sharing it, newline-joined) is built on first use, or read by
    `keys_loader` (the loader's cache) when one is given.
    """

    language: str
    words: frozenset[str]
    no_suggest: frozenset[str] = frozenset()
    keys_loader: Callable[[], dict[str, str] | None] | None = field(default=None, repr=False)
    _keys: dict[str, str] | None = field(default=None, repr=False)

    def __contains__(self, word: object) -> bool:
        return word in self.words

    @property
    def keys(self) -> dict[str, str]:
        if self._keys is None:
            loaded = self.keys_loader() if self.keys_loader is not None else None
            self._keys = loaded if loaded is not None else self.build_keys()
        return self._keys

    def build_keys(self) -> dict[str, str]:
        """About a second for 170,000 words: the loader caches it."""
        keyed: dict[str, list[str]] = {}
        sound_key = _bn_key if self.language == "bn" else _en_key
        for word in self.words:
            if word not in self.no_suggest:
                keyed.setdefault(sound_key(word), []).append(word)
        return {key: "\n".join(found) for key, found in keyed.items()}

    def sounding_like(self, key: str) -> list[str]:
        found = self.keys.get(key)
        return found.split("\n") if found else []


def _en_known(word: str, words: frozenset[str] | set[str]) -> bool:
    if word in words:
        return True
    lower = word.lower()
    if lower != word and lower in words:
        return True  # a common word capitalised, or in capitals
    return word.isupper() and word.capitalize() in words  # PARIS


def en_known(word: str, lexicon: Lexicon, extra: frozenset[str] | set[str] = frozenset()) -> bool:
    """Is this English word (normalised) spelled right?  Possessives and hyphenated compounds too."""
    if _en_known(word, lexicon.words) or (extra and _en_known(word, extra)):
        return True
    for ending in ("'s", "'"):
        if word.endswith(ending) and len(word) > len(ending):
            base = word[: -len(ending)]
            if _en_known(base, lexicon.words) or (extra and _en_known(base, extra)):
                return True
    return False


def _bn_inflected(word: str, words: frozenset[str], extra: frozenset[str] | set[str]) -> bool:
    return any(stem in words or stem in extra for stem in bangla_stems(word))


# Where a Bangla word may be cut in two: not before a sign (vowel sign, hasanta, nukta, candrabindu…)
# and not after a hasanta.
_BN_NO_CUT_BEFORE = frozenset("ািীুূৃৄেৈোৌ্ঁংঃ়ৗ")
MIN_COMPOUND_PART = 2


def bn_known(word: str, lexicon: Lexicon, extra: frozenset[str] | set[str] = frozenset()) -> bool:
    """Is this Bangla word (normalised) known: a word, a known stem with known endings, an English
    acronym spelled in Bangla letters (এআই, বিএনপি), or two known words written as one (বায়ুমান,
    স্কুলশিক্ষক, কয়েকজন; the second may be inflected)?"""
    words = lexicon.words
    if _bn_inflected(word, words, extra) or _is_bn_acronym(word):
        return True
    # The negative -নি on a finite verb: হয়নি, পাননি, পৌঁছায়নি, করেনি.
    if word.endswith("নি") and _letters(word) >= 3 and _bn_inflected(word[:-2], words, extra):
        return True
    for cut in range(MIN_COMPOUND_PART, len(word) - MIN_COMPOUND_PART + 1):
        if word[cut] in _BN_NO_CUT_BEFORE or word[cut - 1] == _HASANTA:
            continue
        head = word[:cut]
        tail = word[cut:]
        if (
            (head in words or head in extra)
            and _letters(head) >= 2
            and _letters(tail) >= 2
            and _bn_inflected(tail, words, extra)
        ):
            # Not when a dictionary word sounds the same: then this is that word misspelt by a common
            # confusion (মন্ত্রনালয় is মন্ত্রণালয়, not মন্ত্রনা + লয়).
            return not lexicon.sounding_like(_bn_key(word))
    return _bn_sandhi(word, lexicon, extra)


def _bn_sandhi(word: str, lexicon: Lexicon, extra: frozenset[str] | set[str]) -> bool:
    """Two known words joined by vowel sandhi, অ/আ + অ/আ = আ (শ্রদ্ধা + অঞ্জলি = শ্রদ্ধাঞ্জলি, হিম + আলয় =
    হিমালয়): the list has some such compounds (কৃতাঞ্জলি), never all."""
    words = lexicon.words
    for cut, char in enumerate(word):
        if char != "া" or cut < MIN_COMPOUND_PART or len(word) - cut - 1 < MIN_COMPOUND_PART:
            continue
        rest = word[cut + 1 :]
        if rest[:1] in _BN_NO_CUT_BEFORE or not _bn_consonant(rest[:1]):
            continue
        heads = (word[: cut + 1], word[:cut])  # শ্রদ্ধা (আ-ending), হিম (the inherent অ)
        if not any((head in words or head in extra) and _letters(head) >= 2 for head in heads):
            continue
        if any(_bn_inflected(vowel + rest, words, extra) for vowel in "অআ"):
            return not lexicon.sounding_like(_bn_key(word))
    return False


def _letters(word: str) -> int:
    """Letters (not signs) in a Bangla word: how long it looks."""
    return sum(1 for char in word if char not in _BN_NO_CUT_BEFORE)


# The English letters as Bangla copy spells them in acronyms (বিএনপি, এআই, ইউএনডিপি).
_BN_LETTER_NAMES = tuple(sorted((normalise(name) for name in ENGLISH_LETTER_NAMES), key=len, reverse=True))


def _is_bn_acronym(word: str) -> bool:
    """Two or more English letter names in Bangla script, and nothing else (an inflection may follow)."""
    for ending in ("", *_BN_ENDINGS):
        if ending and not word.endswith(ending):
            continue
        body = word[: len(word) - len(ending)] if ending else word
        if body and _letter_names(body) >= 2:
            return True
    return False


def _letter_names(text: str) -> int:
    """How many letter names `text` is made of (0: it is not made of them)."""
    best = [0] + [-1] * len(text)
    for i in range(len(text)):
        if best[i] < 0:
            continue
        for name in _BN_LETTER_NAMES:
            if text.startswith(name, i):
                j = i + len(name)
                best[j] = max(best[j], best[i] + 1)
    return max(best[-1], 0)


# -- suggestions ---------------------------------------------------------------------------------------------
_EN_VOWEL_RUN = re.compile(r"[aeiouy]+")
_EN_ALPHABET = "abcdefghijklmnopqrstuvwxyz'-"


def _collapse_doubles(word: str) -> str:
    out: list[str] = []
    for char in word:
        if not out or out[-1] != char:
            out.append(char)
    return "".join(out)


def _en_key(word: str) -> str:
    word = _collapse_doubles(word.lower().replace("ph", "f").replace("ck", "k"))
    return _EN_VOWEL_RUN.sub("a", word)


_BN_KEY_TABLE = str.maketrans(
    {
        "ী": "ি",
        "ূ": "ু",
        "ণ": "ন",
        "ঞ": "ন",
        "ষ": "স",
        "শ": "স",
        "য": "জ",
        "ঙ": "ং",
        "ঈ": "ই",
        "ঊ": "উ",
        "ৈ": "ো",
        "ঐ": "ও",
        "ঃ": "",
        "ঁ": "",
    }
)
_BN_PHALA = re.compile("\u09cd[যবম]")  # ya-, ba- and ma-phala: the ones writers drop or add


def _bn_key(word: str) -> str:
    word = _BN_PHALA.sub("", word)
    word = word.replace("ড়", "র").replace("ঢ়", "র").replace("য়", "য").replace("ৎ", "ত")
    return _collapse_doubles(word.translate(_BN_KEY_TABLE))


def _bn_alphabet() -> str:
    letters = [chr(code) for code in range(0x0981, 0x09E4) if unicodedata.category(chr(code))[0] in "LM"]
    return "".join(letters) + "\u09bc"


_BN_ALPHABET = _bn_alphabet()
# Confusions a Bangla copy editor sees every day cost less than an arbitrary edit.
_BN_CHEAP = frozenset(
    frozenset(pair)
    for pair in (
        ("ি", "ী"),
        ("ু", "ূ"),
        ("ন", "ণ"),
        ("ন", "ঞ"),
        ("শ", "ষ"),
        ("শ", "স"),
        ("ষ", "স"),
        ("জ", "য"),
        ("ই", "ঈ"),
        ("উ", "ঊ"),
        ("ং", "ঙ"),
        ("র", "ড়"),
        ("ে", "ৈ"),
        ("ো", "ৌ"),
    )
)
_EN_VOWELS = frozenset("aeiouy")


def _sub_cost(a: str, b: str, language: str) -> float:
    if a == b:
        return 0.0
    if language == "bn":
        return 0.5 if frozenset((a, b)) in _BN_CHEAP else 1.0
    if a.lower() == b.lower():
        return 0.1
    return 0.6 if a in _EN_VOWELS and b in _EN_VOWELS else 1.0


def _indel_cost(char: str, language: str, previous: str) -> float:
    if char == previous:
        return 0.5  # a doubled letter: neccessary, tommorow
    if language == "bn" and (char in ("\u09cd", "য", "ব") or (char == "র" and previous == "\u09cd")):
        return 0.5  # the halves of a phala (র only after the virama: a ra-phala, not a reph)
    return 1.0


def distance(a: str, b: str, language: str) -> float:
    """A weighted Damerau-Levenshtein distance: the copy desk's common confusions cost less."""
    rows = len(a) + 1
    cols = len(b) + 1
    previous_row: list[float] = [0.0] * cols
    for j in range(1, cols):
        previous_row[j] = previous_row[j - 1] + _indel_cost(b[j - 1], language, b[j - 2] if j > 1 else "")
    before: list[float] = previous_row
    for i in range(1, rows):
        current = [previous_row[0] + _indel_cost(a[i - 1], language, a[i - 2] if i > 1 else "")] + [0.0] * (cols - 1)
        for j in range(1, cols):
            cost = min(
                previous_row[j] + _indel_cost(a[i - 1], language, a[i - 2] if i > 1 else ""),
                current[j - 1] + _indel_cost(b[j - 1], language, b[j - 2] if j > 1 else ""),
                previous_row[j - 1] + _sub_cost(a[i - 1], b[j - 1], language),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cost = min(cost, before[j - 2] + 0.6)
            current[j] = cost
        before, previous_row = previous_row, current
    return previous_row[-1]


_VIRAMA = "\u09cd"
_REPH = "র" + _VIRAMA


def _bn_consonant(char: str) -> bool:
    return "\u0995" <= char <= "\u09b9" or char in "ড়ঢ়য়"


def _cluster_starts(word: str) -> list[int]:
    """Where a consonant cluster begins: a consonant not joined to the one before it."""
    return [i for i, char in enumerate(word) if _bn_consonant(char) and (i == 0 or word[i - 1] != _VIRAMA)]


def _reph_moves(word: str) -> set[str]:
    """The word with its reph (র্) on another cluster: keyboards that type the reph after the consonant
    it sits on (কমর্সূচি for কর্মসূচি), or an editor unsure which consonant carries it (আর্ন্তজাতিক)."""
    moves: set[str] = set()
    for index in range(len(word) - 1):
        if word[index : index + 2] != _REPH or (index and word[index - 1] == _VIRAMA):
            continue  # not a reph (the র of a ra-phala follows a virama)
        rest = word[:index] + word[index + 2 :]
        moves.update(rest[:start] + _REPH + rest[start:] for start in _cluster_starts(rest))
    moves.discard(word)
    return moves


def _cheap_swaps(word: str) -> set[str]:
    """The word with one of the copy desk's everyday confusions undone (ি/ী, ন/ণ, শ/ষ/স …)."""
    return {
        word[:i] + other + word[i + 1 :]
        for i, char in enumerate(word)
        for pair in _BN_CHEAP
        if char in pair
        for other in pair
        if other != char and len(other) == 1
    }


def _phala_inserts(word: str) -> set[str]:
    """The word with a ra-, ya- or ba-phala added after a consonant: two characters, so one edit misses
    them (দারিদ্য for দারিদ্র্য, রাষ্টপতি for রাষ্ট্রপতি)."""
    return {
        word[: i + 1] + _VIRAMA + phala + word[i + 1 :]
        for i, char in enumerate(word)
        if _bn_consonant(char)
        for phala in "রযব"
    }


def _edits1(word: str, alphabet: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {left + right[1:] for left, right in splits if right}
    transposes = {left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1}
    replaces = {left + char + right[1:] for left, right in splits if right for char in alphabet}
    inserts = {left + char + right for left, right in splits for char in alphabet}
    return deletes | transposes | replaces | inserts


def suggest(word: str, lexicon: Lexicon, extra: Iterable[str] = (), limit: int = MAX_SUGGESTIONS) -> list[str]:
    """Up to `limit` corrections for a word not in the lexicon, best first (empty when none is close)."""
    language = lexicon.language
    word = normalise(word)
    if language == "en":
        return _suggest_en(word, lexicon, tuple(extra), limit)
    candidates: set[str] = set()
    words = lexicon.words
    extra_set = set(extra)
    candidates.update(lexicon.sounding_like(_bn_key(word)))
    edits = _edits1(word, _BN_ALPHABET) | _phala_inserts(word) | _reph_moves(word)
    candidates.update(edit for edit in edits if edit in words or edit in extra_set)
    # Inflected and compound words are known by rule, not listed: the few edits worth asking about are
    # the reph moved and the everyday confusions (শ্রদ্ধান্জলি: শ্রদ্ধা + অঞ্জলি with ন for ঞ).
    for edit in (*_reph_moves(word), *_cheap_swaps(word)):
        if edit not in candidates and bn_known(edit, lexicon, extra_set):
            candidates.add(edit)
    # A phala added or dropped, or a vowel sign changed, inside an inflected word: look at the stem's key.
    for stem in list(bangla_stems(word))[1:6]:
        if stem != word and len(stem) >= 2:
            ending = word[len(stem) :] if word.startswith(stem) else ""
            for found in lexicon.sounding_like(_bn_key(stem)):
                candidates.add(found + ending)
    for deleted in {word[:i] + word[i + 1 :] for i in range(len(word))}:
        candidates.update(lexicon.sounding_like(_bn_key(deleted)))
    candidates.discard(word)
    candidates = {c for c in candidates if c not in lexicon.no_suggest and bn_known(c, lexicon, extra_set)}
    return _rank(word, candidates, language, limit)


def _suggest_en(word: str, lexicon: Lexicon, extra: tuple[str, ...], limit: int) -> list[str]:
    lower = word.lower()
    capital = word[:1].isupper()
    upper = word.isupper() and len(word) > 1
    words = lexicon.words
    extra_set = set(extra)
    candidates: set[str] = set()
    candidates.update(lexicon.sounding_like(_en_key(lower)))
    for edit in _edits1(lower, _EN_ALPHABET):
        if edit in words or edit in extra_set:
            candidates.add(edit)
        elif edit.capitalize() in words:
            candidates.add(edit.capitalize())
    for deleted in {lower[:i] + lower[i + 1 :] for i in range(len(lower))}:
        candidates.update(lexicon.sounding_like(_en_key(deleted)))
    candidates = {c for c in candidates if c not in lexicon.no_suggest and c.lower() != lower}
    ranked = _rank(lower, candidates, "en", limit, compare=str.lower)
    if upper:
        return [c.upper() for c in ranked]
    if capital:
        return [c[:1].upper() + c[1:] for c in ranked]
    return ranked


# Everyday English words, preferred among equally close candidates (wich: which before wick).
_EN_COMMON_TEXT = """the of and to in is was for that on with as by at from it his her their they this which who be
    are were has have had not but or an will would said also after more than its been when there all
    new one two about over into up out only other some could would what can people year years time
    government police minister country city state party president said says told week month day
    because before between during under while where since against such most many first last
    would should must may might these those them then than through until very well much any each
    both same own just like make made take taken give given know known think thought see seen"""
_EN_COMMON = frozenset(_EN_COMMON_TEXT.split())


def _rank(word: str, candidates: set[str], language: str, limit: int, compare: object = None) -> list[str]:
    sound_key = _bn_key if language == "bn" else _en_key
    key = sound_key(word)
    moved = _reph_moves(word) if language == "bn" else set()

    def score(candidate: str) -> tuple[float, int, str]:
        seen = candidate.lower() if compare is not None else candidate
        value = distance(word, seen, language)
        if sound_key(seen) == key:
            value -= 0.4
        if seen[:1] != word[:1]:
            value += 0.5
        if candidate in moved:
            value = min(value, 1.0)  # the same letters, the reph on another consonant: one slip
        if language == "en":
            if candidate in _EN_COMMON:
                value -= 0.3
            if candidate[:1].isupper() and not word[:1].isupper():
                value += 0.3  # a name offered for a common word: last
        return (value, abs(len(seen) - len(word)), candidate)

    scored = sorted((score(c), c) for c in candidates)
    best = [c for (value, _, _), c in scored if value <= max(2.6, len(word) / 3)]
    out: list[str] = []
    for candidate in best:
        if candidate not in out:
            out.append(candidate)
        if len(out) == limit:
            break
    return out


# -- checking a text -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Misspelling:
    """A word no dictionary knows: where it is in the text, the word as typed, its language."""

    start: int
    word: str
    language: str

    @property
    def end(self) -> int:
        return self.start + len(self.word)


@dataclass
class Speller:
    """The dictionaries the copy desk spells with, and the words every check also accepts.

    `lexicons` by language ("en", "bn"); `accepted` holds the desk dictionary and the editor's own
    list (normalised).  Results per word are remembered, so checking a story again after one change
    costs a tokenising pass and a dictionary lookup per word.
    """

    lexicons: Mapping[str, Lexicon]
    accepted: frozenset[str] = frozenset()
    _memo: dict[str, bool] = field(default_factory=dict, repr=False)

    def with_accepted(self, words: Iterable[str]) -> Speller:
        """The same dictionaries with another desk/personal word list (the memo starts again)."""
        return Speller(self.lexicons, frozenset(normalise(word) for word in words if word.strip()))

    def known(self, word: str) -> bool:
        """Is `word` (as typed) spelled right, by its script's dictionary?  Unknown scripts pass."""
        cached = self._memo.get(word)
        if cached is not None:
            return cached
        normal = normalise(word)
        language = _script(normal)
        lexicon = self.lexicons.get(language)
        if lexicon is None:
            result = True
        elif language == "bn":
            result = bn_known(normal, lexicon, self.accepted)
        else:
            result = en_known(normal, lexicon, self.accepted) or not _has_latin_letter(normal)
        if len(self._memo) > 200_000:
            self._memo.clear()
        self._memo[word] = result
        return result

    def suggest(self, word: str, limit: int = MAX_SUGGESTIONS) -> list[str]:
        normal = normalise(word)
        lexicon = self.lexicons.get(_script(normal))
        if lexicon is None:
            return []
        return suggest(normal, lexicon, self.accepted, limit)

    def check(self, text: str, names: Names | None = None) -> list[Misspelling]:
        """The words of `text` no dictionary knows, in order, leaving names out (see the module's rule)."""
        names = names or Names()
        found: list[Misspelling] = []
        for token in tokens(text):
            if "-" in token.text and self.known(token.text.strip("-'’`")):
                continue  # left-hander, well-being: the dictionary has the compound whole
            for start, part in _parts(token):
                if len(part) < 2 and not is_bengali_char(part[:1]):
                    continue
                if self.known(part) or names.is_name(part, token.sentence_start and start == token.start):
                    continue
                if _is_acronym(part):
                    continue
                found.append(Misspelling(start, part, _script(part)))
        return found


def _has_latin_letter(word: str) -> bool:
    return any("a" <= char.lower() <= "z" for char in word)


def _is_acronym(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters) and not any(map(is_bengali_char, word))


def _parts(token: Token) -> Iterator[tuple[int, str]]:
    """A token's words: hyphenated compounds are spelled part by part; a trailing apostrophe is not a letter."""
    text = token.text
    if "-" not in text and text[-1] not in "'’`":
        yield token.start, text
        return
    offset = token.start
    for part in text.split("-") if "-" in text else (text,):
        word = part.rstrip("'’`")
        if word:
            yield offset, word
        offset += len(part) + 1


# -- names -----------------------------------------------------------------------------------------------------
@dataclass
class Names:
    """Words taken for names in one story: its metadata's words, and English words it capitalises
    consistently (never in lower case, and at least once not opening a sentence)."""

    listed: frozenset[str] = frozenset()
    consistent: frozenset[str] = frozenset()
    ignored: frozenset[str] = frozenset()

    @classmethod
    def of(cls, prose: Iterable[str], metadata: Iterable[str] = (), ignored: Iterable[str] = ()) -> Names:
        """`prose`: the texts whose capitals count (summary, body); `metadata`: byline, credit, tags…"""
        listed = {normalise(word) for text in metadata for _, word in _words(text)}
        capitalised: set[str] = set()
        mid_sentence: set[str] = set()
        lower: set[str] = set()
        for text in prose:
            for token in tokens(text):
                for start, word in _parts(token):
                    if not word[:1].isupper():
                        if word[:1].isalpha():
                            lower.add(word.lower())
                        continue
                    capitalised.add(word)
                    if not (token.sentence_start and start == token.start):
                        mid_sentence.add(word)
        consistent = {word for word in mid_sentence if word.lower() not in lower}
        return cls(frozenset(listed), frozenset(consistent), frozenset(normalise(w) for w in ignored))

    def is_name(self, word: str, opens_sentence: bool) -> bool:
        normal = normalise(word)
        if normal in self.listed or normal in self.ignored:
            return True
        if normal.endswith("'s") and normal[:-2] in self.listed:
            return True
        return word in self.consistent or (word.endswith("'s") and word[:-2] in self.consistent)


def _words(text: str) -> Iterator[tuple[int, str]]:
    for token in tokens(text):
        yield from _parts(token)


def words_of(text: str) -> list[str]:
    """The words of a text as the checker splits them (for the desk's "add this word")."""
    return [word for _, word in _words(text)]


# -- reading the dictionaries' formats (the text is read by storage; this only parses) -----------------------
def parse_word_list(text: str) -> list[str]:
    """A plain word list: one word a line (a line of several words gives each); `#` starts a comment."""
    words = []
    for line in text.splitlines():
        words.extend(line.split("#", 1)[0].split())
    return words


# British spellings from American ones, by rule: Bangladeshi English papers write British English.
_BRITISH_IZE = re.compile(r"^(\w{3,})(iz|yz)(e|es|ed|ing|er|ers|ation|ations|able)$")
_OUR_STEMS = (
    "color",
    "favor",
    "honor",
    "labor",
    "neighbor",
    "behavior",
    "harbor",
    "humor",
    "rumor",
    "vapor",
    "vigor",
    "savor",
    "flavor",
    "endeavor",
    "armor",
    "parlor",
    "splendor",
    "odor",
    "tumor",
    "savior",
    "clamor",
    "valor",
    "rigor",
    "candor",
    "ardor",
)
_RE_STEMS = ("center", "theater", "meter", "liter", "fiber", "caliber", "somber", "specter", "meager", "luster")
_ENCE_STEMS = ("defense", "offense", "pretense", "license")
_DOUBLED_L = re.compile(r"^(\w{3,}[^aeiou\W])(el|al)(ed|ing|er|ers)$")


def british_variants(words: frozenset[str] | set[str]) -> set[str]:
    """The British forms of American spellings in `words`: -ise/-yse, -our, -re, -ence, -lled."""
    out: set[str] = set()
    for word in words:
        match = _BRITISH_IZE.match(word)
        if match and not word[0].isupper():
            out.add(match.group(1) + ("is" if match.group(2) == "iz" else "ys") + match.group(3))
        for stem in _OUR_STEMS:
            at = word.lower().find(stem)
            if at != -1:
                rest = word[at + len(stem) :]
                if not rest.startswith(("ous", "ious", "ary", "ific", "ist", "ism", "iz", "is")):
                    out.add(word[: at + len(stem) - 1] + "ur" + rest)
        match = _DOUBLED_L.match(word)
        if match and match.group(1) + match.group(2) in words:
            out.add(match.group(1) + match.group(2) + "l" + match.group(3))
    for stem in _RE_STEMS:
        if stem in words:
            out |= {stem[:-2] + "re", stem[:-2] + "res"}
    for stem in _ENCE_STEMS:
        if stem in words:
            out |= {stem[:-2] + "ce", stem[:-2] + "ces"}
    return out


@dataclass
class _Affix:
    strip: str
    add: str
    condition: re.Pattern[str] | None
    flags: str


def _parse_aff(text: str) -> tuple[dict[str, tuple[bool, bool, list[_Affix]]], str, set[str]]:
    """Hunspell .aff: the PFX/SFX rules (cross product, strip, add, condition), NOSUGGEST, ONLYINCOMPOUND."""
    rules: dict[str, tuple[bool, bool, list[_Affix]]] = {}
    no_suggest = ""
    only_compound: set[str] = set()
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "NOSUGGEST" and len(parts) > 1:
            no_suggest = parts[1]
        elif parts[0] == "ONLYINCOMPOUND" and len(parts) > 1:
            only_compound.add(parts[1])
        elif parts[0] in ("PFX", "SFX") and len(parts) >= 4:
            flag = parts[1]
            if parts[2] in ("Y", "N") and len(parts) == 4:
                rules[flag] = (parts[0] == "PFX", parts[2] == "Y", [])
            elif flag in rules and len(parts) >= 5:
                strip = "" if parts[2] == "0" else parts[2]
                add, _, add_flags = parts[3].partition("/")
                add = "" if add == "0" else add
                condition = parts[4]
                prefix = rules[flag][0]
                pattern = None
                if condition != ".":
                    pattern = re.compile(("^" + condition) if prefix else (condition + "$"))
                rules[flag][2].append(_Affix(strip, add, pattern, add_flags))
    return rules, no_suggest, only_compound


def _apply(word: str, affix: _Affix, prefix: bool) -> str | None:
    if affix.condition is not None and not affix.condition.search(word):
        return None
    if prefix:
        if affix.strip and not word.startswith(affix.strip):
            return None
        return affix.add + word[len(affix.strip) :]
    if affix.strip and not word.endswith(affix.strip):
        return None
    return word[: len(word) - len(affix.strip)] + affix.add


def expand_hunspell(dic_text: str, aff_text: str) -> tuple[set[str], set[str]]:
    """Every word a Hunspell dictionary accepts by its prefixes and suffixes (compounds aside), and
    those it will not suggest.  Enough for SCOWL's en_US and the LibreOffice Bengali list."""
    rules, no_suggest_flag, only_compound = _parse_aff(aff_text)
    words: set[str] = set()
    no_suggest: set[str] = set()
    lines = dic_text.splitlines()
    if lines and lines[0].strip().isdigit():
        lines = lines[1:]
    for line in lines:
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        entry = entry.split("\t", 1)[0].split(" ", 1)[0] if "/" not in entry else entry
        stem, _, flags = entry.partition("/")
        flags = flags.split()[0] if flags else ""
        if not stem or any(flag in only_compound for flag in flags):
            continue
        forms = {stem}
        suffixed: list[tuple[str, bool]] = []
        for flag in flags:
            rule = rules.get(flag)
            if rule is None or rule[0]:
                continue
            for affix in rule[2]:
                form = _apply(stem, affix, prefix=False)
                if form is not None:
                    forms.add(form)
                    suffixed.append((form, rule[1]))
        for flag in flags:
            rule = rules.get(flag)
            if rule is None or not rule[0]:
                continue
            for affix in rule[2]:
                form = _apply(stem, affix, prefix=True)
                if form is not None:
                    forms.add(form)
                if rule[1]:  # cross product: the prefix on every suffixed form that allows it
                    for suffixed_form, cross in suffixed:
                        if cross:
                            both = _apply(suffixed_form, affix, prefix=True)
                            if both is not None:
                                forms.add(both)
        normal = {normalise(form) for form in forms}
        words |= normal
        if no_suggest_flag and no_suggest_flag in flags:
            no_suggest |= normal
    return words, no_suggest
