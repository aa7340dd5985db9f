"""Issue 10 item 7: a kept draft that was dealt with is gone, whichever way it was dealt with.

The storage side only: the journal removes exactly the file that was offered or recovered, by its path
or by the story's id (also when the story is then saved under a new id), and never another session's
draft of the same story nor anything outside its folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom_tui.domain.model import Story, new_id
from newsroom_tui.storage.drafts import RecoveredDraft, RecoveryError, RecoveryJournal


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "recovery"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "desk" / "newsroom.json"


def journal(folder: Path, session: str | None) -> RecoveryJournal:
    return RecoveryJournal(folder, user="rina", session=session)


def story(**changes: object) -> Story:
    values: dict[str, object] = {"headline": "Padma toll", "slug": "padma-toll", "body": "Kept words.", "version": 3}
    values.update(changes)
    return Story(**values)  # type: ignore[arg-type]


def offered(folder: Path, store_path: Path, story_id: str) -> list[RecoveredDraft]:
    """What the next start would offer for `story_id` (a fresh session's scan)."""
    return [draft for draft in journal(folder, "next").drafts(store_path) if draft.story_id == story_id]


def crashed_session_left(folder: Path, store_path: Path, draft: Story, base_version: int = 3) -> RecoveredDraft:
    """A desk (session 'gone') autosaved `draft` and was killed; the next start finds it."""
    journal(folder, "gone").save_draft(draft, base_version=base_version, store_path=store_path)
    [found] = offered(folder, store_path, draft.id)
    return found


# -- by path --------------------------------------------------------------------------------------------------
def test_the_offered_file_is_removed_by_its_path_and_nothing_else(folder, store_path):
    kept = story()
    recovered = crashed_session_left(folder, store_path, kept)
    live = journal(folder, "live-desk")  # the same user's other desk, still editing the same story
    live.save_draft(kept.copy(body="Still typing."), base_version=3, store_path=store_path)
    now = journal(folder, "now")
    now.save_draft(kept.copy(body="Recovered, then more."), base_version=3, store_path=store_path)

    assert now.discard_draft(recovered) is True
    assert not recovered.path.exists()
    assert now.discard_draft(recovered) is False  # already gone: not an error
    bodies = sorted(draft.story.body for draft in offered(folder, store_path, kept.id))
    assert bodies == ["Recovered, then more.", "Still typing."]


def test_a_path_outside_the_journal_is_never_removed(folder, store_path, tmp_path):
    recovered = crashed_session_left(folder, store_path, story())
    store_path.parent.mkdir(parents=True, exist_ok=True)
    store_path.write_text("{}", encoding="utf-8")
    stray = folder / "notes.txt"
    stray.write_text("mine", encoding="utf-8")
    now = journal(folder, "now")
    for path in (store_path, stray, folder, folder / ".." / "desk" / "newsroom.json"):
        with pytest.raises(RecoveryError, match="not a recovery draft"):
            now.discard_file(path)
    assert store_path.exists() and stray.exists() and recovered.path.exists()
    assert now.discard_file(recovered.path) is True


# -- by story id ------------------------------------------------------------------------------------------------
def test_recover_then_discard_by_id_removes_the_recovered_file(folder, store_path):
    """The desk's 'discard' on quitting knew only the story id; the crashed session's file stayed."""
    kept = story()
    recovered = crashed_session_left(folder, store_path, kept)
    other = journal(folder, "live-desk")
    other.save_draft(kept.copy(body="Another desk's words."), base_version=3, store_path=store_path)

    now = journal(folder, "now")
    now.adopt(recovered)
    now.save_draft(kept.copy(body="Recovered, then more."), base_version=3, store_path=store_path)
    assert now.discard(kept.id) is True

    assert [draft.story.body for draft in offered(folder, store_path, kept.id)] == ["Another desk's words."]
    assert now.discard(kept.id) is False


def test_an_adopted_file_alone_is_removed_by_id(folder, store_path):
    """Recovered and resolved before any autosave of this session: only the crashed session's file exists."""
    kept = story()
    recovered = crashed_session_left(folder, store_path, kept)
    now = journal(folder, "now")
    now.adopt(recovered)
    assert now.discard(kept.id) is True
    assert offered(folder, store_path, kept.id) == []


def test_a_new_story_saved_under_a_new_id_leaves_no_draft(folder, store_path):
    """A never-saved story's draft, recovered and then saved as a copy (a new id): its old id's files go."""
    new = Story(headline="Ferry services resume", body="Launches left at dawn.", version=0)
    recovered = crashed_session_left(folder, store_path, new, base_version=0)
    assert recovered.is_new
    now = journal(folder, "now")
    now.adopt(recovered)
    now.save_draft(new.copy(body="Launches left at dawn, then more."), base_version=0, store_path=store_path)
    copy_id = new_id()
    assert now.discard(new.id) is True  # what the session does once the copy is saved as `copy_id`
    assert now.discard(copy_id) is False  # the copy never had a draft: nothing else to find
    assert journal(folder, "next").drafts(store_path) == []


def test_ids_that_are_not_file_names_are_found_and_removed_too(folder, store_path):
    odd = story(id="wire/afp:2026-07-01 পদ্মা")
    recovered = crashed_session_left(folder, store_path, odd)
    assert recovered.path.name.startswith("id-")
    now = journal(folder, "now")
    assert [draft.path for draft in now.drafts_for(odd.id, store_path)] == [recovered.path]
    now.adopt(recovered)
    now.save_draft(odd.copy(body="More."), base_version=3, store_path=store_path)
    assert now.discard(odd.id) is True
    assert now.drafts_for(odd.id, store_path) == []


def test_without_sessions_the_recovered_file_is_the_own_file(folder, store_path):
    """The CLI and tests use one file per story: recovering, rewriting and discarding it is one file."""
    kept = story()
    plain = journal(folder, None)
    plain.save_draft(kept, base_version=3, store_path=store_path)
    [recovered] = plain.drafts(store_path)
    plain.adopt(recovered)
    plain.save_draft(kept.copy(body="More."), base_version=3, store_path=store_path)
    assert plain.discard(kept.id) is True
    assert plain.drafts(store_path) == []
    assert plain.save_draft(kept.copy(body="More."), base_version=3, store_path=store_path) is True


# -- finding a story's drafts (offered again when the story is opened) -----------------------------------------
def test_drafts_for_one_story_of_one_store_newest_first(folder, store_path, tmp_path):
    kept, other = story(), story(headline="Another")
    journal(folder, "a").save_draft(kept.copy(body="first"), base_version=3, store_path=store_path)
    journal(folder, "b").save_draft(kept.copy(body="second"), base_version=3, store_path=store_path)
    journal(folder, "c").save_draft(other, base_version=3, store_path=store_path)
    journal(folder, "d").save_draft(kept.copy(body="elsewhere"), base_version=3, store_path=tmp_path / "other.json")
    found = journal(folder, "now").drafts_for(kept.id, store_path)
    assert sorted(draft.story.body for draft in found) == ["first", "second"]
    assert found == sorted(found, key=lambda draft: draft.saved_at, reverse=True)
    assert journal(folder, "now").drafts_for("no-such-story", store_path) == []


def test_discarding_the_own_file_by_path_forgets_it_was_written(folder, store_path):
    """After the file goes by path, the same draft is written again (not skipped as 'already on disk')."""
    kept = story()
    now = journal(folder, "now")
    assert now.save_draft(kept, base_version=3, store_path=store_path) is True
    assert now.discard_file(now.path_for(kept.id)) is True
    assert now.save_draft(kept, base_version=3, store_path=store_path) is True
    assert now.path_for(kept.id).exists()
