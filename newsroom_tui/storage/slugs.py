"""The slugs a shell completes (`newsroom _slugs`): read without a lock, never written, never raising.

Every TAB on a story argument starts `newsroom _slugs`, maybe while desks are saving, so it must be
cheap and harmless: it reads the row cache and the journal lines after it (`rowcache.read_rows`, what
the desk's first screen reads) or, without a usable cache, the journal file itself, opened read-only.
It takes no lock, creates no file or folder, cleans up and repairs nothing: opening a `StoryStore` would
do all of those, so it is not opened.  A PostgreSQL store is asked in a READ ONLY transaction that
never prepares an empty database.  A store that is missing, damaged or unreachable gives no slugs:
completion is a convenience, and the command that runs next says what is wrong.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from newsroom_tui.storage.journal import JOURNAL_FORMAT, TABLE, parse_journal_line

# Reading a journal without a cache costs a few ms a MB; past this the shell waits too long for a TAB.
MAX_JOURNAL_BYTES = 64 * 1024 * 1024


# A database offers at most this many slugs for one TAB (the newest): a shell shows no more usefully, and a
# bare TAB on a million stories read every slug (seconds).
MOST_COMPLETIONS = 1000


def story_slugs(db_path: Path, store_url: str | None = None, *, prefix: str = "") -> list[str]:
    """The slugs starting with `prefix`, the last saved first, or [] when the store cannot be read."""
    try:
        if store_url is not None:
            return _database_slugs(store_url, prefix)
        return [slug for slug in _journal_slugs(db_path) if slug.startswith(prefix)]
    except Exception:  # a TAB press must never print a traceback into the shell
        return []


def _journal_slugs(db_path: Path) -> list[str]:
    from newsroom_tui.storage.rowcache import read_rows

    if not db_path.is_file():
        return []
    cached = read_rows(db_path)
    if cached is not None:
        return [row.slug for row in cached.rows if row.slug]
    fd = os.open(db_path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        size = os.fstat(fd).st_size
        if size > MAX_JOURNAL_BYTES:
            return []
        data = os.pread(fd, size, 0)
    finally:
        os.close(fd)
    lines = data[: data.rfind(b"\n") + 1].split(b"\n")[:-1]  # a line still being written is left out
    if not lines or not _is_header(lines[0]):
        return []
    slugs: dict[str, str] = {}
    for line in lines[1:]:
        for story_id, doc in parse_journal_line(line).get(TABLE, {}).items():
            slug = doc.get("slug") if doc is not None else None
            slugs.pop(story_id, None)  # a story saved again moves to the end: the journal is in save order
            if isinstance(slug, str) and slug:
                slugs[story_id] = slug
    return list(reversed(slugs.values()))


def _is_header(line: bytes) -> bool:
    header: Any = json.loads(line)
    return isinstance(header, dict) and header.get("format") == JOURNAL_FORMAT


def _database_slugs(url: str, prefix: str) -> list[str]:
    """The newest slugs starting with `prefix` (schema 8's byte-order index), within 3 s."""
    from newsroom_tui.storage.postgres import _SLUG_BYTES, Connection, _Database, _like_escaped, _list_deadline

    def read(conn: Connection) -> list[str]:
        conn.execute("SET TRANSACTION READ ONLY")
        _list_deadline(conn)
        rows = conn.execute(
            f"SELECT slug FROM stories WHERE ({_SLUG_BYTES}) LIKE %s ORDER BY updated_at DESC, seq LIMIT %s",
            (_like_escaped(prefix) + "%", MOST_COMPLETIONS),
        ).fetchall()
        return [row[0] for row in rows if isinstance(row[0], str)]

    database = _Database(url, upgrade_empty=False)
    try:
        return database.run(read, write=False)
    finally:
        database.drop()
