"""The copy editor's tools in the desk: find and replace, live counts, the external editor hand-off."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from textual.widgets import Input, Static, TextArea

from newsroom_tui.domain.model import Story
from newsroom_tui.tui import external_editor
from newsroom_tui.tui.external_editor import ExternalEditorError, edit_externally, editor_command

from .factories import make_app, store_with, type_text

BODY = "Ransom ware hit the port.\n\nOfficials said ransom ware attacks rose."


def fake_editor(tmp_path: Path, code: str) -> str:
    script = tmp_path / "fake_editor.py"
    script.write_text("import sys\npath = sys.argv[1]\n" + code, encoding="utf-8")
    return f"{sys.executable} {script}"


async def test_find_and_replace_all_is_one_undo_step(desk_with):
    async with desk_with(Story(headline="Port attack", slug="port-attack", body=BODY)) as (app, pilot):
        await pilot.press("ctrl+f")
        await type_text(pilot, "ransom ware")
        await pilot.press("enter")
        body = app.screen.query_one("#body", TextArea)
        assert body.selected_text == "Ransom ware"
        assert "1 of 2" in str(app.screen.query_one("#find-count", Static).render())
        app.screen.query_one("#find-replacement", Input).value = "ransomware"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert body.text == "Ransomware hit the port.\n\nOfficials said ransomware attacks rose."
        assert app.screen.dirty
        await pilot.press("escape")
        assert app.focused is body
        await pilot.press("ctrl+z")
        assert body.text == BODY


async def test_replace_one_then_next(desk_with):
    async with desk_with(Story(headline="Port attack", slug="port-attack", body=BODY)) as (app, pilot):
        await pilot.press("ctrl+f")
        await type_text(pilot, "ransom ware")
        app.screen.query_one("#find-replacement", Input).value = "ransomware"
        await pilot.press("enter", "ctrl+r")
        body = app.screen.query_one("#body", TextArea)
        assert body.text.startswith("Ransomware hit")  # the case of what it replaced
        assert "ransom ware attacks" in body.text
        assert body.selected_text == "ransom ware"  # moved on to the next match


async def test_live_counts_for_body_headline_and_summary(desk_with):
    async with desk_with(Story(headline="Short", slug="short", body="one two three")) as (app, pilot):
        counts = str(app.screen.query_one("#body-counts", Static).render())
        assert "3 words" in counts and "13 characters" in counts and "1 min read" in counts
        await type_text(pilot, "four ")
        await pilot.pause(0.35)  # counts follow typing a quarter of a second later
        assert "4 words" in str(app.screen.query_one("#body-counts", Static).render())
        assert str(app.screen.query_one("#count-headline", Static).render()) == "5/110"
        app.screen.query_one("#field-headline", Input).value = "x" * 111
        await pilot.pause()
        count = app.screen.query_one("#count-headline", Static)
        assert str(count.render()) == "111/110"


async def test_external_editor_hand_off_is_one_undoable_change(db_path, tmp_path, monkeypatch):
    store_with(db_path, Story(headline="Port attack", slug="port-attack", body=BODY))
    monkeypatch.setenv(
        "VISUAL",
        fake_editor(
            tmp_path,
            (
                "text = open(path, encoding='utf-8').read()\n"
                "open(path, 'w', encoding='utf-8').write(text.replace('Ransom ware', 'Ransomware') + '\\x1b[31m')\n"
            ),
        ),
    )
    app = make_app(db_path)
    # suspending cannot work under run_test
    monkeypatch.setattr(external_editor, "suspended", lambda app: contextlib.nullcontext())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "ctrl+o")
        await pilot.pause()
        body = app.screen.query_one("#body", TextArea)
        assert body.text.startswith("Ransomware hit the port.")
        assert "\x1b" not in body.text
        await pilot.press("ctrl+z")
        assert body.text == BODY
    app.store.close()


async def test_failing_external_editor_leaves_the_text(db_path, tmp_path, monkeypatch):
    store_with(db_path, Story(headline="Port attack", slug="port-attack", body=BODY))
    monkeypatch.setenv("VISUAL", fake_editor(tmp_path, "open(path, 'w').write('garbage')\nsys.exit(3)\n"))
    app = make_app(db_path)
    monkeypatch.setattr(external_editor, "suspended", lambda app: contextlib.nullcontext())
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("enter", "ctrl+o")
        await pilot.pause()
        assert app.screen.query_one("#body", TextArea).text == BODY
        assert any("exited with status 3" in n.message for n in app._notifications)
    app.store.close()


def test_editor_command_order(monkeypatch):
    assert editor_command({"VISUAL": "code --wait", "EDITOR": "vim"}) == ["code", "--wait"]
    assert editor_command({"EDITOR": "vim -u NONE"}) == ["vim", "-u", "NONE"]


def test_edit_externally_errors_are_sentences(tmp_path):
    try:
        edit_externally("text", [str(tmp_path / "no-such-editor")])
    except ExternalEditorError as error:
        assert "Could not start the editor" in str(error)
    else:
        raise AssertionError("expected ExternalEditorError")


COPY = 'The minister`s  plan was "final" and firm , officials said.\n\nThe the port reopened.'


async def test_checks_panel_lists_findings_and_fixes_all_as_one_undo(desk_with):
    async with desk_with(Story(headline="Port plan", slug="port-plan", body=COPY)) as (app, pilot):
        await pilot.pause()
        codes = {finding.code for finding in app.screen.findings}
        assert {"NR101", "NR106", "NR102", "NR110", "NR201"} <= codes
        assert "checks" in str(app.screen.query_one("#status-line", Static).render())
        await pilot.press("ctrl+t")
        await pilot.pause()
        body = app.screen.query_one("#body", TextArea)
        assert body.text == "The minister’s plan was “final” and firm, officials said.\n\nThe the port reopened."
        assert {finding.code for finding in app.screen.findings} == {"NR201"}  # a human decides
        await pilot.press("ctrl+z")
        assert body.text == COPY


async def test_next_finding_moves_the_cursor_and_fix_one_applies_it(desk_with):
    async with desk_with(Story(headline="Port plan", slug="port-plan", body=COPY)) as (app, pilot):
        await pilot.pause()
        body = app.screen.query_one("#body", TextArea)
        await pilot.press("ctrl+g")
        first = app.screen.findings[0]
        assert body.cursor_location == (first.line - 1, first.column - 1)
        assert first.code == "NR101"
        await pilot.press("ctrl+r")
        assert body.text.startswith("The minister’s  plan")


async def test_checks_follow_typing_after_a_pause(desk_with):
    async with desk_with(Story(headline="Port plan", slug="port-plan", body="Clean copy.")) as (app, pilot):
        await pilot.pause()
        assert app.screen.findings == []
        await type_text(pilot, "Bogra ")
        await pilot.pause(0.6)
        assert [finding.code for finding in app.screen.findings] == ["NR204"]


async def test_a_keystroke_repaints_only_the_line_it_changed(desk_with, monkeypatch):
    """What crosses an SSH link per key: Textual's TextArea repaints the whole widget on every key."""
    from newsroom_tui.tui.panes import metadata_pane
    from newsroom_tui.tui.widgets.story_editor import BodyEditor

    # Nothing else may repaint the body while the two keys are measured: not the copy desk's look after the
    # keys (0.4 s, which a loaded machine reaches within the window), not the dictionaries arriving.
    monkeypatch.setattr(metadata_pane, "CHECKS_DELAY", 600.0)
    paragraph = "The river crossing reopened on Monday after repairs to the ferry ramps at Mawa. " * 3
    async with desk_with(Story(headline="Ferry", slug="ferry", body="\n\n".join([paragraph] * 6))) as (app, pilot):
        await pilot.pause()
        for _ in range(200):
            if app.newsroom.speller() is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        for _ in range(4):
            await pilot.press("down")
        await pilot.press("x")  # the first edit may re-measure the document once
        await pilot.pause()
        refreshed: list[tuple] = []
        recording = True
        original = BodyEditor.refresh

        def spy(self, *regions, **kwargs):
            if recording:
                refreshed.append((regions, kwargs.get("layout", False)))
            return original(self, *regions, **kwargs)

        monkeypatch.setattr(BodyEditor, "refresh", spy)
        await pilot.press("y")
        await pilot.press("right")
        await pilot.pause()
        recording = False  # leaving the app blurs the editor, which repaints it: not a keystroke
    assert refreshed, "the edit was drawn"
    assert all(regions for regions, _ in refreshed), f"a whole-widget repaint: {refreshed}"
    assert not any(layout for _, layout in refreshed)
    assert max(region.height for regions, _ in refreshed for region in regions) <= 2
