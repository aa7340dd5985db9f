"""Many editors, one store, in the desk: locks, take-over, conflicts, autosave and recovery."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Static, TextArea

from newsroom_tui.domain.model import Story
from newsroom_tui.storage.drafts import RecoveryJournal
from newsroom_tui.storage.locks import LockBook
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.tui.app import NewsroomApp
from newsroom_tui.tui.screens.recovery import ConflictScreen, RecoveryScreen
from newsroom_tui.tui.widgets.story_list import StoryList

from .answering import answer, until_answerable
from .factories import run_newsroom, screen_text, store_with, type_text, until


def other_editor(db_path: Path) -> LockBook:
    """Another editor's process on this host: the parent process is alive, so its lock is not stale."""
    return LockBook(db_path, user="rina", pid=os.getppid())


async def test_a_story_another_editor_has_opens_read_only_and_can_be_taken_over(db_path, desk_with):
    store_with(db_path, Story(headline="Budget passed", slug="budget-passed", body="Text."))
    with StoryStore(db_path) as store:
        story_id = store.find_by_slug("budget-passed").id
    rina = other_editor(db_path)
    assert rina.acquire(story_id).ok
    async with desk_with(opened=None, notifications=True) as (app, pilot):
        await pilot.pause()
        assert "✎rina" in app.screen.query_one(StoryList).render_line(0).text
        await pilot.press("enter")
        banner = app.screen.query_one("#lock-banner", Static)
        assert banner.display and "rina" in str(banner.render()) and "READ-ONLY" in str(banner.render())
        body = app.screen.query_one("#body", TextArea)
        assert body.read_only
        await pilot.press("f10", "o")
        await answer(pilot, "y")  # take-over asks first
        assert not body.read_only and not banner.display
        assert not rina.still_mine(story_id)
        assert rina.heartbeat() == [story_id]  # rina's desk finds out at its next heartbeat


async def type_then_lose_the_lock(db_path: Path, app: NewsroomApp, pilot) -> str:
    """Type into the open story, then another editor takes it over and this desk's heartbeat learns it."""
    await type_text(pilot, "Mine ")
    story_id = app.screen.story.id
    other_editor(db_path).take_over(story_id)
    app.screen.editing.heartbeat()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.screen.read_only
    return story_id


async def test_losing_the_lock_keeps_the_text_as_a_draft_and_refuses_the_save(db_path, tmp_path, desk_with):
    story = Story(headline="Budget passed", slug="budget-passed", body="Text.")
    async with desk_with(story, notifications=True) as (app, pilot):
        story_id = await type_then_lose_the_lock(db_path, app, pilot)
        assert "took this story over" in str(app.screen.query_one("#lock-banner", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.get(story_id).body == "Text."
    drafts = RecoveryJournal(tmp_path / "recovery").drafts(db_path)
    assert [draft.story.body for draft in drafts] == ["Mine Text."]


async def test_leaving_a_story_taken_from_you_keeps_your_words_as_a_draft(db_path, tmp_path, desk_with):
    """Found in review: read-only, Save could only refuse and Discard deleted the draft the banner promised."""
    story = Story(headline="Budget passed", slug="budget-passed", body="Text.")
    async with desk_with(story, notifications=True) as (app, pilot):
        story_id = await type_then_lose_the_lock(db_path, app, pilot)
        await pilot.press("ctrl+n")  # leave it for a new story
        await pilot.pause()
        assert type(app.screen).__name__ == "DeskScreen", "no save-or-discard question: nothing could be saved"
        assert app.screen.story is not None and app.screen.story.id != story_id
    drafts = RecoveryJournal(tmp_path / "recovery").drafts(db_path)
    assert [draft.story.body for draft in drafts] == ["Mine Text."]


async def test_fix_all_and_editor_hand_off_leave_a_read_only_body_alone(db_path, desk_with):
    """Found in review: read-only was only the body's key filter; ctrl+t rewrote a story someone else had."""
    store_with(db_path, Story(headline="Budget passed", slug="budget-passed", body='He said "yes".'))
    with StoryStore(db_path) as store:
        story_id = store.find_by_slug("budget-passed").id
    other_editor(db_path).acquire(story_id)
    async with desk_with(opened=None) as (app, pilot):
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.story is not None and app.screen.read_only, "opened read-only")
        body = app.screen.query_one("#body", TextArea)
        await pilot.press("ctrl+t", "ctrl+o")
        await pilot.pause()
        assert body.text == 'He said "yes".' and not app.screen.dirty


async def conflicting_save(db_path: Path, pilot, app: NewsroomApp) -> str:
    """With the story open, 'another editor' saves a newer version; type, save: the conflict dialog."""
    story_id = app.screen.story.id
    with StoryStore(db_path) as other:
        theirs = other.get(story_id)
        other.save(theirs.copy(body="Their rewrite."), user="rina")
    await type_text(pilot, "Mine ")
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, ConflictScreen)
    text = screen_text(app)
    assert "rina saved version 2" in text and "¶1+ Mine Text." in text and "¶1- Their rewrite." in text
    assert "body, rina's version 2 → yours (from version 1):" in text  # both sides once read "version 2"
    await until_answerable(pilot)
    return story_id


