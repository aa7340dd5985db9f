"""The publishing dialogs: confirm a publish, choose a desk action, kill, schedule, correct.

Every dialog answers from the keyboard and returns a typed result; user text is shown as `Text`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from newsroom_tui.domain.checks import CheckResult
from newsroom_tui.domain.model import Story
from newsroom_tui.text.safety import for_display
from newsroom_tui.tui.widgets.story_editor import SafeInput


def _quoted(headline: str) -> Text:
    text = Text("“")
    text.append(for_display(headline) or "(no headline)", style="bold")
    text.append("”")
    return text


class PublishScreen(ModalScreen[bool]):
    """Publish after seeing the checks: errors listed (and the button refused), warnings shown."""

    BINDINGS = [
        Binding("p,enter", "publish", "Publish", id="publish-confirm"),
        Binding("escape,c", "cancel", "Cancel", id="publish-cancel"),
    ]

    def __init__(self, story: Story, result: CheckResult, targets: list[str], *, action_title: str = "Publish") -> None:
        super().__init__()
        self.story = story
        self.result = result
        self.targets = targets
        self.action_title = action_title

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog publish-dialog"):
            title = Text(f"{self.action_title} ", style="bold")
            title.append_text(_quoted(self.story.headline))
            yield Static(title, classes="dialog-title")
            with VerticalScroll(classes="dialog-body"):
                if self.result.errors:
                    yield Static(Text("Cannot publish yet:", style="bold red"))
                    for problem in self.result.errors:
                        yield Static(Text(f"  ✗ {problem}", style="red"))
                if self.result.warnings:
                    yield Static(Text("Worth a look (not blocking):", style="bold yellow"))
                    for warning in self.result.warnings:
                        yield Static(Text(f"  ! {warning}", style="yellow"))
                if self.result.ok and not self.result.warnings:
                    yield Static(Text("✓ Every check passed.", style="green"))
                if self.result.ok:
                    where = ", ".join(self.targets) if self.targets else "no delivery targets configured"
                    yield Static(Text(f"Delivers to: {where}", style="dim"))
            with Horizontal(classes="dialog-buttons"):
                yield Button(
                    Text(f"{self.action_title} (p)"), id="confirm", variant="success", disabled=not self.result.ok
                )
                yield Button(Text("Cancel (esc)"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#confirm" if self.result.ok else "#cancel", Button).focus()

    def action_publish(self) -> None:
        if self.result.ok:
            self.dismiss(True)
        else:
            self.notify("Fix the problems listed first; nothing was published.", severity="warning")

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self.action_publish()
        else:
            self.dismiss(False)


@dataclass(frozen=True, slots=True)
class DeskAction:
    key: str
    action: str
    title: str
    refusal: str | None  # why it is not possible now, or None


class DeskActionsScreen(ModalScreen[str | None]):
    """Every workflow action with its key; the ones the story's status does not allow say why."""

    BINDINGS = [Binding("escape", "choose(None)", "Close", id="actions-close")]

    def __init__(self, story: Story, actions: list[DeskAction]) -> None:
        super().__init__()
        self.story = story
        self.actions = actions

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog actions-dialog"):
            title = Text("Desk actions for ", style="bold")
            title.append_text(_quoted(self.story.headline))
            title.append(f"  ({self.story.status.value}, v{self.story.version})", style="dim")
            yield Static(title, classes="dialog-title")
            for item in self.actions:
                line = Text()
                if item.refusal is None:
                    line.append(f" {item.key} ", style="bold reverse")
                    line.append(f" {item.title}")
                else:
                    line.append(f" {item.key} ", style="dim")
                    line.append(f" {item.title}", style="dim")
                    line.append(f" — {item.refusal}", style="dim italic")
                yield Static(line, classes="action-line")
            yield Static(Text("Press a key, or Escape to close.", style="dim"), classes="dialog-hint")

    def action_choose(self, action: str | None) -> None:
        self.dismiss(action)

    def on_key(self, event: object) -> None:
        key = getattr(event, "key", "")
        for item in self.actions:
            if key == item.key:
                getattr(event, "stop", lambda: None)()
                if item.refusal is None:
                    self.dismiss(item.action)
                else:
                    self.notify(f"{item.title}: not now. {item.refusal}.", severity="warning", markup=False)
                return


class KillScreen(ModalScreen[str | None]):
    """Killing withdraws a published story for good: the editor gives a reason and types the slug."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="kill-cancel")]

    def __init__(self, story: Story) -> None:
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog kill-dialog"):
            title = Text("Kill ", style="bold red")
            title.append_text(_quoted(self.story.headline))
            yield Static(title, classes="dialog-title")
            yield Static(
                Text(
                    "A kill withdraws the story for legal or factual reasons and sends kill notices "
                    "to every target. It cannot be undone."
                )
            )
            yield Static("Reason (goes to partners with the kill notice):", markup=False)
            yield SafeInput(placeholder="e.g. legal: identifies a minor", id="kill-reason")
            prompt = Text("Type the slug to confirm: ")
            prompt.append(self.story.slug, style="bold")
            yield Static(prompt)
            yield SafeInput(placeholder=self.story.slug, id="kill-slug")
            yield Static("", id="kill-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text("Kill the story"), id="confirm", variant="error")
                yield Button(Text("Cancel (esc)"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#kill-reason", Input).focus()

    def _try(self) -> None:
        reason = self.query_one("#kill-reason", Input).value.strip()
        typed = self.query_one("#kill-slug", Input).value.strip()
        problem = ""
        if not reason:
            problem = "Give the reason for the kill."
        elif typed != self.story.slug:
            problem = "The slug typed does not match; nothing was killed."
        if problem:
            self.query_one("#kill-problem", Static).update(Text(problem, style="bold red"))
            return
        self.dismiss(reason)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "kill-reason":
            self.query_one("#kill-slug", Input).focus()
        else:
            self._try()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "confirm":
            self._try()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptScreen(ModalScreen[str | None]):
    """One line of input with a check: the schedule time, the correction note."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt-cancel")]

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        placeholder: str = "",
        value: str = "",
        validate: Callable[[str], str | None] = lambda value: None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.prompt_text = prompt
        self.placeholder = placeholder
        self.value = value
        self.validate = validate

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield Static(self.prompt_text, markup=False)
            yield SafeInput(value=self.value, placeholder=self.placeholder, id="prompt-value")
            yield Static("", id="prompt-problem", markup=False)
            yield Static(Text("Enter to confirm, Escape to cancel.", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#prompt-value", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        problem = self.validate(event.value)
        if problem:
            self.query_one("#prompt-problem", Static).update(Text(problem, style="bold red"))
            return
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
