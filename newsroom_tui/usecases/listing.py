"""`newsroom list`: one line per story, for people and for grep, in columns that fit the terminal; and
`newsroom list --json`, the same list for programs: each story's row, as the desk's list has it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from newsroom_tui.storage.contract import JsonRows
from newsroom_tui.text.columns import cell_width, pad, pad_middle
from newsroom_tui.text.safety import for_display, json_bytes_for_terminal

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.domain.listing import StoryRow
    from newsroom_tui.domain.model import Status, Story
    from newsroom_tui.storage.contract import Store

# Cells the slug, the desk and the byline may take at most; each shrinks to its longest value.
SLUG_CELLS = 40
DESK_CELLS = 14
BYLINE_CELLS = 20
STAMP = "%Y-%m-%d %H:%M"  # 16 cells
MIN_HEADLINE = 24
# What gives way, in order, while the headline has under MIN_HEADLINE cells: (column, its cells from then on).
# The slug last: it is what the other commands take, copied from here.
SHRINK_STEPS = (("byline", 14), ("desk", 10), ("byline", 0), ("desk", 0), ("slug", 28), ("slug", 20))


# The columns are as wide as the first this many rows (the newest) need; later rows are cut to them, so a
# million stories' list starts printing at once and holds one page (a status wider than its column is
# never cut: it just pushes its line out).
WIDTH_ROWS = 1000

_Cells = tuple[str, str, str, str, str, str]  # status, slug, headline, desk, byline, last saved


def list_lines(stories: Sequence[Story | StoryRow], settings: Settings, *, width: int = 100) -> list[str]:
    """Status, slug, headline (cut to fit), desk, byline, last saved: aligned columns `width` cells wide.
    A scheduled story's status is when it goes out (`due 18:00`), or `overdue since 13:43`, as on the desk.

    The headline takes what the other columns leave; while that is under 24 cells the byline and the desk
    narrow and go, and only then the slug narrows (SHRINK_STEPS).  A slug longer than its column is cut in
    the middle, keeping its end (`…toll-2`); `list --json` has it whole, and commands take any unique start.
    """
    lines: list[str] = []
    columns = _ListColumns(settings, width, lines.append)
    columns.add(stories)
    columns.finish()
    return lines


def write_list(
    store: Store,
    settings: Settings,
    status: Status | None,
    *,
    everything: bool,
    width: int,
    say: Callable[[str], object],
) -> int:
    """`newsroom list`: the lines, said as the rows are read (a page at a time: `Store.read_rows`); how many
    spiked or killed stories were left out (none with `everything` or a `status`)."""
    from newsroom_tui.domain.listing import filter_rows

    columns = _ListColumns(settings, width, say)
    hidden = 0

    def take(rows: list[StoryRow]) -> None:
        nonlocal hidden
        shown = rows if everything else filter_rows(rows, "", status)  # the desk's default view, unfiltered
        hidden += len(rows) - len(shown)
        columns.add(shown)

    store.read_rows(status, take)
    columns.finish()
    return hidden


class _ListColumns:
    """Lines in columns fitted to the first WIDTH_ROWS rows, said as soon as those are in."""

    def __init__(self, settings: Settings, width: int, say: Callable[[str], object]) -> None:
        from newsroom_tui.domain.model import now

        self._zone = settings.zone
        self._moment = now()
        self._width = width
        self._say = say
        self._waiting: list[_Cells] = []
        self._widths: tuple[int, int, int, int, int] | None = None  # status, slug, headline, desk, byline

    def add(self, rows: Iterable[Story | StoryRow]) -> None:
        from newsroom_tui.domain.workflow import due_text

        zone, moment = self._zone, self._moment
        cells = [
            (
                due_text(row, now=moment, zone=zone) or row.status.value,  # "due 18:00", "overdue since 13:43"
                for_display(row.slug),
                for_display(row.headline) or "(no headline)",
                for_display(row.desk),
                for_display(row.byline),
                row.updated_at.astimezone(zone).strftime(STAMP),
            )
            for row in rows
        ]
        if self._widths is not None:
            self._write(cells)
            return
        self._waiting += cells
        if len(self._waiting) >= WIDTH_ROWS:
            self.finish()

    def finish(self) -> None:
        """The rows so far decide the widths (if they have not yet), and every line waiting is said."""
        if self._widths is None:
            if not self._waiting:
                return
            self._widths = self._fit(self._waiting)
        waiting, self._waiting = self._waiting, []
        self._write(waiting)

    def _fit(self, shown: list[_Cells]) -> tuple[int, int, int, int, int]:
        status_w = max(cell_width(row[0]) for row in shown)
        stamp_w = len("2024-01-01 00:00")
        widths = {
            "slug": min(SLUG_CELLS, max(cell_width(row[1]) for row in shown)),
            "desk": min(DESK_CELLS, max(cell_width(row[3]) for row in shown)),
            "byline": min(BYLINE_CELLS, max(cell_width(row[4]) for row in shown)),
        }

        def headline_room() -> int:
            columns = [status_w, stamp_w, *widths.values()]
            return self._width - sum(columns) - 2 * sum(1 for cells in columns if cells)

        # Room for the headline first: narrow the slug, byline and desk, then leave out the byline, then the desk.
        for column, narrowest in SHRINK_STEPS:
            if headline_room() >= MIN_HEADLINE:
                break
            widths[column] = min(widths[column], narrowest)
        headline_w = max(MIN_HEADLINE // 2, min(headline_room(), max(cell_width(row[2]) for row in shown)))
        return status_w, widths["slug"], headline_w, widths["desk"], widths["byline"]

    def _write(self, rows: list[_Cells]) -> None:
        if self._widths is None:  # pragma: no cover - finish() fits first
            raise RuntimeError("the list's columns are not fitted yet")
        status_w, slug_w, headline_w, desk_w, byline_w = self._widths
        say = self._say
        for status, slug, headline, desk, byline, stamp in rows:
            cells = [
                pad(status, max(status_w, cell_width(status))),
                pad_middle(slug, slug_w),
                pad(headline, headline_w),
            ]
            if desk_w:
                cells.append(pad(desk, desk_w))
            if byline_w:
                cells.append(pad(byline, byline_w))
            cells.append(stamp)
            say("  ".join(cells))


# -- `newsroom list --json` ---------------------------------------------------------------------------------
# What `list --json` prints of each story: its row in the list (what `newsroom list` and the desk's list show,
# and what a script needs to act on it), not the whole story.  The body and the history are what made a
# million-story archive print for 77 s; `newsroom export SLUG --format ninjs` gives a whole story.
# `scheduled_at` is when a scheduled story goes out (null for any other status), `word_count` the body's words.
ROW_FIELDS = (
    "id", "slug", "status", "headline", "desk", "byline", "language",
    "version", "updated_at", "updated_by", "scheduled_at", "word_count",
)  # fmt: skip

_ROW_VALUES: dict[str, Callable[[StoryRow], Any]] = {
    "id": lambda row: row.id,
    "slug": lambda row: row.slug,
    "status": lambda row: row.status.value,
    "headline": lambda row: row.headline,
    "desk": lambda row: row.desk,
    "byline": lambda row: row.byline,
    "language": lambda row: row.language,
    "version": lambda row: row.version,
    "updated_at": lambda row: row.updated_at.isoformat(),
    "updated_by": lambda row: row.updated_by,
    "scheduled_at": lambda row: row.scheduled_at.isoformat() if row.scheduled_at is not None else None,
    "word_count": lambda row: row.word_count,
}


def row_json(row: StoryRow, fields: Sequence[str] = ROW_FIELDS) -> str:
    """One story's row as `list --json` prints it: one line, `fields` in order, text as it is stored (JSON
    escapes only what it must).  A PostgreSQL store writes the very same line itself (contract.JsonRows)."""
    return json.dumps({name: _ROW_VALUES[name](row) for name in fields}, ensure_ascii=False)


def write_list_json(store: Store, status: Status | None, write: Callable[[bytes], object]) -> int:
    """`newsroom list --json`: a JSON array of the rows of every story (or of those with `status`), newest
    first, one row a line, through the terminal boundary, written as it is read; how many rows.

    A store that can write the rows' JSON itself (PostgreSQL) does: the server reads only the row's columns and
    no row becomes a Python object.  Any other store's rows are read a page at a time (`read_rows`) and
    written here.
    """
    opened = False

    def put(chunk: bytes) -> None:  # whole lines, each ending in a newline: `,\n  ` between rows
        nonlocal opened
        write(b",\n  " if opened else b"[\n  ")
        opened = True
        write(json_bytes_for_terminal(chunk[:-1].replace(b"\n", b",\n  ")))

    if isinstance(store, JsonRows):
        count = store.write_rows_json(ROW_FIELDS, status, put)
    else:
        count = store.read_rows(
            status, lambda rows: put("".join(row_json(row) + "\n" for row in rows).encode("utf-8", "surrogatepass"))
        )
    write(b"\n]\n" if opened else b"[]\n")
    return count
