"""Bengali digits, names and the portal's stamps in both editions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom_tui.text import bangla

DHAKA = ZoneInfo("Asia/Dhaka")


def test_digits_both_ways():
    assert bangla.to_bengali_digits("12:20, 2021") == "১২:২০, ২০২১"
    assert bangla.to_bengali_digits(1971) == "১৯৭১"
    assert bangla.to_ascii_digits("১২:২০, ৫ ডিসেম্বর ২০২১") == "12:20, 5 ডিসেম্বর 2021"
    assert bangla.to_ascii_digits("no digits") == "no digits"


@given(st.text())
def test_digit_conversion_round_trips(text):
    ascii_only = bangla.to_ascii_digits(text)
    assert bangla.to_ascii_digits(bangla.to_bengali_digits(ascii_only)) == ascii_only


def test_month_and_weekday_names_as_the_edition_prints_them():
    assert bangla.month_name(1, "bn") == "জানুয়ারি"
    assert bangla.month_name(12, "bn") == "ডিসেম্বর"
    assert bangla.month_name(4, "en") == "April"
    assert bangla.weekday_name(0, "bn") == "সোমবার"
    assert bangla.weekday_name(6, "bn") == "রবিবার"
    assert bangla.weekday_name(4, "en") == "Friday"
    assert len(bangla.MONTHS_BN) == 12
    assert len(bangla.WEEKDAYS_BN) == 7


@pytest.mark.parametrize(
    ("name", "month"),
    [
        ("জানুয়ারি", 1),
        ("জানুয়ারী", 1),  # long ী
        ("জানু\u09df\u09be\u09b0\u09bf", 1),  # precomposed য় (U+09DF)
        ("জানু\u09af\u09bc\u09be\u09b0\u09bf", 1),  # য + nukta
        ("ফেব্রুয়ারী", 2),
        ("আগস্ট", 8),
        ("আগষ্ট", 8),
        ("অগাস্ট", 8),
        ("সেপ্টেম্বার", 9),
        ("ডিসেম্বর", 12),
        ("December", 12),
        ("dec", 12),
        ("Dec.", 12),
        ("Sept", 9),
    ],
)
def test_month_spelling_variants(name, month):
    assert bangla.parse_month(name) == month


@pytest.mark.parametrize(
    ("name", "weekday"),
    [
        ("সোমবার", 0),
        ("মঙ্গলবার", 1),
        ("বৃহস্পতিবার", 3),
        ("শুক্রবার", 4),
        ("রবিবার", 6),
        ("রোববার", 6),
        ("Friday", 4),
        ("fri", 4),
        ("Thurs", 3),
    ],
)
def test_weekday_spelling_variants(name, weekday):
    assert bangla.parse_weekday(name) == weekday


def test_unknown_names_say_what_was_given():
    with pytest.raises(ValueError, match="'Decmber' is not a month name"):
        bangla.parse_month("Decmber")
    with pytest.raises(ValueError, match="not a weekday name"):
        bangla.parse_weekday("Funday")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ঢাকার বাতাস অস্বাস্থ্যকর", True),
        ("ঢাকা, ১২ জুন ২০২৪", True),
        ("Dhaka 2024 ঢাকা", False),  # as many Latin letters as Bengali ones: not mostly Bengali
        ("শেখ হাসিনা said on Tuesday", False),
        ("Padma Bridge", False),
        ("১২৩", True),
        ("2024, 12:20", False),
        ("", False),
    ],
)
def test_is_bengali(text, expected):
    assert bangla.is_bengali(text) is expected


def test_format_stamp_both_editions():
    stamp = datetime(2021, 12, 5, 12, 20, 59, tzinfo=DHAKA)
    assert bangla.format_stamp(stamp, "en") == "12:20, 5 December 2021"
    assert bangla.format_stamp(stamp, "bn") == "১২:২০, ৫ ডিসেম্বর ২০২১"
    assert bangla.format_stamp(datetime(2024, 1, 8, 7, 5, tzinfo=DHAKA), "en") == "07:05, 8 January 2024"


def test_format_stamp_prints_the_time_it_is_given():
    utc = datetime(2021, 12, 5, 6, 20, tzinfo=UTC)
    assert bangla.format_stamp(utc, "en") == "06:20, 5 December 2021"
    assert bangla.format_stamp(utc.astimezone(DHAKA), "en") == "12:20, 5 December 2021"


def test_format_edition_date_one_clean_layout():
    assert bangla.format_edition_date(datetime(2024, 4, 26, 9, 0), "en") == "Friday, 26 April 2024"
    assert bangla.format_edition_date(date(2024, 4, 26), "bn") == "শুক্রবার, ২৬ এপ্রিল ২০২৪"
    assert "\xa0" not in bangla.format_edition_date(date(2024, 4, 26), "bn")


@pytest.mark.parametrize(
    "text",
    [
        "12:20, 5 December 2021",
        "১২:২০, ৫ ডিসেম্বর ২০২১",
        "12.20, 5 December 2021",
        "১২.২০, ৫ ডিসেম্বর ২০২১",
        "12:20, ৫ ডিসেম্বর 2021",  # mixed digits, as pasted copy has them
        "12:20,\xa05\xa0December\xa02021 \xa0",
        "12:20 5 Dec 2021",
        "12:20, 5th December 2021",
        "১২:২০, ৫ই ডিসেম্বর, ২০২১",
        "12:20 pm, 5 December 2021",
        "December 5, 2021, 12:20",
        "5 December 2021 at 12.20",
    ],
)
def test_parse_stamp_accepts_both_editions(text):
    assert bangla.parse_stamp(text, DHAKA) == datetime(2021, 12, 5, 12, 20, tzinfo=DHAKA)


def test_parse_stamp_is_aware_in_the_given_zone():
    stamp = bangla.parse_stamp("00:05, 1 জানুয়ারী 2022", DHAKA)
    assert stamp.tzinfo is DHAKA
    assert stamp.astimezone(UTC) == datetime(2021, 12, 31, 18, 5, tzinfo=UTC)
    assert bangla.parse_stamp("12:30 am, 1 May 2024", DHAKA).hour == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12:20, 31 February 2021", "31 February 2021 is not a date: February 2021 has 28 days"),
        ("12:20, 29 February 2023", "February 2023 has 28 days"),
        ("১২:২০, ৩১ এপ্রিল ২০২৪", "31 April 2024 is not a date: April 2024 has 30 days"),
        ("12:20, 0 May 2024", "0 May 2024 is not a date"),
        ("25:00, 1 May 2021", "25:00 is not a time of day"),
        ("12:60, 1 May 2021", "12:60 is not a time of day"),
        ("13:00 pm, 1 May 2021", "13:00 pm is not a time of day"),
        ("12:20, 5 Decmber 2021", "'Decmber' is not a month name"),
        ("yesterday", "'yesterday' is not a time and date like '12:20, 5 December 2021'"),
        ("", "is not a time and date"),
        ("12:20, 5 December", "is not a date like"),
        ("12:20, " + "9" * 500, "is not a time and date"),
    ],
)
def test_parse_stamp_errors_are_clear(text, message):
    with pytest.raises(ValueError, match=message):
        bangla.parse_stamp(text, DHAKA)


def test_parse_date_both_editions():
    assert bangla.parse_date("26 April 2024") == date(2024, 4, 26)
    assert bangla.parse_date("২৬ এপ্রিল ২০২৪") == date(2024, 4, 26)
    assert bangla.parse_date("April 26, 2024") == date(2024, 4, 26)


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31)),
    language=st.sampled_from(["en", "bn"]),
)
def test_format_then_parse_gives_the_same_minute(moment, language):
    local = moment.replace(tzinfo=DHAKA)
    text = bangla.format_stamp(local, language)
    assert bangla.parse_stamp(text, DHAKA).replace(tzinfo=None) == moment.replace(second=0, microsecond=0)
    if language == "bn":
        assert not any(char.isascii() and char.isdigit() for char in text)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), st.sampled_from(["en", "bn"]))
def test_edition_date_names_the_right_weekday(day, language):
    text = bangla.format_edition_date(day, language)
    weekday, _, rest = text.partition(", ")
    assert bangla.parse_weekday(weekday) == day.weekday()
    assert bangla.parse_date(rest) == day


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_parse_stamp_only_ever_raises_value_error(text):
    try:
        result = bangla.parse_stamp(text, DHAKA)
    except ValueError:
        return
    assert result.tzinfo is DHAKA
    assert abs(result - datetime(2000, 1, 1, tzinfo=DHAKA)) < timedelta(days=365 * 8000)


def test_shows_update_compares_stamps_as_printed():
    from datetime import datetime, timedelta

    from newsroom_tui.text.bangla import shows_update

    published = datetime(2024, 4, 26, 8, 15, 30, tzinfo=UTC)
    assert not shows_update(published, published + timedelta(seconds=20))  # both print 08:15
    assert shows_update(published, published + timedelta(seconds=40))  # 08:16: printed differently
