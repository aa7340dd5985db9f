"""The portal's wire format: the real seed, the samples, the variations wire copy arrives with, round trip."""

from __future__ import annotations

import contextlib
import pickle
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.formats.wire import (
    WireFormatError,
    credit_on_own_line,
    export_wire,
    looks_like_edition_line,
    looks_like_sign_off,
    parse_wire,
    parse_wire_file,
    split_glued_credit,
    starts_with_stamp_label,
    wire_files,
)
from newsroom_tui.text import bangla

DHAKA = ZoneInfo("Asia/Dhaka")
REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED = SEEDS / "000_3cc73c12d30d1d0e.txt"
STORIES = REPO / "stories"

needs_seed = pytest.mark.skipif(
    not SEED.is_file(), reason=f"the real wire copy {SEED} is not here (shared/seeds, beside the repo)"
)

ENGLISH = """\
Newsroom Online News Portal

Dhaka  Friday, 26 April 2024

Padma Bridge toll for small trucks to fall

Staff Correspondent || newsroom.example

Published: 09:45, 13 March 2024
Padma Bridge toll for small trucks to fall

Owners of small trucks will pay less from April.

"A lower toll should bring more of them onto the bridge," an official said._UNB

Dhaka/Rafiqul/NR
"""

BANGLA = """\
নিউজরুম অনলাইন নিউজ পোর্টাল

ঢাকা  শুক্রবার, ২৬ এপ্রিল ২০২৪

চাঁদপুরে ইলিশের দাম চড়া

চাঁদপুর প্রতিনিধি || newsroom.example

প্রকাশিত: ১৭:০৫, ১৮ মে ২০২৪  আপডেট: ১৯:৩০, ১৮ মে ২০২৪
চাঁদপুরে ইলিশের দাম চড়া

বড়স্টেশন মাছঘাটে ইলিশের সরবরাহ কম।

জেলেরা বলছেন, খরচ বেড়েছে।_বাসস

চাঁদপুর/কামরুল/এআই
"""


def parse(text: str, name: str = "test.txt") -> Story:
    return parse_wire(text, zone=DHAKA, name=name)


def without_lines(text: str, *starts: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.startswith(starts))


# -- the real wire copy ------------------------------------------------------------------------------
@needs_seed
def test_seed_parses_to_the_story_the_desk_expects():
    story = parse_wire_file(SEED, zone=DHAKA)
    assert story.headline == "Biden, Putin to hold virtual meeting over Ukraine issue"
    assert story.byline == "News Desk"
    assert story.source == "risingbd.com"
    assert story.created_at == datetime(2021, 12, 5, 12, 20, tzinfo=DHAKA)
    assert story.created_at.astimezone(UTC) == datetime(2021, 12, 5, 6, 20, tzinfo=UTC)
    assert story.updated_at == story.created_at
    assert story.published_at is None
    assert story.credit == "Zee News"
    assert story.sign_off == "Dhaka/Shamera/AI"
    assert story.dateline == "Dhaka"
    assert story.language == "en"
    assert story.status is Status.DRAFT
    assert story.slug == ""
    paragraphs = story.body.split("\n\n")
    # 30 non-empty lines: masthead, edition, headline, byline, Published, headline again, sign-off + 23.
    assert len(paragraphs) == 23
    assert paragraphs[0].startswith("U.S. President Joe Biden will hold a virtual meeting")
    assert paragraphs[-1].endswith('against Ukraine."')
    # The paragraph break without a blank line is still a break; the trailing NBSP is gone.
    assert paragraphs[5] == "The exact timing of the call was not disclosed."
    assert paragraphs[6].endswith("at the end of January,")
    # Interior text is the copy desk's job: backtick apostrophes stay.
    assert "United States` support" in paragraphs[1]
    assert not any(p != p.strip() for p in paragraphs)


@needs_seed
def test_seed_round_trips_through_export():
    story = parse_wire_file(SEED, zone=DHAKA)
    again = parse(export_wire(story, masthead="Risingbd", edition_city="Dhaka", zone=DHAKA))
    assert_same_story(again, story)


# -- the samples ---------------------------------------------------------------------------------------
SAMPLES = sorted(STORIES.glob("*.txt"))


