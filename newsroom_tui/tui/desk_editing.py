"""The desk's flows around the open story's words: saving (the conflict and live-story questions),
the lock, autosave to the recovery journal, the kept-draft offers, and asking before leaving unsaved text.

The rules are the editing session's (`usecases/session.py`): it says what a save came to, as a typed
outcome; this module only turns each outcome into what the screen shows and asks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from newsroom_tui.domain.errors import LockError
from newsroom_tui.tui.keymaps import key_name

if TYPE_CHECKING:
    from textual.timer import Timer

    from newsroom_tui.domain.model import Story
    from newsroom_tui.storage.drafts import RecoveredDraft
    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.screens.desk import DeskScreen
    from newsroom_tui.tui.screens.dialogs import Unsaved
    from newsroom_tui.tui.screens.publishing import LiveSave
    from newsroom_tui.tui.screens.recovery import Recovery, Resolution
    from newsroom_tui.usecases.outcomes import SaveOutcome
    from newsroom_tui.usecases.session import EditingSession


class DeskEditing:
    """Saving, locking and keeping the words of the story open in one desk screen."""

    def __init__(self, desk: DeskScreen) -> None:
        self.desk = desk
        self._autosave_timer: Timer | None = None
        self._offered: set[str] = set()  # stories whose kept drafts were offered when opened this session

    @property
    def app(self) -> NewsroomApp:
        return self.desk.desk_app

    @property
    def session(self) -> EditingSession:
        return self.desk.session

    def notify(self, message: str, **kwargs: Any) -> None:
        self.desk.notify(message, **kwargs)

    # -- saving --------------------------------------------------------------------------------------
    def save(self, *, live: str = "ask", then: Callable[[], object] | None = None) -> bool:
        """Save what the editor shows; True if it was saved now.  A question (a conflict, a live story)
        answers later: `then` runs once that answer has saved it."""
        draft = self.desk.current_draft()
        if draft is None:
            self.desk.notify("There is no story open to save.", severity="warning")
            return False
        form = self.desk.form
        if form.typed_problems:  # typed but unreadable (an impossible embargo): not saved as something else
            name, problem = next(iter(form.typed_problems.items()))
            form.show_problems({})
            self.notify(f"Not saved: {problem} Your text is still in the editor.", severity="error")
            self.desk.focus_field(name)
            return False
        clash = form.slug_problem(self.session.slug_for(draft))
        if clash:  # the form's own index knows a clash before the store is asked
            form.show_problems({"slug": clash})
            self.notify(f"Not saved: {clash} Your text is still in the editor.", severity="error")
            self.desk.focus_field("slug")
            return False
        return self.shown(self.session.save(draft, live=live), draft, then)

    def shown(self, outcome: SaveOutcome, draft: Story, then: Callable[[], object] | None = None) -> bool:
        """What a save outcome shows; True when the story is saved."""
        from newsroom_tui.tui.screens.publishing import LiveChangeScreen
        from newsroom_tui.tui.screens.recovery import ConflictScreen
        from newsroom_tui.usecases.outcomes import (
            Conflict,
            Frozen,
            Invalid,
            LiveChange,
            LockLost,
            ReadOnly,
            Saved,
            SlugTaken,
        )

        form = self.desk.form
        if isinstance(outcome, Saved):
            self.desk.adopt(outcome.story)
            form.show_problems(dict(outcome.warnings))  # saved, but what publishing will refuse stays shown
            if outcome.warnings:
                self.notify(outcome.message, severity="warning", timeout=6)
            else:
                self.notify(outcome.message, timeout=3)
            if then is not None:
                then()
            return True
        if isinstance(outcome, Invalid):
            form.show_problems(outcome.problems)
            self.desk.focus_field(outcome.first_field)
            self.notify(outcome.message + " Your text is still in the editor.", severity="error", timeout=10)
            return False
        elif isinstance(outcome, SlugTaken):
            form.show_problems({"slug": outcome.message})
        elif isinstance(outcome, LockLost | ReadOnly):
            self.desk.set_read_only(outcome.holder, lost=isinstance(outcome, LockLost))
        elif isinstance(outcome, Frozen):  # spiked or killed meanwhile: the banner says so from now on
            self.desk.set_read_only(self.session.read_only, lost=self.session.lock_lost)
        elif isinstance(outcome, Conflict):
            self.app.push_screen(
                ConflictScreen(outcome.mine, outcome.theirs), lambda choice: self._resolve(choice, draft, then)
            )
            return False
        elif isinstance(outcome, LiveChange):
            self.app.push_screen(LiveChangeScreen(outcome.story), lambda choice: self._live(choice, then))
            return False
        self.notify(outcome.message, severity="error", timeout=10)
        return False

    def _resolve(self, choice: Resolution | None, mine: Story, then: Callable[[], object] | None) -> None:
        """The conflict dialog's answer: keep mine on top, take theirs, or save mine as a copy."""
        from newsroom_tui.tui.screens.recovery import Resolution
        from newsroom_tui.usecases.outcomes import Saved

        if choice is Resolution.MINE:
            self.shown(self.session.keep_mine(mine, live="unsent"), mine, then)
        elif choice is Resolution.THEIRS:
            outcome = self.session.take_theirs()
            if isinstance(outcome, Saved):
                self.desk.show(outcome.story)
            self.notify(outcome.message)
        elif choice is Resolution.COPY:
            outcome = self.session.save_as_copy(mine)
            if isinstance(outcome, Saved):
                self.desk.show(outcome.story)
                self.desk.list_pane.replace_row(outcome.story)
            self.notify(outcome.message, severity="information" if isinstance(outcome, Saved) else "error")

    def _live(self, choice: LiveSave | None, then: Callable[[], object] | None) -> None:
        """ctrl+s on a live story: send the change now as a correction, or keep it as an unsent change."""
        from newsroom_tui.tui.screens.publishing import SendCorrection

        if choice is None:
            self.notify("Not saved: the story is live; your text is still in the editor.", timeout=5)
        elif isinstance(choice, SendCorrection):
            if self.save(live="unsent"):
                self.desk.actions.apply_workflow("correct", note=choice.note)
                if then is not None:
                    then()
        else:
            self.save(live="unsent", then=then)

    # -- locks ---------------------------------------------------------------------------------------
    def heartbeat(self) -> None:
        """Keep this editor's locks fresh (off the UI thread; a dropped session's locks go stale)."""
        if self.desk.ready:  # the session (and the Newsroom's lock book) exist
            self.desk.run_worker(self._heartbeat, thread=True, exclusive=True, group="heartbeat")

    def _heartbeat(self) -> None:
        try:
            lost = self.app.newsroom.heartbeat()
        except LockError:
            return
        if lost:
            self.app.call_from_thread(self.locks_lost, lost)

    def external_editor(self) -> None:
        """ctrl+o: the body in $EDITOR; the lock keeps beating meanwhile, and a take-over is told after."""
        lost = self.desk.editor_pane.edit_externally(beat=self.app.newsroom.heartbeat)
        if lost:
            self.locks_lost(lost)

    def locks_lost(self, story_ids: list[str]) -> None:
        if not self.desk.ready:
            return
        draft = self.desk.current_draft()
        who = self.session.locks_lost(story_ids)
        if who is None:
            return
        if draft is not None:
            self.session.autosave(draft)
        self.desk.set_read_only(who, lost=True)
        self.notify(
            f"{who} took this story over; your unsaved text is kept as a recoverable draft.",
            severity="warning",
            timeout=15,
        )

    # -- the recovery journal ------------------------------------------------------------------------
    def schedule_autosave(self) -> None:
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.desk.set_timer(self.app.settings.autosave_seconds, self.autosave)

    def autosave(self) -> None:
        """Write the unsaved draft to the per-user journal: never to the store, never a version."""
        draft = self.desk.current_draft()
        if draft is not None and (warning := self.session.autosave(draft)):
            self.notify(warning, severity="warning", timeout=15)

    def offer_recovery(self, story_id: str | None = None) -> None:
        """Kept drafts (a crash, a dropped SSH link, an earlier *later*), offered one by one: at start-up,
        from the palette, and (`story_id`) when that story is opened: then not another running desk's."""
        pending, problems = self.app.newsroom.recoverable_drafts(story_id)
        for problem in problems:
            self.notify(problem, severity="warning")
        if story_id is None and not pending and not problems and self.desk.is_attached and self.desk.ready:
            self.notify("No kept drafts: nothing unsaved is waiting.", timeout=3)
        self._offer_next(pending)

    def offer_for(self, story_id: str) -> None:
        """Opening a story: its kept drafts are offered (once per desk session: *later* means later)."""
        if story_id not in self._offered:
            self._offered.add(story_id)
            self.offer_recovery(story_id)

    def _offer_next(self, pending: list[tuple[RecoveredDraft, Story | None]]) -> None:
        from newsroom_tui.tui.screens.recovery import Recovery, RecoveryScreen

        if not pending:
            return
        draft, stored = pending[0]

        offer = RecoveryScreen(draft, stored, draft.describe(self.app.settings.zone))

        def decided(choice: Recovery | None) -> None:
            if choice is not Recovery.RECOVER and offer.ignored_text:  # typed to filter as the offer came up
                self.desk.call_after_refresh(self.desk.list_pane.type_ahead, offer.ignored_text)
            if choice is Recovery.RECOVER:
                self.desk.gate.when_ready(lambda: self._recover(draft))
                return  # the recovered story is open; the rest wait (the palette offers them again)
            if choice is Recovery.DISCARD and (problem := self.app.newsroom.discard_draft(draft)):
                self.notify(problem, severity="warning")
            self._offer_next(pending[1:])

        self.app.push_screen(offer, decided)

    def _recover(self, draft: RecoveredDraft) -> None:
        """Open the recovered words as unsaved changes on top of the version they started from."""
        self.when_safe_to_leave("recover the kept text", lambda: self._open_recovered(draft))

    def _open_recovered(self, draft: RecoveredDraft) -> None:
        desk = self.desk
        shown = self.session.recover(draft)
        assert self.session.story is not None
        desk.show(self.session.story)
        desk.editor_pane.body.replace_whole_text(shown.body)
        desk.form.load(shown)
        desk.refresh_dirty()
        desk.list_pane.story_list.move_to(shown.id)
        # After the dialog closes, focus would return to the list, and typing would filter it.
        desk.call_after_refresh(desk.action_show_pane, "editor-pane")
        self.notify(
            f"Recovered the unsaved text; {key_name(self.desk.app, 'save')} saves it (a newer version in the store "
            "will be shown side by side first).",
            timeout=8,
        )

    # -- leaving a story -----------------------------------------------------------------------------
    def when_safe_to_leave(self, leaving_to: str, then: Callable[[], None]) -> None:
        """Run `then` now if nothing is unsaved, else after the editor chose save or discard."""
        from newsroom_tui.tui.screens.dialogs import Unsaved, UnsavedChangesScreen

        if not self.desk.dirty:
            then()
            return
        draft = self.desk.current_draft()
        if self.desk.read_only:
            # Nothing can be saved here and "discard" would delete the draft the banner promised to keep:
            # the words stay in the recovery journal, offered from the palette and at the next start.
            if draft is not None:
                self.session.autosave(draft)
            self.notify(
                "Your unsaved text is kept as a recoverable draft "
                f"(Recover kept drafts, {key_name(self.desk.app, 'palette')}).",
                timeout=6,
            )
            self.desk.set_dirty(False)
            then()
            return

        def decided(choice: Unsaved | None) -> None:
            if choice is Unsaved.SAVE:
                self.save(then=then)
            elif choice is Unsaved.DISCARD:
                self.session.discard()  # the journal's copies go: the next start must not offer them back
                self.desk.set_dirty(False)
                then()

        self.app.push_screen(UnsavedChangesScreen(draft.headline if draft else "", leaving_to), decided)
