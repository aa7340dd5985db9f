"""The preview: the open story as readers will see it, including unsaved changes."""

from __future__ import annotations

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from newsroom_tui.tui.widgets.key_bar import KeyBar


class PreviewScreen(Screen[None]):
    """A reader's page, centred and no wider than an article column."""

    BINDINGS = [
        Binding("escape,f5", "close", "Back to editing", id="preview-close"),
        Binding("up", "scroll_up", "Scroll up", id="preview-up", show=False),
        Binding("down", "scroll_down", "Scroll down", id="preview-down", show=False),
        Binding("pageup", "page_up", "Page up", id="preview-page-up", show=False),
        Binding("pagedown,space", "page_down", "Page down", id="preview-page-down", show=False),
        Binding("home", "scroll_home", "Top", id="preview-top", show=False),
        Binding("end", "scroll_end", "Bottom", id="preview-bottom", show=False),
    ]

    def __init__(self, article: RenderableType) -> None:
        super().__init__()
        self.article = article

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="preview-page"):
            yield Static(self.article, id="article")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#preview-page").focus()

    def _page(self) -> VerticalScroll:
        return self.query_one("#preview-page", VerticalScroll)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_up(self) -> None:
        self._page().scroll_up(animate=False)

    def action_scroll_down(self) -> None:
        self._page().scroll_down(animate=False)

    def action_page_up(self) -> None:
        self._page().scroll_page_up(animate=False)

    def action_page_down(self) -> None:
        self._page().scroll_page_down(animate=False)

    def action_scroll_home(self) -> None:
        self._page().scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self._page().scroll_end(animate=False)