def test_there_are_enough_samples():
    assert len(SAMPLES) >= 6
    languages = [parse_wire_file(path, zone=DHAKA).language for path in SAMPLES]
    assert languages.count("bn") >= 2
    assert languages.count("en") >= 2


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.name)
def test_every_sample_parses(path):
    story = parse_wire_file(path, zone=DHAKA)
    assert story.headline and story.byline and story.source == "newsroom.example"
    assert 150 <= story.word_count <= 400
    assert story.created_at.tzinfo is not None
    assert story.language == ("bn" if bangla.is_bengali(story.headline) else "en")
    assert "\n\n" in story.body
    again = parse(export_wire(story, masthead="M", edition_city="Dhaka", zone=DHAKA))
    assert_same_story(again, story)


def test_samples_show_the_variations():
    stories = {p.name: (p.read_text(encoding="utf-8"), parse_wire_file(p, zone=DHAKA)) for p in SAMPLES}
    assert any(s.updated_at != s.created_at for _, s in stories.values())
    assert any(s.sign_off == "" for _, s in stories.values())
    assert any(re.search(r"^_\S", text, re.M) for text, _ in stories.values())  # credit on its own line
    # One starts with its headline: no masthead, no edition line.
    assert any(text.split("\n", 1)[0] == s.headline for text, s in stories.values())
    bangla_texts = [text for text, s in stories.values() if s.language == "bn"]
    assert all("প্রকাশিত:" in text and re.search("[০-৯]", text) for text in bangla_texts)
    english = " ".join(s.body for _, s in stories.values() if s.language == "en")
    assert "`" in english and "  " in english  # a few realistic copy-desk problems


# -- variations real wire copy arrives with ---------------------------------------------------------
def test_the_reference_layout():
    story = parse(ENGLISH)
    assert story.headline == "Padma Bridge toll for small trucks to fall"
    assert story.byline == "Staff Correspondent"
    assert story.source == "newsroom.example"
    assert story.body == (
        "Owners of small trucks will pay less from April.\n\n"
        '"A lower toll should bring more of them onto the bridge," an official said.'
    )
    assert story.credit == "UNB"
    assert story.sign_off == "Dhaka/Rafiqul/NR"
    assert story.dateline == "Dhaka"
    assert story.created_at == story.updated_at == datetime(2024, 3, 13, 9, 45, tzinfo=DHAKA)


def test_nbsp_and_trailing_whitespace():
    text = ENGLISH.replace("Dhaka  Friday", "Dhaka\xa0 \xa0 Friday\xa0").replace("\n", " \xa0\t\n")
    text = text.replace("Staff Correspondent ||", "Staff\xa0Correspondent\xa0||")
    story = parse(text)
    assert story == parse(ENGLISH).copy(id=story.id, created_at=story.created_at, updated_at=story.updated_at)
    assert story.byline == "Staff Correspondent"
    assert not any(line != line.rstrip() for line in story.body.split("\n"))


def test_nbsp_inside_a_paragraph_is_left_for_the_copy_desk():
    story = parse(ENGLISH.replace("will pay less", "will\xa0pay  less"))
    assert "will\xa0pay  less" in story.body


def test_crlf_and_bom():
    story = parse("\ufeff" + ENGLISH.replace("\n", "\r\n"))
    assert story.headline == "Padma Bridge toll for small trucks to fall"
    assert story.sign_off == "Dhaka/Rafiqul/NR"
    assert "\r" not in story.body


def test_file_with_bom_and_crlf(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + ENGLISH.replace("\n", "\r\n").encode())
    assert parse_wire_file(path, zone=DHAKA).headline == "Padma Bridge toll for small trucks to fall"
    path.write_bytes(ENGLISH.encode())
    assert parse_wire_file(str(path), zone=DHAKA).credit == "UNB"


@pytest.mark.parametrize(
    "drop",
    [("Newsroom Online",), ("Dhaka  Friday",), ("Newsroom Online", "Dhaka  Friday")],
    ids=["no masthead", "no edition line", "neither"],
)
def test_missing_masthead_or_edition_line(drop):
    story = parse(without_lines(ENGLISH, *drop))
    assert story.headline == "Padma Bridge toll for small trucks to fall"
    assert story.byline == "Staff Correspondent"


