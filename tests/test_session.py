"""The save decision tree and the editing session, without a screen (no Pilot anywhere in this file).

Every ending of a save (saved, invalid, slug taken, conflict, read-only, lock lost, live change, failed)
and every way a recovered draft is dealt with (issue 10, item 7) is tested on the use-case objects.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.storage.drafts import RecoveredDraft, RecoveryJournal
from newsroom_tui.storage.locks import LockBook
from newsroom_tui.storage.store import StoreError
from newsroom_tui.usecases.newsroom import Newsroom
from newsroom_tui.usecases.outcomes import (
    Conflict,
    Failed,
    Invalid,
    LiveChange,
    LockLost,
    ReadOnly,
    Saved,
    SlugTaken,
)
from newsroom_tui.usecases.session import EditingSession, slug_follows_headline

BODY = "The toll for buses on the Padma Bridge rose by a tenth on Sunday, the bridge authority said."


def stored(newsroom: Newsroom, **fields: object) -> Story:
    """A story saved by another editor ("reporter"), as the store holds it."""
    values: dict[str, object] = {"headline": "Padma Bridge toll rises", "slug": "padma-bridge-toll", "body": BODY}
    values.update(fields)
    return newsroom.store.save(Story(**values), user="reporter")  # type: ignore[arg-type]


def published(newsroom: Newsroom, story: Story) -> Story:
    from newsroom_tui.domain.workflow import apply_action

    live = apply_action(story.copy(byline="Staff Correspondent"), "publish", user="desk", now=newsroom.clock())
    return newsroom.store.save(live, user="desk")


# -- Newsroom.save: the whole tree ------------------------------------------------------------------------
def test_a_valid_new_story_is_saved_as_version_1(newsroom: Newsroom) -> None:
    outcome = newsroom.save(Story(headline="Rain in Dhaka", slug="rain-in-dhaka"), base_version=0)
    assert isinstance(outcome, Saved)
    assert outcome.story.version == 1
    assert outcome.story.updated_by == "desk"
    assert "version 1" in outcome.message
    assert newsroom.store.get(outcome.story.id).headline == "Rain in Dhaka"


def test_an_invalid_story_is_not_saved_and_says_which_field(newsroom: Newsroom) -> None:
    outcome = newsroom.save(Story(headline="", slug="Not A Slug"), base_version=0)
    assert isinstance(outcome, Invalid)
    assert set(outcome.problems) == {"headline", "slug"}
    assert outcome.first_field == "headline"
    assert outcome.message.startswith("Not saved: A story needs a headline.")
    assert newsroom.store.is_empty()


def test_a_slug_another_story_holds_is_refused_with_its_headline(newsroom: Newsroom) -> None:
    stored(newsroom)
    outcome = newsroom.save(Story(headline="Another toll story", slug="padma-bridge-toll"), base_version=0)
    assert isinstance(outcome, SlugTaken)
    assert outcome.slug == "padma-bridge-toll"
    assert outcome.owner_headline == "Padma Bridge toll rises"
    assert "Padma Bridge toll rises" in outcome.message
    assert len(newsroom.store) == 1


def test_another_editors_lock_makes_the_save_read_only_naming_her(newsroom: Newsroom, rina: LockBook) -> None:
    story = stored(newsroom)
    assert rina.acquire(story.id)
    outcome = newsroom.save(story.copy(headline="Changed"), base_version=story.version)
    assert isinstance(outcome, ReadOnly)
    assert outcome.holder.startswith("rina on ")
    assert "rina on " in outcome.message and "take" in outcome.message
    assert newsroom.store.get(story.id).version == story.version  # nothing written


def test_take_over_saves_and_leaves_the_lock_with_us(newsroom: Newsroom, rina: LockBook) -> None:
    story = stored(newsroom)
    assert rina.acquire(story.id)
    outcome = newsroom.save(story.copy(headline="Changed"), base_version=story.version, take_over=True)
    assert isinstance(outcome, Saved)
    assert outcome.story.headline == "Changed"
    assert not rina.still_mine(story.id)
    assert newsroom.holder(story.id) is None


def test_our_own_lock_never_blocks_our_save(newsroom: Newsroom) -> None:
    story = stored(newsroom)
    assert newsroom.locks.acquire(story.id)
    assert isinstance(newsroom.save(story.copy(headline="Mine"), base_version=story.version), Saved)


def test_a_lock_taken_from_us_is_lock_lost_not_read_only(newsroom: Newsroom, rina: LockBook) -> None:
    story = stored(newsroom)
    assert newsroom.locks.acquire(story.id)
    rina.take_over(story.id)
    outcome = newsroom.save(story.copy(headline="Mine"), base_version=story.version)
    assert isinstance(outcome, LockLost)
    assert outcome.holder.startswith("rina on ")
    # Still lost after the heartbeat noticed it (the book forgets the lock then).
    assert newsroom.heartbeat() == [story.id]
    assert isinstance(newsroom.save(story.copy(headline="Mine"), base_version=story.version), LockLost)


def test_a_save_on_an_old_version_is_a_conflict_and_overwrites_nothing(newsroom: Newsroom) -> None:
    story = stored(newsroom)
    theirs = newsroom.store.save(story.copy(headline="Their headline"), user="rina")
    outcome = newsroom.save(story.copy(headline="My headline"), base_version=story.version)
    assert isinstance(outcome, Conflict)
    assert outcome.theirs.version == theirs.version
    assert outcome.mine.headline == "My headline"
    assert "rina saved" in outcome.message
    assert newsroom.store.get(story.id).headline == "Their headline"


def test_a_change_to_a_live_story_asks_first(newsroom: Newsroom) -> None:
    live = published(newsroom, stored(newsroom))
    outcome = newsroom.save(live.copy(body=BODY + " More."), base_version=live.version)
    assert isinstance(outcome, LiveChange)
    assert "live" in outcome.message and "correction" in outcome.message
    assert newsroom.store.get(live.id).version == live.version  # nothing written yet


def test_keeping_a_live_change_unsent_saves_it_marked_unsent(newsroom: Newsroom) -> None:
    live = published(newsroom, stored(newsroom))
    assert not live.has_unsent_changes
    outcome = newsroom.save(live.copy(body=BODY + " More."), base_version=live.version, live="unsent")
    assert isinstance(outcome, Saved)
    assert outcome.story.status is Status.PUBLISHED
    assert outcome.story.has_unsent_changes
    assert outcome.story.sent_version == live.version
    assert "readers keep the copy that went out" in outcome.message


def test_a_store_error_is_failed_with_its_sentence(newsroom: Newsroom, monkeypatch: pytest.MonkeyPatch) -> None:
    story = stored(newsroom)

    def disk_full(*args: object, **kwargs: object) -> Story:
        raise StoreError("Could not save to the story store: no space left on device.")

    monkeypatch.setattr(newsroom.store, "save", disk_full)
    outcome = newsroom.save(story.copy(headline="Changed"), base_version=story.version)
    assert isinstance(outcome, Failed)
    assert "no space left on device" in outcome.message
    assert "still in the editor" in outcome.message


def test_keep_mine_puts_my_words_on_their_version_without_undoing_their_step(newsroom: Newsroom) -> None:
    """Item 8: "keep mine" after someone moved the story on (submitted it) must not silently move it back."""
    from newsroom_tui.domain.workflow import apply_action

    story = stored(newsroom)
    submitted = newsroom.store.save(apply_action(story, "submit", user="rina", now=newsroom.clock()), user="rina")
    mine = story.copy(body="My better body.")
    assert isinstance(newsroom.save(mine, base_version=story.version), Conflict)
    outcome = newsroom.keep_mine(mine)
    assert isinstance(outcome, Saved)
    assert outcome.story.body == "My better body."
    assert outcome.story.status is Status.SUBMITTED
    assert outcome.story.history == submitted.history
    assert outcome.story.version == submitted.version + 1
    assert outcome.message == f"Saved yours on top of rina's as version {submitted.version + 1}."


def test_keep_mine_after_their_spike_is_refused_and_a_copy_is_still_possible(newsroom: Newsroom) -> None:
    """Issue 13: a spiked story cannot be changed (it used to take "keep mine" on top, still spiked)."""
    from newsroom_tui.domain.workflow import apply_action
    from newsroom_tui.usecases.outcomes import Frozen

    story = stored(newsroom)
    spiked = newsroom.store.save(apply_action(story, "spike", user="rina", now=newsroom.clock()), user="rina")
    mine = story.copy(body="My better body.")
    assert isinstance(newsroom.save(mine, base_version=story.version), Conflict)
    outcome = newsroom.keep_mine(mine)
    assert isinstance(outcome, Frozen) and "unspike it first" in outcome.message
    assert newsroom.store.get(story.id) == spiked
    assert isinstance(newsroom.save_as_copy(mine), Saved)


def test_save_as_copy_makes_a_new_draft_with_a_free_slug(newsroom: Newsroom) -> None:
    story = published(newsroom, stored(newsroom))
    outcome = newsroom.save_as_copy(story.copy(body="My version."))
    assert isinstance(outcome, Saved)
    copy = outcome.story
    assert copy.id != story.id and copy.version == 1
    assert copy.slug == "padma-bridge-toll-2"
    assert copy.status is Status.DRAFT and copy.history == [] and copy.sent_version is None
    assert copy.published_at is None
    assert newsroom.store.get(story.id).body == BODY  # theirs untouched


# -- the editing session ----------------------------------------------------------------------------------
@pytest.fixture
def session(newsroom: Newsroom) -> EditingSession:
    return EditingSession(newsroom)


def test_open_takes_the_lock_and_close_gives_it_back(session: EditingSession, rina: LockBook) -> None:
    story = stored(session.newsroom)
    result = session.open(story.id)
    assert result.holder is None and not result.cleaned
    assert result.story_shown == story
    holder = rina.holder(story.id)
    assert holder is not None and holder.user == "desk"
    session.close()
    assert rina.holder(story.id) is None
    assert session.story is None


def test_open_while_another_editor_has_it_is_read_only(session: EditingSession, rina: LockBook) -> None:
    story = stored(session.newsroom)
    rina.acquire(story.id)
    result = session.open(story.id)
    assert result.holder is not None and result.holder.startswith("rina on ")
    assert session.read_only == result.holder
    outcome = session.save(story.copy(headline="Changed"))
    assert isinstance(outcome, ReadOnly)
    # The text is kept as a recoverable draft, and rina's lock is untouched.
    draft = session.newsroom.journal.load(story.id)
    assert draft is not None and draft.story.headline == "Changed"
    session.close()
    assert rina.still_mine(story.id)


def test_take_over_from_the_session_opens_the_latest_version(session: EditingSession, rina: LockBook) -> None:
    story = stored(session.newsroom)
    rina.acquire(story.id)
    session.open(story.id)
    session.newsroom.store.save(story.copy(headline="Rina's headline"), user="rina")
    result = session.take_over()
    assert session.read_only is None
    assert result.story_shown.headline == "Rina's headline"
    assert isinstance(session.save(result.story_shown.copy(headline="Mine now")), Saved)


def test_open_never_shows_terminal_control_from_the_store(session: EditingSession) -> None:
    """Text is cleaned when a story is built from stored data (domain.model.stored_line), so the desk gets the
    cleaned story and nothing shows as unsaved: the escape never left the store."""
    story = stored(session.newsroom, headline="Toll \x1b[31mrises\x1b[0m")
    assert story.headline == "Toll rises"
    result = session.open(story.id)
    assert result.story_shown.headline == "Toll rises"
    assert not session.is_unsaved(result.story_shown)


def test_is_unsaved_compares_with_the_stored_version(session: EditingSession) -> None:
    story = stored(session.newsroom)
    session.open(story.id)
    assert not session.is_unsaved(story.copy())
    assert session.is_unsaved(story.copy(body=BODY + "!"))
    outcome = session.save(story.copy(body=BODY + "!"))
    assert isinstance(outcome, Saved)
    assert not session.is_unsaved(outcome.story.copy())


def test_the_slug_follows_the_headline_of_a_draft_until_typed(session: EditingSession) -> None:
    new = session.new()
    assert session.slug_for(new.copy(headline="Rain floods Sylhet")) == "rain-floods-sylhet"
    typed = new.copy(headline="Rain floods Sylhet", slug="sylhet-floods", slug_set_by_hand=True)
    assert session.slug_for(typed) == "sylhet-floods"
    outcome = session.save(new.copy(headline="Rain floods Sylhet"))
    assert isinstance(outcome, Saved) and outcome.story.slug == "rain-floods-sylhet"
    # Still a draft, slug never typed: it keeps following.
    assert session.slug_for(outcome.story.copy(headline="Rain floods Sunamganj")) == "rain-floods-sunamganj"


def test_the_slug_of_a_published_story_stays(session: EditingSession) -> None:
    live = published(session.newsroom, stored(session.newsroom))
    session.open(live.id)
    assert session.slug_for(live.copy(headline="A new headline")) == "padma-bridge-toll"
    assert not slug_follows_headline(live, live)


def test_a_live_story_saved_through_the_session_asks_then_keeps_unsent(session: EditingSession) -> None:
    live = published(session.newsroom, stored(session.newsroom))
    session.open(live.id)
    changed = live.copy(body=BODY + " More.")
    assert isinstance(session.save(changed), LiveChange)
    assert session.is_unsaved(changed)
    outcome = session.save(changed, live="unsent")
    assert isinstance(outcome, Saved) and outcome.story.has_unsent_changes
    assert session.story == outcome.story


def test_the_session_reports_a_lock_lost_on_heartbeat_then_refuses(session: EditingSession, rina: LockBook) -> None:
    story = stored(session.newsroom)
    session.open(story.id)
    rina.take_over(story.id)
    holder = session.heartbeat()
    assert holder is not None and holder.startswith("rina on ")
    outcome = session.save(story.copy(headline="Mine"))
    assert isinstance(outcome, LockLost)
    assert session.newsroom.journal.load(story.id) is not None  # kept as a recoverable draft
    session.close()
    assert rina.still_mine(story.id)  # closing never releases a lock someone took


def test_a_lock_lost_without_a_heartbeat_is_noticed_by_the_save(session: EditingSession, rina: LockBook) -> None:
    story = stored(session.newsroom)
    session.open(story.id)
    rina.take_over(story.id)
    assert isinstance(session.save(story.copy(headline="Mine")), LockLost)
    assert session.lock_lost and session.read_only is not None


def test_a_conflict_keeps_my_draft_in_the_journal(session: EditingSession) -> None:
    story = stored(session.newsroom)
    session.open(story.id)
    session.newsroom.store.save(story.copy(headline="Theirs"), user="rina")
    outcome = session.save(story.copy(headline="Mine"))
    assert isinstance(outcome, Conflict)
    draft = session.newsroom.journal.load(story.id)
    assert draft is not None and draft.story.headline == "Mine" and draft.base_version == story.version


def test_autosave_warns_once_when_the_journal_cannot_be_written(newsroom: Newsroom, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the journal folder should be")
    newsroom._journal = RecoveryJournal(blocker / "recovery", user="desk")
    session = EditingSession(newsroom)
    story = stored(newsroom)
    session.open(story.id)
    first = session.autosave(story.copy(body="typed"))
    assert first is not None and "recovery copy" in first
    assert session.autosave(story.copy(body="typed more")) is None  # said once
    assert session.autosave(story.copy()) is None  # nothing unsaved: nothing written


def test_autosave_writes_nothing_for_an_unchanged_story(session: EditingSession) -> None:
    story = stored(session.newsroom)
    session.open(story.id)
    assert session.autosave(story.copy()) is None
    assert session.newsroom.journal.load(story.id) is None


# -- recovered drafts are removed however they are dealt with (item 7) ------------------------------------
def crashed_draft(newsroom: Newsroom, tmp_path: Path, story: Story, **changes: object) -> RecoveredDraft:
    """A draft another (killed) desk session of this user left in the journal folder."""
    other = RecoveryJournal(tmp_path / "recovery", user="desk", session="crashed")
    other.save_draft(story.copy(**changes), base_version=story.version, store_path=newsroom.settings.db_path)
    [draft] = newsroom.journal.drafts(newsroom.settings.db_path)
    return draft


def journal_files(newsroom: Newsroom) -> list[RecoveredDraft]:
    return newsroom.journal.drafts(newsroom.settings.db_path)


def test_recover_then_save_removes_the_draft(session: EditingSession, tmp_path: Path) -> None:
    story = stored(session.newsroom)
    draft = crashed_draft(session.newsroom, tmp_path, story, body="Recovered body.")
    shown = session.recover(draft)
    assert shown.body == "Recovered body." and shown.version == story.version
    assert session.is_unsaved(shown)
    outcome = session.save(shown)
    assert isinstance(outcome, Saved) and outcome.story.body == "Recovered body."
    assert journal_files(session.newsroom) == []


def test_recover_then_discard_removes_the_draft(session: EditingSession, tmp_path: Path) -> None:
    story = stored(session.newsroom)
    draft = crashed_draft(session.newsroom, tmp_path, story, body="Recovered body.")
    shown = session.recover(draft)
    session.autosave(shown.copy(body="Recovered body, typed on."))  # this session's own copy too
    assert len(journal_files(session.newsroom)) == 2
    session.discard()
    assert journal_files(session.newsroom) == []
    assert session.story == story and not session.is_unsaved(story.copy())


def test_recover_on_a_stale_version_then_keep_mine_removes_the_draft(session: EditingSession, tmp_path: Path) -> None:
    story = stored(session.newsroom)
    draft = crashed_draft(session.newsroom, tmp_path, story, body="Recovered body.")
    session.newsroom.store.save(story.copy(headline="Rina's headline"), user="rina")
    shown = session.recover(draft)
    assert isinstance(session.save(shown), Conflict)
    outcome = session.keep_mine(shown)
    assert isinstance(outcome, Saved) and outcome.story.body == "Recovered body."
    assert journal_files(session.newsroom) == []
    assert not session.is_unsaved(outcome.story.copy())


def test_recover_on_a_stale_version_then_take_theirs_removes_the_draft(session: EditingSession, tmp_path: Path) -> None:
    story = stored(session.newsroom)
    draft = crashed_draft(session.newsroom, tmp_path, story, body="Recovered body.")
    theirs = session.newsroom.store.save(story.copy(headline="Rina's headline"), user="rina")
    shown = session.recover(draft)
    assert isinstance(session.save(shown), Conflict)
    outcome = session.take_theirs()
    assert isinstance(outcome, Saved) and outcome.story == theirs
    assert journal_files(session.newsroom) == []
    assert session.story == theirs and not session.is_unsaved(theirs.copy())


def test_recover_on_a_stale_version_then_copy_removes_the_draft(session: EditingSession, tmp_path: Path) -> None:
    story = stored(session.newsroom)
    draft = crashed_draft(session.newsroom, tmp_path, story, body="Recovered body.")
    session.newsroom.store.save(story.copy(headline="Rina's headline"), user="rina")
    shown = session.recover(draft)
    assert isinstance(session.save(shown), Conflict)
    outcome = session.save_as_copy(shown)
    assert isinstance(outcome, Saved) and outcome.story.id != story.id
    assert journal_files(session.newsroom) == []
    assert session.story == outcome.story  # the copy is what is open now
    assert session.newsroom.store.get(story.id).headline == "Rina's headline"


def test_recover_a_story_that_was_never_saved(session: EditingSession, tmp_path: Path) -> None:
    new = Story(headline="Never saved", body="Typed before the crash.")
    other = RecoveryJournal(tmp_path / "recovery", user="desk", session="crashed")
    other.save_draft(new, base_version=0, store_path=session.newsroom.settings.db_path)
    [draft] = journal_files(session.newsroom)
    shown = session.recover(draft)
    assert shown.headline == "Never saved" and shown.version == 0
    assert session.is_unsaved(shown)
    outcome = session.save(shown)
    assert isinstance(outcome, Saved) and outcome.story.version == 1
    assert outcome.story.slug == "never-saved"  # a new story's slug follows its headline
    assert journal_files(session.newsroom) == []


def test_opening_another_story_leaves_an_unresolved_draft_alone(session: EditingSession, tmp_path: Path) -> None:
    story = stored(session.newsroom)
    other = stored(session.newsroom, headline="Another story", slug="another-story")
    draft = crashed_draft(session.newsroom, tmp_path, story, body="Recovered body.")
    session.recover(draft)
    session.open(other.id)  # "later": the draft must still be there to be offered again
    assert [d.path for d in journal_files(session.newsroom)] == [draft.path]
    assert not session.is_unsaved(other.copy())


def test_recoverable_drafts_drop_what_is_saved_and_filter_by_story(session: EditingSession, tmp_path: Path) -> None:
    newsroom = session.newsroom
    story = stored(newsroom)
    other = stored(newsroom, headline="Another story", slug="another-story")
    draft = crashed_draft(newsroom, tmp_path, story, body="Recovered body.")
    # A draft whose words the store already has: the process died between saving and discarding.
    RecoveryJournal(tmp_path / "recovery", user="desk", session="saved").save_draft(
        other, base_version=other.version, store_path=newsroom.settings.db_path
    )
    pending, problems = newsroom.recoverable_drafts()
    assert problems == []
    assert [(d.path, s) for d, s in pending] == [(draft.path, story)]
    assert [d.story_id for d in journal_files(newsroom)] == [story.id]  # the saved one is gone
    assert newsroom.recoverable_drafts(other.id) == ([], [])
    assert [d.path for d, _ in newsroom.recoverable_drafts(story.id)[0]] == [draft.path]


def test_locks_lost_reported_from_a_worker_thread_make_the_session_read_only(
    session: EditingSession, rina: LockBook
) -> None:
    story = stored(session.newsroom)
    session.open(story.id)
    rina.take_over(story.id)
    lost = session.newsroom.heartbeat()  # what the desk's heartbeat worker runs
    assert session.locks_lost(["some-other-story"]) is None and session.read_only is None
    holder = session.locks_lost(lost)
    assert holder is not None and holder.startswith("rina on ") and session.lock_lost


# -- found in review: words kept across a take-over, slugs kept across "keep mine" -------------------------
def test_taking_a_lost_story_back_keeps_the_unsaved_words(session: EditingSession, rina: LockBook) -> None:
    """Taking the story back after losing it showed the latest stored version over the editor's words."""
    story = stored(session.newsroom)
    session.open(story.id)
    rina.take_over(story.id)
    mine = story.copy(body="Words typed before the lock was lost.")
    assert isinstance(session.save(mine), LockLost)
    opened = session.take_over(mine)
    assert opened.story_shown.body == mine.body, "the editor's words stay on screen"
    assert session.is_unsaved(mine)
    outcome = session.save(mine)
    assert isinstance(outcome, Saved) and outcome.story.body == mine.body


