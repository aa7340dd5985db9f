"""tmux for the terminal tests: a session driven with send-keys and read with capture-pane.

A plain module (not a test module) shared by test_tmux.py, test_tmux_desk.py and test_ssh.py.
"""

from __future__ import annotations

import ctypes
import locale
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.factories import spelling_env

# The same skip in every file that drives tmux: `pytestmark = needs_tmux`.
needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def wcswidth(text: str) -> int:
    """The width glibc (and so tmux) gives `text`."""
    libc = ctypes.CDLL("libc.so.6")
    libc.wcswidth.argtypes = [ctypes.c_wchar_p, ctypes.c_size_t]
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    return libc.wcswidth(text, len(text))


class Tmux:
    def __init__(self, socket: Path, width: int, height: int) -> None:
        self.socket = str(socket)
        self.width, self.height = width, height

    def run(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=20)
        if result.returncode and args[0] == "new-session":
            raise AssertionError(f"tmux could not start the session: {result.stderr.strip()}")
        return result.stdout

    def start(self, command: str, env: dict[str, str]) -> None:
        exports = " ".join(f"{key}={value!s}" for key, value in env.items())
        self.run(
            "new-session",
            "-d",
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            "-s",
            "desk",
            f"env -i {exports} {command}; sleep 5",
        )

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", "desk", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "desk", "-l", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "desk")

    def wait_for(self, *texts: str, timeout: float = 30) -> str:
        """The screen once every one of `texts` is on it (one frame, not one each over time)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{texts!r} never appeared together; the screen was:\n{self.screen()}")

    def wait_saved(self, timeout: float = 30) -> str:
        """The screen once the save's toast (`Saved “…`) is on it: not the word Saved, which the list's Saved
        column header shows from the first frame (a test that waited for that killed a desk mid-save)."""
        return self.wait_for("Saved “", timeout=timeout)

    def take_over(self) -> str:
        """F10, o and the one-key confirmation on a story open read-only: the screen once the desk holds it."""
        self.keys("F10")
        self.wait_for("Take over")
        self.keys("o")
        self.wait_for("Take over “")
        time.sleep(0.2)  # the confirmation's grace: a key at once is taken for one typed ahead
        self.keys("y")
        return self.wait_for("You hold the story now")

    def kill(self) -> None:
        self.run("kill-server")


def newsroom_command(db: Path) -> str:
    return f"{sys.executable} -m newsroom_tui --db {db}"


def base_env(tmp_path: Path) -> dict[str, str]:
    return {
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path),
        "NEWSROOM_CONFIG": str(tmp_path / "none.toml"),
        "PATH": os.environ.get("PATH", ""),
        # The spelling dictionaries as conftest sets them: shipped copies, compiled once per run.
        **spelling_env(),
    }


def app_pid(term: Tmux) -> int:
    """The newsroom process running in `term`'s pane (to kill it as a dropped link or a crash would)."""
    shell = int(term.run("display", "-p", "-t", "desk", "#{pane_pid}").strip())
    out = subprocess.run(["pgrep", "-f", "-P", str(shell), "newsroom_tui"], capture_output=True, text=True).stdout
    if not out.strip():  # `env` exec'd python in place of the shell's child
        out = subprocess.run(["pgrep", "-f", "newsroom_tui --db"], capture_output=True, text=True).stdout
    pids = [int(pid) for pid in out.split()]
    for pid in pids:
        if Path(f"/proc/{pid}/cmdline").read_bytes().find(b"newsroom_tui") != -1 and _descends(pid, shell):
            return pid
    raise AssertionError(f"no newsroom process under {shell}: {pids}")


def _descends(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return False
