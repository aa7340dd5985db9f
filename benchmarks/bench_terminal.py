"""What the desk sends down the wire: bytes and start-up time in a real pseudo-terminal, beside its peers.

Run: python benchmarks/bench_terminal.py [--stories 10000] [--decode] [--strict]

Over SSH every byte a terminal app writes crosses the network, so this counts them.  Each subject runs in
a pseudo-terminal (stdlib `os.openpty`, the window size set with TIOCSWINSZ) at 80×24 and 120×40, with
TERM=xterm-256color, LANG=C.UTF-8, COLORTERM unset and a clean HOME/XDG in a temporary folder:

1. `newsroom --db STORE` on a store of 1,000 generated stories (bench_store.make_story), the first row
   being a ~4 KB English story (the newest `updated_at`, so Enter opens it), with the row cache a desk
   session leaves beside it (newsroom_tui.storage.rowcache); its start-up is also measured without that cache
   (the first start after an upgrade or a compaction);
2. `bare_textarea_app.py`: a bare Textual TextArea, soft wrap on, the same text, focused, nothing else;
3. `vim -u NONE -n` on the same text (skipped, with a note, where vim is absent).

Measured per subject and size: the time from starting the process to the first screen (the story list
for newsroom: its first row's headline and "stories" from the status line; for the peers the text's
first words; with the CPU the process had used by then, read from /proc, which swings far less than the
wall clock on a shared machine), the bytes of the first paint (until 300 ms pass without output), then:
open the story (newsroom: Enter), move to the middle of the body with Down (counted), type 50 characters
one at a time (each followed by waiting for the first byte, then 60 ms of quiet, at most 1 s), arrow
keys and page down, and 5 s of idling. A reader thread drains the pty all along, so a child never blocks
on a full buffer, and answers the queries a terminal would (Textual asks DECRQM 2026/2048 with `CSI ? n $ p`
and does not wait for the answer; a cursor-position or device-attributes query gets xterm's answer).

Budgets (the SSH performance issue): typing ≤ 1,000 B/key at 120×40 and ≤ 600 B/key at 80×24 (mean);
idle 0 B/s; start-up to the first screen ≤ 1.3× the bare TextArea's at 1,000 stories (1.6× at 10,000,
`--stories 10000`).

`--db URL` measures the desk on a PostgreSQL store that is already there (nothing is built; the target
story is saved into it again, so it is the newest, the list's first row): issue 12's budgets, the first
screen ≤ 1.5× the bare TextArea's in the same run and the desk's memory ≤ 150 MB (the RSS of the real
`newsroom --db URL` process when its first screen is out, and its peak, VmHWM).  At a million stories
one start-up takes minutes: `--startup-runs 1 --sizes 120x40 --subjects newsroom textarea`.
PASS/FAIL is printed per budget; the exit status is 0 unless `--strict`.
`--decode` adds, per run, which screen rows one keystroke repainted (from the `ESC[row;colH` moves),
and what its bytes are made of (text, SGR colour codes, cursor moves).  `--modern-terminal` answers the
DECRQM queries as kitty/WezTerm/foot do (synchronized output supported), `--idle`, `--sizes` and
`--subjects` narrow a run.  Start-up times are medians of `--startup-runs` launches, interleaved across
subjects; on a busy machine they swing, the byte counts do not.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import random
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BARE_APP = HERE / "bare_textarea_app.py"
SIZES: tuple[tuple[int, int], ...] = ((80, 24), (120, 40))
TYPED = "Ferry services resumed at dawn after a long halt. "  # 50 printable characters
TARGET_HEADLINE = "Padma ferry fares cut"  # short enough for the list's headline column at 80 columns
TYPING_BUDGETS = {(120, 40): 1000, (80, 24): 600}  # bytes per keystroke, mean
STARTUP_BUDGETS = {1000: 1.3, 10000: 1.6}  # newsroom's first screen / the bare TextArea's
DATABASE_STARTUP_BUDGET = 1.5  # issue 12: on PostgreSQL, whatever the archive's size
DATABASE_MEMORY_BUDGET = 150  # MB, issue 12: the desk's memory on PostgreSQL

# Keys as xterm sends them; arrows follow DECCKM (vim switches to application cursor keys).
KEYS = {
    "enter": b"\r",
    "escape": b"\x1b",
    "pagedown": b"\x1b[6~",
    "pageup": b"\x1b[5~",
    "f3": b"\x1bOR",
    "ctrl+q": b"\x11",
}
ARROWS = {"up": "A", "down": "B", "right": "C", "left": "D"}


def key_bytes(name: str, application_cursor: bool = False) -> bytes:
    if name in ARROWS:
        return (b"\x1bO" if application_cursor else b"\x1b[") + ARROWS[name].encode()
    if name in KEYS:
        return KEYS[name]
    if len(name) == 1:
        return name.encode()
    raise ValueError(f"unknown key {name!r}")


# -- decoding terminal output ------------------------------------------------------------------------
TOKEN = re.compile(
    rb"""
      (?P<csi>\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e])
    | (?P<osc>\x1b\][^\x07\x1b]*(?:\x07|\x1b\\))
    | (?P<dcs>\x1b[P^_X][^\x1b]*\x1b\\)
    | (?P<esc>\x1b[\x20-\x2f]*[\x30-\x5a\x5c-\x7e])
    | (?P<c0>[\x00-\x1a\x1c-\x1f\x7f])
    | (?P<text>[^\x00-\x1f\x7f]+)
    """,
    re.VERBOSE,
)
INCOMPLETE = re.compile(rb"\x1b(?:\[[\x20-\x3f]*|\][^\x07\x1b]*|[P^_X][^\x1b]*|[\x20-\x2f]*)\Z")


def cell_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


@dataclass
class RowStat:
    """What one stretch of output did to one screen row (1-based)."""

    bytes: int = 0
    text: int = 0  # bytes of printed characters
    sgr: int = 0  # colour and style codes (CSI … m)
    cursor: int = 0  # cursor moves: CUP, CR/LF, relative moves
    other: int = 0  # erases, modes, OSC…
    cells: int = 0  # cells written
    preview: str = ""

    def add(self, kind: str, size: int) -> None:
        self.bytes += size
        setattr(self, kind, getattr(self, kind) + size)


class ScreenTracker:
    """Follows the cursor through a byte stream well enough to say which row each byte went to.

    Not a terminal emulator: it keeps no cells, only the cursor, the scroll region's bottom, autowrap
    and DECCKM (application cursor keys, which decide what an arrow key sends).
    """

    def __init__(self, cols: int, rows: int) -> None:
        self.cols, self.rows = cols, rows
        self.row = self.col = 0
        self.saved = (0, 0)
        self.autowrap = True
        self.application_cursor = False
        self._carry = b""

    def state(self) -> tuple[int, int, bool, bool]:
        return self.row, self.col, self.autowrap, self.application_cursor

    def restore(self, state: tuple[int, int, bool, bool]) -> None:
        self.row, self.col, self.autowrap, self.application_cursor = state

    def feed(self, data: bytes, stats: dict[int, RowStat] | None = None) -> None:
        """Advance over `data`; an escape sequence cut off at the end waits for the next call."""
        data = self._carry + data
        cut = INCOMPLETE.search(data[-512:])
        if cut is not None and cut.start() < cut.end():
            split = len(data) - len(data[-512:]) + cut.start()
            data, self._carry = data[:split], data[split:]
        else:
            self._carry = b""
        tail = len(data)
        while tail and data[tail - 1] & 0xC0 == 0x80:  # a UTF-8 character cut in two
            tail -= 1
        if tail and data[tail - 1] >= 0xC0:
            self._carry = data[tail - 1 :] + self._carry
            data = data[: tail - 1]
        for match in TOKEN.finditer(data):
            self._token(match.lastgroup or "text", match.group(), stats)

    def _stat(self, stats: dict[int, RowStat] | None) -> RowStat | None:
        if stats is None:
            return None
        return stats.setdefault(self.row + 1, RowStat())

    def _token(self, kind: str, token: bytes, stats: dict[int, RowStat] | None) -> None:
        size = len(token)
        if kind == "text":
            for char in token.decode("utf-8", "replace"):
                width = cell_width(char)
                if self.autowrap and self.col + width > self.cols:
                    self.row, self.col = min(self.row + 1, self.rows - 1), 0
                stat = self._stat(stats)
                if stat is not None:
                    stat.add("text", len(char.encode("utf-8")))
                    stat.cells += width
                    if len(stat.preview) < 400:
                        stat.preview += char
                self.col = min(self.col + width, self.cols if self.autowrap else self.cols - 1)
            return
        if kind == "csi":
            self._csi(token, stats)
            return
        if kind == "c0":
            code = token[0]
            if code == 0x0D:
                self.col = 0
            elif code == 0x0A:
                self.row = min(self.row + 1, self.rows - 1)
            elif code == 0x08:
                self.col = max(self.col - 1, 0)
            elif code == 0x09:
                self.col = min((self.col // 8 + 1) * 8, self.cols - 1)
            stat = self._stat(stats)
            if stat is not None:
                stat.add("cursor" if code in (0x08, 0x09, 0x0A, 0x0D) else "other", size)
            return
        if kind == "esc":
            if token == b"\x1b7":
                self.saved = (self.row, self.col)
            elif token == b"\x1b8":
                self.row, self.col = self.saved
            elif token in (b"\x1bD", b"\x1bE"):
                self.row = min(self.row + 1, self.rows - 1)
                if token == b"\x1bE":
                    self.col = 0
            elif token == b"\x1bM":
                self.row = max(self.row - 1, 0)
        stat = self._stat(stats)
        if stat is not None:
            stat.add("other", size)

    def _csi(self, token: bytes, stats: dict[int, RowStat] | None) -> None:
        final = chr(token[-1])
        body = token[2:-1].decode("latin-1")
        private = body[:1] if body[:1] in "?>=<" else ""
        params = [int(p) if p.isdigit() else 0 for p in body[len(private) :].rstrip(" $'\"!").split(";")]
        first = params[0] if params else 0
        kind = "other"
        if private == "" and final in "Hf":
            row = params[0] if len(params) > 0 and params[0] else 1
            col = params[1] if len(params) > 1 and params[1] else 1
            self.row, self.col = min(row, self.rows) - 1, min(col, self.cols) - 1
            kind = "cursor"
        elif private == "" and final in "ABCDEFGde`a":
            count = first or 1
            if final == "A":
                self.row = max(self.row - count, 0)
            elif final in "Be":
                self.row = min(self.row + count, self.rows - 1)
            elif final in "Ca":
                self.col = min(self.col + count, self.cols - 1)
            elif final == "D":
                self.col = max(self.col - count, 0)
            elif final in "E":
                self.row, self.col = min(self.row + count, self.rows - 1), 0
            elif final in "F":
                self.row, self.col = max(self.row - count, 0), 0
            elif final in "G`":
                self.col = min(count, self.cols) - 1
            elif final == "d":
                self.row = min(count, self.rows) - 1
            kind = "cursor"
        elif private == "" and final == "m":
            kind = "sgr"
        elif private == "?" and final in "hl":
            on = final == "h"
            if 1 in params:
                self.application_cursor = on
            if 7 in params:
                self.autowrap = on
        elif private == "" and final == "s":
            self.saved = (self.row, self.col)
        elif private == "" and final == "u":
            self.row, self.col = self.saved
        stat = self._stat(stats)
        if stat is not None:
            stat.add(kind, len(token))


def decode(data: bytes, cols: int, rows: int, start: tuple[int, int, bool, bool] | None = None) -> dict[int, RowStat]:
    """Bytes per screen row (1-based) of `data`, starting from a known cursor state."""
    tracker = ScreenTracker(cols, rows)
    if start is not None:
        tracker.restore(start)
    stats: dict[int, RowStat] = {}
    tracker.feed(data, stats)
    return stats


def repainted_rows(stats: dict[int, RowStat]) -> list[int]:
    """Rows that got characters written or erased (not rows the cursor only passed through)."""
    return sorted(row for row, stat in stats.items() if stat.cells or stat.other)


PLAIN = re.compile(rb"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[^\[\]]")


def plain_text(data: bytes) -> str:
    """The printed characters of `data`, escape sequences removed (rows run together)."""
    return PLAIN.sub(b"", data).decode("utf-8", "replace")


# -- answering terminal queries -------------------------------------------------------------------
QUERY = re.compile(
    rb"\x1b\[(?P<decrqm>\??\d+)\$p"  # DECRQM: is mode n supported?
    rb"|\x1b\[(?P<da1>0?)c"  # primary device attributes
    rb"|\x1b\[>(?P<da2>0?)c"  # secondary device attributes
    rb"|\x1b\[(?P<dsr>\??[56])n"  # device status / cursor position report
    rb"|\x1b\[>(?P<xtversion>0?)q"  # terminal name and version
    rb"|\x1b\[(?P<winops>1[48])t"  # text area size in pixels / characters
    rb"|\x1b\](?P<osc>1[0-2]|4;\d+);\?(?:\x07|\x1b\\)"  # colour queries
    rb"|\x1bP\+q(?P<xtgettcap>[0-9A-Fa-f;]*)\x1b\\"  # termcap queries
    rb"|\x1b\[\?(?P<kitty>)u"  # kitty keyboard flags: xterm does not answer
)


def answer(match: re.Match[bytes], tracker: ScreenTracker, modern: bool) -> tuple[str, bytes]:
    """(what was asked, what xterm would answer); `modern` claims synchronized output and in-band resize."""
    groups = {name: value for name, value in match.groupdict().items() if value is not None}
    kind = next(iter(groups))
    if kind == "decrqm":
        mode = groups["decrqm"].decode()
        supported = modern and mode in ("?2026", "?2048")
        return f"DECRQM {mode}", f"\x1b[{mode};{2 if supported else 0}$y".encode()
    if kind == "da1":
        return "DA1", b"\x1b[?62;22c"
    if kind == "da2":
        return "DA2", b"\x1b[>41;390;0c"
    if kind == "dsr":
        if groups["dsr"].endswith(b"5"):
            return "DSR", b"\x1b[0n"
        private = "?" if groups["dsr"].startswith(b"?") else ""
        return "CPR", f"\x1b[{private}{tracker.row + 1};{tracker.col + 1}R".encode()
    if kind == "xtversion":
        return "XTVERSION", b"\x1bP>|XTerm(390)\x1b\\"
    if kind == "winops":
        if groups["winops"] == b"18":
            return "window size", f"\x1b[8;{tracker.rows};{tracker.cols}t".encode()
        return "window pixels", f"\x1b[4;{tracker.rows * 16};{tracker.cols * 8}t".encode()
    if kind == "osc":
        what = groups["osc"].decode()
        colour = "ffff/ffff/ffff" if what == "10" else "0000/0000/0000"
        return f"OSC {what}", f"\x1b]{what};rgb:{colour}\x1b\\".encode()
    if kind == "xtgettcap":
        return "XTGETTCAP", b"\x1bP0+r\x1b\\"
    return "kitty keyboard (no answer)", b""


# -- a program in a pseudo-terminal ------------------------------------------------------------------
@dataclass
class Chunk:
    at: float  # seconds since the process started
    data: bytes
    state: tuple[int, int, bool, bool]  # the cursor before this chunk


class PtyProcess:
    """A child on a fresh pty, its output drained and timestamped by a reader thread."""

    def __init__(
        self, argv: Sequence[str], *, cols: int, rows: int, env: dict[str, str], cwd: Path, modern: bool = False
    ) -> None:
        self.argv, self.cols, self.rows, self.env, self.cwd = list(argv), cols, rows, env, cwd
        self.modern = modern
        self.chunks: list[Chunk] = []
        self.queries: dict[str, int] = {}
        self.tracker = ScreenTracker(cols, rows)
        self._cond = threading.Condition()
        self._scan = b""
        self._master = -1
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._closed = False
        self._output_closed = False
        self.started = 0.0
        self.last_output = 0.0

    # life cycle
    def start(self) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.cols, 0, 0))
        self._master = master
        self.started = time.monotonic()
        try:
            self._process = subprocess.Popen(
                self.argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self.env,
                cwd=self.cwd,
                start_new_session=True,  # its own session and process group: killed as one
                preexec_fn=_make_controlling_tty,  # one ioctl; no lock the child could need
                close_fds=True,
            )
        except BaseException:
            self._closed = True
            os.close(master)
            raise
        finally:
            os.close(slave)
        self._thread = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the child (SIGTERM to its group, SIGKILL after 2 s) and the reader; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        process = self._process
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        if process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)  # anything it left behind in its group
        if self._thread is not None:
            self._thread.join(timeout=2)
        with contextlib.suppress(OSError):
            os.close(self._master)

    def __enter__(self) -> PtyProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def cpu_seconds(self) -> float | None:
        """The child's CPU time so far (user + system, all its threads, and the children it has reaped: a
        database desk's forked first-page reader), from /proc; None where there is none.

        On a machine shared with other work the wall-clock start-up swings by 100 ms and more from launch to
        launch; the CPU a start-up costs hardly moves, so it is shown beside it."""
        if self._process is None:
            return None
        try:
            stat = Path(f"/proc/{self._process.pid}/stat").read_text()
        except OSError:
            return None
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": state is fields[0]
        return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")  # utime stime cutime cstime

    def memory_mb(self) -> tuple[float | None, float | None]:
        """The child's resident memory now and its peak (VmRSS, VmHWM from /proc), in MB; None where unknown."""
        if self._process is None:
            return None, None
        found: dict[str, float] = {}
        with contextlib.suppress(OSError, ValueError):
            for line in Path(f"/proc/{self._process.pid}/status").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    found[name] = int(value.split()[0]) / 1024
        return found.get("VmRSS"), found.get("VmHWM")

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self._master], [], [], 0.1)
            except (OSError, ValueError):
                break
            if not ready:
                if self._closed:
                    break
                continue
            try:
                data = os.read(self._master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            now = time.monotonic() - self.started
            with self._cond:
                self.chunks.append(Chunk(now, data, self.tracker.state()))
                self.tracker.feed(data)
                self.last_output = now
                self._answer_queries(data)
                self._cond.notify_all()
        with self._cond:
            self._output_closed = True
            self._cond.notify_all()

    def _answer_queries(self, data: bytes) -> None:
        self._scan = (self._scan + data)[-4096:]
        end = 0
        for match in QUERY.finditer(self._scan):
            what, reply = answer(match, self.tracker, self.modern)
            self.queries[what] = self.queries.get(what, 0) + 1
            if reply:
                with contextlib.suppress(OSError):
                    os.write(self._master, reply)
            end = match.end()
        self._scan = self._scan[end:][-64:]

    # input and output
    def now(self) -> float:
        return time.monotonic() - self.started

    def send(self, data: bytes) -> None:
        os.write(self._master, data)

    def mark(self) -> int:
        with self._cond:
            return len(self.chunks)

    def output(self, since: int = 0, until: int | None = None) -> bytes:
        with self._cond:
            return b"".join(chunk.data for chunk in self.chunks[since:until])

    def state_at(self, index: int) -> tuple[int, int, bool, bool]:
        with self._cond:
            return self.chunks[index].state if index < len(self.chunks) else self.tracker.state()

    def wait_for(self, found: Callable[[str], bool], timeout: float) -> float | None:
        """Seconds from start to the chunk that made `found(plain output)` true; None on timeout or exit."""
        deadline = time.monotonic() + timeout
        checked = 0
        with self._cond:
            while True:
                if len(self.chunks) > checked:
                    checked = len(self.chunks)
                    # The whole output each time (it is small): an escape cut between chunks stays whole.
                    if found(plain_text(b"".join(chunk.data for chunk in self.chunks))):
                        return self.chunks[-1].at
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self._output_closed and len(self.chunks) == checked):
                    return None
                self._cond.wait(min(remaining, 0.5))

    def wait_quiet(self, quiet: float, max_wait: float, *, need_output: bool = False, since: int = 0) -> bool:
        """Wait until `quiet` seconds pass with no output (after the first byte since `since` if
        `need_output`), at most `max_wait` seconds; True if it went quiet."""
        begin = self.now()
        deadline = begin + max_wait
        with self._cond:
            while True:
                now = self.now()
                if now >= deadline:
                    return False
                got_output = len(self.chunks) > since
                if need_output and not got_output:
                    if self._output_closed:
                        return False
                    self._cond.wait(deadline - now)
                    continue
                last = max(self.last_output, begin) if got_output else begin
                remaining = quiet - (now - last)
                if remaining <= 0:
                    return True
                self._cond.wait(min(remaining, deadline - now))

    def press(self, data: bytes, *, quiet: float = 0.06, max_wait: float = 1.0) -> tuple[int, int, float | None]:
        """Send one key; wait for its first byte, then for `quiet` s of quiet (at most `max_wait` s).

        Returns (first chunk index, end chunk index, seconds to the first byte or None)."""
        begin = self.mark()
        sent = self.now()
        self.send(data)
        self.wait_quiet(quiet, max_wait, need_output=True, since=begin)
        end = self.mark()
        latency = None
        if end > begin:
            with self._cond:
                latency = max(self.chunks[begin].at - sent, 0.0)
        return begin, end, latency


