"""The desk's spelling keys: F7 shows the word's suggestions and what else to do with it.

The word is the spelling finding under the body's cursor (or the next one after it), else the one
highlighted in the checks panel.  A replacement is one undo step in the body; adding a word writes
the desk dictionary (or the editor's own list), in a thread, and checks again; ignoring is kept for the
story (for every editor).  Every action is also in the command palette.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from newsroom_tui.storage.errors import StoreError
from newsroom_tui.tui.keymaps import key_name, read_only_note
from newsroom_tui.usecases.errors import UserError

if TYPE_CHECKING:
    from newsroom_tui.domain.copydesk import Finding
    from newsroom_tui.tui.screens.desk import DeskScreen
    from newsroom_tui.tui.screens.spelling import SpellingAnswer


class DeskSpelling:
    """F7 and the palette's spelling commands, on the desk's open story."""

    def __init__(self, desk: DeskScreen) -> None:
        self.desk = desk

    def _finding(self) -> Finding | None:
        desk = self.desk
        pane = desk.metadata_pane
        pane.run_checks()
        spelling = [f for f in pane.findings if f.is_spelling]
        if not spelling:
            loading = desk.app_newsroom_speller() is None
            desk.notify(
                "The dictionaries are still loading; try again in a moment."
                if loading
                else "No spelling findings: every word is in the dictionaries or the desk's lists.",
                timeout=3,
            )
            return None
        body = desk.editor_pane.body
        if body.has_focus:
            row, column = body.cursor_location
            for finding in spelling:
                if finding.field != "body":
                    continue
                start = (finding.line - 1, finding.column - 1)
                end = (finding.line - 1, finding.column - 1 + len(finding.word))
                if ((row, column) <= end and start <= (row, column)) or start > (row, column):
                    return finding
            return next((f for f in spelling if f.field == "body"), spelling[0])
        highlighted = pane.checks_panel.selected_finding
        if highlighted is not None and highlighted.is_spelling:
            return highlighted
        return spelling[0]

    def suggest(self) -> None:
        """F7: the dialog for the word at the cursor."""
        from newsroom_tui.tui.screens.spelling import SpellingDialog

        finding = self._finding()
        if finding is None:
            return
        desk = self.desk
        desk.go_to(finding)
        speller = desk.app_newsroom_speller()
        suggestions = speller.suggest(finding.word) if speller is not None else []
        dialog = SpellingDialog(finding.word, suggestions, read_only=desk.read_only)
        desk.app.push_screen(dialog, callback=lambda answer: self._answered(finding, answer))

    def _answered(self, finding: Finding, answer: SpellingAnswer | None) -> None:
        if answer is None:
            return
        if answer.action == "replace":
            self.replace(finding, answer.replacement)
        elif answer.action == "ignore":
            self.ignore(finding)
        else:
            self.add(finding, answer.action)

    def replace(self, finding: Finding, replacement: str) -> None:
        """The word becomes `replacement`: one undoable edit in the body, or in place in a field."""
        desk = self.desk
        if desk.read_only:
            desk.notify(read_only_note(desk.app), severity="warning")
            return
        row, column = finding.line - 1, finding.column - 1
        if finding.field == "body":
            editor = desk.editor_pane.body
            line = editor.document[row] if row < editor.document.line_count else ""
            if line[column : column + len(finding.word)] != finding.word:
                desk.notify(
                    f"The word moved while the dialog was open; {key_name(desk.app, 'spelling')} again.",
                    severity="warning",
                )
                return
            editor.history.checkpoint()
            editor.replace(replacement, (row, column), (row, column + len(finding.word)))
            editor.history.checkpoint()
            desk.set_focus(editor)
        else:
            box = desk.form.input(finding.field)
            value = box.value
            if value[column : column + len(finding.word)] != finding.word:
                desk.notify(
                    f"The word moved while the dialog was open; {key_name(desk.app, 'spelling')} again.",
                    severity="warning",
                )
                return
            box.value = value[:column] + replacement + value[column + len(finding.word) :]
        desk.metadata_pane.run_checks()

    def add(self, finding: Finding, which: str) -> None:
        spelling = self.desk.desk_app.newsroom.spelling
        word, where = finding.word, "desk" if which == "desk" else "personal"
        self._write(lambda: spelling.add(word, where), timeout=4)

    def ignore(self, finding: Finding) -> None:
        story = self.desk.story
        if story is None:
            return
        spelling, story_id, word = self.desk.desk_app.newsroom.spelling, story.id, finding.word
        self._write(lambda: spelling.ignore(story_id, word), timeout=3)

    def _write(self, change: Callable[[], Any], *, timeout: float) -> None:
        """Adding or ignoring a word writes a file, or on PostgreSQL asks the database (up to its 5 s connect
        timeout while it is away): in a thread, so typing goes on; the result is said on the UI thread."""
        desk = self.desk

        def in_thread() -> None:
            try:
                done = change()
            except (UserError, StoreError, OSError) as error:
                desk.app.call_from_thread(desk.notify, str(error), severity="error")
                return
            desk.app.call_from_thread(self._written, done.message, timeout)

        desk.run_worker(in_thread, thread=True, group="spelling-words", exit_on_error=False)

    def _written(self, message: str, timeout: float) -> None:
        self.desk.notify(message, timeout=timeout)
        self.desk.metadata_pane.run_checks()

    # -- the palette's direct commands ---------------------------------------------------------------
    def add_to_desk(self) -> None:
        if (finding := self._finding()) is not None:
            self.add(finding, "desk")

    def add_to_personal(self) -> None:
        if (finding := self._finding()) is not None:
            self.add(finding, "personal")

    def ignore_here(self) -> None:
        if (finding := self._finding()) is not None:
            self.ignore(finding)
