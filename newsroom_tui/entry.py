"""The `newsroom` command: the composition root that hands the command line its desk.

The command line and the desk are independent front ends (an import-linter contract); this module is
the only one that knows both.  Textual is imported only when the desk really starts.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsroom_tui.usecases.startup import DeskStart


def open_desk(start: DeskStart) -> int:
    gc.disable()  # off again for Textual and the desk's modules; the desk turns it on once its first screen is out
    from newsroom_tui.tui.launch import run_desk

    return run_desk(start)


def main(argv: Sequence[str] | None = None) -> int:
    # No cyclic garbage collection while the modules load: it walks the tens of thousands of objects they
    # create again and again, and none of them is garbage (30 ms of the desk's start-up, measured).  On for
    # whatever command runs; off again if that is the desk (`open_desk`).
    gc.disable()
    from newsroom_tui.cli.main import main as run_command

    gc.enable()
    return run_command(argv, open_desk=open_desk)
