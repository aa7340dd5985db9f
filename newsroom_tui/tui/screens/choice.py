"""One small base for the desk's questions: a title, a body and a few choices, each answered by one key.

Every question the desk asks (unsaved changes, a kept draft, a save conflict, a destructive action, a live
story's save) is a `ChoiceDialog[T]`: it returns the chosen choice's typed `value`, or None for Escape, so the
caller matches on an enum or a dataclass instead of a button id.  User text reaches the screen only as
`rich.text.Text` (never markup).

A question must be *seen* before it is answered.  Keys typed before the dialog was painted (typed ahead
into the list or the body while it was being pushed) are not taken as answers.  A dialog with a `grace`
also ignores keys until the keyboard has been quiet that long since its first paint: an editor typing on
without having seen it ("padma river…") answers nothing, however long the typing goes on; the first key
after a pause (they looked) is the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from rich.text import Text
from textual import events, on
from textual._time import get_time
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from newsroom_tui.text.safety import for_display

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Choice(Generic[T]):
    """One answer: the key that gives it, the words on its button, and the value the dialog returns."""

    key: str  # a Textual key name: "y", "d", "enter"
    label: str
    value: T
    variant: ButtonVariant = "default"
    refusal: str | None = None  # why this answer is not possible now (shown; the key then only explains)


def quoted(headline: str) -> Text:
    """A headline in curly quotes, bold, made safe for the terminal."""
    text = Text("“")
    text.append(for_display(headline) or "(no headline)", style="bold")
    text.append("”")
    return text


def as_text(value: Text | str, style: str = "") -> Text:
    """Plain strings become `Text` (so square brackets in user text are never read as markup)."""
    return value if isinstance(value, Text) else Text(for_display(value), style=style)


class _Title(Static):
    """A dialog's title, which tells the dialog when it was first drawn."""

    def __init__(self, title: Text, on_first_paint: Callable[[], None], *, classes: str) -> None:
        super().__init__(title, classes=classes)
        self._on_first_paint: Callable[[], None] | None = on_first_paint

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._on_first_paint is not None:
            self._on_first_paint()
            self._on_first_paint = None
        return super().render_lines(crop)