async def test_conflict_keep_mine_saves_on_top(db_path, desk_with):
    async with desk_with(Story(headline="Budget passed", slug="budget-passed", body="Text.")) as (app, pilot):
        story_id = await conflicting_save(db_path, pilot, app)
        await pilot.press("m")
        await pilot.pause()
        story = app.store.get(story_id)
        assert story.version == 3 and story.body == "Mine Text."
        assert [s.body for s in app.store.revisions(story_id)] == ["Text.", "Their rewrite.", "Mine Text."]


async def test_conflict_take_theirs_resolves_the_draft(db_path, tmp_path, desk_with):
    """Taking theirs deals with my draft: it is not offered again (issue 10, item 7; the session's rule)."""
    async with desk_with(Story(headline="Budget passed", slug="budget-passed", body="Text.")) as (app, pilot):
        story_id = await conflicting_save(db_path, pilot, app)
        await pilot.press("t")
        await until_answerable(pilot)
        assert "Drop your changes" in screen_text(app), "taking theirs asks once more: it drops my words"
        await pilot.press("y")
        await pilot.pause()
        assert app.store.get(story_id).version == 2
        assert app.screen.query_one("#body", TextArea).text == "Their rewrite."
    drafts = RecoveryJournal(tmp_path / "recovery").drafts(db_path)
    assert [draft.story.body for draft in drafts] == []


async def test_conflict_save_mine_as_a_copy(db_path, desk_with):
    async with desk_with(Story(headline="Budget passed", slug="budget-passed", body="Text.")) as (app, pilot):
        story_id = await conflicting_save(db_path, pilot, app)
        await pilot.press("c")
        await pilot.pause()
        assert app.store.get(story_id).body == "Their rewrite."
        stories = {s.slug: s for s in app.store.list_stories()}
        assert len(stories) == 2
        copy = next(s for slug, s in stories.items() if slug != "budget-passed")
        assert copy.body == "Mine Text." and copy.slug.startswith("budget-passed-")


async def test_unsaved_text_is_autosaved_to_the_journal_not_the_store(db_path, tmp_path, desk_with):
    story = Story(headline="Budget passed", slug="budget-passed", body="Text.")
    async with desk_with(story, settings={"autosave_seconds": 0.1}) as (app, pilot):
        await type_text(pilot, "Draft ")
        await pilot.pause(0.3)
        story = app.screen.story
        assert app.store.get(story.id).version == 1
    [draft] = RecoveryJournal(tmp_path / "recovery").drafts(db_path)
    assert draft.story.body == "Draft Text." and draft.base_version == 1


async def test_a_kept_draft_is_offered_at_start_and_recovered(db_path, tmp_path, desk_with):
    store_with(db_path, Story(headline="Budget passed", slug="budget-passed", body="Text."))
    with StoryStore(db_path) as store:
        story = store.find_by_slug("budget-passed")
    RecoveryJournal(tmp_path / "recovery").save_draft(
        story.copy(body="Words from the crash."), base_version=1, store_path=db_path
    )
    async with desk_with(opened=None) as (app, pilot):
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        assert "¶1+ Words from the crash." in screen_text(app)
        await answer(pilot, "r")
        assert app.screen.query_one("#body", TextArea).text == "Words from the crash."
        assert app.screen.dirty
        assert app.focused is app.screen.query_one("#body", TextArea), "typing goes on in the body"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.get(story.id).body == "Words from the crash."
    assert RecoveryJournal(tmp_path / "recovery").drafts(db_path) == []


async def test_a_discarded_draft_is_gone(db_path, tmp_path, desk_with):
    store_with(db_path, Story(headline="Budget passed", slug="budget-passed", body="Text."))
    with StoryStore(db_path) as store:
        story = store.find_by_slug("budget-passed")
    journal = RecoveryJournal(tmp_path / "recovery")
    journal.save_draft(story.copy(body="Unwanted."), base_version=1, store_path=db_path)
    async with desk_with(opened=None) as (app, pilot):
        await pilot.pause()
        await answer(pilot, "d")
        await answer(pilot, "y")  # discard asks once more
        assert not isinstance(app.screen, RecoveryScreen)
    assert journal.drafts(db_path) == []


