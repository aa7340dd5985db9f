"""The story store: the only code that touches TinyDB.  Atomic, locked across processes, versioned.

Design.  TinyDB is the database API, over a storage of our own (`JournalStorage`) instead of its
`JSONStorage`, which rewrites the whole file in place (a kill leaves garbage, and at 10,000 stories every
save rewrites 44 MB).  The store file is an append-only journal of JSON lines in UTF-8 (Bengali as
itself, not `\\uXXXX`): a header line, then one line per commit holding every story that commit changed.
A save appends one line and fsyncs it, so what it writes is the story saved, not the store; a kill can
only tear the last line, which is the unacknowledged write: it is ignored on read and cut off (under the
lock) before the next append.  Writers take a `flock` on the journal file itself (see
atomicfile.PathLock: a side lock file can be deleted from under them), catch up with what other
processes appended (they `stat` the file and read only the new tail; a new inode means a compaction, so
they reload), then check the story's version and slug before appending: a stale version raises
`ConflictError`, never an overwrite.  Stories are keyed by their own uuid, so TinyDB's per-process id
counter and query cache never decide anything.  Readers keep the parsed state in memory and only `stat`
the file to notice other editors' saves.  Every saved version is also appended to `<store>.revisions`,
which is read (and indexed) only when history is asked for, so it never slows down opening the store.
When superseded lines outweigh both 4 MB and a quarter of the live data, the save that notices compacts
the journal: rewritten to a temporary file in the same folder, fsynced, renamed over the store (the
previous file is kept as `<store>.bak`), and the folder fsynced.  Anything that is not a whole journal
line before the end of the file is damage: the store refuses to open and says where, instead of
repairing anything silently.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from itertools import compress
from operator import is_not
from pathlib import Path
from typing import Any, NoReturn, cast

from tinydb import TinyDB
from tinydb.storages import Storage

from newsroom_tui.domain.listing import ROWS_A_PAGE, StoryRow, newest_first
from newsroom_tui.domain.model import Status, Story, now, stored_datetime
from newsroom_tui.domain.search import SearchHit, SearchQuery, search_text_of, snippet_for
from newsroom_tui.storage.atomicfile import LockTimeout, PathLock, real_path
from newsroom_tui.storage.atomicfile import copy_permissions as _copy_permissions
from newsroom_tui.storage.atomicfile import fsync_dir as _fsync_dir
from newsroom_tui.storage.atomicfile import make_folder as _make_folder
from newsroom_tui.storage.atomicfile import remove_temporaries as _remove_temporaries
from newsroom_tui.storage.atomicfile import temporary_name as _temporary_name
from newsroom_tui.storage.atomicfile import write_all as _write_all
from newsroom_tui.storage.atomicfile import write_atomically as _write_atomically
from newsroom_tui.storage.copying import copy_word
from newsroom_tui.storage.errors import (
    ConflictError,
    SlugTakenError,
    StoreBusyError,
    StoreCorruptError,
    StoreError,
    StoreLostCommitsError,
    StoreReadOnlyError,
    StoryNotFoundError,
)
from newsroom_tui.storage.journal import (
    JOURNAL_FORMAT,
    JOURNAL_VERSION,
    TABLE,
    JournalPosition,
    parse_journal_entry,
    parse_journal_line,
)
from newsroom_tui.storage.journal import without_lone_surrogates as _without_lone_surrogates
from newsroom_tui.text.safety import clean_line

__all__ = [
    "JOURNAL_FORMAT",
    "TABLE",
    "ConflictError",
    "JournalPosition",
    "JournalStorage",
    "SlugTakenError",
    "StoreBusyError",
    "StoreCorruptError",
    "StoreError",
    "StoreLostCommitsError",
    "StoreReadOnlyError",
    "StoryNotFoundError",
    "StoryStore",
    "parse_journal_line",
]

# What went where (one document per story: {"story_id", "entries": [deliver entries]}), journaled like the
# stories but never a story version: recording a delivery must not make the version that went out stale.
DELIVERY_TABLE = "deliveries"
# The purge log (one document per purge: who, when, why, and each story as it was), journaled like the
# stories: `delete` removes stories and records itself in one commit, so a purge is never unrecorded.
PURGE_TABLE = "purges"
HEADER = json.dumps({"format": JOURNAL_FORMAT, "version": JOURNAL_VERSION}).encode() + b"\n"
# Compact when superseded bytes exceed both of these: opening then parses at most 1.25 x the live data.
COMPACT_MIN_DEAD_BYTES = 4 * 1024 * 1024
COMPACT_DEAD_RATIO = 0.25
_READ_CHUNK = 8 * 1024 * 1024
POSITION_CHECK_BYTES = 64
_REVISION_PREFIX = b'{"key": '
_REVISION_DOC = b', "doc": '
_SEQ_AT_END = re.compile(rb', "seq": (\d+)\}$')

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_fdatasync: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)


# -- the TinyDB storage ---------------------------------------------------------------------------------
class _FrozenDoc(dict[str, Any]):
    """A stored document.

    The storage finds what a TinyDB operation changed by which documents were replaced; an in-place edit
    (TinyDB's `update`) would slip past the journal, so it is refused loudly instead.
    """

    __slots__ = ()

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise TypeError("stored documents are replaced (remove + insert), never changed in place")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = __ior__ = _refuse


# table name, document id, old document, new document (None: absent)
Change = tuple[str, str, Mapping[str, Any] | None, Mapping[str, Any] | None]
# Called with the changes another process (or our own commit) made; None means "reloaded: anything may
# have changed".
Listener = Callable[[list[Change] | None], None]


class JournalStorage(Storage):
    """A TinyDB storage over an append-only, fsynced JSON-lines journal shared by several processes.

    Writes happen inside `transaction()` (file lock held, other processes' writes caught up first); a
    TinyDB write outside one is wrapped in its own.  See the module docstring for the layout.
    """

    def __init__(self, path: str, *, lock_timeout: float = 10.0, check_acknowledged: bool = True) -> None:
        # Resolved once: a later chdir must not move the store, and every side file goes beside the real
        # file, so a symlink and the real path are one store (and a compaction replaces the file, not the link).
        self.path = real_path(path)
        self.revisions_path = self.path.with_name(self.path.name + ".revisions")
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.lock_timeout = lock_timeout
        self.listener: Listener | None = None
        # How many times other processes' writes were picked up; the UI compares it between polls.
        self.remote_changes = 0
        self._tables: dict[str, dict[str, _FrozenDoc]] = {}
        self._rfd: int | None = None  # read descriptor on the loaded file (pins its inode)
        self._wfd: int | None = None  # append descriptor, opened on first write
        self._ident: tuple[int, int] = (0, 0)
        self._seen: tuple[int, int] = (-1, -1)  # size, mtime_ns at the last look
        self._consumed = 0  # bytes of whole lines applied
        self._lines = 0  # whole lines applied (the header is line 1)
        # The last commit's sequence number (0: none yet, or a store written before commits had them), and
        # where its line is (offset, length), for the revision lines of a writer killed between its writes.
        self._seq = 0
        self._last_line: tuple[int, int] | None = None
        self._doc_bytes: dict[tuple[str, str], int] = {}  # journal bytes of each live document
        self._live_bytes = 0
        self._pending: dict[tuple[str, str], tuple[_FrozenDoc | None, bytes | None]] | None = None
        self._compact_retry_at = 0
        self._revisions = _RevisionJournal(self.revisions_path)
        self._closed = False
        self._lock = PathLock(self.path, timeout=lock_timeout)  # the journal itself: see atomicfile.PathLock
        # Refuse to open a journal that lost acknowledged commits (see `_check_acknowledged`); `repair` opens
        # it without, to put them back.
        self._check_acknowledged_on_load = check_acknowledged
        self._open()

    # TinyDB's interface --------------------------------------------------------------------------------
    def read(self) -> dict[str, dict[str, Any]]:
        self._check_open()
        # A fresh outer dict: TinyDB assigns the updated table into it before calling write().
        return dict(self._tables)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._check_open()
        changes = self._diff(data)
        if not changes:
            return
        if self._pending is None:
            with self.transaction():  # other processes' writes may arrive here: apply ours on top
                self._stage(changes, adopt=None)
        else:  # inside a transaction TinyDB built its tables from exactly our state: adopt them
            self._stage(changes, adopt=data)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        for fd in (self._rfd, self._wfd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._rfd = self._wfd = None
        self._revisions.close()

    # Beyond TinyDB ---------------------------------------------------------------------------------------
    def position(self) -> JournalPosition:
        """Where the documents in memory were read up to (call `sync` first for the latest)."""
        self._check_open()
        assert self._rfd is not None
        length = min(POSITION_CHECK_BYTES, self._consumed)
        try:
            check = os.pread(self._rfd, length, self._consumed - length)
        except OSError as error:
            raise self._read_error(error) from error
        return JournalPosition(self._ident[0], self._ident[1], self._consumed, check)

    def documents(self, table: str) -> Mapping[str, Mapping[str, Any]]:
        """One table's stored documents by id, as loaded (no sync), for reading only.

        Iterating a TinyDB table wraps each document in a new `Document`: 50 ms at 10,000 stories,
        paid at every start for the slug index and again for the list.
        """
        return self._tables.get(table, {})

    def document(self, table: str, doc_id: str) -> Mapping[str, Any] | None:
        """One stored document, as loaded (no sync), for reading only; None if absent."""
        self._check_open()
        return self._tables.get(table, {}).get(doc_id)

    def sync(self) -> bool:
        """Catch up with other processes' writes for the price of a `stat`; True if any arrived."""
        self._check_open()
        st = self._stat()
        if self._rfd is None or (st.st_dev, st.st_ino) != self._ident or st.st_size < self._consumed:
            self._load()
            self.remote_changes += 1
            self._notify(None)
            return True
        if (st.st_size, st.st_mtime_ns) == self._seen:
            return False
        changes = self._read_tail(st.st_size) if st.st_size > self._consumed else []
        # Only now: a damaged tail must be reported again on the next look, not forgotten.
        self._seen = (st.st_size, st.st_mtime_ns)
        if not changes:
            return False
        self.remote_changes += 1
        self._notify(changes)
        return True

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the file lock, catch up, and commit every write made inside as one fsynced line.

        All or nothing: if the body raises, the in-memory state is rolled back and nothing is written.
        """
        self._check_open()
        if self._pending is not None:
            raise RuntimeError("store transactions do not nest")
        self._refuse_if_read_only()
        self._acquire()
        try:
            self.sync()
            snapshot = dict(self._tables)
            self._pending = {}
            try:
                yield
                pending = self._pending
            except BaseException:
                self._tables = snapshot
                raise
            finally:
                self._pending = None
            if pending:
                self._commit(pending, snapshot)
        finally:
            self._lock.release()

    def compact(self) -> None:
        """Rewrite the journal with only the live documents (normally done by saves, when worth it)."""
        self._check_open()
        self._refuse_if_read_only()
        self._acquire()
        try:
            self.sync()
            self._compact_locked()
        finally:
            self._lock.release()

    def read_only_reason(self) -> str | None:
        """Why nothing can be saved to this store (one sentence), or None when it may be written.

        Read-only means no write permission for this user (`access`, which also knows a read-only file
        system), or no write bits at all: a store made 0444 on purpose is not written by root either, who
        would otherwise ignore the mode.  Costs a `stat` and an `access`: asked at every save and open.
        """
        try:
            st = os.stat(self.path)
            writable = bool(st.st_mode & 0o222) and os.access(self.path, os.W_OK)
        except OSError:
            return None  # a store that cannot be looked at says so itself, at the save
        if writable:
            return None
        return f"The story store {self.path} is read-only (no write permission), so nothing can be saved to it."

    def history(self, table: str, doc_id: str) -> list[dict[str, Any] | None]:
        """Every committed version of one document, oldest first (None where it was removed)."""
        self._check_open()
        return self._revisions.history(table, doc_id)

    def where(self, table: str, doc_id: str, doc: Mapping[str, Any]) -> str:
        """Which file and line hold `doc` (the current document, or one of its revisions), for a message.

        Only called when something stored cannot be read, so it may read the file again.
        """
        if self._tables.get(table, {}).get(doc_id) is doc:
            key = _json_bytes(doc_id)
            try:
                lines = _read_from(self._rfd, 0).split(b"\n") if self._rfd is not None else []
            except OSError:
                lines = []
            for lineno in range(min(len(lines), self._lines), 1, -1):
                line = lines[lineno - 1]
                if key in line:
                    with contextlib.suppress(ValueError):
                        if doc_id in parse_journal_line(line).get(table, {}):
                            return f"line {lineno} of {self.path}"
            return str(self.path)
        for revision, lineno in self._revisions.history_lines(table, doc_id):
            if revision == doc:
                return f"line {lineno} of {self.revisions_path}"
        return str(self.revisions_path)

    # opening and loading ---------------------------------------------------------------------------------
    def _open(self) -> None:
        if self.path.is_dir():
            raise StoreError(f"The story store {self.path} is a folder, not a file.")
        try:
            _make_folder(self.path.parent)  # private (0700) where newsroom makes it; an existing one keeps its mode
        except OSError as error:
            raise StoreError(f"Cannot create the folder for the story store {self.path}: {_reason(error)}.") from error
        size = self._size_or_none()
        if not size:
            if size is None:
                with contextlib.suppress(FileExistsError):  # another process may be making it too
                    os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600))
            self._acquire()
            try:
                if not self._size_or_none():  # the lock is on this file: the header goes into it, not a new one
                    fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | _CLOEXEC)
                    try:
                        _write_all(fd, HEADER)
                        os.fsync(fd)
                    finally:
                        os.close(fd)
                    _fsync_dir(self.path.parent)
            except OSError as error:
                raise StoreError(f"Cannot create the story store {self.path}: {_reason(error)}.") from error
            finally:
                self._lock.release()
        self._load()
        self._clean_temporaries()

    def _size_or_none(self) -> int | None:
        try:
            return os.stat(self.path).st_size
        except FileNotFoundError:
            return None
        except OSError as error:
            raise self._read_error(error) from error

    def _stat(self) -> os.stat_result:
        try:
            return os.stat(self.path)
        except FileNotFoundError as error:
            raise StoreError(f"The story store {self.path} has disappeared (moved or deleted).") from error
        except OSError as error:
            raise self._read_error(error) from error

    def _read_error(self, error: OSError) -> StoreError:
        if isinstance(error, IsADirectoryError):
            return StoreError(f"The story store {self.path} is a folder, not a file.")
        return StoreError(f"Cannot read the story store {self.path}: {_reason(error)}.")

    def _load(self) -> None:
        """Read the whole journal afresh (at open, or after another process compacted it)."""
        # What the revisions file knows was acknowledged, read before the journal is even opened: a commit is
        # appended (and fsynced) to the journal before its revisions, so the journal file opened next (the
        # same one, or a compaction's, which keeps every commit) holds at least that commit.
        acknowledged = self._revisions.last_seq() if self._check_acknowledged_on_load else None
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError as error:
            raise self._read_error(error) from error
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise StoreError(f"The story store {self.path} is a folder, not a file.")
            data = _read_from(fd, 0)
            tables, doc_bytes, consumed, lines, seq, last_line = self._parse_journal(data)
            if acknowledged is not None:
                self._check_acknowledged(acknowledged, seq, torn=consumed < len(data))
        except OSError as error:
            os.close(fd)
            raise self._read_error(error) from error
        except BaseException:
            os.close(fd)
            raise
        if self._rfd is not None:
            os.close(self._rfd)
        if self._wfd is not None:
            os.close(self._wfd)
            self._wfd = None
        self._rfd = fd
        self._ident = (st.st_dev, st.st_ino)
        self._seen = (st.st_size, st.st_mtime_ns)
        self._tables = tables
        self._doc_bytes = doc_bytes
        self._live_bytes = sum(doc_bytes.values())
        self._consumed = consumed
        self._lines = lines
        self._seq = seq
        self._last_line = last_line

    def _parse_journal(
        self, data: bytes
    ) -> tuple[dict[str, dict[str, _FrozenDoc]], dict[tuple[str, str], int], int, int, int, tuple[int, int] | None]:
        """tables, bytes per document, bytes consumed, lines, the last commit's sequence number, its line."""
        if not data or (b"\n" not in data and HEADER.startswith(data)):
            # New, or torn while its header was first written: an empty store.
            return {}, {}, 0, 0, 0, None
        end = data.find(b"\n")
        header_seq = self._header_seq(data[:end]) if end >= 0 else None
        if header_seq is None:
            raise StoreCorruptError(
                f"{self.path} is not a newsroom story store (it does not start with the store's header "
                f"line), so it was left untouched."
            )
        consumed = data.rfind(b"\n") + 1  # anything after the last newline is a torn, unacknowledged write
        tables: dict[str, dict[str, _FrozenDoc]] = {}
        doc_bytes: dict[tuple[str, str], int] = {}
        lines = data.split(b"\n")
        del lines[0], lines[-1]  # the header; the torn line or the empty piece after the final newline
        seq = header_seq
        last_line: tuple[int, int] | None = None
        offset = end + 1
        gc_was_enabled = gc.isenabled()
        gc.disable()  # hundreds of thousands of new containers: the collector would only slow this down
        try:
            for lineno, line in enumerate(lines, start=2):
                line_seq, tx = self._parse_line(line, lineno)
                if line_seq is not None:
                    seq, last_line = line_seq, (offset, len(line) + 1)
                offset += len(line) + 1
                share = (len(line) + 1) // max(1, sum(len(docs) for docs in tx.values()))
                for name, docs in tx.items():
                    table = tables.setdefault(name, {})
                    for doc_id, doc in docs.items():
                        if doc is None:
                            table.pop(doc_id, None)
                            doc_bytes.pop((name, doc_id), None)
                        else:
                            table[doc_id] = _FrozenDoc(doc)
                            doc_bytes[(name, doc_id)] = share
        finally:
            if gc_was_enabled:
                gc.enable()
        return tables, doc_bytes, consumed, len(lines) + 1, seq, last_line

    def _header_seq(self, line: bytes) -> int | None:
        """The sequence number a header carries (a compacted journal's last commit; 0 for a new or older
        store), or None when the line is not a store header."""
        try:
            header = json.loads(line)
        except (ValueError, RecursionError):
            return None
        if not isinstance(header, dict) or header.get("format") != JOURNAL_FORMAT:
            return None
        version = header.get("version")
        if not isinstance(version, int) or version > JOURNAL_VERSION:
            raise StoreError(
                f"The story store {self.path} was written by a newer newsroom (format {version!r}); "
                f"update newsroom to open it."
            )
        seq = header.get("seq", 0)
        return seq if type(seq) is int and seq >= 0 else 0

    def _check_acknowledged(self, acknowledged: int, seq: int, *, torn: bool) -> None:
        """Refuse a journal that lost commits the revisions file knows were acknowledged.

        A writer appends and fsyncs its journal line first and its revision lines after, so a revision line
        with sequence number N means commit N was whole in the journal.  A journal whose last commit is
        older was cut by something other than a killed writer (`truncate`, a restored copy, a disk): its
        torn tail is not an unacknowledged write to cut off.  Nothing is cut or changed; `repair` puts the
        lost commits back from the revisions file.  A journal with no numbered commit at all (new, or
        written before commits had numbers) is only checked when it has a torn tail.
        """
        if acknowledged <= seq or (seq == 0 and not torn):
            return
        lost = self._revisions.commits_after(seq)
        stories = [doc for commit in lost.values() for table, _, doc in commit if table == TABLE and doc]
        shown = ", ".join(
            f"“{clean_line(str(doc.get('headline') or doc.get('id') or '?'))[:40]}”" for doc in stories[:3]
        )
        more = f" and {len(stories) - 3} more" if len(stories) > 3 else ""
        count = acknowledged - seq
        saves = "save" if count == 1 else f"{count} saves"
        raise StoreLostCommitsError(
            f"The story store {self.path} has lost its last acknowledged {saves} ({shown or 'no story'}{more}), "
            f"which {self.revisions_path} still holds; nothing was cut, and `newsroom repair --db {self.path}` "
            f"puts them back (keeping the damaged file as a copy)."
        )

    def _parse_line(self, line: bytes, lineno: int) -> tuple[int | None, dict[str, dict[str, dict[str, Any] | None]]]:
        try:
            return parse_journal_entry(line)
        except UnicodeDecodeError as error:
            raise StoreCorruptError(self._damaged(lineno, "not valid JSON")) from error
        except ValueError as error:
            raise StoreCorruptError(self._damaged(lineno, str(error))) from error

    def _damaged(self, lineno: int, what: str) -> str:
        if self.backup_path.exists():
            hint = f"; the last good copy is {self.backup_path}"
        elif self.revisions_path.exists():
            hint = f"; every saved version is also in {self.revisions_path}"
        else:
            hint = ""
        return f"The story store {self.path} is damaged at line {lineno} ({what}) and was left untouched{hint}."

    def _read_tail(self, size: int) -> list[Change]:
        """Apply the whole lines other processes appended since we last looked."""
        assert self._rfd is not None
        try:
            tail = os.pread(self._rfd, size - self._consumed, self._consumed)
        except OSError as error:
            raise self._read_error(error) from error
        end = tail.rfind(b"\n") + 1  # a line still being written (or torn) waits for the next look
        if not end:
            return []
        if self._consumed == 0:
            # The file was empty (or torn in its header) when we opened it.
            if not tail.startswith(HEADER):
                self._load()
                return []
            self._consumed, self._lines = len(HEADER), 1
            tail, end = tail[len(HEADER) :], end - len(HEADER)
        entries: list[tuple[dict[str, dict[str, dict[str, Any] | None]], int]] = []
        position = self._consumed
        for offset, line in enumerate(tail[:end].split(b"\n")[:-1]):
            line_seq, tx = self._parse_line(line, self._lines + offset + 1)
            if line_seq is not None:
                self._seq, self._last_line = line_seq, (position, len(line) + 1)
            entries.append((tx, len(line) + 1))
            position += len(line) + 1
        changes: list[Change] = []
        updated: dict[str, dict[str, _FrozenDoc]] = {}
        for tx, length in entries:
            share = length // max(1, sum(len(docs) for docs in tx.values()))
            for name, docs in tx.items():
                table = updated.get(name)
                if table is None:
                    table = updated[name] = dict(self._tables.get(name, {}))
                for doc_id, doc in docs.items():
                    new = None if doc is None else _FrozenDoc(doc)
                    changes.append((name, doc_id, table.get(doc_id), new))
                    self._account(name, doc_id, share if new is not None else None)
                    if new is None:
                        table.pop(doc_id, None)
                    else:
                        table[doc_id] = new
        self._tables = {**self._tables, **updated}
        self._consumed += end
        self._lines += len(entries)
        return changes

    def _account(self, table: str, doc_id: str, size: int | None) -> None:
        self._live_bytes -= self._doc_bytes.pop((table, doc_id), 0)
        if size is not None:
            self._doc_bytes[(table, doc_id)] = size
            self._live_bytes += size

    def _notify(self, changes: list[Change] | None) -> None:
        if self.listener is not None:
            self.listener(changes)

    # writing ---------------------------------------------------------------------------------------------
    def _refuse_if_read_only(self) -> None:
        reason = self.read_only_reason()
        if reason is not None:
            raise StoreReadOnlyError(reason)

    def _acquire(self) -> None:
        self._lock.timeout = self.lock_timeout
        try:
            self._lock.acquire()
        except LockTimeout as error:
            raise StoreBusyError(
                f"The story store {self.path} is busy: another newsroom process has held its lock "
                f"for more than {self.lock_timeout:g} seconds."
            ) from error
        except FileNotFoundError as error:
            raise StoreError(f"The story store {self.path} has disappeared (moved or deleted).") from error
        except OSError as error:
            raise StoreError(f"Cannot lock the story store {self.path}: {_reason(error)}.") from error

    def _diff(self, data: dict[str, dict[str, Any]]) -> dict[tuple[str, str], Mapping[str, Any] | None]:
        """What a TinyDB write changed: documents added, replaced (a new object) or removed.

        Identity, not equality, and at C speed: a save costs microseconds per stored story, not a
        comparison of every document.
        """
        changes: dict[tuple[str, str], Mapping[str, Any] | None] = {}
        for name, new_table in data.items():
            old_table: Mapping[str, Any] = self._tables.get(name, {})
            if new_table is old_table:
                continue
            is_new = map(is_not, new_table.values(), map(old_table.get, new_table))
            replaced = list(compress(new_table, is_new))
            for doc_id in replaced:
                changes[(name, str(doc_id))] = new_table[doc_id]
            added = sum(1 for doc_id in replaced if doc_id not in old_table)
            if len(new_table) - added != len(old_table):
                for doc_id in old_table.keys() - new_table.keys():
                    changes[(name, doc_id)] = None
        for name in self._tables.keys() - data.keys():
            for doc_id in self._tables[name]:
                changes[(name, doc_id)] = None
        return changes

    def _stage(
        self,
        changes: dict[tuple[str, str], Mapping[str, Any] | None],
        *,
        adopt: dict[str, dict[str, Any]] | None,
    ) -> None:
        """Apply changes in memory and queue them for the commit; serialise first so errors change nothing."""
        assert self._pending is not None
        staged: dict[tuple[str, str], tuple[_FrozenDoc | None, bytes | None]] = {}
        for key, doc in changes.items():
            if doc is None:
                staged[key] = (None, None)
                continue
            frozen = doc if isinstance(doc, _FrozenDoc) else _FrozenDoc(doc)
            try:
                encoded = json.dumps(frozen, ensure_ascii=False).encode("utf-8")
            except (TypeError, ValueError) as error:  # includes UnicodeEncodeError (a lone surrogate)
                raise StoreError(f"Cannot save document {key[1]}: {error}.") from error
            staged[key] = (frozen, encoded)
        updated: dict[str, dict[str, _FrozenDoc]] = {}
        for (name, doc_id), (stored, _) in staged.items():
            table = updated.get(name)
            if table is None:
                # TinyDB's fresh table dict (it keeps no reference) saves copying every document's slot.
                table = adopt[name] if adopt is not None and name in adopt else dict(self._tables.get(name, {}))
                updated[name] = table
            if stored is None:
                table.pop(doc_id, None)
            else:
                table[doc_id] = stored
        self._tables = {**self._tables, **updated}
        self._pending.update(staged)

    def _commit(
        self,
        pending: dict[tuple[str, str], tuple[_FrozenDoc | None, bytes | None]],
        snapshot: dict[str, dict[str, _FrozenDoc]],
    ) -> None:
        """Append one journal line (and the revision lines), fsync both; roll back memory on failure."""
        seq = self._seq + 1
        by_table: dict[str, list[bytes]] = {}
        revision_lines: list[bytes] = []
        for (name, doc_id), (_, encoded) in pending.items():
            value = encoded if encoded is not None else b"null"
            by_table.setdefault(name, []).append(_json_bytes(doc_id) + b": " + value)
            revision_lines.append(_revision_line(name, doc_id, value, seq))
        line = _journal_line(seq, by_table)
        start = self._consumed
        prefix = b"" if start else HEADER
        appending = False
        try:
            wfd = self._writer()
            self._cut_torn_line(wfd, start)
            missing = self._missing_revisions()
            # The journal line first, then the revisions: a revision line numbered N then proves that commit
            # N was whole in the journal, which is how a lost acknowledged commit is told from a torn write.
            appending = True
            _write_all(wfd, prefix + line)
            _fdatasync(wfd)
            self._revisions.append(missing + b"".join(revision_lines), like=self._rfd)
        except BaseException as error:
            self._tables = snapshot
            if appending:  # take back whatever part of the line got written: it was never acknowledged
                with contextlib.suppress(OSError):
                    os.ftruncate(wfd, start)
            if isinstance(error, OSError):
                raise StoreError(f"Could not save to the story store {self.path}: {_reason(error)}.") from error
            raise
        self._consumed = start + len(prefix) + len(line)
        self._lines += 2 if prefix else 1
        self._seq, self._last_line = seq, (start + len(prefix), len(line))
        st = os.fstat(wfd)
        self._seen = (st.st_size, st.st_mtime_ns)
        share = len(line) // len(pending)
        changes: list[Change] = []
        for (name, doc_id), (frozen, _) in pending.items():
            changes.append((name, doc_id, snapshot.get(name, {}).get(doc_id), frozen))
            self._account(name, doc_id, share if frozen is not None else None)
        self._notify(changes)
        dead = self._consumed - len(HEADER) - self._live_bytes
        threshold = max(COMPACT_MIN_DEAD_BYTES, COMPACT_DEAD_RATIO * self._live_bytes)
        if dead > threshold and self._consumed >= self._compact_retry_at:
            # The save is already safe; a failed compaction (disk full…) leaves the journal as it was,
            # and is tried again only once as much again has been written, so saves stay fast meanwhile.
            try:
                self._compact_locked()
            except OSError:
                self._compact_retry_at = self._consumed + int(threshold)

    def _cut_torn_line(self, wfd: int, start: int) -> None:
        """Cut off what a killed writer left after the last whole line: it was never acknowledged.

        Called under the lock after catching up, so nobody is writing; whole lines are never cut.
        """
        size = os.fstat(wfd).st_size
        if size == start:
            return
        assert self._rfd is not None
        if size < start or b"\n" in os.pread(self._rfd, size - start, start):
            raise StoreError(f"The story store {self.path} changed unexpectedly while saving; try again.")
        # Under the lock no writer is between its two writes: a revision line newer than the last whole
        # commit means the tail is what is left of an acknowledged commit, which must not be cut.
        acknowledged = self._revisions.last_seq()
        if acknowledged is not None:
            self._check_acknowledged(acknowledged, self._seq, torn=True)
        os.ftruncate(wfd, start)

    def _missing_revisions(self) -> bytes:
        """The revision lines of the last commit, when its writer was killed after its journal line was
        fsynced but before its revisions were: history would lack that version otherwise."""
        if self._last_line is None or self._rfd is None or self._revisions.last_seq() != self._seq - 1:
            return b""
        offset, length = self._last_line
        try:
            seq, tx = parse_journal_entry(os.pread(self._rfd, length, offset).rstrip(b"\n"))
        except (OSError, ValueError):
            return b""
        if seq != self._seq:
            return b""
        return b"".join(
            _revision_line(name, doc_id, b"null" if doc is None else _json_bytes(doc), self._seq)
            for name, docs in tx.items()
            for doc_id, doc in docs.items()
        )

    def repair(self) -> tuple[int, Path] | None:
        """Put back the acknowledged commits a damaged journal lost, from the revisions file.

        Under the lock: the damaged journal is copied first (`<store>.damaged-<time>`, fsynced), then its
        torn tail is cut and the lost commits are appended as they were committed.  Returns how many were put
        back and where the copy is; None when nothing was lost.  Any other damage raises as opening does.
        """
        self._check_open()
        self._acquire()
        try:
            self._load()
            assert self._rfd is not None
            acknowledged = self._revisions.last_seq()
            size = os.fstat(self._rfd).st_size
            if acknowledged is None or acknowledged <= self._seq or (self._seq == 0 and size == self._consumed):
                return None
            lost = self._revisions.commits_after(self._seq)
            stamp = now().strftime("%Y%m%dT%H%M%S")
            copy = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
            _write_atomically(copy, [_read_from(self._rfd, 0)], like=os.fstat(self._rfd))
            lines = []
            for seq, commit in lost.items():
                by_table: dict[str, list[bytes]] = {}
                for name, doc_id, doc in commit:
                    value = b"null" if doc is None else _json_bytes(doc)
                    by_table.setdefault(name, []).append(_json_bytes(doc_id) + b": " + value)
                lines.append(_journal_line(seq, by_table))
            wfd = self._writer()
            os.ftruncate(wfd, self._consumed)
            _write_all(wfd, (b"" if self._consumed else HEADER) + b"".join(lines))
            _fdatasync(wfd)
            self._load()
            return len(lost), copy
        except OSError as error:
            raise StoreError(f"Could not repair the story store {self.path}: {_reason(error)}.") from error
        finally:
            self._lock.release()

    def _writer(self) -> int:
        if self._wfd is None:
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
            except PermissionError as error:
                raise StoreReadOnlyError(
                    f"The story store {self.path} is read-only (no write permission), so nothing can be saved to it."
                ) from error
            st = os.fstat(fd)
            if (st.st_dev, st.st_ino) != self._ident:  # cannot happen under the lock after sync(); be sure
                os.close(fd)
                raise StoreError(f"The story store {self.path} was replaced while saving; try again.")
            self._wfd = fd
        return self._wfd

    def _compact_locked(self) -> None:
        assert self._rfd is not None
        # The header keeps the last commit's number, so the check against the revisions file still holds.
        chunks: list[bytes] = [_header(self._seq)]
        doc_bytes: dict[tuple[str, str], int] = {}
        for name, table in self._tables.items():
            prefix = b'{"tx": {' + _json_bytes(name) + b": {"
            for doc_id, doc in table.items():
                line = prefix + _json_bytes(doc_id) + b": " + json.dumps(doc, ensure_ascii=False).encode() + b"}}}\n"
                chunks.append(line)
                doc_bytes[(name, doc_id)] = len(line)
        like = os.fstat(self._rfd)
        self._clean_temporaries(locked=True)
        keep = _temporary_name(self.backup_path)
        try:  # the journal as it was before this compaction stays as the last good copy
            os.link(self.path, keep)
            os.replace(keep, self.backup_path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(keep)
        try:  # the new file is locked before it is renamed in: a newcomer waits for this transaction too
            _write_atomically(self.path, chunks, like=like, before_replace=self._lock.successor)
        except BaseException:
            self._lock.drop_successor()
            raise
        self._lock.adopt_successor()
        # The content is what we hold in memory already: adopt the new file without parsing it again.
        fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        st = os.fstat(fd)
        for old in (self._rfd, self._wfd):
            if old is not None:
                os.close(old)
        self._rfd, self._wfd = fd, None
        self._ident = _ident(st)
        self._seen = (st.st_size, st.st_mtime_ns)
        self._consumed = sum(len(chunk) for chunk in chunks)
        self._lines = len(chunks)
        self._last_line = None  # its revisions were written with it
        self._doc_bytes = doc_bytes
        self._live_bytes = sum(doc_bytes.values())

    def _clean_temporaries(self, *, locked: bool = False) -> None:
        """Remove temporary files a crash left behind; only under the lock, where none can be in use.

        Our temporaries (compaction, creation, backup) are all named .<store name>.*.tmp.
        """
        _remove_temporaries(self.path, ".tmp", lock=None if locked else (lambda: self._lock))

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"The story store {self.path} is closed.")


class _RevisionJournal:
    """`<store>.revisions`: every committed version, one JSON line each, indexed lazily by document.

    A line is `{"key": [table, id], "doc": {...}}`; the key is found without parsing the document, so
    building the index reads the file once and parses only what a history request asks for.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._rfd: int | None = None
        self._wfd: int | None = None
        self._ident: tuple[int, int] = (0, 0)
        self._consumed = 0
        self._lines = 0
        self._index: dict[bytes, list[tuple[int, int, int]]] = {}  # key -> (offset, length, line number)

    def append(self, data: bytes, *, like: int | None) -> None:
        """Append lines (under the store lock), cutting off a torn line a killed writer left first."""
        fd = self._writer(like)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            size = _last_line_end(fd, size)
            os.ftruncate(fd, size)
        try:
            _write_all(fd, data)
            _fdatasync(fd)
        except BaseException:
            # The journal line is taken back too: revision lines of a commit that failed must not make a
            # later open take it for an acknowledged one.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise

    def last_seq(self) -> int | None:
        """The sequence number of the last whole line (None: no file, no lines, or written before numbers).

        A revisions file that cannot be read (permissions) is "don't know": it must not stop the store
        from opening, and a save reports it when it appends.
        """
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            size = os.fstat(fd).st_size
            end = _last_line_end(fd, size)  # past the last newline: a torn line after it is not whole
            if end == 0:
                return None
            tail = os.pread(fd, min(end, 64), end - min(end, 64))
        except OSError:
            return None
        finally:
            os.close(fd)
        found = _SEQ_AT_END.search(tail)
        return int(found.group(1)) if found else None

    def commits_after(self, seq: int) -> dict[int, list[tuple[str, str, dict[str, Any] | None]]]:
        """The revision lines numbered above `seq`, by commit: what a journal cut short lost (repair only)."""
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise StoreError(f"Cannot read the revisions file {self.path}: {_reason(error)}.") from error
        commits: dict[int, list[tuple[str, str, dict[str, Any] | None]]] = {}
        lines = data.split(b"\n")[:-1]
        # From the end back to the first line at or below `seq`: the lost commits are the last ones.
        for lineno in range(len(lines), 0, -1):
            line = lines[lineno - 1]
            found = _SEQ_AT_END.search(line[-64:])
            if found is None or int(found.group(1)) <= seq:
                break
            try:
                entry = json.loads(line)
                (table, doc_id), doc = entry["key"], entry["doc"]
                if not isinstance(table, str) or not isinstance(doc_id, str):
                    raise TypeError("not a key")
                if doc is not None and not isinstance(doc, dict):
                    raise TypeError("not a document")
            except (ValueError, KeyError, TypeError, RecursionError) as error:
                raise StoreCorruptError(
                    f"The revisions file {self.path} is damaged at line {lineno} and was left untouched."
                ) from error
            commits.setdefault(int(found.group(1)), []).insert(0, (table, doc_id, doc))
        return dict(sorted(commits.items()))

    def history(self, table: str, doc_id: str) -> list[dict[str, Any] | None]:
        return [doc for doc, _ in self.history_lines(table, doc_id)]

    def history_lines(self, table: str, doc_id: str) -> list[tuple[dict[str, Any] | None, int]]:
        """Every committed version of one document with the line it is on, oldest first."""
        self._catch_up()
        if self._rfd is None:
            return []
        docs: list[tuple[dict[str, Any] | None, int]] = []
        for offset, length, lineno in self._index.get(_json_bytes([table, doc_id]), ()):
            line = os.pread(self._rfd, length, offset)
            try:
                doc = json.loads(line)["doc"]
                if doc is not None and not isinstance(doc, dict):
                    raise TypeError("not a document")
            except (ValueError, KeyError, TypeError, RecursionError) as error:
                raise StoreCorruptError(
                    f"The revisions file {self.path} is damaged at line {lineno} and was left untouched."
                ) from error
            docs.append((doc, lineno))
        return docs

    def close(self) -> None:
        for fd in (self._rfd, self._wfd):
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._rfd = self._wfd = None

    def _writer(self, like: int | None) -> int:
        if self._wfd is not None:
            st = os.fstat(self._wfd)
            try:
                same = (st.st_dev, st.st_ino) == _ident(os.stat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                return self._wfd
            os.close(self._wfd)
            self._wfd = None
        created = not self.path.exists()
        fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        if like is not None:
            # Made now, or made by us while the store had other permissions: it follows the store (a desk
            # that shares a used store with `chgrp`/`chmod` does not have to find its revisions too).
            store, mine = os.fstat(like), os.fstat(fd)
            if created or (mine.st_uid == os.geteuid() and _permissions(mine) != _permissions(store)):
                _copy_permissions(fd, store)
        if created:
            _fsync_dir(self.path.parent)
        self._wfd = fd
        return fd

    def _catch_up(self) -> None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return
        except OSError as error:
            raise StoreError(f"Cannot read the revisions file {self.path}: {_reason(error)}.") from error
        if self._rfd is None or _ident(st) != self._ident or st.st_size < self._consumed:
            if self._rfd is not None:
                os.close(self._rfd)
            self._rfd = os.open(self.path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            self._ident = _ident(os.fstat(self._rfd))
            self._consumed = self._lines = 0
            self._index = {}
        position = self._consumed
        while position < st.st_size:
            chunk = os.pread(self._rfd, min(_READ_CHUNK, st.st_size - position), position)
            end = chunk.rfind(b"\n") + 1
            if not end:
                if len(chunk) < _READ_CHUNK:
                    break  # a line still being written, or torn
                chunk = _read_from(self._rfd, position)  # one very long line: take it whole
                end = chunk.rfind(b"\n") + 1
                if not end:
                    break
            offset = position
            for line in chunk[:end].split(b"\n")[:-1]:
                self._lines += 1
                key_end = line.find(_REVISION_DOC)
                if not line.startswith(_REVISION_PREFIX) or key_end < 0:
                    raise StoreCorruptError(
                        f"The revisions file {self.path} is damaged at line {self._lines} and was left untouched."
                    )
                key = line[len(_REVISION_PREFIX) : key_end]
                self._index.setdefault(key, []).append((offset, len(line), self._lines))
                offset += len(line) + 1
            position += end
        self._consumed = position


# -- file helpers ---------------------------------------------------------------------------------------
def _journal_line(seq: int, by_table: Mapping[str, list[bytes]]) -> bytes:
    """A commit's journal line; the number first, so even a torn line tells which commit it was."""
    tables = b", ".join(_json_bytes(name) + b": {" + b", ".join(items) + b"}" for name, items in by_table.items())
    return b'{"seq": ' + str(seq).encode() + b', "tx": {' + tables + b"}}\n"


def _revision_line(table: str, doc_id: str, value: bytes, seq: int) -> bytes:
    """A revision line; the number last, where `_RevisionJournal.last_seq` reads it without parsing."""
    return (
        _REVISION_PREFIX
        + _json_bytes([table, doc_id])
        + _REVISION_DOC
        + value
        + b', "seq": '
        + str(seq).encode()
        + b"}\n"
    )


def _header(seq: int) -> bytes:
    if not seq:
        return HEADER
    return json.dumps({"format": JOURNAL_FORMAT, "version": JOURNAL_VERSION, "seq": seq}).encode() + b"\n"


def repair(path: Path | str) -> tuple[int, Path] | None:
    """`newsroom repair`: put back what a damaged journal lost (see `JournalStorage.repair`)."""
    storage = JournalStorage(str(path), check_acknowledged=False)
    try:
        return storage.repair()
    finally:
        storage.close()


def _json_bytes(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower() if error.errno else str(error)


def _permissions(st: os.stat_result) -> tuple[int, int]:
    return stat.S_IMODE(st.st_mode) & 0o777, st.st_gid


def _ident(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _read_from(fd: int, offset: int) -> bytes:
    """Everything from `offset` to the end; one read (and no copy) when the file holds still."""
    chunks: list[bytes] = []
    want = max(os.fstat(fd).st_size - offset, 0) + 1
    while chunk := os.pread(fd, want, offset):
        chunks.append(chunk)
        offset += len(chunk)
        want = _READ_CHUNK
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _last_line_end(fd: int, size: int) -> int:
    """Offset just past the last newline before `size` (0 if none): where a torn line begins."""
    position = size
    while position > 0:
        start = max(0, position - 65536)
        chunk = os.pread(fd, position - start, start)
        found = chunk.rfind(b"\n")
        if found >= 0:
            return start + found + 1
        position = start
    return 0


# -- the story store ------------------------------------------------------------------------------------


def purge_record(gone: Iterable[Story], *, user: str, note: str) -> dict[str, Any]:
    """What a purge log keeps of one purge, on either backend: who, when, why, and each story removed."""
    stamp = now()
    return {
        "id": f"{stamp.strftime('%Y%m%dT%H%M%S.%f')}-{os.getpid()}",
        "at": stamp.isoformat(),
        "by": clean_line(user),
        "note": clean_line(note),
        "stories": [
            {
                "id": story.id,
                "slug": story.slug,
                "headline": story.headline,
                "status": story.status.value,
                "version": story.version,
                "updated_at": story.updated_at.isoformat(),
                "updated_by": story.updated_by,
            }
            for story in gone
        ],
    }


class StoryStore:
    """The desk's stories in one file, shared safely by every editor's process.  Thread-safe.

    Every Story returned is a fresh copy: the caller may change it freely.
    """

    def __init__(self, path: Path | str, *, lock_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self._mutex = threading.RLock()
        # Stories are keyed by their own uuid (Story.id), never by TinyDB's per-process int id counter, so the
        # store reads and writes its table through the storage (`_stored`, `_replace`), not TinyDB's Table.
        self._db = TinyDB(str(self.path), storage=JournalStorage, lock_timeout=lock_timeout)
        self._storage = cast(JournalStorage, self._db.storage)
        self._slugs: dict[str, set[str]] = {}
        self._parsed: dict[str, Story] = {}  # stories parsed for list_stories, dropped when they change
        self._reindex()
        self._storage.listener = self._on_change
        self._seen_remote = self._storage.remote_changes

    # lifecycle ---------------------------------------------------------------------------------------------
    def close(self) -> None:
        with self._mutex:
            self._db.close()

    def __enter__(self) -> StoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def label(self) -> str:
        """The store as messages name it: its path."""
        return str(self.path)

    @property
    def revisions_path(self) -> Path:
        return self._storage.revisions_path

    def read_only_reason(self) -> str | None:
        """Why nothing can be saved to this store (one sentence), or None (see JournalStorage)."""
        return self._storage.read_only_reason()

    @property
    def backup_path(self) -> Path:
        return self._storage.backup_path

    # reading -----------------------------------------------------------------------------------------------
    def __len__(self) -> int:
        with self._mutex:
            self._storage.sync()
            return len(self._storage.documents(TABLE))

    def is_empty(self) -> bool:
        return len(self) == 0

    def list_stories(self, status: Status | None = None) -> list[Story]:
        """Stories newest `updated_at` first, optionally only those with `status`."""
        with self._mutex:
            self._storage.sync()
            stories: list[Story] = []
            for story_id, doc in self._storage.documents(TABLE).items():
                story = self._parsed.get(story_id)
                if story is None:
                    story = self._parsed[story_id] = self._to_story(doc)
                if status is None or story.status is status:
                    stories.append(story)
            stories.sort(key=lambda story: story.updated_at, reverse=True)
            return [story.copy() for story in stories]

    def story_rows(self, previous: Iterable[StoryRow] = ()) -> list[StoryRow]:
        """The story list's rows, newest `updated_at` first, read from the stored documents directly.

        Rows in `previous` whose story kept its version are reused, so a poll that picked up one
        other editor's save rebuilds one row.
        """
        known = {(row.id, row.version): row for row in previous}
        with self._mutex:
            self._storage.sync()
            rows: list[StoryRow] = []
            for story_id, doc in self._storage.documents(TABLE).items():
                version = doc.get("version")
                row = known.get((story_id, version)) if isinstance(version, int) else None
                if row is None:
                    try:
                        row = StoryRow.from_doc(doc)
                    except (TypeError, ValueError, KeyError) as error:
                        raise self._corrupt(doc, error) from error
                rows.append(row)
        return newest_first(rows)

    def journal_position(self) -> JournalPosition:
        """Where the store's state in memory was read up to (what `refresh` last caught up with)."""
        with self._mutex:
            return self._storage.position()

    def rows_and_position(self, previous: Iterable[StoryRow] = ()) -> tuple[list[StoryRow], JournalPosition]:
        """The list's rows and the journal position they are true at (what the row cache records)."""
        with self._mutex:
            rows = self.story_rows(previous)
            return rows, self._storage.position()

    # Archive search: each story's folded search text, with the stored document it was folded from and its
    # updated_at.  A save replaces a story's document (never changes it), so `is` tells a stale entry.  Built by
    # the first search (about the size of the stories' text), then only changed stories are folded again.
    _search_texts: dict[str, tuple[Mapping[str, Any], str, datetime]] | None = None

    def search(self, query: SearchQuery, *, limit: int = 20) -> list[SearchHit]:
        """Stories holding every term of `query` in headline, summary, body, byline or tags, newest `updated_at`
        first (then by id), at most `limit`, each with its snippet.  TinyDB has no index: this scans the stories
        held in memory; domain/search.py decides what matches, as for every backend."""
        if query.is_empty or limit <= 0:
            return []
        with self._mutex:
            self._storage.sync()
            documents = list(self._storage.documents(TABLE).items())
        previous = self._search_texts or {}
        texts: dict[str, tuple[Mapping[str, Any], str, datetime]] = {}
        found: list[tuple[datetime, str, Mapping[str, Any]]] = []
        terms = query.terms
        for story_id, doc in documents:
            entry = previous.get(story_id)
            if entry is None or entry[0] is not doc:
                entry = texts[story_id] = (doc, *self._search_entry(doc))
            else:
                texts[story_id] = entry
            haystack = entry[1]
            if all(term in haystack for term in terms):
                found.append((entry[2], story_id, doc))
        self._search_texts = texts
        found.sort(key=lambda hit: (hit[0], hit[1]), reverse=True)
        hits: list[SearchHit] = []
        for _, _, doc in found[:limit]:
            story = self._to_story(doc)
            hits.append(SearchHit(StoryRow.from_story(story), snippet_for(query, story)))
        return hits

    def _search_entry(self, doc: Mapping[str, Any]) -> tuple[str, datetime]:
        """A stored story's search text and updated_at, read from the document as `Story.from_dict` reads it."""
        get = doc.get
        fields = (get("headline", ""), get("summary", ""), get("body", ""), get("byline", ""))
        tags = get("tags") or []
        try:
            if not all(type(value) is str for value in fields) or not (
                type(tags) is list and all(type(tag) is str for tag in tags)
            ):
                self._to_story(doc)  # raises the sentence naming the damaged field
                raise ValueError("a searched field is not text")
            updated = stored_datetime("updated_at", get("updated_at")) if "updated_at" in doc else now()
        except (TypeError, ValueError) as error:
            raise self._corrupt(doc, error) from error
        return search_text_of(*fields, tags), updated

    def get(self, story_id: str) -> Story:
        with self._mutex:
            self._storage.sync()
            return self._to_story(self._current(story_id))

    def find_by_slug(self, slug: str) -> Story | None:
        """The story with this slug (slugs are unique), or None."""
        with self._mutex:
            self._storage.sync()
            for owner in sorted(self._slugs.get(slug, ())) if slug else ():
                doc = self._stored(owner)
                if doc is not None:
                    return self._to_story(doc)
            return None

    def slug_owner(self, slug: str) -> Story | None:
        """Who holds `slug` already (None if free or empty): what the form checks as the editor types."""
        return self.find_by_slug(slug)

    def read_rows(self, status: Status | None, take: Callable[[list[StoryRow]], object]) -> int:
        """From the rows in memory, a page at a time (contract.Store.read_rows)."""
        rows = [row for row in self.story_rows() if status is None or row.status is status]
        for start in range(0, len(rows), ROWS_A_PAGE):
            take(rows[start : start + ROWS_A_PAGE])
        return len(rows)

    def slugs_starting(self, start: str, *, most: int) -> list[str]:
        if not start:
            return []
        return sorted(row.slug for row in self.story_rows() if row.slug.startswith(start))[: most + 1]

    def slugs_like(self, typed: str, *, most: int) -> list[str]:
        """Every slug: the rows are in memory, and the caller ranks them all (`most` is a database's)."""
        return sorted(row.slug for row in self.story_rows() if row.slug)

    def find_imported(self, headline: str, created_at: str) -> Story | None:
        """The story with this headline and stored `created_at` (what an import of the same wire file
        made), or None.  A scan of the stored documents, without parsing them."""
        with self._mutex:
            self._storage.sync()
            for doc in self._storage.documents(TABLE).values():
                if doc.get("headline") == headline and doc.get("created_at") == created_at:
                    return self._to_story(doc)
            return None

    @contextlib.contextmanager
    def import_lock(self, timeout: float = 120) -> Iterator[None]:
        """Serialise imports across processes: "is it already here?" and the save must not be split by
        another import of the same file.  `<store>.import.lock` beside the real file, so imports through a
        symlink and through the real path exclude each other."""
        store = real_path(self.path)
        lock = PathLock(store.with_name(store.name + ".import.lock"), timeout=timeout, create=True, like=store)
        try:
            lock.acquire()
        except LockTimeout as error:
            raise StoreBusyError(
                f"Another import into {self.path} has run for {timeout / 60:g} minutes; try again."
            ) from error
        except OSError as error:
            raise StoreError(f"The import lock {lock.path} cannot be made ({_reason(error)}).") from error
        try:
            yield
        finally:
            lock.release()

    def refresh(self) -> bool:
        """Pick up other processes' saves; True if any arrived since the last call.  Costs a `stat`."""
        with self._mutex:
            self._storage.sync()
            changed = self._storage.remote_changes != self._seen_remote
            self._seen_remote = self._storage.remote_changes
            return changed

    # writing -----------------------------------------------------------------------------------------------
    def save(self, story: Story, *, user: str) -> Story:
        """Save one story; returns the saved copy (version + 1, stamped with `user` and the time)."""
        return self.save_many([story], user=user)[0]

    def save_many(self, stories: list[Story], *, user: str) -> list[Story]:
        """Save several stories under one lock with one fsync: all of them, or (on any error) none."""
        if not stories:
            return []
        with self._mutex, self._storage.transaction():
            return self._save_locked(stories, user)

    def compact(self) -> None:
        """Rewrite the journal without superseded versions (saves do this themselves when it pays)."""
        with self._mutex:
            self._storage.compact()

    def delete(self, stories: Iterable[Story], *, user: str, note: str) -> dict[str, Any]:
        """Remove stories for good, each at the version given, and record it: one journal line, one fsync.

        A story saved since (another version, or gone) raises ConflictError / StoryNotFoundError and nothing
        is removed.  The record (returned, and kept in the purge log: `purges`) names who, when, `note` (why),
        and each story's id, slug, headline, status, version and last change; every saved version of each
        stays in the revisions file, which is append-only.  Delivery logs are kept.
        """
        gone = list(stories)
        with self._mutex, self._storage.transaction():
            for story in gone:
                current = self._current(story.id)
                if current.get("version") != story.version:
                    theirs = self._to_story(current)
                    raise ConflictError(story.id, story.version, theirs.version, theirs)
            record = purge_record(gone, user=user, note=note)
            if not gone:
                return record
            tables = self._storage.read()
            kept = dict(tables.get(TABLE, {}))
            for story in gone:
                kept.pop(story.id, None)
            tables[TABLE] = kept
            purges = dict(tables.get(PURGE_TABLE, {}))
            purges[record["id"]] = _without_lone_surrogates(record)
            tables[PURGE_TABLE] = purges
            self._storage.write(tables)
            return record

    def purges(self) -> list[dict[str, Any]]:
        """The purge log, oldest first: what `delete` removed, by whom, when and why."""
        with self._mutex:
            self._storage.sync()
            records = [dict(doc) for doc in self._storage.documents(PURGE_TABLE).values()]
        return sorted(records, key=lambda record: str(record.get("at", "")))

    # the delivery log ----------------------------------------------------------------------------------------
    def log_deliveries(self, story_id: str, entries: Iterable[Mapping[str, Any]]) -> None:
        """Append delivery entries to the story's log: one fsynced journal line, no new story version.

        Appending under the store's lock cannot conflict, so recording needs no retry when an editor
        saved the story meanwhile.
        """
        added = [dict(entry) for entry in entries]
        if not added:
            return
        with self._mutex, self._storage.transaction():
            self._current(story_id)  # a story that is not in the store gets no log
            old = self._storage.documents(DELIVERY_TABLE).get(story_id)
            kept = old.get("entries") if old is not None else []
            if not isinstance(kept, list):
                where = self._storage.where(DELIVERY_TABLE, story_id, old) if old is not None else self.path
                raise StoreCorruptError(
                    f"The delivery log of the story {story_id} at {where} cannot be read (its entries are not a "
                    f"list) and was left untouched."
                )
            doc = {"story_id": story_id, "entries": [*kept, *added]}
            self._replace(DELIVERY_TABLE, {story_id: _without_lone_surrogates(doc)})

    def delivery_log(self, story_id: str) -> list[dict[str, Any]]:
        """The story's delivery entries, oldest first (empty for stores written before the log)."""
        with self._mutex:
            self._storage.sync()
            return self._log(story_id)

    def _log(self, story_id: str) -> list[dict[str, Any]]:
        """`delivery_log` as the store stands in memory (the caller holds the mutex and has synced)."""
        doc = self._storage.documents(DELIVERY_TABLE).get(story_id)
        entries = doc.get("entries") if doc is not None else None
        return [dict(entry) for entry in entries if isinstance(entry, dict)] if isinstance(entries, list) else []

    # history -----------------------------------------------------------------------------------------------
    def revisions(self, story_id: str) -> list[Story]:
        """Every saved version of a story, oldest first, the current one included."""
        with self._mutex:
            self._storage.sync()
            return [self._to_story(doc) for doc in self._versions(story_id).values()]

    def histories(self, story_ids: Sequence[str]) -> list[tuple[list[Story], list[dict[str, Any]]]]:
        """Each story's versions and delivery log (the contract's `histories`): from memory, one by one."""
        with self._mutex:
            self._storage.sync()
            found: list[tuple[list[Story], list[dict[str, Any]]]] = []
            for story_id in story_ids:
                if self._stored(story_id) is None:
                    raise StoryNotFoundError(story_id)
                versions = [self._to_story(doc) for doc in self._versions(story_id).values()]
                found.append((versions, self._log(story_id)))  # synced once above, not once a story
            return found

    def revision(self, story_id: str, version: int) -> Story:
        with self._mutex:
            self._storage.sync()
            doc = self._versions(story_id).get(version)
            if doc is None:
                raise StoryNotFoundError(story_id, version)
            return self._to_story(doc)

    def restore(self, story_id: str, version: int, *, user: str) -> Story:
        """Bring back an old version's words and metadata as a new version on top (status unchanged)."""
        with self._mutex, self._storage.transaction():
            versions = self._versions(story_id)
            if version not in versions:
                raise StoryNotFoundError(story_id, version)
            from newsroom_tui.domain.workflow import restored_version  # not on the desk's way to its first screen

            old = self._to_story(versions[version])
            current = self._to_story(self._current(story_id))
            return self._save_locked([restored_version(current, old, user=user, now=now())], user)[0]

    # copying a whole store (`newsroom migrate`) ---------------------------------------------------------------
    def copy_in(self, histories: list[tuple[list[Story], list[dict[str, Any]]]]) -> list[str]:
        """Write stories exactly as another store holds them: every version (numbers, stamps, authors as
        they are) and the delivery log.  One word per story: "copied", "updated" (versions it lacked were
        added), "same" (already here, nothing written) or "differs" (this store has other versions of it:
        left alone).  Version k of every story goes in the k-th commit, so a batch is a few commits."""
        words: list[str] = []
        to_write: list[tuple[list[dict[str, Any]], dict[str, Any] | None]] = []
        with self._mutex:
            self._storage.sync()
            for revisions, log in histories:
                story_id = revisions[-1].id
                docs = [_without_lone_surrogates(revision.to_dict()) for revision in revisions]
                present = self._stored(story_id) is not None
                here = [self._to_story(doc).to_dict() for doc in self._versions(story_id).values()] if present else []
                purged = not present and next(iter(self._storage.history(TABLE, story_id)), None) is not None
                kept = self._log(story_id) if here else []
                wanted = {"story_id": story_id, "entries": [dict(entry) for entry in log]}
                log_doc = None if kept == wanted["entries"] else _without_lone_surrogates(wanted)
                word = copy_word(docs, here, same_log=log_doc is None, purged=purged)
                words.append(word)
                if word in ("copied", "updated"):
                    to_write.append((docs[len(here) :], log_doc))
            depth = max((len(docs) for docs, _ in to_write), default=0)
            for index in range(depth):
                batch = {docs[index]["id"]: docs[index] for docs, _ in to_write if index < len(docs)}
                with self._storage.transaction():
                    self._replace(TABLE, batch)
            logs = {doc["story_id"]: doc for _, doc in to_write if doc is not None}
            if logs:
                with self._storage.transaction():
                    self._replace(DELIVERY_TABLE, logs)
        return words

    # internals ---------------------------------------------------------------------------------------------
    def _save_locked(self, stories: list[Story], user: str) -> list[Story]:
        stamp = now()
        user = clean_line(user)  # recorded as updated_by and shown to every editor
        docs: list[dict[str, Any]] = []
        replaced: list[str] = []
        batch_slugs: dict[str, Story] = {}
        batch_ids: set[str] = set()
        for story in stories:
            if story.id in batch_ids:
                raise StoreError(f"The story {story.id} appears twice in one save.")
            batch_ids.add(story.id)
            current = self._stored(story.id)
            if current is None:
                if story.version != 0:
                    raise StoryNotFoundError(story.id)
                created_at, created_by = story.created_at, story.created_by or user
            else:
                found = current.get("version")
                if found != story.version:
                    theirs = self._to_story(current)
                    raise ConflictError(story.id, story.version, theirs.version, theirs)
                replaced.append(story.id)
                theirs = self._to_story(current)
                created_at, created_by = theirs.created_at, theirs.created_by or user
            if story.slug:
                self._check_slug(story, batch_slugs.get(story.slug))
                batch_slugs[story.slug] = story
            # Whichever way a story arrives (a restore of an old version, a script, an older tool), it is
            # stored without terminal control: the one write path is the one place that cannot be skipped.
            if story.has_terminal_control():
                story = story.cleaned()
            saved = story.copy(
                version=story.version + 1,
                updated_at=stamp,
                updated_by=user,
                created_at=created_at,
                created_by=created_by,
            )
            docs.append(_without_lone_surrogates(saved.to_dict()))
        self._replace(TABLE, {doc["id"]: doc for doc in docs})
        return [self._to_story(doc) for doc in docs]

    def _check_slug(self, story: Story, in_batch: Story | None) -> None:
        if in_batch is not None and in_batch.id != story.id:
            raise SlugTakenError(story.slug, in_batch.id, in_batch.headline)
        for owner in sorted(self._slugs.get(story.slug, ())):
            if owner != story.id:
                doc = self._stored(owner)
                headline = doc.get("headline", "") if doc is not None else ""
                raise SlugTakenError(story.slug, owner, clean_line(headline) if isinstance(headline, str) else "")

    def _stored(self, story_id: str) -> Mapping[str, Any] | None:
        """One story's stored document (read only), or None."""
        return self._storage.document(TABLE, story_id)

    def _current(self, story_id: str) -> Mapping[str, Any]:
        doc = self._stored(story_id)
        if doc is None:
            raise StoryNotFoundError(story_id)
        return doc

    def _replace(self, table: str, documents: Mapping[str, Mapping[str, Any]]) -> None:
        """Insert or wholly replace documents by id in one storage write.

        TinyDB's update() and upsert() merge into the stored dict in place, and remove() + insert() costs two
        passes over the table; a fresh table dict with the new documents is what the storage diffs by identity.
        """
        tables = self._storage.read()
        updated = dict(tables.get(table, {}))
        updated.update(documents)
        tables[table] = updated
        self._storage.write(tables)

    def _versions(self, story_id: str) -> dict[int, Mapping[str, Any]]:
        """Saved versions by number, oldest first; a version's last revision line wins.

        Lines past the current version, or repeated, come from a writer killed between writing its
        revision and its journal line: that save was never acknowledged.
        """
        current = self._current(story_id)
        latest = current.get("version")
        versions: dict[int, Mapping[str, Any]] = {}
        for doc in self._storage.history(TABLE, story_id):
            version = doc.get("version") if doc is not None else None
            if doc is not None and isinstance(version, int) and isinstance(latest, int) and 0 < version < latest:
                versions[version] = doc
        if isinstance(latest, int):
            versions[latest] = current
        return dict(sorted(versions.items()))

    def _to_story(self, doc: Mapping[str, Any]) -> Story:
        try:
            return Story.from_dict(doc)
        except (TypeError, ValueError, KeyError) as error:
            raise self._corrupt(doc, error) from error

    def _corrupt(self, doc: Mapping[str, Any], error: Exception) -> StoreCorruptError:
        """The sentence for a stored story that cannot be read: which story, which file and line, and why."""
        documents = self._storage.documents(TABLE)
        story_id = next((key for key, stored in documents.items() if stored is doc), None)
        if story_id is None:
            raw = doc.get("id")
            story_id = raw if isinstance(raw, str) else "?"
        shown = clean_line(story_id)[:64] or "?"
        where = self._storage.where(TABLE, story_id, doc)
        return StoreCorruptError(f"The story {shown} at {where} cannot be read ({error}) and was left untouched.")

    def _reindex(self) -> None:
        self._slugs = {}
        self._parsed = {}
        for story_id, doc in self._storage.documents(TABLE).items():
            self._index_slug(story_id, doc.get("slug"), add=True)

    def _index_slug(self, story_id: str, slug: object, *, add: bool) -> None:
        if not isinstance(slug, str) or not slug:
            return
        if add:
            self._slugs.setdefault(slug, set()).add(story_id)
        else:
            owners = self._slugs.get(slug)
            if owners is not None:
                owners.discard(story_id)
                if not owners:
                    del self._slugs[slug]

    def _on_change(self, changes: list[Change] | None) -> None:
        if changes is None:
            self._reindex()
            return
        for name, story_id, old, new in changes:
            if name != TABLE:
                continue
            self._parsed.pop(story_id, None)
            if old is not None:
                self._index_slug(story_id, old.get("slug"), add=False)
            if new is not None:
                self._index_slug(story_id, new.get("slug"), add=True)
