"""Issue 10, item 3 in a real terminal: after fix-all and undo, or a restore, the body shows what it holds.

tmux keeps the cells it was sent, so a line the desk did not repaint stays on screen exactly as a
desk editor over SSH would see it; `capture-pane` reads it back.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.storage.store import StoryStore

from .tmux import Tmux, base_env, needs_tmux

pytestmark = needs_tmux

QUOTED = '"We looked at the river all night," she said.\n\nKushiyara rose by a metre.\n\n"It is still rising," he said.'


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path / "tmux.sock", 120, 40)
    yield session
    session.kill()


def start_desk(tmp_path: Path, term: Tmux, body: str, *later_bodies: str) -> None:
    """The desk on a store with one story (saved once per body), opened in the editor."""
    db = tmp_path / "newsroom.json"
    with StoryStore(db) as store:
        [story] = store.save_many([Story(headline="River watch", slug="river-watch", body=body)], user="seed")
        for later in later_bodies:
            story = store.save(story.copy(body=later), user="rina")
    env = base_env(tmp_path)
    env["NEWSROOM_RECOVERY"] = str(tmp_path / "recovery")
    term.start(f"{sys.executable} -m newsroom_tui --db {db}", env)
    term.wait_for("1 story ")
    term.keys("Enter")
    term.wait_for("Kushiyara")


def settled_screen(term: Tmux, seconds: float = 1.0) -> str:
    """The screen once nothing has changed on it for a while (the desk repaints within a frame or two)."""
    deadline = time.monotonic() + 10
    screen = term.screen()
    while time.monotonic() < deadline:
        time.sleep(seconds)
        again = term.screen()
        if again == screen:
            return screen
        screen = again
    return screen


def test_fix_all_then_undo_and_redo_show_the_text_the_body_holds(tmp_path, term):
    start_desk(tmp_path, term, QUOTED)
    term.keys("F3", "Down", "Down")  # the cursor away from the lines fix-all changes
    term.keys("C-t")
    term.wait_for("“We looked at the river all night,” she said.")
    term.wait_for("“It is still rising,” he said.")
    term.keys("C-z")
    screen = settled_screen(term)
    assert '"We looked at the river all night," she said.' in screen, screen
    assert '"It is still rising," he said.' in screen, screen
    assert "“We looked" not in screen and "“It is" not in screen, screen
    term.keys("C-y")
    screen = settled_screen(term)
    assert "“We looked at the river all night,” she said." in screen, screen
    assert "“It is still rising,” he said." in screen, screen
    assert '"We looked' not in screen and '"It is' not in screen, screen


def test_restore_shows_the_restored_words_once(tmp_path, term):
    start_desk(
        tmp_path, term, "Kushiyara rose\n\nKushiyara rose at Sheola.", "Kushiyara\n\nThe river fell at Amalshid."
    )
    term.wait_for("The river fell at Amalshid.")
    term.keys("F3", "Right", "Right")
    term.keys("F12")
    term.wait_for("v2")
    term.keys("Up")
    term.wait_for("v1, the first version")
    term.keys("r")
    term.wait_for("Restored version 1")
    screen = settled_screen(term)
    assert "Kushiyara rose at Sheola." in screen, screen
    assert "The river fell at Amalshid." not in screen, screen
