"""Archive search's rules (domain/search.py), read directly: what a query means, what matches, the snippet."""

import unicodedata

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.domain.search import (
    FIELD_SEPARATOR,
    MAX_TERMS,
    SNIPPET_LENGTH,
    fold,
    matches,
    parse_query,
    search_text,
    snippet_for,
)

YA, RRA, RHA = "\u09df", "\u09dc", "\u09dd"  # য় ড় ঢ় precomposed (what many keyboards type)
YA_DECOMPOSED, RRA_DECOMPOSED = "\u09af\u09bc", "\u09a1\u09bc"  # য + nukta, ড + nukta (what NFC makes of them)


def test_a_query_is_words_and_quoted_phrases_folded():
    query = parse_query('  Padma  "Bridge   Toll"  padma ')
    assert query.terms == ("padma", "bridge toll")  # a repeated word once, a phrase's spaces collapsed
    assert parse_query("“পদ্মা সেতু” টোল").terms == ("পদ্মা সেতু", "টোল")  # typographic quotes
    assert parse_query('toll "padma bri').terms == ("toll", "padma bri")  # an unclosed quote runs to the end
    assert parse_query('  ""  ').is_empty and parse_query("").is_empty
    assert len(parse_query(" ".join(f"w{n}" for n in range(50))).terms) == MAX_TERMS


def test_a_query_cannot_carry_terminal_control():
    query = parse_query("padma\x1b[31m \x1b]52;c;aGk=\x07toll")
    assert query.terms == ("padma", "toll")
    assert "\x1b" not in query.text


def test_fold_merges_what_bangla_copy_spells_two_ways():
    assert fold("পদ্মা\u200cসেতু") == fold("পদ্মাসেতু")  # ZWNJ ignored
    assert fold("র\u200d্যাব") == fold("র্যাব")  # ZWJ ignored
    for precomposed, decomposed in ((YA, YA_DECOMPOSED), (RRA, RRA_DECOMPOSED), (RHA, "\u09a2\u09bc")):
        assert fold(precomposed) == fold(decomposed)
    assert fold("২০২৪ সালের ১২ জুন") == fold("2024 সালের 12 জুন") == "2024 সালের 12 জুন"
    assert fold("PADMA\u00a0Bridge\n\ttoll") == "padma bridge toll"
    assert fold("STRASSE") == fold("Straße")  # casefold, not lower()


def test_every_term_must_occur_somewhere_in_the_searched_fields():
    story = Story(
        headline="Padma bridge toll rises",
        summary="Cars pay more from July.",
        body="The ministry said on Sunday.\n\nTransport owners warned that fares could follow.",
        byline="Staff Correspondent",
        tags=["transport", "padma-bridge"],
        dateline="Khulna",
        sign_off="Dhaka/Karim/NR",
        ednote="ask the minister",
    )
    for found in ("PADMA", "july", "owners warned", "staff", "padma-bridge", "toll july correspondent"):
        assert matches(parse_query(found), story), found
    for missing in ("khulna", "karim", "minister", "toll cricket", '"toll july"', '"rises cars"'):
        assert not matches(parse_query(missing), story), missing  # dateline, sign-off, ednote are not searched
    assert not matches(parse_query(""), story)  # a search for nothing finds nothing


def test_a_phrase_finds_its_words_across_a_line_break_but_never_across_two_fields():
    story = Story(headline="Flood warning", body="Rivers rise in the\nnorth.", tags=["north", "east"])
    assert matches(parse_query('"the north"'), story)
    assert not matches(parse_query('"warning rivers"'), story)  # end of headline + start of body
    assert not matches(parse_query('"north east"'), story)  # two tags
    assert FIELD_SEPARATOR not in fold(story.body)


def test_bangla_matches_whichever_way_the_nukta_letters_were_typed():
    stored = Story(headline=f"ঢাকা{YA} বৃষ্টি", body=f"নদী পারাপারে দেরি নি{YA}ে অভিযোগ, ভা{RRA}া বা{RRA}তে পারে।")
    typed_decomposed = f"নি{YA_DECOMPOSED}ে ভা{RRA_DECOMPOSED}া"
    assert matches(parse_query(typed_decomposed), stored)
    stored_decomposed = Story(body=f"ভা{RRA_DECOMPOSED}া বা{RRA_DECOMPOSED}বে")
    assert matches(parse_query(f"ভা{RRA}া"), stored_decomposed)
    assert matches(parse_query(f"ঢাকা{YA_DECOMPOSED}"), stored)
    assert not matches(parse_query("চট্টগ্রাম"), stored)


