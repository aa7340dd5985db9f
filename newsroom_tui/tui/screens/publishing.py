"""The publishing dialogs: confirm a publish, choose a desk action, confirm a destructive one, kill, schedule,
correct, and the live-story save question.

Every dialog answers from the keyboard and returns a typed result; user text is shown as `Text`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from newsroom_tui.domain.checks import CheckResult
from newsroom_tui.domain.model import Story
from newsroom_tui.text.wording import counted
from newsroom_tui.tui.keymaps import key_name
from newsroom_tui.tui.screens.choice import Choice, ChoiceDialog, ConfirmScreen, quoted
from newsroom_tui.tui.widgets.story_editor import SafeInput


class PublishScreen(ModalScreen[bool]):
    """Publish after seeing the checks: errors listed (and the button refused), warnings shown."""

    BINDINGS = [
        Binding("p,enter", "publish", "Publish", id="publish-confirm"),
        Binding("escape,c", "cancel", "Cancel", id="publish-cancel"),
    ]

    def __init__(
        self,
        story: Story,
        result: CheckResult,
        targets: list[str],
        *,
        action_title: str = "Publish",
        findings: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.story = story
        self.result = result
        self.targets = targets
        self.action_title = action_title
        # The copy desk's open findings (the bottom line's "⚑ 3 checks"): shown here too, so the dialog never
        # says every check passed while the desk counts some (issue 13).
        self.findings = findings or []

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog publish-dialog"):
            title = Text(f"{self.action_title} ", style="bold")
            title.append_text(quoted(self.story.headline))
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
                if self.findings:
                    count = counted(len(self.findings), "copy-desk check")
                    goes = key_name(self.app, "next-finding")
                    yield Static(Text(f"{count} still open (not blocking; {goes} goes to each):", style="bold"))
                    for finding in self.findings[:5]:
                        yield Static(Text(f"  ⚑ {finding}"))
                    if len(self.findings) > 5:
                        yield Static(Text(f"  … and {len(self.findings) - 5:,} more", style="dim"))
                if self.result.ok and not self.result.warnings and not self.findings:
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


class DeskActionsScreen(ChoiceDialog[DeskAction]):
    """Every workflow action with its key; the ones the story's status does not allow say why.

    Result: the chosen `DeskAction`, or None.  A menu, not a question: F10 then a key is one gesture, so
    keys typed before it is painted choose (the destructive ones ask again, `confirm_action`).
    """

    def __init__(self, story: Story, actions: list[DeskAction]) -> None:
        title = Text("Desk actions for ", style="bold")
        title.append_text(quoted(story.headline))
        title.append(f"  ({story.status.value}, v{story.version})", style="dim")
        super().__init__(
            title,
            None,
            [Choice(item.key, item.title, item, refusal=item.refusal) for item in actions],
            cancel_label=None,
            answers_typed_ahead=True,
            show_keys=False,
            classes="actions-dialog",
        )
        self.story = story
        self.actions = actions

    def compose_choices(self) -> Iterable[Widget]:
        for item in self.actions:
            # One line each, the reason cut to fit (the whole sentence shows when the key is pressed): at
            # 80x24 wrapped reasons pushed the menu's last rows off the screen.
            line = Text(no_wrap=True, overflow="ellipsis")
            if item.refusal is None:
                line.append(f" {item.key} ", style="bold reverse")
                line.append(f" {item.title}")
            else:
                line.append(f" {item.key} ", style="dim")
                line.append(f" {item.title}", style="dim")
                line.append(f" — {item.refusal}", style="dim italic")
            yield Static(line, classes="action-line")
        yield Static(Text("Press a key, or Escape to close.", style="dim"), classes="dialog-hint")

    def answer(self, choice: Choice[DeskAction]) -> None:
        if choice.refusal is not None:
            self.notify(f"{choice.label}: not now. {choice.refusal}.", severity="warning")
            return
        self.dismiss(choice.value)


# The actions that change what readers see (or whose lock it is) at one key: each asks "…? y/n" first.
# Kill has its own, stronger confirmation (a reason and the slug typed), publish its checks dialog.
_CONFIRMATIONS: dict[str, tuple[str, str, str]] = {
    "unpublish": ("Unpublish", "It comes off every target (outbox files are removed).", "Unpublish"),
    "spike": ("Spike", "It leaves the desk's list (unspike brings it back).", "Spike"),
    "take_over": ("Take over", "The editor who has it open can no longer save; they are told.", "Take over"),
}


def confirm_action(action: str, story: Story) -> ConfirmScreen | None:
    """The one-key confirmation for `action` on `story` ("Unpublish “…”? y/n"), or None when it needs none."""
    if action not in _CONFIRMATIONS:
        return None
    verb, consequence, yes = _CONFIRMATIONS[action]
    title = Text(f"{verb} ", style="bold")
    title.append_text(quoted(story.headline))
    title.append("?", style="bold")
    return ConfirmScreen(title, Text(consequence), yes=yes)


@dataclass(frozen=True, slots=True)
class SendCorrection:
    """Send the change now, as a correction with this note (readers and partners see it)."""

    note: str


@dataclass(frozen=True, slots=True)
class KeepUnsent:
    """Save the change as a new version that is not sent yet (marked unsent until it is)."""


LiveSave = SendCorrection | KeepUnsent


class LiveChangeScreen(ChoiceDialog[LiveSave]):
    """ctrl+s on a published or corrected story: a live story never changes silently.

    Result: `SendCorrection(note)` (the note asked here), `KeepUnsent()`, or None (nothing saved).
    """

    def __init__(self, story: Story) -> None:
        title = Text("This story is live: ", style="bold")
        title.append_text(quoted(story.headline))
        body = Text(f"It is {story.status.value}: readers and partners have the version that was sent.\n")
        body.append("c", style="bold")
        body.append(" sends your change now, as a correction (you write the note).\n")
        body.append("k", style="bold")
        body.append(" saves it as an unsent change, marked in the list until it is sent.")
        super().__init__(
            title,
            body,
            [
                Choice("c", "Correction", SendCorrection(""), variant="primary"),
                Choice("k", "Keep unsent", KeepUnsent()),
            ],
            classes="live-dialog",
        )
        self.story = story

    def confirm(self, value: LiveSave) -> None:
        if isinstance(value, KeepUnsent):
            self.dismiss(value)
            return

        def noted(note: str | None) -> None:
            if note:
                self.dismiss(SendCorrection(note))  # Escape on the note: back to this question

        self.app.push_screen(
            PromptScreen(
                "Send the change as a correction",
                "Correction note (readers and partners see it):",
                placeholder="An earlier version misstated the toll for buses.",
                validate=lambda value: None if value.strip() else "A correction needs a note.",
            ),
            noted,
        )


class KillScreen(ModalScreen[str | None]):
    """Killing withdraws a published story for good: the editor gives a reason and types the slug."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="kill-cancel")]

    def __init__(self, story: Story) -> None:
        super().__init__()
        self.story = story

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog kill-dialog"):
            title = Text("Kill ", style="bold red")
            title.append_text(quoted(self.story.headline))
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
            yield Static(Text(f"Enter to confirm, {key_name(self.app, 'prompt-cancel')} to cancel.", style="dim"))

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
