"""Dialogs that keep an editor's words: recover a draft after a crash, resolve a save conflict."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from newsroom_tui.domain.history import DiffLine, body_lines, diff_lines
from newsroom_tui.domain.model import Story
from newsroom_tui.storage.drafts import RecoveredDraft, diff_against_store
from newsroom_tui.text.safety import for_display
from newsroom_tui.tui.screens.choice import Choice, ChoiceDialog, ConfirmScreen, quoted
from newsroom_tui.tui.screens.history import diff_text


class Recovery(Enum):
    """The answer to a kept draft (None: later; it is offered again)."""

    RECOVER = "recover"
    DISCARD = "discard"


class RecoveryScreen(ChoiceDialog[Recovery]):
    """A draft the journal kept from a session that ended without saving.

    Result: `Recovery.RECOVER`, `Recovery.DISCARD` (asked once more: it deletes the words for good) or None.
    It is shown at start-up, when the editor may already be typing: keys typed before it was painted, and
    for `ANSWER_GRACE` seconds after, are not answers (a `d` from "padma" must not discard anything).
    """

    ANSWER_GRACE = 0.3

    def __init__(self, draft: RecoveredDraft, stored: Story | None, description: str) -> None:
        title = Text("Unsaved text was kept: ", style="bold")
        title.append(for_display(draft.story.headline) or "(no headline)", style="bold")
        super().__init__(
            title,
            Text(for_display(description), style="dim"),
            [
                Choice("r", "Recover", Recovery.RECOVER, variant="primary"),
                Choice("d", "Discard", Recovery.DISCARD, variant="error"),
            ],
            cancel_label="Later",
            cancel_keys="escape,l",
            grace=self.ANSWER_GRACE,
            classes="wide-dialog",
        )
        self.draft = draft
        self.stored = stored
        self.description = description

    def compose_body(self) -> Iterable[Widget]:
        yield from super().compose_body()
        with VerticalScroll(classes="dialog-diff"):
            yield Static(diff_text(diff_against_store(self.draft, self.stored)))

    def confirm(self, value: Recovery) -> None:
        if value is not Recovery.DISCARD:
            self.dismiss(value)
            return
        question = Text("Discard the kept text of ")
        question.append_text(quoted(self.draft.story.headline))
        question.append("?")

        def decided(yes: bool | None) -> None:
            if yes:
                self.dismiss(Recovery.DISCARD)

        self.app.push_screen(
            ConfirmScreen(question, Text("The words are deleted for good; they cannot be recovered later.")),
            decided,
        )


class Resolution(Enum):
    """The answer to a save conflict (None: decide later, nothing saved)."""

    MINE = "mine"  # keep mine as a new version on top of theirs
    THEIRS = "theirs"  # take theirs: mine is dropped (asked once more)
    COPY = "copy"  # save mine as a new story


class ConflictScreen(ChoiceDialog[Resolution]):
    """Someone saved a newer version while this editor was working.  Never a silent overwrite."""

    def __init__(self, mine: Story, theirs: Story) -> None:
        who = Text(
            f"{for_display(theirs.updated_by) or 'Another editor'} saved version {theirs.version}; "
            f"you started from version {mine.version}. Struck words are theirs, bold ones yours.",
            style="dim",
        )
        super().__init__(
            "Someone saved this story while you were editing",
            who,
            [
                Choice("m", "Keep mine", Resolution.MINE, variant="primary"),
                Choice("t", "Take theirs", Resolution.THEIRS),
                Choice("c", "Mine as a copy", Resolution.COPY),
            ],
            cancel_label="Later",
            classes="wide-dialog",
        )
        self.mine = mine
        self.theirs = theirs

    def confirm(self, value: Resolution) -> None:
        """Taking theirs drops the editor's words for good, so it asks once more (one key, y)."""
        if value is not Resolution.THEIRS:
            self.dismiss(value)
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.dismiss(Resolution.THEIRS)

        self.app.push_screen(
            ConfirmScreen(
                "Drop your changes and take theirs?",
                Text("Your words in this story are deleted for good; m keeps them on top, c as a copy."),
            ),
            decided,
        )

    def compose_body(self) -> Iterable[Widget]:
        yield from super().compose_body()
        with VerticalScroll(classes="dialog-diff"):
            theirs, mine = self.theirs, self.mine
            who = for_display(theirs.updated_by) or "theirs"
            # Labelled by whose they are: both sides once read "version 4".
            lines: list[str | DiffLine] = [*diff_lines(theirs, mine.copy(version=theirs.version, body=theirs.body))]
            lines += body_lines(
                theirs.body,
                mine.body,
                old_label=f"{who}'s version {theirs.version}",
                new_label=f"yours (from version {mine.version})",
            )
            yield Static(diff_text(lines) if lines else Text("The texts are the same.", style="dim"))