def test_masthead_and_edition_without_blank_lines():
    story = parse(ENGLISH.replace("Portal\n\nDhaka", "Portal\nDhaka").replace("2024\n\nPadma", "2024\nPadma"))
    assert story.headline == "Padma Bridge toll for small trucks to fall"


def test_headline_not_repeated():
    text = ENGLISH.replace("2024\nPadma Bridge toll for small trucks to fall\n", "2024\n")
    story = parse(text)
    assert story.headline == "Padma Bridge toll for small trucks to fall"
    assert story.body.startswith("Owners of small trucks")


def test_headline_repeated_with_different_spacing_is_still_the_repeat():
    story = parse(ENGLISH.replace("2024\nPadma Bridge toll", "2024\nPadma  Bridge\xa0toll"))
    assert story.body.startswith("Owners of small trucks")


def test_credit_on_its_own_line():
    story = parse(ENGLISH.replace("said._UNB", "said.\n\n_UNB"))
    assert story.credit == "UNB"
    assert story.body.endswith("an official said.")
    story = parse(ENGLISH.replace("said._UNB", "said.\n_ AFP "))
    assert story.credit == "AFP"


def test_lower_case_credit_after_punctuation():
    assert parse(ENGLISH.replace("_UNB", "_dpa")).credit == "dpa"


def test_no_credit():
    story = parse(ENGLISH.replace("._UNB", "."))
    assert story.credit == ""
    assert story.body.endswith("an official said.")


def test_no_sign_off():
    story = parse(ENGLISH.replace("Dhaka/Rafiqul/NR\n", ""))
    assert story.sign_off == ""
    assert story.dateline == ""
    assert story.credit == "UNB"


def test_no_sign_off_no_credit_keeps_every_paragraph():
    story = parse(ENGLISH.replace("._UNB", ".").replace("Dhaka/Rafiqul/NR\n", ""))
    assert len(story.paragraphs) == 2


def test_updated_on_the_same_line_and_on_the_next():
    same = parse(ENGLISH.replace("13 March 2024\n", "13 March 2024  Updated: 16:10, 13 March 2024\n"))
    assert same.updated_at == datetime(2024, 3, 13, 16, 10, tzinfo=DHAKA)
    assert same.created_at == datetime(2024, 3, 13, 9, 45, tzinfo=DHAKA)
    piped = parse(ENGLISH.replace("13 March 2024\n", "13 March 2024 | Last updated: 16.10, 13 March 2024\n"))
    assert piped.updated_at == same.updated_at
    next_line = parse(ENGLISH.replace("13 March 2024\n", "13 March 2024\nUpdated: 16:10, 13 March 2024\n"))
    assert next_line.updated_at == same.updated_at
    assert next_line.body == same.body


def test_bangla_edition():
    story = parse(BANGLA)
    assert story.language == "bn"
    assert story.headline == "চাঁদপুরে ইলিশের দাম চড়া"
    assert story.byline == "চাঁদপুর প্রতিনিধি"
    assert story.source == "newsroom.example"
    assert story.created_at == datetime(2024, 5, 18, 17, 5, tzinfo=DHAKA)
    assert story.updated_at == datetime(2024, 5, 18, 19, 30, tzinfo=DHAKA)
    assert story.credit == "বাসস"
    assert story.sign_off == "চাঁদপুর/কামরুল/এআই"
    assert story.dateline == "চাঁদপুর"
    assert story.body == "বড়স্টেশন মাছঘাটে ইলিশের সরবরাহ কম।\n\nজেলেরা বলছেন, খরচ বেড়েছে।"


def test_bangla_with_ascii_digits_and_variant_month_spelling():
    story = parse(BANGLA.replace("১৭:০৫, ১৮ মে ২০২৪  আপডেট: ১৯:৩০, ১৮ মে ২০২৪", "17.05, 18 জানুয়ারী 2024"))
    assert story.created_at == datetime(2024, 1, 18, 17, 5, tzinfo=DHAKA)
    assert story.language == "bn"


