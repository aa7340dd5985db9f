"""The journal's line format, apart from the store: the row cache reads the journal's tail with it before the
first screen, without loading the store (and TinyDB)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = [
    "JOURNAL_FORMAT",
    "JOURNAL_VERSION",
    "TABLE",
    "JournalPosition",
    "parse_journal_entry",
    "parse_journal_line",
    "without_lone_surrogates",
]

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


def without_lone_surrogates(doc: dict[str, Any]) -> dict[str, Any]:
    """A lone surrogate (from a bad paste) cannot be written as UTF-8: store U+FFFD in its place.  Both
    backends write documents as UTF-8 (here for PostgreSQL's sake too, which then never loads the store)."""
    try:
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return doc

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            # Pairs written as two surrogates become the character they encode; lone ones become U+FFFD.
            return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        if isinstance(value, list):
            return [fix(item) for item in value]
        if isinstance(value, dict):  # the delivery log's entries
            return {fix(key): fix(item) for key, item in value.items()}
        return value

    return {fix(key): fix(value) for key, value in doc.items()}