def _make_controlling_tty() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


# -- subjects --------------------------------------------------------------------------------------
@dataclass
class Subject:
    name: str
    argv: list[str]
    markers: list[str]  # every one must be on screen for the first screen to count
    open_keys: list[str] = field(default_factory=list)  # keys that bring up the text to edit
    insert_key: str | None = None  # vim: "i" before typing, Escape after
    down_counts: dict[tuple[int, int], int] = field(default_factory=dict)  # Down presses to the middle
    store: Path | None = None  # newsroom's store, whose row cache the cold start-ups remove


@dataclass
class Plan:
    """What one measuring session does; the test uses a tiny one."""

    typed: str = TYPED
    arrows: tuple[str, ...] = ("left",) * 5 + ("right",) * 5 + ("up",) * 5 + ("down",) * 5
    pagedowns: int = 3
    idle: float = 5.0
    marker_timeout: float = 30.0
    key_quiet: float = 0.06
    key_max: float = 1.0
    settle_quiet: float = 0.3
    settle_max: float = 5.0
    after_typing_quiet: float = 0.6  # longer than the desk's 0.4 s checks delay, so they land here
    modern_terminal: bool = False


@dataclass
class KeyResult:
    key: str
    size: int
    latency: float | None
    start: tuple[int, int, bool, bool]
    data: bytes


