"""Bengali digits, month and weekday names, and the portal's date stamps in both editions.

The wire format (`formats/wire.py`) and the preview (`render.py`) must print and read stamps the same
way, so both go through `format_stamp`/`parse_stamp` here.  The Bangla edition prints the Gregorian
calendar with Bengali digits and Bengalised English month names ("৫ ডিসেম্বর ২০২১"); the Bengali
(Bangabda) calendar is not used on the wire.

Parsing is lenient about what people actually type (spelling variants such as জানুয়ারী for
জানুয়ারি, English abbreviations, `12.20` for `12:20`, NBSPs, ordinal suffixes like ৫ই or 5th);
formatting always produces one canonical form, so export → import is stable.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime
from zoneinfo import ZoneInfo

BENGALI_DIGITS = "০১২৩৪৫৬৭৮৯"
# The years a story's stamps may carry.  Year 1 or 9999 imported, then every export and publish crashed
# (OverflowError in the zone arithmetic); a newsroom's dates are refused outside this at the door.
FIRST_YEAR, LAST_YEAR = 1900, 2200
_TO_BENGALI = str.maketrans("0123456789", BENGALI_DIGITS)
_TO_ASCII = str.maketrans(BENGALI_DIGITS, "0123456789")

# The spellings the Bangla edition prints (index 0 = January).
MONTHS_BN = (
    "জানুয়ারি",
    "ফেব্রুয়ারি",
    "মার্চ",
    "এপ্রিল",
    "মে",
    "জুন",
    "জুলাই",
    "আগস্ট",
    "সেপ্টেম্বর",
    "অক্টোবর",
    "নভেম্বর",
    "ডিসেম্বর",
)
MONTHS_EN = tuple(calendar.month_name[1:])
# Monday = 0, as `datetime.weekday()`.
WEEKDAYS_BN = ("সোমবার", "মঙ্গলবার", "বুধবার", "বৃহস্পতিবার", "শুক্রবার", "শনিবার", "রবিবার")
WEEKDAYS_EN = tuple(calendar.day_name)

# Spellings seen in Bangla copy besides the canonical ones, by month (1-12) and weekday (Monday = 0);
# `_fold` already merges ী/ি, ূ/ু and ষ/স, so জানুয়ারী and আগষ্ট need no entry.
_MONTH_VARIANTS_BN: dict[int, tuple[str, ...]] = {
    1: ("জানুআরি",),
    2: ("ফেব্রুআরি", "ফেবরুয়ারি"),
    8: ("অগাস্ট", "অগস্ট", "আগাস্ট"),
    9: ("সেপ্টেম্বার", "সেপ্টেমবর"),
    10: ("অক্টোবার", "অকটোবর"),
    11: ("নভেম্বার",),
    12: ("ডিসেম্বার",),
}
_WEEKDAY_VARIANTS_BN: dict[int, tuple[str, ...]] = {
    1: ("মংগলবার",),
    3: ("বিষ্যুদবার", "বেস্পতিবার"),
    6: ("রোববার", "রোবার"),
}
_BANGLA_ORDINAL_SUFFIXES = ("ই", "লা", "রা", "ঠা", "শে")


def _is_bangla(language: str) -> bool:
    return language.lower().startswith("bn")


def _fold(word: str) -> str:
    """A spelling key: case, NFC (which splits য় into য + nukta), joiners, common vowel/sibilant variants."""
    word = unicodedata.normalize("NFC", word).casefold()
    word = word.replace("\u200c", "").replace("\u200d", "")
    return word.replace("ী", "ি").replace("ূ", "ু").replace("ষ", "স").strip(".,")


def _name_table(names: tuple[str, ...], bangla: tuple[str, ...], extra: dict[int, tuple[str, ...]]) -> dict[str, int]:
    """Folded spelling -> position in `names`; `extra` is keyed by position too."""
    table: dict[str, int] = {}
    for index, (english, bengali) in enumerate(zip(names, bangla, strict=True)):
        for name in (english, english[:3], bengali, *extra.get(index, ())):
            table[_fold(name)] = index
    return table


_MONTH_LOOKUP = _name_table(
    MONTHS_EN, MONTHS_BN, {month - 1: spellings for month, spellings in _MONTH_VARIANTS_BN.items()}
)
_MONTH_LOOKUP[_fold("Sept")] = 8
_WEEKDAY_LOOKUP = _name_table(WEEKDAYS_EN, WEEKDAYS_BN, _WEEKDAY_VARIANTS_BN)
_WEEKDAY_LOOKUP.update({_fold("Tues"): 1, _fold("Thur"): 3, _fold("Thurs"): 3})


# -- digits and script --------------------------------------------------------------------------------
def to_bengali_digits(value: str | int) -> str:
    """ASCII digits to Bengali ones; everything else is left alone."""
    return str(value).translate(_TO_BENGALI)


def to_ascii_digits(text: str) -> str:
    """Bengali digits to ASCII, so one regex reads stamps from both editions."""
    return text.translate(_TO_ASCII)


def _is_bengali_char(char: str) -> bool:
    return "\u0980" <= char <= "\u09ff"


def is_bengali(text: str) -> bool:
    """True when most of the letters (and Bengali digits) in `text` are Bengali script.

    ASCII digits, punctuation and spaces do not count either way: Bangla copy is full of them.
    Empty or letterless text is not Bengali.
    """
    bengali = other = 0
    for char in text:
        if _is_bengali_char(char):
            if char.isalnum() or unicodedata.category(char).startswith("M"):
                bengali += 1
        elif char.isalpha():
            other += 1
    return bengali > other


# -- names ----------------------------------------------------------------------------------------------
def month_name(month: int, language: str) -> str:
    """The month as the edition prints it (1 = January)."""
    names = MONTHS_BN if _is_bangla(language) else MONTHS_EN
    return names[month - 1]


def weekday_name(weekday: int, language: str) -> str:
    """The weekday as the edition prints it (Monday = 0, like `datetime.weekday()`)."""
    names = WEEKDAYS_BN if _is_bangla(language) else WEEKDAYS_EN
    return names[weekday]


def parse_month(name: str) -> int:
    """1–12 from an English or Bangla month name, abbreviation or common variant spelling."""
    index = _MONTH_LOOKUP.get(_fold(name))
    if index is None:
        raise ValueError(f"{name!r} is not a month name")
    return index + 1


def parse_weekday(name: str) -> int:
    """0 (Monday)–6 from an English or Bangla weekday name, abbreviation or common variant spelling."""
    index = _WEEKDAY_LOOKUP.get(_fold(name))
    if index is None:
        raise ValueError(f"{name!r} is not a weekday name")
    return index


# -- formatting -----------------------------------------------------------------------------------------
def _digits(value: str | int, language: str) -> str:
    return to_bengali_digits(value) if _is_bangla(language) else str(value)


def format_date(day: date, language: str) -> str:
    """`5 December 2021` / `৫ ডিসেম্বর ২০২১`: day without a leading zero, full month name."""
    text = f"{day.day} {month_name(day.month, language)} {day.year:04d}"
    return to_bengali_digits(text) if _is_bangla(language) else text


def format_stamp(dt: datetime, language: str) -> str:
    """`12:20, 5 December 2021` / `১২:২০, ৫ ডিসেম্বর ২০২১`, on the 24-hour clock.

    The wire layout has no am/pm, so only a 24-hour clock lets a stamp round-trip.  `dt` is printed as
    given: convert it to the desk's zone first.
    """
    return f"{_digits(f'{dt.hour:02d}:{dt.minute:02d}', language)}, {format_date(dt, language)}"


def shows_update(published: datetime, updated: datetime) -> bool:
    """Whether the edition prints `Updated:` beside `Published:`: only when the two differ as printed,
    i.e. to the minute.  One rule for the wire text, the HTML page and the preview, so they agree and
    a wire export reads back with the same stamps."""
    return published.replace(second=0, microsecond=0) != updated.replace(second=0, microsecond=0)


def format_edition_date(dt: datetime | date, language: str) -> str:
    """The page's date under the masthead: `Friday, 26 April 2024` / `শুক্রবার, ২৬ এপ্রিল ২০২৪`."""
    return f"{weekday_name(dt.weekday(), language)}, {format_date(dt, language)}"


