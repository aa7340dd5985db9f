"""The editing session: the one open story, its lock, its recovered draft and its unsaved-ness.

Why an object of its own.  The desk used to keep this state in several places at once (the screen, the
form, four read-only flags) and they disagreed.  The session owns it; the desk only shows it and asks:
"is this unsaved?", "what slug does this headline give?", "save this".  No Textual, no printing:
every rule here is unit-tested without a screen.

Drafts kept in the recovery journal are removed whenever they are dealt with, whichever way (saved,
kept mine, taken theirs, saved as a copy, discarded), so a resolved draft is never offered again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsroom_tui.domain.errors import LockError, RecoveryError
from newsroom_tui.domain.model import FIELD_CEILINGS, Status, Story, oversized_fields
from newsroom_tui.storage.atomicfile import os_reason
from newsroom_tui.storage.store import StoreError
from newsroom_tui.text.safety import for_display
from newsroom_tui.text.slugs import slug_from_headline
from newsroom_tui.usecases.newsroom import UNSPIKE_HOW, Newsroom, edit_refusal
from newsroom_tui.usecases.outcomes import (
    Conflict,
    Failed,
    Frozen,
    LockLost,
    LockUnavailable,
    OpenResult,
    ReadOnly,
    Saved,
    SaveOutcome,
)

if TYPE_CHECKING:
    from newsroom_tui.storage.drafts import RecoveredDraft

__all__ = ["EditingSession", "slug_follows_headline"]


def slug_follows_headline(stored: Story | None, draft: Story) -> bool:
    """Whether the slug is still made from the headline: a draft whose slug nobody typed by hand.

    Once a story has gone further than draft (submitted, published…) its slug is its address and stays.
    """
    if draft.slug_set_by_hand:
        return False
    return stored is None or stored.is_new or stored.status is Status.DRAFT


class EditingSession:
    """The story open in one desk.  `story` is its stored version (version 0: a new story)."""

    def __init__(self, newsroom: Newsroom, *, unspike_how: str = UNSPIKE_HOW) -> None:
        self.newsroom = newsroom
        self.unspike_how = unspike_how  # how a spiked story's sentence says to unspike it, the front end's keys in it
        self.story: Story | None = None
        # The version the editor's changes start from: `story.version`, or a recovered draft's base.
        self.base_version = 0
        # Who else holds the story (a description) while the session is read-only; None when writable.
        self.read_only: str | None = None
        # True when `read_only` is because someone took the story over from this session.
        self.lock_lost = False
        # Why nothing can be saved here, no editor being the reason (a read-only store); None when it can.
        self.cannot_write: str | None = None
        # Why the open story itself cannot change (spiked: unspike it first; killed: final), or None.  Unlike
        # `cannot_write` the workflow's actions stay open (F10 unspikes), and it follows the stored status.
        self.frozen: str | None = None
        # Fields of the open story past their ceiling (domain.model.FIELD_CEILINGS): shown cut, never saved.
        self.oversized: dict[str, str] = {}
        self._holds_lock = False
        self._draft_files: list[Path] = []  # recovered journal files this story's draft came from
        self._journal_warned = False

    # -- opening --------------------------------------------------------------------------------------
    def open(self, story_id: str) -> OpenResult:
        """Open a stored story: take its lock (read-only when another editor has it), clean what it shows.

        Raises StoreError (StoryNotFoundError…) when it cannot be read; the previous story stays open then.
        """
        story = self.newsroom.store.get(story_id)
        self._leave(keeping=story_id)
        holder, problem = self._lock(story_id)
        self.story = story
        self.base_version = story.version
        self.read_only = holder
        self.lock_lost = False
        self.frozen = edit_refusal(story, unspike_how=self.unspike_how)
        # The editor and the inputs draw text as it is, so what an older tool or a hand edit left in the
        # store (escape sequences, C1 controls, bidi overrides) is cleaned before it reaches them.
        cleaned = story.has_terminal_control()
        shown = story.cleaned() if cleaned else story
        self.oversized = oversized_fields(story)
        if self.oversized and holder is None:
            # A field past its ceiling (stored before the ceilings, or by a hand edit): a 1,000,000-character
            # headline froze the desk for 16 s on open.  It opens read-only, its long fields cut for showing
            # only; nothing can be saved from this copy, so nothing is lost.
            first = next(iter(self.oversized.values()))
            self.cannot_write = (
                f"{first} This story opens read-only, shortened on screen; restore an earlier version (F12) to edit it."
            )
            problem = LockUnavailable(self.cannot_write, read_only=True)
            shown = shown.copy(**{name: getattr(shown, name)[: FIELD_CEILINGS[name]] + "…" for name in self.oversized})
        return OpenResult(shown, holder, cleaned, problem)

    def new(self, **fields: Any) -> Story:
        """Start a new, never-saved story (version 0) by this desk's user."""
        self._leave()
        user = self.newsroom.user
        fields.setdefault("created_by", user)
        fields.setdefault("updated_by", user)
        story = Story(**fields)
        self._lock(story.id)
        self.story = story
        self.base_version = 0
        self.read_only = None
        self.lock_lost = False
        self.frozen = None
        return story

    def recover(self, draft: RecoveredDraft) -> Story:
        """Open a recovered draft as unsaved changes on the version it started from; returns what to show.

        The draft's file is remembered and removed as soon as the draft is dealt with in any way.
        A draft started from an older version than the store holds saves as a Conflict, like any stale save.
        """
        try:
            stored: Story | None = self.newsroom.store.get(draft.story_id)
        except StoreError:
            stored = None
        if stored is not None:
            self.open(stored.id)
            self.base_version = draft.base_version
        else:
            # Never saved (or gone from the store): what the store has of it is nothing.
            self._leave()
            holder, _ = self._lock(draft.story_id)  # another running desk may still have it open
            self.story = draft.story.copy(version=0, headline="", body="", slug="")
            self.base_version = 0
            self.read_only = holder
            self.lock_lost = False
            self.frozen = None
        self._draft_files = [draft.path]
        assert self.story is not None
        shown = draft.story.copy(version=self.story.version)
        # A journal file is a file like any other (a hand edit, an older version): cleaned as `open` cleans.
        return shown.cleaned() if shown.has_terminal_control() else shown

    def take_over(self, draft: Story | None = None) -> OpenResult:
        """Take the open story from the editor holding it, and open the latest stored version.

        `draft` is what the editor shows: unsaved words (typed before the story was lost, or while it was
        read-only) stay on screen on the version they started from, so the next save shows theirs beside
        them (a Conflict) instead of the latest version silently replacing them.
        """
        story = self._require()
        unsaved = draft is not None and self.is_unsaved(draft)
        latest = self.newsroom.take_over(story.id)
        self.read_only = None
        self.lock_lost = False
        self._holds_lock = True
        self.story = latest
        self.frozen = edit_refusal(latest, unspike_how=self.unspike_how)
        if unsaved and draft is not None:
            return OpenResult(draft, None, False)  # base_version stays where the words started
        self.base_version = latest.version
        cleaned = latest.has_terminal_control()
        return OpenResult(latest.cleaned() if cleaned else latest, None, cleaned)

    # -- what the editor shows ------------------------------------------------------------------------
    def is_unsaved(self, draft: Story) -> bool:
        """Whether what the editor shows differs from the stored version (compared, never flagged).

        Compared rather than tracked per keystroke: a change can arrive after a save that already held
        it, and undoing back to the saved text is saved again.  A recovered draft is unsaved until dealt with.
        """
        if self.story is None:
            return False
        return bool(self._draft_files) or draft.copy(version=self.story.version) != self.story

    def slug_for(self, draft: Story) -> str:
        """The slug `draft` gets: made from the headline while it follows it, else as typed."""
        if slug_follows_headline(self.story, draft):
            return slug_from_headline(draft.headline)
        return draft.slug

    # -- saving ---------------------------------------------------------------------------------------
    def save(self, draft: Story, *, live: str = "ask") -> SaveOutcome:
        """Save what the editor shows.  Anything but Saved leaves the text in the editor (and, where it
        matters, in the recovery journal)."""
        if self.story is None:
            return Failed("There is no story open to save.")
        draft = draft.copy(slug=self.slug_for(draft))
        if self.read_only is not None:
            self.autosave(draft)
            return LockLost(self.read_only) if self.lock_lost else ReadOnly(self.read_only)
        if self.frozen is not None:
            return Frozen(self.frozen)
        if self.cannot_write is not None and (self.oversized or self.newsroom.store.read_only_reason() is not None):
            self.autosave(draft)
            return Failed(f"Not saved: {for_display(self.cannot_write)} Your text is still in the editor.")
        outcome = self.newsroom.save(draft, base_version=self.base_version, live=live)
        return self._after_save(outcome, draft)

    def keep_mine(self, mine: Story, *, live: str = "ask") -> SaveOutcome:
        """After a Conflict: my version on top of theirs (their workflow state kept)."""
        self._require()
        mine = mine.copy(slug=self.slug_for(mine))
        return self._after_save(self.newsroom.keep_mine(mine, live=live), mine)

    def take_theirs(self) -> SaveOutcome:
        """After a Conflict: drop my changes and show their latest version (Saved with theirs: nothing
        of mine was written).  My draft is resolved, so its journal files go."""
        story = self._require()
        try:
            theirs = self.newsroom.store.get(story.id)
        except StoreError as error:
            return Failed.because(error)
        self._forget_drafts(story.id)
        self.story = theirs
        self.base_version = theirs.version
        self.frozen = edit_refusal(theirs, unspike_how=self.unspike_how)
        return Saved(theirs, f"Took their version {theirs.version}; your changes were dropped.")

    def save_as_copy(self, mine: Story) -> SaveOutcome:
        """After a Conflict: my text as a new story (which the session then has open); theirs untouched."""
        story = self._require()
        outcome = self.newsroom.save_as_copy(mine.copy(slug=self.slug_for(mine)))
        if isinstance(outcome, Saved):
            self._forget_drafts(story.id)
            self._leave()
            self._lock(outcome.story.id)
            self.story = outcome.story
            self.base_version = outcome.story.version
            self.read_only = None
            self.lock_lost = False
            self.frozen = None
        return outcome

    def _after_save(self, outcome: SaveOutcome, draft: Story) -> SaveOutcome:
        assert self.story is not None
        if isinstance(outcome, Saved):
            self._forget_drafts(self.story.id)
            self.story = outcome.story
            self.base_version = outcome.story.version
            self.frozen = edit_refusal(outcome.story, unspike_how=self.unspike_how)
        elif isinstance(outcome, Frozen):  # spiked or killed by someone else meanwhile: read-only from now on
            self.frozen = outcome.reason
            self.autosave(draft)
        elif isinstance(outcome, LockLost | ReadOnly):
            self.read_only = outcome.holder
            self.lock_lost = isinstance(outcome, LockLost)
            self._holds_lock = False
            self.autosave(draft)
        elif isinstance(outcome, Conflict | Failed):
            self.autosave(draft)
        return outcome

    def adopt(self, saved: Story) -> None:
        """A version this desk wrote through the Newsroom (a workflow action, a restore) is the open story now."""
        story = self._require()
        if saved.id == story.id:
            self.story = saved
            self.base_version = saved.version
            self.frozen = edit_refusal(
                saved, unspike_how=self.unspike_how
            )  # spiked by F10 here: read-only now; unspiked: writable again

    # -- the recovery journal -------------------------------------------------------------------------
    def autosave(self, draft: Story) -> str | None:
        """Keep the unsaved draft in this user's recovery journal: never the store, never a version.

        Returns a warning sentence the first time the journal cannot be written, else None.
        """
        if self.story is None or not self.is_unsaved(draft):
            return None
        try:
            self.newsroom.journal.save_draft(
                draft.copy(version=self.base_version),
                base_version=self.base_version,
                store_path=self.newsroom.settings.db_path,
            )
        except RecoveryError as error:
            if self._journal_warned:
                return None
            self._journal_warned = True
            return str(error)
        return None

    def discard(self) -> None:
        """The editor threw the changes away: the journal's copies go, and the stored version is what is open."""
        if self.story is None:
            return
        self._forget_drafts(self.story.id)
        if self.story.is_new:
            return
        try:
            self.story = self.newsroom.store.get(self.story.id)
        except StoreError:
            return
        self.base_version = self.story.version
        self.frozen = edit_refusal(self.story, unspike_how=self.unspike_how)

    def close(self) -> None:
        """Leave the story: its lock is released (unless someone took it over)."""
        self._leave()
        self.story = None
        self.base_version = 0
        self.read_only = None
        self.lock_lost = False
        self.cannot_write = None
        self.frozen = None

    # -- locks ----------------------------------------------------------------------------------------
    def heartbeat(self) -> str | None:
        """Refresh the locks; the holder's description when someone took the open story over meanwhile.

        A desk running the heartbeat off its UI thread calls `newsroom.heartbeat()` there and hands the
        result to `locks_lost` on the UI thread instead.
        """
        try:
            lost = self.newsroom.heartbeat()
        except LockError:
            return None
        return self.locks_lost(lost)

    def locks_lost(self, story_ids: list[str]) -> str | None:
        """Someone took these stories over: if the open one is among them the session turns read-only
        (saves return LockLost); returns who has it now, else None."""
        if self.story is None or self.story.id not in story_ids:
            return None
        self._holds_lock = False
        self.lock_lost = True
        self.read_only = self.newsroom.holder_description(self.story.id) or "Another editor"
        return self.read_only

    def _lock(self, story_id: str) -> tuple[str | None, LockUnavailable | None]:
        """Take the story's lock: (None, None) when held, (holder, None) when another editor has it, and
        (None, why) when it could not be taken for any other reason: never "another editor" then.

        A read-only store takes no lock at all (nothing can be saved, so nobody is kept out) and makes the
        session read-only with that reason (`cannot_write`).
        """
        self._holds_lock = False
        self.oversized = {}
        self.cannot_write = self.newsroom.store.read_only_reason()
        if self.cannot_write is not None:
            return None, LockUnavailable(self.cannot_write, read_only=True)
        try:
            result = self.newsroom.locks.acquire(story_id)
        except LockError as error:
            return None, LockUnavailable(_lock_failure(error))
        self._holds_lock = result.ok
        if result.ok:
            return None, None
        return self.newsroom.describe(result.lock), None

    def _leave(self, keeping: str | None = None) -> None:
        """Release the open story's lock, unless it is the one about to be opened again."""
        if self.story is not None and self.story.id == keeping:
            return
        if self.story is not None and self._holds_lock:
            self.newsroom.release(self.story.id)
        self._holds_lock = False
        self._draft_files = []

    def _forget_drafts(self, story_id: str) -> None:
        """The draft is dealt with: remove this session's journal copy and any recovered file it came from."""
        journal = self.newsroom.journal
        with contextlib.suppress(RecoveryError):  # a file that cannot go is offered again: no loss
            journal.discard(story_id)
        for path in self._draft_files:
            with contextlib.suppress(RecoveryError):
                journal.discard_file(path)
        self._draft_files = []

    def _require(self) -> Story:
        if self.story is None:
            raise RuntimeError("no story is open in this session")
        return self.story


def _lock_failure(error: LockError) -> str:
    """What stopped the lock, as the end of a sentence: the OS's reason (`the disk is full`), not the
    lock file's name and path, which the editor cannot act on."""
    cause = error.__cause__
    if isinstance(cause, TimeoutError):
        return "another newsroom process has been holding the story locks too long"
    if isinstance(cause, OSError):
        return os_reason(cause)
    return str(error).rstrip(".")