@dataclass
class Measurement:
    subject: str
    cols: int
    rows: int
    error: str = ""
    first_byte: float | None = None  # seconds from start to the first output (Python and imports done)
    first_screen: float | None = None  # seconds from start to the chunk that completed the markers
    screen_settled: float | None = None  # the last byte of that burst (100 ms quiet after)
    first_paint_bytes: int = 0
    first_paint: bytes = b""
    open_bytes: int | None = None
    open_data: bytes = b""
    down: list[KeyResult] = field(default_factory=list)
    typing: list[KeyResult] = field(default_factory=list)
    after_typing_bytes: int = 0
    arrows: list[KeyResult] = field(default_factory=list)
    pagedowns: list[KeyResult] = field(default_factory=list)
    idle_seconds: float = 0.0
    idle_bytes: int = 0
    idle_data: bytes = b""
    idle_start: tuple[int, int, bool, bool] = (0, 0, True, False)
    queries: dict[str, int] = field(default_factory=dict)
    startup_runs: list[float] = field(default_factory=list)
    startup_cpu_runs: list[float] = field(default_factory=list)  # the CPU each of those launches had used
    cold_startup_runs: list[float] = field(default_factory=list)  # newsroom without its row cache
    rss_mb: float | None = None  # the process's resident memory when its first screen was out
    peak_mb: float | None = None  # and its peak until then (VmHWM)

    @property
    def startup_cpu(self) -> float | None:
        return statistics.median(self.startup_cpu_runs) if self.startup_cpu_runs else None

    @property
    def cold_startup(self) -> float | None:
        return statistics.median(self.cold_startup_runs) if self.cold_startup_runs else None

    @property
    def startup(self) -> float | None:
        runs = [*self.startup_runs, *([self.first_screen] if self.first_screen is not None else [])]
        return statistics.median(runs) if runs else None

    def typing_sizes(self) -> list[int]:
        return [key.size for key in self.typing]

    @property
    def idle_rate(self) -> float | None:
        return self.idle_bytes / self.idle_seconds if self.idle_seconds else None


