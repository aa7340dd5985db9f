"""The desk's last line of defence: no frame it draws carries terminal control, whatever a widget was given.

Widgets show user text through `text.safety.for_display` (an ESC shows as ␛, so an editor sees the damage),
but a boundary that each widget must remember is a boundary one widget will forget: the READ-ONLY banner once
printed a colleague's user name raw.  Textual runs every line of every widget through the app's line filters
before it reaches the terminal, so this filter makes the rule hold by construction.  It removes what is left:
C0 and C1 controls, DEL and bidi embeddings, overrides and isolates, all zero cells wide, so nothing shifts;
ZWJ and ZWNJ (which Bengali needs) pass.  Lines are filtered once per drawn strip (Textual caches the result).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from newsroom_tui.text.safety import UNSAFE_FOR_TERMINAL


class TerminalSafety(LineFilter):
    """Drops terminal control from every segment's text (style and control segments stay as they are)."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        search = UNSAFE_FOR_TERMINAL.search
        if not any(search(segment.text) for segment in segments if not segment.control):
            return segments
        sub = UNSAFE_FOR_TERMINAL.sub
        return [
            segment if segment.control else Segment(sub("", segment.text), segment.style, None) for segment in segments
        ]