def test_taking_back_a_story_changed_meanwhile_shows_the_conflict(session: EditingSession, rina: LockBook) -> None:
    story = stored(session.newsroom)
    session.open(story.id)
    rina.take_over(story.id)
    session.newsroom.store.save(story.copy(body="Rina's rewrite."), user="rina")
    mine = story.copy(body="My words.")
    session.take_over(mine)
    outcome = session.save(mine)
    assert isinstance(outcome, Conflict) and outcome.theirs.body == "Rina's rewrite."


def test_keep_mine_keeps_the_slug_of_a_story_published_meanwhile(newsroom: Newsroom) -> None:
    """A past-draft slug is an address: my headline edit must not move a story that went live meanwhile."""
    story = stored(newsroom)
    live = published(newsroom, story)
    mine = story.copy(headline="Padma Bridge toll to rise by a fifth", slug="padma-bridge-toll-to-rise-by-a-fifth")
    assert isinstance(newsroom.save(mine, base_version=story.version), Conflict)
    outcome = newsroom.keep_mine(mine, live="unsent")
    assert isinstance(outcome, Saved)
    assert outcome.story.slug == live.slug and outcome.story.headline == mine.headline


def test_a_recovered_draft_reaches_the_editor_cleaned(session: EditingSession, tmp_path: Path) -> None:
    """Found in review: `recover` skipped the cleaning `open` does; a journal file can hold anything."""
    story = stored(session.newsroom)
    journal = session.newsroom.journal
    journal.save_draft(
        story.copy(body="Kept \x1b]0;PWNED\x07words."),
        base_version=story.version,
        store_path=session.newsroom.settings.db_path,
    )
    [draft] = journal.drafts(session.newsroom.settings.db_path)
    shown = session.recover(draft)
    assert "\x1b" not in shown.body and "Kept" in shown.body and "words." in shown.body


