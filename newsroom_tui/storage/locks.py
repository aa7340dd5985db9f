"""Story locks: who has which story open, so two editors never edit one story without knowing it.

Why a file of its own.  Locks change often (every open, close and 10-second heartbeat) and must never
create story versions, so they live in `<store>.locks.json` beside the store, not in its journal.  The
file is small JSON, changed only under a `flock` on the file itself (atomicfile.PathLock: not the
store's, so lock traffic never queues behind saves, and not a side file, which could be deleted from
under its holder) and always replaced whole: temporary file in the same folder, locked, fsync,
`os.replace`, fsync the folder.  Readers never take the lock: a replace is atomic, so they see the old
file or the new one, and `all_locks()` only `stat`s it unless it changed.

Why locks are advisory and self-healing.  A lock only says "someone has this open"; the store's
version check (ConflictError) is what keeps saves safe.  So a damaged or deleted lock file is read
as "no locks" rather than an error, and every live process puts its own locks back at its next
heartbeat (unless someone else has taken the story meanwhile, which the heartbeat reports).

Stale locks.  A lock whose process is gone is released by the next writer and hidden from readers:
on the same host, the pid no longer exists (`os.kill(pid, 0)` raises ProcessLookupError; a
PermissionError means it exists under another user), is a zombie, or now belongs to a different
process (pid reuse: its start time in `/proc/<pid>/stat`, field 22, differs from the recorded one), or
the machine has rebooted since (the boot id differs); on another host, the heartbeat is older than the
expiry (30 minutes by default), since its pid cannot be checked from here.  Two `LockBook`s are told
apart by a random session id, not by pid, so a reused pid can never inherit someone's locks.

Not for signal handlers: install SIGHUP/SIGTERM handlers through the event loop (asyncio's
`add_signal_handler`), which runs them between other work, so `release_all` never interrupts a write.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from functools import cache
from pathlib import Path
from typing import Any

from newsroom_tui.domain.errors import LockError
from newsroom_tui.domain.model import now, parse_datetime
from newsroom_tui.storage.atomicfile import LockTimeout, PathLock, real_path, remove_temporaries, write_atomically
from newsroom_tui.storage.atomicfile import os_reason as _reason
from newsroom_tui.text.safety import clean_line, has_terminal_control

__all__ = [
    "DEFAULT_EXPIRY",
    "Lock",
    "LockBook",
    "LockBusyError",
    "LockError",
    "LockResult",
    "lock_expiry_from",
    "locks_path_for",
    "process_start",
]

LOCKS_FORMAT = "newsroom-story-locks"
LOCKS_VERSION = 1
DEFAULT_EXPIRY = timedelta(minutes=30)
# Temporary files end in `.part`, never `.tmp`: the store removes `.<store>.*.tmp` leftovers under its
# own lock, which would pull a lock file's temporary out from under a writer holding only ours.
_TEMP_SUFFIX = ".part"
_MAX_FILE_BYTES = 16 * 1024 * 1024  # a lock file this big is not ours; treated as damaged


class LockBusyError(LockError):
    """Another process held the lock file's lock for longer than the timeout."""


@dataclass(frozen=True, slots=True)
class Lock:
    """One story held open by one editor's process.  Times are timezone-aware."""

    story_id: str
    user: str
    host: str
    pid: int
    since: datetime
    heartbeat: datetime
    session: str  # random per LockBook: what "mine" means, so a reused pid inherits nothing
    started: int | None = None  # process start, clock ticks after boot (/proc/<pid>/stat field 22)
    boot_id: str | None = None  # the host's boot id: a reboot makes every lock from before it stale
    taken_from: str = ""  # `who` of the previous holder when this lock was taken over

    @property
    def who(self) -> str:
        """`rina on desk-server (pid 4121)`."""
        return f"{self.user} on {self.host} (pid {self.pid})"

    def describe(self, zone: tzinfo | None = None) -> str:
        """`rina on desk-server (pid 4121) since 10:42`, with the date when it is not today's."""
        since = self.since.astimezone(zone)
        when = since.strftime("%H:%M")
        if since.date() != datetime.now(since.tzinfo).date():
            when += since.strftime(", %d %b %Y").replace(" 0", " ")
        text = f"{self.who} since {when}"
        if self.taken_from:
            text += f", taken over from {self.taken_from}"
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "host": self.host,
            "pid": self.pid,
            "since": self.since.isoformat(),
            "heartbeat": self.heartbeat.isoformat(),
            "session": self.session,
            "started": self.started,
            "boot_id": self.boot_id,
            "taken_from": self.taken_from,
        }

    @classmethod
    def from_dict(cls, story_id: str, data: dict[str, Any]) -> Lock:
        """Raises ValueError/TypeError/KeyError for a record that is not a lock."""
        started = data.get("started")
        boot_id = data.get("boot_id")
        pid = data["pid"]
        if not isinstance(pid, int) or isinstance(pid, bool):
            raise TypeError("pid is not a number")
        return cls(
            story_id=story_id,
            user=_text(data["user"]),
            host=_text(data["host"]),
            pid=pid,
            since=parse_datetime(_text(data["since"])),
            heartbeat=parse_datetime(_text(data["heartbeat"])),
            session=_text(data["session"]),
            started=started if isinstance(started, int) and not isinstance(started, bool) else None,
            boot_id=boot_id if isinstance(boot_id, str) else None,
            taken_from=_text(data.get("taken_from") or ""),
        )


