"""What the body shows is what it holds: after any change, the lines on screen equal a full re-render.

The body editor repaints only the lines a change touched (an SSH budget).  Every way the document can
change -- typing, a paste, undo, redo, a whole-text replace (fix all, $EDITOR, replace all), a load
(open, F12 restore), a selection that restyles lines -- must repaint exactly the lines that now look
different; a line left out shows stale text until something else repaints it (issue 10, item 3).

"On screen" is what the compositor holds for the editor's region: the strips Textual cached for lines
it did not repaint, and fresh ones for the lines it was told to.  The reference is the same region after
the whole widget was repainted from scratch.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from newsroom_tui.domain.copydesk import fix_text
from newsroom_tui.domain.model import Story
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.text.search import SearchOptions
from newsroom_tui.tui import external_editor
from newsroom_tui.tui.cellwidths import use_terminal_cell_widths
from newsroom_tui.tui.widgets.story_editor import BodyEditor

from .factories import make_app
from .factories import store_with as seed

Line = tuple[tuple[str, object], ...]

EXAMPLES = int(os.environ.get("NEWSROOM_HYPOTHESIS_EXAMPLES", "25"))  # runs of 300 and 400 passed


def _line(strip: Strip) -> Line:
    return tuple((segment.text, segment.style) for segment in Segment.simplify(list(strip)) if segment.text)


def shown_lines(app: App, editor: TextArea) -> list[Line]:
    """The editor's region of the screen as the compositor would send it now."""
    region = editor.region
    strips = app.screen._compositor.render_strips()
    return [_line(strip.crop(region.x, region.right)) for strip in strips[region.y : region.bottom]]


async def fresh_lines(pilot: Pilot, editor: TextArea) -> list[Line]:
    """The same region after the whole editor is drawn again from its document."""
    editor._line_cache.clear()
    editor.refresh()
    await pilot.pause()
    return shown_lines(pilot.app, editor)


def as_text(lines: list[Line]) -> list[str]:
    return ["".join(text for text, _ in line).rstrip() for line in lines]


async def assert_screen_matches_document(pilot: Pilot, editor: TextArea, context: str = "") -> None:
    await pilot.pause()
    shown = shown_lines(pilot.app, editor)
    fresh = await fresh_lines(pilot, editor)
    if shown != fresh:
        stale = [y for y, (a, b) in enumerate(zip(shown, fresh, strict=True)) if a != b]
        detail = "\n".join(f"  y={y}: shown {as_text(shown)[y]!r}\n        fresh {as_text(fresh)[y]!r}" for y in stale)
        raise AssertionError(f"stale lines after {context or 'the change'} (y = {stale}):\n{detail}")


class EditorHarness(App[None]):
    """Just the body editor, as the desk mounts it."""

    CSS = "BodyEditor { height: 1fr; }"

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._text = text

    def compose(self) -> ComposeResult:
        yield BodyEditor(id="body")

    def on_mount(self) -> None:
        use_terminal_cell_widths()
        editor = self.query_one(BodyEditor)
        editor.load_text(self._text)
        editor.focus()


QUOTED = '"We looked at the river all night," she said.\n\nKushiyara rose by a metre.\n\n"It is still rising."'
CURLY = QUOTED.replace('"W', "“W").replace('," ', ",” ").replace('"I', "“I").replace('."', ".”")


# -- each path that changes the document, reproduced on its own --------------------------------------


async def test_undo_of_a_whole_text_replace_repaints_every_line_it_changed():
    app = EditorHarness(QUOTED)
    async with app.run_test(size=(50, 12)) as pilot:
        editor = app.query_one(BodyEditor)
        editor.move_cursor((2, 10))
        await assert_screen_matches_document(pilot, editor, "moving the cursor")
        editor.replace_whole_text(CURLY)
        await assert_screen_matches_document(pilot, editor, "the whole-text replace")
        editor.undo()
        assert editor.text == QUOTED
        await assert_screen_matches_document(pilot, editor, "undo")
        editor.redo()
        assert editor.text == CURLY
        await assert_screen_matches_document(pilot, editor, "redo")


