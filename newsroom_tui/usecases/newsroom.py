"""The newsroom's use cases: the one place where the rules for changing a story live.

Why one place.  The desk and the command line each used to orchestrate checks → workflow → store →
delivery → history themselves, and they drifted apart (the command line ignored a desk's lock for most
writes; the desk read its delivery targets after publishing; each publish made two versions).  Both
front ends now call a `Newsroom` and only show what it returns (see `outcomes.py`).

Plain Python: no Textual, no Rich, no printing.  Start-up matters (the desk builds one before its first
screen), so the lock book, the recovery journal, the workflow, delivery and the formats are imported
by the methods that need them, not here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from newsroom_tui.domain.errors import LockError, NotFound
from newsroom_tui.domain.model import Status, Story, now, validate
from newsroom_tui.storage.store import ConflictError, SlugTakenError, StoreError, StoryStore
from newsroom_tui.text.safety import for_display
from newsroom_tui.usecases.outcomes import (
    Conflict,
    Failed,
    Invalid,
    LiveChange,
    LockLost,
    ReadOnly,
    Saved,
    SaveOutcome,
    SlugTaken,
)

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.drafts import RecoveryJournal
    from newsroom_tui.storage.locks import Lock, LockBook

__all__ = ["LIVE_CHOICES", "Newsroom"]

# What `save` does with a change to a live story: "ask" returns LiveChange, "unsent" saves it and leaves
# it marked as not yet sent (the desk sends it with the `correct` action).
LIVE_CHOICES = ("ask", "unsent")


class Newsroom:
    """One per process: the settings, the store, this process's locks and recovery journal, and the rules."""

    def __init__(
        self,
        settings: Settings,
        store: StoryStore,
        *,
        clock: Callable[[], datetime] = now,
        locks: LockBook | None = None,
        journal: RecoveryJournal | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self._locks = locks
        self._journal = journal
        # Stories whose lock this process held until someone took it over (seen by `heartbeat`).
        self._lost: set[str] = set()

    @property
    def user(self) -> str:
        return self.settings.user

    # -- lazily made parts ----------------------------------------------------------------------------
    @property
    def locks(self) -> LockBook:
        """This process's lock book, made on first use (5 ms of imports the first screen does without)."""
        if self._locks is None:
            from newsroom_tui.storage import locks as lock_module

            self._locks = lock_module.LockBook(
                self.settings.db_path, user=self.user, expiry=lock_module.lock_expiry_from(self.settings)
            )
        return self._locks

    @property
    def journal(self) -> RecoveryJournal:
        """This user's recovery journal (autosaved drafts), made on first use."""
        if self._journal is None:
            from newsroom_tui.storage import drafts

            self._journal = drafts.RecoveryJournal(drafts.recovery_folder_from(self.settings), user=self.user)
        return self._journal

    # -- finding --------------------------------------------------------------------------------------
    def find(self, slug: str) -> Story:
        """The story with this slug; NotFound (a sentence naming the store) when there is none."""
        story = self.store.find_by_slug(slug)
        if story is None:
            raise NotFound(f"There is no story with the slug {for_display(repr(slug))} in {self.settings.db_path}.")
        return story

    # -- locks ----------------------------------------------------------------------------------------
    def holder(self, story_id: str) -> Lock | None:
        """A live lock on the story held by someone else (never this process's own), or None.

        Locks are advisory: a lock file that cannot be read counts as no lock (the store's version check
        still refuses to overwrite anyone's save).
        """
        try:
            lock = self.locks.holder(story_id)
        except LockError:
            return None
        if lock is None or self.locks.is_mine(lock):
            return None
        return lock

    def describe(self, lock: Lock) -> str:
        """`rina on desk-2 (pid 4242) since 13:36`, in the desk's time zone."""
        return lock.describe(self.settings.zone)

    def holder_description(self, story_id: str) -> str | None:
        lock = self.holder(story_id)
        return self.describe(lock) if lock is not None else None

    def take_over(self, story_id: str) -> Story:
        """Take the story's lock from whoever holds it; returns the latest stored story.

        Raises LockError when the lock file cannot be written, StoreError when the story cannot be read.
        """
        self.locks.take_over(story_id)
        self._lost.discard(story_id)
        return self.store.get(story_id)

    def release(self, story_id: str) -> None:
        """Give the story's lock back (a lock someone took over is left alone); never raises."""
        with contextlib.suppress(LockError):  # once this process exits its locks are stale anyway
            self.locks.release(story_id)

    def heartbeat(self) -> list[str]:
        """Keep this process's locks fresh; returns the story ids someone else has taken meanwhile."""
        lost = self.locks.heartbeat()
        self._lost.update(lost)
        return lost

    def _was_mine(self, story_id: str, lock: Lock) -> bool:
        """Whether this process held the story until `lock`'s holder took it over."""
        if story_id in self._lost:
            return True
        try:
            held = story_id in self.locks.held()
        except LockError:
            held = False
        me = f"{self.locks.user} on {self.locks.host} (pid {self.locks.pid})"  # what Lock.who said of us
        return held or (bool(lock.taken_from) and lock.taken_from == me)

    def lock_refusal(self, story_id: str, *, take_over: bool) -> SaveOutcome | None:
        """ReadOnly / LockLost when another editor's live lock forbids writing; takes the lock over if asked.

        The rule for every write from either front end (spec: "Lock rule").
        """
        lock = self.holder(story_id)
        if lock is None:
            return None
        if take_over:
            try:
                self.locks.take_over(story_id)
            except LockError as error:
                return Failed(str(error))
            self._lost.discard(story_id)
            return None
        if self._was_mine(story_id, lock):
            return LockLost(self.describe(lock))
        return ReadOnly(self.describe(lock))

    # -- saving ---------------------------------------------------------------------------------------
    def save(self, draft: Story, *, base_version: int, live: str = "ask", take_over: bool = False) -> SaveOutcome:
        """Save `draft` as the version after `base_version`: the whole decision tree, in this order.

        Invalid (validation) → SlugTaken → ReadOnly / LockLost (another editor's live lock, unless
        `take_over`) → Conflict (someone saved since `base_version`) → LiveChange (a live story and
        `live == "ask"`) → Failed (a StoreError) → Saved.  `live == "unsent"` saves a live story and leaves
        it marked as changed since it went out.
        """
        if live not in LIVE_CHOICES:
            raise ValueError(f"live must be one of {LIVE_CHOICES}, not {live!r}")
        settings = self.settings
        problems = validate(draft, headline_limit=settings.headline_limit, summary_limit=settings.summary_limit)
        if problems:
            return Invalid(problems)
        try:
            owner = self.store.slug_owner(draft.slug)
        except StoreError as error:
            return Failed(str(error))
        if owner is not None and owner.id != draft.id:
            return SlugTaken(draft.slug, owner.headline)
        refused = self.lock_refusal(draft.id, take_over=take_over)
        if refused is not None:
            return refused
        mine = draft.copy(version=base_version)
        if base_version:
            try:
                stored = self.store.get(draft.id)
            except StoreError as error:
                return Failed(str(error))
            if stored.version != base_version:
                return Conflict(mine, stored)
            if stored.is_live and live == "ask":
                return LiveChange(mine)
        try:
            saved = self.store.save(mine, user=self.user)
        except ConflictError as error:
            return Conflict(mine, error.theirs)
        except SlugTakenError as error:
            return SlugTaken(error.slug, error.owner_headline)
        except StoreError as error:
            return Failed(str(error))
        return Saved(saved)

    def keep_mine(self, mine: Story, *, live: str = "ask", take_over: bool = False) -> SaveOutcome:
        """The conflict's "keep mine": my words and metadata on top of their latest version.

        Their workflow state (status, stamps, history) stays as they left it: a story spiked or published
        meanwhile is not silently unspiked or unpublished by my older copy.
        """
        from newsroom_tui.storage.store import RESTORED_FIELDS

        try:
            theirs = self.store.get(mine.id)
        except StoreError as error:
            return Failed(str(error))
        merged = theirs.copy(**{name: getattr(mine, name) for name in RESTORED_FIELDS if name != "tags"})
        merged.tags = list(mine.tags)
        outcome = self.save(merged, base_version=theirs.version, live=live, take_over=take_over)
        if isinstance(outcome, Saved):
            who = for_display(theirs.updated_by or "the other editor")
            return Saved(outcome.story, f"Saved yours on top of {who}'s as version {outcome.story.version}.")
        return outcome

    def save_as_copy(self, mine: Story) -> SaveOutcome:
        """The conflict's third answer: my text as a new draft with a free slug; theirs is untouched."""
        from newsroom_tui.domain.model import new_id
        from newsroom_tui.text.slugs import alternative_slugs, slug_from_headline

        def taken(slug: str) -> bool:
            return self.store.slug_owner(slug) is not None

        try:
            base = mine.slug or slug_from_headline(mine.headline) or "story"
            slug = base if not taken(base) else (alternative_slugs(base, taken, count=1) or [""])[0]
        except StoreError as error:
            return Failed(str(error))
        copy = mine.copy(
            id=new_id(),
            version=0,
            slug=slug,
            slug_set_by_hand=True,
            status=Status.DRAFT,
            history=[],
            published_at=None,
            scheduled_at=None,
            previous_status=None,
            correction_sequence=0,
            correction_note="",
            sent_version=None,
            created_by=self.user,
            created_at=self.clock(),
        )
        outcome = self.save(copy, base_version=0)
        if isinstance(outcome, Saved):
            return Saved(
                outcome.story, f"Saved yours as a new story, {for_display(outcome.story.slug)}; theirs is untouched."
            )
        return outcome
