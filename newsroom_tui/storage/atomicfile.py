"""Writing files so that a crash, a kill or a full disk never leaves half of one.

Shared by the store, the lock book, the recovery journal, the outbox and `check --fix`: a temporary file
in the same folder, every byte written, fsync, `os.replace` over the target, fsync of the folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def os_reason(error: OSError) -> str:
    """An OS error as the end of a sentence a desk editor can act on."""
    reasons = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is used up",
        errno.EROFS: "the folder is on a read-only file system",
        errno.EACCES: "no permission to write there",
        errno.EPERM: "no permission to write there",
        errno.ENOTDIR: "part of the path is a file, not a folder",
        errno.EEXIST: "part of the path is a file, not a folder",
    }
    return reasons.get(error.errno or 0) or (error.strerror or str(error)).lower()


def write_all(fd: int, data: bytes) -> None:
    """`os.write` until every byte is down (a write may be short)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.EIO, "short write")
        view = view[written:]


def fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut; best effort (some file systems refuse)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def temporary_name(target: Path, suffix: str = ".tmp") -> Path:
    """A hidden name beside `target`, unique to this process and call (cleanup code globs for it)."""
    return target.with_name(f".{target.name}.{os.getpid()}-{os.urandom(4).hex()}{suffix}")


def make_folder(folder: Path) -> None:
    """Make `folder` and any missing parents, private (0700): what we create holds drafts and stories.

    A folder that exists keeps its mode: sharing one is the desk's decision (see the README).
    """
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for each in reversed(missing):
        try:
            os.mkdir(each, 0o700)
        except FileExistsError:
            if not each.is_dir():
                raise
        else:
            with contextlib.suppress(OSError):
                os.chmod(each, 0o700)  # mkdir's mode passes through the umask; 0700 is 0700 whatever it is


def real_path(path: Path | str) -> Path:
    """The file `path` names, every symlink resolved (absolute).

    Resolved once, when a store is opened: its side files (revisions, locks, row cache, pending
    deliveries, `.bak`, temporaries) go beside the real file, so every path to one store finds the
    same side files, and a compaction replaces the file, never a link to it.
    """
    return Path(os.path.realpath(path))


class LockTimeout(TimeoutError):
    """Another process held the lock for longer than the timeout."""


