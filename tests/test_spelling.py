"""Spelling: normal forms, Bangla inflection, names, suggestions, the dictionaries' files and the word lists."""

from __future__ import annotations

import json
import os
import time
import unicodedata
from pathlib import Path

import pytest

from newsroom_tui.domain.copydesk import check_story, check_text
from newsroom_tui.domain.model import Story
from newsroom_tui.storage import dictionaries
from newsroom_tui.storage.dictionaries import DictionaryError, WordList, load_lexicon, load_speller
from newsroom_tui.text.spelling import Names, expand_hunspell, normalise, tokens

from .factories import run_newsroom, store_with


@pytest.fixture(scope="module")
def speller():
    """The shipped dictionaries, as a fresh `pip install -e .` has them (no system Hunspell)."""
    cache = os.environ.get("NEWSROOM_SPELLING_CACHE")
    speller = load_speller(cache_dir=Path(cache) if cache else None, system_dirs=())
    for lexicon in speller.lexicons.values():
        assert lexicon.keys  # the suggester's index, read once here: the timing below is per word
    return speller


# -- normal forms and words -----------------------------------------------------------------------------------
def test_nukta_letters_typed_either_way_are_one_word(speller):
    precomposed = "বিদ্যাল\u09df"  # য় as one code point, as the LibreOffice list spells it
    decomposed = "বিদ্যাল\u09af\u09bc"  # য + nukta, as many keyboards type it
    assert normalise(precomposed) == normalise(decomposed)
    assert speller.known(precomposed) and speller.known(decomposed)
    assert speller.known("ঢাকা\u09af\u09bc")  # ঢাকায়, decomposed, inflected


def test_joiners_are_ignored_for_lookup(speller):
    assert speller.known("বিদ্যা\u200cলয়")
    assert normalise("উৎসব") == normalise("উত্\u200dসব")  # khanda ta typed as ত + hasanta + ZWJ


def test_numbers_in_either_script_and_urls_are_not_words():
    text = "১০টি নৌকা, 2024-এ, 5th round, ২০২৪ সালে, see https://example.com/page and desk@example.com"
    words = [token.text for token in tokens(text)]
    assert "১০টি" not in words and "2024" not in words and "5th" not in words and "২০২৪" not in words
    assert not any("example" in word for word in words)
    assert "নৌকা" in words and "সালে" in words


@pytest.mark.parametrize(
    "word",
    [
        "ঈদে",
        "মালিকদের",
        "ইলিশের",
        "ক্রেতারা",
        "বৃষ্টির",
        "ঢাকায়",
        "বইগুলো",
        "বইগুলোতে",
        "নৌকাটি",
        "শিশুদের",
        "করেছেন",
        "বলছেন",
        "হয়নি",
        "অনলাইন",
        "নিউজ",
        "কয়েকজন",
        "বিএনপি",
    ],
)
def test_inflected_forms_compounds_and_desk_loanwords_pass(speller, word):
    assert speller.known(word), word


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("স্বাস্থ", "স্বাস্থ্য"),
        ("প্রধানমন্ত্রি", "প্রধানমন্ত্রী"),
        ("নিরপেক্ষ্য", "নিরপেক্ষ"),
        ("মুহুর্ত", "মুহূর্ত"),
        ("উজ্জল", "উজ্জ্বল"),
        ("বুদ্ধিজীবি", "বুদ্ধিজীবী"),
        ("পরিক্ষা", "পরীক্ষা"),
        ("ভুমিকম্প", "ভূমিকম্প"),
        ("মন্ত্রনালয়", "মন্ত্রণালয়"),
        ("মুহুর্তে", "মুহূর্তে"),  # inflected: the suggestion keeps the ending
        ("definately", "definitely"),
        ("neccessary", "necessary"),
        ("tommorow", "tomorrow"),
        ("recieve", "receive"),
        ("seperate", "separate"),
        ("goverment", "government"),
        ("occured", "occurred"),
        ("accomodate", "accommodate"),
        ("beleive", "believe"),
        ("existance", "existence"),
        ("enviroment", "environment"),
        ("wich", "which"),
        ("Tommorow", "Tomorrow"),  # the case of the word typed is kept
    ],
)
def test_common_misspellings_are_caught_with_the_right_word_in_the_first_three(speller, wrong, right):
    assert not speller.known(wrong)
    started = time.perf_counter()
    suggestions = speller.suggest(wrong)
    elapsed = time.perf_counter() - started
    assert right in suggestions[:3], suggestions
    assert elapsed < 1.0  # the budget is 150 ms (benchmarks/bench_spelling.py measures it); slack for CI


