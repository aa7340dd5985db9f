"""What a use case did, as typed values: the front ends show them and decide nothing themselves.

Why typed outcomes and not exceptions.  A save has eight ordinary endings (saved, invalid, slug taken,
conflict, read-only, lock lost, live, failed), each needing its own answer from the desk (a dialog, a
focused field, a banner) and its own line from the command line.  As values they can be matched
exhaustively and unit-tested without a screen.  Every outcome has `message`: one sentence an editor can
act on, with user text passed through `for_display` where it is quoted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsroom_tui.domain.model import Story
from newsroom_tui.text.safety import for_display

if TYPE_CHECKING:
    from collections.abc import Mapping

    from newsroom_tui.delivery import DeliveryResult, Target
    from newsroom_tui.domain.checks import CheckResult

__all__ = [
    "ActionOutcome",
    "Conflict",
    "DeliveryOutcome",
    "Failed",
    "Frozen",
    "ImportLine",
    "ImportReport",
    "Invalid",
    "LiveChange",
    "LockLost",
    "LockUnavailable",
    "OpenResult",
    "Prepared",
    "ReadOnly",
    "RestoreOutcome",
    "SaveOutcome",
    "Saved",
    "SlugTaken",
    "headline_of",
]


def headline_of(story: Story) -> str:
    """How a message names a story: its headline (safe to show), else its slug or id."""
    return for_display(story.headline or story.slug or story.id)


# -- saving ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Saved:
    """The story is in the store as `story` (its new version)."""

    story: Story
    note: str = ""  # e.g. "Saved yours on top of rina's as version 5."
    # What was saved but cannot be published as it is, by field: a headline over the page's limit.
    warnings: Mapping[str, str] = field(default_factory=dict)

    @property
    def message(self) -> str:
        if self.note:
            said = self.note
        else:
            unsent = ""
            if self.story.has_unsent_changes:
                unsent = " It is live: readers keep the copy that went out until it is sent."
            said = f"Saved “{headline_of(self.story)}” (version {self.story.version}).{unsent}"
        if self.warnings:  # after a note too: a conflict's "keep mine" saves an over-long headline as well
            said += " " + " ".join(map(for_display, self.warnings.values())) + " Publishing refuses it until it fits."
        return said


@dataclass(frozen=True, slots=True)
class Invalid:
    """The story cannot be saved as it is: field name -> sentence (from `model.validate`)."""

    problems: dict[str, str]

    @property
    def message(self) -> str:
        return "Not saved: " + " ".join(for_display(problem) for problem in self.problems.values())

    @property
    def first_field(self) -> str:
        """Where the editor should be taken to fix it."""
        return next(iter(self.problems), "")


@dataclass(frozen=True, slots=True)
class SlugTaken:
    """Another story holds the slug; slugs are never suffixed silently."""

    slug: str
    owner_headline: str

    @property
    def message(self) -> str:
        owner = for_display(self.owner_headline) or "another story"
        return f"Not saved: the slug “{for_display(self.slug)}” is already used by “{owner}”; choose another."


@dataclass(frozen=True, slots=True)
class Conflict:
    """Someone saved the story after we opened it; nothing was overwritten."""

    mine: Story
    theirs: Story

    @property
    def message(self) -> str:
        who = for_display(self.theirs.updated_by or "another editor")
        return (
            f"Not saved: {who} saved “{headline_of(self.theirs)}” as version {self.theirs.version} after you "
            f"opened version {self.mine.version}; keep yours on top, take theirs, or save yours as a copy."
        )


@dataclass(frozen=True, slots=True)
class ReadOnly:
    """Another editor holds the story's lock; `holder` describes them (`rina on desk-2 (pid 42) since 13:36`)."""

    holder: str

    @property
    def message(self) -> str:
        return (
            f"Not saved: {for_display(self.holder)} has this story open; taking it over "
            "(F10 then o on the desk, --take-over on the command line) lets you write."
        )


@dataclass(frozen=True, slots=True)
class LockLost:
    """We held the story's lock and someone took it over; nothing was saved."""

    holder: str

    @property
    def message(self) -> str:
        return f"Not saved: {for_display(self.holder)} took this story over; your text is kept as a recoverable draft."


@dataclass(frozen=True, slots=True)
class LiveChange:
    """The story is live: ask whether to send the change now as a correction, or keep it unsent."""

    story: Story

    @property
    def message(self) -> str:
        return (
            f"“{headline_of(self.story)}” is live: send this change to readers now as a correction, or save "
            "it as an unsent change (readers keep the copy that went out)."
        )


@dataclass(frozen=True, slots=True)
class Failed:
    """The store could not take the save (disk full, damaged store, busy lock…): `message` says why."""

    message: str

    @classmethod
    def because(cls, error: Exception) -> Failed:
        """From a StoreError or LockError, whose str() is one sentence."""
        return cls(f"Not saved: {for_display(str(error))} Your text is still in the editor.")