class ChoiceDialog(ModalScreen[T | None], Generic[T]):
    """A question with typed answers: each choice by its key or its button; Escape (or `cancel_keys`) gives None."""

    DEFAULT_CSS = """
    ChoiceDialog {
        align: center middle;
        .dialog-answers, .dialog-buttons {
            height: auto;
        }
        .dialog-ignored {
            display: none;
            margin-top: 1;
        }
    }
    """
    IGNORED_HINT: ClassVar[str] = "Keys typed as this appeared were ignored; look, then choose."

    def __init__(
        self,
        title: Text | str,
        body: Text | str | None,
        choices: Sequence[Choice[T]],
        *,
        cancel_label: str | None = "Cancel",
        cancel_keys: str = "escape",
        focus: int | None = 0,
        grace: float = 0.0,
        answers_typed_ahead: bool = False,
        show_keys: bool = True,
        classes: str = "",
    ) -> None:
        """`focus`: the index of the button focused at first (None: the cancel button).
        `grace`: the quiet (seconds without a key) needed after the first paint before keys are answers.
        `answers_typed_ahead`: a menu, not a question (F10 x is one gesture), takes keys typed before it was
        painted."""
        super().__init__()
        self.title_text = as_text(title, "bold")
        self.body = as_text(body) if body is not None else None
        self.choices = list(choices)
        self.cancel_label = cancel_label
        self.focus_index = focus
        self.grace = grace
        self.answers_typed_ahead = answers_typed_ahead
        self.dialog_classes = classes
        self.answers_from: float | None = None  # a monotonic time: keys from then on are answers
        self.ignored_keys = 0
        self.ignored_text = ""  # the printable keys that were not answers, for a caller that wants them back
        self._last_ignored = 0.0  # when the last key that was not an answer was typed
        for index, choice in enumerate(self.choices):
            self._add_binding(choice.key, f"choose({index})", choice.label, show_keys)
        self._add_binding(cancel_keys, "cancel", cancel_label or "Close", True)  # how to get out: always shown

    def _add_binding(self, keys: str, action: str, description: str, show: bool) -> None:
        for key in (key.strip() for key in keys.split(",")):
            self._bindings.key_to_bindings.setdefault(key, []).append(
                Binding(key, action, description, show=show and bool(description))
            )

    # -- drawing --------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes=f"dialog {self.dialog_classes}".strip()):
            yield _Title(self.title_text, self._painted, classes="dialog-title")
            yield from self.compose_body()
            with Vertical(classes="dialog-answers"):
                yield from self.compose_choices()
                yield Static("", id="dialog-ignored", classes="dialog-ignored", markup=False)

    def compose_body(self) -> Iterable[Widget]:
        """The body under the title; subclasses with a diff or a list override this."""
        if self.body is not None:
            yield Static(self.body, classes="dialog-body")

    def compose_choices(self) -> Iterable[Widget]:
        """A row of buttons, each labelled with its key; the cancel button last."""
        with Horizontal(classes="dialog-buttons"):
            for index, choice in enumerate(self.choices):
                yield Button(
                    Text(f"{choice.label} ({self.key_display(choice.key)})"),
                    id=f"choice-{index}",
                    variant=choice.variant,
                    disabled=choice.refusal is not None,
                )
            if self.cancel_label is not None:
                yield Button(Text(f"{self.cancel_label} (esc)"), id="choice-cancel")

    def key_display(self, key: str) -> str:
        return self.app.get_key_display(Binding(key, ""))

    def on_mount(self) -> None:
        buttons = {button.id: button for button in self.query(Button)}
        wanted = f"choice-{self.focus_index}" if self.focus_index is not None else "choice-cancel"
        button = buttons.get(wanted)
        if button is not None and not button.disabled:
            button.focus()
        self.call_after_refresh(self._painted)  # in case the title is never drawn (a tiny terminal)

    def _painted(self) -> None:
        """The question is on screen: from now (plus the grace) keys are answers.  Called when the title
        is first drawn, the moment the frame is made: a callback after the refresh could run after the
        editor, seeing the frame, had already pressed a key (a busy machine), and would lose that key."""
        if self.answers_from is None:
            self.answers_from = max(get_time(), self._last_ignored) + self.grace

    # -- answering ------------------------------------------------------------------------------------
    def takes_key(self, event: events.Key) -> bool:
        """Is this key an answer?  Not if it was typed before the question was on screen (plus the grace)."""
        if event.key == "escape" or (self.answers_typed_ahead and self.grace == 0):
            return True  # backing out is always safe
        if self.answers_from is None:
            return False
        return event.time >= self.answers_from

    def on_key(self, event: events.Key) -> None:
        # Reached before the screen's bindings (and a focused button's Enter) are looked up: stopping the
        # key here keeps it from answering.
        if not self.takes_key(event):
            event.stop()
            event.prevent_default()
            self.ignored_keys += 1
            if event.is_printable and event.character:
                self.ignored_text += event.character
            self._last_ignored = max(self._last_ignored, event.time)
            if self.answers_from is not None and self.grace:  # still typing: the quiet starts again
                self.answers_from = max(self.answers_from, event.time + self.grace)
            hint = self.query_one("#dialog-ignored", Static)
            hint.update(Text(self.IGNORED_HINT, style="dim italic"))
            hint.display = True

    def action_choose(self, index: int) -> None:
        self.answer(self.choices[index])

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button_id = event.button.id or ""
        if button_id.startswith("choice-") and button_id != "choice-cancel":
            self.answer(self.choices[int(button_id.removeprefix("choice-"))])
        else:
            self.dismiss(None)

    def answer(self, choice: Choice[T]) -> None:
        """The editor chose `choice`: refused ones explain why; others go to `confirm`."""
        if choice.refusal is not None:
            self.notify(f"{choice.label}: not now. {choice.refusal}.", severity="warning")
            return
        self.confirm(choice.value)

    def confirm(self, value: T) -> None:
        """Give `value` as the result; a subclass may ask once more first (the recovery's Discard does)."""
        self.dismiss(value)


class ConfirmScreen(ChoiceDialog[bool]):
    """A one-key yes/no before a destructive action ("Unpublish “…”? y/n").  Result True, or None.

    The cancel button has the focus: Enter, typed ahead or not, never confirms.
    """

    def __init__(
        self,
        title: Text | str,
        body: Text | str | None = None,
        *,
        yes: str = "Yes",
        no: str = "No",
        danger: bool = True,
    ) -> None:
        super().__init__(
            title,
            body,
            [Choice("y", yes, True, variant="error" if danger else "primary")],
            cancel_label=no,
            cancel_keys="escape,n",
            focus=None,
            classes="confirm-dialog",
        )

    def compose_choices(self) -> Iterable[Widget]:
        with Horizontal(classes="dialog-buttons"):
            yield Button(Text(f"{self.choices[0].label} (y)"), id="choice-0", variant=self.choices[0].variant)
            yield Button(Text(f"{self.cancel_label} (n/esc)"), id="choice-cancel")