def all_present(markers: Sequence[str]) -> Callable[[str], bool]:
    return lambda text: all(marker in text for marker in markers)


def clean_env(home: Path) -> dict[str, str]:
    """TERM=xterm-256color, LANG=C.UTF-8, no COLORTERM, a fresh HOME and XDG dirs; PATH kept."""
    env = {
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "USER": "bench",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    for name, folder in (
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_DATA_HOME", ".local/share"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_STATE_HOME", ".local/state"),
        ("XDG_RUNTIME_DIR", "run"),
    ):
        path = home / folder
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        env[name] = str(path)
    return env


def fresh_env(folder: Path) -> dict[str, str]:
    """A clean environment with a HOME of its own: nothing one launch leaves (drafts, caches) meets the next."""
    return clean_env(Path(tempfile.mkdtemp(prefix="home-", dir=folder)))


@dataclass(frozen=True)
class Startup:
    seconds: float  # wall clock, from starting the process to its first screen
    cpu: float | None  # the CPU the process had used by then


def measure_startup(
    subject: Subject, cols: int, rows: int, env: dict[str, str], cwd: Path, plan: Plan
) -> Startup | None:
    """One launch to the first screen, then the process is stopped; None if it never got there."""
    try:
        with PtyProcess(subject.argv, cols=cols, rows=rows, env=env, cwd=cwd, modern=plan.modern_terminal) as proc:
            seen = proc.wait_for(all_present(subject.markers), plan.marker_timeout)
            return None if seen is None else Startup(seen, proc.cpu_seconds())
    except OSError:
        return None


def measure_session(subject: Subject, cols: int, rows: int, env: dict[str, str], cwd: Path, plan: Plan) -> Measurement:
    """The whole sequence on one process: first screen, open, move, type, move, idle."""
    result = Measurement(subject.name, cols, rows)
    try:
        with PtyProcess(subject.argv, cols=cols, rows=rows, env=env, cwd=cwd, modern=plan.modern_terminal) as proc:
            try:
                _run_session(proc, subject, plan, result)
            except ProgramExited:
                result.error = "the program exited during the run"
            finally:
                result.queries = dict(proc.queries)
    except OSError as error:
        result.error = f"could not start {subject.argv[0]}: {error}"
    return result


class ProgramExited(Exception):
    """The program under test exited in the middle of a session."""


def _keys(proc: PtyProcess, names: Iterable[str], plan: Plan) -> list[KeyResult]:
    results = []
    for name in names:
        if not proc.alive:
            raise ProgramExited
        before = proc.tracker.state()
        begin, end, latency = proc.press(key_bytes(name, before[3]), quiet=plan.key_quiet, max_wait=plan.key_max)
        data = proc.output(begin, end)
        results.append(KeyResult(name, len(data), latency, proc.state_at(begin) if end > begin else before, data))
    return results


def _settle(
    proc: PtyProcess, plan: Plan, quiet: float | None = None, *, since: int | None = None, max_wait: float | None = None
) -> None:
    if since is not None:
        proc.wait_quiet(0.0, plan.key_max, need_output=True, since=since)
    proc.wait_quiet(quiet or plan.settle_quiet, max_wait or plan.settle_max)


