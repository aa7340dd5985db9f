"""The desk's flows around the open story's words: saving (and the conflict dialog), the lock,
autosave to the recovery journal, recovering kept drafts, and asking before leaving unsaved text."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsroom_tui.domain.errors import LockError, RecoveryError
from newsroom_tui.domain.model import Status, Story, new_id, validate
from newsroom_tui.storage.store import ConflictError, SlugTakenError, StoreError

if TYPE_CHECKING:
    from textual.timer import Timer

    from newsroom_tui.storage.drafts import RecoveredDraft
    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.screens.desk import DeskScreen
    from newsroom_tui.tui.screens.dialogs import Unsaved
    from newsroom_tui.tui.screens.recovery import Recovery, Resolution


class DeskEditing:
    """Saving, locking and keeping the words of the story open in one desk screen."""

    def __init__(self, desk: DeskScreen) -> None:
        self.desk = desk
        self._journal_warned = False
        self._recovered_files: dict[str, Path] = {}  # drafts recovered at start, removed once saved
        self._autosave_timer: Timer | None = None

    @property
    def app(self) -> NewsroomApp:
        return self.desk.desk_app

    def notify(self, message: str, **kwargs: Any) -> None:
        self.desk.notify(message, markup=False, **kwargs)

    # -- saving --------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Save the open story; returns whether it was saved (the quit prompt needs to know)."""
        from newsroom_tui.tui.screens.recovery import ConflictScreen

        desk = self.desk
        draft = desk.current_draft()
        if draft is None:
            desk.notify("There is no story open to save.", severity="warning")
            return False
        settings = self.app.settings
        form = desk.metadata_pane.form
        problems = validate(draft, headline_limit=settings.headline_limit, summary_limit=settings.summary_limit)
        clash = form.slug_problem(draft.slug)
        if clash and "slug" not in problems:
            problems["slug"] = clash
        form.show_problems(problems)
        if problems:
            self.notify(
                "Not saved: " + " ".join(problems.values()) + " Your text is still in the editor.", severity="error"
            )
            desk.focus_field(next(iter(problems)))
            return False
        if desk.read_only:
            self.autosave()
            self.notify(
                "Not saved: another editor holds this story (F10 then o takes it over). "
                "Your text is kept as a recoverable draft.",
                severity="error",
                timeout=10,
            )
            return False
        if not draft.is_new and not self.app.locks.still_mine(draft.id):
            self.locks_lost([draft.id])
            return False
        try:
            saved = self.app.store.save(draft, user=settings.user)
        except SlugTakenError as error:
            form.show_problems({"slug": str(error)})
            self.notify(f"Not saved: {error}", severity="error")
            return False
        except ConflictError as error:
            self.autosave()
            self.app.push_screen(ConflictScreen(draft, error.theirs), lambda choice: self._resolve(choice, draft))
            return False
        except StoreError as error:  # a full disk, a read-only folder, a damaged store
            self.autosave()
            self.notify(
                f"Not saved: {error} Your text is still in the editor (and in the recovery journal where "
                "the disk allows).",
                severity="error",
                timeout=15,
            )
            return False
        self.saved(saved)
        self.notify(f"Saved “{saved.headline}” (version {saved.version}).", timeout=3)
        return True

    def saved(self, saved: Story) -> None:
        self.desk.adopt(saved)
        with contextlib.suppress(RecoveryError):
            self.app.journal.discard(saved.id)
            recovered_file = self._recovered_files.pop(saved.id, None)
            if recovered_file is not None:
                self.app.journal.discard_file(recovered_file)

    def _resolve(self, choice: Resolution | None, mine: Story) -> None:
        """The conflict dialog's answer: keep mine on top, take theirs, or save mine as a copy."""
        from newsroom_tui.text.slugs import alternative_slugs
        from newsroom_tui.tui.screens.recovery import Resolution

        store = self.app.store
        user = self.app.settings.user
        try:
            theirs = store.get(mine.id)
            if choice is Resolution.MINE:
                saved = store.save(mine.copy(version=theirs.version), user=user)
                self.saved(saved)
                self.notify(f"Saved yours on top of {theirs.updated_by}'s as version {saved.version}.")
            elif choice is Resolution.THEIRS:
                self.app.journal.save_draft(mine, base_version=mine.version, store_path=self.app.settings.db_path)
                self.desk.load(theirs)
                self.notify(
                    "Took their version; yours is kept as a recoverable draft (offered at next start).", timeout=8
                )
            elif choice is Resolution.COPY:
                slug_taken = lambda slug: store.slug_owner(slug) is not None  # noqa: E731
                slug = (alternative_slugs(mine.slug, slug_taken, count=1) or [""])[0]
                copy = mine.copy(
                    id=new_id(),
                    version=0,
                    slug=slug,
                    slug_set_by_hand=True,
                    status=Status.DRAFT,
                    history=[],
                    published_at=None,
                    previous_status=None,
                )
                saved = store.save(copy, user=user)
                self.desk.load(saved)
                self.desk.list_pane.replace_row(saved)
                self.notify(f"Saved yours as a new story, {saved.slug}; theirs is untouched.")
        except (StoreError, RecoveryError) as error:
            self.notify(f"Not saved: {error} Your text is still in the editor.", severity="error", timeout=15)

    # -- locks ---------------------------------------------------------------------------------------
    def take_lock(self, story_id: str) -> str | None:
        """Lock the story for this editor; the holder's description when someone else has it."""
        try:
            result = self.app.locks.acquire(story_id)
        except LockError as error:
            self.notify(
                f"Could not check the story locks ({error}); saving still refuses to overwrite.", severity="warning"
            )
            return None
        if result.ok:
            return None
        return result.lock.describe(self.app.settings.zone)

    def release(self, keeping: str | None = None) -> None:
        story = self.desk.story
        if story is not None and story.id != keeping and not self.desk.read_only:
            with contextlib.suppress(LockError):
                self.app.locks.release(story.id)

    def heartbeat(self) -> None:
        """Keep this editor's locks fresh (off the UI thread; a dropped session's locks go stale)."""
        self.desk.run_worker(self._heartbeat, thread=True, exclusive=True, group="heartbeat")

    def _heartbeat(self) -> None:
        try:
            lost = self.app.locks.heartbeat()
        except LockError:
            return
        if lost:
            self.app.call_from_thread(self.locks_lost, lost)

    def locks_lost(self, story_ids: list[str]) -> None:
        story = self.desk.story
        if story is None or story.id not in story_ids:
            return
        self.autosave()
        holder = self.app.locks.holder(story.id)
        who = holder.describe(self.app.settings.zone) if holder else "Another editor"
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
        story = self.desk.story
        if story is None or not self.desk.dirty:
            return
        draft = self.desk.current_draft()
        if draft is None:
            return
        try:
            self.app.journal.save_draft(draft, base_version=story.version, store_path=self.app.settings.db_path)
        except RecoveryError as error:
            if not self._journal_warned:
                self._journal_warned = True
                self.notify(str(error), severity="warning", timeout=15)

    def discard(self) -> None:
        """The editor threw these changes away: the next start must not offer them back."""
        story = self.desk.story
        if story is not None:
            with contextlib.suppress(RecoveryError):
                self.app.journal.discard(story.id)

    def offer_recovery(self) -> None:
        """At start-up: drafts a session left unsaved (crash, kill, dropped SSH) are offered one by one."""
        from newsroom_tui.storage import drafts as recovery

        journal = self.app.journal
        try:
            scan = journal.scan(self.app.settings.db_path)
        except RecoveryError as error:
            self.notify(str(error), severity="warning")
            return
        for problem in scan.problems:
            self.notify(getattr(problem, "message", str(problem)), severity="warning")
        pending = []
        for draft in scan.drafts:
            try:
                stored = self.app.store.get(draft.story_id)
            except StoreError:
                stored = None
            if recovery.draft_is_saved(draft, stored):
                with contextlib.suppress(RecoveryError):
                    journal.discard_file(draft.path)
            else:
                pending.append((draft, stored))
        self._offer_next(pending)

    def _offer_next(self, pending: list[tuple[RecoveredDraft, Story | None]]) -> None:
        from newsroom_tui.tui.screens.recovery import Recovery, RecoveryScreen

        if not pending:
            return
        draft, stored = pending[0]
        description = draft.describe(self.app.settings.zone)

        def decided(choice: Recovery | None) -> None:
            if choice is Recovery.RECOVER:
                self.desk.gate.when_ready(lambda: self._recover(draft, stored))
                return  # the recovered story is open; the rest wait for the next start
            if choice is Recovery.DISCARD:
                with contextlib.suppress(RecoveryError):
                    self.app.journal.discard_file(draft.path)
            self._offer_next(pending[1:])

        self.app.push_screen(RecoveryScreen(draft, stored, description), decided)

    def _recover(self, draft: RecoveredDraft, stored: Story | None) -> None:
        """Open the recovered words as unsaved changes on top of the version they started from."""
        recovered, base_version = draft.story, draft.base_version
        self._recovered_files[recovered.id] = draft.path
        base = (
            stored.copy(version=base_version) if stored is not None else recovered.copy(version=0, headline="", body="")
        )
        desk = self.desk
        desk.load(base)
        desk.editor_pane.body.replace_whole_text(recovered.body)
        desk.metadata_pane.form.load(recovered.copy(version=base_version))
        desk.refresh_dirty()
        self.desk.list_pane.story_list.move_to(base.id)
        # After the dialog closes, focus would return to the list, and typing would filter it.
        self.desk.call_after_refresh(self.desk.action_show_pane, "editor-pane")
        self.notify(
            "Recovered the unsaved text; ctrl+s saves it (a newer version in the store will be shown "
            "side by side first).",
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

        def decided(choice: Unsaved | None) -> None:
            if choice is Unsaved.SAVE:
                if self.save():
                    then()
            elif choice is Unsaved.DISCARD:
                self.desk.set_dirty(False)
                self.discard()
                then()

        self.app.push_screen(UnsavedChangesScreen(draft.headline if draft else "", leaving_to), decided)
