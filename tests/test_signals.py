"""SIGTERM and SIGHUP end the desk and free its locks even while its UI thread is busy (issue 11, item 19).

asyncio runs signal handlers from the event loop, so a desk stuck in a long computation (once: 50,000 tags,
seven minutes) ignored SIGTERM and kept its locks.  The desk runs in a real process here, its UI thread made
busy on purpose, and gets the signal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.storage.locks import LockBook
from tests.factories import REPO, store_with

# The desk, headless, with a story open (so it holds its lock); once it has drawn, its UI thread spins in
# Python for a minute, as a runaway computation would.
BUSY_DESK = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from tests.factories import make_app

app = make_app(Path({db!r}), open_story_id={story_id!r})

def spin() -> None:
    if {story_id!r} not in app.locks.held():  # the story opens in a worker: wait until its lock is taken
        app.set_timer(0.05, spin)
        return
    print("BUSY", flush=True)
    end = time.monotonic() + 60
    while time.monotonic() < end:
        pass

app.call_later(lambda: app.set_timer(0.2, spin))
app.run(headless=True, size=(80, 24))
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_ends_a_busy_desk_and_frees_its_lock(tmp_path: Path, signum: int) -> None:
    db = tmp_path / "newsroom.json"
    [story] = store_with(db, Story(headline="Budget passed", slug="budget-passed", body="Text."))
    script = BUSY_DESK.format(repo=str(REPO), db=str(db), story_id=story.id)
    env = {**os.environ, "NEWSROOM_RECOVERY": str(tmp_path / "recovery"), "NEWSROOM_CONFIG": str(tmp_path / "no.toml")}
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.strip() == "BUSY", process.stderr.read() if process.stderr else line
        book = LockBook(db, user="someone-else")
        assert book.holder(story.id) is not None, "the busy desk holds the story's lock"
        sent = time.monotonic()
        process.send_signal(signum)
        process.wait(timeout=15)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert took < 5, f"the desk took {took:.1f} s to go"
    assert process.returncode == 128 + signum, process.returncode
    assert LockBook(db, user="someone-else").holder(story.id) is None, "its lock was released"