def test_language_follows_the_text_under_english_labels():
    stamps = "প্রকাশিত: ১৭:০৫, ১৮ মে ২০২৪  আপডেট: ১৯:৩০, ১৮ মে ২০২৪"
    text = BANGLA.replace(stamps, "Published: 17:05, 18 May 2024")
    assert parse(text).language == "bn"


def test_terminal_control_is_stripped():
    nasty = ENGLISH.replace("Padma Bridge toll", "Padma \x1b[31mBridge\x1b]52;c;ZXZpbA==\x07 toll\u202e")
    nasty = nasty.replace("Owners of", "Owners\x1bc of\x9b2J")
    story = parse(nasty)
    assert story.headline == "Padma Bridge toll for small trucks to fall"
    assert story.body.startswith("Owners of small trucks")
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", story.body + story.headline)


def test_headline_may_contain_double_bars():
    story = parse(ENGLISH.replace("Padma Bridge toll for small trucks to fall", "Toll || cut"))
    assert story.headline == "Toll || cut"
    assert story.byline == "Staff Correspondent"


def test_no_byline_line():
    story = parse(without_lines(ENGLISH, "Staff Correspondent"))
    assert story.headline == "Padma Bridge toll for small trucks to fall"
    assert (story.byline, story.source) == ("", "")


def test_headline_ending_in_a_weekday_and_date_is_still_a_headline():
    headline = "Polls on Sunday, 7 January 2024"
    story = parse(
        without_lines(ENGLISH, "Newsroom Online", "Dhaka  Friday").replace(
            "Padma Bridge toll for small trucks to fall", headline
        )
    )
    assert story.headline == headline


def test_importing_leaves_publishing_to_the_desk():
    story = parse(ENGLISH)
    assert story.status is Status.DRAFT
    assert story.published_at is None
    assert story.slug == ""
    assert story.version == 0


# -- malformed input -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "the file is empty"),
        (" \n\xa0\n\r\n", "the file is empty"),
        (without_lines(ENGLISH, "Published"), "no `Published:` line, so this is not wire copy"),
        ("Just a note to the desk.\nCall me.\n", "no `Published:` line"),
        (without_lines(ENGLISH, "Padma Bridge"), "no headline above the `byline || source` line"),
        (without_lines(ENGLISH, "Padma Bridge", "Staff"), "no headline above the `Published:` line"),
        ("Published: 12:20, 5 December 2021\nbody\n", "no headline"),
        (ENGLISH.replace("09:45, 13 March 2024", "31 February 2024"), "cannot be read"),
        (
            ENGLISH.replace("13 March", "31 February"),
            "the `Published:` stamp '09:45, 31 February 2024' cannot be read: 31 February 2024 is not a date: "
            "February 2024 has 29 days",
        ),
        (ENGLISH.replace("09:45", "29:45"), "29:45 is not a time of day"),
        (ENGLISH.replace("09:45, 13 March 2024", ""), "the `Published:` line has no time and date"),
        (ENGLISH.replace("13 March 2024\n", "13 March 2024  Updated: soon\n"), "the `Updated:` stamp 'soon'"),
        (BANGLA.replace("১৮ মে ২০২৪  আপডেট", "৩১ ফেব্রুয়ারি ২০২৪  আপডেট"), "`প্রকাশিত:` stamp"),
        (ENGLISH.replace("\n\nPublished", "\nPhoto: file\nPublished"), "unexpected text 'Photo: file'"),
        ("a\x00b\x00Published: 12:20, 5 December 2021", "NUL bytes, so it is a binary file"),
        ("\x1b[2J\x07\x08", "the file is empty"),
    ],
)
def test_malformed_input_is_a_wire_format_error(text, reason):
    with pytest.raises(WireFormatError) as caught:
        parse(text, name="politics.txt")
    message = str(caught.value)
    assert message.startswith("politics.txt: ")
    assert reason in message
    assert "\n" not in message


def test_error_names_the_file_and_the_reason_in_one_sentence():
    with pytest.raises(WireFormatError) as caught:
        parse("Hello\n", name="politics.txt")
    assert str(caught.value) == "politics.txt: no `Published:` line, so this is not wire copy"
    assert caught.value.name == "politics.txt"
    assert isinstance(caught.value, ValueError)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value)