def test_british_spellings_pass_as_bangladeshi_english_papers_write_them(speller):
    for word in ("organise", "stabilised", "defence", "colour", "centre", "travelled", "programme", "analyse"):
        assert speller.known(word), word
    assert not speller.known("sise")


def test_a_capitalised_word_is_a_name_when_the_story_uses_it_consistently(speller):
    body = "Defence minister Oleksii Reznikov said on Monday. Reznikov added that Psaki agreed."
    names = Names.of([body])
    assert [m.word for m in speller.check(body, names)] == []
    # Lower case somewhere, or only ever at the start of a sentence: not a name, so spelled.
    assert [m.word for m in speller.check("Tommorow we go. Psaki said.", Names.of(["Tommorow we go."]))] == [
        "Tommorow",
        "Psaki",
    ]
    assert "Gravelly" not in [m.word for m in speller.check("x Gravelly y gravelly", Names.of(["x Grvly y grvly"]))]


def test_metadata_words_are_names(speller):
    story = Story(
        headline="Talks end",
        body="Zeltonovich met Kvarstad.",
        byline="Zeltonovich Kvarstad",
        source="risingbd.com",
        sign_off="Dhaka/Shamera/AI",
        language="en",
    )
    assert [f for f in check_story(story, speller=speller) if f.is_spelling] == []


def test_a_finding_has_the_word_its_place_and_suggestions(speller):
    findings = [
        f
        for f in check_story(Story(headline="Budget", body="It is neccessary.\n\nWe definately know."), speller=speller)
        if f.is_spelling
    ]
    assert [(f.code, f.field, f.line, f.column, f.word) for f in findings] == [
        ("NR401", "body", 1, 7, "neccessary"),
        ("NR401", "body", 3, 4, "definately"),
    ]
    assert findings[0].suggestions[0] == "necessary" and len(findings[0].suggestions) <= 5
    assert findings[0].fix is None  # a human decides: never among the safe fixes


def test_a_house_spelling_is_reported_once(speller):
    findings = check_text("Bogra was flooded.", "body", spelling=_spelling(speller))
    assert [f.code for f in findings] == ["NR204"]


def test_the_desk_and_personal_words_are_accepted(speller):
    assert not speller.known("Kvarstadt")
    assert speller.with_accepted(["Kvarstadt"]).known("Kvarstadt")


def _spelling(speller):
    from newsroom_tui.domain.copydesk import Spelling

    return Spelling(speller)


# -- the dictionaries' files ------------------------------------------------------------------------------------
def test_the_shipped_dictionaries_work_without_system_ones_and_state_their_licences(tmp_path):
    folder = dictionaries.PACKAGED_DIR
    for name in ("en_US.dic.xz", "en_US.aff.xz", "bn_BD.dic.xz", "en_US.LICENSE", "bn_BD.COPYING", "README.md"):
        assert (folder / name).is_file(), name
    assert "GNU GENERAL PUBLIC LICENSE" in (folder / "bn_BD.COPYING").read_text()
    assert "Kevin Atkinson" in (folder / "en_US.LICENSE").read_text()
    source = dictionaries.find_source("bn", system_dirs=(tmp_path / "nothing",))
    assert source is not None and source.origin == "shipped"
    # The run's cache, which conftest compiled from the shipped copies only (the compile has tests of its own).
    english = load_lexicon("en", cache_dir=dictionaries.default_cache_dir(), system_dirs=())
    bangla = load_lexicon("bn", cache_dir=dictionaries.default_cache_dir(), system_dirs=())
    assert len(english.words) > 150_000 and len(bangla.words) > 100_000


def test_system_hunspell_dictionaries_are_used_when_present(tmp_path):
    system = tmp_path / "hunspell"
    system.mkdir()
    (system / "en_US.dic").write_text("2\nzorblat/S\nquux\n", encoding="utf-8")
    (system / "en_US.aff").write_text("SET UTF-8\nSFX S Y 1\nSFX S 0 s .\n", encoding="utf-8")
    lexicon = load_lexicon("en", cache_dir=tmp_path / "cache", system_dirs=(system,))
    assert {"zorblat", "zorblats", "quux"} <= lexicon.words
    assert "necessary" not in lexicon.words  # the shipped copy was not read


