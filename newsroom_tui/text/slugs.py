"""URL slugs from headlines, for both editions.

English headlines go through python-slugify.  Bangla headlines cannot: its Unicode mode drops the vowel
signs (`ঢাকায় মার্কিন` -> `ঢ-ক-য-ম-র-ক-ন`) and its ASCII mode spells letter by letter
(`ddhaakaay-maarkin`), neither of which a reader would type.  So Bengali is first transliterated here into
the everyday romanisation Bangladeshi readers and news sites use (`dhakay-markin`), and the result is
slugified like English.

How the transliterator works (the README lifts this):

* The script is read into syllables: a consonant cluster (consonants joined by hasanta ্), a vowel (a vowel
  sign, an independent vowel, or the inherent vowel), and a coda (ং ng, ঁ n, ঃ h, ৎ t).
* Letters come from tables: vowels a i u e o oi ou ri; ক k, খ kh, চ ch, ছ chh, জ/য j, ট/ত t, ঠ/থ th,
  ড/দ d, ঢ/ধ dh, ণ/ন n, ফ f, ভ bh, শ/ষ sh, স s, ড় r, ঢ় rh, য় y, ৎ t.  Inside a cluster ্য is y,
  reph র্য is rj, ্ব is w after শ/স/ত/জ/ধ/ন/হ (and at the start of a word after দ) and b elsewhere;
  ক্ষ is kh at the start of a word and kkh inside, জ্ঞ gy, ঙ্গ ng, চ্ছ chh, a doubled letter is written once
  plus the full letter (ট্ট tt, চ্চ cch).
* The inherent vowel is written `o` (nirbachon, prodhanmontri), as everyday romanisation does; fixed
  English spellings that use `a` (Padma, Chattogram) come from the exceptions table.  It is kept in the
  first syllable, before ং/ঁ/ঃ/ৎ, and after a cluster at the end of a word (montro, juddho) unless the
  cluster is a loanword ending such as ন্ড/স্ট/র্ট (test).  It is dropped after a single consonant at the
  end of a word (dhakay, markin) and, working right to left, between a vowel + one consonant and one
  consonant + vowel (sorkar, amra, prodhanmontri).  That deletion is skipped before the glide য়
  (somoye), before a last -না/-তা (ghotona, khomota), before a noun's case ending -e/-er (nirbachone;
  but cholbe, bolchhe, malikder, where ছ ব ল ত দ start a verb ending or -der), and when the last vowel
  is spoken: words ending in িত, হত, গত, ীয়, িয় keep it (prokashito, nihoto, jatiyo).
* ও + য় + vowel sign is w (awami, howa); ঃ before a consonant doubles it (dukkho); Bengali digits become
  ASCII; । and the currency and fraction signs separate words; ZWJ/ZWNJ are ignored except in র‍্য
  (ra + ya-phala, as in র‍্যাব).
* A small table gives established spellings of place names, organisations, months and loanwords
  (chattogram, sylhet, bnp, january, cricket); a case ending after one is dropped (চট্টগ্রামে ->
  chattogram, ক্রিকেটের -> cricket, not "cricketer").  বিশ্ব- at the head of a compound is bishwa
  (bishwakap, bishwabidyaloy).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from newsroom_tui.text.slug_pattern import SLUG_PATTERN

DEFAULT_MAX_LENGTH = 80

# -- tables -----------------------------------------------------------------------------------------------
HASANTA = "\u09cd"
NUKTA = "\u09bc"
ZWNJ = "\u200c"
ZWJ = "\u200d"
# Internal letters (private use), so special cases stay ordinary table entries.
_RA_YA_PHALA = "\ue000"  # ya-phala written after র with ZWJ (র‍্য): y, not the reph + য of কার্য
_WA = "\ue001"  # ও + য় before a vowel sign: w

INDEPENDENT_VOWELS = {
    "অ": "o", "আ": "a", "ই": "i", "ঈ": "i", "উ": "u", "ঊ": "u", "ঋ": "ri", "ৠ": "ri", "ঌ": "li",
    "ৡ": "li", "এ": "e", "ঐ": "oi", "ও": "o", "ঔ": "ou",
}  # fmt: skip
VOWEL_SIGNS = {
    "া": "a", "ি": "i", "ী": "i", "ু": "u", "ূ": "u", "ৃ": "ri", "ৄ": "ri", "ৢ": "li", "ৣ": "li",
    "ে": "e", "ৈ": "oi", "ো": "o", "ৌ": "ou", "ৗ": "ou",
}  # fmt: skip
CONSONANTS = {
    "ক": "k", "খ": "kh", "গ": "g", "ঘ": "gh", "ঙ": "ng",
    "চ": "ch", "ছ": "chh", "জ": "j", "ঝ": "jh", "ঞ": "n",
    "ট": "t", "ঠ": "th", "ড": "d", "ঢ": "dh", "ণ": "n",
    "ত": "t", "থ": "th", "দ": "d", "ধ": "dh", "ন": "n",
    "প": "p", "ফ": "f", "ব": "b", "ভ": "bh", "ম": "m",
    "য": "j", "র": "r", "ল": "l", "শ": "sh", "ষ": "sh", "স": "s", "হ": "h",
    "\u09dc": "r", "\u09dd": "rh", "\u09df": "y", "ৰ": "r", "ৱ": "w",  # ড় ঢ় য় (precomposed)
    _RA_YA_PHALA: "y", _WA: "w",
}  # fmt: skip
# Signs that close a syllable: anusvara, chandrabindu, visarga, khanda ta.
CODAS = {"ং": "ng", "ঁ": "n", "ঃ": "h", "ৎ": "t"}
# Two-letter clusters spelt as a unit: (at the start of a word, inside a word).
CLUSTER_SPELLINGS = {
    "ক্ষ": ("kh", "kkh"),  # ক্ষমতা khomota, শিক্ষা shikkha
    "জ্ঞ": ("gy", "gy"),  # জ্ঞান gyan, বিজ্ঞান bigyan
    "ঙ্গ": ("ng", "ng"),  # বঙ্গ bongo, মঙ্গল mongol
    "চ্ছ": ("chh", "chh"),  # পাচ্ছে pachhe
}
# ্ব after these consonants is heard as w (বিশ্ব bishw-, স্বাধীনতা swadhinota, তত্ত্ব tottwo, জ্বালানি
# jwalani, সমন্বয় somonwoy); after দ only at the start of a word (দ্বিতীয় dwitiyo but উদ্বোধন udbodhon).
BA_PHALA_W_AFTER = frozenset("শসতজধনহ")
BA_PHALA_W_AT_WORD_START = frozenset("দ")
# A cluster ending in these at the end of a word has no final vowel: they are English loanwords
# (টেস্ট test, ফ্রান্স frans, রিপোর্ট riport) or the -গঞ্জ of place names (গোপালগঞ্জ gopalgonj).
NO_FINAL_VOWEL_CLUSTERS = (
    "ন্ড", "ন্ট", "ন্স", "স্ট", "স্ক", "ল্ড", "ল্ট", "র্ট", "র্ড", "র্স", "র্ন", "ক্স", "ক্ট", "ফ্ট", "প্ট",
    "ঞ্জ",
)  # fmt: skip
# Word endings whose last inherent vowel is spoken: participles (নিহত nihoto, আহত ahoto, প্রকাশিত
# prokashito, গত goto) and the -ীয় adjectives (জাতীয় jatiyo, প্রিয় priyo).
FINAL_VOWEL_ENDINGS: tuple[str, ...] = ("িত", "হত", "গত", "ীয়", "িয়")
# Before a last syllable in -e these consonants start verb endings or -der, so the vowel before goes.
VERB_ENDING_CONSONANTS = frozenset("ছবলতদ")
# Established spellings: place names, organisations and English loanwords readers type in English.
EXCEPTIONS = {
    # places and rivers (official English spellings)
    "চট্টগ্রাম": "chattogram", "সিলেট": "sylhet", "খুলনা": "khulna", "বরিশাল": "barishal",
    "রংপুর": "rangpur", "ময়মনসিংহ": "mymensingh", "কুমিল্লা": "cumilla", "কক্সবাজার": "cox's bazar",
    "নারায়ণগঞ্জ": "narayanganj", "গাজীপুর": "gazipur", "পাবনা": "pabna", "পদ্মা": "padma",
    "যমুনা": "jamuna", "মেঘনা": "meghna", "তিস্তা": "teesta",
    # organisations and people's titles
    "বিএনপি": "bnp", "লীগ": "league", "র্যাব": "rab", "র\u200d্যাব": "rab", "শেখ": "sheikh",
    "বঙ্গবন্ধু": "bangabandhu",
    # months, which dates put in many headlines
    "জানুয়ারি": "january", "জানুয়ারী": "january", "ফেব্রুয়ারি": "february", "ফেব্রুয়ারী": "february",
    "মার্চ": "march", "এপ্রিল": "april", "জুন": "june", "জুলাই": "july", "আগস্ট": "august",
    "সেপ্টেম্বর": "september", "অক্টোবর": "october", "নভেম্বর": "november", "ডিসেম্বর": "december",
    # loanwords
    "ক্রিকেট": "cricket", "ফুটবল": "football", "ম্যাচ": "match", "সিরিজ": "series", "উইকেট": "wicket",
    "ভোট": "vote", "পুলিশ": "police", "ব্যাংক": "bank", "ডলার": "dollar", "বাজেট": "budget",
    "কোভিড": "covid", "ঈদ": "eid", "রিজার্ভ": "reserve", "আইএমএফ": "imf", "ইংল্যান্ড": "england",
    "উপজেলা": "upazila", "বোর্ড": "board",  # বোর্ডের would read "border"
    # common words the rules get wrong
    "বড়": "boro", "সামনে": "samne",
    "শীত": "sheet",  # winter: the rules give a word no editor wants in a URL
}  # fmt: skip
# Matched only as whole words: মেয়ের (daughter's) is not মে (May) + -য়ের.
WHOLE_WORD_EXCEPTIONS = {"মে": "may"}
# Case endings dropped after an exception: চট্টগ্রামে -> chattogram, বিএনপির -> bnp, ক্রিকেটের -> cricket
# (not "cricketer", which is another English word).
CASE_ENDINGS: tuple[str, ...] = ("য়ের", "দের", "ের", "এর", "কে", "তে", "রা", "টি", "টা", "য়", "র", "ে", "ও")
# Heads of compounds spelt as a unit when a consonant follows (বিশ্বকাপ bishwakap, বিশ্ববিদ্যালয়).
COMPOUND_HEADS = {"বিশ্ব": "bishwa"}

_DIGITS = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")
# Bengali run: the block minus digits and the currency/fraction/punctuation signs, plus joiners.
_BENGALI_WORD = re.compile("[\u0980-\u09e5\u09f0\u09f1\u09fc\u09fe\u09ff\u200c\u200d\ue000\ue001]+")
_BENGALI_SEPARATORS = re.compile("[\u0964\u0965\u09f2-\u09fb\u09fd]")  # । ॥ ৳ ৺ ৻ ...
_NUKTA_FORMS = {"ড" + NUKTA: "\u09dc", "ঢ" + NUKTA: "\u09dd", "য" + NUKTA: "\u09df"}
_APOSTROPHE_IN_WORD = re.compile(r"(?<=[^\W_])['’‘`ʼ´′](?=[^\W_])")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _normalise_bengali(text: str) -> str:
    """One spelling per word: NFC, precomposed nukta letters, joiners only where they change a reading."""
    text = unicodedata.normalize("NFC", text)
    for pair, letter in _NUKTA_FORMS.items():  # NFC decomposes these three (composition exclusions)
        text = text.replace(pair, letter)
    text = text.replace("র" + ZWJ + HASANTA + "য", "র" + HASANTA + _RA_YA_PHALA)
    text = text.replace(ZWJ, "").replace(ZWNJ, "")
    # ও + য় before a vowel sign is w: আওয়ামী awami, হওয়া howa, ওয়ানডে wande.
    return re.sub("\u0993\u09df(?=[\u09be-\u09cc])", _WA, text)


# The tables are written as typed; match them in the normalised spelling words are read in.
EXCEPTIONS = {_normalise_bengali(word): latin for word, latin in EXCEPTIONS.items()}
WHOLE_WORD_EXCEPTIONS = {_normalise_bengali(word): latin for word, latin in WHOLE_WORD_EXCEPTIONS.items()}
CASE_ENDINGS = tuple(sorted((_normalise_bengali(ending) for ending in CASE_ENDINGS), key=len, reverse=True))
FINAL_VOWEL_ENDINGS = tuple(_normalise_bengali(ending) for ending in FINAL_VOWEL_ENDINGS)
_CONSONANTAL_CODAS = frozenset("ংঃৎ")  # ঁ only nasalises the vowel


# -- the transliterator --------------------------------------------------------------------------------
@dataclass(slots=True)
class _Syllable:
    """Consonants joined by hasanta, then a vowel (None: the inherent vowel, not yet decided) and a coda."""

    onset: list[str] = field(default_factory=list)
    vowel: str | None = None
    coda: str = ""  # Bengali signs from CODAS
    open_cluster: bool = False  # the last consonant had a hasanta: the next one joins the cluster
    inherent: bool = False  # the vowel is the inherent one, kept by a rule

    @property
    def closed(self) -> bool:
        """Ends in a consonant sound (ং, ঃ, ৎ), so a following syllable cannot lose its vowel."""
        return any(sign in _CONSONANTAL_CODAS for sign in self.coda)


def _start(syllables: list[_Syllable], new: _Syllable, current: _Syllable | None) -> _Syllable:
    """Begin a syllable; one left open by a hasanta (ক্ before a vowel) ends with no vowel."""
    if current is not None and current.open_cluster:
        current.vowel, current.open_cluster = "", False
    syllables.append(new)
    return new


def _syllables(word: str) -> list[_Syllable]:
    """Read a normalised Bengali word into syllables; stray signs are tolerated, never an error."""
    syllables: list[_Syllable] = []
    current: _Syllable | None = None
    geminate = False  # a visarga before a consonant doubles it: দুঃখ dukkho
    for index, char in enumerate(word):
        if char in CONSONANTS:
            if current is not None and current.open_cluster:
                current.onset.append(char)
                current.open_cluster = False
            else:
                current = _start(syllables, _Syllable(onset=[char, char] if geminate else [char]), current)
            geminate = False
        elif char == HASANTA:
            if current is not None and current.onset and current.vowel is None and not current.coda:
                current.open_cluster = True
        elif char in VOWEL_SIGNS:
            if current is not None and current.onset and current.vowel is None:
                current.vowel = VOWEL_SIGNS[char]  # also after ঁ typed before the sign (চঁাদ)
                current.open_cluster = False
            else:
                current = _start(syllables, _Syllable(vowel=VOWEL_SIGNS[char]), current)
        elif char in INDEPENDENT_VOWELS:
            current = _start(syllables, _Syllable(vowel=INDEPENDENT_VOWELS[char]), current)
        elif char in CODAS:
            if char == "ঃ" and word[index + 1 : index + 2] in CONSONANTS:
                geminate = True
                continue
            if current is None:
                current = _start(syllables, _Syllable(vowel=""), None)
            current.open_cluster = False
            current.coda += char
        # anything else (nukta left over, avagraha, unassigned code points) spells nothing
    if current is not None and current.open_cluster:
        current.vowel, current.open_cluster = "", False  # a hasanta at the end of a word: no vowel
    return syllables


def _cluster_keeps_vowel(syllable: _Syllable) -> bool:
    """A cluster ends in a spoken vowel (মন্ত্র montro, যুদ্ধ juddho) unless it is a loanword ending."""
    if syllable.coda:
        return True
    if len(syllable.onset) < 2:
        return False
    cluster = "".join(syllable.onset)
    return not any(cluster.endswith(ending.replace(HASANTA, "")) for ending in NO_FINAL_VOWEL_CLUSTERS)


def _keeps_final_vowel(word: str, syllable: _Syllable) -> bool:
    return word.endswith(FINAL_VOWEL_ENDINGS) or _cluster_keeps_vowel(syllable)


def _is_case_ending(syllable: _Syllable) -> bool:
    return syllable.vowel == "" and not syllable.coda and syllable.onset in (["র"], ["\u09df"])


def _drops_medial_vowel(syllables: list[_Syllable], index: int) -> bool:
    """Schwa deletion: V C(o) C V -> V C C V, the rule Hindi and Bengali share, with Bengali exceptions."""
    syllable, before, after = syllables[index], syllables[index - 1], syllables[index + 1]
    if syllable.coda or len(syllable.onset) != 1:
        return False
    if before.vowel == "" or before.closed:
        return False  # would make three consonants in a row
    if not after.onset:  # a suffix vowel follows (শুক্রবারও shukrobaro): as at the end of a word
        return not _cluster_keeps_vowel(syllable)
    if len(after.onset) != 1 or after.vowel == "" or after.onset[0] == "\u09df":
        return False  # a cluster follows, or the glide য় (সময়ে somoye)
    remaining = len(syllables) - index - 2  # counted, not sliced: a slice here made long words quadratic
    if not remaining and after.inherent:
        return False  # the final vowel is spoken, so is this one: নিহত nihoto, বিগত bigoto
    # The last syllable, maybe with a case ending র/য় after it, decides the remaining exceptions.
    if remaining > 1 or (remaining == 1 and not _is_case_ending(syllables[-1])):
        return True
    consonant = after.onset[0]
    if after.vowel == "a" and consonant in "নত" and not after.coda:
        return False  # nouns in -ona/-ota: ঘটনা ghotona, দুর্ঘটনায় durghotonay, ক্ষমতার khomotar
    # A noun stem before the case ending -e/-er keeps its vowel (নির্বাচনে nirbachone, শহরের
    # shohorer); verb endings and the plural -der do not (চলবে cholbe, বলছে bolchhe, মালিকদের malikder).
    return not (after.vowel == "e" and not after.coda and consonant not in VERB_ENDING_CONSONANTS)


def _resolve_inherent_vowels(word: str, syllables: list[_Syllable]) -> None:
    """Decide each inherent vowel right to left, so a deletion sees the decisions after it."""
    last = len(syllables) - 1
    for index in range(last, -1, -1):
        syllable = syllables[index]
        if syllable.vowel is not None:
            continue
        syllable.inherent = True
        if index == 0:
            syllable.vowel = "o"
        elif index == last:
            syllable.vowel = "o" if _keeps_final_vowel(word, syllable) else ""
        else:
            syllable.vowel = "" if _drops_medial_vowel(syllables, index) else "o"


def _spell_cluster(onset: list[str], *, word_start: bool) -> str:
    parts: list[str] = []
    index = 0
    while index < len(onset):
        pair = "".join(onset[index : index + 2])
        pair_with_hasanta = pair[:1] + HASANTA + pair[1:]
        if len(pair) == 2 and pair_with_hasanta in CLUSTER_SPELLINGS:
            at_start, inside = CLUSTER_SPELLINGS[pair_with_hasanta]
            parts.append(at_start if word_start and index == 0 else inside)
            index += 2
            continue
        letter = onset[index]
        previous = onset[index - 1] if index else ""
        latin = CONSONANTS[letter]
        if previous and letter == "য":
            latin = "j" if previous == "র" else "y"  # reph over য (কার্য karjo) or ya-phala (বিদ্যুৎ)
        elif previous and letter == "ব":
            w = previous in BA_PHALA_W_AFTER or (previous in BA_PHALA_W_AT_WORD_START and word_start and index == 1)
            latin = "w" if w else "b"
        if index + 1 < len(onset) and onset[index + 1] == letter:
            latin = latin[0]  # a doubled letter: ট্ট tt, দুঃখ kkh
        parts.append(latin)
        index += 1
    return "".join(parts)


def _spell_syllables(word: str) -> str:
    syllables = _syllables(word)
    _resolve_inherent_vowels(word, syllables)
    return "".join(
        _spell_cluster(s.onset, word_start=index == 0) + (s.vowel or "") + "".join(CODAS[c] for c in s.coda)
        for index, s in enumerate(syllables)
    )


def _transliterate_word(word: str) -> str:
    """One normalised Bengali word: exceptions first, then the syllable rules."""
    if word in WHOLE_WORD_EXCEPTIONS:
        return WHOLE_WORD_EXCEPTIONS[word]
    if word in EXCEPTIONS:
        return EXCEPTIONS[word]
    for ending in CASE_ENDINGS:
        stem = word[: -len(ending)]
        if word.endswith(ending) and stem in EXCEPTIONS:
            return EXCEPTIONS[stem]
    for head, latin in COMPOUND_HEADS.items():
        rest = word[len(head) :]
        if word.startswith(head) and rest[:1] in CONSONANTS:
            return latin + _transliterate_word(rest)
    return _spell_syllables(word)


def transliterate_bengali(text: str) -> str:
    """Write the Bengali in `text` in Latin letters the way Bangladeshi readers type it.

    Everything else (English words, spaces, punctuation) is left as it is, so the result still has its
    word breaks; Bengali digits become ASCII digits and । a space.  Output for Bengali is lower-case.
    """
    text = _normalise_bengali(text).translate(_DIGITS)
    text = _BENGALI_SEPARATORS.sub(" ", text)
    return _BENGALI_WORD.sub(lambda match: _transliterate_word(match.group()), text)


# -- slugs -------------------------------------------------------------------------------------------------
def is_valid_slug(slug: str) -> bool:
    """True for a-z, 0-9 and single hyphens between them (the model's SLUG_PATTERN, whole string)."""
    return SLUG_PATTERN.fullmatch(slug) is not None


def _latin_words(text: str) -> str:
    """Bengali transliterated, apostrophes inside words removed (Ukraine's, Ukraine’s, Ukraine`s)."""
    text = _SURROGATES.sub(" ", text)
    return _APOSTROPHE_IN_WORD.sub("", transliterate_bengali(text))


def _cut(slug: str, max_length: int) -> str:
    """The longest run of whole words that fits; a first word that alone is too long is cut."""
    if len(slug) <= max_length:
        return slug
    head = slug[: max_length + 1]
    cut = head[: head.rfind("-")] if "-" in head else ""
    return (cut or slug[:max_length]).strip("-")


def _tidy(text: str) -> str:
    """Last guard: whatever slugify returns, only a-z, 0-9 and single inner hyphens leave this module."""
    return "-".join(re.findall("[a-z0-9]+", text.lower()))


_MAX_SOURCE_PER_SLUG_CHARACTER = 16


def _leading_words(text: str, limit: int) -> str:
    """At most about `limit` characters of `text`, cut after a whole word where there is one."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    space = head.rfind(" ")
    return head[:space] if space > limit // 2 else head


def slug_from_headline(headline: str, *, max_length: int = DEFAULT_MAX_LENGTH) -> str:
    """The slug the form proposes for `headline`: at most `max_length`, cut at a word boundary.

    Returns "" when the headline has no letters or digits, so the caller decides what to do about it.
    """
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, not {max_length}")
    from slugify import slugify  # python-slugify and its tables: only when a slug is made

    # Only the start of a headline can reach the slug; a pasted 100,000-character "headline" took seconds
    # to transliterate while holding the import lock.  No real headline is near the cut.
    headline = _leading_words(headline, max_length * _MAX_SOURCE_PER_SLUG_CHARACTER)
    slug = slugify(_latin_words(headline), max_length=max_length, word_boundary=True, save_order=True)
    if not is_valid_slug(slug) or len(slug) > max_length:
        slug = _cut(_tidy(slug), max_length)
    return slug


def normalise_typed_slug(text: str) -> str:
    """What the slug field keeps of what an editor typed: lower-case, hyphens between words, Bengali
    transliterated, anything else dropped (no length cut: a typed slug is the editor's choice)."""
    from slugify import slugify

    slug = slugify(_latin_words(text))
    return slug if is_valid_slug(slug) else _tidy(slug)


_NUMBERED = re.compile(r"(?P<base>.+)-(?P<number>[0-9]{1,4})")
_MAX_TRIES = 1000


def alternative_slugs(
    slug: str,
    taken: Callable[[str], bool],
    count: int = 3,
    *,
    today: date | None = None,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> list[str]:
    """Free slugs to offer the editor when `slug` is taken: `slug-2`, then `slug-<date>`, `slug-3`, …

    They are suggestions, shown and never applied silently (except by a bulk import, which takes the
    first).  A slug already numbered counts on (`toll-2` -> `toll-3`) when its base is taken too, so
    `covid-19` is not mistaken for a numbered copy.  Each fits in `max_length`, cutting the base at a word
    boundary.  Fewer than `count` come back only if `taken` refuses a thousand candidates.
    """
    base = normalise_typed_slug(slug) or "story"
    start = 2
    numbered = _NUMBERED.fullmatch(base)
    if numbered and taken(numbered["base"]):
        base, start = numbered["base"], int(numbered["number"]) + 1
    day = (today or date.today()).isoformat()

    def with_suffix(suffix: str) -> str:
        room = max_length - len(suffix) - 1
        if room < 1:
            return _cut(suffix, max_length)
        return f"{_cut(base, room)}-{suffix}"

    suggestions: list[str] = []
    number, dated = start, False
    for _ in range(_MAX_TRIES):
        if len(suggestions) >= count:
            break
        if len(suggestions) == 1 and not dated:
            candidate, dated = with_suffix(day), True
        else:
            candidate, number = with_suffix(str(number)), number + 1
        if candidate not in (slug, *suggestions) and not taken(candidate):
            suggestions.append(candidate)
    return suggestions
