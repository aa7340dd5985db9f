"""A story's versions for `newsroom history`, the diff between two, and `newsroom restore`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsroom_tui.usecases.errors import NotFound
from newsroom_tui.usecases.stories import find_story, versions_held

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.history import Event
    from newsroom_tui.domain.model import Story
    from newsroom_tui.storage.store import StoryStore
    from newsroom_tui.usecases.newsroom import Newsroom

# Fields a workflow action changes itself: listing them beside "published" would only repeat it.
_WORKFLOW_FIELDS = frozenset({"status", "published_at", "scheduled_at", "correction_sequence", "correction_note"})


def history_lines(store: StoryStore, settings: Settings, slug: str) -> list[str]:
    """One line per version, oldest first: number, when, who, status, what happened (user text inside)."""
    from newsroom_tui.domain.history import field_label, summarise_versions
    from newsroom_tui.usecases.times import local_time

    revisions = store.revisions(find_story(store, settings, slug).id)
    lines = []
    for index, summary in enumerate(summarise_versions(revisions)):
        events = [event_text(event) for event in summary.events]
        shown = [name for name in summary.changed if not (events and name in _WORKFLOW_FIELDS)]
        what = events + ([f"changed {', '.join(field_label(name) for name in shown)}"] if shown else [])
        if not what:
            what = ["created" if index == 0 else "saved, nothing changed"]
        lines.append(
            f"{summary.version:>4}  {local_time(summary.saved_at, settings.zone)}  "
            f"{summary.saved_by or 'someone':<12}  {summary.status:<11}  {'; '.join(what)}"
        )
    return lines


def diff_lines(store: StoryStore, settings: Settings, slug: str, old: int, new: int) -> list[str]:
    """A unified diff of version `old` against `new`; a sentence when they do not differ."""
    from newsroom_tui.domain.history import diff_versions

    by_version = {revision.version: revision for revision in store.revisions(find_story(store, settings, slug).id)}
    for number in (old, new):
        if number not in by_version:
            raise NotFound(f"{slug} has no version {number}; {versions_held(list(by_version))}.")
    return diff_versions(by_version[old], by_version[new]) or [f"Versions {old} and {new} of {slug} do not differ."]


def event_text(event: Event) -> str:
    """An event without its time (the version's line has one): `killed (published → killed): reason`."""
    from newsroom_tui.domain.workflow import past_tense

    if event.action == "deliver":
        outcome = "delivered to" if event.ok else "failed to deliver to"
        return f"{outcome} {event.target or 'a target'}"
    moved = f" ({event.from_status} → {event.to_status})" if event.from_status != event.to_status else ""
    note = f": {event.note}" if event.note else ""
    return f"{past_tense(event.action)}{moved}{note}"


@dataclass(frozen=True)
class Restored:
    """An old version brought back as a new one; `was_live` when readers still have the copy that went out."""

    saved: Story
    version: int
    was_live: bool


def restore(newsroom: Newsroom, slug: str, version: int, *, take_over: bool = False) -> Restored:
    """An old version's words and metadata as a new version on top; the status stays, nothing is sent.

    Refused (LockedError) while another editor has the story open, unless `take_over`.
    """
    from newsroom_tui.domain.model import LIVE_STATUSES
    from newsroom_tui.storage.store import StoryNotFoundError
    from newsroom_tui.usecases.locking import clear_to_write

    store, settings = newsroom.store, newsroom.settings
    story = find_story(store, settings, slug)
    held = [revision.version for revision in store.revisions(story.id)]
    if version not in held:
        raise NotFound(f"{slug} has no version {version}; {versions_held(held)}.")
    clear_to_write(newsroom, story.id, take_over=take_over)
    try:
        saved = store.restore(story.id, version, user=settings.user)
    except StoryNotFoundError as error:  # removed meanwhile
        raise NotFound(f"{slug} has no version {version}; {versions_held(held)}.") from error
    return Restored(saved, version, saved.status in LIVE_STATUSES)
