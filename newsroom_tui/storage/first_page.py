"""The desk's first page of a database, read by a forked child while the desk's own process loads Textual.

Why.  Before the desk can draw its first screen on PostgreSQL it needs psycopg (145 ms of imports on top of
Textual's), a connection and one answer: done in the desk's process, they came one after the other with
Textual's own start, on one core.  Forked at the start of `newsroom`, a child does them on the other core
meanwhile and hands back the list's first page and the counts by status; the desk's process opens its own
connection just after the first screen (as a TinyDB desk reads its store after drawing from the row cache),
and the list asks again then, so nothing saved in between is missed.

The child writes nothing but its answer: its output and errors go to /dev/null, it never reads the
terminal, and it ends with `os._exit` (no atexit handler, no buffer of the parent's flushed twice), with
the desk's process at the latest.  Any trouble (no `fork`, an empty database, a child cut short) gives no
page, and the desk starts the usual way, which says what is wrong; a store that cannot be opened at all (a
server that is away, a schema we cannot use) hands back its own sentence (`refusal`), which the desk says
without trying again (a connect timeout is 5 s).  The answer is a pickle, read from a pipe only this process
and its own child hold.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsroom_tui.domain.listing import PAGE_ROWS, StoryRow, counted_by_status
from newsroom_tui.storage.errors import StoreError

if TYPE_CHECKING:
    from newsroom_tui.domain.model import Status

# The child connects with a 5 s timeout (storage/postgres.py): past this, the desk stops waiting for it.
MOST_WAIT_SECONDS = 15.0
# However the desk ends meanwhile (SIGTERM, SIGKILL, a hang-up), the child ends by this: its reads have no
# deadline, and a database that holds them (a lock, a hung server) held an orphaned child and its connection.
CHILD_MOST_SECONDS = int(MOST_WAIT_SECONDS) + 5
# prctl(2): the signal the kernel sends this process when the thread that forked it ends (Linux).
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class FirstPage:
    """The default view's first page (no filter, no status asked for) and the counts by status."""

    counts: dict[Status, int]
    rows: list[StoryRow]

    @property
    def total(self) -> int:
        return counted_by_status(self.counts)


class FirstPageReader:
    """A forked child reading the first page; `take` waits for it."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd = fd
        self._taken = False
        # Why the store could not be opened, as its own sentence (a server away, a schema we cannot use):
        # what the usual start would say, after as long a wait again (a connect timeout is 5 s).
        self.refusal: StoreError | None = None

    @classmethod
    def start(cls, url: str) -> FirstPageReader | None:
        """Fork the reader; None where this system cannot (the desk then reads the page itself).  Call it
        while the process has one thread: a child forked beside others can inherit a lock one of them held."""
        if not hasattr(os, "fork"):
            return None
        parent = os.getpid()
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return None
        if pid == 0:  # pragma: no cover - the child: measured by coverage only in the parent
            os.close(read_end)
            _read_first_page(url, write_end, parent)
        os.close(write_end)
        return cls(pid, read_end)

    def take(self, timeout: float = MOST_WAIT_SECONDS) -> FirstPage | None:
        """The child's answer, once it has ended; None if it gave none (then the caller reads it itself, or,
        when the store could not be opened at all, says `refusal`)."""
        if self._taken:
            return None
        self._taken = True
        data = bytearray()
        deadline = time.monotonic() + timeout
        ended = False
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                ready, _, _ = select.select([self._fd], [], [], remaining)
                if not ready:
                    break
                chunk = os.read(self._fd, 1 << 16)
                if not chunk:
                    ended = True
                    break
                data += chunk
        except (OSError, InterruptedError):
            ended = False
        finally:
            os.close(self._fd)
            self._reap(kill=not ended)
        if not ended or not data:
            return None
        try:
            page = pickle.loads(bytes(data))
        except Exception:  # a child cut short: no answer, the desk reads the page itself
            return None
        if isinstance(page, StoreError):
            self.refusal = page
            return None
        return page if isinstance(page, FirstPage) else None

    def cancel(self) -> None:
        """Not needed after all (the desk is not starting): stop the child and reap it."""
        if not self._taken:
            self._taken = True
            os.close(self._fd)
            self._reap(kill=True)

    def _reap(self, *, kill: bool) -> None:
        if kill:
            with contextlib.suppress(OSError):
                os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self._pid, 0)


def _end_with(parent: int) -> None:  # pragma: no cover - runs in the forked child
    """In the child: end when the desk's process does, however it ends (the kernel's parent-death signal on
    Linux), and in any case by CHILD_MOST_SECONDS (SIGALRM, whose default ends the process even inside libpq)."""
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # a handler inherited (a test's timeout) would wait for libpq
    signal.alarm(CHILD_MOST_SECONDS)
    with contextlib.suppress(Exception):  # not Linux: the alarm alone
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the desk ended before the signal was asked for
        os._exit(1)


def _read_first_page(url: str, fd: int, parent: int) -> None:  # pragma: no cover - runs in the forked child
    """In the child: connect, read, write the answer, end.  Never returns."""
    code = 1
    try:
        _end_with(parent)
        devnull = os.open(os.devnull, os.O_RDWR)
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        os.close(devnull)
        from newsroom_tui.storage.backends import open_store
        from newsroom_tui.storage.contract import QueryStore

        try:
            store = open_store(url)
        except StoreError as error:  # the sentence the usual start would give: said without trying again
            _write(fd, pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL))
            return
        with store:
            if isinstance(store, QueryStore) and not store.is_empty():
                counts = store.status_counts()
                rows = store.window_rows("", None, 0, PAGE_ROWS, total=counted_by_status(counts))
                _write(fd, pickle.dumps(FirstPage(counts, rows), protocol=pickle.HIGHEST_PROTOCOL))
                code = 0
    except BaseException:  # no answer is the answer: the desk reads the page itself
        pass
    finally:
        os._exit(code)


def _write(fd: int, data: bytes) -> None:  # pragma: no cover - runs in the forked child
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