async def test_load_text_repaints_lines_the_cursor_never_visited():
    app = EditorHarness("Kushiyara\n\nThe river fell at Amalshid.")
    async with app.run_test(size=(40, 10)) as pilot:
        editor = app.query_one(BodyEditor)
        editor.move_cursor((2, 3))
        await pilot.pause()
        editor.load_text("Kushiyara rose\n\nKushiyara rose at Sheola.")
        await assert_screen_matches_document(pilot, editor, "load_text")
        editor.text = "Kushiyara\n\nfell."
        await assert_screen_matches_document(pilot, editor, "the text setter")


async def test_replace_all_and_edits_away_from_the_cursor_repaint_what_they_changed():
    app = EditorHarness("ransom ware hit the port.\n\nofficials said ransom ware rose.\n\nend")
    async with app.run_test(size=(40, 10)) as pilot:
        editor = app.query_one(BodyEditor)
        editor.move_cursor((4, 1))
        await pilot.pause()
        assert editor.replace_every_match("ransom ware", "ransomware", SearchOptions()) == 2
        await assert_screen_matches_document(pilot, editor, "replace all")
        editor.insert("Breaking: ", (0, 0))
        await assert_screen_matches_document(pilot, editor, "an insert at the top")
        editor.delete((2, 0), (2, 10))
        await assert_screen_matches_document(pilot, editor, "a delete in the middle")
        editor.undo()
        editor.undo()
        await assert_screen_matches_document(pilot, editor, "two undos")


async def test_undo_repaints_only_the_lines_it_changed(monkeypatch):
    """Exactly, not everything: an undo over SSH costs what it changed (the budget behind the partial repaint)."""
    paragraphs = [f"Paragraph {number} about the river crossing at Mawa." for number in range(8)]
    app = EditorHarness("\n\n".join(paragraphs))
    async with app.run_test(size=(60, 20)) as pilot:
        editor = app.query_one(BodyEditor)
        editor.move_cursor((10, 5))
        await pilot.pause()
        editor.replace_whole_text(editor.text.replace("Paragraph 2 ", "Para 2 "))
        await pilot.pause()
        refreshed: list[tuple] = []
        original = BodyEditor.refresh

        def spy(self, *regions, **kwargs):
            refreshed.append(regions)
            return original(self, *regions, **kwargs)

        monkeypatch.setattr(BodyEditor, "refresh", spy)
        editor.undo()
        await pilot.pause()
        monkeypatch.setattr(BodyEditor, "refresh", original)
        await assert_screen_matches_document(pilot, editor, "undo")
    assert refreshed and all(refreshed), f"a whole-widget repaint: {refreshed}"
    assert sorted({region.y for regions in refreshed for region in regions}) == [4]  # the line of paragraph 2


async def test_undoing_a_paste_that_brought_the_scrollbar_does_not_crash():
    """Found by the property below: the undo's scrollbar change scrolled to a cursor still past the end.

    Textual's TextArea restores the selection only after the batch; on the way, the vertical scrollbar
    goes away and scrolls the cursor into view while it still points at a line that no longer exists.
    """
    app = EditorHarness("riverriverriverriverriver\n\n")
    async with app.run_test(size=(27, 10)) as pilot:
        editor = app.query_one(BodyEditor)
        editor.move_cursor(editor.document.end)
        editor.post_message(events.Paste("\n" * 12))
        await pilot.pause()
        assert editor.document.line_count == 15
        editor.action_undo()
        await pilot.pause()
        assert editor.text == "riverriverriverriverriver\n\n"
        assert editor.cursor_location == (2, 0)
        await assert_screen_matches_document(pilot, editor, "the undo")


# -- the desk, as issue 10 reported it ---------------------------------------------------------------


async def test_desk_fix_all_then_undo_shows_the_undone_quotes(db_path):
    seed(db_path, Story(headline="River watch", slug="river-watch", body=QUOTED))
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen.query_one(BodyEditor)
        await pilot.press("f3", "down", "down")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert editor.text.startswith("“We looked")
        await assert_screen_matches_document(pilot, editor, "fix all")
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert editor.text == QUOTED
        shown = as_text(shown_lines(app, editor))
        assert not any("“We looked" in line for line in shown), shown
        await assert_screen_matches_document(pilot, editor, "undoing fix all")
        await pilot.press("ctrl+y")
        await assert_screen_matches_document(pilot, editor, "redoing fix all")
    app.store.close()


