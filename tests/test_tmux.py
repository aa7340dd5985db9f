"""A real terminal: newsroom in tmux, driven with send-keys, read with capture-pane."""

from __future__ import annotations

import time

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.storage.store import StoryStore

from .tmux import base_env, needs_tmux, newsroom_command, wcswidth

pytestmark = needs_tmux


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
    term.wait_saved()
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
    term.wait_for("Metadata F4", "Body F3", "Resized")  # wide enough for the three panes again
    term.run("resize-window", "-t", "desk", "-x", "80", "-y", "24")
    term.wait_for("unsaved", "Resized")
    assert "Metadata F4" not in term.screen()


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


def test_ctrl_f7_and_shift_f7_reach_the_desk_through_a_real_terminal(tmp_path, tmux):
    """The one-key "add to the desk dictionary" and "add to my words" are modified function keys, which
    only a real terminal (and tmux between it and the desk) can show arrive."""
    db = tmp_path / "newsroom.json"
    with StoryStore(db) as store:
        store.save_many([Story(headline="Talks", slug="talks", body="They zxcvbq the qwpoiu today.")], user="seed")
    term = tmux(120, 40)
    term.start(newsroom_command(db) + " open talks", base_env(tmp_path))
    term.wait_for("NR401", "qwpoiu")  # the spelling findings are in
    term.keys("F3", "Home", *["Right"] * len("They z"))
    term.keys("C-F7")
    term.wait_for("Added 'zxcvbq' to the desk dictionary")
    term.keys("End", *["Left"] * len("iu today."))
    term.keys("S-F7")
    term.wait_for("Added 'qwpoiu' to your own word list")
    assert "zxcvbq" in (tmp_path / "newsroom-words.txt").read_text(encoding="utf-8")


def test_in_16_colours_the_focused_pane_is_not_drawn_in_red(tmp_path, tmux):
    """The focused pane's border was bright red in 16 colours (the theme's orange accent, downgraded),
    which reads like an error."""
    import re

    db = tmp_path / "newsroom.json"
    term = tmux(120, 40)
    term.start(newsroom_command(db), {**base_env(tmp_path), "TERM": "xterm"})
    term.wait_for("8 stories")
    top = term.run("capture-pane", "-p", "-e", "-t", "desk").split("\n")[0]
    assert "Stories F2" in top
    colours = set(re.findall(r"\x1b\[([0-9;]*)m", top.split("Stories F2")[0]))
    reds = {c for c in colours if any(part in ("31", "91", "38;5;1", "38;5;9") for part in c.split(";"))}
    assert colours and not reds, colours
