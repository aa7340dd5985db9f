"""Files the command line writes for the editor (an export, a fixed wire file): whole or not at all."""

from __future__ import annotations

from pathlib import Path

from newsroom_tui.text.safety import for_display
from newsroom_tui.usecases.errors import UserError


def write_file(path: Path, data: bytes) -> None:
    """Temporary file in the same folder, fsync, rename over `path`: never a half-written file.

    A file rewritten keeps its mode, owner and group, and a symlink stays one (its target is rewritten).
    """
    from newsroom_tui.storage.atomicfile import os_reason, write_atomically

    try:
        write_atomically(path, data, follow_symlinks=True)
    except OSError as error:
        raise UserError(f"Could not write {path}: {os_reason(error)}; the file was left as it was.") from error


def export_problem(output: str, store: Path | None = None) -> str | None:
    """Why an export cannot go to `output` (as typed; `~` is the home folder), in a sentence, or None.
    `store` is the journal in use: an export onto it or a file beside it (`newsroom.json.revisions`,
    `.newsroom.json.rows`, `newsroom-deliveries.json`…), directly or through a link, is refused."""
    if not output.strip():
        return "Give a file name."
    path = Path(output.strip()).expanduser()
    if path.is_dir():
        return f"{for_display(str(path))} is a folder; give a file name."
    if not path.parent.is_dir():
        return f"There is no folder {for_display(str(path.parent))}."
    if store is not None and _is_store_file(path, store):
        return f"{for_display(str(path))} is part of the story store; give the export another name."
    return None


def _is_store_file(path: Path, store: Path) -> bool:
    """The journal itself, or a file the store keeps beside it: those named from the journal's name
    (`.revisions`, `.bak`, `.rows`, `.locks.json`, temporaries `.newsroom.json.*`), the pending deliveries
    and the desk's word lists.  Any other name beside it (`newsroom-weekly.txt`) is the editor's."""
    from newsroom_tui.storage.dictionaries import DESK_WORDS_NAME, IGNORED_NAME

    try:
        target, journal = path.resolve(), store.resolve()
    except (OSError, RuntimeError):  # a link loop: not a file an export may go to either
        return True
    if target.parent != journal.parent:
        return False
    beside = {f"{journal.stem}-deliveries.json", DESK_WORDS_NAME, IGNORED_NAME}
    return target.name.lstrip(".").startswith(journal.name) or target.name in beside


def write_export(output: str, text: str, *, store: Path | None = None) -> None:
    """An export written to a file (`newsroom export -o`), atomically; a folder, a missing folder or one of
    the store's own files is refused in a sentence, never written."""
    problem = export_problem(output, store)
    if problem is not None:
        raise UserError(problem)
    write_file(Path(output).expanduser(), text.encode("utf-8"))
