"""A story's versions as `newsroom history` shows them, and the diff between two."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsroom_tui.domain.errors import NotFound

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.history import Event
    from newsroom_tui.usecases.newsroom import StoryHistory

# Fields a workflow action changes itself: listing them beside "published" would only repeat it.
_WORKFLOW_FIELDS = frozenset({"status", "published_at", "scheduled_at", "correction_sequence", "correction_note"})


def history_lines(history: StoryHistory, settings: Settings) -> list[str]:
    """One line per version, oldest first: number, when, who, status, what happened (user text inside).

    A version's deliveries (from the delivery log) sit on the line of the version that went out.
    """
    from newsroom_tui.domain.history import field_label
    from newsroom_tui.usecases.times import local_time

    lines = []
    for index, summary in enumerate(history.summaries):
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


def diff_lines(history: StoryHistory, slug: str, old: int, new: int, *, zone: ZoneInfo | None = None) -> list[str]:
    """Version `old` against `new`, changed words marked `[-…-]{+…+}`, times in the desk's `zone`; a
    sentence when they do not differ."""
    from newsroom_tui.domain.history import diff_versions

    by_version = {revision.version: revision for revision in history.revisions}
    for number in (old, new):
        if number not in by_version:
            raise NotFound(f"{slug} has no version {number}; {versions_held(list(by_version))}.")
    compared = diff_versions(by_version[old], by_version[new], zone=zone)
    return compared or [f"Versions {old} and {new} of {slug} do not differ."]


def versions_held(numbers: list[int]) -> str:
    """What versions a story has, for the sentence refusing one it has not."""
    numbers = sorted(numbers)
    if len(numbers) == 1:
        return f"it has only version {numbers[0]}"
    return f"its versions are {numbers[0]} to {numbers[-1]}"


def event_text(event: Event) -> str:
    """An event without its time (the version's line has one): `killed (published → killed): reason`."""
    from newsroom_tui.domain.workflow import past_tense

    if event.action == "restore":
        return event.what
    if event.action == "deliver":
        outcome = "delivered to" if event.ok else "failed to deliver to"
        return f"{outcome} {event.target or 'a target'}"
    moved = f" ({event.from_status} → {event.to_status})" if event.from_status != event.to_status else ""
    note = f": {event.note}" if event.note else ""
    return f"{past_tense(event.action)}{moved}{note}"