# -- parsing --------------------------------------------------------------------------------------------
_ORDINAL = r"(?:st|nd|rd|th|" + "|".join(_BANGLA_ORDINAL_SUFFIXES) + ")?"
# A month is a run of letters/marks: `[^\W\d_]` misses Bengali vowel signs, hence the explicit block.
_MONTH_WORD = r"(?:[^\W\d_]|[\u0980-\u09ff])(?:[^\W\d_]|[\u0980-\u09ff]|\.)*"
_DAY_MONTH_YEAR = re.compile(
    rf"(?P<day>\d{{1,2}}){_ORDINAL}\s*,?\s*(?P<month>{_MONTH_WORD})\s*,?\s*(?P<year>\d{{4}})", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"(?P<month>{_MONTH_WORD})\s*(?P<day>\d{{1,2}}){_ORDINAL}\s*,?\s*(?P<year>\d{{4}})", re.IGNORECASE
)
_TIME = r"(?P<hour>\d{1,2})\s*[:.]\s*(?P<minute>\d{2})(?:\s*(?P<ampm>[ap]\.?\s?m\.?))?"
_STAMP_TIME_FIRST = re.compile(rf"{_TIME}\s*,?\s*(?P<date>.+)", re.IGNORECASE)
_STAMP_DATE_FIRST = re.compile(rf"(?P<date>.+?)\s*,?\s*(?:at\s+)?{_TIME}", re.IGNORECASE)
STAMP_EXAMPLE = "12:20, 5 December 2021"
# Longer text is not a stamp; the limit also keeps the lazy date-first pattern from going quadratic.
_LONGEST_STAMP = 80


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 60 else text[:59] + "…"


