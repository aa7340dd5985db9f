"""The peer for bench_terminal.py: a bare Textual `TextArea`, soft-wrapped and focused, nothing else.

Run: python benchmarks/bare_textarea_app.py FILE

It shows FILE's text the way the desk's body editor does (soft wrap on, no line numbers, no cursor-line
highlight), with Textual's default styles otherwise, so the terminal benchmark can tell what the desk
adds over the widget it is built on.  ctrl+q quits.
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import TextArea


class BareTextAreaApp(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextArea(self.text, soft_wrap=True, show_line_numbers=False, highlight_cursor_line=False)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: bare_textarea_app.py FILE", file=sys.stderr)
        return 2
    BareTextAreaApp(Path(args[0]).read_text(encoding="utf-8")).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
