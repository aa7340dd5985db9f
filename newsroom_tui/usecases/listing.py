"""`newsroom list`: one line per story, for people and for grep, in columns that fit the terminal."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsroom_tui.text.columns import cell_width, pad, pad_middle
from newsroom_tui.text.safety import for_display

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.model import Story

# Cells the slug, the desk and the byline may take at most; each shrinks to its longest value.
SLUG_CELLS = 40
DESK_CELLS = 14
BYLINE_CELLS = 20
STAMP = "%Y-%m-%d %H:%M"  # 16 cells
MIN_HEADLINE = 24
# What gives way, in order, while the headline has under MIN_HEADLINE cells: (column, its cells from then on).
# The slug last: it is what the other commands take, copied from here.
SHRINK_STEPS = (("byline", 14), ("desk", 10), ("byline", 0), ("desk", 0), ("slug", 28), ("slug", 20))


def list_lines(stories: Sequence[Story], settings: Settings, *, width: int = 100) -> list[str]:
    """Status, slug, headline (cut to fit), desk, byline, last saved: aligned columns `width` cells wide.
    A scheduled story's status is when it goes out (`due 18:00`), or `overdue since 13:43`, as on the desk.

    The headline takes what the other columns leave; while that is under 24 cells the byline and the desk
    narrow and go, and only then the slug narrows (SHRINK_STEPS).  A slug longer than its column is cut in
    the middle, keeping its end (`…toll-2`); `list --json` has it whole, and commands take any unique start.
    """
    from newsroom_tui.domain.model import now
    from newsroom_tui.domain.workflow import due_text

    zone = settings.zone
    moment = now()
    shown = [
        (
            due_text(story, now=moment, zone=zone) or story.status.value,  # "due 18:00", "overdue since 13:43"
            for_display(story.slug),
            for_display(story.headline) or "(no headline)",
            for_display(story.desk),
            for_display(story.byline),
            story.updated_at.astimezone(zone).strftime(STAMP),
        )
        for story in stories
    ]
    if not shown:
        return []
    status_w = max(cell_width(row[0]) for row in shown)
    slug_w = min(SLUG_CELLS, max(cell_width(row[1]) for row in shown))
    desk_w = min(DESK_CELLS, max(cell_width(row[3]) for row in shown))
    byline_w = min(BYLINE_CELLS, max(cell_width(row[4]) for row in shown))
    stamp_w = len("2024-01-01 00:00")

    widths = {"slug": slug_w, "desk": desk_w, "byline": byline_w}

    def headline_room() -> int:
        columns = [status_w, stamp_w, *widths.values()]
        return width - sum(columns) - 2 * sum(1 for cells in columns if cells)

    # Room for the headline first: narrow the slug, byline and desk, then leave out the byline, then the desk.
    for column, narrowest in SHRINK_STEPS:
        if headline_room() >= MIN_HEADLINE:
            break
        widths[column] = min(widths[column], narrowest)
    slug_w, desk_w, byline_w = widths["slug"], widths["desk"], widths["byline"]
    headline_w = max(MIN_HEADLINE // 2, min(headline_room(), max(cell_width(row[2]) for row in shown)))
    lines: list[str] = []
    for status, slug, headline, desk, byline, stamp in shown:
        cells = [pad(status, status_w), pad_middle(slug, slug_w), pad(headline, headline_w)]
        if desk_w:
            cells.append(pad(desk, desk_w))
        if byline_w:
            cells.append(pad(byline, byline_w))
        cells.append(stamp)
        lines.append("  ".join(cells))
    return lines
