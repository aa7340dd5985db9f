"""`newsroom migrate SOURCE DEST`: a whole store copied to another backend (TinyDB to PostgreSQL and back).

Why through the storage contract and not a dump. Each backend writes what it is given exactly (versions,
stamps, authors: `Store.copy_in`), so `list --json` and `history` print the same on both sides. Idempotent
and resumable: a story already at the destination with the same versions is left as it is, one with fewer
versions gets the ones it lacks, and one whose versions differ is named and left alone (never overwritten),
as is one the destination purged (not brought back). At the end both stores are read again and compared:
counts (stories, versions, delivery log entries, pending deliveries) and a SHA-256 over every version and
log entry of every story.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from newsroom_tui.domain.errors import UserError

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.contract import Store

__all__ = ["BATCH", "MigrationReport", "StoreSummary", "migrate", "summarise"]

BATCH = 200  # stories per copy_in: one transaction (PostgreSQL), a few commits (TinyDB)


@dataclass(frozen=True, slots=True)
class StoreSummary:
    """What a store holds, for comparing two: counts and one checksum over every version and log entry."""

    stories: int
    versions: int
    log_entries: int
    pending: int
    checksum: str


@dataclass(slots=True)
class MigrationReport:
    source: StoreSummary | None = None
    destination: StoreSummary | None = None
    words: dict[str, int] = field(default_factory=dict)
    differs: list[str] = field(default_factory=list)  # slugs (or ids) left alone at the destination
    purged: list[str] = field(default_factory=list)  # ... and those it had purged: not brought back
    pending_copied: int = 0

    @property
    def verified(self) -> bool:
        return self.source is not None and self.source == self.destination and not self.differs and not self.purged


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode()


def summarise(store: Store, pending: int) -> StoreSummary:
    """Counts and checksum of `store` (every story's versions and log, in id order)."""
    total = hashlib.sha256()
    versions = entries = 0
    ids = sorted(row.id for row in store.story_rows())  # the ids only: not every story's body a second time
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        for story_id, (revisions, log) in zip(batch, store.histories(batch), strict=True):
            versions += len(revisions)
            entries += len(log)
            total.update(_canonical([story_id, [revision.to_dict() for revision in revisions], log]))
    return StoreSummary(len(ids), versions, entries, pending, total.hexdigest())


def migrate(
    source_settings: Settings,
    destination_settings: Settings,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> MigrationReport:
    """Copy every story (every version, its delivery log) and the pending deliveries, then verify."""
    from newsroom_tui.delivery import PendingDeliveries
    from newsroom_tui.storage.backends import store_for

    if source_settings.store_location == destination_settings.store_location:
        raise UserError("The source and the destination are the same store; give two different ones.")
    report = MigrationReport()
    with store_for(source_settings) as source, store_for(destination_settings) as destination:
        reason = destination.read_only_reason()
        if reason is not None:
            raise UserError(reason)
        # The list's rows say which stories and in what order; `histories` brings each batch whole.
        stories = sorted(source.story_rows(), key=lambda row: (row.updated_at, row.id))
        for start in range(0, len(stories), BATCH):
            batch = stories[start : start + BATCH]
            histories = source.histories([row.id for row in batch])
            for story, word in zip(batch, destination.copy_in(histories), strict=True):
                report.words[word] = report.words.get(word, 0) + 1
                if word == "differs":
                    report.differs.append(story.slug or story.id)
                elif word == "purged":
                    report.purged.append(story.slug or story.id)
            if progress is not None:
                progress(min(start + BATCH, len(stories)), len(stories))
        queue_from = PendingDeliveries.of(source_settings, source)
        queue_to = PendingDeliveries.of(destination_settings, destination)
        have = {(entry.story_id, entry.target): entry for entry in queue_to.entries()}
        waiting = queue_from.entries()
        for entry in waiting:
            if have.get((entry.story_id, entry.target)) != entry:
                queue_to.put(entry)
                report.pending_copied += 1
        report.source = summarise(source, len(waiting))
        report.destination = summarise(destination, len(queue_to.entries()))
    return report
