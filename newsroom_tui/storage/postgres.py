"""The PostgreSQL backend: the storage contract (contract.py) on a database many servers share.

Why these choices.  psycopg 3's sync API, one connection per store object behind a lock (the desk calls
it from worker threads), autocommit with an explicit transaction per operation, so a save either
committed or raised, never half.  Optimistic concurrency as in the journal: the row is read `FOR
UPDATE` and written `WHERE id = … AND version = …`; a stale version is the same ConflictError, a taken
slug the same SlugTakenError (also when two saves race past the check: the unique index decides).  A
server that is down or a connection that dropped is one StoreError sentence naming host and database
(never the password); the next call connects again, and a read (or a save whose BEGIN never reached the
server) on a connection found dead is retried once on a fresh one.

Passwords come the libpq way (.pgpass, PGPASSWORD, a service file): this module never stores or prints
one; every message goes through `redact_url`.  The schema is versioned SQL in `migrations/`, applied by
`upgrade` in one transaction under an advisory lock: automatically on first use of an empty database,
otherwise by `newsroom db upgrade`.  Only this module imports psycopg (backends.py imports it lazily).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql
from psycopg.types.json import Json, Jsonb

from newsroom_tui.domain.errors import LockError
from newsroom_tui.domain.listing import (
    HIDDEN_BY_DEFAULT,
    ROWS_A_PAGE,
    SECTION_COUNT,
    SECTION_SEPARATOR,
    FilterQuery,
    StoryRow,
    counted_by_status,
    haystack_of,
    newest_first,
)
from newsroom_tui.domain.location import database_parts, redact_url
from newsroom_tui.domain.model import Status, Story, count_words, now
from newsroom_tui.domain.search import SearchHit, SearchQuery, search_text, snippet_for
from newsroom_tui.storage.contract import Change, ChangesCallback, StateCallback
from newsroom_tui.storage.copying import copy_word
from newsroom_tui.storage.errors import (  # not storage.store: a database desk never loads TinyDB
    ConflictError,
    SlugTakenError,
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoryNotFoundError,
)
from newsroom_tui.storage.journal import without_lone_surrogates
from newsroom_tui.storage.locks import DEFAULT_EXPIRY, Lock, LockResult
from newsroom_tui.text.safety import clean_line

__all__ = [
    "CHANNEL",
    "DatabaseUnavailableError",
    "Migration",
    "PostgresChangeListener",
    "PostgresLockBook",
    "PostgresStore",
    "SchemaError",
    "migrations",
    "schema_version",
    "upgrade",
]

T = TypeVar("T")
Connection = psycopg.Connection[tuple[Any, ...]]
# pg_advisory_xact_lock keys (any bigint; these spell "newsroom" schema and import).
_MIGRATION_LOCK = 0x6E657773_726F6F6D
_IMPORT_LOCK = 0x6E657773_696D7074
_CONNECT_TIMEOUT = 5
# Live desks (schema 5): the channel the triggers notify on, how long one wait for a notification lasts
# (what closing a listener may take), how long a burst is gathered into one wake-up, and the reconnect
# backoff (first wait, cap).
CHANNEL = "newsroom_changes"
_LISTEN_WAIT = 1.0
_GATHER = 0.02
_RETRY_FIRST, _RETRY_CAP = 1.0, 5.0


class DatabaseUnavailableError(StoreError):
    """The database server cannot be reached, or the connection dropped; nothing half-done was kept."""


class SchemaError(StoreError):
    """The database's schema is not the one this code speaks (newer, older, or not a newsroom's)."""


# -- migrations --------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The versioned SQL files shipped in the package, in order (`NNNN_name.sql`)."""
    folder = resources.files("newsroom_tui.storage").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    return found


def latest_version() -> int:
    return max((migration.version for migration in migrations()), default=0)


def schema_version(conn: Connection) -> int | None:
    """The database's schema version; None for a database newsroom never touched."""
    row = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    found = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(found[0]) if found else 0


def _newer(found: int) -> SchemaError:
    return SchemaError(
        f"This database was upgraded by a newer newsroom (schema {found}, this newsroom knows {latest_version()}); "
        f"upgrade newsroom."
    )


def upgrade(conn: Connection) -> list[Migration]:
    """Apply the migrations the database lacks, in one transaction under an advisory lock (two desks
    starting on an empty database apply them once).  Returns what was applied.  Never destructive:
    migrations only add."""
    known = migrations()
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
        row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
        current = int(row[0]) if row else 0
        if current > latest_version():
            raise _newer(current)
        applied = [migration for migration in known if migration.version > current]
        for migration in applied:
            conn.execute(migration.sql.encode("utf-8"))
            after = _AFTER.get(migration.version)
            if after is not None:
                after(conn)
            conn.execute(
                "INSERT INTO schema_version (version, name) VALUES (%s, %s)", (migration.version, migration.name)
            )
    return applied


def _fill_search_text(conn: Connection) -> None:
    """Schema 2: the search text of the stories stored before it (folded in Python, as every save does)."""
    with conn.cursor(name="newsroom_fill_search") as cursor, conn.cursor() as writer:  # batches, as schema 6's
        cursor.execute("SELECT id, doc FROM stories")
        while batch := cursor.fetchmany(1000):
            writer.executemany(
                "UPDATE stories SET search_text = %s WHERE id = %s",
                [(_search_text(_to_story(doc, "the database")), story_id) for story_id, doc in batch],
            )


def _fill_list_rows(conn: Connection) -> None:
    """Schema 6: the list's row and word count of the stories stored before it, so a desk's first read of
    an upgraded archive is as light as of a new one (the words counted in Python, as every save does)."""
    conn.execute("UPDATE stories SET row_doc = doc - 'body' - 'history' WHERE row_doc IS NULL")
    with conn.cursor(name="newsroom_fill_words") as cursor, conn.cursor() as writer:  # batches, not all at once
        cursor.execute("SELECT id, doc ->> 'body' FROM stories WHERE words IS NULL")
        while batch := cursor.fetchmany(1000):
            writer.executemany(
                "UPDATE stories SET words = %s WHERE id = %s",
                [(count_words(body or ""), story_id) for story_id, body in batch],
            )


def _fill_haystacks(conn: Connection) -> None:
    """Schema 7: what the list's filter searches, for the stories stored before it (folded in Python, as
    every save does), a thousand at a time."""
    with conn.cursor(name="newsroom_fill_haystacks") as cursor, conn.cursor() as writer:
        cursor.execute("SELECT id, doc FROM stories")
        while batch := cursor.fetchmany(1000):
            writer.executemany(
                "UPDATE stories SET haystack = %s WHERE id = %s",
                [(_haystack(_storable(_to_story(doc, "the database").to_dict())), story_id) for story_id, doc in batch],
            )


# What a migration needs done in Python, in its transaction, after its SQL.
_AFTER: dict[int, Callable[[Connection], None]] = {2: _fill_search_text, 6: _fill_list_rows, 7: _fill_haystacks}


# The list's row of each story: the document without what the list never shows (schema 6).
_ROWS = (
    "SELECT id, coalesce(row_doc, doc - 'body' - 'history'), words, CASE WHEN words IS NULL THEN doc ->> 'body' END, "
    "seq FROM stories"
)
_NOT_IN_ROWS = frozenset({"body", "history"})


# Each field of a list row as JSON text, made by the server (`write_rows_json`): from the stories table's own
# columns where it has one (each equal to the stored document's field, as `_story_columns` writes them), else
# from `row_doc`, never from the whole document.  `to_json` writes a string as Python's json.dumps does with
# ensure_ascii=False (the same escapes: \" \\ \b \f \n \r \t and \u00XX), so each line is
# usecases.listing.row_json's to the byte; tests hold the two to that.  Every write since schema 6 sets
# `row_doc` and `words` and the migration filled them in, so `doc` and a null count are for a hand-made row.
_ROW_DOC = "coalesce(row_doc, doc - 'body' - 'history')"
_ROW_JSON: dict[str, str] = {
    "id": "to_json(id)::text",
    "slug": "to_json(coalesce(slug, ''))::text",
    "status": "to_json(status)::text",
    "desk": "to_json(desk)::text",
    "language": "to_json(language)::text",
    "version": "version::text",
    "word_count": "coalesce(words::text, 'null')",
    **{
        name: f"coalesce(to_json({_ROW_DOC} ->> '{name}')::text, '{empty}')"
        for name, empty in (("headline", '""'), ("byline", '""'), ("updated_by", '""'), ("updated_at", "null"))
    },
    "scheduled_at": (
        f"coalesce(CASE WHEN status = 'scheduled' THEN to_json({_ROW_DOC} ->> 'scheduled_at')::text END, 'null')"
    ),
}
_JSON_CHUNK_BYTES = 1 << 18
# For this transaction only (measured at 1,000,000 stories, README): no JIT (compiling the line's expression
# took longer than it saved), and the planner told that handing rows between processes is free, so the
# server's other core writes lines too (a parallel plan; the planner cannot see what the line costs to make).
_ROWS_JSON_SETTINGS = (
    "SET LOCAL jit = off",
    "SET LOCAL parallel_setup_cost = 0",
    "SET LOCAL parallel_tuple_cost = 0",
)


def _row_json_line(fields: Sequence[str]) -> str:
    """The SQL expression of a row's line: `{"id": …, "slug": …}` as json.dumps writes it."""
    parts: list[str] = []
    for number, name in enumerate(fields):
        if name not in _ROW_JSON:
            raise ValueError(f"a list row has no field {name!r}")
        parts += [f"'{'{' if number == 0 else ', '}{json.dumps(name)}: '", _ROW_JSON[name]]
    return f"concat({', '.join(parts)}, '}}')"