def test_a_story_with_a_field_past_its_ceiling_opens_read_only_shortened_and_saves_nothing(
    newsroom: Newsroom,
) -> None:
    """Issue 11, item 23: a 1,000,000-character headline (stored before the ceilings) froze the desk 16 s on
    open.  It opens read-only with the reason, its long fields cut for showing; saving is refused."""
    story = stored(newsroom, headline="Tigers " * 150_000)
    session = EditingSession(newsroom)
    opened = session.open(story.id)
    assert len(opened.story_shown.headline) == 1_001 and opened.story_shown.headline.endswith("…")
    assert opened.problem is not None and opened.problem.read_only
    assert opened.problem.message.startswith("The headline is 1,050,000 characters; a headline holds at most 1,000.")
    outcome = session.save(opened.story_shown.copy(body="Changed."))
    assert isinstance(outcome, Failed) and "read-only" in outcome.message
    assert newsroom.store.get(story.id).headline == story.headline, "the stored words are untouched"
    session.open(stored(newsroom, headline="Fine", slug="fine").id)
    assert session.cannot_write is None and session.oversized == {}, "the next story opens as usual"


def test_keep_mine_and_save_as_copy_keep_the_over_limit_warning(newsroom: Newsroom) -> None:
    """The conflict's answers rebuilt `Saved` with their note and dropped its warnings: the over-long
    headline was saved without a word, and the form no longer marked it."""
    from newsroom_tui.domain.workflow import apply_action

    story = stored(newsroom)
    newsroom.store.save(apply_action(story, "submit", user="rina", now=newsroom.clock()), user="rina")
    mine = story.copy(headline="Padma " + "x" * 110)
    assert isinstance(newsroom.save(mine, base_version=story.version), Conflict)
    for outcome in (newsroom.keep_mine(mine), newsroom.save_as_copy(mine)):
        assert isinstance(outcome, Saved)
        assert set(outcome.warnings) == {"headline"}
        assert outcome.message.startswith("Saved yours") and "Publishing refuses it until it fits." in outcome.message