def test_undecodable_and_binary_files(tmp_path):
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes(ENGLISH.replace("Owners", "Öwners").encode("latin-1"))
    not_utf8 = r"latin1\.txt: it is not UTF-8 text \(byte 0xd6 at offset \d+\)"
    with pytest.raises(WireFormatError, match=not_utf8):
        parse_wire_file(latin1, zone=DHAKA)
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00")
    with pytest.raises(WireFormatError, match="binary file"):
        parse_wire_file(binary, zone=DHAKA)
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(ENGLISH.encode("utf-16"))
    with pytest.raises(WireFormatError, match="UTF-16"):
        parse_wire_file(utf16, zone=DHAKA)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(WireFormatError, match=r"empty\.txt: the file is empty"):
        parse_wire_file(empty, zone=DHAKA)


def test_unreadable_file_is_a_wire_format_error(tmp_path):
    with pytest.raises(WireFormatError, match="cannot be read"):
        parse_wire_file(tmp_path / "missing.txt", zone=DHAKA)
    with pytest.raises(WireFormatError, match="cannot be read"):
        parse_wire_file(tmp_path, zone=DHAKA)


FRAGMENTS = [
    *ENGLISH.split("\n"),
    *BANGLA.split("\n"),
    "Published:",
    "Updated: 12:20",
    "||",
    "_",
    "_AFP",
    "a/b",
    "প্রকাশিত: ৯৯:৯৯, ৩১ ফেব্রুয়ারি ২০২৪",
    "Published: 12:20, 31 February 2021",
    "Published: 0:00, 1 Jan 0000",
    "Published: 12:20, 5 December 2021 Updated:",
    "Dhaka Friday 30 February 2024",
    "\ufeff",
    "\r",
    "\x1b[2J",
]
wire_like_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet=st.characters(codec="utf-8"), max_size=40)),
    max_size=16,
).map("\n".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet=st.characters(codec="utf-8"), max_size=400), wire_like_text))
def test_any_text_is_a_story_or_a_wire_format_error(text):
    try:
        story = parse(text)
    except WireFormatError:
        return
    assert story.headline


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 15), max_size=6), st.sampled_from([ENGLISH, BANGLA]))
def test_damaged_copy_is_a_story_or_a_wire_format_error(cuts, text):
    lines = text.split("\n")
    for cut in cuts:
        if lines:
            del lines[cut % len(lines)]
    with contextlib.suppress(WireFormatError):
        parse("\n".join(lines))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_any_bytes_are_a_story_or_a_wire_format_error(tmp_path, data):
    path = tmp_path / "junk.txt"
    path.write_bytes(data)
    with contextlib.suppress(WireFormatError):
        parse_wire_file(path, zone=DHAKA)


# -- finding files ------------------------------------------------------------------------------------
def test_wire_files_takes_files_and_txt_in_folders(tmp_path):
    folder = tmp_path / "wire"
    (folder / "sub").mkdir(parents=True)
    for name in ("b.txt", "a.txt", "notes.md", ".#a.txt", "C.TXT", "sub/deep.txt"):
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "dir.txt").mkdir()
    loose = tmp_path / "loose.wire"
    loose.write_text("x", encoding="utf-8")
    found = wire_files([folder, loose, folder / "a.txt", tmp_path / "missing.txt"])
    assert found == sorted([folder / "C.TXT", folder / "a.txt", folder / "b.txt", loose])
    assert wire_files(iter([])) == []


def test_wire_files_on_the_samples():
    assert wire_files([STORIES]) == SAMPLES


# -- export ---------------------------------------------------------------------------------------------
def test_export_layout():
    story = parse(ENGLISH)
    story = story.copy(published_at=story.created_at, updated_at=datetime(2024, 3, 13, 10, 30, 0, tzinfo=UTC))
    text = export_wire(
        story,
        masthead="Newsroom Online News Portal",
        edition_city="Dhaka",
        zone=DHAKA,
        edition_date=datetime(2024, 4, 26, 8, 0, tzinfo=DHAKA),
    )
    assert text == ENGLISH.replace("09:45, 13 March 2024\n", "09:45, 13 March 2024  Updated: 16:30, 13 March 2024\n")