def _run_session(proc: PtyProcess, subject: Subject, plan: Plan, result: Measurement) -> None:
    seen = proc.wait_for(all_present(subject.markers), plan.marker_timeout)
    if seen is None:
        tail = plain_text(proc.output())[-200:].strip()
        when = f"in {plan.marker_timeout:.0f} s" if proc.alive else "before it exited"
        result.error = f"never showed {subject.markers!r} {when}; last text: {tail!r}"
        return
    result.first_screen = seen
    result.rss_mb, result.peak_mb = proc.memory_mb()
    result.first_byte = proc.chunks[0].at
    proc.wait_quiet(0.1, plan.settle_max)
    result.screen_settled = proc.last_output
    proc.wait_quiet(plan.settle_quiet, plan.settle_max)
    result.first_paint = proc.output()
    result.first_paint_bytes = len(result.first_paint)

    if subject.open_keys:
        begin = proc.mark()
        for name in subject.open_keys:
            proc.send(key_bytes(name, proc.tracker.application_cursor))
        _settle(proc, plan, since=begin)
        result.open_data = proc.output(begin)
        result.open_bytes = len(result.open_data)

    result.down = _keys(proc, ["down"] * subject.down_counts.get((proc.cols, proc.rows), 0), plan)
    _settle(proc, plan)
    if subject.insert_key:
        begin = proc.mark()
        proc.send(key_bytes(subject.insert_key))
        _settle(proc, plan, since=begin)

    result.typing = _keys(proc, list(plan.typed), plan)
    begin = proc.mark()
    if subject.insert_key:
        proc.send(key_bytes("escape"))
    _settle(proc, plan, plan.after_typing_quiet, max_wait=2.0)  # a blinking cursor never goes quiet
    result.after_typing_bytes = len(proc.output(begin))

    result.arrows = _keys(proc, plan.arrows, plan)
    result.pagedowns = _keys(proc, ["pagedown"] * plan.pagedowns, plan)
    _settle(proc, plan)

    begin = proc.mark()
    result.idle_start = proc.tracker.state()
    start = proc.now()
    time.sleep(plan.idle)
    result.idle_seconds = proc.now() - start
    result.idle_data = proc.output(begin)
    result.idle_bytes = len(result.idle_data)
    if not proc.alive:
        result.error = "the program exited during the run"


# -- the text and the store --------------------------------------------------------------------------
def target_body() -> str:
    """A ~4 KB English story body from the store benchmark's generator (the same every run)."""
    from bench_store import make_story

    story = make_story(random.Random(2024), 1, datetime(2026, 1, 1, tzinfo=UTC))
    return story.body


def build_store(path: Path, stories: int, body: str) -> None:
    """`stories` generated stories; the last one saved (so the newest, the list's first row) is the target."""
    from bench_store import make_story

    from newsroom_tui.storage.store import StoryStore

    rng = random.Random(7)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    with StoryStore(path) as store:
        for first in range(0, stories - 1, 500):
            batch = [make_story(rng, n, base) for n in range(first, min(stories - 1, first + 500))]
            store.save_many(batch, user="bench")
        target = make_story(random.Random(2024), 1, base)
        target.headline = TARGET_HEADLINE
        target.slug = "padma-ferry-fares-cut"
        target.body = body
        # make_story cuts the summary at 200 characters, often after a space; a one-line field the desk
        # would trim on opening (and so count as changed), which is not the case this measures.
        target.summary = target.summary.strip()
        store.save_many([target], user="bench")
        write_row_cache(store, path)


def put_target(url: str, body: str) -> int:
    """Save the target story into the database at `url` (again, if an earlier run saved it), so it is the
    newest, the first row the desk shows; the stories the database holds."""
    from bench_store import make_story

    from newsroom_tui.storage.backends import open_store

    with open_store(url) as store:
        found = store.find_by_slug("padma-ferry-fares-cut")
        if found is None:
            target = make_story(random.Random(2024), 1, datetime(2026, 1, 1, tzinfo=UTC))
            target.headline, target.slug, target.body = TARGET_HEADLINE, "padma-ferry-fares-cut", body
            target.summary = target.summary.strip()
        else:  # another benchmark (bench_live) may have retitled it: the first screen waits for this headline
            target = found.copy(headline=TARGET_HEADLINE, body=body)
        store.save(target, user="bench")
        return len(store)


def write_row_cache(store: Any, path: Path) -> None:
    """The row cache a desk session leaves beside its store (see newsroom_tui.storage.rowcache): every
    measured start after the first finds it, as an editor's does."""
    from newsroom_tui.storage.rowcache import write_rows

    write_rows(path, *store.rows_and_position())


def remove_row_cache(path: Path) -> None:
    from newsroom_tui.storage.rowcache import cache_path

    cache_path(path).unlink(missing_ok=True)


def restore_row_cache(path: Path) -> None:
    """A cold start killed at its first screen never got to write the cache: write it as the desk would."""
    from newsroom_tui.storage.store import StoryStore

    with StoryStore(path) as store:
        write_row_cache(store, path)


def middle_row(lines: Sequence[str]) -> int:
    """Down presses from the top to a non-empty line in the middle."""
    index = len(lines) // 2
    while index < len(lines) - 1 and not lines[index].strip():
        index += 1
    return index


def textarea_down_counts(
    make_app: Callable[[], Any],
    find_editor: Callable[[Any], Any],
    sizes: Iterable[tuple[int, int]],
    open_keys: Sequence[str],
) -> dict[tuple[int, int], int]:
    """Down presses to the middle of a soft-wrapped TextArea, from the real widget's wrapping, headless."""
    import asyncio

    async def count(size: tuple[int, int]) -> int:
        app = make_app()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            for key in open_keys:
                await pilot.press(key)
            await pilot.pause(0.2)  # the layout changes when a story opens; let it re-wrap
            editor = find_editor(app)
            wrapped = editor.wrapped_document
            visual: list[str] = []
            for line, sections in zip(editor.document.lines, wrapped.lines, strict=True):
                visual.extend(sections or [line])
            return middle_row(visual)

    return {size: asyncio.run(count(size)) for size in sizes}


def newsroom_command() -> list[str]:
    script = Path(sys.executable).with_name("newsroom")
    return [str(script)] if script.exists() else [sys.executable, "-m", "newsroom_tui"]


def make_subjects(
    folder: Path, stories: int, sizes: Sequence[tuple[int, int]], names: Sequence[str], db_url: str | None = None
) -> tuple[list[Subject], list[str]]:
    body = target_body()
    text_file = folder / "story.txt"
    text_file.write_text(body + "\n", encoding="utf-8")
    first_words = " ".join(body.split()[:3])
    subjects: list[Subject] = []
    notes: list[str] = [f"text: {len(body.encode()):,} bytes, {len(body.splitlines())} lines (paragraphs and blanks)"]
    if "newsroom" in names and db_url is not None:
        held = put_target(db_url, body)
        notes.append(f"store: the PostgreSQL database given, {held:,} stories (the target saved again)")
        subject = Subject(
            "newsroom", [*newsroom_command(), "--db", db_url], [TARGET_HEADLINE, "stories"], open_keys=["enter"]
        )
        # The geometry comes from a journal holding the target alone: the body wraps the same at any size.
        geometry = folder / "geometry-store" / "newsroom.json"
        geometry.parent.mkdir()
        build_store(geometry, 1, body)
        subject.down_counts, note = down_counts("newsroom", geometry, sizes, folder, body, size_to_width=-5)
        notes += [f"newsroom: {note}"] if note else []
        subjects.append(subject)
    elif "newsroom" in names:
        db = folder / "store" / "newsroom.json"
        db.parent.mkdir()
        built = time.perf_counter()
        build_store(db, stories, body)
        notes.append(f"store: {stories:,} stories built in {time.perf_counter() - built:.1f} s")
        subject = Subject(
            "newsroom",
            [*newsroom_command(), "--db", str(db)],
            [TARGET_HEADLINE, "stories"],
            open_keys=["enter"],
            store=db,
        )
        # The geometry run opens the story: on a copy, so its lock and files never touch the measured store.
        copy = folder / "geometry-store"
        shutil.copytree(db.parent, copy)
        subject.down_counts, note = down_counts("newsroom", copy / db.name, sizes, folder, body, size_to_width=-5)
        shutil.rmtree(copy, ignore_errors=True)
        notes += [f"newsroom: {note}"] if note else []
        subjects.append(subject)
    if "textarea" in names:
        subject = Subject("textarea", [sys.executable, str(BARE_APP), str(text_file)], [first_words])
        subject.down_counts, note = down_counts("textarea", text_file, sizes, folder, body, size_to_width=-6)
        notes += [f"textarea: {note}"] if note else []
        subjects.append(subject)
    if "vim" in names:
        vim = shutil.which("vim")
        if vim is None:
            notes.append("vim: not installed here, skipped")
        else:
            count = middle_row(body.split("\n"))  # vim's Down moves by line, not by screen row
            subjects.append(
                Subject(
                    "vim",
                    [vim, "-u", "NONE", "-n", str(text_file)],  # -n: no swap file left by a killed run
                    [first_words],
                    insert_key="i",
                    down_counts=dict.fromkeys(sizes, count),
                )
            )
    return subjects, notes


