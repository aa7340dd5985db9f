import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom_tui.text.safety import clean_line, clean_text, for_display, has_terminal_control


def test_escape_sequences_are_removed_whole():
    assert clean_text("red \x1b[31malert\x1b[0m") == "red alert"
    assert clean_text("copy \x1b]52;c;ZXZpbA==\x07me") == "copy me"  # OSC 52 clipboard write
    assert clean_text("title \x1b]0;owned\x1b\\ok") == "title ok"
    assert clean_text("reset\x1bc now") == "reset now"
    assert clean_text("8-bit \x9b2J csi") == "8-bit  csi"


def test_c0_c1_and_bidi_controls_are_removed_but_newlines_tabs_zwj_zwnj_kept():
    text = "a\x00b\x07c\x85d\u202ee\u2066f\tg\nh\u200ci\u200dj"
    assert clean_text(text) == "abcdef\tg\nh\u200ci\u200dj"


def test_line_endings_bom_and_surrogates():
    assert clean_text("\ufeffone\r\ntwo\rthree") == "one\ntwo\nthree"
    assert clean_text("bad \udc80 half") == "bad \ufffd half"


def test_bengali_conjuncts_survive():
    text = "র‍্যাব ও জ্ঞান, ক্ষমা"  # র‍্যাব needs ZWJ
    assert clean_text(text) == text


def test_clean_line_joins_lines():
    assert clean_line("  Biden,\nPutin\tmeet  ") == "Biden, Putin meet"


def test_for_display_makes_escape_visible_not_active():
    shown = for_display("x\x1b[2Jy\x07z\u202e")
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert shown == "x\u241b[2Jyz"
    assert for_display("plain বাংলা [bold]") == "plain বাংলা [bold]"


@given(st.text())
def test_cleaned_text_has_no_terminal_control(text):
    cleaned = clean_text(text)
    assert "\x1b" not in cleaned and "\r" not in cleaned
    assert all(ch in "\n\t" or not (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0) for ch in cleaned)
    assert clean_text(cleaned) == cleaned
    cleaned.encode("utf-8")


def test_has_terminal_control_ignores_whitespace_and_joiners():
    from newsroom_tui.text.safety import has_terminal_control

    assert not has_terminal_control("Trailing space \u00a0 and\ttab\n")
    assert not has_terminal_control("র‍্যাব জ্ঞান")
    assert has_terminal_control("clip\x1b]52;c;x\x07")
    assert has_terminal_control("c1 \x9b31m")
    assert has_terminal_control("bidi \u202e")
    assert has_terminal_control("old\r\nline endings")


# Issue 11, item 2: an escape that is never terminated must not swallow the rest of the story.
SEED_PARAGRAPHS = [
    "Police-escorted convoys left Dhaka at dawn, officials said.",
    "The ferries resumed by noon; the river was calm.",
    "_Zee News",
    "Dhaka/Shamera/AI",
]


@pytest.mark.parametrize("introducer", ["\x1bP", "\x1b]", "\x1b^", "\x1b_", "\x1bX", "\x9d"])
def test_an_unterminated_string_sequence_eats_no_text(introducer):
    body = "\n\n".join(SEED_PARAGRAPHS)
    broken = body.replace("Police", introducer + "olice" if introducer == "\x1bP" else introducer + "Police", 1)
    cleaned = clean_text(broken)
    for paragraph in SEED_PARAGRAPHS[1:]:
        assert paragraph in cleaned, "the paragraphs after the stray escape survive"
    assert "olice-escorted convoys left Dhaka at dawn" in cleaned
    assert not has_terminal_control(cleaned)


def test_a_stray_escape_before_a_word_keeps_the_word():
    assert clean_text("\x1bPolice-escorted") == "Police-escorted"
    assert clean_text("Kushiyara \x1bXrose") == "Kushiyara Xrose"


def test_terminated_sequences_are_still_removed_whole():
    assert clean_text("a\x1b]52;c;aGk=\x07b") == "ab"
    assert clean_text("a\x1b]0;PWNED\x1b\\b") == "ab"
    assert clean_text("a\x1bPq#0;2;0;0;0\x1b\\b") == "ab"
    assert clean_text("a\x9d0;title\x9cb") == "ab"


def test_a_sequence_never_runs_across_a_line():
    assert clean_text("one\x1b]0;title\nsecond line\x07") == "one]0;title\nsecond line"


def test_cleaning_a_long_text_with_stray_escapes_is_linear():
    import time

    text = ("\x1b]" + "x" * 100 + "\n") * 20_000
    started = time.thread_time()  # CPU time: waiting for a core on a busy machine does not count
    cleaned = clean_text(text)
    assert time.thread_time() - started < 2.0
    assert cleaned.count("x") == 2_000_000


def test_counts_read_as_english():
    """Issue 13: "1 checks need a decision", "⚑ 1 checks", "1 matches"."""
    from newsroom_tui.text.wording import counted, plural

    assert [counted(n, "check") for n in (0, 1, 2)] == ["0 checks", "1 check", "2 checks"]
    assert counted(1, "match") == "1 match" and counted(3, "match") == "3 matches"
    assert counted(1204, "story") == "1,204 stories" and counted(1, "story") == "1 story"
    assert plural(1, "needs") == "needs" and plural(2, "needs") == "need"
    assert counted(1, "pending delivery") == "1 pending delivery" and plural(2, "delivery log entry").endswith(
        "entries"
    )
    assert plural(2, "day") == "days" and plural(2, "key") == "keys"  # a vowel before the y: just an s


def test_one_of_a_list_reads_as_english_and_is_the_only_joiner():
    """Review finding: three places each joined "a, b or c" by hand (the slug suggestions, the help's
    closing keys, the workflow's refusal); one function now does, and the command line counts stories with
    `counted` as the desk does (it had a `counted_stories` of its own)."""
    import re
    from pathlib import Path

    from newsroom_tui.text.wording import one_of

    assert [one_of(items) for items in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == ["", "a", "a or b", "a, b or c"]
    assert one_of(["a", "b", "c"], more=True) == "a, b, c or another"
    package = Path(__file__).resolve().parents[1] / "newsroom_tui"
    by_hand = re.compile(r'" or " \+|\+ " or "|f" or \{|def counted_stories')
    found = [
        f"{path.relative_to(package)}:{number}"
        for path in sorted(package.rglob("*.py"))
        if path != package / "text" / "wording.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line)
    ]
    assert found == [], "join with text.wording.one_of, count with text.wording.counted"