def _list_columns(doc: dict[str, Any]) -> tuple[int, Jsonb, str]:
    """`words` and `row_doc` (schema 6) and `haystack` (schema 7) for a stored document."""
    body = doc.get("body")
    row = {key: value for key, value in doc.items() if key not in _NOT_IN_ROWS}
    return count_words(body if isinstance(body, str) else ""), Jsonb(row), _haystack(doc)


def _haystack(doc: dict[str, Any]) -> str:
    """What the list's filter searches in a stored document: the very string a TinyDB desk's row holds
    (StoryRow.haystack), so both answer a filter alike."""
    return haystack_of(
        doc["headline"], doc["slug"], doc["byline"], doc["tags"], sign_off=doc["sign_off"], desk=doc["desk"]
    ).replace("\x00", "")


def _search_text(story: Story) -> str:
    return search_text(story).replace("\x00", "")


# The stories row a stored document makes: every column but `id` and `seq`, in this order, for the save (an
# INSERT or an UPDATE) and for a copy (`copy_in`), so the three can never disagree about a column.
_STORY_COLUMNS = "slug, status, desk, language, updated_at, version, doc, search_text, words, row_doc, haystack"
_INSERT_STORY = f"INSERT INTO stories (id, {_STORY_COLUMNS}) VALUES (%s, {', '.join(['%s'] * 11)})"
_UPDATE_STORY = (
    "UPDATE stories SET " + ", ".join(f"{column} = %s" for column in _STORY_COLUMNS.split(", "))
    + " WHERE id = %s AND version = %s"
)  # fmt: skip
_UPSERT_STORY = (
    _INSERT_STORY
    + " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in _STORY_COLUMNS.split(", "))
)


def _story_columns(doc: dict[str, Any], stored: Story) -> tuple[Any, ...]:
    """`_STORY_COLUMNS`' values for a stored document (`stored` is it read back as a story)."""
    return (
        doc["slug"] or None, doc["status"], doc["desk"], doc["language"], stored.updated_at, stored.version,
        Jsonb(doc), _search_text(stored), *_list_columns(doc),
    )  # fmt: skip


def upgrade_url(url: str) -> list[Migration]:
    """`upgrade` on the database at `url` (what `newsroom db upgrade` runs)."""
    database = _Database(url, check_schema=False)
    try:
        return database.run(lambda conn: upgrade(conn), write=True)
    finally:
        database.drop()


# -- connections -------------------------------------------------------------------------------------------
class _Database:
    """One connection to one database, made (again) when needed; every use is one transaction."""

    def __init__(self, url: str, *, upgrade_empty: bool = True, check_schema: bool = True) -> None:
        self.url = url
        self.label = redact_url(url)
        self.host, self.name = database_parts(url)
        self._upgrade_empty = upgrade_empty
        self._check_schema = check_schema
        self._schema_checked = False
        self._conn: Connection | None = None
        self._mutex = threading.RLock()
        # The server process of the connection now open (None: none is), read without the mutex by a listener
        # that leaves out what this connection sent.
        self.pid: int | None = None

    def unreachable(self, error: BaseException) -> DatabaseUnavailableError:
        reason = clean_line(redact_url(" ".join(str(error).split())))[:300].rstrip(".") or type(error).__name__
        return DatabaseUnavailableError(
            f"The PostgreSQL database “{self.name}” on {self.host} cannot be reached ({reason}); "
            f"try again when it is back."
        )

    def connection(self) -> Connection:
        with self._mutex:
            if self._conn is not None and not self._conn.closed and not self._conn.broken:
                return self._conn
            self.drop()
            try:
                conn = psycopg.connect(
                    self.url, autocommit=True, connect_timeout=_CONNECT_TIMEOUT, application_name="newsroom"
                )
            except psycopg.Error as error:
                raise self.unreachable(error) from error
            except Exception as error:  # a malformed URL is a ProgrammingError or ValueError from libpq
                raise StoreError(f"The database URL {self.label} cannot be used: {redact_url(str(error))}") from error
            try:
                if self._check_schema and not self._schema_checked:
                    self._ensure_schema(conn)
                    self._schema_checked = True
            except BaseException:
                conn.close()
                raise
            self._conn = conn
            self.pid = conn.info.backend_pid
            return conn

    def _ensure_schema(self, conn: Connection) -> None:
        try:
            found = schema_version(conn)
            if found is None and self._upgrade_empty and not self._has_tables(conn):
                upgrade(conn)
                found = schema_version(conn)
        except psycopg.OperationalError as error:
            raise self.unreachable(error) from error
        except psycopg.Error as error:
            raise StoreError(
                f"The database “{self.name}” on {self.host} could not be prepared for newsroom: "
                f"{redact_url(str(error).strip())}"
            ) from error
        latest = latest_version()
        if found is None:
            raise SchemaError(
                f"The database “{self.name}” on {self.host} holds tables that are not newsroom's; "
                f"use an empty database (createdb) for newsroom."
            )
        if found > latest:
            raise _newer(found)
        if found < latest:
            raise SchemaError(
                f"The database “{self.name}” on {self.host} has newsroom schema {found} and this newsroom "
                f"needs {latest}: run `newsroom db upgrade`."
            )

    @staticmethod
    def _has_tables(conn: Connection) -> bool:
        row = conn.execute("SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema())").fetchone()
        return bool(row and row[0])

    def drop(self) -> None:
        with self._mutex:
            self.pid = None
            if self._conn is not None:
                with contextlib.suppress(Exception):
                    self._conn.close()
            self._conn = None

    def run(self, work: Callable[[Connection], T], *, write: bool) -> T:
        """`work` in one transaction.  A dead connection is replaced and the work retried once when that
        is safe: a read, or a write whose BEGIN failed (so nothing reached the server)."""
        with self._mutex:
            for attempt in (0, 1):
                fresh = self._conn is None or self._conn.closed or self._conn.broken
                conn = self.connection()
                began = False
                try:
                    with conn.transaction():
                        began = True
                        return work(conn)
                except (psycopg.OperationalError, psycopg.InterfaceError) as error:
                    if isinstance(error, pg_errors.QueryCanceled | pg_errors.LockNotAvailable):
                        raise StoreBusyError(
                            f"The database “{self.name}” on {self.host} is busy: {redact_url(str(error).strip())}"
                        ) from error
                    self.drop()
                    if attempt == 0 and not fresh and (not write or not began):
                        continue
                    raise self.unreachable(error) from error
                except pg_errors.UniqueViolation:
                    raise  # the save turns it into SlugTakenError or ConflictError
                except psycopg.Error as error:  # no grant, a constraint, a damaged value: rolled back, one sentence
                    reason = clean_line(redact_url(" ".join(str(error).split())))[:300].rstrip(".")
                    raise StoreError(
                        f"The PostgreSQL database “{self.name}” on {self.host} refused this ({reason}); "
                        f"nothing was changed."
                    ) from error
            raise AssertionError("unreachable")  # pragma: no cover


def _shared(url: str, store: object | None) -> tuple[_Database, bool]:
    """The connection for a desk's lock book or word store: the store's own when `store` is the PostgresStore
    on `url` (one connection a desk, where each of them had its own: five a desk with the listener), else one
    of its own.  Also whether it is its own (its owner closes it)."""
    if isinstance(store, PostgresStore) and store.url == url:
        return store._db, False
    return _Database(url), True


def _storable(value: dict[str, Any]) -> dict[str, Any]:
    """A document PostgreSQL's json can hold: no lone surrogates (as the journal), no NUL characters."""
    value = without_lone_surrogates(value)
    if "\\u0000" not in json.dumps(value):
        return value

    def fix(item: Any) -> Any:
        if isinstance(item, str):
            return item.replace("\x00", "\ufffd")
        if isinstance(item, list):
            return [fix(part) for part in item]
        if isinstance(item, dict):
            return {fix(key): fix(part) for key, part in item.items()}
        return item

    return {key: fix(item) for key, item in value.items()}


def _to_story(doc: Any, where: str) -> Story:
    try:
        return Story.from_dict(doc)
    except (TypeError, ValueError, KeyError) as error:
        raise StoreCorruptError(f"A story in {where} cannot be read ({error}) and was left untouched.") from error


# -- the store -------------------------------------------------------------------------------------------
# -- the list's filter as SQL (schema 7) ---------------------------------------------------------------------
_STATUS_VALUES = frozenset(status.value for status in Status)
_MOST_COUNT_ROWS = 500  # story_counts rows before a reader folds them