def _text(value: object) -> str:
    """A text field of a lock record: text (else the record is not a lock), terminal control cleaned out,
    since names from the locks file are shown to every editor on the desk."""
    if type(value) is not str:
        raise TypeError("not text")
    return clean_line(value) if has_terminal_control(value) else value


@dataclass(frozen=True, slots=True)
class LockResult:
    """What `acquire` got: the lock (ok), or who holds the story (not ok)."""

    ok: bool
    lock: Lock  # yours when ok, otherwise the holder's
    replaced: Lock | None = field(default=None)  # a stale lock released to give you this one

    def __bool__(self) -> bool:
        return self.ok

    @property
    def holder(self) -> Lock | None:
        """Who holds the story when it could not be had; None when it is yours."""
        return None if self.ok else self.lock


# -- processes --------------------------------------------------------------------------------------------
def _proc_stat(pid: int) -> tuple[str, int] | None:
    """(state, start time in clock ticks after boot) from /proc/<pid>/stat; None where unavailable."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            raw = handle.read()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may itself hold spaces or ')'.
    fields = raw[raw.rfind(b")") + 2 :].split()
    try:
        return fields[0].decode("ascii", "replace"), int(fields[19])
    except (IndexError, ValueError):
        return None


def process_start(pid: int) -> int | None:
    """When `pid` started, in clock ticks after boot (Linux); None where it cannot be read."""
    info = _proc_stat(pid)
    return info[1] if info is not None else None


@cache
def _boot_id() -> str | None:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as handle:
            return handle.read().strip() or None
    except OSError:
        return None


def _process(pid: int) -> tuple[bool, int | None]:
    """(alive, start time) of `pid` on this host, with one `kill(pid, 0)` and one read of /proc.

    A zombie counts as dead: it will never heartbeat again, and its parent may never reap it.
    """
    if pid <= 0:
        return False, None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False, None
    except PermissionError:
        pass  # it exists, under another user
    except OSError:
        return True, None  # cannot tell: keep the lock rather than take a live editor's story
    info = _proc_stat(pid)
    if info is None:
        return True, None
    return info[0] not in ("Z", "X", "x"), info[1]


# -- files ------------------------------------------------------------------------------------------------
def locks_path_for(store_path: Path | str) -> Path:
    """`<store>.locks.json`, beside the store (the real file: a symlinked store has one lock book)."""
    store = real_path(store_path)
    return store.with_name(store.name + ".locks.json")


def lock_expiry_from(settings: object) -> timedelta:
    """The expiry for other hosts' locks from the config's `[locks] expiry_minutes`, else 30 minutes."""
    sections = getattr(settings, "sections", None) or {}
    section = sections.get("locks") if isinstance(sections, dict) else None
    minutes = section.get("expiry_minutes") if isinstance(section, dict) else None
    if isinstance(minutes, int | float) and not isinstance(minutes, bool) and minutes > 0:
        return timedelta(minutes=minutes)
    return DEFAULT_EXPIRY


def _parse(data: bytes) -> dict[str, Lock]:
    """The locks in a lock file; damage reads as "no locks" (they are advisory and put back by heartbeats)."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):  # RecursionError: '[' * 200000
        return {}
    if not isinstance(document, dict) or document.get("format") != LOCKS_FORMAT:
        return {}
    records = document.get("locks")
    if not isinstance(records, dict):
        return {}
    locks: dict[str, Lock] = {}
    for story_id, record in records.items():
        if isinstance(record, dict):
            with contextlib.suppress(ValueError, TypeError, KeyError):
                locks[story_id] = Lock.from_dict(story_id, record)
    return locks


def _serialise(locks: dict[str, Lock]) -> bytes:
    document = {
        "format": LOCKS_FORMAT,
        "version": LOCKS_VERSION,
        "locks": {story_id: lock.to_dict() for story_id, lock in sorted(locks.items())},
    }
    try:
        return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate in a name: escaped, so the file stays valid UTF-8
        return json.dumps(document, ensure_ascii=True, indent=1).encode("ascii") + b"\n"


