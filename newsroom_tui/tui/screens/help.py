"""F1 (and `?` in the list): the desk's keys for where the editor is, then the rest, and the workflow.

Textual's own "Keys" panel listed the TextArea's bindings (`f6 Select line`, clashing with the find bar),
none of the desk's, squeezed the body to 13 columns and did not close on Escape.  This is a dialog over the
desk: the section for the focused pane comes first and is marked, every key is read from the live bindings
by id (so a `[keys]` remap shows here as it does in the key bar), and Escape, F1 or q close it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from newsroom_tui.text.wording import one_of
from newsroom_tui.tui.keymaps import key_name, key_shown, live_keys, spoken
from newsroom_tui.tui.panes.editor_pane import FIND_BAR_ID


@dataclass(frozen=True, slots=True)
class HelpLine:
    """One key: a binding id to read the live key from (or None), the key as written when there is none."""

    binding_id: str | None
    default: str
    what: str


AREAS: dict[str, tuple[str, tuple[HelpLine, ...]]] = {
    "desk": (
        "Everywhere on the desk",
        (
            HelpLine("help", "f1", "this help (? in the story list)"),
            HelpLine("palette", "ctrl+p", "the palette: every action by name or by what it does"),
            HelpLine("show-stories", "f2", "the story list"),
            HelpLine("show-body", "f3", "the body"),
            HelpLine("show-metadata", "f4", "the metadata form"),
            HelpLine("preview", "f5", "preview the article as readers will see it"),
            HelpLine("save", "ctrl+s", "save a new version"),
            HelpLine("new-story", "ctrl+n", "a new story"),
            HelpLine("publish", "f9", "check, confirm and publish"),
            HelpLine("desk-actions", "f10", "the desk menu: submit, schedule, correct, kill, spike…"),
            HelpLine("history", "f12", "every version, diffs and restore"),
            HelpLine("search-archive", "f6", "search the archive: every story, body and all"),
            HelpLine("quit", "ctrl+q", "quit (asks about unsaved changes)"),
        ),
    ),
    "list": (
        "In the story list",
        (
            HelpLine(None, "↑ ↓ pgup pgdn", "move; home and end: first and last"),
            HelpLine("open-story", "enter", "open the highlighted story"),
            HelpLine("filter", "ctrl+l", "type to filter by headline, slug, byline, tags"),
            HelpLine("status-filter", "f8", "pick the status filter from a list (spiked, killed…)"),
        ),
    ),
    "body": (
        "In the body",
        (
            HelpLine(None, "^z ^y", "undo, redo"),
            HelpLine("find", "ctrl+f", "find and replace"),
            HelpLine("external-editor", "ctrl+o", "edit the body in $VISUAL / $EDITOR"),
            HelpLine("next-finding", "ctrl+g", "go to the next copy-desk check"),
            HelpLine("fix-finding", "ctrl+r", "apply the highlighted check's safe fix"),
            HelpLine("fix-all", "ctrl+t", "apply every safe fix"),
            HelpLine("spelling", "f7", "spelling: suggestions, add or ignore the word"),
            HelpLine("spelling-add-desk", "ctrl+F7", "add the word at the cursor to the desk dictionary"),
            HelpLine("spelling-add-personal", "shift+F7", "add the word at the cursor to your own words"),
        ),
    ),
    "form": (
        "In the metadata form",
        (
            HelpLine(None, "tab shift+tab", "next and previous field"),
            HelpLine("save", "ctrl+s", "save; problems show under their field"),
        ),
    ),
    "find": (
        "In the find bar",
        (
            HelpLine(None, "enter", "next match"),
            HelpLine("find-previous", "ctrl+b", "previous match"),
            HelpLine("find-replace", "ctrl+r", "replace this match"),
            HelpLine("find-replace-all", "ctrl+t", "replace every match (one undo); keeps each match's case"),
            HelpLine("find-case", "f6", "match case on/off"),
            HelpLine("find-word", "f7", "whole words on/off"),
            HelpLine("find-close", "escape", "close"),
        ),
    ),
    "search": (
        "In archive search",
        (
            HelpLine(None, "type", 'words and "quoted phrases"; the results follow (Enter: at once)'),
            HelpLine("search-results", "↓", "to the results; ↑ ↓ move through them, typing goes back to the query"),
            HelpLine(None, "enter", "open the highlighted story in the desk"),
            HelpLine("search-close", "escape", "back to the desk"),
        ),
    ),
    "dialogs": (
        "In dialogs",
        (
            HelpLine(None, "bold letter", "choose that button"),
            HelpLine(None, "enter", "the highlighted button"),
            HelpLine(None, "escape", "cancel: nothing changes"),
        ),
    ),
}


def workflow(node: DOMNode) -> tuple[str, ...]:
    """The workflow in three sentences, with the keys as they are bound now."""
    menu, publish, history = (key_name(node.app, name) for name in ("desk-actions", "publish", "history"))
    return (
        f"draft → submit ({menu} s) → mark edited ({menu} e) → publish ({publish}), or schedule ({menu} t) for later.",
        f"Live: a saved change waits as unsent until a correction ({menu} r) sends it; unpublish ({menu} u) takes it "
        f"off the site; kill ({menu} k) withdraws it for good.",
        f"Spike ({menu} x) sets a story aside; unspike ({menu} z) brings it back.  "
        f"Every save is a version ({history}).",
    )


def key_of(node: DOMNode, binding_id: str, default: str) -> str:
    """The key bound to `binding_id` as the key bar shows it, after any keymap (tui/keymaps.py)."""
    return key_shown(node.app, binding_id, default)


def where(node: DOMNode | None) -> str:
    """Which area the focused widget is in: list, body, form, find, or the desk as a whole."""
    ids = {ancestor.id for ancestor in node.ancestors_with_self} if node is not None else set()
    if FIND_BAR_ID in ids:
        return "find"
    for pane, area in (("list-pane", "list"), ("editor-pane", "body"), ("metadata-pane", "form")):
        if pane in ids:
            return area
    return "desk"


class HelpScreen(ModalScreen[None]):
    """The keys, where you are first."""

    BINDINGS = [Binding("escape,f1,q,question_mark", "close", "Close", id="help-close")]

    def __init__(self, area: str, desk: DOMNode, nodes: Iterable[DOMNode] = ()) -> None:
        super().__init__()
        self.area = area if area in AREAS else "desk"
        self.desk = desk
        self.nodes = [desk, *nodes]  # where the keys of each area are bound (the desk, the find bar…)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(self._text(), id="help-text", markup=False)

    def _key(self, line: HelpLine) -> str:
        if line.binding_id is None:
            return line.default
        for node in self.nodes:
            shown = key_of(node, line.binding_id, "")
            if shown:
                return shown
        return line.default

    def _text(self) -> Group:
        order = [self.area, *(name for name in AREAS if name != self.area)]
        closing = [spoken(key) for key in live_keys(self.app, "help-close")]
        closes = one_of(closing)
        parts: list[RenderableType] = [Text.assemble(("Keys", "bold"), (f"   {closes} closes this", "dim"))]
        for name in order:
            title, lines = AREAS[name]
            heading = Text(f"\n{title}", style="bold")
            if name == self.area:
                heading.append("  ← you are here", style="bold reverse")
            table = Table.grid(padding=(0, 2))
            table.add_column(width=14, style="bold", no_wrap=True)
            table.add_column(ratio=1)
            for line in lines:
                table.add_row(Text(self._key(line)), Text(line.what))
            parts.extend((heading, table))
        parts.append(Text("\nThe workflow", style="bold"))
        parts.extend(Text(f"  {sentence}") for sentence in workflow(self))
        return Group(*parts)

    def action_close(self) -> None:
        self.dismiss(None)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
