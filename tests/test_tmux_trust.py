"""Issue 10 items 1-3 in a real terminal, as a desk editor meets them (tmux, send-keys, capture-pane).

Item 3 (the body showing stale text after ctrl+t then ctrl+z) is the repaint work's tmux test.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.storage.drafts import RecoveryJournal
from newsroom_tui.storage.store import StoryStore

from .tmux import Tmux, app_pid, base_env, needs_tmux

pytestmark = needs_tmux

BODY = "Tolls on the Padma bridge fall in July."
KEPT = "Kept words "


def setup(tmp_path: Path, **env: str) -> tuple[Path, str, dict[str, str]]:
    """A store with one story, a config with a quick autosave, and the terminal's environment."""
    db = tmp_path / "newsroom.json"
    with StoryStore(db) as store:
        [story] = store.save_many(
            [Story(headline="Padma bridge toll cut", slug="padma-bridge-toll", body=BODY, byline="Staff")],
            user="seed",
        )
    config = tmp_path / "config.toml"
    config.write_text("[newsroom]\nautosave_seconds = 0.3\n", encoding="utf-8")
    environment = {
        **base_env(tmp_path),
        "NEWSROOM_CONFIG": str(config),
        "NEWSROOM_RECOVERY": str(tmp_path / "recovery"),
        **env,
    }
    return db, story.id, environment


def start(tmp_path: Path, name: str, db: Path, environment: dict[str, str], width: int = 120, height: int = 40) -> Tmux:
    term = Tmux(tmp_path / f"{name}.sock", width, height)
    term.start(f"{sys.executable} -m newsroom_tui --db {db}", environment)
    return term


def wait_until(condition, timeout: float = 10, what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what or condition}")


def hang_up(term: Tmux) -> None:
    """`kill -HUP` the desk (a dropped SSH link) and wait for it to end."""
    pid = app_pid(term)
    os.kill(pid, signal.SIGHUP)
    wait_until(lambda: not Path(f"/proc/{pid}").exists() or _state(pid) == "Z", what=f"pid {pid} to end")


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


# -- item 1: a kept draft is not eaten by keys typed before the recovery offer was seen -------------------------
def test_keys_typed_at_once_after_a_restart_do_not_answer_the_recovery_offer(tmp_path):
    db, story_id, environment = setup(tmp_path)
    journal = RecoveryJournal(tmp_path / "recovery")
    first = start(tmp_path, "first", db, environment)
    try:
        first.wait_for("1 story ")
        first.keys("Enter")
        first.wait_for("✓ saved")
        first.type(KEPT)
        # The autosave (0.3 s after typing stops) has the words in the journal before the link drops.
        wait_until(lambda: any(KEPT in d.story.body for d in journal.drafts(db)), what="the autosave")
        hang_up(first)
    finally:
        first.kill()
    [kept] = journal.drafts(db)
    assert kept.story.body == KEPT + BODY

    second = start(tmp_path, "second", db, environment)
    try:
        second.wait_for("1 story ")
        second.type("padma")  # at once: filtering the list, as the editor meant to
        time.sleep(1.5)  # the offer comes up about 0.25 s after the list; give it time to have eaten the keys
        screen = second.screen()
        assert kept.path.exists(), f"the typed 'd' discarded the kept draft unseen; the screen was:\n{screen}"
        assert "Unsaved text was kept" in screen, screen  # the offer is there, still unanswered
        assert "Recovered the unsaved text" not in screen, screen
        with StoryStore(db) as store:
            assert store.get(story_id).body == BODY  # nothing typed went into the story
        # Once it has been seen, the editor answers it: the words come back into the body.
        second.keys("r")
        wait_until(
            lambda: "Unsaved text was kept" not in (screen := second.screen()) and KEPT.strip() in screen,
            what="the recovered words in the body",
        )
    finally:
        second.kill()


# -- item 2: a failing $EDITOR brings the desk back -------------------------------------------------------------
def editor_on_path(tmp_path: Path, how: str) -> dict[str, str]:
    """EDITOR (a short name on PATH, so the message fits a toast) that writes garbage and then fails."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    if how != "missing":
        ending = {"exit 3": "exit 3", "killed": "kill -9 $$"}[how]
        script = bin_dir / "ed3"
        script.write_text(f'#!/bin/sh\nprintf "garbage" > "$1"\n{ending}\n', encoding="utf-8")
        script.chmod(0o755)
    return {"EDITOR": "ed3", "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}"}


@pytest.mark.parametrize(
    ("how", "said"),
    [
        ("exit 3", "exited with status 3"),
        ("killed", "stopped by SIGKILL"),
        ("missing", "was not found"),
    ],
)
def test_a_failing_editor_brings_the_desk_back(tmp_path, how, said):
    db, story_id, environment = setup(tmp_path, **editor_on_path(tmp_path, how))
    term = start(tmp_path, "desk", db, environment)
    try:
        term.wait_for("1 story ")
        term.keys("Enter")
        term.wait_for("✓ saved")
        term.keys("C-o")
        screen = term.wait_for(said)  # one sentence says what happened...
        assert "Padma bridge toll cut" in screen, screen  # ...on the desk, drawn again
        assert "^[" not in screen and "garbage" not in screen, screen
        term.type("Still here ")  # typing reaches the body again
        term.wait_for("Still here")
        term.keys("C-s")
        term.wait_saved()
    finally:
        term.kill()
    with StoryStore(db) as store:
        assert store.get(story_id).body == "Still here " + BODY


@pytest.mark.skipif(shutil.which("vim") is None, reason="vim is not installed")
def test_vim_quit_with_cq_brings_the_desk_back_and_wq_takes_the_text(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "vimx"  # no spaces in EDITOR: the tmux helper passes the environment unquoted
    wrapper.write_text('#!/bin/sh\nexec vim -u NONE -i NONE -N "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    db, story_id, environment = setup(tmp_path, EDITOR="vimx", PATH=f"{bin_dir}:{os.environ.get('PATH', '')}")
    term = start(tmp_path, "desk", db, environment)
    try:
        term.wait_for("1 story ")
        term.keys("Enter")
        term.wait_for("✓ saved")
        term.keys("C-o")
        term.wait_for("story.md")  # vim has the terminal, on the temporary copy
        term.keys("i")
        term.type("Thrown away ")
        term.keys("Escape")
        term.type(":cq")
        term.keys("Enter")
        screen = term.wait_for("exited with status 1")
        assert "Padma bridge toll cut" in screen and "Thrown away" not in screen, screen
        term.keys("C-o")
        term.wait_for("story.md")
        term.keys("i")
        term.type("Taken back ")
        term.keys("Escape")
        term.type(":wq")
        term.keys("Enter")
        term.wait_for("Body updated from the external editor")
        term.wait_for("Taken back")
        term.keys("C-s")
        term.wait_saved()
    finally:
        term.kill()
    with StoryStore(db) as store:
        assert store.get(story_id).body == "Taken back " + BODY