async def test_a_full_disk_fails_the_save_with_a_message_and_keeps_the_text(db_path, tmp_path, monkeypatch, desk_with):
    import errno

    from newsroom_tui.storage.store import StoreError

    story = Story(headline="Budget passed", slug="budget-passed", body="Text.")
    async with desk_with(story, settings={"autosave_seconds": 60}, notifications=True) as (app, pilot):
        await type_text(pilot, "Precious ")

        def full_disk(story, *, user):
            raise StoreError(f"Could not save to {db_path}: {os.strerror(errno.ENOSPC)}.")

        monkeypatch.setattr(app.store, "save", full_disk)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running and app.screen.dirty
        assert app.screen.query_one("#body", TextArea).text == "Precious Text."
        assert any("No space left on device" in n.message for n in app._notifications)
    [draft] = RecoveryJournal(tmp_path / "recovery").drafts(db_path)
    assert draft.story.body == "Precious Text."


async def test_publishing_a_story_another_editor_has_open_is_refused(db_path, desk_with):
    from newsroom_tui.tui.screens.publishing import PublishScreen

    body = " ".join(["Ferries run again across the Padma after the repairs at the ramps."] * 10)
    store_with(db_path, Story(headline="Ferries resume", slug="ferries-resume", byline="Staff Reporter", body=body))
    with StoryStore(db_path) as store:
        story_id = store.find_by_slug("ferries-resume").id
    assert other_editor(db_path).acquire(story_id).ok
    async with desk_with(opened=None) as (app, pilot):
        await pilot.press("enter", "f9")
        await pilot.pause()
        assert isinstance(app.screen, PublishScreen)
        errors = " ".join(app.screen.result.errors)
        assert "rina" in errors and "still has this story open" in errors
        assert not app.screen.result.ok


def test_the_publish_command_refuses_a_story_open_in_a_desk(db_path):
    body = " ".join(["Ferries run again across the Padma after the repairs at the ramps."] * 10)
    store_with(db_path, Story(headline="Ferries resume", slug="ferries-resume", byline="Staff Reporter", body=body))
    with StoryStore(db_path) as store:
        story_id = store.find_by_slug("ferries-resume").id
    assert other_editor(db_path).acquire(story_id).ok
    result = run_newsroom("publish", "ferries-resume", "--db", str(db_path), env={**os.environ})
    assert result.returncode == 1
    assert "rina on " in result.stderr and "open, so it was not published" in result.stderr
    assert "--take-over" in result.stderr


def test_the_read_only_banner_reads_as_a_sentence():
    """Issue 13: "READ-ONLY root on vm (pid 28971) since 13:36, taken over from root on vm (pid 28968) took
    this story over." """
    from newsroom_tui.tui.panes.editor_pane import holder_sentence

    holder = "rina on vm (pid 28971) since 13:36, taken over from desk on vm (pid 28968)"
    assert holder_sentence(holder, lost=True) == (
        "rina on vm (pid 28971) took this story over at 13:36. Your unsaved text is kept as a recoverable draft."
    )
    assert holder_sentence(holder, lost=False) == (
        "rina on vm (pid 28971) since 13:36 has this story open; they took it over from desk on vm (pid 28968)."
    )
    assert (
        holder_sentence("rina on vm (pid 4) since 09:10", lost=False)
        == "rina on vm (pid 4) since 09:10 has this story open."
    )


async def test_typing_into_a_read_only_story_says_why_once(db_path, desk_with):
    """Issue 13: typing into a read-only story was silently ignored."""
    from textual.widgets import TextArea

    store_with(db_path, Story(headline="Budget passed", slug="budget-passed", body="Text."))
    with StoryStore(db_path) as store:
        story_id = store.find_by_slug("budget-passed").id
    assert other_editor(db_path).acquire(story_id).ok
    async with desk_with(opened=None, notifications=True) as (app, pilot):
        await pilot.press("enter")
        await pilot.pause()
        body = app.screen.query_one("#body", TextArea)
        assert body.read_only
        await pilot.press("f3", "x", "y", "z")
        await pilot.pause()
        told = [n.message for n in app._notifications if n.message.startswith("Nothing you type here can be saved")]
        assert len(told) == 1 and "rina" in told[0] and "F10 then o" in told[0], told
        assert body.text == "Text."