def test_export_bangla_uses_bangla_labels_digits_and_months():
    story = parse(BANGLA)
    story = story.copy(published_at=story.created_at)
    text = export_wire(
        story,
        masthead="নিউজরুম অনলাইন নিউজ পোর্টাল",
        edition_city="ঢাকা",
        zone=DHAKA,
        edition_date=datetime(2024, 4, 26, 8, 0, tzinfo=DHAKA),
    )
    assert text == BANGLA


def test_export_uses_the_published_time_and_omits_an_equal_update():
    story = parse(ENGLISH).copy(
        published_at=datetime(2024, 3, 14, 8, 0, 30, tzinfo=DHAKA),
        updated_at=datetime(2024, 3, 14, 8, 0, 59, tzinfo=DHAKA),
    )
    text = export_wire(story, masthead="", edition_city="", zone=DHAKA)
    assert "Published: 08:00, 14 March 2024\n" in text
    assert "Updated" not in text
    assert text.startswith(bangla.format_edition_date(datetime.now(DHAKA), "en")) or text.startswith(
        bangla.format_edition_date(datetime.now(DHAKA) - timedelta(minutes=1), "en")
    )


def test_export_converts_stamps_to_the_desk_zone():
    story = Story(headline="H", body="B", created_at=datetime(2021, 12, 5, 6, 20, tzinfo=UTC))
    story.updated_at = story.published_at = story.created_at
    text = export_wire(story, masthead="M", edition_city="", zone=DHAKA)
    assert "Published: 12:20, 5 December 2021\n" in text


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("en", "Not yet published · Filed: 09:45, 13 March 2024  Updated: 16:30, 13 March 2024"),
        ("bn", "এখনও প্রকাশিত হয়নি · দাখিল:"),
    ],
)
def test_a_draft_says_it_was_never_published_and_reads_back_as_that_draft(source, line):
    """A never-published draft once went out stamped `প্রকাশিত: ১৩:২৭` while the preview said "not yet
    published"; now the stamp line says what the preview says, and its times come back."""
    story = parse(ENGLISH if source == "en" else BANGLA)
    if source == "en":
        story = story.copy(updated_at=datetime(2024, 3, 13, 10, 30, 0, tzinfo=UTC))
    text = export_wire(story, masthead="M", edition_city="Dhaka", zone=DHAKA)
    assert line in text
    assert "Published:" not in text and "প্রকাশিত:" not in text
    again = parse(text)
    assert_same_story(again, story)
    assert again.created_at == story.created_at.replace(second=0) and again.updated_at == story.updated_at.replace(
        second=0, microsecond=0
    )


def test_the_correction_note_travels_in_the_wire_text():
    story = parse(ENGLISH)
    story = story.copy(published_at=story.created_at, correction_note="An earlier version gave the wrong toll.")
    text = export_wire(story, masthead="M", edition_city="Dhaka", zone=DHAKA)
    assert "\nCorrection: An earlier version gave the wrong toll.\n\n" + story.sign_off + "\n" in text
    again = parse(text)
    assert again.correction_note == "An earlier version gave the wrong toll."
    assert again.body == story.body and again.sign_off == story.sign_off and again.credit == story.credit
    bangla_story = parse(BANGLA).copy(correction_note="আগের সংস্করণে টোলের হার ভুল ছিল।")
    assert "সংশোধনী: আগের সংস্করণে টোলের হার ভুল ছিল।" in export_wire(
        bangla_story, masthead="M", edition_city="ঢাকা", zone=DHAKA
    )


def test_export_puts_a_credit_that_cannot_be_glued_on_its_own_line():
    story = Story(headline="H", body="Read it in the file_name", credit="dpa", sign_off="")
    text = export_wire(story, masthead="M", edition_city="Dhaka", zone=DHAKA)
    assert text.endswith("Read it in the file_name\n\n_dpa\n")
    assert parse(text).credit == "dpa"
    assert parse(text).body == "Read it in the file_name"