def test_the_compiled_cache_is_rebuilt_when_a_source_changes(tmp_path):
    system = tmp_path / "hunspell"
    system.mkdir()
    dic = system / "en_US.dic"
    dic.write_text("1\nzorblat\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert "zorblat" in load_lexicon("en", cache_dir=cache, system_dirs=(system,)).words
    assert len(list(cache.glob("spelling-en-*.marshal"))) == 1
    dic.write_text("1\nfrobnitz\n", encoding="utf-8")
    os.utime(dic, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    again = load_lexicon("en", cache_dir=cache, system_dirs=(system,))
    assert "frobnitz" in again.words and "zorblat" not in again.words
    assert len(list(cache.glob("spelling-en-*.marshal"))) == 1  # the old one was removed


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path):
    cache = tmp_path / "cache"
    load_lexicon("bn", cache_dir=cache, system_dirs=())
    for path in cache.iterdir():
        path.write_bytes(b"\x00garbage")
    assert "নৌকা" in load_lexicon("bn", cache_dir=cache, system_dirs=()).words


def test_hunspell_affixes_expand_with_conditions_and_cross_products():
    aff = "SET UTF-8\nPFX U Y 1\nPFX U 0 un .\nSFX D Y 2\nSFX D y ied [^aeiou]y\nSFX D 0 ed [^y]\nNOSUGGEST !\n"
    words, no_suggest = expand_hunspell("3\ncarry/DU\nlock/DU\ndamn/!\n", aff)
    assert {"carry", "carried", "uncarry", "uncarried", "lock", "locked", "unlock", "unlocked"} <= words
    assert "carryed" not in words and no_suggest == {"damn"}


def test_the_shipped_bengali_list_is_the_upstream_file_unchanged():
    """GPL-2 data shipped as it was published (only compressed): see newsroom_tui/dictionaries/README.md."""
    import lzma

    text = lzma.decompress((dictionaries.PACKAGED_DIR / "bn_BD.dic.xz").read_bytes()).decode("utf-8")
    lines = text.splitlines()
    assert lines[0] == "110750" and len(lines) == 110751
    assert any("\u09df" in line for line in lines[:2000])  # its precomposed য়, untouched


# -- the word lists -------------------------------------------------------------------------------------------
def test_word_lists_add_remove_and_refuse_what_is_not_a_word(tmp_path):
    words = WordList(tmp_path / "store" / "newsroom-words.txt")
    assert words.add("Reznikov") and not words.add("Reznikov")
    assert words.add("ঢাকা\u09af\u09bc") and not words.add("ঢাকা\u09df")  # one word in either normal form
    assert words.words() == ["Reznikov", "ঢাকা\u09af\u09bc"] or sorted(words.words()) == sorted(
        ["Reznikov", "ঢাকা\u09af\u09bc"]
    )
    assert words.remove("Reznikov") and not words.remove("Reznikov")
    for bad in ("two words", "", "x" * 61, "bad\x1b[2J"):
        with pytest.raises(DictionaryError):
            words.add(bad)
    assert not list(words.path.parent.glob(".newsroom-words.txt.*.tmp"))  # written atomically


def test_two_editors_adding_at_once_both_keep_their_word(tmp_path):
    import threading

    path = tmp_path / "newsroom-words.txt"
    added = [f"Name{index}" for index in range(20)]
    threads = [threading.Thread(target=WordList(path).add, args=(word,)) for word in added]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(WordList(path).words()) == sorted(added)


# -- the command line ---------------------------------------------------------------------------------------
WIRE = """Newsroom Online News Portal

Dhaka Friday 26 April 2024

Budget talks resume

Staff Correspondent || newsroom.example

Published: 10:15, 26 April 2024

The minister said it was neccessary to act. Talks resume tommorow with Kvarstad.

Dhaka/Rina/NR
"""


def test_check_prints_spelling_findings_in_both_formats(tmp_path, db_path):
    wire = tmp_path / "budget.txt"
    wire.write_text(WIRE, encoding="utf-8")
    env = {**os.environ, "NEWSROOM_DB": str(db_path)}
    result = run_newsroom("check", str(wire), env=env)
    assert result.returncode == 1
    assert "NR401 'neccessary' is not in the English dictionary; did you mean necessary" in result.stdout
    assert "tommorow" in result.stdout and "Kvarstad" not in result.stdout  # a name, used mid-sentence
    rows = json.loads(run_newsroom("check", "--format", "json", str(wire), env=env).stdout)
    spelled = [row for row in rows if row["code"] == "NR401"]
    assert [row["word"] for row in spelled] == ["neccessary", "tommorow"]
    assert spelled[1]["suggestions"][0] == "tomorrow"
    assert "NR401" not in run_newsroom("check", "--no-spelling", str(wire), env=env).stdout


def test_words_add_teaches_the_whole_desk(tmp_path, db_path):
    store_with(db_path, Story(headline="Talks", slug="talks", body="Talks ended."))
    env = {**os.environ, "NEWSROOM_DB": str(db_path)}
    added = run_newsroom("words", "add", "Zxcvbq", env=env)
    assert added.returncode == 0 and "Added 'Zxcvbq' to the desk dictionary" in added.stdout
    assert (db_path.parent / "newsroom-words.txt").read_text(encoding="utf-8").splitlines()[-1] == "Zxcvbq"
    assert run_newsroom("words", "list", env=env).stdout.split() == ["Zxcvbq"]
    wire = tmp_path / "w.txt"
    wire.write_text(WIRE.replace("Kvarstad", "Kvarstad. Zxcvbq"), encoding="utf-8")
    assert "Zxcvbq" not in run_newsroom("check", str(wire), env=env).stdout
    assert "Removed" in run_newsroom("words", "remove", "Zxcvbq", env=env).stdout
    assert "Zxcvbq" in run_newsroom("check", str(wire), env=env).stdout
    personal = run_newsroom("words", "add", "Mnbvc", "--personal", env=env)
    assert personal.returncode == 0 and "your own word list" in personal.stdout
    assert run_newsroom("words", "list", env=env).stdout.split() == []
    assert run_newsroom("words", "add", "two words", env=env).returncode == 1


def test_words_in_the_dictionary_pass_with_or_without_nfc(speller):
    word = "বিদ্যালয়"
    assert speller.known(unicodedata.normalize("NFC", word)) and speller.known(unicodedata.normalize("NFD", word))


def test_the_desk_compiles_a_missing_cache_in_a_child_process(tmp_path, monkeypatch):
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.usecases.spelling import SpellingService

    cache = tmp_path / "fresh-cache"
    monkeypatch.setenv("NEWSROOM_SPELLING_CACHE", str(cache))
    service = SpellingService(Settings(db_path=tmp_path / "store" / "newsroom.json", user="desk"))
    service.compile_elsewhere = True
    built_here = []
    monkeypatch.setattr(dictionaries, "expand_hunspell", lambda *a: built_here.append(a) or (set(), set()))
    speller = service.load()
    assert not built_here  # the child compiled it; this process only read the cache
    assert sorted(path.suffix for path in cache.iterdir()) == [".keys", ".keys", ".marshal", ".marshal"]
    assert speller.known("নৌকা") and not speller.known("neccessary")


def test_spelling_can_be_turned_off_in_the_config(tmp_path, db_path):
    config = tmp_path / "config.toml"
    config.write_text("[copydesk]\nspelling = false\n", encoding="utf-8")
    wire = tmp_path / "budget.txt"
    wire.write_text(WIRE, encoding="utf-8")
    env = {**os.environ, "NEWSROOM_DB": str(db_path)}
    result = run_newsroom("--config", str(config), "check", str(wire), env=env)
    assert "NR401" not in result.stdout
    config.write_text("[copydesk]\nspelling = 'no'\n", encoding="utf-8")
    refused = run_newsroom("--config", str(config), "check", str(wire), env=env)
    assert refused.returncode == 1 and "spelling must be true or false" in refused.stderr


def test_a_running_desk_learns_another_editors_word_at_its_next_check(tmp_path):
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.usecases.spelling import SpellingService

    settings = Settings(db_path=tmp_path / "store" / "newsroom.json", user="desk")
    mine, theirs = SpellingService(settings), SpellingService(settings)
    assert not mine.speller().known("Qwertzuio")
    theirs.add("Qwertzuio")  # another editor's process, same store folder
    assert mine.speller().known("Qwertzuio")
    theirs.remove("Qwertzuio")
    assert not mine.speller().known("Qwertzuio")


def test_words_story_ignores_a_word_in_one_story_only(tmp_path, db_path):
    """`newsroom words add --story SLUG`: what the desk's "ignore in this story" keeps, from the command
    line; the other story still flags the word, and `remove` flags it again."""
    store_with(
        db_path,
        Story(headline="Talks", slug="talks", body="Talks resume tommorow."),
        Story(headline="Ferry", slug="ferry", body="Ferries resume tommorow."),
    )
    env = {**os.environ, "NEWSROOM_DB": str(db_path)}
    added = run_newsroom("words", "add", "--story", "talks", "tommorow", env=env)
    assert added.returncode == 0 and "'tommorow' is ignored in this story" in added.stdout
    assert run_newsroom("words", "list", "--story", "talks", env=env).stdout.split() == ["tommorow"]
    assert "tommorow" not in run_newsroom("check", "talks", env=env).stdout
    assert "NR401" in run_newsroom("check", "ferry", env=env).stdout
    assert "checked again" in run_newsroom("words", "remove", "--story", "talks", "tommorow", env=env).stdout
    assert "NR401" in run_newsroom("check", "talks", env=env).stdout
    missing = run_newsroom("words", "add", "--story", "no-such", "tommorow", env=env)
    assert missing.returncode == 1 and "There is no story with the slug 'no-such'" in missing.stderr
    assert run_newsroom("words", "add", "--story", "talks", "--personal", "x", env=env).returncode == 2


def test_a_damaged_ignored_words_file_is_never_overwritten(db_path):
    from newsroom_tui.storage.dictionaries import DictionaryError, IgnoredWords

    path = db_path.parent / "newsroom-spelling-ignored.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"s1": ["ok", "two words", 5], "s2": "not a list"', encoding="utf-8")  # cut short
    book = IgnoredWords(path)
    assert book.for_story("s1") == frozenset()  # the checks go on, flagging as before
    with pytest.raises(DictionaryError, match="not valid JSON"):
        book.ignore("s1", "word")
    assert path.read_text(encoding="utf-8").endswith('"not a list"')
    path.write_text('{"s1": ["ok", "two words", 5], "s2": "not a list"}', encoding="utf-8")
    assert IgnoredWords(path).for_story("s1") == {"ok"}  # a hand edit's bad entries are dropped, not the rest
    assert IgnoredWords(path).ignore("s1", "more")
    assert IgnoredWords(path).for_story("s1") == {"ok", "more"}


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("কমর্সূচি", "কর্মসূচি"),  # the reph typed after the consonant it sits on
        ("পযর্টন", "পর্যটন"),
        ("রাষ্টপতি", "রাষ্ট্রপতি"),  # a ra-phala dropped: two characters, out of one edit's reach
        ("গেফতার", "গ্রেফতার"),
        ("পকল্প", "প্রকল্প"),
        ("বিদ্যালযের", "বিদ্যালয়ের"),  # an inflected word: the stem's confusion
    ],
)
def test_bangla_suggestions_know_the_reph_the_phalas_and_inflection(speller, typed, right):
    assert not speller.known(typed)
    assert right in speller.suggest(typed)[:3]