def test_bengali_and_ascii_digits_find_each_other():
    bangla = Story(headline="বাজেট ২০২৪", body="১২ জুন সংসদে পেশ হবে।")
    english = Story(headline="Budget 2024", body="Tabled on 12 June.")
    assert matches(parse_query("2024"), bangla) and matches(parse_query("২০২৪"), english)
    assert matches(parse_query('"১২ জুন"'), bangla) and matches(parse_query('"12 জুন"'), bangla)


def test_joiners_are_ignored_in_the_query_and_in_the_story():
    with_zwj = Story(body="র\u200d্যাব সদর দপ্তরে ব্রিফিং")
    without = Story(body="র্যাব সদর দপ্তরে ব্রিফিং")
    assert matches(parse_query("র্যাব"), with_zwj)
    assert matches(parse_query("র\u200d্যাব"), without)


def test_search_text_holds_the_five_fields_folded():
    story = Story(headline="A", summary="B", body="C", byline="D", tags=["E", "F"], dateline="G")
    assert search_text(story) == FIELD_SEPARATOR.join("abcdef")


# -- snippets -----------------------------------------------------------------------------------------------
LONG_BODY = (
    "The government said on Sunday that the review of traffic revenue and maintenance costs was complete. "
    "Transport owners warned that fares could follow, and commuters in Dhaka complained about delays. "
    "The new rates for the Padma bridge toll were approved by the cabinet committee on economic affairs "
    "on Thursday, and electronic payment lanes would open at both ends of the bridge next month. "
    "Officials expect the lanes to cut queues by half during the Eid holidays."
)


def test_the_snippet_is_plain_text_around_the_first_hit_cut_at_words():
    story = Story(headline="Toll rises", body=LONG_BODY)
    snippet = snippet_for(parse_query("cabinet"), story)
    assert "cabinet committee" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) <= SNIPPET_LENGTH + 2
    inner = snippet.strip("…")
    assert inner in LONG_BODY  # cut at word ends: every word whole, as stored
    assert LONG_BODY[LONG_BODY.index(inner) - 1] == " " and LONG_BODY[LONG_BODY.index(inner) + len(inner)] == " "


def test_the_snippet_shows_the_earliest_hit_of_any_term():
    story = Story(body=LONG_BODY)
    snippet = snippet_for(parse_query("eid commuters"), story)  # commuters comes first in the body
    assert "commuters in Dhaka" in snippet and "Eid" not in snippet


def test_the_snippet_of_a_short_body_is_the_whole_body_without_marks():
    story = Story(body="Rivers rise\n\nin the   north.")
    assert snippet_for(parse_query("north"), story) == "Rivers rise in the north."


def test_a_headline_only_hit_shows_the_summary_or_the_start_of_the_body():
    assert snippet_for(parse_query("toll"), Story(headline="Toll", summary="Cars pay more.", body="X")) == (
        "Cars pay more."
    )
    snippet = snippet_for(parse_query("ferry"), Story(headline="Ferry", body=LONG_BODY))
    assert snippet.startswith("The government said") and snippet.endswith("…")
    assert snippet_for(parse_query("toll"), Story(headline="Toll")) == "Toll"


def test_a_byline_or_tag_hit_shows_that_field():
    story = Story(headline="Toll", body="Nothing here.", byline="Staff Correspondent", tags=["transport", "dhaka"])
    assert snippet_for(parse_query("correspondent"), story) == "Staff Correspondent"
    assert snippet_for(parse_query("dhaka"), story) == "transport, dhaka"


def test_the_snippet_never_carries_markup_or_terminal_control_and_keeps_brackets_as_text():
    story = Story(body="[bold red]Padma[/] toll \x1b[2J rises <b>now</b>")
    snippet = snippet_for(parse_query("toll"), story)
    assert snippet == "[bold red]Padma[/] toll rises <b>now</b>"  # as stored: the front ends print it as text