def test_export_of_a_story_with_only_a_headline():
    story = Story(headline="Breaking: fire at Bangabazar", body="")
    again = parse(export_wire(story, masthead="M", edition_city="Dhaka", zone=DHAKA))
    assert again.headline == story.headline
    assert again.body == ""


def test_export_writes_one_line_per_paragraph():
    story = Story(headline="H", body="One line\nbroken by Enter.\n\nSecond \x1b[31mparagraph.")
    text = export_wire(story, masthead="M", edition_city="Dhaka", zone=DHAKA)
    assert "\nOne line broken by Enter.\n\nSecond paragraph.\n" in text


# -- round trip -------------------------------------------------------------------------------------------
def assert_same_story(again: Story, story: Story) -> None:
    for name in ("headline", "byline", "source", "body", "credit", "sign_off", "language", "dateline"):
        assert getattr(again, name) == getattr(story, name), name
    published = story.published_at or story.created_at
    assert again.created_at == published.replace(second=0, microsecond=0)
    assert again.updated_at == story.updated_at.replace(second=0, microsecond=0)


def one_line(text: str) -> str:
    return " ".join(text.split())


LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
BENGALI = "অআইউএওকখগঘঙচছজঝটঠডঢণতথদধনপফবভমযরলশষসহড়ঢ়য়ৎািীুূৃেৈোৌ্ংঃঁ০১২৩৪৫৬৭৮৯।\u200c\u200d"
PUNCTUATION = " .,;:'\"`!?-()/_|“”‘’—%\xa0\t"

english_text = st.text(alphabet=LATIN + PUNCTUATION, min_size=1, max_size=60)
bangla_text = st.text(alphabet=BENGALI + BENGALI + LATIN[:10] + PUNCTUATION, min_size=1, max_size=60)
zones = st.sampled_from([DHAKA, ZoneInfo("UTC"), ZoneInfo("Europe/London"), ZoneInfo("Asia/Kolkata")])
moments = st.datetimes(min_value=datetime(1980, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))


def is_ambiguous(moment: datetime, zone: ZoneInfo) -> bool:
    """A wall-clock time that occurs twice (clocks going back): the format has no offset to tell which."""
    local = moment.astimezone(zone)
    other = local.replace(fold=1 - local.fold)
    return other.utcoffset() != local.utcoffset()


@st.composite
def stories(draw: st.DrawFn) -> tuple[Story, ZoneInfo]:
    language = draw(st.sampled_from(["en", "bn"]))
    text = english_text if language == "en" else bangla_text
    headline = one_line(draw(text))
    assume(headline and not starts_with_stamp_label(headline) and not looks_like_edition_line(headline))
    byline = one_line(draw(st.one_of(st.just(""), text)))
    assume("||" not in byline and not starts_with_stamp_label(byline))
    source = one_line(draw(st.sampled_from(["", "newsroom.example", "risingbd.com", "UNB || BSS"])))
    paragraphs = [p.strip() for p in draw(st.lists(text, max_size=5))]
    paragraphs = [p for p in paragraphs if p]
    credit = one_line(draw(st.one_of(st.just(""), st.sampled_from(["AFP", "Zee News", "dpa", "বাসস"]), text)))
    assume(not credit or credit_on_own_line("_" + credit) == credit)
    words = st.text(alphabet=(LATIN if language == "en" else BENGALI) + " ", min_size=1, max_size=12)
    sign_off = draw(st.one_of(st.just(""), st.lists(words, min_size=2, max_size=4).map("/".join)))
    sign_off = one_line(sign_off)
    assume(not sign_off or looks_like_sign_off(sign_off))
    if paragraphs and not credit:
        assume(credit_on_own_line(paragraphs[-1]) is None and split_glued_credit(paragraphs[-1]) is None)
    if paragraphs and not credit and not sign_off:
        assume(not looks_like_sign_off(paragraphs[-1]))
    zone = draw(zones)
    created = draw(moments)
    published = draw(st.one_of(st.none(), st.just(created + timedelta(hours=2))))
    updated = created + draw(
        st.sampled_from([timedelta(0), timedelta(seconds=59), timedelta(minutes=1), timedelta(days=3, minutes=7)])
    )
    for moment in (created, published, updated):
        assume(moment is None or not is_ambiguous(moment, zone))
    story = Story(
        headline=headline,
        byline=byline,
        source=source,
        body="\n\n".join(paragraphs),
        credit=credit,
        sign_off=sign_off,
        dateline=sign_off.split("/")[0].strip() if sign_off else "",
        language=language,
        created_at=created.astimezone(zone),
        updated_at=updated.astimezone(zone),
        published_at=published,
    )
    return story, zone


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(stories(), st.sampled_from([("Newsroom Online News Portal", "Dhaka"), ("নিউজরুম", "ঢাকা"), ("", "")]))
def test_export_then_parse_gives_the_story_back(generated, page):
    story, zone = generated
    masthead, city = page
    text = export_wire(
        story, masthead=masthead, edition_city=city, zone=zone, edition_date=datetime(2024, 4, 26, tzinfo=zone)
    )
    again = parse_wire(text, zone=zone, name="round-trip.txt")
    assert_same_story(again, story)
    assert again.slug == "" and again.published_at is None and again.status is Status.DRAFT


