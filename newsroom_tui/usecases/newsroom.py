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
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsroom_tui.domain.errors import LockedError, LockError, NotFound, RecoveryError, UserError, WorkflowError
from newsroom_tui.domain.model import Status, Story, now, over_limits, validate
from newsroom_tui.domain.search import MAX_QUERY_LENGTH, SearchHit, parse_query
from newsroom_tui.storage.store import ConflictError, SlugTakenError, StoreError, StoryNotFoundError
from newsroom_tui.text.safety import for_display
from newsroom_tui.usecases.outcomes import (
    ActionOutcome,
    Conflict,
    DeliveryOutcome,
    Failed,
    Frozen,
    ImportLine,
    ImportReport,
    Invalid,
    LiveChange,
    LockLost,
    Prepared,
    ReadOnly,
    RestoreOutcome,
    Saved,
    SaveOutcome,
    SlugTaken,
)

if TYPE_CHECKING:
    from newsroom_tui.delivery import DeliveryResult, PendingDeliveries, Target
    from newsroom_tui.domain.checks import CheckResult
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.copydesk import Finding
    from newsroom_tui.domain.history import VersionSummary
    from newsroom_tui.storage.contract import LockKeeper, Store
    from newsroom_tui.storage.drafts import RecoveredDraft, RecoveryJournal
    from newsroom_tui.storage.locks import Lock
    from newsroom_tui.text.spelling import Speller
    from newsroom_tui.usecases.spelling import SpellingService

__all__ = [
    "LIVE_CHOICES",
    "MAX_SEARCH_LIMIT",
    "SEARCH_LIMIT",
    "Found",
    "Newsroom",
    "NoFreeSlug",
    "StoryCheck",
    "StoryHistory",
    "UnknownSlug",
    "WholeSlugNeeded",
    "edit_refusal",
]

# Past this many stories the embedded TinyDB store gets slow to open and heavy on memory (the README's
# table: 0.8 s and 150 MB at 10,000, 4.6 s and 700-810 MB at 50,000): the desk says once where to go.
TINYDB_COMFORTABLE = 10_000


def size_advice(settings: Settings, store: Store) -> str | None:
    """Once per editor and store: a TinyDB store past TINYDB_COMFORTABLE stories is told how to move to
    PostgreSQL.  None otherwise (a database store, a small one, or said already)."""
    if settings.store_url is not None:
        return None
    count = len(store)
    if count <= TINYDB_COMFORTABLE:
        return None
    from newsroom_tui.storage.notices import first_time

    if not first_time(f"tinydb-size {settings.db_path.resolve()}"):
        return None
    return (
        f"This store holds {count:,} stories; past {TINYDB_COMFORTABLE:,} the embedded TinyDB store is slow "
        "to open and heavy on memory. A newsroom this size belongs on PostgreSQL: see the README's "
        "PostgreSQL section (createdb, then `newsroom migrate` this file to the database's URL)."
    )


# How many hits a search shows unless asked (the desk and `newsroom search`), and the most it may be asked for.
SEARCH_LIMIT = 20
# A start of a slug that many slugs share is said as "the start of over 1,000 slugs": counting a million
# stories' would take longer than the sentence is worth.
MOST_SLUGS_NAMED = 1000
# A database offers this many slugs most alike (by trigrams) to a mistyped one, to rank for "did you mean".
SLUGS_RANKED = 50
MAX_SEARCH_LIMIT = 1000

# What `save` does with a change to a live story: "ask" returns LiveChange, "unsent" saves it and leaves
# it marked as not yet sent (the desk sends it with the `correct` action).
LIVE_CHOICES = ("ask", "unsent")


# How to unspike, as a sentence from the use cases says it: the desk's key is the desk's to name (it passes
# its own, after any keymap: `EditingSession(unspike_how=…)`).
UNSPIKE_HOW = "Unspike in the desk menu, `newsroom unspike` on the command line"


def edit_refusal(story: Story, *, unspike_how: str = UNSPIKE_HOW) -> str | None:
    """Why a stored story's words and metadata cannot be changed, in one sentence, or None.

    The rule for every write from either front end (a desk's save, `check --fix`, `restore`): a spiked
    story is off the desk until it is unspiked, and a kill is final.  Workflow actions have their own
    table (a spiked story can still be unspiked); a copy of the text can always be saved as a new story.
    """
    if story.status is Status.SPIKED:
        return (
            f"“{for_display(story.headline or story.slug)}” is spiked, so it opens read-only: unspike it first "
            f"({unspike_how})."
        )
    if story.status is Status.KILLED:
        return (
            f"“{for_display(story.headline or story.slug)}” was killed, and a kill is final: it can be read and "
            "exported, never changed."
        )
    return None


@dataclass(frozen=True, slots=True)
class StoryHistory:
    """A story's saved versions and its delivery log, and the two merged into one line per version."""

    revisions: list[Story]
    log: list[dict[str, Any]]

    @property
    def summaries(self) -> list[VersionSummary]:
        from newsroom_tui.domain.history import summarise_versions

        return summarise_versions(self.revisions, self.log)


