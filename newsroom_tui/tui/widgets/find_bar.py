"""Find and replace in the body: a two-line bar under the editor, driven from the keyboard."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Static

from newsroom_tui.text.search import SearchOptions
from newsroom_tui.text.wording import counted
from newsroom_tui.tui.keymaps import key_name
from newsroom_tui.tui.widgets.story_editor import SafeInput


class FindBar(Vertical):
    """Enter finds the next match; ctrl+r replaces it, ctrl+t replaces all; F6/F7 toggle options."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="find-close"),
        Binding("ctrl+r", "replace_one", "Replace", id="find-replace"),
        Binding("ctrl+t", "replace_all", "All", id="find-replace-all"),
        Binding("ctrl+b", "find_previous", "Prev", id="find-previous"),
        Binding("f6", "toggle_case", "Case", id="find-case"),
        Binding("f7", "toggle_word", "Word", id="find-word"),
    ]

    class Requested(Message):
        """The bar asks the desk to act on the body: find, replace one, replace all, or close."""

        def __init__(self, action: str, query: str, replacement: str, options: SearchOptions) -> None:
            self.action = action
            self.query = query
            self.replacement = replacement
            self.options = options
            super().__init__()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.options = SearchOptions()

    def compose(self) -> ComposeResult:
        with Horizontal(classes="find-row"):
            yield Static("Find", classes="find-label", markup=False)
            yield SafeInput(placeholder="text to find (Enter: next)", id="find-query", compact=True)
            yield Static("", id="find-count", markup=False)
        with Horizontal(classes="find-row"):
            yield Static("Replace", classes="find-label", markup=False)
            one, every = key_name(self.app, "find-replace"), key_name(self.app, "find-replace-all")
            yield SafeInput(placeholder=f"replacement ({one} one, {every} all)", id="find-replacement", compact=True)
            yield Static("", id="find-options", markup=False)

    def on_mount(self) -> None:
        self._show_options()

    def open(self, query: str = "") -> None:
        self.display = True
        box = self.query_one("#find-query", Input)
        if query:
            box.value = query
        self.screen.set_focus(box)
        self._request("find")

    def show_count(self, current: int | None, total: int) -> None:
        if total == 0:
            label = Text("no matches", style="yellow") if self.query_one("#find-query", Input).value else Text("")
        elif current is None:
            label = Text(counted(total, "match"))
        else:
            label = Text(f"{current} of {total}")
        self.query_one("#find-count", Static).update(label, layout=False)

    def _show_options(self) -> None:
        text = Text()
        text.append(" Aa ", style="reverse" if self.options.case_sensitive else "dim")
        text.append(" ")
        text.append(" word ", style="reverse" if self.options.whole_word else "dim")
        self.query_one("#find-options", Static).update(text, layout=False)

    def _request(self, action: str) -> None:
        query = self.query_one("#find-query", Input).value
        replacement = self.query_one("#find-replacement", Input).value
        self.post_message(self.Requested(action, query, replacement, self.options))

    @on(Input.Changed, "#find-query")
    def _query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._request("count")

    @on(Input.Changed, "#find-replacement")
    def _replacement_changed(self, event: Input.Changed) -> None:
        event.stop()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._request("find")

    def action_find_previous(self) -> None:
        self._request("find_previous")

    def action_replace_one(self) -> None:
        self._request("replace_one")

    def action_replace_all(self) -> None:
        self._request("replace_all")

    def action_toggle_case(self) -> None:
        self.options = SearchOptions(not self.options.case_sensitive, self.options.whole_word)
        self._show_options()
        self._request("count")

    def action_toggle_word(self) -> None:
        self.options = SearchOptions(self.options.case_sensitive, not self.options.whole_word)
        self._show_options()
        self._request("count")

    def action_close(self) -> None:
        self.display = False
        self._request("close")