def _like_escaped(text: str) -> str:
    """`text` matched literally by LIKE (backslash is its escape character)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _list_condition(parsed: FilterQuery, status: Status | None) -> tuple[sql.Composed, list[Any]]:
    """domain.listing.filter_rows' rule as a WHERE clause on `status` and `haystack`, term by term: the
    status filter's choice, else every status but spiked and killed unless `status:` is typed; `status:pub`
    a prefix of the status; a word anywhere in the haystack; `desk:sports` in its section (a haystack with
    another number of sections, a field holding the separator, is searched whole, as in memory).  Each term
    is also looked for in the whole haystack (`_holds`), which the trigram index answers when it can."""
    parts: list[sql.Composable] = []
    params: list[Any] = []
    if status is not None:
        parts.append(sql.SQL("status = %s"))
        params.append(status.value)
    elif not parsed.statuses:
        parts.append(sql.SQL("status <> ALL(%s)"))
        params.append(sorted(hidden.value for hidden in HIDDEN_BY_DEFAULT))
    for value in parsed.statuses:
        parts.append(sql.SQL("status LIKE %s"))
        params.append(_like_escaped(value) + "%")
    for word in parsed.words:
        parts.append(_holds("haystack", word, params))
    for where, value in parsed.fields:
        holds = _holds("haystack", value, params)  # its parameter first: it comes first in the clause
        sections = sql.SQL(" OR ").join(
            sql.SQL("strpos(split_part(haystack, %s, {}), %s) > 0").format(sql.Literal(index + 1)) for index in where
        )
        parts.append(
            sql.SQL("{} AND (cardinality(string_to_array(haystack, %s)) <> {} OR {})").format(
                holds, sql.Literal(SECTION_COUNT), sections
            )
        )
        params.append(SECTION_SEPARATOR)
        for _ in where:
            params += [SECTION_SEPARATOR, value]
    return sql.SQL(" AND ").join(parts or [sql.SQL("true")]), params


# pg_trgm finds a LIKE '%term%' by the term's trigrams: three letters or digits in a row.  A term without
# any (`p`, `zz`, `-`) gave the index nothing to go on and it read every entry: 15 s at 1,000,000 stories,
# where walking the newest stories finds a common one at once.  Such a term is asked as strpos, which no
# index answers, so the planner walks the table or the newest-first index.
_TRIGRAM = re.compile(r"[^\W_]{3}")
# How long one of the list's questions may take before the desk gives up on it (one sentence; the store's
# connection is shared with the desk's saves and opens).
LIST_DEADLINE_MS = 3000
_DEEP_OFFSET = 10_000  # a window read by offset past this many rows has no deadline


def _holds(column: str, term: str, params: list[Any]) -> sql.Composed:
    """`column` holds `term` (exactly as Python's `in`), through the trigram index when the term has trigrams."""
    if _TRIGRAM.search(term):
        params.append(f"%{_like_escaped(term)}%")
        return sql.SQL("{} LIKE %s").format(sql.Identifier(column))
    params.append(term)
    return sql.SQL("strpos({}, %s) > 0").format(sql.Identifier(column))


# Schema 8's two indexes: the slug, and the slug backwards, in byte order (Python's, whatever the collation).
_SLUG_BYTES = 'slug COLLATE "C"'
_SLUG_END_BYTES = 'reverse(slug) COLLATE "C"'


def _slugs_from(conn: Connection, column: str, start: str, most: int) -> list[str]:
    """At most `most` slugs whose `column` (one of the two above) starts with `start`, in its order."""
    rows = conn.execute(
        f"SELECT slug FROM stories WHERE ({column}) LIKE %s ORDER BY ({column}) LIMIT %s",
        (_like_escaped(start) + "%", most),
    ).fetchall()
    return [row[0] for row in rows]


def _list_deadline(conn: Connection) -> None:
    conn.execute(sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(LIST_DEADLINE_MS)))


def _fold_counts(conn: Connection) -> None:
    """story_counts folded into one row a status.  Rows appended meanwhile are not in this DELETE's
    snapshot and stay; two readers folding at once each fold only what they deleted."""
    conn.execute(
        "WITH gone AS (DELETE FROM story_counts RETURNING status, delta) "
        "INSERT INTO story_counts (status, delta) SELECT status, sum(delta) FROM gone GROUP BY status"
    )


# -- archive search ---------------------------------------------------------------------------------------
# A search reads the newest stories first, a window at a time, and asks the trigram index only for a term
# too rare for that (see _search_docs).  The first window: what a rare term costs before the index is asked.
_FIRST_WALK = 200
_ORDER = sql.SQL('ORDER BY updated_at DESC, id COLLATE "C" DESC')
_WALKING = "SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off"  # how `_walk` is planned


def _patterns(terms: Iterable[str]) -> list[str]:
    """LIKE patterns that find each term literally anywhere (backslash is LIKE's escape character)."""
    return [f"%{_like_escaped(term)}%" for term in terms]


def _search_docs(conn: Connection, terms: Sequence[str], limit: int) -> list[Any]:
    """The documents of the newest `limit` stories whose search text holds every term, in the order
    `updated_at DESC, id` (bytewise), exactly as a scan of every story would find them.

    Why not just the trigram index: it hands over every story that may hold the terms, and each must then
    be read again (its 4 KB text, decompressed) and sorted to keep the newest 20.  For a common word that is
    most of the archive: 14 s at 872,000 stories.  But a common word's newest hits are among the newest
    stories, so those are read first, newest first, in windows (`_walk`): the stories updated at or after
    the window's edge, and none older than the window before.  Every story outside the windows read so far
    is older than every story inside them, so once they hold `limit` hits those are the answer, and the hits
    of each window follow those of the window before.  A window that comes up short tells how common the
    terms are; the next is twice as large as that says it needs to be, unless rechecking what the index
    would hand over is cheaper: then the index answers, as it did for every search before.  What the index
    hands over is the stories holding every word (a phrase's words anywhere), so for a phrase that share is
    counted in the first window; words found in no story of it go to the index at once.  One snapshot for
    all of it (repeatable read), so a save meanwhile cannot move a story between windows.
    """
    patterns = _patterns(terms)
    words = sorted({word for term in terms for word in term.split(" ") if word})
    # One round trip (no parameters: the simple protocol, which takes several statements).  The planner
    # prices a scan of `stories` by its pages, not by the search text kept out of line (TOAST), so it picks
    # the scan: 111 ms at 10,000 stories against 3.8 ms from the index.  What "off" adds to a plan's cost
    # would also have it compiled (JIT): 140 ms for a query of 1 ms.  Bitmaps and sorts are off for the walk.
    conn.execute(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SET LOCAL enable_seqscan = off; SET LOCAL jit = off; "
        + _WALKING
    )
    docs: list[Any] = []
    older_than: Any = None  # every story updated at or after this was in a window already
    walked = 0
    window = _FIRST_WALK
    phrases = sorted(terms) != words
    indexed: float | None = None  # for a phrase: the share of the first window's stories holding its words
    first_edge: Any = None
    total: int | None = None
    while True:
        edge = _window_edge(conn, older_than, window)
        docs += _walk(conn, patterns, edge, older_than, limit - len(docs))
        if len(docs) >= limit or edge is None:  # enough, or the window reached the oldest story
            return docs
        first_edge = edge if older_than is None else first_edge
        walked += window
        older_than = edge
        if not docs and not phrases:
            break
        if total is None:
            row = conn.execute("SELECT coalesce(sum(delta), 0) FROM story_counts").fetchone()
            total = int(row[0]) if row else 0
        found, rest = len(docs) / walked, max(0, total - walked)
        # Twice what the hits so far say the rest needs (none yet: as if the next window held one); a window
        # reads no further than its last hit, but one that falls short costs it all.
        window = max(_FIRST_WALK, int(2 * (limit - len(docs)) / max(found, 1 / walked)))
        if window < found * rest:  # fewer than the index would hand over, by the hits alone
            continue
        if not phrases:
            break
        if indexed is None:
            indexed = _count_holding(conn, _patterns(words), first_edge) / _FIRST_WALK
        if window >= indexed * rest:
            break
    # The trigram index for the whole answer (what the windows found is in it too, and little to read again):
    # a bitmap of it, never the list's index in its order with the terms as a filter, which a rare term reads
    # to its end, nor a bitmap of `updated_at < edge` (an unanalysed table's planner chose each of those).
    conn.execute(
        "SET LOCAL enable_bitmapscan TO DEFAULT; SET LOCAL enable_sort TO DEFAULT; SET LOCAL enable_indexscan = off"
    )
    statement = sql.SQL("SELECT doc FROM stories WHERE {} {} LIMIT %s").format(
        _terms("search_text", len(patterns)), _ORDER
    )
    return [row[0] for row in conn.execute(statement, (*patterns, limit))]


def _count_holding(conn: Connection, patterns: list[str], edge: Any) -> int:
    """How many of the stories updated at or after `edge` hold every pattern (read as `_walk` reads them)."""
    statement = sql.SQL(
        "SELECT count(*) FROM (SELECT search_text || '' AS text FROM stories WHERE updated_at >= %s "
        "ORDER BY updated_at DESC, seq OFFSET 0) AS newest WHERE {}"
    ).format(_terms("text", len(patterns)))
    row = conn.execute(statement, (edge, *patterns)).fetchone()
    return int(row[0]) if row else 0


def _terms(column: str, count: int) -> sql.Composed:
    return sql.SQL(" AND ").join(sql.SQL("{} LIKE %s").format(sql.Identifier(column)) for _ in range(count))


def _window_edge(conn: Connection, older_than: Any, size: int) -> Any:
    """The `updated_at` of the `size`th newest story older than `older_than` (None: of them all), or None
    when there are fewer: from the index the list reads too, without reading a story."""
    below = sql.SQL("WHERE updated_at < %s") if older_than is not None else sql.SQL("")
    params = (older_than, size - 1) if older_than is not None else (size - 1,)
    statement = sql.SQL("SELECT updated_at FROM stories {} ORDER BY updated_at DESC OFFSET %s LIMIT 1")
    row = conn.execute(statement.format(below), params).fetchone()
    return row[0] if row else None


def _walk(conn: Connection, patterns: list[str], edge: Any, older_than: Any, limit: int) -> list[Any]:
    """The documents of the newest `limit` hits among the stories updated at or after `edge` (None: at any
    time) and before `older_than` (None: up to now), read newest first: it stops at the `limit`th hit.

    Planned by hand: the stories in the list's index order (`stories_newest`: no bitmap, which loses the
    order, and no sort of the whole window), and an incremental sort that puts equal `updated_at` in id
    order, so the read stops as soon as `limit` hits are out.  Each story's search text is fetched and
    decompressed once (`|| ''`) in the subquery, not once for each term's LIKE.  `_WALKING` is set."""
    bounds: list[sql.Composable] = []
    params: list[Any] = []
    if edge is not None:
        bounds.append(sql.SQL("updated_at >= %s"))
        params.append(edge)
    if older_than is not None:
        bounds.append(sql.SQL("updated_at < %s"))
        params.append(older_than)
    statement = sql.SQL(
        "SELECT doc FROM (SELECT doc, updated_at, id, search_text || '' AS text FROM stories WHERE {} "
        "ORDER BY updated_at DESC, seq OFFSET 0) AS newest WHERE {} {} LIMIT %s"
    ).format(sql.SQL(" AND ").join(bounds or [sql.SQL("true")]), _terms("text", len(patterns)), _ORDER)
    return [row[0] for row in conn.execute(statement, (*params, *patterns, limit))]