@dataclass(frozen=True, slots=True)
class StoryCheck:
    """`check` on one story: its findings, and what its fixes came to (None: not asked, or nothing to fix)."""

    story: Story
    findings: list[Finding]
    fixed: SaveOutcome | None


class Newsroom:
    """One per process: the settings, the store, this process's locks and recovery journal, and the rules."""

    def __init__(
        self,
        settings: Settings,
        store: Store,
        *,
        clock: Callable[[], datetime] = now,
        locks: LockKeeper | None = None,
        journal: RecoveryJournal | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.clock = clock
        self._locks = locks
        self._journal = journal
        # Stories whose lock this process held until someone took it over (seen by `heartbeat`).
        self._lost: set[str] = set()
        self._spelling: SpellingService | None = None
        self._spelling_on: bool | None = None  # [copydesk] spelling, read on first use
        # The desk never waits for the dictionaries (they load in a worker); the command line does.
        self.spelling_waits = True

    @property
    def user(self) -> str:
        return self.settings.user

    # -- lazily made parts ----------------------------------------------------------------------------
    @property
    def locks(self) -> LockKeeper:
        """This process's lock book, made on first use (5 ms of imports the first screen does without)."""
        if self._locks is None:
            from newsroom_tui.storage.backends import lock_book_for

            self._locks = lock_book_for(self.settings, store=self.store)  # on the store's connection
        return self._locks

    @property
    def journal(self) -> RecoveryJournal:
        """This user's recovery journal (autosaved drafts), made on first use."""
        if self._journal is None:
            from newsroom_tui.storage import drafts

            self._journal = drafts.RecoveryJournal(drafts.recovery_folder_from(self.settings), user=self.user)
        return self._journal

    @property
    def spelling(self) -> SpellingService:
        """The dictionaries and the word lists, loaded on first use (usecases/spelling.py)."""
        if self._spelling is None:
            from newsroom_tui.usecases.spelling import SpellingService

            self._spelling = SpellingService(self.settings, store=self.store)
        return self._spelling

    def speller(self) -> Speller | None:
        """The speller as things stand; None on the desk while the dictionaries are still loading, and
        None when the config says `[copydesk] spelling = false`."""
        if self._spelling_on is None:
            from newsroom_tui.domain.copydesk import CopydeskConfig

            self._spelling_on = CopydeskConfig.from_settings(self.settings).spelling
        if not self._spelling_on:
            return None
        return self.spelling.speller(wait=self.spelling_waits)

    # -- finding --------------------------------------------------------------------------------------
    def find(self, slug: str) -> Story:
        """The story a command that changes it names (a workflow step, restore, unlock, `check --fix`, a story's
        words): its whole slug and nothing else, since a start of one that happens to be unique today acts on a
        story nobody named.  NotFound otherwise, one sentence: the stories that slug is the start of ("Give the
        whole slug"), else as `look_up` says it."""
        story = self.store.find_by_slug(slug)
        if story is not None:
            return story
        starting = self.store.slugs_starting(slug, most=MOST_SLUGS_NAMED)
        if starting:
            raise WholeSlugNeeded(
                f"No story has the slug “{for_display(slug)}”; did you mean "
                f"{_one_of(starting, quoted=True)}? Give the whole slug."
            )
        raise self._unknown(slug)

    def look_up(self, slug: str) -> Found:
        """The story a command that only reads names (export, history, `check`, opening the desk on it): its
        whole slug, or any start of it that only one slug has (`newsroom export padma`), which `Found.note`
        then names for the front end to say.  NotFound otherwise, one sentence naming the store and suggesting
        up to three slugs: those starting so when several do, else the closest (difflib)."""
        story = self.store.find_by_slug(slug)
        if story is not None:
            return Found(story, slug)
        starting = self.store.slugs_starting(slug, most=MOST_SLUGS_NAMED)
        if len(starting) == 1:
            found = self.store.find_by_slug(starting[0])
            if found is not None:
                return Found(found, slug)
        if len(starting) > 1:
            how_many = f"over {MOST_SLUGS_NAMED:,}" if len(starting) > MOST_SLUGS_NAMED else f"{len(starting)}"
            raise NotFound(
                f"{for_display(repr(slug))} is the start of {how_many} slugs in {self.settings.store_label}; "
                f"did you mean {_one_of(starting)}? Type more of it."
            )
        raise self._unknown(slug)

    def _unknown(self, slug: str) -> UnknownSlug:
        """No slug is, or starts with, `slug`: the sentence, with the closest slugs when any is close (ranked
        here among those the store offers: all of a journal's, a database's most alike by trigrams)."""
        import difflib

        slugs = self.store.slugs_like(slug, most=SLUGS_RANKED)

        def likeness(candidate: str) -> float:  # a typo in the start of a long slug counts as close
            whole = difflib.SequenceMatcher(None, slug, candidate).ratio()
            start = difflib.SequenceMatcher(None, slug, candidate[: len(slug)]).ratio()
            return max(whole, start)

        scored = sorted(((likeness(candidate), candidate) for candidate in slugs), key=lambda pair: -pair[0])
        close = [candidate for score, candidate in scored[:3] if score >= 0.6]
        hint = f"; did you mean {_one_of(close)}?" if close else "."
        typed = for_display(repr(slug))
        return UnknownSlug(f"There is no story with the slug {typed} in {self.settings.store_label}{hint}", hint)

    def size_advice(self) -> str | None:
        """See `size_advice`: said once per editor and store."""
        return size_advice(self.settings, self.store)

    # -- spelling: what one story ignores -------------------------------------------------------------
    def story_words(self, slug: str, verb: str, words: Iterable[str] = ()) -> list[str]:
        """`newsroom words add|remove|list --story SLUG`: the words that story ignores (the desk's
        "ignore in this story"), kept for every editor; returns one sentence per word, or the words."""
        if verb == "list":
            return sorted(self.spelling.ignored(self.look_up(slug).story.id))
        story = self.find(slug)
        change = self.spelling.ignore if verb == "add" else self.spelling.unignore
        return [change(story.id, word).message for word in words]

    # -- archive search -------------------------------------------------------------------------------
    def search(self, text: str, *, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """The archive's stories holding every word and "quoted phrase" of `text` (headline, summary, body, byline,
        tags; Bangla spelt either way, see domain/search.py), newest first, at most `limit`, each with a snippet.

        One sentence (UserError) for a search for nothing, a limit out of range or a paste that is not a query;
        StoreError when the store cannot be read."""
        if not 1 <= limit <= MAX_SEARCH_LIMIT:
            raise UserError(f"A search shows from 1 to {MAX_SEARCH_LIMIT} stories; {limit} is not in that range.")
        if len(text) > MAX_QUERY_LENGTH:
            raise UserError(f"A search is at most {MAX_QUERY_LENGTH} characters; this one has {len(text):,}.")
        query = parse_query(text)
        if query.is_empty:
            raise UserError('Give a word or a "quoted phrase" to search the archive for.')
        return self.store.search(query, limit=limit)

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
        latest = self.store.get(story_id)  # first: a story that cannot be read is not taken from anyone
        self.locks.take_over(story_id)
        self._lost.discard(story_id)
        return latest

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
                return Failed.because(error)
            self._lost.discard(story_id)
            return None
        if self._was_mine(story_id, lock):
            return LockLost(self.describe(lock))
        return ReadOnly(self.describe(lock))

    # -- saving ---------------------------------------------------------------------------------------
    def save(self, draft: Story, *, base_version: int, live: str = "ask", take_over: bool = False) -> SaveOutcome:
        """Save `draft` as the version after `base_version`: the whole decision tree, in this order.

        Invalid (validation) → SlugTaken → ReadOnly / LockLost (another editor's live lock, unless
        `take_over`) → Conflict (someone saved since `base_version`) → Frozen (the stored story is spiked or
        killed: `edit_refusal`) → LiveChange (a live story and
        `live == "ask"`) → Failed (a StoreError) → Saved.  `live == "unsent"` saves a live story and leaves
        it marked as changed since it went out.
        """
        if live not in LIVE_CHOICES:
            raise ValueError(f"live must be one of {LIVE_CHOICES}, not {live!r}")
        settings = self.settings
        limits = {"headline_limit": settings.headline_limit, "summary_limit": settings.summary_limit}
        # Over the page's limits is saved with a warning (the words are kept, the story stays unsaved no
        # longer); publishing, and a correction, refuse it until it fits.
        problems = validate(draft, **limits, editorial=False)
        if problems:
            return Invalid(problems)
        warnings = over_limits(draft, **limits)
        try:
            owner = self.store.slug_owner(draft.slug)
        except StoreError as error:
            return Failed.because(error)
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
                return Failed.because(error)
            if stored.version != base_version:
                return Conflict(mine, stored)  # first: the dialog can save mine as a copy
            frozen = edit_refusal(stored)
            if frozen is not None:
                return Frozen(frozen)
            if stored.is_live and live == "ask":
                return LiveChange(mine)
        try:
            saved = self.store.save(mine, user=self.user)
        except ConflictError as error:
            return Conflict(mine, error.theirs)
        except SlugTakenError as error:
            return SlugTaken(error.slug, error.owner_headline)
        except StoreError as error:
            return Failed.because(error)
        return Saved(saved, warnings=warnings)

    def keep_mine(self, mine: Story, *, live: str = "ask", take_over: bool = False) -> SaveOutcome:
        """The conflict's "keep mine": my words and metadata on top of their latest version.

        Their workflow state (status, stamps, history) stays as they left it: a story spiked or published
        meanwhile is not silently unspiked or unpublished by my older copy.
        """
        from newsroom_tui.domain.workflow import RESTORED_FIELDS

        try:
            theirs = self.store.get(mine.id)
        except StoreError as error:
            return Failed.because(error)
        merged = theirs.copy(**{name: getattr(mine, name) for name in RESTORED_FIELDS if name != "tags"})
        merged.tags = list(mine.tags)
        if not mine.slug_set_by_hand and not (theirs.is_new or theirs.status is Status.DRAFT):
            # Past draft a slug is the story's address: my headline edit must not move a story that went
            # live (or to the desk) while I was typing.  A slug I typed by hand is mine to keep.
            merged = merged.copy(slug=theirs.slug, slug_set_by_hand=theirs.slug_set_by_hand)
        outcome = self.save(merged, base_version=theirs.version, live=live, take_over=take_over)
        if isinstance(outcome, Saved):
            who = for_display(theirs.updated_by or "the other editor")
            return replace(outcome, note=f"Saved yours on top of {who}'s as version {outcome.story.version}.")
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
            return Failed.because(error)
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
            note = f"Saved yours as a new story, {for_display(outcome.story.slug)}; theirs is untouched."
            return replace(outcome, note=note)
        return outcome

    # -- workflow actions -----------------------------------------------------------------------------
    def targets(self) -> list[Target]:
        """The configured delivery targets, read before anything changes: a broken [targets] table raises
        ConfigError here, so a story is never left published but undelivered (item 9)."""
        from newsroom_tui.delivery import load_targets, pending_path

        targets = load_targets(self.settings)
        pending_path(self.settings)  # its setting is checked now too, for the same reason
        return targets

    def _checks(self, story: Story, action: str) -> CheckResult | None:
        """The pre-publish checks for an action that puts copy in front of readers, else None.

        Another editor's lock is not one of them: the lock rule refuses (or takes over) on its own.
        """
        from newsroom_tui.domain.checks import publish_checks
        from newsroom_tui.domain.workflow import TRANSITIONS

        if not TRANSITIONS[action].checks:
            return None
        return publish_checks(
            story,
            slug_owner=self.store.slug_owner,
            now=self.clock(),
            headline_limit=self.settings.headline_limit,
            user=self.user,
            speller=self.speller(),
            ignored_words=self.spelling.ignored(story.id),
        )

    def prepare(self, story: Story, action: str) -> Prepared:
        """What `action` would do to `story`, for the confirmation: nothing is changed.

        Raises ConfigError (a broken [targets] table) for a delivering action, WorkflowError for an
        action that does not exist.
        """

        from newsroom_tui.domain.checks import check_lock
        from newsroom_tui.domain.workflow import DELIVERING_ACTIONS, refusal

        why = refusal(story, action)  # an unknown action raises here, before the targets are read
        targets = self.targets() if action in DELIVERING_ACTIONS else []
        checks = self._checks(story, action) if why is None else None
        holder = self.holder_description(story.id)
        if checks is not None and holder:  # what `act` refuses, the confirmation shows first
            checks = replace(checks, errors=[*check_lock(story, holder), *checks.errors])
        return Prepared(story, action, why, checks, targets, holder)

    def act(
        self, story: Story, action: str, *, take_over: bool = False, retry_stale: bool = False, **args: Any
    ) -> ActionOutcome:
        """Apply a workflow action and save it as ONE new version; deliveries are left to `deliver`.

        In order, before anything changes: the targets (ConfigError), the workflow's refusal
        (WorkflowError), another editor's live lock (LockedError naming them, unless `take_over`), the
        checks, run once (ChecksFailed with every problem).  Then the new version is saved (StoreError;
        ConflictError when `story` is not the latest version).

        `retry_stale` is for a command, which shows nobody the version it read: when another editor saved
        between its read and its write, every rule runs again on what is there now, once; losing twice is
        a UserError saying so.  A desk keeps the ConflictError: its editor is looking at the older words.
        """
        from newsroom_tui.domain.workflow import past_tense

        try:
            return self._act(story, action, take_over=take_over, **args)
        except ConflictError as error:
            if not retry_stale:
                raise
            fresh = error.theirs
        try:
            outcome = self._act(fresh, action, take_over=take_over, **args)
        except ConflictError as again:
            raise UserError(
                f"“{for_display(story.headline or story.slug)}” was saved by "
                f"{for_display(again.theirs.updated_by or 'another editor')} twice while this command ran (now "
                f"version {again.found_version}), so it was not {past_tense(action)}; run it again."
            ) from again
        who = for_display(fresh.updated_by or "another editor")
        note = f"{who} saved version {fresh.version} while this ran; it was {past_tense(action)} as it stood then."
        return replace(outcome, note=note)

    def _act(self, story: Story, action: str, *, take_over: bool, **args: Any) -> ActionOutcome:
        from newsroom_tui.domain.workflow import DELIVERING_ACTIONS, ChecksFailed, apply_action, refusal

        targets = self.targets() if action in DELIVERING_ACTIONS else []
        why = refusal(story, action)
        if why is not None:
            raise WorkflowError(why)
        self.enforce_lock(story, action, take_over=take_over)
        checks = self._checks(story, action)
        if checks is not None:
            if not checks.ok:
                raise ChecksFailed(action, checks)
            args["checked"] = checks
        changed = apply_action(story, action, user=self.user, now=self.clock(), **args)
        saved = self.store.save(changed, user=self.user)
        return ActionOutcome(action, story, saved, checks, targets, delivers=action in DELIVERING_ACTIONS)

    def enforce_lock(self, story: Story, doing: str, *, take_over: bool) -> None:
        """The lock rule for a write that is not a save: refuse with a sentence naming the holder
        (LockedError), or take the lock over when asked (`--take-over`, F10 o)."""
        lock = self.holder(story.id)
        if lock is None:
            return
        from newsroom_tui.domain.workflow import past_tense

        holder = self.describe(lock)
        if not take_over:
            raise LockedError(
                f"{for_display(holder)} has “{for_display(story.headline or story.slug)}” open, so it was not "
                f"{past_tense(doing)}; ask them to close it, or take it over (--take-over on the command line, "
                "F10 then o on the desk).",
                holder,
            )
        try:
            self.locks.take_over(story.id)
        except LockError as error:
            raise LockedError(f"Could not take the story over from {for_display(holder)}: {error}", holder) from error
        self._lost.discard(story.id)

    def deliver(self, outcome: ActionOutcome) -> DeliveryOutcome:
        """Send the saved version to the targets resolved by `act`, and log what happened.

        The results go into the store's delivery log, not a new version, so the version that went out
        (and the ninjs "version" subscribers got) is the version the desk shows.  Whatever a target
        raises is a failed delivery, queued for `deliver --retry`; this never raises.
        """
        from newsroom_tui.delivery import deliver

        story = outcome.saved
        if not outcome.delivers:
            return DeliveryOutcome(story, [], [])
        if not outcome.targets:
            return DeliveryOutcome(story, [], ["No delivery targets are configured, so nothing was sent."])
        try:
            log = self.store.delivery_log(story.id)
        except StoreError:
            log = []
        try:
            results = deliver(
                story, self.settings, now=self.clock(), targets=outcome.targets, log=log, pending=self.pending()
            )
        except Exception as error:  # the queue itself (a damaged pending file…): still not a traceback
            return DeliveryOutcome(story, [], [f"Nothing was delivered: {error}"])
        messages = [result.message for result in results]
        messages.extend(self._log(story, results))
        if not all(result.ok for result in results):
            messages.append(
                f"The story is {story.status.value} here; what failed is queued, and `newsroom deliver --retry` "
                "resends it."
            )
        return DeliveryOutcome(story, results, messages)

    def _log(self, story: Story, results: Sequence[DeliveryResult]) -> list[str]:
        """Record results in the delivery log; a sentence when the log could not take them."""
        from newsroom_tui.delivery import log_entries

        if not results:
            return []
        try:
            self.store.log_deliveries(story.id, log_entries(story, results, user=self.user, now=self.clock()))
        except StoreError as error:
            return [f"Delivered, but the story's delivery log could not record it: {error}"]
        return []

    def pending(self) -> PendingDeliveries:
        """Failed deliveries waiting for a retry: the database's table for a PostgreSQL store, else the file."""
        from newsroom_tui.delivery import PendingDeliveries

        return PendingDeliveries.of(self.settings, self.store)

    def deliver_retry(self) -> list[DeliveryResult]:
        """Resend what failed, with each story as it is now; log what was delivered or dropped for good.

        A delivery that fails again is not logged: the pending list counts its attempts, so a cron job
        retrying a dead webhook every few minutes does not fill the log.  Raises ConfigError for a broken
        [targets] table; a damaged pending file raises PendingFileError.
        """
        from newsroom_tui.delivery import PendingFileError, deliver_pending

        targets = self.targets()

        def lookup(story_id: str) -> Story | None:
            return self.store.get(story_id)

        results = deliver_pending(
            self.settings,
            lookup,
            now=self.clock(),
            targets=targets,
            log_of=self.store.delivery_log,
            pending=self.pending(),
        )
        try:
            queued = {(entry.story_id, entry.target) for entry in self.pending().entries()}
        except PendingFileError:
            queued = {(result.story_id, result.target) for result in results if not result.ok}
        done: dict[str, list[DeliveryResult]] = {}
        for result in results:
            if (result.story_id, result.target) not in queued:
                done.setdefault(result.story_id, []).append(result)
        for story_id, group in done.items():
            try:
                story = self.store.get(story_id)
            except StoryNotFoundError:
                continue  # gone: the result says the delivery was dropped
            self._log(story, group)
        return results

    def publish_due(self, now: datetime | None = None) -> list[ActionOutcome | str]:
        """Publish every scheduled story whose time has come, oldest schedule first (cron).

        One story's failure (checks, a desk's lock, a conflict) does not stop the rest: it comes back as a
        sentence naming the story.  The caller delivers each ActionOutcome with `deliver`.
        """
        from newsroom_tui.domain.workflow import due_for_publishing

        self.targets()  # a broken [targets] table refuses before anything is published
        self.store.refresh()  # a long-running watcher sees what other editors scheduled since
        moment = now if now is not None else self.clock()
        done: list[ActionOutcome | str] = []
        for story in due_for_publishing(self.store.list_stories(Status.SCHEDULED), now=moment):
            try:
                done.append(self._act_at(story, "publish", moment))
            except ConflictError as error:
                if error.theirs.status is not Status.SCHEDULED:
                    continue  # another run (a second watcher, cron, a desk) published it first: once only
                done.append(f"{for_display(story.slug)}: {for_display(str(error))}")
            except (UserError, StoreError) as error:
                done.append(f"{for_display(story.slug)}: {for_display(str(error))}")
        return done

    def next_due(self) -> datetime | None:
        """When the next scheduled story still to come falls due (publish-due --watch sleeps until then), or
        None; one already overdue (it failed to publish) is tried again at the watch's own interval."""
        from newsroom_tui.domain.workflow import next_due

        return next_due(self.store.list_stories(Status.SCHEDULED), after=self.clock())

    def _act_at(self, story: Story, action: str, moment: datetime) -> ActionOutcome:
        """`act` with the clock standing at `moment` (publish-due's catch-up runs)."""
        clock = self.clock
        self.clock = lambda: moment
        try:
            return self.act(story, action)
        finally:
            self.clock = clock

    # -- purging the spike ----------------------------------------------------------------------------
    def spiked_before(self, before: datetime) -> list[Story]:
        """Spiked stories last changed before `before`, oldest first: what `purge` would remove."""
        stories = [story for story in self.store.list_stories(Status.SPIKED) if story.updated_at < before]
        return sorted(stories, key=lambda story: story.updated_at)

    def purge(self, stories: Sequence[Story], *, before: datetime) -> dict[str, Any]:
        """Remove spiked stories for good (`newsroom purge --spiked-before`); returns the purge's record.

        Refused, before anything goes, when the store is read-only, when one is no longer spiked, or while
        another editor has one open (LockedError naming them: a desk reading a spiked story keeps it).  A
        story saved since it was listed (unspiked meanwhile) makes the store refuse the whole purge.  The
        record stays in the store's purge log and every version in the revisions file, so a purge can be
        audited (and a story read back) after it.
        """
        from newsroom_tui.usecases.times import local_time

        reason = self.store.read_only_reason()
        if reason is not None:
            raise UserError(reason)
        for story in stories:
            if story.status is not Status.SPIKED:
                raise WorkflowError(
                    f"{for_display(story.slug)} is {story.status.value}, not spiked: only spiked stories are purged."
                )
            lock = self.holder(story.id)
            if lock is not None:
                raise LockedError(
                    f"{for_display(self.describe(lock))} has “{for_display(story.headline or story.slug)}” open, "
                    "so nothing was purged; ask them to close it, or run the purge later.",
                    self.describe(lock),
                )
        note = f"spiked before {local_time(before, self.settings.zone)} ({self.settings.timezone})"
        try:
            return self.store.delete(stories, user=self.user, note=note)
        except (ConflictError, StoryNotFoundError) as error:
            raise UserError(
                "A story on the list was changed or removed while the purge ran, so nothing was purged; run it again."
            ) from error

    # -- restore, history, export ---------------------------------------------------------------------
    def restore(self, story_id: str, version: int, *, take_over: bool = False) -> RestoreOutcome:
        """An old version's words and metadata as a new version on top (status and stamps stay).

        The lock rule applies (LockedError).  A live story is not re-sent: `was_live` says readers keep
        the copy that went out until a correction sends this one.  NotFound names the versions there are.
        """
        current = self.store.get(story_id)
        frozen = edit_refusal(current)
        if frozen is not None:
            raise WorkflowError(frozen)
        self.enforce_lock(current, "restore", take_over=take_over)
        try:
            saved = self.store.restore(story_id, version, user=self.user)
        except StoryNotFoundError as error:
            if error.version is None:
                raise
            numbers = [revision.version for revision in self.store.revisions(story_id)]
            held = (
                f"it has only version {numbers[0]}"
                if len(numbers) == 1
                else f"its versions are {numbers[0]} to {numbers[-1]}"
            )
            raise NotFound(f"{for_display(current.slug or story_id)} has no version {version}; {held}.") from error
        return RestoreOutcome(saved, version, saved.is_live)

    def history(self, story_id: str) -> StoryHistory:
        """The story's saved versions and its delivery log (StoreError when it cannot be read)."""
        return StoryHistory(self.store.revisions(story_id), self.store.delivery_log(story_id))

    def export(self, story: Story, fmt: str) -> str:
        """The story in an export format: the renderer the outbox uses, so a script sees what subscribers get."""
        from newsroom_tui import formats

        return formats.export(story, fmt, self.settings, now=self.clock())

    # -- recovered drafts -------------------------------------------------------------------------------
    def recoverable_drafts(
        self, story_id: str | None = None
    ) -> tuple[list[tuple[RecoveredDraft, Story | None]], list[str]]:
        """Drafts in this user's journal for this store that still say something the store does not:
        (draft, the story as stored or None) newest first, and a sentence per unreadable file.

        What the start-up offer, the palette's "kept drafts" and opening a story (`story_id`) show.
        Drafts whose words are already saved (the process died between saving and discarding) are
        removed here, so they are never offered.
        """
        from newsroom_tui.storage.drafts import draft_is_saved

        try:
            scan = self.journal.scan(self.settings.db_path)
        except RecoveryError as error:
            return [], [str(error)]
        problems = [str(problem) for problem in scan.problems]
        pending: list[tuple[RecoveredDraft, Story | None]] = []
        for draft in scan.drafts:
            if story_id is not None and draft.story_id != story_id:
                continue
            try:
                stored: Story | None = self.store.get(draft.story_id)
            except StoreError:
                stored = None
            if draft_is_saved(draft, stored):
                with contextlib.suppress(RecoveryError):
                    self.journal.discard_file(draft.path)
            elif story_id is None or not _still_running(draft, self.journal):
                # Opening a story offers only drafts nobody is still working on; at start-up and from
                # the palette every kept draft is offered.
                pending.append((draft, stored))
        return pending, problems

    def discard_draft(self, draft: RecoveredDraft) -> str | None:
        """The editor threw a kept draft away: remove its file; a sentence when that could not be done."""
        try:
            self.journal.discard_file(draft.path)
        except RecoveryError as error:
            return f"The kept draft could not be removed ({error}); it will be offered again."
        return None

    # -- copy-desk fixes --------------------------------------------------------------------------------
    def fix(self, story: Story, *, take_over: bool = False, live: str = "unsent") -> SaveOutcome | None:
        """The copy desk's safe fixes as a new version (`check --fix`), through `save`: the same checks
        and the same lock rule as a desk's ctrl+s.  None when there was nothing to fix.

        A live story's fixes are kept as unsent changes by default (a script cannot answer "send now?").
        """
        from newsroom_tui.domain.copydesk import CopydeskConfig, fix_story

        fixed = fix_story(story, CopydeskConfig.from_settings(self.settings))
        if fixed == story:
            return None
        return self.save(fixed, base_version=story.version, live=live, take_over=take_over)

    def check_story(
        self, slug: str, *, fix: bool = False, take_over: bool = False, spelling: bool = True
    ) -> StoryCheck:
        """The copy desk's findings on one stored story (by slug), after its safe fixes when `fix`.

        The fixes go through `fix` (so `save`: the lock rule, live stories kept unsent); when they were
        refused the findings are those of the story as it stands.  NotFound when there is no such slug.
        """
        from newsroom_tui.domain.copydesk import CopydeskConfig, check_story

        story = self.find(slug) if fix else self.look_up(slug).story  # a fix changes it: the whole slug
        fixed = self.fix(story, take_over=take_over) if fix else None
        if isinstance(fixed, Conflict):  # saved by someone between the read and the write: fix what is there now
            story = fixed.theirs
            fixed = self.fix(story, take_over=take_over)
        if isinstance(fixed, Saved):
            story = fixed.story
        config = CopydeskConfig.from_settings(self.settings)
        speller = self.speller() if spelling else None
        return StoryCheck(story, check_story(story, config, speller, ignored=self.spelling.ignored(story.id)), fixed)

    # -- importing --------------------------------------------------------------------------------------
    def import_files(self, paths: Iterable[Path | str], *, desk: str = "") -> ImportReport:
        """Import wire files (a folder: its *.txt files), one line per file; re-importing skips.

        Imports are serialised across processes by an import lock: "is it already here?" and the save
        must not be split by another import of the same file (three concurrent imports of 10 files made
        26 stories).  Raises UserError when no wire file was found at all, StoreError for a damaged store.
        """
        from newsroom_tui.formats.wire import wire_files
        from newsroom_tui.storage.store import StoreBusyError

        given = [Path(path) for path in paths]
        lines = [
            ImportLine("failed", str(path), f"{path}: no such file or folder.") for path in given if not path.exists()
        ]
        files = wire_files(path for path in given if path.exists())
        if not files and not lines:
            raise UserError("No wire files (*.txt) found in " + ", ".join(map(str, given)) + ".")
        reason = self.store.read_only_reason()
        if reason is not None:  # before the import lock: no file is made beside a store nobody may write
            raise UserError(reason)
        try:
            with self.store.import_lock():
                self.store.refresh()
                lines.extend(self._import_locked(files, desk=desk))
        except StoreBusyError as error:
            raise UserError(str(error)) from error
        return ImportReport(lines)

    def _import_locked(self, files: Sequence[Path], *, desk: str) -> list[ImportLine]:
        from newsroom_tui.formats.wire import WireFormatError, parse_wire_file

        lines: list[ImportLine] = []
        # Re-importing the same wire file must not duplicate it: same headline, same published stamp (as
        # stored: the store finds it without reading every story).
        imported: dict[tuple[str, str], Story] = {}
        for path in files:
            try:
                story = parse_wire_file(path, zone=self.settings.zone)
            except WireFormatError as error:
                lines.append(ImportLine("failed", path.name, str(error)))
                continue
            if desk:
                story = story.copy(desk=desk)
            key = (story.headline, story.to_dict()["created_at"])
            duplicate = imported.get(key) or self.store.find_imported(*key)
            if duplicate is not None:
                lines.append(ImportLine("skipped", path.name, "already in the store", duplicate.slug))
                continue
            try:
                [story] = self.assign_slugs([story])
                try:
                    saved = self.store.save(story, user=self.user)
                except SlugTakenError:  # an editor took that slug in a desk a moment ago: take the next one
                    [story] = self.assign_slugs([story.copy(slug="")])
                    saved = self.store.save(story, user=self.user)
            except (StoreError, NoFreeSlug) as error:
                lines.append(ImportLine("failed", path.name, str(error)))
                continue
            imported[(saved.headline, saved.to_dict()["created_at"])] = saved
            lines.append(ImportLine("imported", path.name, saved.headline, saved.slug))
        return lines

    def assign_slugs(self, stories: list[Story]) -> list[Story]:
        """Give each story a slug from its headline, free in the store and in the batch (imports, samples).

        Raises NoFreeSlug when no free slug is near (give the story one by hand).
        """
        from newsroom_tui.text.slugs import alternative_slugs, slug_from_headline

        taken_in_batch: set[str] = set()

        def taken(slug: str) -> bool:
            return slug in taken_in_batch or self.store.slug_owner(slug) is not None

        result = []
        for story in stories:
            slug = slug_from_headline(story.headline) or "story"
            if taken(slug):
                alternatives = alternative_slugs(slug, taken, count=1)
                if not alternatives:
                    raise NoFreeSlug(f"No free slug near {slug!r}; give the story a slug by hand.")
                slug = alternatives[0]
            taken_in_batch.add(slug)
            result.append(story.copy(slug=slug))
        return result

    def seed_samples_if_empty(self) -> str | None:
        """On a new, empty store import the sample stories, so a first run shows how the desk works."""
        if not self.store.is_empty():
            return None
        import tomllib
        from importlib import resources

        from newsroom_tui.formats.wire import parse_wire

        folder = resources.files("newsroom_tui.sample_stories")
        desks = tomllib.loads(folder.joinpath("desks.toml").read_text("utf-8"))
        files = sorted(
            (entry.name, entry.read_text(encoding="utf-8")) for entry in folder.iterdir() if entry.name.endswith(".txt")
        )
        stories = [
            parse_wire(text, zone=self.settings.zone, name=name).copy(desk=desks.get(name, "")) for name, text in files
        ]
        saved = self.store.save_many(self.assign_slugs(stories), user=self.user)
        return f"New store: imported {len(saved)} sample stories into {self.settings.store_label}."


def _one_of(slugs: Sequence[str], *, quoted: bool = False) -> str:
    """The first three slugs as `a, b or c` (`a, b, c or another` when there are more), shown safely;
    `quoted`: “a”, “b” or “c”."""
    from newsroom_tui.text.wording import one_of

    shown = [f"“{for_display(slug)}”" if quoted else for_display(slug) for slug in slugs[:3]]
    return one_of(shown, more=len(slugs) > 3)


@dataclass(frozen=True, slots=True)
class Found:
    """The story a reading command took, and the words it was given for it."""

    story: Story
    typed: str

    @property
    def note(self) -> str | None:
        """`padma → padma-ferry-fares-cut` when it was taken from a start of its slug (say it: never silently)."""
        if self.typed == self.story.slug:
            return None
        return f"{for_display(self.typed)} → {for_display(self.story.slug)}"


class WholeSlugNeeded(NotFound):
    """A command that changes a story was given only a start of its slug."""


class UnknownSlug(NotFound):
    """No slug is, or starts with, what was typed; `hint` ends the sentence ("; did you mean …?" or ".")."""

    def __init__(self, message: str, hint: str) -> None:
        self.hint = hint
        super().__init__(message)


class NoFreeSlug(UserError):
    """No free slug near the one a headline gives: the editor picks one by hand."""


def _still_running(draft: RecoveredDraft, journal: RecoveryJournal) -> bool:
    """A draft of a desk still running (this one, or another on this host): it is that desk's to keep."""
    import socket  # only when a story is opened with a kept draft: not on the desk's way to its first screen

    if draft.path == journal.path_for(draft.story_id):
        return True  # this session's own: the editing session has it in hand
    if draft.host != socket.gethostname() or draft.pid == os.getpid():
        return False  # another host cannot be asked; this process's other sessions have ended
    try:
        os.kill(draft.pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, under another user, or cannot tell: not ours to offer
    return draft.pid > 0
