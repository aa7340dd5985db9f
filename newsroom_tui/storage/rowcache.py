"""The story list's cache: the rows the desk's first screen shows, without reading the whole store.

Opening the desk used to parse the whole journal before the list could be drawn: 50 MB and about
300 ms at 10,000 stories, more than the start-up budget allows.  `<store>.rows` keeps what the list
shows of every story (status, slug, headline, desk, byline, stamp, word count) and the journal
position it is true at: the file's device and inode, the byte offset of the last whole line read, and
the bytes just before that offset.  At start the desk reads the cache, then only the journal lines
appended since (other editors' saves), and draws the list; the whole store is read once the first
screen is out.

The cache is never the source of truth: nothing is saved from it, and the full store replaces its
rows moments later.  Any doubt (no cache, another format, a compacted journal with a new inode, a
shorter file, bytes that do not match, a damaged line in the tail, a tail too long to be worth it) and
it is ignored: the desk reads the store first, as it did before.  It is rewritten, atomically and with
the store's permissions, after the store has been read, when it was missing or far behind.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsroom_tui.domain.listing import StoryRow, newest_first
from newsroom_tui.domain.model import stored_count, stored_datetime, stored_line, stored_status
from newsroom_tui.storage.atomicfile import temporaries_of, write_atomically
from newsroom_tui.storage.journal import TABLE, JournalPosition, parse_journal_line

CACHE_FORMAT = "newsroom-story-rows"
CACHE_VERSION = 5  # 3: rows hold the version that last went out; 4: the filter's haystack has sections;
# 5: a scheduled story's due time
# Reading this much of the journal's tail is about as slow as not having a cache (a few ms a MB).
MAX_TAIL_BYTES = 8 * 1024 * 1024
# After the store is read, the cache is rewritten when its tail has grown past this.
REWRITE_TAIL_BYTES = 256 * 1024
_TEMP_SUFFIX = ".tmp"


def cache_path(db_path: Path) -> Path:
    """`<store>.rows`, beside the real file (a symlinked store has one cache)."""
    store = Path(os.path.realpath(db_path))  # atomicfile.real_path
    return store.with_name(store.name + ".rows")


class CachedRows:
    """What `read_rows` found: the rows, the journal position the cache file was written at, and how
    much journal it had to read after that."""

    def __init__(self, rows: list[StoryRow], position: JournalPosition, tail_bytes: int) -> None:
        self.rows = rows
        self.position = position
        self.tail_bytes = tail_bytes


def needs_rewriting(written_at: JournalPosition | None, now: JournalPosition) -> bool:
    """Whether a cache written at `written_at` should be written again, the journal being at `now`:
    missing, made for another file (a compaction replaced the journal), or far behind."""
    if written_at is None or (written_at.device, written_at.inode) != (now.device, now.inode):
        return True
    return now.offset - written_at.offset > REWRITE_TAIL_BYTES


def read_rows(db_path: Path) -> CachedRows | None:
    """The list's rows as of now, from the cache and the journal lines after it; None if in doubt."""
    try:
        with open(cache_path(db_path), "rb") as handle:
            cached = json.loads(handle.read())
        position = _position(cached)
        rows = {row.id: row for row in map(_row, cached["rows"])}
        fd = os.open(db_path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except _DAMAGE:  # never a source of truth: a damaged cache only means reading the store
        return None
    try:
        st = os.fstat(fd)
        if (st.st_dev, st.st_ino) != (position.device, position.inode) or st.st_size < position.offset:
            return None
        if st.st_size - position.offset > MAX_TAIL_BYTES:
            return None
        length = len(position.check)
        if os.pread(fd, length, position.offset - length) != position.check:
            return None
        tail = os.pread(fd, st.st_size - position.offset, position.offset)
    except OSError:
        return None
    finally:
        os.close(fd)
    end = tail.rfind(b"\n") + 1  # a line still being written waits for the full read
    try:
        for line in tail[:end].split(b"\n")[:-1]:
            for story_id, doc in parse_journal_line(line).get(TABLE, {}).items():
                if doc is None:
                    rows.pop(story_id, None)
                else:
                    rows[story_id] = StoryRow.from_doc(doc)
    except _DAMAGE:
        return None
    return CachedRows(newest_first(list(rows.values())), position, end)


def write_rows(db_path: Path, rows: Sequence[StoryRow], position: JournalPosition) -> None:
    """Replace the cache with `rows`, true at `position`.  Counts the words of rows not yet counted.

    Raises OSError when it cannot be written; the caller may ignore that (the cache is only a cache).
    """
    if position.offset < len(position.check) or not position.check:
        return  # an empty or torn journal: nothing worth caching
    data = {
        "format": CACHE_FORMAT,
        "version": CACHE_VERSION,
        "journal": {
            "device": position.device,
            "inode": position.inode,
            "offset": position.offset,
            "check": position.check.hex(),
        },
        "rows": [
            [
                row.id,
                row.version,
                row.status.value,
                row.slug,
                row.headline,
                row.desk,
                row.byline,
                row.updated_at.isoformat(),
                row.updated_by,
                row.language,
                row.haystack,
                row.word_count,
                row.sent_version,
                row.scheduled_at.isoformat() if row.scheduled_at is not None else None,
            ]
            for row in rows
        ],
    }
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    try:
        like: os.stat_result | None = os.stat(db_path)
    except OSError:
        like = None
    if like is not None and (not like.st_mode & 0o222 or not os.access(db_path, os.W_OK)):
        return  # a read-only store gets nothing written beside it (see JournalStorage.read_only_reason)
    write_atomically(cache_path(db_path), encoded, temp_suffix=_TEMP_SUFFIX, like=like)


def remove_leftovers(db_path: Path, *, older_than: float = 60.0) -> None:
    """Temporary files a killed cache writer left (`.<store>.rows.*.tmp`); a live writer's is seconds old."""
    now = time.time()
    for leftover in temporaries_of(cache_path(db_path), _TEMP_SUFFIX):
        with contextlib.suppress(OSError):
            if now - leftover.stat().st_mtime > older_than:
                leftover.unlink()


def _position(cached: Any) -> JournalPosition:
    if not isinstance(cached, dict) or cached.get("format") != CACHE_FORMAT or cached.get("version") != CACHE_VERSION:
        raise ValueError("not a row cache this version writes")
    journal = cached["journal"]
    position = JournalPosition(
        int(journal["device"]), int(journal["inode"]), int(journal["offset"]), bytes.fromhex(journal["check"])
    )
    if not position.check or position.offset < len(position.check):
        raise ValueError("no journal position")
    return position


# What a hand-edited or damaged cache can raise while it is read: each means "read the store instead".
_DAMAGE = (OSError, ValueError, KeyError, TypeError, IndexError, RecursionError, OverflowError, AttributeError)


def _row(values: list[Any]) -> StoryRow:
    """One cached row, checked field by field and its text cleaned, as a row from the store would be."""
    if not isinstance(values, list):
        raise TypeError("a row is a list")
    (story_id, version, status, slug, headline, desk, byline, updated_at, updated_by, language, haystack, words,
     sent_version, scheduled_at) = values  # fmt: skip
    status_value = stored_status("status", status)
    return StoryRow(
        id=stored_line("id", story_id),
        version=stored_count("version", version),
        status=status_value,
        slug=stored_line("slug", slug),
        headline=stored_line("headline", headline),
        desk=stored_line("desk", desk),
        byline=stored_line("byline", byline),
        updated_at=stored_datetime("updated_at", updated_at),
        updated_by=stored_line("updated_by", updated_by),
        language=stored_line("language", language),
        haystack=stored_line("haystack", haystack),
        _word_count=stored_count("words", words),
        sent_version=sent_version if isinstance(sent_version, int) and not isinstance(sent_version, bool) else None,
        scheduled_at=None if scheduled_at is None else stored_datetime("scheduled_at", scheduled_at),
    )