class PostgresStore:
    """Stories, revisions, the delivery log and pending deliveries in one PostgreSQL database.  Thread-safe.

    Every Story returned is a fresh copy."""

    def __init__(self, url: str, *, connect: bool = True) -> None:
        self.url = url
        self._db = _Database(url)
        self._seen_changes: int | None = None
        self._import_depth = 0
        self._asking_lock = threading.Lock()
        # Running one of the list's statements now, and in which thread: what `interrupt` may cancel.
        self._asking: tuple[Connection, int, int] | None = None  # the connection, the thread, which statement
        self._asked = 0  # statements of the list's asked so far: what a cancel on its way checks it still hits
        if connect:
            self._db.connection()  # a server that is down, or a schema we cannot use, says so now
            self._seen_changes = self._changes()

    @property
    def label(self) -> str:
        return self._db.label

    # lifecycle
    def close(self) -> None:
        self._db.drop()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def read_only_reason(self) -> str | None:
        def check(conn: Connection) -> bool:
            row = conn.execute("SELECT has_table_privilege('stories', 'INSERT, UPDATE')").fetchone()
            return bool(row and row[0])

        try:
            writable = self._db.run(check, write=False)
        except StoreError:
            return None  # the save itself will say what is wrong
        if writable:
            return None
        return f"You may read the stories in {self.label} but not save them (the database role has no write grant)."

    def listen(self, on_changes: ChangesCallback, on_state: StateCallback) -> PostgresChangeListener:
        """What other editors change, as it happens (contract.LiveStore): a thread of its own.  What this store's
        own connection sent (this desk's saves, and its locks when its lock book shares the connection) is left
        out: the desk knows it already, and read each of its saves again."""
        return PostgresChangeListener(self.url, on_changes, on_state, own=lambda: self._db.pid).start()

    # reading
    def __len__(self) -> int:
        row = self._db.run(lambda conn: conn.execute("SELECT count(*) FROM stories").fetchone(), write=False)
        return int(row[0]) if row else 0

    def is_empty(self) -> bool:
        row = self._db.run(
            lambda conn: conn.execute("SELECT NOT EXISTS (SELECT 1 FROM stories)").fetchone(), write=False
        )
        return bool(row and row[0])

    def list_stories(self, status: Status | None = None) -> list[Story]:
        def read(conn: Connection) -> list[tuple[Any, ...]]:
            if status is None:
                return conn.execute("SELECT doc FROM stories ORDER BY updated_at DESC, seq").fetchall()
            return conn.execute(
                "SELECT doc FROM stories WHERE status = %s ORDER BY updated_at DESC, seq", (status.value,)
            ).fetchall()

        return [_to_story(row[0], self.label) for row in self._db.run(read, write=False)]

    def story_rows(self, previous: Iterable[StoryRow] = ()) -> list[StoryRow]:
        """The list's rows, read as each document less its body and history (schema 6), with the word count
        kept at save.  Given the rows the desk has (`previous`), only the stories saved since are read."""
        known = {(row.id, row.version): row for row in previous}

        def read(conn: Connection) -> list[StoryRow]:
            if not known:
                return [self._row(*found) for found in conn.execute(_ROWS + " ORDER BY seq")]
            current = conn.execute("SELECT id, version FROM stories ORDER BY seq").fetchall()
            missing = [story_id for story_id, version in current if (story_id, version) not in known]
            fetched: dict[str, StoryRow] = {}
            if missing:
                for found in conn.execute(_ROWS + " WHERE id = ANY(%s)", (missing,)):
                    fetched[found[0]] = self._row(*found)
            rows: list[StoryRow] = []
            for story_id, version in current:
                row = known.get((story_id, version)) or fetched.get(story_id)
                if row is not None:  # None: purged between the two reads
                    rows.append(row)
            return rows

        return newest_first(self._db.run(read, write=False))

    def read_rows(self, status: Status | None, take: Callable[[list[StoryRow]], object]) -> int:
        """Through a server-side cursor, a page at a time, newest first (the list's order: updated_at, then
        seq, as `story_rows` sorts them)."""
        where = " WHERE status = %s" if status is not None else ""
        params = (status.value,) if status is not None else None
        handed = [0]

        def read(conn: Connection) -> int:
            if handed[0]:  # a retry after rows went out would hand them over twice
                raise StoreError(f"The connection to {self.label} was lost while the list was being read.")
            with conn.cursor(name="newsroom_read_rows") as cursor:
                cursor.execute(f"{_ROWS}{where} ORDER BY updated_at DESC, seq", params)
                while batch := cursor.fetchmany(ROWS_A_PAGE):
                    rows = [self._row(*found) for found in batch]
                    handed[0] += len(rows)
                    take(rows)
            return handed[0]

        return self._db.run(read, write=False)

    def write_rows_json(self, fields: Sequence[str], status: Status | None, write: Callable[[bytes], object]) -> int:
        """The list's rows as JSON lines made by the server (contract.JsonRows), read with COPY as they are made:
        no row becomes a Python object.  COPY's CSV form with a quote and a delimiter no JSON text holds raw
        (0x01, 0x02: JSON escapes every control character) passes each line through untouched."""
        where = "WHERE status = %s " if status is not None else ""
        statement = (
            f"COPY (SELECT {_row_json_line(fields)} FROM stories {where}ORDER BY updated_at DESC, seq) "
            "TO STDOUT (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
        )
        written = [0, 0]  # rows, chunks

        def read(conn: Connection) -> int:
            if written[1]:  # a retry after output went out would print those rows twice
                raise StoreError(f"The connection to {self.label} was lost while the list was being written.")
            for setting in _ROWS_JSON_SETTINGS:
                conn.execute(setting)
            rows = 0
            pending = bytearray()
            params = (status.value,) if status is not None else None
            with conn.cursor() as cursor, cursor.copy(statement, params) as copy:
                for line in copy:
                    pending += line
                    rows += 1
                    if len(pending) >= _JSON_CHUNK_BYTES:
                        written[1] += 1
                        write(bytes(pending))
                        pending.clear()
            if pending:
                written[1] += 1
                write(bytes(pending))
            return rows

        return self._db.run(read, write=False)

    # -- the desk's list as a window on a query (schema 7) --------------------------------------------
    def status_counts(self) -> dict[Status, int]:
        """How many stories each status has, from the counts every write appends (0007_list_window.sql):
        a sum over a few hundred rows, not a count of the archive.  Past 500 rows they are folded into one
        a status (best effort: a database this role may not write to keeps summing)."""

        def read(conn: Connection) -> tuple[dict[str, int], int]:
            found = conn.execute("SELECT status, sum(delta), count(*) FROM story_counts GROUP BY status").fetchall()
            return {status: int(total) for status, total, _ in found}, sum(int(rows) for *_, rows in found)

        counts, rows = self._db.run(read, write=False)
        if rows > _MOST_COUNT_ROWS:
            with contextlib.suppress(StoreError):
                self._db.run(_fold_counts, write=True)
        return {Status(status): total for status, total in counts.items() if total and status in _STATUS_VALUES}

    def count_rows(self, query: str = "", status: Status | None = None, *, most: int | None = None) -> int:
        """How many stories the list shows for this filter: the same rule as domain.listing.filter_rows.
        `most`: count no further than one past it (a common word matches most of a million stories, and
        counting them all took seconds; the desk says "1,000+" and counts further as the editor scrolls)."""
        parsed = FilterQuery.parse(query)
        if not parsed.has_terms:  # by status alone: from the counts
            return counted_by_status(self.status_counts(), status)
        condition, params = _list_condition(parsed, status)
        if most is None:
            statement = sql.SQL("SELECT count(*) FROM stories WHERE {}").format(condition)
        else:
            statement = sql.SQL("SELECT count(*) FROM (SELECT 1 FROM stories WHERE {} LIMIT %s) AS found").format(
                condition
            )
            params = [*params, most + 1]

        def read(conn: Connection) -> int:
            _list_deadline(conn)
            found = self._ask(conn, statement, params)
            return int(found[0][0]) if found else 0

        return self._db.run(read, write=False)

    def window_rows(
        self,
        query: str,
        status: Status | None,
        offset: int,
        limit: int,
        *,
        total: int | None,
        after: StoryRow | None = None,
        before: StoryRow | None = None,
    ) -> list[StoryRow]:
        """Rows offset…offset+limit of the list for this filter, newest first (`updated_at`, then the order
        they were first saved in, as the TinyDB list).  Given the row just `after` the window's start, or
        just `before` its end (rows read earlier, with their `seq`), the window is read from there through
        the index, whatever its offset (paging through a million stories by OFFSET took seconds a page
        half-way down; the bare `<=` is what lets the index start there); else by offset, from the oldest
        end past the middle when `total` is exact."""
        if limit <= 0 or (total is not None and offset >= total):
            return []
        condition, params = _list_condition(FilterQuery.parse(query), status)
        if after is not None and after.seq is not None:
            statement = sql.SQL(
                _ROWS + " WHERE {} AND updated_at <= %s AND (updated_at < %s OR seq > %s) "
                "ORDER BY updated_at DESC, seq LIMIT %s"
            ).format(condition)
            arguments: tuple[Any, ...] = (*params, after.updated_at, after.updated_at, after.seq, limit)
            backwards = False
        elif before is not None and before.seq is not None:
            statement = sql.SQL(
                _ROWS + " WHERE {} AND updated_at >= %s AND (updated_at > %s OR seq < %s) "
                "ORDER BY updated_at, seq DESC LIMIT %s"
            ).format(condition)
            arguments = (*params, before.updated_at, before.updated_at, before.seq, limit)
            backwards = True
        else:
            if total is not None:
                limit = min(limit, total - offset)
            backwards = total is not None and offset > total // 2
            order = sql.SQL("updated_at, seq DESC" if backwards else "updated_at DESC, seq")
            skip = total - offset - limit if backwards and total is not None else offset
            statement = sql.SQL(_ROWS + " WHERE {} ORDER BY {} LIMIT %s OFFSET %s").format(condition, order)
            arguments = (*params, limit, max(0, skip))

        # The deadline holds a filter that finds little (a scan for its first rows) to 3 s; a read by offset far
        # down (a scrollbar dragged half-way down a million) takes seconds however it is asked, and may.
        bounded = after is not None or before is not None or offset < _DEEP_OFFSET

        def read(conn: Connection) -> list[StoryRow]:
            if bounded:
                _list_deadline(conn)
            return [self._row(*found) for found in self._ask(conn, statement, arguments)]

        rows = self._db.run(read, write=False)
        return rows[::-1] if backwards else rows

    def position_of(self, story_id: str, query: str = "", status: Status | None = None) -> int | None:
        """Where the story is in the list for this filter (0 is the newest), or None if the filter leaves
        it out: what keeps the cursor on a story when the list is read again."""
        condition, params = _list_condition(FilterQuery.parse(query), status)
        where = sql.SQL("SELECT updated_at, seq FROM stories WHERE id = %s AND {}").format(condition)
        # Asked with the story's time as a value, not joined: the planner then walks the newest-first index
        # down to it (joined, it counted every match of a common word first: 3 s at a million stories).
        before = sql.SQL(
            "SELECT count(*) FROM stories WHERE {} AND updated_at >= %s AND (updated_at > %s OR seq < %s)"
        ).format(condition)

        def read(conn: Connection) -> tuple[Any, ...] | None:
            _list_deadline(conn)
            me = self._ask(conn, where, (story_id, *params))
            if not me:
                return None
            (updated_at, seq), *_ = me
            found = self._ask(conn, before, (*params, updated_at, updated_at, seq))
            return found[0] if found else None

        row = self._db.run(read, write=False)
        return int(row[0]) if row else None

    def _ask(self, conn: Connection, statement: sql.Composed, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """One statement of the list's, which `interrupt` may cancel while it runs (and only while it runs)."""
        with self._asking_lock:
            self._asked += 1
            self._asking = (conn, threading.get_ident(), self._asked)
        try:
            return conn.execute(statement, params).fetchall()
        finally:
            with self._asking_lock:
                self._asking = None

    def interrupt(self, thread: int) -> None:
        """Cancel the list's statement that `thread` is running now, if it is running one: a newer keystroke
        asks another.  Nothing else is ever cancelled (a save, an open, a page another thread reads).

        The cancel is a connection of its own, up to a second where the server cannot be reached: it goes
        in a thread of its own, so the keystroke that asked (on the UI thread) never waits for it.  It hits
        only the statement running when it was asked for: while it is on its way that statement cannot end
        and another start (the lock), and a cancel that reaches the server after it ended finds it idle."""
        if not self._asking_lock.acquire(timeout=0.05):  # held that long only by a cancel already on its way
            return
        try:
            if self._asking is None or self._asking[1] != thread:
                return
            statement = self._asking[2]
        finally:
            self._asking_lock.release()
        threading.Thread(target=self._cancel, args=(statement,), name="newsroom-cancel", daemon=True).start()

    def _cancel(self, statement: int) -> None:
        with self._asking_lock:
            if self._asking is not None and self._asking[2] == statement:
                with contextlib.suppress(psycopg.Error):
                    self._asking[0].cancel_safe(timeout=1)

    def _row(self, story_id: str, doc: Any, words: int | None, body: str | None, seq: int | None = None) -> StoryRow:
        try:
            row = StoryRow.from_doc(doc)
        except (TypeError, ValueError, KeyError) as error:
            raise StoreCorruptError(
                f"The story {clean_line(str(story_id))[:64]} in {self.label} cannot be read ({error}) "
                f"and was left untouched."
            ) from error
        row._word_count = words if words is not None else count_words(body or "")
        row.seq = seq
        return row

    def get(self, story_id: str) -> Story:
        row = self._db.run(
            lambda conn: conn.execute("SELECT doc FROM stories WHERE id = %s", (story_id,)).fetchone(), write=False
        )
        if row is None:
            raise StoryNotFoundError(story_id)
        return _to_story(row[0], self.label)

    def find_by_slug(self, slug: str) -> Story | None:
        if not slug:
            return None
        row = self._db.run(
            lambda conn: conn.execute("SELECT doc FROM stories WHERE slug = %s", (slug,)).fetchone(), write=False
        )
        return _to_story(row[0], self.label) if row is not None else None

    def slug_owner(self, slug: str) -> Story | None:
        return self.find_by_slug(slug)

    def slugs_starting(self, start: str, *, most: int) -> list[str]:
        """Through the slugs' byte-order index (schema 8): a LIKE on a prefix, in Python's order, in any
        collation the database has."""
        if not start:
            return []

        def read(conn: Connection) -> list[str]:
            _list_deadline(conn)
            return _slugs_from(conn, _SLUG_BYTES, start, most + 1)

        return self._db.run(read, write=False)

    def slugs_like(self, typed: str, *, most: int) -> list[str]:
        """The slugs sharing the longest start with `typed`, and those sharing the longest end (schema 8's two
        byte-order indexes), as many as `most` of each: a typo anywhere leaves one of them at least half the
        slug long.  A few index probes, where ranking every slug of a million stories took minutes."""
        if not typed:
            return []

        def sharing(conn: Connection, column: str, text: str) -> list[str]:
            shortest, longest = 0, len(text)  # the longest start of `text` some slug has: a binary search
            while shortest < longest:
                middle = (shortest + longest + 1) // 2
                if _slugs_from(conn, column, text[:middle], 1):
                    shortest = middle
                else:
                    longest = middle - 1
            if shortest < max(1, len(text) // 3):
                return []  # nothing shares a third of it: nothing it could have meant
            return _slugs_from(conn, column, text[:shortest], most)

        def read(conn: Connection) -> list[str]:
            _list_deadline(conn)
            return sorted({*sharing(conn, _SLUG_BYTES, typed), *sharing(conn, _SLUG_END_BYTES, typed[::-1])})

        return self._db.run(read, write=False)

    def find_imported(self, headline: str, created_at: str) -> Story | None:
        row = self._db.run(
            lambda conn: conn.execute(
                "SELECT doc FROM stories WHERE doc ->> 'headline' = %s AND doc ->> 'created_at' = %s ORDER BY seq "
                "LIMIT 1",
                (headline, created_at),
            ).fetchone(),
            write=False,
        )
        return _to_story(row[0], self.label) if row is not None else None

    def search(self, query: SearchQuery, *, limit: int = 20) -> list[SearchHit]:
        """Stories holding every term of `query` (folded, as domain/search.py folds them) in their stored
        search text, newest `updated_at` first (then by id), at most `limit`, each with its snippet: the
        same hits the TinyDB scan finds.  `_search_docs` says how they are found."""
        if query.is_empty or limit <= 0:
            return []
        docs = self._db.run(lambda conn: _search_docs(conn, query.terms, limit), write=False)
        hits: list[SearchHit] = []
        for doc in docs:
            story = _to_story(doc, self.label)
            hits.append(SearchHit(StoryRow.from_story(story), snippet_for(query, story)))
        return hits

    def _changes(self) -> int:
        row = self._db.run(
            lambda conn: conn.execute("SELECT last_value, is_called FROM story_changes").fetchone(), write=False
        )
        return int(row[0]) if row and row[1] else 0

    def refresh(self) -> bool:
        """True if any save happened since the last call (one read of a sequence)."""
        changes = self._changes()
        changed = self._seen_changes is not None and changes != self._seen_changes
        self._seen_changes = changes
        return changed

    # writing
    def save(self, story: Story, *, user: str) -> Story:
        return self.save_many([story], user=user)[0]

    def save_many(self, stories: list[Story], *, user: str) -> list[Story]:
        if not stories:
            return []
        try:
            return self._db.run(lambda conn: self._save_in(conn, stories, user), write=True)
        except pg_errors.UniqueViolation as error:  # two saves raced past the checks: the index decided
            raise self._lost_race(stories, error) from error

    def _lost_race(self, stories: list[Story], error: pg_errors.UniqueViolation) -> StoreError:
        constraint = error.diag.constraint_name or ""
        for story in stories:
            if constraint == "stories_slug_key" and story.slug:
                owner = self.find_by_slug(story.slug)
                if owner is not None and owner.id != story.id:
                    return SlugTakenError(story.slug, owner.id, clean_line(owner.headline))
            if constraint in ("stories_pkey", "revisions_pkey"):
                with contextlib.suppress(StoryNotFoundError):
                    theirs = self.get(story.id)
                    if theirs.version != story.version + 1 or constraint == "stories_pkey":
                        return ConflictError(story.id, story.version, theirs.version, theirs)
        return StoreError(f"The save to {self.label} was refused by the database ({constraint or 'a unique key'}).")

    def _save_in(self, conn: Connection, stories: list[Story], user: str) -> list[Story]:
        stamp = now()
        user = clean_line(user)
        saved_all: list[Story] = []
        batch_slugs: dict[str, Story] = {}
        batch_ids: set[str] = set()
        for story in stories:
            if story.id in batch_ids:
                raise StoreError(f"The story {story.id} appears twice in one save.")
            batch_ids.add(story.id)
            row = conn.execute("SELECT version, doc FROM stories WHERE id = %s FOR UPDATE", (story.id,)).fetchone()
            if row is None:
                if story.version != 0:
                    raise StoryNotFoundError(story.id)
                created_at, created_by = story.created_at, story.created_by or user
            else:
                theirs = _to_story(row[1], self.label)
                if row[0] != story.version:
                    raise ConflictError(story.id, story.version, theirs.version, theirs)
                created_at, created_by = theirs.created_at, theirs.created_by or user
            if story.slug:
                in_batch = batch_slugs.get(story.slug)
                if in_batch is not None and in_batch.id != story.id:
                    raise SlugTakenError(story.slug, in_batch.id, in_batch.headline)
                owner = conn.execute(
                    "SELECT id, doc ->> 'headline' FROM stories WHERE slug = %s AND id <> %s", (story.slug, story.id)
                ).fetchone()
                if owner is not None:
                    raise SlugTakenError(story.slug, owner[0], clean_line(owner[1] or ""))
                batch_slugs[story.slug] = story
            if story.has_terminal_control():
                story = story.cleaned()
            saved = story.copy(
                version=story.version + 1,
                updated_at=stamp,
                updated_by=user,
                created_at=created_at,
                created_by=created_by,
            )
            doc = _storable(saved.to_dict())
            stored = _to_story(doc, self.label)
            if row is None:
                conn.execute(_INSERT_STORY, (saved.id, *_story_columns(doc, stored)))
            else:
                cursor = conn.execute(_UPDATE_STORY, (*_story_columns(doc, stored), saved.id, story.version))
                if cursor.rowcount != 1:  # cannot happen under FOR UPDATE; never overwrite if it does
                    current = self._current(conn, story.id)
                    raise ConflictError(story.id, story.version, current.version, current)
            conn.execute(
                "INSERT INTO revisions (story_id, version, doc) VALUES (%s, %s, %s)",
                (saved.id, saved.version, Jsonb(doc)),
            )
            saved_all.append(stored)
        row = conn.execute("SELECT nextval('story_changes')").fetchone()
        if row is not None and self._seen_changes == int(row[0]) - 1:
            self._seen_changes = int(row[0])  # our own save is not news; anyone else's since the last look is
        return saved_all

    def _current(self, conn: Connection, story_id: str) -> Story:
        row = conn.execute("SELECT doc FROM stories WHERE id = %s", (story_id,)).fetchone()
        if row is None:
            raise StoryNotFoundError(story_id)
        return _to_story(row[0], self.label)

    @contextlib.contextmanager
    def import_lock(self, timeout: float = 120) -> Iterator[None]:
        """A session advisory lock on this store's connection: one import at a time across every server."""
        deadline = time.monotonic() + timeout
        while True:
            row = self._db.run(
                lambda conn: conn.execute("SELECT pg_try_advisory_lock(%s)", (_IMPORT_LOCK,)).fetchone(), write=False
            )
            if row and row[0]:
                break
            if time.monotonic() > deadline:
                raise StoreBusyError(
                    f"Another import into {self.label} has run for {timeout / 60:g} minutes; try again."
                )
            time.sleep(0.1)
        try:
            yield
        finally:
            with contextlib.suppress(StoreError):  # a dropped connection released it already
                self._db.run(lambda conn: conn.execute("SELECT pg_advisory_unlock(%s)", (_IMPORT_LOCK,)), write=True)

    # copying a whole store (`newsroom migrate`)
    def copy_in(self, histories: list[tuple[list[Story], list[dict[str, Any]]]]) -> list[str]:
        """Write stories exactly as another store holds them (see StoryStore.copy_in), all in one transaction:
        what is here of the batch read in two queries, the writes sent as batches (a round trip or two a
        story made a 50,000-story migration take 8 minutes)."""
        ids = [revisions[-1].id for revisions, _ in histories]

        def write(conn: Connection) -> list[str]:
            present = {row[0] for row in conn.execute("SELECT id FROM stories WHERE id = ANY(%s)", (ids,))}
            here: dict[str, list[dict[str, Any]]] = {story_id: [] for story_id in ids}
            purged: set[str] = set()  # its versions are here, the story is not: this database purged it
            for story_id, doc in conn.execute(
                "SELECT story_id, doc FROM revisions WHERE story_id = ANY(%s) ORDER BY story_id, version", (ids,)
            ):
                if story_id in present:
                    here[story_id].append(_to_story(doc, self.label).to_dict())
                else:
                    purged.add(story_id)
            kept: dict[str, list[dict[str, Any]]] = {story_id: [] for story_id in ids}
            for story_id, entry in conn.execute(
                "SELECT story_id, entry FROM delivery_log WHERE story_id = ANY(%s) ORDER BY story_id, seq", (ids,)
            ):
                kept[story_id].append(dict(entry))
            words: list[str] = []
            stories: list[tuple[Any, ...]] = []
            revisions_in: list[tuple[str, int, Jsonb]] = []
            logs: dict[str, list[dict[str, Any]]] = {}
            for revisions, log in histories:
                story_id = revisions[-1].id
                docs = [_storable(revision.to_dict()) for revision in revisions]
                same_log = kept[story_id] == [dict(entry) for entry in log]
                word = copy_word(docs, here[story_id], same_log=same_log, purged=story_id in purged)
                words.append(word)
                if word not in ("copied", "updated"):
                    continue
                doc = docs[-1]
                stored = _to_story(doc, self.label)
                stories.append((stored.id, *_story_columns(doc, stored)))
                lacking = docs[len(here[story_id]) :]
                revisions_in += [(story_id, revision["version"], Jsonb(revision)) for revision in lacking]
                if not same_log:
                    logs[story_id] = [_storable(dict(entry)) for entry in log]
            with conn.cursor() as cursor:
                cursor.executemany(_UPSERT_STORY, stories)
                cursor.executemany("INSERT INTO revisions (story_id, version, doc) VALUES (%s, %s, %s)", revisions_in)
                if logs:
                    cursor.execute("DELETE FROM delivery_log WHERE story_id = ANY(%s)", (list(logs),))
                    cursor.executemany(
                        "INSERT INTO delivery_log (story_id, entry) VALUES (%s, %s)",
                        [(story_id, Json(entry)) for story_id, entries in logs.items() for entry in entries],
                    )
            if stories:
                conn.execute("SELECT nextval('story_changes')")
            return words

        try:
            return self._db.run(write, write=True)
        except pg_errors.UniqueViolation as error:  # another story here has the slug: the batch is rolled back
            slugs = clean_line(
                ", ".join(sorted({revisions[-1].slug for revisions, _ in histories if revisions[-1].slug}))
            )
            raise StoreError(
                f"{self.label} already has a different story with one of the slugs being copied ({slugs[:200]}); "
                f"nothing of this batch was copied. Rename or remove it there, then run the migration again."
            ) from error

    # the delivery log
    def delete(self, stories: Iterable[Story], *, user: str, note: str) -> dict[str, Any]:
        """Remove stories for good, each at the version given, in one transaction, and record it in the
        purge log; their revisions and delivery logs stay (see 0003_purges.sql).  A story saved since, or
        gone, raises ConflictError / StoryNotFoundError and nothing is removed."""
        from newsroom_tui.storage.store import purge_record

        gone = list(stories)

        def write(conn: Connection) -> dict[str, Any]:
            rows = conn.execute(  # one query for the lot, not one a story (a purge may take thousands)
                "SELECT id, version, doc FROM stories WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                ([story.id for story in gone],),
            ).fetchall()
            held = {row[0]: (row[1], row[2]) for row in rows}
            for story in gone:
                if story.id not in held:
                    raise StoryNotFoundError(story.id)
                version, doc = held[story.id]
                if version != story.version:
                    theirs = _to_story(doc, self.label)
                    raise ConflictError(story.id, story.version, theirs.version, theirs)
            record = purge_record(gone, user=user, note=note)
            if gone:
                conn.execute("DELETE FROM stories WHERE id = ANY(%s)", ([story.id for story in gone],))
                conn.execute("INSERT INTO purges (record) VALUES (%s)", (Json(_storable(record)),))
                conn.execute("SELECT nextval('story_changes')")  # other desks' lists drop them too
            return record

        return self._db.run(write, write=True)

    def purges(self) -> list[dict[str, Any]]:
        """The purge log, oldest first."""
        rows = self._db.run(lambda conn: conn.execute("SELECT record FROM purges ORDER BY seq").fetchall(), write=False)
        return [dict(row[0]) for row in rows if isinstance(row[0], dict)]

    def log_deliveries(self, story_id: str, entries: Iterable[Mapping[str, Any]]) -> None:
        added = [_storable(dict(entry)) for entry in entries]
        if not added:
            return

        def write(conn: Connection) -> None:
            self._current(conn, story_id)
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO delivery_log (story_id, entry) VALUES (%s, %s)",
                    [(story_id, Json(entry)) for entry in added],
                )

        self._db.run(write, write=True)

    def delivery_log(self, story_id: str) -> list[dict[str, Any]]:
        rows = self._db.run(
            lambda conn: conn.execute(
                "SELECT entry FROM delivery_log WHERE story_id = %s ORDER BY seq", (story_id,)
            ).fetchall(),
            write=False,
        )
        return [dict(row[0]) for row in rows if isinstance(row[0], dict)]

    # pending deliveries (delivery.PendingDeliveries keeps its queue here for a database store)
    def pending_entries(self) -> list[dict[str, Any]]:
        rows = self._db.run(
            lambda conn: conn.execute("SELECT entry FROM pending_deliveries ORDER BY seq").fetchall(), write=False
        )
        return [dict(row[0]) for row in rows if isinstance(row[0], dict)]

    def put_pending(self, story_id: str, target: str, entry: Mapping[str, Any]) -> None:
        self._db.run(
            lambda conn: conn.execute(
                "INSERT INTO pending_deliveries (story_id, target, entry) VALUES (%s, %s, %s) "
                "ON CONFLICT (story_id, target) DO UPDATE SET entry = excluded.entry, seq = DEFAULT",
                (story_id, target, Json(_storable(dict(entry)))),
            ),
            write=True,
        )

    def remove_pending(self, story_id: str, target: str) -> None:
        self._db.run(
            lambda conn: conn.execute(
                "DELETE FROM pending_deliveries WHERE story_id = %s AND target = %s", (story_id, target)
            ),
            write=True,
        )

    # history
    def revisions(self, story_id: str) -> list[Story]:
        def read(conn: Connection) -> list[Story]:
            current = self._current(conn, story_id)
            rows = conn.execute(
                "SELECT doc FROM revisions WHERE story_id = %s AND version < %s ORDER BY version",
                (story_id, current.version),
            ).fetchall()
            return [*(_to_story(row[0], self.label) for row in rows), current]

        return self._db.run(read, write=False)

    def histories(self, story_ids: Sequence[str]) -> list[tuple[list[Story], list[dict[str, Any]]]]:
        """Each story's versions and delivery log (the contract's `histories`) in three queries, not two
        round trips a story."""
        ids = list(story_ids)

        def read(conn: Connection) -> list[tuple[list[Story], list[dict[str, Any]]]]:
            current = {
                story_id: _to_story(doc, self.label)
                for story_id, doc in conn.execute("SELECT id, doc FROM stories WHERE id = ANY(%s)", (ids,))
            }
            missing = [story_id for story_id in ids if story_id not in current]
            if missing:
                raise StoryNotFoundError(missing[0])
            older: dict[str, list[Story]] = {story_id: [] for story_id in ids}
            for story_id, doc in conn.execute(
                "SELECT r.story_id, r.doc FROM revisions r JOIN stories s ON s.id = r.story_id "
                "WHERE r.story_id = ANY(%s) AND r.version < s.version ORDER BY r.story_id, r.version",
                (ids,),
            ):
                older[story_id].append(_to_story(doc, self.label))
            logs: dict[str, list[dict[str, Any]]] = {story_id: [] for story_id in ids}
            for story_id, entry in conn.execute(
                "SELECT story_id, entry FROM delivery_log WHERE story_id = ANY(%s) ORDER BY story_id, seq", (ids,)
            ):
                if isinstance(entry, dict):
                    logs[story_id].append(dict(entry))
            return [([*older[story_id], current[story_id]], logs[story_id]) for story_id in ids]

        return self._db.run(read, write=False)

    def revision(self, story_id: str, version: int) -> Story:
        def read(conn: Connection) -> Story:
            current = self._current(conn, story_id)
            if version == current.version:
                return current
            row = conn.execute(
                "SELECT doc FROM revisions WHERE story_id = %s AND version = %s AND version < %s",
                (story_id, version, current.version),
            ).fetchone()
            if row is None:
                raise StoryNotFoundError(story_id, version)
            return _to_story(row[0], self.label)

        return self._db.run(read, write=False)

    def restore(self, story_id: str, version: int, *, user: str) -> Story:
        def write(conn: Connection) -> Story:
            current = self._current(conn, story_id)
            if version == current.version:
                old = current
            else:
                row = conn.execute(
                    "SELECT doc FROM revisions WHERE story_id = %s AND version = %s AND version < %s",
                    (story_id, version, current.version),
                ).fetchone()
                if row is None or version < 1:
                    raise StoryNotFoundError(story_id, version)
                old = _to_story(row[0], self.label)
            from newsroom_tui.domain.workflow import restored_version

            return self._save_in(conn, [restored_version(current, old, user=user, now=now())], user)[0]

        try:
            return self._db.run(write, write=True)
        except pg_errors.UniqueViolation as error:
            raise self._lost_race([self.get(story_id)], error) from error


# -- live desks ------------------------------------------------------------------------------------------
class PostgresChangeListener:
    """LISTEN on `CHANNEL` in a daemon thread with a connection of its own, handing each wake-up's changes
    to `on_changes` and the connection's state to `on_state` (both called in that thread).

    Why a thread and psycopg's `notifies(timeout=…)`: the wait is a `select` on the socket, no CPU while
    nothing happens, and the timeout bounds how long `close` takes to be noticed.  A dropped connection
    (the server stopped or restarted, the network gone) is said once through `on_state(reason)`; the
    thread connects again after 1 s, 2 s, 4 s, then every 5 s, and says `on_state(None)` once it listens
    again: the desk then re-reads everything, since notifications sent meanwhile are lost.  Nothing it
    calls may stop it, and it never prints: a desk's exit must not show a traceback from here.
    """

    def __init__(
        self,
        url: str,
        on_changes: ChangesCallback,
        on_state: StateCallback,
        *,
        own: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.url = url
        self._own = own  # the server pid whose notifications are this desk's own (None: none)
        self._database = _Database(url, check_schema=False)  # for its messages (host, database, no password)
        self._on_changes = on_changes
        self._on_state = on_state
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsroom-listen", daemon=True)
        self._said: str | None = ""  # the last state told ("": nothing yet)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    def start(self) -> PostgresChangeListener:
        self._thread.start()
        return self

    def close(self, wait: float = 0.0) -> None:
        """Stop listening: the thread ends within a second (its wait's timeout), or with the process."""
        self._stop.set()
        if wait > 0 and self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(wait)

    def wait_connected(self, timeout: float) -> bool:
        """For tests and benchmarks: True once LISTEN is in place."""
        return self._connected.wait(timeout)

    def _run(self) -> None:
        delay = _RETRY_FIRST
        while not self._stop.is_set():
            try:
                conn = psycopg.connect(
                    self.url,
                    autocommit=True,
                    connect_timeout=_CONNECT_TIMEOUT,
                    application_name="newsroom-listen",
                    # A network that drops without a word: TCP keepalives notice it in about 11 s
                    # (libpq ignores them on a Unix socket, where a stopped server closes it at once).
                    keepalives=1,
                    keepalives_idle=5,
                    keepalives_interval=2,
                    keepalives_count=3,
                )
            except Exception as error:  # refused, timed out, a bad URL: say so and try again later
                self._tell(self._reason(error))
                self._stop.wait(delay)
                delay = min(delay * 2, _RETRY_CAP)
                continue
            try:
                with conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
                    self._connected.set()
                    delay = _RETRY_FIRST
                    self._tell(None)
                    self._listen(conn)
            except Exception as error:  # the connection dropped while listening
                self._connected.clear()
                if self._stop.is_set():
                    break
                self._tell(self._reason(error))
            self._connected.clear()

    def _listen(self, conn: Connection) -> None:
        while not self._stop.is_set():
            notes = list(conn.notifies(timeout=_LISTEN_WAIT, stop_after=1))
            if not notes:
                continue
            notes += conn.notifies(timeout=_GATHER)  # the rest of a burst
            own = self._own()  # a pid is one live server process's: no other connection sends with ours
            changes = list(dict.fromkeys(Change.from_payload(note.payload) for note in notes if note.pid != own))
            if changes and not self._stop.is_set():
                with contextlib.suppress(Exception):
                    self._on_changes(changes)

    def _reason(self, error: BaseException) -> str:
        return str(self._database.unreachable(error))

    def _tell(self, state: str | None) -> None:
        """The state, when it changed (an outage is said once, not at every retry)."""
        if (state is None) == (self._said is None) and self._said != "":
            return
        self._said = state
        if not self._stop.is_set():
            with contextlib.suppress(Exception):
                self._on_state(state)


# -- the lock book ---------------------------------------------------------------------------------------
# A lock is live while its heartbeat is younger than the expiry and the connection that took or last
# refreshed it is still open: a desk killed with -9 (or a machine that lost power) frees its stories as
# soon as the server notices the connection gone, on whichever machine it ran.
_LIVE = (
    "(l.session = %(me)s OR (l.heartbeat > now() - %(expiry)s "
    "AND EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = l.backend_pid)))"
)
_COLUMNS = "l.story_id, l.user_name, l.host, l.pid, l.since, l.heartbeat, l.session, l.taken_from"


def _lock(row: tuple[Any, ...]) -> Lock:
    story_id, user, host, pid, since, heartbeat, session, taken_from = row[:8]
    return Lock(
        story_id=story_id,
        user=clean_line(user),
        host=clean_line(host),
        pid=int(pid),
        since=since,
        heartbeat=heartbeat,
        session=session,
        taken_from=clean_line(taken_from or ""),
    )


class PostgresLockBook:
    """The lock book (contract.LockKeeper) in the database's `locks` table.  Times are the database's clock
    (`now()`).  Given the `store`, on the store's own connection (a desk's connections are the store's and the
    listener's); a lock's liveness follows that connection, and each heartbeat records it again, so a store
    that reconnected keeps its desk's locks live.  A lock question may then wait for the store's work in hand;
    where the desk asks one on its UI thread (opening a story) it asks the store there too, on that connection."""

    def __init__(
        self,
        url: str,
        *,
        user: str,
        host: str | None = None,
        pid: int | None = None,
        expiry: timedelta = DEFAULT_EXPIRY,
        store: object | None = None,
    ) -> None:
        self.url = url
        self.user = clean_line(user)
        self.host = clean_line(host) if host is not None else socket.gethostname()
        self.pid = pid if pid is not None else os.getpid()
        self.expiry = expiry
        self.session = os.urandom(8).hex()
        self._db, self._own = _shared(url, store)
        self._mine: set[str] = set()
        self._mutex = threading.RLock()

    def close(self) -> None:
        """Drop its own connection without releasing (what a crash does; `release_all` first on a clean exit).
        The store's connection, when shared, is the store's to close."""
        if self._own:
            self._db.drop()

    def _run(self, work: Callable[[Connection], T], *, write: bool = True) -> T:
        try:
            return self._db.run(work, write=write)
        except StoreError as error:
            raise LockError(str(error).replace("cannot be reached", "cannot be reached for the story locks")) from error

    def _params(self, **more: Any) -> dict[str, Any]:
        return {"me": self.session, "expiry": self.expiry, **more}

    # reading
    def all_locks(self) -> dict[str, Lock]:
        rows = self._run(
            lambda conn: conn.execute(f"SELECT {_COLUMNS} FROM locks l WHERE {_LIVE}", self._params()).fetchall(),
            write=False,
        )
        return {row[0]: _lock(row) for row in rows}

    def holder(self, story_id: str) -> Lock | None:
        row = self._run(
            lambda conn: conn.execute(
                f"SELECT {_COLUMNS} FROM locks l WHERE l.story_id = %(id)s AND {_LIVE}",
                self._params(id=story_id),
            ).fetchone(),
            write=False,
        )
        return _lock(row) if row is not None else None

    def still_mine(self, story_id: str) -> bool:
        row = self._run(
            lambda conn: conn.execute("SELECT session FROM locks WHERE story_id = %s", (story_id,)).fetchone(),
            write=False,
        )
        return row is not None and row[0] == self.session

    def held(self) -> list[str]:
        with self._mutex:
            return sorted(self._mine)

    def is_mine(self, lock: Lock) -> bool:
        return lock.session == self.session

    def is_stale(self, lock: Lock) -> bool:
        if lock.session == self.session:
            return False
        row = self._run(
            lambda conn: conn.execute(
                f"SELECT 1 FROM locks l WHERE l.story_id = %(id)s AND l.session = %(session)s AND {_LIVE}",
                self._params(id=lock.story_id, session=lock.session),
            ).fetchone(),
            write=False,
        )
        return row is None

    # writing: each in one transaction, serialised per story by an advisory lock on its id
    def _current(self, conn: Connection, story_id: str) -> tuple[Lock, bool] | None:
        """The story's lock row (lock, live) under the story's advisory lock; None if there is none."""
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('newsroom-lock:' || %s))", (story_id,))
        row = conn.execute(
            f"SELECT {_COLUMNS}, {_LIVE} FROM locks l WHERE l.story_id = %(id)s",
            self._params(id=story_id),
        ).fetchone()
        return (_lock(row), bool(row[8])) if row is not None else None

    def _put(self, conn: Connection, story_id: str, *, keep_since: bool, taken_from: str) -> Lock:
        row = conn.execute(
            "INSERT INTO locks AS l "
            "(story_id, session, user_name, host, pid, backend_pid, since, heartbeat, taken_from) "
            "VALUES (%(id)s, %(me)s, %(user)s, %(host)s, %(pid)s, pg_backend_pid(), now(), now(), %(taken_from)s) "
            "ON CONFLICT (story_id) DO UPDATE SET session = excluded.session, user_name = excluded.user_name, "
            "host = excluded.host, pid = excluded.pid, backend_pid = excluded.backend_pid, "
            "since = CASE WHEN %(keep_since)s THEN l.since ELSE excluded.since END, heartbeat = excluded.heartbeat, "
            "taken_from = excluded.taken_from "
            "RETURNING l.story_id, l.user_name, l.host, l.pid, l.since, l.heartbeat, l.session, l.taken_from",
            {
                "id": story_id,
                "me": self.session,
                "user": self.user,
                "host": self.host,
                "pid": self.pid,
                "taken_from": taken_from,
                "keep_since": keep_since,
            },
        ).fetchone()
        assert row is not None
        return _lock(row)

    def acquire(self, story_id: str) -> LockResult:
        def work(conn: Connection) -> LockResult:
            found = self._current(conn, story_id)
            current, live = found if found is not None else (None, False)
            if current is not None and current.session != self.session and live:
                return LockResult(False, current)
            mine = current is not None and current.session == self.session
            taken_from = current.taken_from if mine and current is not None else ""
            lock = self._put(conn, story_id, keep_since=mine, taken_from=taken_from)
            return LockResult(True, lock, replaced=None if mine else current)

        with self._mutex:
            result = self._run(work)
            if result.ok:
                self._mine.add(story_id)
            return result

    def take_over(self, story_id: str) -> Lock:
        def work(conn: Connection) -> Lock:
            found = self._current(conn, story_id)
            current = found[0] if found is not None else None
            if current is not None and current.session == self.session:
                return self._put(conn, story_id, keep_since=True, taken_from=current.taken_from)
            return self._put(conn, story_id, keep_since=False, taken_from=current.who if current is not None else "")

        with self._mutex:
            lock = self._run(work)
            self._mine.add(story_id)
            return lock

    def release(self, story_id: str) -> None:
        with self._mutex:
            self._mine.discard(story_id)
            self._run(
                lambda conn: conn.execute(
                    "DELETE FROM locks WHERE story_id = %s AND session = %s", (story_id, self.session)
                )
            )

    def release_all(self) -> bool:
        with self._mutex:
            if not self._mine:
                return True
            held = sorted(self._mine)
            try:
                self._run(
                    lambda conn: conn.execute(
                        "DELETE FROM locks WHERE session = %s AND story_id = ANY(%s)", (self.session, held)
                    )
                )
            except LockError:
                return False
            self._mine.clear()
            return True

    def heartbeat(self) -> list[str]:
        """Refresh this book's locks (and the connection they are judged by); the ones someone took."""

        def work(conn: Connection) -> list[str]:
            lost: list[str] = []
            for story_id in sorted(self._mine):
                found = self._current(conn, story_id)
                if found is not None and found[0].session != self.session:
                    lost.append(story_id)
                    continue
                self._put(conn, story_id, keep_since=found is not None, taken_from=found[0].taken_from if found else "")
            return lost

        with self._mutex:
            if not self._mine:
                return []
            lost = self._run(work)
            self._mine.difference_update(lost)
            return lost


# -- the spelling check's shared words -------------------------------------------------------------------
class PostgresDeskWords:
    """The desk dictionary in the database (schema 4): what `WordList` is for a file, for every server."""

    def __init__(self, url: str, *, store: object | None = None) -> None:
        self._db, _ = _shared(url, store)  # given the store, on its connection
        self.path = self._db.label  # what messages name ("Added 'Reznikov' to the desk dictionary (…)")

    def stamp(self) -> tuple[int, int] | None:
        """(count, newest) to notice another editor's change with one small query; None when unreachable."""
        try:
            row = self._db.run(
                lambda conn: conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM desk_words").fetchone(),
                write=False,
            )
        except StoreError:
            return None
        return (int(row[0]), int(row[1])) if row else None

    def words(self) -> list[str]:
        rows = self._db.run(
            lambda conn: conn.execute("SELECT word FROM desk_words ORDER BY folded").fetchall(), write=False
        )
        return [str(row[0]) for row in rows]

    def add(self, word: str) -> bool:
        from newsroom_tui.storage.dictionaries import check_word
        from newsroom_tui.text.spelling import normalise

        word = check_word(word)

        def write(conn: Connection) -> bool:
            cursor = conn.execute(
                "INSERT INTO desk_words (folded, word) VALUES (%s, %s) ON CONFLICT (folded) DO NOTHING",
                (normalise(word), word),
            )
            return cursor.rowcount == 1

        return self._db.run(write, write=True)

    def remove(self, word: str) -> bool:
        from newsroom_tui.text.spelling import normalise

        folded = normalise(word.strip())
        return self._db.run(
            lambda conn: conn.execute("DELETE FROM desk_words WHERE folded = %s", (folded,)).rowcount == 1,
            write=True,
        )


class PostgresIgnoredWords:
    """What each story ignores, in the database (schema 4): `IgnoredWords` for a file, for every server."""

    def __init__(self, url: str, *, store: object | None = None) -> None:
        self._db, _ = _shared(url, store)  # given the store, on its connection
        self.path = self._db.label

    def for_story(self, story_id: str) -> frozenset[str]:
        """Nothing when the database cannot be reached: the checks go on, flagging as before."""
        try:
            rows = self._db.run(
                lambda conn: conn.execute("SELECT word FROM ignored_words WHERE story_id = %s", (story_id,)).fetchall(),
                write=False,
            )
        except StoreError:
            return frozenset()
        return frozenset(str(row[0]) for row in rows)

    def ignore(self, story_id: str, word: str) -> bool:
        from newsroom_tui.storage.dictionaries import MAX_IGNORED_PER_STORY, DictionaryError, check_word

        word = check_word(word)

        def write(conn: Connection) -> bool:
            row = conn.execute("SELECT count(*) FROM ignored_words WHERE story_id = %s", (story_id,)).fetchone()
            if row is not None and int(row[0]) >= MAX_IGNORED_PER_STORY:
                raise DictionaryError(
                    f"A story ignores at most {MAX_IGNORED_PER_STORY} words; add names to the desk dictionary."
                )
            cursor = conn.execute(
                "INSERT INTO ignored_words (story_id, word) VALUES (%s, %s) ON CONFLICT DO NOTHING", (story_id, word)
            )
            return cursor.rowcount == 1

        return self._db.run(write, write=True)

    def unignore(self, story_id: str, word: str) -> bool:
        return self._db.run(
            lambda conn: (
                conn.execute(
                    "DELETE FROM ignored_words WHERE story_id = %s AND word = %s", (story_id, word.strip())
                ).rowcount
                == 1
            ),
            write=True,
        )
