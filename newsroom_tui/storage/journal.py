"""The journal's line format, apart from the store: the row cache reads the journal's tail with it before the
first screen, without loading the store (and TinyDB)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["JOURNAL_FORMAT", "JOURNAL_VERSION", "TABLE", "JournalPosition", "parse_journal_entry", "parse_journal_line"]

TABLE = "stories"
JOURNAL_FORMAT = "newsroom-story-journal"
JOURNAL_VERSION = 1


def parse_journal_line(line: bytes) -> dict[str, dict[str, dict[str, Any] | None]]:
    """One commit of the journal: {table: {doc id: document, or None where it was removed}}.

    Raises ValueError ("not valid JSON", "not a journal entry") for anything else.
    """
    return parse_journal_entry(line)[1]


def parse_journal_entry(line: bytes) -> tuple[int | None, dict[str, dict[str, dict[str, Any] | None]]]:
    """One commit: its sequence number (None in stores written before commits had one) and its changes."""
    try:
        entry = json.loads(line)
    except (ValueError, RecursionError) as error:  # includes UnicodeDecodeError; '[' * 200000 recurses
        raise ValueError("not valid JSON") from error
    tx = entry.get("tx") if isinstance(entry, dict) else None
    if not isinstance(tx, dict) or not all(
        isinstance(docs, dict) and all(doc is None or isinstance(doc, dict) for doc in docs.values())
        for docs in tx.values()
    ):
        raise ValueError("not a journal entry")
    seq = entry.get("seq")
    if seq is not None and (type(seq) is not int or seq < 1):
        raise ValueError("not a journal entry")
    return seq, tx


@dataclass(frozen=True, slots=True)
class JournalPosition:
    """A point in one journal file: what the state in memory was read up to.

    `check` is the bytes just before `offset`, so a new file that happens to reuse the inode number
    of a compacted one is not taken for it.
    """

    device: int
    inode: int
    offset: int
    check: bytes
