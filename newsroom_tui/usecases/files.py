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


def export_problem(output: str) -> str | None:
    """Why an export cannot go to `output` (as typed; `~` is the home folder), in a sentence, or None."""
    if not output.strip():
        return "Give a file name."
    path = Path(output.strip()).expanduser()
    if path.is_dir():
        return f"{for_display(str(path))} is a folder; give a file name."
    if not path.parent.is_dir():
        return f"There is no folder {for_display(str(path.parent))}."
    return None


def write_export(output: str, text: str) -> None:
    """An export written to a file (`newsroom export -o`), atomically; a folder is refused, not written into."""
    path = Path(output)
    if path.is_dir():
        raise UserError(f"{path} is a folder; give -o a file name.")
    write_file(path, text.encode("utf-8"))