# -- the lock book ----------------------------------------------------------------------------------------
class LockBook:
    """This process's view of who has which story open in one store, and the locks it holds itself.

    Thread-safe.  `clock` returns the current aware datetime (injectable for tests).
    """

    def __init__(
        self,
        store_path: Path | str,
        *,
        user: str,
        host: str | None = None,
        pid: int | None = None,
        expiry: timedelta = DEFAULT_EXPIRY,
        clock: Callable[[], datetime] = now,
        timeout: float = 5.0,
    ) -> None:
        self.store_path = real_path(store_path)
        self.path = locks_path_for(self.store_path)
        self.user = clean_line(user)
        self.host = host if host is not None else socket.gethostname()
        self.pid = pid if pid is not None else os.getpid()
        self.expiry = expiry
        self.clock = clock
        self.timeout = timeout
        self.session = os.urandom(8).hex()  # not `secrets`: 5 ms of imports for the same bytes
        self._this_host = socket.gethostname()
        self._local_host = self.host == self._this_host
        self._started = process_start(self.pid) if self._local_host else None
        self._boot = _boot_id() if self._local_host else None
        self._mutex = threading.RLock()
        self._mine: dict[str, Lock] = {}
        self._cache_key: tuple[int, int, int, int] | None = None
        self._cache: dict[str, Lock] = {}
        self._filelock_object: PathLock | None = None
        self._clean_temporaries()

    # reading (no lock: the file is only ever replaced whole) ---------------------------------------
    def all_locks(self) -> dict[str, Lock]:
        """Every live lock by story id, this process's included.  A `stat` unless the file changed."""
        with self._mutex:
            moment = self.clock()
            return {story_id: lock for story_id, lock in self._snapshot().items() if not self._stale(lock, moment)}

    def holder(self, story_id: str) -> Lock | None:
        """Who has the story open (possibly this process), or None."""
        with self._mutex:
            lock = self._snapshot().get(story_id)
            return None if lock is None or self._stale(lock, self.clock()) else lock

    def still_mine(self, story_id: str) -> bool:
        """Whether the lock file still names this process as the story's holder.

        False after someone took the story over, and also if the record vanished (a deleted lock file):
        `acquire` gets it back then, unless someone else holds it.
        """
        with self._mutex:
            lock = self._snapshot().get(story_id)
            return lock is not None and lock.session == self.session

    def held(self) -> list[str]:
        """The story ids this book believes it holds (what `heartbeat` refreshes)."""
        with self._mutex:
            return list(self._mine)

    def is_mine(self, lock: Lock) -> bool:
        return lock.session == self.session

    def is_stale(self, lock: Lock) -> bool:
        """Whether `lock`'s process is gone (see the module docstring for how that is decided)."""
        return self._stale(lock, self.clock())

    # writing (under the lock) -- ------------------------------------------------------------------------
    def acquire(self, story_id: str) -> LockResult:
        """Take the story's lock if nobody live holds it; otherwise say who does.  Idempotent for the holder."""
        with self._transaction() as locks:
            moment = self.clock()
            current = locks.get(story_id)
            if current is not None and current.session != self.session and not self._stale(current, moment):
                return LockResult(False, current)
            mine = current is not None and current.session == self.session
            lock = self._new_lock(story_id, moment, since=current.since if mine and current else moment)
            if mine and current is not None:
                lock = replace(lock, taken_from=current.taken_from)
            locks[story_id] = self._mine[story_id] = lock
            return LockResult(True, lock, replaced=None if mine else current)

    def take_over(self, story_id: str) -> Lock:
        """Take the story from whoever holds it; the new lock records whom it was taken from.

        The previous holder finds out through `still_mine` (False) or its next `heartbeat`.
        """
        with self._transaction() as locks:
            moment = self.clock()
            current = locks.get(story_id)
            if current is not None and current.session == self.session:
                lock = replace(current, heartbeat=moment)
            else:
                lock = self._new_lock(story_id, moment, since=moment)
                if current is not None:
                    lock = replace(lock, taken_from=current.who)
            locks[story_id] = self._mine[story_id] = lock
            return lock

    def release(self, story_id: str) -> None:
        """Give the story's lock back; a lock someone else took over is left alone."""
        with self._transaction() as locks:
            self._mine.pop(story_id, None)
            current = locks.get(story_id)
            if current is not None and current.session == self.session:
                del locks[story_id]

    def release_all(self) -> bool:
        """Release every lock this book holds (on exit).  False if the file could not be written.

        Failing here is harmless: once this process has exited its locks are stale and others get them.
        """
        with self._mutex:
            if not self._mine:
                return True
            try:
                with self._transaction() as locks:
                    for story_id in list(self._mine):
                        current = locks.get(story_id)
                        if current is not None and current.session == self.session:
                            del locks[story_id]
                    self._mine.clear()
            except LockError:
                return False
            return True

    def heartbeat(self) -> list[str]:
        """Refresh this process's locks; returns the story ids someone else has taken meanwhile.

        A lock that vanished (a deleted or damaged lock file) is put back, since nobody else holds it.
        """
        with self._mutex:
            if not self._mine:
                return []
            lost: list[str] = []
            with self._transaction() as locks:
                moment = self.clock()
                for story_id, held in list(self._mine.items()):
                    current = locks.get(story_id)
                    if current is not None and current.session != self.session:
                        lost.append(story_id)  # taken over (even if that process died since): say so
                        del self._mine[story_id]
                        continue
                    locks[story_id] = self._mine[story_id] = replace(held, heartbeat=moment)
            return lost

    # internals ------------------------------------------------------------------------------------------
    def _new_lock(self, story_id: str, moment: datetime, *, since: datetime) -> Lock:
        return Lock(
            story_id=story_id,
            user=self.user,
            host=self.host,
            pid=self.pid,
            since=since,
            heartbeat=moment,
            session=self.session,
            started=self._started,
            boot_id=self._boot,
        )

    def _stale(self, lock: Lock, moment: datetime) -> bool:
        if lock.session == self.session:
            return False
        if lock.host == self._this_host:
            boot = _boot_id()
            if lock.boot_id and boot and lock.boot_id != boot:
                return True
            alive, started = _process(lock.pid)
            # A different start time: the pid now belongs to another process.
            return not alive or (lock.started is not None and started is not None and started != lock.started)
        return moment - lock.heartbeat > self.expiry

    @property
    def _filelock(self) -> PathLock:
        """The lock on the lock file itself, made on first use (the file too, with the store's permissions)."""
        if self._filelock_object is None:
            self._filelock_object = PathLock(self.path, timeout=self.timeout, create=True, like=self.store_path)
        return self._filelock_object

    def _snapshot(self) -> dict[str, Lock]:
        """The file's locks, parsed again only when its identity, size or times changed."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._cache_key, self._cache = None, {}
            return self._cache
        except OSError as error:
            raise LockError(f"Cannot read the story locks {self.path}: {_reason(error)}.") from error
        key = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if key != self._cache_key:
            self._cache = self._read()
            self._cache_key = key
        return self._cache

    def _read(self) -> dict[str, Lock]:
        try:
            with open(self.path, "rb") as handle:
                data = handle.read(_MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            return {}
        except IsADirectoryError:
            return {}
        except OSError as error:
            raise LockError(f"Cannot read the story locks {self.path}: {_reason(error)}.") from error
        return {} if len(data) > _MAX_FILE_BYTES else _parse(data)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[dict[str, Lock]]:
        """Hold the lock, read the file, let the body change the dict, drop stale locks, write if changed."""
        with self._mutex:
            try:
                self._filelock.acquire()
            except LockTimeout as error:
                raise LockBusyError(
                    f"The story locks {self.path} are busy: another newsroom process has held them "
                    f"for more than {self.timeout:g} seconds."
                ) from error
            except OSError as error:
                raise LockError(f"Cannot lock the story locks {self.path}: {_reason(error)}.") from error
            held = dict(self._mine)
            try:
                before = self._read()
                locks = dict(before)
                yield locks
                moment = self.clock()
                locks = {story_id: lock for story_id, lock in locks.items() if not self._stale(lock, moment)}
                if locks != before:
                    self._write(locks)
            except BaseException:
                self._mine = held  # nothing was written: this book holds what it held before
                raise
            finally:
                self._filelock.release()

    def _write(self, locks: dict[str, Lock]) -> None:
        try:
            like = os.stat(self.store_path)
        except OSError:
            like = None
        lock = self._filelock
        try:  # the new file is locked before it is renamed in: whoever waits for the old one then retries on it
            try:
                write_atomically(
                    self.path, _serialise(locks), temp_suffix=_TEMP_SUFFIX, like=like, before_replace=lock.successor
                )
            except BaseException:
                lock.drop_successor()
                raise
            lock.adopt_successor()
            st = os.stat(self.path)
        except OSError as error:
            raise LockError(f"Could not write the story locks {self.path}: {_reason(error)}.") from error
        self._cache, self._cache_key = locks, (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def _clean_temporaries(self) -> None:
        """Remove temporaries a killed writer left; only under the lock, where none can be in use."""
        remove_temporaries(self.path, _TEMP_SUFFIX, lock=lambda: self._filelock)