async def test_desk_undo_of_an_external_editor_change_shows_the_undone_text(db_path, tmp_path, monkeypatch):
    script = tmp_path / "curly_editor.py"
    script.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "text = open(path, encoding='utf-8').read()\n"
        f"open(path, 'w', encoding='utf-8').write({CURLY!r})\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    seed(db_path, Story(headline="River watch", slug="river-watch", body=QUOTED))
    app = make_app(db_path)
    # The hand-off suspends the terminal, which cannot work under run_test.
    monkeypatch.setattr(external_editor, "suspended", lambda app: contextlib.nullcontext())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen.query_one(BodyEditor)
        await pilot.press("f3", "down", "down", "ctrl+o")
        await pilot.pause()
        assert editor.text == CURLY
        await assert_screen_matches_document(pilot, editor, "the $EDITOR result")
        await pilot.press("ctrl+z")
        assert editor.text == QUOTED
        await assert_screen_matches_document(pilot, editor, "undoing the $EDITOR result")
    app.store.close()


async def test_desk_survives_undoing_a_long_paste(db_path):
    seed(db_path, Story(headline="River watch", slug="river-watch", body="Kushiyara rose by a metre.\n\n"))
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen.query_one(BodyEditor)
        await pilot.press("f3", "ctrl+end")
        editor.post_message(events.Paste("\n" * 60))
        await pilot.pause()
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert app.is_running
        assert editor.text == "Kushiyara rose by a metre.\n\n"
        await assert_screen_matches_document(pilot, editor, "undoing the paste")
    app.store.close()


async def test_desk_restore_shows_the_restored_text_once(db_path):
    seed(db_path, Story(headline="River watch", slug="river-watch", body="Kushiyara rose\n\nKushiyara rose at Sheola."))
    with StoryStore(db_path) as store:
        story = store.find_by_slug("river-watch")
        store.save(story.copy(body="Kushiyara\n\nThe river fell at Amalshid."), user="rina")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen.query_one(BodyEditor)
        await pilot.press("f3", "right", "right")
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("up", "r")
        await pilot.pause()
        assert editor.text == "Kushiyara rose\n\nKushiyara rose at Sheola."
        await assert_screen_matches_document(pilot, editor, "F12 restore")
    app.store.close()


# -- the property: any sequence of operations, any wrap width ----------------------------------------

WORDS = [
    "river",
    "Kushiyara",
    "rose",
    '"We',
    'said."',
    "it's",
    "(Sylhet)",
    "কুশিয়ারা",
    "নদী",
    "র\u200d্যাব",  # ZWJ: the ya-phala form
    "জ্ঞান",
    "ক্\u200cষ",  # ZWNJ: the conjunct kept apart
    "বাংলাদেশের",
    "সিলেট।",
    "👩\u200d💻",
    "\t",
    "a" * 23,
]

text_strategy = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from([" ", " ", "\n", "\n\n"])), min_size=0, max_size=40
).map("".join)

MOVES = [
    "cursor_left",
    "cursor_right",
    "cursor_up",
    "cursor_down",
    "cursor_line_start",
    "cursor_line_end",
    "cursor_word_left",
    "cursor_word_right",
    "cursor_page_down",
    "cursor_page_up",
    "select_line",
    "select_all",
]

