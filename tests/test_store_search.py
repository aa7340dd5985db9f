"""Archive search on the TinyDB store (StoryStore.search): a scan of every story, newest first, with snippets."""

import json
from pathlib import Path

import pytest

from newsroom_tui.domain.search import parse_query
from newsroom_tui.storage.store import StoreCorruptError, StoryStore

from .factories import make_story, run_newsroom, store_with


def found(store: StoryStore, query: str, **kwargs: int) -> list[str]:
    return [hit.row.slug for hit in store.search(parse_query(query), **kwargs)]


def test_every_term_must_occur_in_the_searched_fields_newest_first(db_path: Path) -> None:
    # Saved one at a time, oldest first: a save stamps updated_at.
    store_with(db_path, make_story(slug="toll", headline="Padma bridge toll rises", body="Cars pay more."))
    store_with(db_path, make_story(slug="rice", headline="Rice prices", tags=["padma", "economy"]))
    store_with(
        db_path,
        make_story(
            slug="ferry",
            headline="Ferries run again",
            body="The Padma crossing reopened after fog.",
            byline="Staff Correspondent",
        ),
    )
    store_with(
        db_path, make_story(slug="flood", headline="Flood", dateline="Padma", sign_off="Dhaka/Padma/NR", ednote="padma")
    )
    with StoryStore(db_path) as store:
        assert found(store, "padma") == ["ferry", "rice", "toll"]  # body, tags, headline; never dateline, ednote
        assert found(store, "PADMA correspondent") == ["ferry"]
        assert found(store, '"bridge toll"') == ["toll"]
        assert found(store, '"toll bridge"') == []
        assert found(store, "padma cricket") == []
        assert found(store, "") == []
        assert found(store, "padma", limit=2) == ["ferry", "rice"]
        assert found(store, "padma", limit=0) == []


def test_a_hit_carries_its_list_row_and_a_snippet(db_path: Path) -> None:
    body = "The ministry met on Sunday. " * 10 + "Ferries on the Padma run again after the fog lifted." + " More." * 40
    [saved] = store_with(db_path, make_story(slug="ferry", headline="Ferries run again", body=body))
    with StoryStore(db_path) as store:
        [hit] = store.search(parse_query("fog ferries"))
    assert hit.row.id == saved.id and hit.row.headline == "Ferries run again" and hit.row.version == 1
    assert "Ferries on the Padma run again after the fog lifted." in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")


def test_bangla_is_found_whichever_way_its_nukta_letters_and_digits_were_typed(db_path: Path) -> None:
    store_with(
        db_path,
        make_story(slug="toll-bn", headline="পদ্মা সেতুর টোল বা\u09dcছে", body="২০২৪ সালের জুলাই থেকে নতুন হার।"),
        make_story(slug="rab", headline="র\u200d্যাব সদর দপ্তরে ব্রিফিং", language="bn"),
    )
    with StoryStore(db_path) as store:
        assert found(store, "বা\u09a1\u09bcছে") == ["toll-bn"]  # ড় typed as ড + nukta finds the precomposed ড়
        assert found(store, "2024 জুলাই") == ["toll-bn"]
        assert found(store, "র্যাব") == ["rab"]  # the joiner in the headline is ignored
        [hit] = store.search(parse_query('"২০২৪ সালের"'))
        assert hit.snippet == "২০২৪ সালের জুলাই থেকে নতুন হার।"


def test_a_saved_change_is_searched_at_once_in_this_process_and_in_another(db_path: Path) -> None:
    [story] = store_with(db_path, make_story(slug="toll", headline="Padma bridge toll rises"))
    with StoryStore(db_path) as mine, StoryStore(db_path) as theirs:
        assert found(mine, "toll") == ["toll"] and found(theirs, "toll") == ["toll"]  # both have folded it now
        story.headline = "Padma bridge fee rises"
        theirs.save(story, user="rina")
        assert found(theirs, "toll") == [] and found(theirs, "fee") == ["toll"]
        assert found(mine, "toll") == [] and found(mine, "fee") == ["toll"]  # picked up from the journal
        mine.save(make_story(slug="fee-2", headline="Another fee"), user="desk")
        assert found(theirs, "fee") == ["fee-2", "toll"]


def test_search_reads_the_stored_text_not_a_copy_the_caller_changed(db_path: Path) -> None:
    store_with(db_path, make_story(slug="toll", headline="Padma bridge toll rises"))
    with StoryStore(db_path) as store:
        [hit] = store.search(parse_query("toll"))
        hit.row.headline = "changed by the caller"
        [again] = store.search(parse_query("toll"))
    assert again.row.headline == "Padma bridge toll rises"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"body": 5}, "its body is a number, not text"),
        ({"headline": 7}, "its headline is a number, not text"),
        ({"tags": "a, b"}, "its tags are not a list of words"),
        ({"byline": ["x"]}, "its byline is a list, not text"),
        ({"updated_at": "yesterday"}, "its updated_at is not a date"),
    ],
)
def test_a_damaged_story_is_one_sentence_naming_the_file_and_line(db_path: Path, change: dict, reason: str) -> None:
    store_with(db_path, make_story(headline="First toll", slug="first"))
    store_with(db_path, make_story(headline="Second toll", slug="second"))
    lines = db_path.read_bytes().split(b"\n")  # a hand edit of the last commit, as test_store_damage makes them
    entry = json.loads(lines[-2])
    [doc, *_] = entry["tx"]["stories"].values()
    doc.update(change)
    lines[-2] = json.dumps(entry, ensure_ascii=False).encode()
    db_path.write_bytes(b"\n".join(lines))
    with StoryStore(db_path) as store, pytest.raises(StoreCorruptError) as raised:
        store.search(parse_query("toll"))
    assert f"at line 3 of {db_path}" in str(raised.value) and reason in str(raised.value)
    result = run_newsroom("search", "toll", "--db", str(db_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert reason in result.stderr
