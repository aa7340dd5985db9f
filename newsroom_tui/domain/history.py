"""What the history view shows: who did what to a story and when, and what changed between versions.

Three sources, joined here so the UI only lays them out: the story's own `history` entries (workflow
transitions, and deliveries in stores written before the log, see workflow.py), the store's delivery
log (`StoryStore.delivery_log`: deliveries, which make no version) and the saved revisions.
Entries are read leniently: a hand-edited or older store may hold odd ones, and a history view must
never be the thing that fails.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from newsroom_tui.domain.model import Story, parse_datetime, split_paragraphs
from newsroom_tui.text import bangla

__all__ = [
    "COMPARED_FIELDS",
    "DiffLine",
    "Event",
    "VersionSummary",
    "changed_fields",
    "describe_event",
    "diff_lines",
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
_VERBS = {"restore": "restored",
          "submit": "submitted", "mark_edited": "marked as edited", "publish": "published", "schedule": "scheduled",
          "deschedule": "took off the schedule", "correct": "corrected", "unpublish": "unpublished",
          "kill": "killed", "spike": "spiked", "unspike": "unspiked", "deliver": "delivered"}  # fmt: skip


def field_label(name: str) -> str:
    """The name a desk editor knows a field by."""
    return _LABELS.get(name, name.replace("_", " "))


# -- versions -------------------------------------------------------------------------------------------
def _shown(value: Any, zone: ZoneInfo | None = None) -> str:
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, datetime):
        # In the desk's zone like every other time the desk shows ("first published … 07:33+00:00" was UTC).
        return bangla.format_stamp(value.astimezone(zone), "en") if zone is not None else value.isoformat("minutes")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(getattr(value, "value", value))


def changed_fields(old: Story, new: Story) -> list[str]:
    """Names of the metadata fields that differ (body apart), in form order."""
    names = [name for name in COMPARED_FIELDS if getattr(old, name) != getattr(new, name)]
    if old.body != new.body:
        names.append("body")
    return names


@dataclass(frozen=True, slots=True)
class DiffLine:
    """One line of a comparison, as parts so that each front end marks changed words its own way (the
    desk in colour, the command line as `[-old-]{+new+}`) and story text is never parsed for markers.

    `kind`: "field" (a metadata change), "heading", "changed", "added" or "removed" (a paragraph);
    `parts`: ("=", text) unchanged, ("-", text) taken out, ("+", text) put in.
    """

    kind: str
    parts: tuple[tuple[str, str], ...]

    def __str__(self) -> str:
        marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
        if self.kind in ("added", "removed"):
            return "".join(text for _, text in self.parts)
        return "".join(marks[op].format(text) for op, text in self.parts)


_WORDS = re.compile(r"\s+|\S+")  # words with their punctuation, and the spaces between: Bangla signs stay in
_REWRITTEN = 0.4  # below this share of words in common a paragraph reads better as out and in


def _word_parts(old: str, new: str) -> tuple[tuple[str, str], ...] | None:
    """`old` -> `new` word by word, or None when the paragraph was rewritten rather than edited."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < _REWRITTEN:
        return None
    runs: list[list[str]] = []  # [op, old text, new text]; a lone space between two changes joins them
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        gone, come = "".join(a[i1:i2]), "".join(b[j1:j2])
        if op == "equal":
            runs.append(["=", gone, come])
        elif runs and runs[-1][0] == "~":
            runs[-1][1] += gone
            runs[-1][2] += come
        elif len(runs) >= 2 and runs[-1][0] == "=" and runs[-1][1].isspace() and runs[-2][0] == "~":
            space = runs.pop()[1]
            runs[-1][1] += space + gone
            runs[-1][2] += space + come
        else:
            runs.append(["~", gone, come])
    parts: list[tuple[str, str]] = []
    for kind, gone, come in runs:
        if kind == "=":
            parts.append(("=", gone))
            continue
        if gone:
            parts.append(("-", gone))
        if come:
            parts.append(("+", come))
    return tuple(parts)


def body_lines(old: str, new: str, *, old_label: str, new_label: str) -> list[DiffLine]:
    """The body compared paragraph by paragraph, each changed one word by word (`¶3` numbers them as the
    newer text has them): a copy edit shows as the words it changed, not the paragraph twice."""
    before, after = split_paragraphs(old), split_paragraphs(new)  # the story's own paragraphs, as the preview's
    if before == after:
        return []
    lines = [DiffLine("heading", (("=", f"body, {old_label} → {new_label}:"),))]
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        for k in range(pairs):
            parts = _word_parts(before[i1 + k], after[j1 + k])
            if parts is None:
                lines.append(DiffLine("removed", (("=", f"¶{i1 + k + 1}- "), ("-", before[i1 + k]))))
                lines.append(DiffLine("added", (("=", f"¶{j1 + k + 1}+ "), ("+", after[j1 + k]))))
            else:
                lines.append(DiffLine("changed", (("=", f"¶{j1 + k + 1}  "), *parts)))
        for i in range(i1 + pairs, i2):
            lines.append(DiffLine("removed", (("=", f"¶{i + 1}- "), ("-", before[i]))))
        for j in range(j1 + pairs, j2):
            lines.append(DiffLine("added", (("=", f"¶{j + 1}+ "), ("+", after[j]))))
    return lines


def diff_lines(old: Story, new: Story, *, zone: ZoneInfo | None = None) -> list[DiffLine]:
    """`old` -> `new`: one line per changed metadata field (times in `zone`), then the body's changes."""
    lines = [
        DiffLine("field", (("=", f"{field_label(name)}: {_shown(getattr(old, name), zone)} → "
                                 f"{_shown(getattr(new, name), zone)}"),))
        for name in COMPARED_FIELDS
        if getattr(old, name) != getattr(new, name)
    ]  # fmt: skip
    lines += body_lines(old.body, new.body, old_label=f"version {old.version}", new_label=f"version {new.version}")
    return lines


def diff_versions(old: Story, new: Story, *, zone: ZoneInfo | None = None) -> list[str]:
    """The comparison as text: changed words marked `[-old-]{+new+}`, as `git diff --word-diff` does."""
    return [str(line) for line in diff_lines(old, new, zone=zone)]


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
    version: int | None = None  # restores only: the version brought back

    @property
    def what(self) -> str:
        """The verb phrase: "published", "restored version 2"."""
        verb = _VERBS.get(self.action, self.action.replace("_", " "))
        return f"{verb} version {self.version}" if self.action == "restore" and self.version is not None else verb

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
    version = entry.get("version")
    return Event(
        action=entry["action"],
        from_status=str(entry.get("from") or ""),
        to_status=str(entry.get("to") or ""),
        by=str(entry.get("by") or ""),
        at=at,
        note=str(entry.get("note") or ""),
        ok=ok if isinstance(ok, bool) else None,
        target=str(entry.get("target") or ""),
        version=version if isinstance(version, int) and not isinstance(version, bool) else None,
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
        moved = f" ({event.from_status} → {event.to_status})" if event.from_status != event.to_status else ""
        text = f"{when}  {who} {event.what}{moved}"
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