class PathLock:
    """An exclusive lock on the file at `path` itself, not on a side file beside it.

    Why.  A side lock file (`newsroom.json.lock`) can be deleted while a writer holds it; the next writer
    then creates a new one and locks that, and both write at once (issue 11: 3 of 300 acknowledged saves
    lost).  Nobody deletes the data file itself while working, so its lock is the one that holds.
    `flock` (not `fcntl` record locks): it belongs to the open file, so closing another descriptor on the
    same file (a reader, the row cache) does not drop it, two objects in one process exclude each other,
    and the kernel drops it when the holder dies.  A read-only descriptor is enough, so a store nobody
    may write can still be locked (and then refused with a sentence).

    The file is replaced whole now and then (a compaction, a rewritten lock book): its holder renames a
    new file over it.  So after taking the lock the inode is checked against the path; a waiter that got
    the old, replaced file lets it go and locks what the path names now.  The holder locks the new file
    before renaming it in (`successor`), so a newcomer waits for it too.

    Reentrant (a count), not thread-safe: callers hold their own mutex.  `create` makes the file (with
    `mode`) when it is missing, for files that may not exist yet.
    """

    def __init__(
        self, path: Path, *, timeout: float, create: bool = False, mode: int = 0o600, like: Path | None = None
    ) -> None:
        self.path = path
        self.timeout = timeout
        self.create = create
        self.mode = mode
        self.like = like  # a file it makes takes this file's mode and group (a side file follows its store)
        self._fd: int | None = None
        self._count = 0
        self._next: int | None = None

    @property
    def is_locked(self) -> bool:
        return self._fd is not None

    def acquire(self, timeout: float | None = None) -> None:
        """Wait (up to `timeout`, else the lock's) for the lock; LockTimeout, or the OSError of opening."""
        import fcntl

        if self._fd is not None:
            self._count += 1
            return
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while True:
            fd = self._open()
            if fd is None:
                continue  # made by another process at the same moment: open theirs
            try:
                delay = 0.0005
                while True:
                    try:
                        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            raise LockTimeout(errno.EAGAIN, f"{self.path} is locked") from None
                        time.sleep(delay)
                        delay = min(delay * 2, 0.02)
                if self._names(fd):
                    self._fd, self._count = fd, 1
                    return
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)  # replaced (or deleted) while we waited: lock what the path names now

    def _open(self) -> int | None:
        """A read-only descriptor on the file; made (with `like`'s permissions) if missing and `create`."""
        try:
            return os.open(self.path, os.O_RDONLY | _CLOEXEC)
        except FileNotFoundError:
            if not self.create:
                raise
        make_folder(self.path.parent)
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, self.mode)
        except FileExistsError:
            return None
        if self.like is not None:
            with contextlib.suppress(OSError):
                copy_permissions(fd, os.stat(self.like))
        return fd

    def release(self) -> None:
        if self._fd is None:
            return
        self._count -= 1
        if self._count <= 0:
            fd, self._fd, self._count = self._fd, None, 0
            os.close(fd)  # closing the only descriptor of this open file releases the flock

    def successor(self, fd: int) -> None:
        """Lock the file about to be renamed over `path` (its descriptor `fd`), before the rename.

        `adopt_successor` after the rename makes it the held lock; `drop_successor` if it never happened.
        """
        import fcntl

        duplicate = os.dup(fd)  # the same open file: its flock outlives the writer closing `fd`
        try:
            fcntl.flock(duplicate, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody else knows the file yet
        except BaseException:
            os.close(duplicate)
            raise
        self.drop_successor()
        self._next = duplicate

    def adopt_successor(self) -> None:
        """The new file is in place: hold its lock, let the old file's go (its waiters then retry)."""
        if self._next is None:
            return
        old, self._fd, self._next = self._fd, self._next, None
        if old is not None:
            os.close(old)

    def drop_successor(self) -> None:
        if self._next is not None:
            with contextlib.suppress(OSError):
                os.close(self._next)
            self._next = None

    def _names(self, fd: int) -> bool:
        """Whether `path` still names the file open as `fd`."""
        held = os.fstat(fd)
        try:
            current = os.stat(self.path)
        except FileNotFoundError:
            if self.create:
                return False  # deleted: make it again and lock that
            raise
        return (held.st_dev, held.st_ino) == (current.st_dev, current.st_ino)


def temporaries_of(target: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """The temporary files `temporary_name` makes beside `target`: live ones, and any a killed writer left."""
    escaped = "".join(f"[{ch}]" if ch in "*?[" else ch for ch in target.name)
    return target.parent.glob(f".{escaped}.*{suffix}")


def remove_temporaries(target: Path, suffix: str, lock: Callable[[], Any] | None) -> None:
    """Remove the temporaries a killed writer left beside `target`.

    Only while holding the writers' file lock, where none can be in use: `lock()` gives it and it is
    taken without waiting (busy: left for another time); `lock=None` when the caller holds it.  It looks
    first, so the usual case (nothing left) takes no lock.
    """
    held = None
    if lock is not None:
        if next(temporaries_of(target, suffix), None) is None:
            return
        held = lock()
        try:
            held.acquire(timeout=0)
        except OSError:  # busy (filelock.Timeout and LockTimeout are TimeoutErrors), or cannot lock
            return
    try:
        for leftover in temporaries_of(target, suffix):
            with contextlib.suppress(OSError):
                leftover.unlink()
    finally:
        if held is not None:
            held.release()


def copy_permissions(fd: int, like: os.stat_result) -> None:
    """Give a file the mode, group and (where we may: root) owner of `like`.

    So editors sharing a group can all keep writing what any of them made, and a file rewritten in place
    stays whose it was.  Never the set-id bits.  Best effort: a file system that refuses keeps its defaults.
    """
    with contextlib.suppress(OSError):
        os.fchmod(fd, stat.S_IMODE(like.st_mode) & 0o777)
    if like.st_uid != os.geteuid():
        try:
            os.fchown(fd, like.st_uid, like.st_gid)
            return
        except OSError:
            pass  # only root gives a file away: keep ours, with the group
    with contextlib.suppress(OSError):
        if os.fstat(fd).st_gid != like.st_gid:
            os.fchown(fd, -1, like.st_gid)


def write_atomically(
    path: Path,
    data: bytes | Iterable[bytes],
    *,
    temp_suffix: str = ".tmp",
    mode: int = 0o666,
    like: os.stat_result | None = None,
    before_replace: Callable[[int], None] | None = None,
    follow_symlinks: bool = False,
) -> None:
    """Replace `path` with `data` whole, or leave it as it was (and no temporary file behind).

    `data` may be chunks, so the store can write a compacted journal without joining it in memory;
    `before_replace` gets the new file's descriptor, written and fsynced, just before it is renamed over
    `path` (a store locks it there).

    Permissions (README, "Who can read the store"): with `like`, the file gets `like`'s mode, group and
    owner where possible (a side file follows its store); else a file already at `path` keeps its own (a
    file rewritten in place); else a new file gets `mode`, less the umask.  The temporary is 0600 until
    then, so its words are never readable by more people than the finished file's.

    `follow_symlinks`: a symlink at `path` stays one and its target is rewritten (for files the editor
    named: `check --fix FILE`, `export -o FILE`).  Off for side files, where a planted link must not
    redirect a write.
    """
    if follow_symlinks:
        path = real_path(path)
    if like is None:
        with contextlib.suppress(OSError):
            existing = os.stat(path)
            if stat.S_ISREG(existing.st_mode):
                like = existing
    temporary = temporary_name(path, temp_suffix)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _CLOEXEC, 0o600 if like is not None else mode)
    try:
        try:
            if like is not None:
                copy_permissions(fd, like)
            for chunk in [data] if isinstance(data, bytes | bytearray) else data:
                write_all(fd, chunk)
            os.fsync(fd)
            if before_replace is not None:
                before_replace(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_dir(path.parent)
