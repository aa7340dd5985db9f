from newsroom_tui.text.search import (
    SearchOptions,
    find_all,
    keep_case,
    location_to_offset,
    next_match,
    offset_to_location,
    replace_all,
)


def test_find_is_case_insensitive_by_default_and_literal():
    assert find_all("The the THE", "the") == [(0, 3), (4, 7), (8, 11)]
    assert find_all("The the", "the", SearchOptions(case_sensitive=True)) == [(4, 7)]
    assert find_all("a.b axb", "a.b") == [(0, 3)]  # not a regex


def test_whole_word_english_and_bangla():
    assert find_all("cat concat cat.", "cat", SearchOptions(whole_word=True)) == [(0, 3), (11, 14)]
    text = "ঢাকা ঢাকায় ঢাকার ঢাকা।"
    assert find_all(text, "ঢাকা", SearchOptions(whole_word=True)) == [(0, 4), (18, 22)]
    assert len(find_all(text, "ঢাকা")) == 4


def test_replace_all_is_literal_and_counts():
    assert replace_all("ransom ware and Ransom ware", "ransom ware", "ransomware") == ("ransomware and Ransomware", 2)
    assert replace_all("a+b", "a", r"\1") == (r"\1+b", 1)
    assert replace_all("x", "", "y") == ("x", 0)


def test_next_match_wraps_both_ways():
    matches = [(0, 1), (5, 6), (9, 10)]
    assert next_match(matches, 6) == (9, 10)
    assert next_match(matches, 10) == (0, 1)
    assert next_match(matches, 5, backwards=True) == (0, 1)
    assert next_match(matches, 0, backwards=True) == (9, 10)
    assert next_match([], 3) is None


def test_offsets_and_locations_agree():
    text = "one\n\nবাংলা two\nthree"
    for offset in range(len(text) + 1):
        assert location_to_offset(text, offset_to_location(text, offset)) == offset


def test_replace_keeps_the_case_of_what_it_replaces():
    """Issue 13: `toll` → `fee` made "fee collection" of "Toll collection"."""
    text = "Toll collection rose. The toll is TOLL-free for buses."
    assert replace_all(text, "toll", "fee") == ("Fee collection rose. The fee is FEE-free for buses.", 3)
    assert replace_all(text, "toll", "AFP fee") == (
        "AFP fee collection rose. The AFP fee is AFP fee-free for buses.",
        3,
    )
    assert replace_all(text, "toll", "fee", SearchOptions(case_sensitive=True)) == (
        "Toll collection rose. The fee is TOLL-free for buses.",
        1,
    )
    assert replace_all("ঢাকা এবং ঢাকা", "ঢাকা", "ঢাকায়") == ("ঢাকায় এবং ঢাকায়", 2)
    assert keep_case("T", "fee") == "Fee" and keep_case("A", "an") == "An"
