"""Issue 13: "The desk has no export or copy-to-clipboard (OSC 52, which Textual supports) of a story."

F10 w writes the open story to a file in a chosen format, F10 c copies it to the clipboard; both are the bytes
`newsroom export` writes, and both are in the palette.
"""

from __future__ import annotations

import subprocess
import sys
import time

from textual.widgets import Input

from newsroom_tui.domain.model import Story
from newsroom_tui.tui.screens.export import FormatScreen
from newsroom_tui.tui.screens.publishing import PromptScreen

from .factories import run_newsroom, until
from .tmux import Tmux, base_env, needs_tmux

STORY = Story(
    headline="চাঁদপুরে ইলিশের দাম চড়া [bold]",
    slug="chandpure-ilish",
    body="ইলিশের দাম বেড়েছে।\n\nCustomers said [/b] prices rose.",
    byline="চাঁদপুর প্রতিনিধি",
    language="bn",
)


async def test_f10_w_writes_the_story_as_newsroom_export_does(desk_with, db_path, tmp_path):
    async with desk_with(STORY) as (app, pilot):
        await pilot.press("f10", "w")
        await until(pilot, lambda: isinstance(app.screen, FormatScreen), "the format question")
        await pilot.pause(0.2)
        await pilot.press("j")  # ninjs
        await until(pilot, lambda: isinstance(app.screen, PromptScreen), "where to write it")
        box = app.screen.query_one("#prompt-value", Input)
        assert box.value.endswith("chandpure-ilish.json"), "prefilled: the slug and the format's extension"
        box.value = str(tmp_path / "out" / "x.json")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen), "a missing folder is refused in a sentence, not written"
        assert "There is no folder" in str(app.screen.query_one("#prompt-problem").render())
        target = tmp_path / "ilish.json"
        box.value = str(target)
        await pilot.press("enter")
        await until(pilot, target.exists, "the file written")
    expected = run_newsroom("export", "chandpure", "--format", "ninjs", "--db", str(db_path))
    assert expected.returncode == 0, expected.stderr
    written = target.read_text(encoding="utf-8")
    assert written.strip() == expected.stdout.strip(), "the same renderer, the same bytes"
    assert "[bold]" in written, "the headline's brackets stay text"


async def test_the_desk_refuses_to_export_onto_the_store(desk_with, db_path):
    async with desk_with(STORY) as (app, pilot):
        before = db_path.read_bytes()
        await pilot.press("f10", "w")
        await until(pilot, lambda: isinstance(app.screen, FormatScreen), "the format question")
        await pilot.pause(0.2)
        await pilot.press("w")
        await until(pilot, lambda: isinstance(app.screen, PromptScreen), "where to write it")
        app.screen.query_one("#prompt-value", Input).value = str(db_path)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen), "refused in the prompt, not written"
        assert "is part of the story store" in str(app.screen.query_one("#prompt-problem").render())
        assert db_path.read_bytes() == before


async def test_f10_c_copies_the_story_to_the_clipboard(desk_with, db_path):
    async with desk_with(STORY) as (app, pilot):
        await pilot.press("f10", "c")
        await until(pilot, lambda: isinstance(app.screen, FormatScreen), "the format question")
        await pilot.pause(0.2)
        await pilot.press("m")
        await until(pilot, lambda: app.clipboard != "", "copied")
    expected = run_newsroom("export", "chandpure", "--format", "markdown", "--db", str(db_path))
    assert app.clipboard.strip() == expected.stdout.strip()


async def test_export_and_copy_are_in_the_palette(desk_with):
    async with desk_with(STORY) as (app, _pilot):
        titles = {command[0]: command[1] for command in app.get_system_commands(app.screen)}
        assert "f10 w" in titles["Export story"].casefold() and "f10 c" in titles["Copy story"].casefold()


@needs_tmux
def test_copy_reaches_tmux_through_osc_52(tmp_path):
    """What only a real terminal shows: the escape sequence leaves the desk, and tmux (set-clipboard on)
    makes a paste buffer of it, as a terminal over SSH would put it on the editor's own clipboard."""
    from newsroom_tui.storage.store import StoryStore

    db = tmp_path / "newsroom.json"
    with StoryStore(db) as store:
        store.save_many([STORY], user="seed")
    term = Tmux(tmp_path / "copy.sock", 120, 40)
    term.start(f"{sys.executable} -m newsroom_tui --db {db}", base_env(tmp_path))
    try:
        term.run("set-option", "-g", "set-clipboard", "on")
        term.wait_for("1 story ")
        term.keys("Enter")
        term.wait_for("✓ saved")
        term.keys("F10")
        term.wait_for("Copy to the clipboard")
        term.keys("c")
        term.wait_for("wire (.txt)")
        time.sleep(0.3)
        term.keys("w")
        term.wait_for("Copied wire")
        deadline = time.monotonic() + 10
        buffer = ""
        while time.monotonic() < deadline and "ইলিশের দাম বেড়েছে" not in buffer:
            buffer = subprocess.run(
                ["tmux", "-S", str(tmp_path / "copy.sock"), "show-buffer"], capture_output=True, text=True
            ).stdout
            time.sleep(0.2)
        assert "ইলিশের দাম বেড়েছে" in buffer and "[bold]" in buffer
    finally:
        term.kill()
