"""The key bar: the keys for what can be done now, on the bottom line, as one widget.

Textual's `Footer` mounts a widget for every key, composes itself empty and fills in a frame or more
after the first screen, then rebuilds all of them whenever focus moves or widgets mount.  On the desk
that was about a tenth of the start-up time (measured) and a repaint of the line at every rebuild.
`KeyBar` draws the same keys (the shown bindings of the focused widget and the screen, then the
palette key at the right, as the compact footer does) as one line of text, in the first frame, and
redraws only when the keys change.  A click on a key presses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

from newsroom_tui.tui.keymaps import POSITIONS

if TYPE_CHECKING:
    from textual.screen import Screen

Key = tuple[str, str, str, bool]  # key, how it is shown, description, enabled


class KeyBar(Widget, can_focus=False):
    """One line of keys, docked at the bottom of its screen."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--separator"}
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--separator {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._keys: list[Key] | None = None
        self._palette: Key | None = None
        self._spans: list[tuple[int, int, Key]] = []  # cells each key takes, for clicks

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[Any]) -> None:
        keys, palette = self._read_keys(screen)
        if (keys, palette) != (self._keys, self._palette):
            self._keys, self._palette = keys, palette
            self.refresh()

    def _read_keys(self, screen: Screen[Any]) -> tuple[list[Key], Key | None]:
        app = self.app
        keys: list[Key] = []
        actions: set[str] = set()
        active = screen.active_bindings
        palette = None
        # In the order the bindings are declared, node by node: Textual puts a remapped key last (`apply_keymap`),
        # which moved Save from the front of the bar to its end.
        nodes: dict[int, int] = {}
        for node, *_rest in active.values():
            nodes.setdefault(id(node), len(nodes))
        entries = sorted(
            active.values(), key=lambda entry: (nodes[id(entry[0])], POSITIONS.get(entry[1].id or "", len(POSITIONS)))
        )
        for _node, binding, enabled, _tooltip in entries:
            if binding.show and binding.action not in actions:  # one key per action, as the footer does
                actions.add(binding.action)
                keys.append((binding.key, app.get_key_display(binding), binding.description, enabled))
            elif binding.action == "command_palette" and palette is None and app.ENABLE_COMMAND_PALETTE:
                palette = (binding.key, app.get_key_display(binding), binding.description, enabled)  # after any keymap
        return keys, palette

    @property
    def keys(self) -> list[Key]:
        """The keys shown now, left to right (the palette key last)."""
        if self._keys is None:
            self._keys, self._palette = self._read_keys(self.screen)
        return [*self._keys, *([self._palette] if self._palette else [])]

    def render(self) -> Text:
        if self._keys is None:
            self._keys, self._palette = self._read_keys(self.screen)
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []

        def add(key: Key) -> None:
            start = line.cell_len
            dim = Style() if key[3] else Style(dim=True)
            line.append(key[1], key_style + dim)
            if key[2]:
                line.append(f" {key[2]}", description_style + dim)
            self._spans.append((start, line.cell_len, key))

        palette_width = 0
        if self._palette is not None:
            palette_width = 1 + cell_len(self._palette[1]) + 1 + cell_len(self._palette[2]) + 1
        width = self.size.width
        for key in self._keys or []:
            # Whole keys only, and room kept for the palette key (every action is there): at 80 columns the
            # find bar's keys once ran the line off mid-key.
            needed = cell_len(key[1]) + (1 + cell_len(key[2]) if key[2] else 0) + 1
            if width and line.cell_len + needed + palette_width > width:
                break
            add(key)
            line.append(" ")
        if self._palette is not None:
            gap = width - line.cell_len - palette_width
            if gap >= 0:
                line.append(" " * gap)
                line.append("▏", self.get_component_rich_style("key-bar--separator"))
                add(self._palette)
                line.append(" ")
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key[3]:
                    self.app.simulate_key(key[0])
                else:
                    self.app.bell()
                return