def _normalise(text: str) -> str:
    """ASCII digits, NFC, single ordinary spaces: NBSPs and doubled spaces are common in wire copy."""
    return " ".join(to_ascii_digits(unicodedata.normalize("NFC", text)).split())


def parse_date(text: str) -> date:
    """A calendar date from `5 December 2021`, `৫ই ডিসেম্বর ২০২১` or `December 5, 2021`.

    Raises ValueError saying what is wrong, e.g. "31 February 2021 is not a date: February 2021 has 28 days".
    """
    normal = _normalise(text)
    match = None
    if len(normal) <= _LONGEST_STAMP:
        match = _DAY_MONTH_YEAR.fullmatch(normal) or _MONTH_DAY_YEAR.fullmatch(normal)
    if match is None:
        raise ValueError(f"{_shorten(text)!r} is not a date like '5 December 2021'")
    month = parse_month(match["month"])
    day, year = int(match["day"]), int(match["year"])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{year} is outside the years a story can carry ({FIRST_YEAR}–{LAST_YEAR})")
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        name = MONTHS_EN[month - 1]
        raise ValueError(f"{day} {name} {year} is not a date: {name} {year} has {days_in_month} days")
    return date(year, month, day)


def check_year(moment: datetime, what: str) -> None:
    """Refuse a date the formats cannot print, in a sentence naming `what` (e.g. "The time")."""
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"{what} {moment:%Y-%m-%d} is outside the years a story can carry ({FIRST_YEAR}–{LAST_YEAR})")


def parse_stamp(text: str, zone: ZoneInfo) -> datetime:
    """An aware datetime in `zone` from a stamp in either edition (`12:20, 5 December 2021`).

    Accepts Bengali or ASCII digits, `12.20`, an optional am/pm, and the date before the time.  The
    stamp carries no UTC offset, so in the repeated hour when clocks go back it means the first one.
    """
    normal = _normalise(text)
    match = None
    if len(normal) <= _LONGEST_STAMP:
        match = _STAMP_TIME_FIRST.fullmatch(normal) or _STAMP_DATE_FIRST.fullmatch(normal)
    if match is None:
        raise ValueError(f"{_shorten(text)!r} is not a time and date like {STAMP_EXAMPLE!r}")
    day = parse_date(match["date"])
    hour, minute = int(match["hour"]), int(match["minute"])
    ampm = (match["ampm"] or "").replace(".", "").replace(" ", "").lower()
    clock = f"{match['hour']}:{match['minute']}" + (f" {ampm}" if ampm else "")
    if ampm:
        if not 1 <= hour <= 12:
            raise ValueError(f"{clock} is not a time of day")
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise ValueError(f"{clock} is not a time of day")
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


# The English letters as Bangla copy spells them, A to Z (ডব্লিউ and ডাব্লিউ both for W): acronyms such as বিএনপি and
# initials such as এম. এ. Shared by the spelling check (acronyms are not misspellings) and the copy desk (an
# initial's full stop does not end a sentence).  এ, ই, ও, কে and আর are everyday words as well.
ENGLISH_LETTER_NAMES = (
    "এ", "বি", "সি", "ডি", "ই", "এফ", "জি", "এইচ", "আই", "জে", "কে", "এল", "এম", "এন", "ও", "পি", "কিউ", "আর", "এস",
    "টি", "ইউ", "ভি", "ডব্লিউ", "ডাব্লিউ", "এক্স", "ওয়াই", "জেড",
)  # fmt: skip
LETTER_NAMES_THAT_ARE_WORDS = frozenset({"এ", "ই", "ও", "কে", "আর"})