def test_a_stray_escape_in_a_wire_paragraph_loses_no_words():
    """Issue 11, item 2: an unterminated `ESC P` once swallowed every paragraph after it, exit 0."""
    from newsroom_tui.domain.model import count_words

    sample = (Path(__file__).resolve().parents[1] / "stories" / "padma-bridge-toll.txt").read_text("utf-8")
    story = parse_wire(sample, zone=ZoneInfo("Asia/Dhaka"))
    first_word = story.paragraphs[0].split()[0]
    broken = sample.replace(first_word, "\x1bPolice-escorted " + first_word, 1)
    damaged = parse_wire(broken, zone=ZoneInfo("Asia/Dhaka"))
    assert count_words(damaged.body) == count_words(story.body) + 1
    assert damaged.body.startswith("Police-escorted " + first_word)
    assert damaged.sign_off == story.sign_off and damaged.credit == story.credit
    assert "\x1b" not in damaged.body


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_a_wire_stamp_in_an_impossible_year_is_refused(year):
    sample = (Path(__file__).resolve().parents[1] / "stories" / "padma-bridge-toll.txt").read_text("utf-8")
    broken = re.sub(r"(Published: [^\n]*?)(\d{4})\b", lambda m: m[1] + year, sample, count=1)
    assert broken != sample
    with pytest.raises(WireFormatError, match="outside the years a story can carry"):
        parse_wire(broken, zone=ZoneInfo("Asia/Dhaka"))


def test_a_field_past_its_ceiling_is_refused_at_import(tmp_path):
    """Issue 11, item 23: a 1,000,000-character headline imported with exit 0 and froze the desk on open."""
    from newsroom_tui.formats.wire import WireFormatError, parse_wire_file

    wire = (Path(__file__).parent.parent / "stories" / "tigers-clinch-series-in-sylhet.txt").read_text()
    long = tmp_path / "long.txt"
    long.write_text(wire.replace("Tigers clinch series in Sylhet with a game to spare", "Tigers " * 150_000, 1))
    with pytest.raises(WireFormatError) as caught:
        parse_wire_file(long, zone=ZoneInfo("Asia/Dhaka"))
    assert str(caught.value) == (
        f"{long}: the headline is 1,049,999 characters; a headline holds at most 1,000, so the file's layout is broken"
    )
    byline = tmp_path / "byline.txt"
    byline.write_text(wire.replace("Sports Desk ||", "Sports Desk " + "x" * 600 + " ||"))
    with pytest.raises(WireFormatError, match="the byline is 612 characters; a byline holds at most 500"):
        parse_wire_file(byline, zone=ZoneInfo("Asia/Dhaka"))


def test_validate_refuses_a_field_past_its_ceiling():
    from newsroom_tui.domain.model import Story, validate

    problems = validate(Story(headline="Fine", slug="fine", sign_off="D/" * 200, ednote="x" * 10_001))
    assert problems == {
        "sign_off": "The sign-off is 400 characters; a sign-off holds at most 200.",
        "ednote": "The editor's note is 10,001 characters; an editor's note holds at most 10,000.",
    }