@dataclass(frozen=True, slots=True)
class Frozen:
    """The stored story is spiked or killed: its words cannot change (`reason`: one sentence, what to do)."""

    reason: str

    @property
    def message(self) -> str:
        return f"Not saved: {self.reason}"


SaveOutcome = Saved | Invalid | SlugTaken | Conflict | ReadOnly | LockLost | LiveChange | Failed | Frozen


# -- opening --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class LockUnavailable:
    """The story's lock could not be taken, and no other editor is why: the real reason, in one sentence.

    Why typed.  A failed lock used to read as someone else's: a full disk showed "Another editor took this
    story over".  `read_only`: nothing can be saved here at all (a read-only store), so the story opens
    read-only with `message` in its banner; otherwise it opens for editing, `message` is a warning, and a
    save still never overwrites another editor's version (the store's version check does not need the lock).
    """

    reason: str  # one sentence (a read-only store), or the end of one (`the disk is full`)
    read_only: bool = False

    @property
    def message(self) -> str:
        if self.read_only:
            return self.reason
        return (
            f"This story's lock could not be taken: {self.reason} (saving still refuses to overwrite another "
            "editor's version)."
        )


@dataclass(frozen=True, slots=True)
class OpenResult:
    """A story opened for editing: what to show, who else holds it (read-only), what was cleaned."""

    story_shown: Story  # the stored story, with terminal control stripped when `cleaned`
    holder: str | None  # the other editor holding it (the session is read-only), or None
    cleaned: bool  # the stored text held escape sequences or other control: saving keeps it clean
    problem: LockUnavailable | None = None  # the lock could not be taken (disk full, read-only store…)

    @property
    def warning(self) -> str:
        """What to tell the editor besides the banner: the lock problem, if any."""
        return for_display(self.problem.message) if self.problem is not None else ""

    @property
    def message(self) -> str:
        if self.holder:
            return ReadOnly(self.holder).message.removeprefix("Not saved: ")
        if self.problem is not None and self.problem.read_only:
            return self.warning
        if self.cleaned:
            return "Removed terminal control characters this story had in the store; save to keep it clean."
        return self.warning


# -- workflow actions -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Prepared:
    """What an action would do, before anything changes: the confirmation dialog's content."""

    story: Story
    action: str
    refusal: str | None  # why the workflow does not allow it, or None
    checks: CheckResult | None  # the pre-publish checks (publish, schedule, correct), else None
    targets: list[Target]  # where it will be delivered (delivering actions), resolved first
    holder: str | None  # another editor holding the story's lock, or None

    @property
    def ok(self) -> bool:
        return self.refusal is None and (self.checks is None or self.checks.ok)


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """An applied action: the story before, the one new version saved, and where it goes next."""

    action: str
    before: Story
    saved: Story
    checks: CheckResult | None
    targets: list[Target] = field(default_factory=list)  # where `Newsroom.deliver` sends it
    delivers: bool = False  # the action's result goes to the targets (publish, correct, unpublish, kill)
    note: str = ""  # what a command should say besides its line (it was retried on a fresher version)

    @property
    def message(self) -> str:
        return f"“{headline_of(self.saved)}” is now {self.saved.status.value} (version {self.saved.version})."


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """What the targets did with one version; failures are queued for `deliver --retry`."""

    story: Story
    results: list[DeliveryResult]
    messages: list[str]  # one sentence per result, plus a warning if the log could not be written

    @property
    def ok(self) -> bool:
        return all(result.ok for result in self.results)


@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    """An old version brought back as a new version on top."""

    saved: Story
    version: int  # the version restored
    was_live: bool  # the story is live: readers keep the copy that went out until it is sent

    @property
    def message(self) -> str:
        text = f"Restored version {self.version} as version {self.saved.version}."
        if self.was_live:
            text += (
                f" “{headline_of(self.saved)}” is live: readers keep the copy that went out until it is sent "
                "as a correction."
            )
        return text


# -- importing ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ImportLine:
    """What became of one file (or one path given): imported, skipped (already in the store) or failed."""

    kind: str  # "imported", "skipped" or "failed"
    name: str  # the file name (or the path given, for a path that does not exist)
    message: str  # a sentence (failed), the headline (imported) or why it was skipped
    slug: str = ""  # the story's slug: the new one, or the one already in the store


@dataclass(frozen=True, slots=True)
class ImportReport:
    lines: list[ImportLine]

    @property
    def failed(self) -> bool:
        return any(line.kind == "failed" for line in self.lines)

    @property
    def imported(self) -> list[ImportLine]:
        return [line for line in self.lines if line.kind == "imported"]