def test_a_bangla_snippet_is_cut_between_letters_and_finds_the_other_nukta_form():
    sentence = f"সরকার মন্ত্রী কর্মকর্তারা রবিবার জানি{YA}েছেন পদ্মা সেতুর টোল জুলাই থেকে বা{RRA}বে। "
    body = sentence * 6 + f"রাজধানীতে বিদ্যুৎ বিভ্রাট নি{YA}ে নতুন সিদ্ধান্ত। " + sentence * 6
    story = Story(body=body, language="bn")
    snippet = snippet_for(parse_query(f'"বিভ্রাট নি{YA_DECOMPOSED}ে"'), story)
    assert f"বিভ্রাট নি{YA}ে" in snippet  # found through the other form, shown as stored
    assert snippet.startswith("…") and snippet.endswith("…")
    inner = snippet.strip("…")
    assert inner in " ".join(body.split())
    for end in (inner[0], inner[-1]):
        assert not unicodedata.category(end).startswith("M")  # no vowel sign or nukta cut from its letter
    assert inner[-1] != "\u09cd"  # nor a virama without its consonant


def test_a_hit_past_the_first_line_breaks_maps_back_to_the_stored_text():
    body = "Para one.\n\n" * 30 + "The ২০২৪ budget was tabled." + "\n\nPara two." * 30
    snippet = snippet_for(parse_query("2024 budget"), Story(body=body))
    assert "The ২০২৪ budget was tabled." in snippet


@pytest.mark.parametrize("size", [0, 1, 159, 160, 161, 500])
def test_snippets_stay_within_the_length_at_any_body_size(size):
    body = ("word " * size)[: max(0, size - 1)] + "x" if size else ""
    snippet = snippet_for(parse_query("x word"), Story(body=body))
    assert len(snippet) <= SNIPPET_LENGTH + 2
    assert "\n" not in snippet


def reference_fold(text: str) -> str:
    """What `fold` promises, spelled the slow, obvious way."""
    text = text.replace("\u200c", "").replace("\u200d", "")
    text = unicodedata.normalize("NFC", text).translate(str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789"))
    return " ".join(text.casefold().split())


def test_fold_is_nfc_casefold_and_collapsed_space_on_random_bangla_and_latin_text():
    import random

    alphabet = (
        "কখগঘঙচছজঝঞটঠডঢণতথদধনপফবভমযরলশষসহ"  # consonants
        "অআইঈউঊএঐওঔ ািীুূৃেৈোৌ্ঁংঃ়ৗৎ"  # vowels, vowel signs, virama, marks, nukta, au length mark
        f"{YA}{RRA}{RHA}০১২৩৪৫৬৭৮৯।"  # nukta letters, digits, danda
        "\u200c\u200d  \n\n\t\u00a0\u2002\u2000"  # joiners, spaces of every kind
        "AaÉéeE\u0301\u0300ßSsİKk\u212a123.,-\u201c\u201d"  # Latin, combining accents, casefold oddities
    )
    rng = random.Random(12)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert fold(text) == reference_fold(text), ascii(text)
    for text in ("ে\u09be", "ে\u09d7", "ে\u09bcা", "ক\u09cd\u09bc", "ড\u09bc\u09cd", "ঢাকা\n\nশহর", "\u2000ঢাকা"):
        assert fold(text) == reference_fold(text), ascii(text)


def test_a_snippet_is_found_where_casefold_and_the_stored_text_differ_in_length():
    body = "Traffic news. " * 20 + "Closed on Hauptstraße today." + " More traffic news." * 20
    assert "Closed on Hauptstraße today." in snippet_for(parse_query("strasse"), Story(body=body))
    composed_typed_apart = "Cafe\u0301 owners in Gulshan protested."
    assert snippet_for(parse_query("café owners"), Story(body=composed_typed_apart)) == composed_typed_apart


def test_a_snippet_is_found_through_joiners_vowel_halves_and_either_digits():
    stored = "র\u200d্যাব বলেছে ১২টি দোকান খ\u09c7\u09beলা ছিল।"  # a joiner, ো typed as its two halves
    body = "অন্য খবর। " * 30 + stored + " অন্য খবর।" * 30
    snippet = snippet_for(parse_query('"র্যাব বলেছে 12টি দোকান খোলা"'), Story(body=body))
    assert stored in snippet and snippet.startswith("…")


def test_an_english_story_s_search_text_is_ascii_so_it_takes_a_byte_a_character():
    story = Story(headline="Padma toll", summary="Cars pay more.", body="Rivers rise.", byline="Staff", tags=["x", "y"])
    assert search_text(story).isascii()
    assert not FIELD_SEPARATOR.isspace() and parse_query(f"a{FIELD_SEPARATOR}b").terms == ("ab",)
