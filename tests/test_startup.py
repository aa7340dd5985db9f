"""Start-up: the list from the row cache first, the store just after, and keys typed in the meantime."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from newsroom_tui.domain.model import Story
from newsroom_tui.storage.rowcache import read_rows, write_rows
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.tui.app import NewsroomApp
from newsroom_tui.tui.widgets.key_bar import KeyBar
from newsroom_tui.tui.widgets.story_list import StoryList

from .factories import make_app, make_story, settings_for, store_with


def cached_app(db_path: Path) -> NewsroomApp:
    """The app as `newsroom` starts it when the row cache is good: no store yet."""
    with StoryStore(db_path) as store:
        write_rows(db_path, *store.rows_and_position())
    cached = read_rows(db_path)
    assert cached is not None
    return NewsroomApp(store=None, first_rows=cached, settings=settings_for(db_path))


async def test_the_list_comes_from_the_cache_and_the_store_follows(db_path):
    store_with(db_path, Story(headline="Budget passed", slug="budget-passed", body="The budget text."))
    app = cached_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        story_list = app.screen.query_one(StoryList)
        assert [row.slug for row in story_list.rows] == ["budget-passed"]
        assert story_list.rows[0].word_count == 3  # counted when the cache was written, not now
        await pilot.pause()
        assert app.store_loaded
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one("#body", TextArea).text == "The budget text."
        assert not app.screen.dirty
    app.close_store()


async def test_a_store_damaged_behind_a_good_cache_ends_the_app_with_its_message(db_path):
    store_with(db_path, Story(headline="One"), Story(headline="Two"))
    store_with(db_path, Story(headline="Three"))
    app = cached_app(db_path)
    lines = db_path.read_bytes().split(b"\n")
    lines[1] = b"{" + lines[1][1:-5] + b"garbage"  # the first commit, far from the cached position
    db_path.write_bytes(b"\n".join(lines))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
    assert app.return_code == 1
    assert app.store_problem is not None and "damaged at line 2" in app.store_problem
    assert not app.store_loaded


async def test_keys_typed_right_after_enter_go_into_the_story(db_path):
    """Over SSH, Enter and the first words arrive in one burst, before the story is open."""
    store_with(db_path, Story(headline="Budget passed", body="text"))
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        desk = app.screen
        assert not desk.ready  # the editor is built with the first story
        await pilot.press("enter", "N", "e", "w", "space", "l", "e", "a", "d", "full_stop", "space")
        await pilot.pause()
        assert desk.query_one("#body", TextArea).text == "New lead. text"
        assert desk.query_one("#filter", Input).value == ""
    app.store.close()


async def test_keys_typed_right_after_ctrl_n_go_into_the_headline(db_path):
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n", "T", "o", "l", "l", "space", "c", "u", "t")
        await pilot.pause()
        assert app.screen.query_one("#field-headline", Input).value == "Toll cut"
        assert app.screen.query_one("#filter", Input).value == ""
    app.store.close()


async def test_the_key_bar_shows_what_can_be_done_and_a_click_presses_it(desk_with):
    async with desk_with(make_story(headline="Budget passed", body="text"), opened=None) as (app, pilot):
        bar = app.screen.query_one(KeyBar)
        shown = [(display, description) for _key, display, description, _enabled in bar.keys]
        assert ("^s", "Save") in shown and ("f5", "View") in shown and ("^q", "Quit") in shown
        assert shown[-1] == ("^p", "palette")
        await pilot.press("enter")
        await pilot.press("ctrl+f")  # the find bar's keys join in while it has the focus
        await pilot.pause()
        shown = [description for _key, _display, description, _enabled in bar.keys]
        assert "All" in shown and "Prev" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert "Prev" not in [description for *_rest, description, _enabled in bar.keys]
        start, _end, _key = next(span for span in bar._spans if span[2][2] == "View")
        await pilot.click(KeyBar, offset=(start, 0))
        await pilot.pause()
        assert type(app.screen).__name__ == "PreviewScreen"


async def test_a_burst_of_keys_keeps_its_order_while_the_first_story_opens(db_path):
    """ctrl+n, a headline, F3 and a body in one burst: each part lands where it was meant to."""
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        assert not app.screen.ready
        await pilot.press("ctrl+n", "F", "e", "r", "r", "y", "f3", "L", "a", "t", "e", "ctrl+s")
        await pilot.pause()
        await pilot.pause()
        desk = app.screen
        assert desk.query_one("#field-headline", Input).value == "Ferry"
        assert desk.query_one("#body", TextArea).text == "Late"
        assert not desk.dirty and desk.story is not None and desk.story.version == 1  # ctrl+s saved it
    app.store.close()


async def test_the_desk_writes_the_row_cache_and_keeps_it_current(db_path):
    store_with(db_path, Story(headline="Budget passed", body="The budget text."))
    app = make_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        cached = read_rows(db_path)
        assert cached is not None and [row.headline for row in cached.rows] == ["Budget passed"]
        with StoryStore(db_path) as other_desk:  # another editor's save, and a compaction: a new file
            other_desk.save(Story(headline="Late story", body="Just in."), user="rafiq")
            other_desk.compact()
        assert read_rows(db_path) is None  # the cache is for the old file now
        app.screen.poll_store()
        await pilot.pause()
        await app.workers.wait_for_complete()
        cached = read_rows(db_path)
        assert cached is not None and sorted(row.headline for row in cached.rows) == ["Budget passed", "Late story"]
    app.store.close()


async def test_at_80_columns_the_find_bars_keys_all_show_and_no_key_is_cut(desk_with):
    """Issue 13: "the find-mode key bar is cut after f10" at 80x24."""
    async with desk_with(make_story(headline="Budget passed", body="text"), size=(80, 24)) as (app, pilot):
        await pilot.press("ctrl+f")
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        line = str(bar.render())
        for shown in ("esc Close", "^r Replace", "^t All", "^b Prev", "f6 Case", "f7 Word", "^s Save"):
            assert shown in line, (shown, line)
        assert line.rstrip().endswith("^p palette"), "the palette, which has every action, always shows"
        drawn = {f"{display} {description}" for _s, _e, (_k, display, description, _on) in bar._spans}
        words = line.replace("▏", " ").split()
        pairs = {f"{words[i]} {words[i + 1]}" for i in range(0, len(words) - 1)}
        assert drawn <= pairs, "every key drawn whole"


async def test_the_collector_kept_off_while_the_desk_starts_is_on_once_the_first_screen_is_out(db_path):
    """`newsroom_tui.entry` turns the cyclic garbage collector off for the start-up (30 ms, measured); a desk
    left without it would grow with every cycle it makes all day."""
    import gc

    store_with(db_path, Story(headline="Budget passed", slug="budget-passed", body="The budget text."))
    app = cached_app(db_path)
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.store_loaded
            assert gc.isenabled()
    finally:
        gc.enable()
    app.close_store()


def test_a_command_runs_with_the_collector_on(db_path, monkeypatch, capsys):
    """The command line turns it back on before any command: an import of 50,000 stories makes cycles."""
    import gc

    from newsroom_tui import entry
    from newsroom_tui.cli import commands

    seen: list[bool] = []
    monkeypatch.setattr(commands, "list_", lambda *args, **kwargs: seen.append(gc.isenabled()) or 0)
    try:
        assert entry.main(["--db", str(db_path), "list"]) == 0
    finally:
        gc.enable()
    assert seen == [True]


async def test_the_css_added_after_the_first_screen_styles_nothing_on_it(db_path):
    """editing.tcss comes after the first screen (10 ms of it, measured): no rule in it may match a widget that
    screen shows, at either size, or the first screen would be drawn differently from every later one."""
    import pytest
    from textual.css.match import match
    from textual.css.stylesheet import Stylesheet

    from newsroom_tui.tui.app import EDITING_CSS

    store_with(db_path, Story(headline="Budget passed", slug="budget-passed", body="The budget text."))
    for size in ((80, 24), (120, 40)):
        app = cached_app(db_path)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            later = Stylesheet(variables=app.get_css_variables())
            later.read(EDITING_CSS)
            rules = later.rules
            assert len(rules) > 40  # the dialogs, the form, the find bar, help, history, preview, search
            nodes = list(app.screen.walk_children(with_self=True))
            assert len(nodes) > 10
            matched = [(rule.selector_set, node) for rule in rules for node in nodes if match(rule.selector_set, node)]
            assert matched == [], f"at {size}: {matched}"
            assert app.stylesheet.has_source(str(EDITING_CSS))  # added once the first screen was out
        app.close_store()
    with pytest.raises(AssertionError):  # the check can fail: a rule for the list's filter box would match
        rule = Stylesheet(variables=app.get_css_variables())
        rule.add_source("#filter { width: 1fr; }")
        assert not any(match(r.selector_set, node) for r in rule.rules for node in nodes)


async def test_a_screen_pushed_before_the_first_screen_is_out_is_styled(db_path):
    """Whatever comes first, a dialog is never drawn without its styles (`NewsroomApp.push_screen`)."""
    from newsroom_tui.tui.app import EDITING_CSS

    store_with(db_path, Story(headline="One"))
    app = cached_app(db_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        del app.stylesheet.source[(str(EDITING_CSS), "")]  # as it is before the first screen is out
        assert not app.stylesheet.has_source(str(EDITING_CSS))
        await app.run_action("help")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        assert app.stylesheet.has_source(str(EDITING_CSS))
        assert app.screen.query_one("#help-body").styles.max_width is not None  # editing.tcss's rule applied
    app.close_store()


def test_the_first_screen_is_drawn_before_the_store_tinydb_and_the_editing_modules_load(tmp_path):
    """What the first screen does not need is loaded after it (each of these cost it milliseconds, measured):
    the store and TinyDB (read in a thread once the list is out), the archive search, the workflow, the find
    bar, the use cases' rules."""
    import subprocess
    import sys

    code = f"""
import asyncio, sys
from pathlib import Path
from newsroom_tui.domain.model import Story
from newsroom_tui.storage.rowcache import read_rows, write_rows
from newsroom_tui.storage.store import StoryStore
db = Path({str(tmp_path / "newsroom.json")!r})
with StoryStore(db) as store:
    store.save(Story(headline="Budget passed", slug="budget-passed", body="The budget text."), user="s")
    write_rows(db, *store.rows_and_position())
for name in [m for m in sys.modules if m.startswith(("newsroom_tui", "tinydb"))]:
    del sys.modules[name]  # as a fresh `newsroom` process: only what the start path imports again
from newsroom_tui.domain.config import Settings
from newsroom_tui.storage.rowcache import read_rows
from newsroom_tui.tui.app import NewsroomApp
from newsroom_tui.tui.widgets.story_list import StoryList
seen = []
draw = StoryList.render_lines
def first_draw(self, crop):
    seen.append(sorted(sys.modules)) if not seen else None
    return draw(self, crop)
StoryList.render_lines = first_draw
app = NewsroomApp(store=None, first_rows=read_rows(db), settings=Settings(db_path=db, user="desk"))
async def main():
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
asyncio.run(main())
app.close_store()
heavy = ("tinydb", "newsroom_tui.storage.store", "newsroom_tui.domain.search", "newsroom_tui.domain.workflow",
         "newsroom_tui.text.slugs",
         "newsroom_tui.tui.widgets.find_bar", "newsroom_tui.usecases.newsroom", "newsroom_tui.usecases.outcomes")
print(",".join(m for m in seen[0] if m in heavy or m.split(".")[0] in heavy))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == ""
