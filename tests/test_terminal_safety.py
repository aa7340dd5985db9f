"""Escape sequences in story text never reach the terminal raw: the bytes the app writes to a pty."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.storage.store import StoryStore
from tests.factories import plant_in_store, spelling_env

pty = pytest.importorskip("pty")

# What a hostile wire file or an old store might hold: a clipboard write (OSC 52), a title change, a
# screen clear, C1 CSI, and a bidi override.
HOSTILE = "Clip\x1b]52;c;ZXZpbA==\x07 Title\x1b]0;owned\x07 Clear\x1b[2J C1\x9b31m Bidi\u202eevil"


# Only a hang takes this long to draw, however loaded the machine.
DRAW_DEADLINE = 30.0


def run_in_pty(
    args: list[str], env: dict[str, str], ready: bytes, steps: list[tuple[bytes, bytes | None]], seconds: float = 1.5
) -> bytes:
    """Run `args` in a 120x40 pseudo-terminal and return every byte it wrote.

    Once `ready` has been drawn, each step's key is sent and its marker waited for (the screen it leads to;
    None: `seconds` of whatever comes); at the end, whatever else comes in `seconds` is read too.  Waiting for
    what is drawn, not for a fixed time, keeps a loaded machine from cutting the run short.
    """
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    output = bytearray()

    def drain(duration: float, until: bytes | None = None) -> None:
        deadline = time.monotonic() + duration
        while time.monotonic() < deadline:
            if until is not None and until in output:
                return
            ready_to_read, _, _ = select.select([master], [], [], 0.05)
            if ready_to_read:
                try:
                    output.extend(os.read(master, 65536))
                except OSError:
                    break
        if until is not None and until not in output:
            raise AssertionError(f"{until!r} was never drawn; the terminal got {bytes(output[-2000:])!r}")

    try:
        drain(DRAW_DEADLINE, until=ready)
        for key, marker in steps:
            os.write(master, key)
            drain(DRAW_DEADLINE if marker is not None else seconds, until=marker)
        drain(seconds)
    finally:
        with_suppress = [ProcessLookupError]
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except tuple(with_suppress):
            pass
        drain(0.5)
        process.wait(timeout=10)
        os.close(master)
    return bytes(output)


def test_story_text_escape_sequences_never_reach_the_terminal(tmp_path: Path):
    db = tmp_path / "newsroom.json"
    with StoryStore(db) as store:
        store.save(Story(headline="Hostile MARK", slug="hostile", byline="MARK", body="Body MARK"), user="old-tool")
    plant_in_store(db, "MARK", HOSTILE)  # the store cleans what it writes: put it there as an older tool might have
    env = {
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "HOME": str(tmp_path),
        "PATH": os.environ.get("PATH", ""),
        "NEWSROOM_CONFIG": str(tmp_path / "none.toml"),
        "NEWSROOM_RECOVERY": str(tmp_path / "recovery"),
        **spelling_env(),
    }
    written = run_in_pty(
        [sys.executable, "-m", "newsroom_tui", "--db", str(db)],
        env,
        ready=b"Hostile",  # the list
        steps=[(b"\r", b"Body"), (b"\x1b[15~", None)],  # Enter opens the story, F5 previews it
    )
    assert b"Hostile" in written and b"Body" in written, "the story was drawn"
    for raw in (b"\x1b]52;c;", b"\x1b]0;owned", b"\x9b31m", b"\xc2\x9b", "\u202e".encode()):
        assert raw not in written, f"{raw!r} reached the terminal"
    # Text read from the store is cleaned when the story is built (domain.model.stored_text): no ESC is left
    # even to be shown as ␛.
    assert "␛".encode() not in written


async def test_every_notification_passes_the_terminal_boundary(db_path):
    """One boundary for every notification, whoever sends it: a headline or user name with escape
    sequences, or markup-looking text, shows neutralised and as typed (issue 11, items 6-8)."""
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.store import StoryStore
    from newsroom_tui.tui.app import NewsroomApp

    store = StoryStore(db_path)
    app = NewsroomApp(store=store, settings=Settings(db_path=db_path, user="desk"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.desk.notify("rina\x1b]0;PWNED\x07 took [b]this[/b] over", title="\x1b[31mLock")
        await pilot.pause()
        [note] = list(app._notifications)
        assert "\x1b" not in note.message and "\x07" not in note.message and "\x1b" not in note.title
        assert "[b]this[/b]" in note.message and note.markup is False
    store.close()


def test_the_slug_clash_line_neutralises_the_other_headline():
    """Issue 11, item 8: "Slug already used by “{headline}”" printed the other story's headline raw."""
    from types import SimpleNamespace

    from newsroom_tui.domain.model import Story
    from newsroom_tui.tui.widgets.metadata_form import MetadataForm

    other = Story(headline="Toll\x1b]52;c;aGk=\x07 cut", slug="toll-cut")
    form = SimpleNamespace(slug_owner=lambda slug: other, story_id="mine")
    problem = MetadataForm.slug_problem(form, "toll-cut")  # type: ignore[arg-type]
    assert problem is not None and "\x1b" not in problem and "\x07" not in problem and "Toll" in problem


def test_restore_does_not_bring_terminal_control_back(tmp_path: Path):
    """Issue 11, item 11: an old version holding escapes (an older tool, a hand edit) restored as it was.

    The store cleans every story it writes, whichever way it arrives, so the restored version is clean.
    """
    from newsroom_tui.usecases.newsroom import Newsroom
    from tests.factories import settings_for

    db = tmp_path / "newsroom.json"
    with StoryStore(db) as store:
        first = store.save(Story(headline="Toll MARKHEAD cut", slug="toll-cut", body="Body MARKBODY."), user="old")
        store.save(first.copy(headline="Toll cut", body="Clean body."), user="desk")
    # Put real escapes into version 1 where it is kept, as a hand edit or an older tool would have.
    plant_in_store(db, "MARKHEAD", "\x1b]0;PWNED\x07")
    plant_in_store(db, "MARKBODY", "\x1b]52;c;aGk=\x07")
    with StoryStore(db) as store:
        restored = Newsroom(settings_for(db), store).restore(first.id, 1).saved
        current = store.get(first.id)
    for story in (restored, current):
        assert story.headline == "Toll  cut" or story.headline == "Toll cut"
        assert not story.has_terminal_control(), story
        assert "Body" in story.body and "\x1b" not in story.body