operation = st.one_of(
    st.tuples(st.just("type"), st.sampled_from([*WORDS, " ", "x", "\n"])),
    st.tuples(st.just("paste"), text_strategy),
    st.tuples(st.just("backspace"), st.integers(1, 4)),
    st.tuples(st.just("delete"), st.integers(1, 4)),
    st.tuples(st.just("delete_range"), st.tuples(st.integers(0, 30), st.integers(0, 30))),
    st.tuples(st.just("insert_at"), st.tuples(st.integers(0, 30), st.sampled_from([*WORDS, "\n", "two\nlines"]))),
    st.tuples(st.just("undo"), st.none()),
    st.tuples(st.just("redo"), st.none()),
    st.tuples(st.just("fix_all"), st.none()),
    st.tuples(st.just("replace_all"), st.tuples(st.sampled_from(WORDS), st.sampled_from([*WORDS, ""]))),
    st.tuples(st.just("load"), text_strategy),
    st.tuples(st.just("restore"), st.none()),
    st.tuples(st.just("set_text"), text_strategy),
    st.tuples(st.just("move"), st.tuples(st.sampled_from(MOVES), st.booleans())),
    st.tuples(st.just("goto"), st.tuples(st.integers(0, 30), st.integers(0, 60))),
    st.tuples(st.just("select"), st.tuples(st.integers(0, 30), st.integers(0, 30))),
    st.tuples(st.just("scroll"), st.integers(0, 20)),
    st.tuples(st.just("width"), st.integers(14, 60)),
)


def _location(editor: TextArea, row: int, column: int) -> tuple[int, int]:
    row = row % editor.document.line_count
    return row, min(column, len(editor.document[row]))


async def apply(pilot: Pilot, editor: BodyEditor, name: str, argument: object, history: list[str]) -> None:
    """One operation, the way the desk or the keyboard would do it."""
    if name == "type":
        editor._replace_via_keyboard(str(argument), *editor.selection)
    elif name == "paste":
        editor.post_message(events.Paste(str(argument)))
    elif name == "backspace":
        for _ in range(int(argument)):  # type: ignore[call-overload]
            editor.action_delete_left()
    elif name == "delete":
        for _ in range(int(argument)):  # type: ignore[call-overload]
            editor.action_delete_right()
    elif name == "delete_range":
        a, b = argument  # type: ignore[misc]
        editor.delete(_location(editor, a, a * 7), _location(editor, b, b * 3))
    elif name == "insert_at":
        row, text = argument  # type: ignore[misc]
        editor.insert(text, _location(editor, row, row * 5))
    elif name == "undo":
        editor.action_undo()
    elif name == "redo":
        editor.action_redo()
    elif name == "fix_all":
        fixed = fix_text(editor.text, "body", None, "en")
        if fixed != editor.text:
            editor.replace_whole_text(fixed)
    elif name == "replace_all":
        query, replacement = argument  # type: ignore[misc]
        if query.strip():
            editor.replace_every_match(query, replacement, SearchOptions())
    elif name in ("load", "set_text"):
        history.append(editor.text)
        if name == "load":
            editor.load_text(str(argument))
        else:
            editor.text = str(argument)
    elif name == "restore":
        # F12 restore: an earlier version of the story comes back as a load.
        editor.load_text(history[0] if history else editor.text[::-1])
    elif name == "move":
        action, select = argument  # type: ignore[misc]
        method = getattr(editor, f"action_{action}")
        if action.startswith("select") or "page" in action:
            method()
        else:
            method(select=select)
    elif name == "goto":
        row, column = argument  # type: ignore[misc]
        editor.move_cursor(_location(editor, row, column))
    elif name == "select":
        a, b = argument  # type: ignore[misc]
        editor.selection = Selection(_location(editor, a, a * 3), _location(editor, b, b * 11))
    elif name == "scroll":
        editor.scroll_to(y=int(argument), animate=False)  # type: ignore[call-overload]
    elif name == "width":
        await pilot.resize_terminal(int(argument), 10)  # type: ignore[call-overload]
    else:  # pragma: no cover - the strategy names every operation
        raise AssertionError(name)


async def run_sequence(start: str, width: int, operations: list[tuple[str, object]]) -> None:
    app = EditorHarness(start)
    async with app.run_test(size=(width, 10)) as pilot:
        editor = app.query_one(BodyEditor)
        history = [start]
        await assert_screen_matches_document(pilot, editor, "opening")
        done: list[str] = []
        for name, argument in operations:
            await apply(pilot, editor, name, argument, history)
            done.append(f"{name}({argument!r})")
            await assert_screen_matches_document(pilot, editor, " → ".join(done))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(start=text_strategy, width=st.integers(14, 60), operations=st.lists(operation, min_size=1, max_size=12))
def test_after_any_sequence_of_operations_the_screen_shows_the_document(start, width, operations):
    asyncio.run(run_sequence(start, width, operations))