def test_bangla_words_joined_by_vowel_sandhi_are_known(speller):
    """অ/আ + অ/আ = আ: two known words joined (the list has কৃতাঞ্জলি, not every such compound)."""
    for word in ("শ্রদ্ধাঞ্জলি", "শ্রদ্ধাঞ্জলিতে", "হিমালয়", "জলাবদ্ধতা"):
        assert speller.known(word), word
    assert not speller.known("শ্রদ্ধান্জলি")  # still a misspelling: ন for ঞ


def test_a_desk_on_a_database_never_asks_it_for_the_shared_words_on_the_checks_thread(speller, tmp_path):
    """A check runs on the desk's UI thread 0.4 s after typing: a database word list asked there (a new
    connection each time, up to 5 s when the database is away) stalled the keyboard."""
    import threading
    import time

    from newsroom_tui.domain.config import Settings
    from newsroom_tui.usecases.spelling import SpellingService

    asked_on: list[str] = []

    class Remote:
        path = "the database"

        def stamp(self):
            asked_on.append(threading.current_thread().name)
            return (1, len(asked_on))

        def words(self):
            return ["Zxcvbq"]

        def for_story(self, story_id):
            asked_on.append(threading.current_thread().name)
            return frozenset({"tommorow"})

    settings = Settings(db_path=tmp_path / "n.json")
    settings.store_url = "postgresql://desk@localhost/newsroom"
    service = SpellingService(settings)
    service.compile_elsewhere = True  # as the desk does
    service._base = speller
    service._lists = {"desk": Remote(), "personal": Remote()}
    service._ignored = Remote()
    service._rebuild()  # the load, in the desk's worker
    asked_on.clear()
    current = service.speller()
    assert current is not None and current.known("Zxcvbq")
    service.ignored("story-1")  # empty until the thread has looked
    deadline = time.monotonic() + 10
    while service.ignored("story-1") != {"tommorow"} and time.monotonic() < deadline:
        time.sleep(0.05)
    assert service.ignored("story-1") == {"tommorow"}
    assert asked_on and threading.current_thread().name not in asked_on
