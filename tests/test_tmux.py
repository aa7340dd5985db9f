"""A real terminal: newsroom in tmux, driven with send-keys, read with capture-pane."""

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

from newsroom_tui.storage.store import StoryStore

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


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

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def kill(self) -> None:
        self.run("kill-server")


@pytest.fixture
def tmux(tmp_path: Path):
    sessions: list[Tmux] = []

    def make(width: int = 120, height: int = 40) -> Tmux:
        session = Tmux(tmp_path / "tmux.sock", width, height)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.kill()


def newsroom_command(db: Path) -> str:
    return f"{sys.executable} -m newsroom_tui --db {db}"


def base_env(tmp_path: Path) -> dict[str, str]:
    return {
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path),
        "NEWSROOM_CONFIG": str(tmp_path / "none.toml"),
        "PATH": os.environ.get("PATH", ""),
    }


def test_type_a_story_save_and_quit_in_a_real_terminal(tmp_path, tmux):
    db = tmp_path / "newsroom.json"
    term = tmux()
    term.start(newsroom_command(db), base_env(tmp_path))
    term.wait_for("8 stories")
    term.keys("C-n")
    term.wait_for("new story")
    term.type("Ferry services resume on the Padma")
    term.wait_for("unsaved")
    term.keys("F3")
    term.type("Launches left Mawa ghat at dawn after a two-day halt.")
    term.keys("C-s")
    term.wait_for("✓ saved")
    term.keys("C-q")
    deadline = time.monotonic() + 10
    while "Ferry" in term.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    with StoryStore(db) as store:
        story = store.find_by_slug("ferry-services-resume-on-the-padma")
    assert story is not None
    assert story.body == "Launches left Mawa ghat at dawn after a two-day halt."


def test_bangla_rows_line_up_with_the_terminal(tmp_path, tmux):
    """Every drawn line is exactly as wide as the terminal, by the terminal's own measure."""
    db = tmp_path / "newsroom.json"
    term = tmux()
    term.start(newsroom_command(db), base_env(tmp_path))
    term.wait_for("8 stories")
    term.keys("Down", "Down")  # a Bangla story
    term.keys("Enter")
    screen = term.wait_for("✓ saved")
    lines = screen.split("\n")[: term.height - 2]  # the last two lines end in trailing spaces
    bangla_lines = [line for line in lines if any("\u0980" <= ch <= "\u09ff" for ch in line)]
    assert bangla_lines, screen
    widths = {wcswidth(line) for line in lines}
    assert widths == {term.width}, [(wcswidth(line), line) for line in lines if wcswidth(line) != term.width]


@pytest.mark.parametrize(
    "environment",
    [
        {"TERM": "xterm"},  # 16 colours
        {"TERM": "linux"},  # the Linux console: 8/16 colours, no alternate fonts
        {"TERM": "screen-256color"},
        {"TERM": "tmux-256color"},
        {"TERM": "xterm-256color", "NO_COLOR": "1"},
        {"TERM": "xterm-256color", "LANG": "C", "LC_ALL": "C"},  # Python's UTF-8 mode keeps output UTF-8
    ],
    ids=["xterm-16", "linux", "screen-256", "tmux-256", "no-color", "lang-c"],
)
def test_the_desk_works_in_the_terminals_ssh_gives(tmp_path, tmux, environment):
    db = tmp_path / "newsroom.json"
    term = tmux(80, 24)
    term.start(newsroom_command(db), {**base_env(tmp_path), **environment})
    screen = term.wait_for("8 stories")
    assert "Stories F2" in screen and "^q" in screen.replace(" ", "")
    assert any("\u0980" <= ch <= "\u09ff" for ch in screen), "Bangla headlines are drawn"
    term.keys("Enter")
    term.wait_for("✓ saved")
    term.type("Checked ")
    term.keys("C-s")
    term.wait_for("Saved")
    term.keys("C-q")


def test_a_terminal_resized_while_editing_redraws_and_keeps_the_text(tmp_path, tmux):
    db = tmp_path / "newsroom.json"
    term = tmux(80, 24)
    term.start(newsroom_command(db), base_env(tmp_path))
    term.wait_for("8 stories")
    term.keys("Enter")
    term.wait_for("✓ saved")
    term.type("Resized ")
    term.run("resize-window", "-t", "desk", "-x", "120", "-y", "40")
    screen = term.wait_for("Metadata F4")  # wide enough for the three panes again
    assert "Body F3" in screen and "Resized" in screen
    term.run("resize-window", "-t", "desk", "-x", "80", "-y", "24")
    time.sleep(0.5)
    assert "Resized" in term.wait_for("unsaved")


def test_a_second_start_uses_the_row_cache_and_a_damaged_store_still_stops_it(tmp_path, tmux):
    """The first session leaves `newsroom.json.rows`; the next start draws the list from it.  If the
    store was damaged in between, the desk closes with the store's message and status 1."""
    db = tmp_path / "newsroom.json"
    term = tmux(80, 24)
    env = base_env(tmp_path)
    term.start(newsroom_command(db), env)
    term.wait_for("8 stories")
    deadline = time.monotonic() + 15
    cache = db.with_name(db.name + ".rows")
    while not cache.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.exists(), "the first session wrote no row cache"
    term.keys("C-q")
    time.sleep(1)
    term.kill()

    second = tmux(80, 24)
    second.start(newsroom_command(db) + "; echo exit=$?; sleep 30", env)
    second.wait_for("8 stories")
    second.keys("Enter")
    second.wait_for("✓ saved")  # the store was read behind the cached list, and the story opened
    second.keys("C-q")
    second.wait_for("exit=0")
    second.kill()

    lines = db.read_bytes().split(b"\n")
    lines[1] = lines[1][:20] + b"garbage" + lines[1][27:]  # the first commit: the cache's check bytes hold
    db.write_bytes(b"\n".join(lines))
    third = tmux(80, 24)
    third.start(newsroom_command(db) + "; echo exit=$?; sleep 30", env)
    screen = third.wait_for("exit=1")
    assert "is damaged at line 2" in screen.replace("\n", "")
    assert "Traceback" not in screen