def down_counts(
    kind: str, path: Path, sizes: Sequence[tuple[int, int]], folder: Path, body: str, size_to_width: int
) -> tuple[dict[tuple[int, int], int], str]:
    """Down presses to the middle of the body, from the real widget's wrapping (headless, in a child
    process with its own clean HOME); an estimate from textwrap, with a note, if that fails."""
    import json

    command = [sys.executable, str(Path(__file__).resolve()), "--geometry", kind, str(path)]
    command += ["--sizes", *(f"{cols}x{rows}" for cols, rows in sizes)]
    env = fresh_env(folder)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), os.environ.get("PYTHONPATH", "")) if p)
    done: subprocess.CompletedProcess[str] | None = None
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=env, cwd=folder)
        counts = json.loads(done.stdout.strip().splitlines()[-1])
        return {parse_size(key): int(value) for key, value in counts.items()}, ""
    except (OSError, subprocess.SubprocessError, ValueError, IndexError, KeyError) as error:
        stderr = done.stderr.strip().splitlines() if done is not None else []
        estimate = {size: estimate_down(body, size[0] + size_to_width) for size in sizes}
        return estimate, f"Down count estimated, the headless run failed ({stderr[-1] if stderr else error})"


def geometry_main(kind: str, path: Path, sizes: Sequence[tuple[int, int]]) -> int:
    """`--geometry`: print {"COLSxROWS": Down presses to the middle} as one JSON line."""
    import json

    if kind == "newsroom":
        counts = _newsroom_down_counts(path, sizes)
    else:
        counts = _bare_down_counts(path.read_text(encoding="utf-8"), sizes)
    print(json.dumps({f"{cols}x{rows}": count for (cols, rows), count in counts.items()}))
    return 0


def estimate_down(body: str, width: int) -> int:
    import textwrap

    visual: list[str] = []
    for line in body.split("\n"):
        visual.extend(textwrap.wrap(line, width) or [""])
    return middle_row(visual)


def _newsroom_down_counts(db: Path, sizes: Sequence[tuple[int, int]]) -> dict[tuple[int, int], int]:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.store import StoryStore
    from newsroom_tui.tui.app import NewsroomApp
    from newsroom_tui.tui.widgets.story_editor import BodyEditor

    stores: list[StoryStore] = []

    def make_app() -> Any:
        store = StoryStore(db)
        stores.append(store)
        return NewsroomApp(store=store, settings=Settings(db_path=db, user="bench"))

    try:
        return textarea_down_counts(
            make_app,
            lambda app: app.screen.query_one(BodyEditor),
            sizes,
            ["enter"],
        )
    finally:
        for store in stores:
            store.close()


def _bare_down_counts(body: str, sizes: Sequence[tuple[int, int]]) -> dict[tuple[int, int], int]:
    sys.path.insert(0, str(HERE))
    from bare_textarea_app import BareTextAreaApp
    from textual.widgets import TextArea

    return textarea_down_counts(
        lambda: BareTextAreaApp(body),
        lambda app: app.query_one(TextArea),
        sizes,
        [],
    )


