"""Start the desk from what the command line prepared (the store, the row cache, the story to open)."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from newsroom_tui.text.safety import for_display

if TYPE_CHECKING:
    from newsroom_tui.usecases.startup import DeskStart

EXIT_OK = 0


def run_desk(start: DeskStart) -> int:
    """Run the app until the editor quits; its exit status."""
    # Everything loaded so far (modules, the store's documents) lives as long as the app: keep the cyclic
    # garbage collector from walking it again and again while the first screen is built (a full
    # collection there cost 15-30 ms of start-up at 1,000 stories, measured).
    gc.freeze()
    from newsroom_tui.tui.app import EXIT_STORE_PROBLEM, NewsroomApp  # Textual only when the app runs
    from newsroom_tui.usecases.startup import settle_desk_start

    start = settle_desk_start(start)  # a database's first page, read meanwhile by a forked child
    app = NewsroomApp(
        store=start.store,
        settings=start.settings,
        first_rows=start.first_rows,
        first_page=start.first_page,
        open_story_id=start.open_story_id,
        startup_note=start.startup_note,
    )
    try:
        app.run()
    finally:
        app.close_store()
    if app.store_problem is not None:
        print(f"newsroom: {for_display(app.store_problem)}", file=sys.stderr)
        return EXIT_STORE_PROBLEM
    return app.return_code or EXIT_OK
