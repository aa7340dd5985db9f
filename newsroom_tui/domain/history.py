"""What the history view shows: who did what to a story and when, and what changed between versions.

Three sources, joined here so the UI only lays them out: the story's own `history` entries (workflow
transitions, and deliveries in stores written before the log, see workflow.py), the store's delivery
log (`StoryStore.delivery_log`: deliveries, which make no version) and the saved revisions.
Entries are read leniently: a hand-edited or older store may hold odd ones, and a history view must
never be the thing that fails.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from newsroom_tui.domain.model import Story, parse_datetime
from newsroom_tui.text import bangla

__all__ = [
    "COMPARED_FIELDS",
    "Event",
    "VersionSummary",
    "changed_fields",
    "describe_event",
    "diff_versions",
    "events",
    "field_label",
    "summarise_versions",
]

# Metadata compared between versions, in the order the form shows them; the body is diffed apart.
COMPARED_FIELDS = (
    "headline", "slug", "summary", "byline", "source", "dateline", "credit", "sign_off", "desk", "tags",
    "language", "urgency", "ednote", "status", "embargo_until", "scheduled_at", "published_at",
    "correction_sequence", "correction_note",
)  # fmt: skip
_LABELS = {"sign_off": "sign-off", "ednote": "editor's note", "embargo_until": "embargo",
           "scheduled_at": "scheduled for", "published_at": "first published",
           "correction_sequence": "correction number", "correction_note": "correction note"}  # fmt: skip
_VERBS = {"submit": "submitted", "mark_edited": "marked as edited", "publish": "published", "schedule": "scheduled",
          "deschedule": "took off the schedule", "correct": "corrected", "unpublish": "unpublished",
          "kill": "killed", "spike": "spiked", "unspike": "unspiked", "deliver": "delivered"}  # fmt: skip


def field_label(name: str) -> str:
    """The name a desk editor knows a field by."""
    return _LABELS.get(name, name.replace("_", " "))


# -- versions -------------------------------------------------------------------------------------------
def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(getattr(value, "value", value))


def changed_fields(old: Story, new: Story) -> list[str]:
    """Names of the metadata fields that differ (body apart), in form order."""
    names = [name for name in COMPARED_FIELDS if getattr(old, name) != getattr(new, name)]
    if old.body != new.body:
        names.append("body")
    return names


def diff_versions(old: Story, new: Story, *, context: int = 2) -> list[str]:
    """Lines describing `old` -> `new`: one per changed metadata field, then a unified diff of the body.

    The body diff compares lines, which in this desk's copy are whole paragraphs, so a copy edit shows
    as the paragraph before and after.
    """
    lines = [
        f"{field_label(name)}: {_shown(getattr(old, name))} → {_shown(getattr(new, name))}"
        for name in COMPARED_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]
    if old.body != new.body:
        lines.extend(
            difflib.unified_diff(
                old.body.splitlines(),
                new.body.splitlines(),
                fromfile=f"body, version {old.version}",
                tofile=f"body, version {new.version}",
                n=context,
                lineterm="",
            )
        )
    return lines


# -- events ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Event:
    """One history entry, typed; `at` is None when the entry's time cannot be read."""

    action: str
    from_status: str
    to_status: str
    by: str
    at: datetime | None
    note: str
    ok: bool | None = None  # deliveries only
    target: str = ""  # deliveries only

    @property
    def is_transition(self) -> bool:
        return self.action != "deliver"


def _event(entry: Any) -> Event | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("action"), str):
        return None
    at: datetime | None
    try:
        at = parse_datetime(str(entry.get("at")))
    except ValueError:
        at = None
    ok = entry.get("ok")
    return Event(
        action=entry["action"],
        from_status=str(entry.get("from") or ""),
        to_status=str(entry.get("to") or ""),
        by=str(entry.get("by") or ""),
        at=at,
        note=str(entry.get("note") or ""),
        ok=ok if isinstance(ok, bool) else None,
        target=str(entry.get("target") or ""),
    )


def events(story: Story, log: Sequence[Any] = ()) -> list[Event]:
    """The story's history entries and its delivery log merged, oldest first, skipping unreadable ones."""
    merged = [event for event in map(_event, story.history) if event is not None]
    if not log:
        return merged
    merged += [event for event in map(_event, log) if event is not None]
    # Stable: entries without a readable time stay where their source put them.
    return sorted(merged, key=lambda event: event.at.timestamp() if event.at is not None else float("-inf"))


def describe_event(event: Event, *, zone: ZoneInfo, language: str = "en") -> str:
    """One line for the history list: `12:20, 5 December 2021  alice published (edited → published)`."""
    when = bangla.format_stamp(event.at.astimezone(zone), language) if event.at else "(time unknown)"
    who = event.by or "someone"
    if event.action == "deliver":
        outcome = "delivered to" if event.ok else "failed to deliver to"
        text = f"{when}  {who}: {outcome} {event.target or 'a target'}"
    else:
        verb = _VERBS.get(event.action, event.action.replace("_", " "))
        moved = f" ({event.from_status} → {event.to_status})" if event.from_status != event.to_status else ""
        text = f"{when}  {who} {verb}{moved}"
    return f"{text}: {event.note}" if event.note else text


# -- the version list -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class VersionSummary:
    """One row of the version list: who saved it, when, what changed, and what happened with it."""

    version: int
    saved_at: datetime
    saved_by: str
    status: str
    changed: tuple[str, ...]
    events: tuple[Event, ...]


def summarise_versions(revisions: Sequence[Story], log: Sequence[Any] = ()) -> list[VersionSummary]:
    """One summary per revision (oldest first, as `StoryStore.revisions` returns them).

    A version's events are the history entries it added, so "published" sits on the version that
    went out, and the delivery log's entries of that version (what went where).  The first version
    lists no changed fields: there is nothing before it.
    """
    by_version: dict[int, list[Any]] = {}
    latest = revisions[-1].version if revisions else 0
    held = {revision.version for revision in revisions}
    for entry in log:
        version = entry.get("version") if isinstance(entry, dict) else None
        number = version if isinstance(version, int) and not isinstance(version, bool) and version in held else latest
        by_version.setdefault(number, []).append(entry)
    summaries: list[VersionSummary] = []
    previous: Story | None = None
    for story in revisions:
        seen = len(previous.history) if previous is not None else 0
        added = events(story.copy(history=story.history[seen:])) if len(story.history) >= seen else events(story)
        if story.version in by_version:
            added = [*added, *events(story.copy(history=[]), by_version[story.version])]
        summaries.append(
            VersionSummary(
                version=story.version,
                saved_at=story.updated_at,
                saved_by=story.updated_by,
                status=story.status.value,
                changed=tuple(changed_fields(previous, story)) if previous is not None else (),
                events=tuple(added),
            )
        )
        previous = story
    return summaries
