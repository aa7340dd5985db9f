"""Writing files so that a crash, a kill or a full disk never leaves half of one.

Shared by the store, the lock book, the recovery journal, the outbox and `check --fix`: a temporary file
in the same folder, every byte written, fsync, `os.replace` over the target, fsync of the folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any


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


def file_lock(lock_path: Path, *, like: Path, timeout: float) -> Any:
    """A `filelock.FileLock` on `lock_path` whose file gets `like`'s permissions: editors on one server
    may be different OS users.  filelock is imported here, when a writer first needs a lock: importing
    it costs about 40 ms, and the desk's start takes no lock."""
    import filelock

    try:
        mode = stat.S_IMODE(os.stat(like).st_mode) & 0o666
    except OSError:
        return filelock.FileLock(lock_path, timeout=timeout)
    return filelock.FileLock(lock_path, timeout=timeout, mode=mode)


def temporaries_of(target: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """The temporary files `temporary_name` makes beside `target`: live ones, and any a killed writer left."""
    escaped = "".join(f"[{ch}]" if ch in "*?[" else ch for ch in target.name)
    return target.parent.glob(f".{escaped}.*{suffix}")


def remove_temporaries(target: Path, suffix: str, lock: Callable[[], Any] | None) -> None:
    """Remove the temporaries a killed writer left beside `target`.

    Only while holding the writers' file lock, where none can be in use: `lock()` gives it and it is
    taken without waiting (busy: left for another time); `lock=None` when the caller holds it.  It looks
    first, so the usual case (nothing left) takes no lock and imports no filelock.
    """
    held = None
    if lock is not None:
        if next(temporaries_of(target, suffix), None) is None:
            return
        import filelock

        held = lock()
        try:
            held.acquire(timeout=0)
        except (filelock.Timeout, OSError):
            return
    try:
        for leftover in temporaries_of(target, suffix):
            with contextlib.suppress(OSError):
                leftover.unlink()
    finally:
        if held is not None:
            held.release()


def copy_permissions(fd: int, like: os.stat_result) -> None:
    """Give a new file the mode and group of `like`, so editors sharing a group can all keep writing."""
    with contextlib.suppress(OSError):
        os.fchmod(fd, stat.S_IMODE(like.st_mode) & 0o666)
    with contextlib.suppress(OSError):
        os.fchown(fd, -1, like.st_gid)


def write_atomically(
    path: Path,
    data: bytes | Iterable[bytes],
    *,
    temp_suffix: str = ".tmp",
    mode: int = 0o666,
    like: os.stat_result | None = None,
) -> None:
    """Replace `path` with `data` whole, or leave it as it was (and no temporary file behind).

    `data` may be chunks, so the store can write a compacted journal without joining it in memory;
    `like` copies another file's mode and group onto the new one.
    """
    temporary = temporary_name(path, temp_suffix)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
    try:
        try:
            if like is not None:
                copy_permissions(fd, like)
            for chunk in [data] if isinstance(data, bytes | bytearray) else data:
                write_all(fd, chunk)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_dir(path.parent)