# -- the report --------------------------------------------------------------------------------------
def _fmt(value: float | None, digits: int = 0, suffix: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{suffix}"


def _keys_cell(keys: Sequence[KeyResult]) -> str:
    if not keys:
        return "—"
    sizes = [key.size for key in keys]
    return f"{statistics.fmean(sizes):,.0f} (max {max(sizes):,})"


def table_rows(results: Sequence[Measurement]) -> list[tuple[str, list[str]]]:
    def row(label: str, cell: Callable[[Measurement], str]) -> tuple[str, list[str]]:
        return label, [cell(m) if not m.error else "error" for m in results]

    def startup_cell(m: Measurement) -> str:
        runs = [*m.startup_runs, *([m.first_screen] if m.first_screen is not None else [])]
        if not runs:
            return "—"
        spread = f" ({min(runs) * 1000:.0f}–{max(runs) * 1000:.0f})" if len(runs) > 1 else ""
        return f"{statistics.median(runs) * 1000:.0f}{spread}"

    def cold_cell(m: Measurement) -> str:
        runs = m.cold_startup_runs
        if not runs:
            return "—"
        spread = f" ({min(runs) * 1000:.0f}–{max(runs) * 1000:.0f})" if len(runs) > 1 else ""
        return f"{statistics.median(runs) * 1000:.0f}{spread}"

    def latency(keys: Sequence[KeyResult]) -> str:
        values = [key.latency * 1000 for key in keys if key.latency is not None]
        return f"{statistics.fmean(values):.0f} (max {max(values):.0f})" if values else "—"

    def rows_per_key(m: Measurement) -> str:
        counts = [len(repainted_rows(decode(key.data, m.cols, m.rows, key.start))) for key in m.typing]
        return f"{statistics.fmean(counts):.1f} (max {max(counts)})" if counts else "—"

    def settled_cell(m: Measurement) -> str:
        if m.first_byte is None or m.first_screen is None or m.screen_settled is None:
            return "—"
        return f"{m.first_byte * 1000:.0f} → {m.first_screen * 1000:.0f} → {m.screen_settled * 1000:.0f}"

    def make_up(m: Measurement) -> str:
        totals = {"text": 0, "sgr": 0, "cursor": 0, "all": 0}
        for key in m.typing:
            for stat in decode(key.data, m.cols, m.rows, key.start).values():
                totals["text"] += stat.text
                totals["sgr"] += stat.sgr
                totals["cursor"] += stat.cursor
                totals["all"] += stat.bytes
        if not totals["all"]:
            return "—"
        return "/".join(f"{totals[kind] * 100 / totals['all']:.0f}" for kind in ("text", "sgr", "cursor"))

    def memory_cell(m: Measurement) -> str:
        if m.rss_mb is None:
            return "—"
        return f"{m.rss_mb:,.0f} ({m.peak_mb:,.0f})" if m.peak_mb is not None else f"{m.rss_mb:,.0f}"

    def down_cell(m: Measurement) -> str:
        if not m.down:
            return "0 keys"
        return f"{len(m.down)} × {statistics.fmean(k.size for k in m.down):,.0f}"

    return [
        row("first screen, ms (median, range)", startup_cell),
        row("  without the row cache, ms", cold_cell),
        row("  CPU used by then, ms (median)", lambda m: _fmt(None if m.startup_cpu is None else m.startup_cpu * 1000)),
        row("this run: first byte → screen → settled, ms", settled_cell),
        row("memory at the first screen: RSS (peak), MB", memory_cell),
        row("first paint, bytes", lambda m: f"{m.first_paint_bytes:,}"),
        row("open the story (Enter), bytes", lambda m: _fmt(m.open_bytes)),
        row("Down to the middle: keys × B/key", down_cell),
        row("typing: bytes/key mean (max)", lambda m: _keys_cell(m.typing)),
        row("typing: rows repainted/key", rows_per_key),
        row("typing: % text/SGR/moves", make_up),
        row("typing: ms to first byte", lambda m: latency(m.typing)),
        row("after typing stops, bytes", lambda m: f"{m.after_typing_bytes:,}"),
        row("arrows: bytes/key mean (max)", lambda m: _keys_cell(m.arrows)),
        row("page down: bytes/key mean (max)", lambda m: _keys_cell(m.pagedowns)),
        row("idle: bytes/s", lambda m: _fmt(m.idle_rate, 1)),
    ]


def print_table(results: Sequence[Measurement]) -> None:
    header = ["", *(f"{m.subject} {m.cols}×{m.rows}" for m in results)]
    rows = [[label, *cells] for label, cells in table_rows(results)]
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    print(" | ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(header)))
    print("-+-".join("-" * width for width in widths))
    for line in rows:
        print(" | ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(line)))


def check_budgets(
    results: Sequence[Measurement], stories: int, *, on_database: bool = False
) -> list[tuple[str, bool | None, str]]:
    """(budget, passed or None when it could not be measured, the numbers).  `on_database`: issue 12's
    budgets for a desk on PostgreSQL (first screen ≤ 1.5× the bare app's, memory ≤ 150 MB)."""
    by = {(m.subject, m.cols, m.rows): m for m in results}
    checks: list[tuple[str, bool | None, str]] = []
    for (cols, rows), budget in TYPING_BUDGETS.items():
        m = by.get(("newsroom", cols, rows))
        if m is None:
            continue
        sizes = m.typing_sizes()
        if m.error or not sizes:
            checks.append((f"typing ≤ {budget:,} B/key at {cols}×{rows}", None, m.error or "no keys measured"))
            continue
        mean = statistics.fmean(sizes)
        over = sum(size > budget for size in sizes)
        checks.append(
            (
                f"typing ≤ {budget:,} B/key at {cols}×{rows} (mean)",
                mean <= budget,
                f"mean {mean:,.0f} B, max {max(sizes):,} B, {over} of {len(sizes)} keys over",
            )
        )
    for m in results:
        if m.subject != "newsroom":
            continue
        label = f"idle 0 B/s at {m.cols}×{m.rows}"
        if m.error or m.idle_rate is None:
            checks.append((label, None, m.error or "not measured"))
        else:
            checks.append((label, m.idle_bytes == 0, f"{m.idle_bytes:,} B in {m.idle_seconds:.1f} s"))
    factor = STARTUP_BUDGETS.get(stories) or (STARTUP_BUDGETS[1000] if stories < 10000 else STARTUP_BUDGETS[10000])
    if on_database:
        factor = DATABASE_STARTUP_BUDGET
        for m in results:
            if m.subject == "newsroom":
                label = f"desk memory ≤ {DATABASE_MEMORY_BUDGET} MB at {m.cols}×{m.rows}, {stories:,} stories"
                if m.rss_mb is None:
                    checks.append((label, None, m.error or "not measured"))
                else:
                    peak = f", peak {m.peak_mb:,.0f} MB" if m.peak_mb is not None else ""
                    checks.append(
                        (label, m.rss_mb <= DATABASE_MEMORY_BUDGET, f"RSS {m.rss_mb:,.0f} MB at the first screen{peak}")
                    )
    for m in results:
        if m.subject != "newsroom":
            continue
        peer = by.get(("textarea", m.cols, m.rows))
        label = f"first screen ≤ {factor}× bare TextArea at {m.cols}×{m.rows}, {stories:,} stories"
        if peer is None or m.startup is None or peer.startup is None:
            checks.append((label, None, "needs both newsroom and textarea measured"))
            continue
        ratio = m.startup / peer.startup
        cold = (
            f"; without the row cache {m.cold_startup * 1000:.0f} ms = {m.cold_startup / peer.startup:.2f}×"
            if m.cold_startup is not None
            else ""
        )
        cpu = ""
        if m.startup_cpu and peer.startup_cpu:
            cpu_ratio = m.startup_cpu / peer.startup_cpu
            cpu = f"; CPU {m.startup_cpu * 1000:.0f} ms vs {peer.startup_cpu * 1000:.0f} ms = {cpu_ratio:.2f}×"
        checks.append(
            (
                label,
                ratio <= factor,
                f"{m.startup * 1000:.0f} ms vs {peer.startup * 1000:.0f} ms = {ratio:.2f}×{cold}{cpu}",
            )
        )
    return checks


def screens(stats: dict[int, RowStat], m: Measurement) -> str:
    cells = sum(stat.cells for stat in stats.values())
    return f"{cells:,} cells written = {cells / (m.cols * m.rows):.1f}× the {m.cols}×{m.rows} screen"


def row_ranges(rows: Sequence[int]) -> str:
    """[3, 4, 5, 9] -> "3–5, 9"."""
    spans: list[list[int]] = []
    for row in rows:
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(f"{a}–{b}" if a != b else f"{a}" for a, b in spans)


def describe_rows(stats: dict[int, RowStat], limit: int = 60) -> list[str]:
    lines = []
    for row in sorted(stats):
        stat = stats[row]
        text = stat.preview.replace("\n", " ")
        shown = (text[:limit] + "…") if len(text) > limit else text
        lines.append(
            f"    row {row:>2}: {stat.bytes:>5} B (text {stat.text}, SGR {stat.sgr}, moves {stat.cursor}, "
            f"other {stat.other}; {stat.cells} cells)  {shown!r}"
        )
    return lines


def composition(data: bytes, cols: int, rows: int, start: tuple[int, int, bool, bool]) -> str:
    stats = decode(data, cols, rows, start)
    total = sum(s.bytes for s in stats.values()) or 1
    parts = {kind: sum(getattr(s, kind) for s in stats.values()) for kind in ("text", "sgr", "cursor", "other")}
    spaces = plain_text(data).count(" ")
    return (
        f"{len(data):,} B = text {parts['text']:,} ({parts['text'] * 100 // total}%, of which {spaces} spaces), "
        f"SGR {parts['sgr']:,} ({parts['sgr'] * 100 // total}%), cursor moves {parts['cursor']:,}, "
        f"other {parts['other']:,}"
    )


def print_decode(results: Sequence[Measurement]) -> None:
    for m in results:
        if m.error or not m.typing:
            continue
        print(f"\n== {m.subject} {m.cols}×{m.rows}")
        if m.queries:
            print("  terminal queries answered: " + ", ".join(f"{k} ×{v}" for k, v in sorted(m.queries.items())))
        print(f"  first paint: {m.first_paint_bytes:,} B, " + screens(decode(m.first_paint, m.cols, m.rows), m))
        if m.open_data:
            opened = decode(m.open_data, m.cols, m.rows)
            print(f"  opening the story: {m.open_bytes:,} B, " + screens(opened, m))
        counts: dict[int, int] = {}
        row_bytes: dict[int, int] = {}
        for key in m.typing:
            for row, stat in decode(key.data, m.cols, m.rows, key.start).items():
                if stat.cells or stat.other:
                    counts[row] = counts.get(row, 0) + 1
                    row_bytes[row] = row_bytes.get(row, 0) + stat.bytes
        summary = ", ".join(f"{row}:{counts[row]}×/{row_bytes[row] // counts[row]}B" for row in sorted(counts))
        print(f"  rows repainted over {len(m.typing)} typed keys (row: times/mean bytes): {summary}")
        all_typing = b"".join(key.data for key in m.typing)
        print("  all typing: " + composition(all_typing, m.cols, m.rows, m.typing[0].start))
        sample_index = len(m.typing) // 2
        sample = m.typing[sample_index]
        print(
            f"  typed key #{sample_index + 1} ({sample.key!r}): "
            + composition(sample.data, m.cols, m.rows, sample.start)
        )
        print(f"    raw: {sample.data[:300]!r}{'…' if len(sample.data) > 300 else ''}")
        print("\n".join(describe_rows(decode(sample.data, m.cols, m.rows, sample.start))))
        index, largest = max(enumerate(m.typing), key=lambda pair: pair[1].size)
        painted = decode(largest.data, m.cols, m.rows, largest.start)
        print(
            f"  largest typed key, #{index + 1} ({largest.key!r}): "
            + composition(largest.data, m.cols, m.rows, largest.start)
            + f"; rows {row_ranges(repainted_rows(painted))}, "
            + screens(painted, m)
        )
        print("\n".join(describe_rows(painted)))
        if m.arrows:
            arrow = m.arrows[0]
            print(f"  arrow key ({arrow.key}): " + composition(arrow.data, m.cols, m.rows, arrow.start))
            print("\n".join(describe_rows(decode(arrow.data, m.cols, m.rows, arrow.start))))
        if m.idle_data:
            print(f"  idle ({m.idle_seconds:.1f} s): " + composition(m.idle_data, m.cols, m.rows, m.idle_start))
            print("\n".join(describe_rows(decode(m.idle_data, m.cols, m.rows, m.idle_start))[:8]))


def source_state() -> str:
    try:
        commit = subprocess.run(
            ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=5
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(HERE.parent), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "source: unknown"
    return f"source: {commit or 'unknown'}{' + uncommitted changes' if dirty else ''}"


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def parse_size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)[x×](\d+)", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not COLSxROWS, e.g. 80x24")
    return int(match[1]), int(match[2])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--stories", type=int, default=1000, help="stories in newsroom's store (budget 1.6× at 10000)")
    parser.add_argument("--sizes", type=parse_size, nargs="+", default=list(SIZES), help="e.g. 80x24 120x40")
    parser.add_argument(
        "--subjects", nargs="+", default=["newsroom", "textarea", "vim"], choices=["newsroom", "textarea", "vim"]
    )
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idling measured")
    parser.add_argument(
        "--startup-runs",
        type=int,
        default=7,
        help="launches per subject and size for the start-up median (the measuring session is one of them); "
        "newsroom is also started as often without its row cache",
    )
    parser.add_argument(
        "--modern-terminal",
        action="store_true",
        help="answer DECRQM 2026/2048 as supported (kitty, WezTerm, foot…): Textual then wraps "
        "each frame in synchronized-output markers",
    )
    parser.add_argument("--decode", action="store_true", help="also show which rows keys repaint, and the bytes")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget fails")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="measure the desk on this PostgreSQL database as it is (issue 12's budgets); --stories is ignored",
    )
    parser.add_argument(
        "--timeout", type=float, help="seconds a start-up may take to its first screen (default: from the size)"
    )
    parser.add_argument("--geometry", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    if args.geometry:
        return geometry_main(args.geometry[0], Path(args.geometry[1]), args.sizes)
    stories = args.stories
    if args.db:
        from newsroom_tui.storage.backends import open_store

        with open_store(args.db) as store:
            stories = len(store) + (store.find_by_slug("padma-ferry-fares-cut") is None)
    # A journal is read whole before the first screen; a database's list is a window, whatever its size.
    timeout = args.timeout or (30.0 if stories <= 1000 or args.db else 30.0 + stories / 1000 * 3)
    plan = Plan(idle=args.idle, modern_terminal=args.modern_terminal, marker_timeout=timeout)
    began = time.monotonic()
    for signum in (signal.SIGTERM, signal.SIGHUP):  # so the children are stopped and the store removed
        signal.signal(signum, _exit_on_signal)
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-terminal-") as tmp:
        folder = Path(tmp)
        subjects, notes = make_subjects(folder, stories, args.sizes, args.subjects, db_url=args.db)
        results: list[Measurement] = []
        for cols, rows in args.sizes:
            startups: dict[str, list[Startup]] = {subject.name: [] for subject in subjects}
            cold: list[float] = []
            for _ in range(max(args.startup_runs - 1, 0)):  # interleaved, so drift hits all alike
                for subject in subjects:
                    seen = measure_startup(subject, cols, rows, fresh_env(folder), folder, plan)
                    if seen is not None:
                        startups[subject.name].append(seen)
                    if subject.name == "newsroom" and subject.store is not None:
                        remove_row_cache(subject.store)  # the first start after an upgrade or a compaction
                        seen = measure_startup(subject, cols, rows, fresh_env(folder), folder, plan)
                        if seen is not None:
                            cold.append(seen.seconds)
                        restore_row_cache(subject.store)
            for subject in subjects:
                result = measure_session(subject, cols, rows, fresh_env(folder), folder, plan)
                result.startup_runs = [run.seconds for run in startups[subject.name]]
                result.startup_cpu_runs = [run.cpu for run in startups[subject.name] if run.cpu is not None]
                if subject.name == "newsroom":
                    result.cold_startup_runs = cold
                results.append(result)
        elapsed = time.monotonic() - began
    print(
        f"newsroom terminal benchmark: TERM=xterm-256color, LANG=C.UTF-8, no COLORTERM; {stories:,} stories"
        f"{' on PostgreSQL' if args.db else ''}; load average {os.getloadavg()[0]:.1f}; "
        f"{source_state()}; {'modern' if args.modern_terminal else 'xterm'} answers to queries"
    )
    print()
    print_table(results)
    print()
    for note in notes:
        print(f"note: {note}")
    for m in results:
        if m.error:
            print(f"error: {m.subject} {m.cols}×{m.rows}: {m.error}")
    queries = sorted({f"{m.subject}: {q}" for m in results for q in m.queries})
    if queries:
        print("note: terminal queries answered — " + "; ".join(queries))
    print(
        "note: typing = 50 characters typed one by one into the middle of the body; bytes/key = all the app "
        "wrote until 60 ms of quiet; arrows = 5 each of ←, →, ↑, ↓; page down ×3; idle measured after settling, "
        "cursor in the text"
    )
    print()
    failed = False
    for label, passed, detail in check_budgets(results, stories, on_database=args.db is not None):
        verdict = "n/a " if passed is None else ("PASS" if passed else "FAIL")
        failed |= passed is False
        print(f"{verdict}  {label}: {detail}")
    if args.decode:
        print_decode(results)
    print(f"\n(run took {elapsed:.0f} s)")
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    raise SystemExit(main())
