"""Hand the body to the editor's own editor ($VISUAL, $EDITOR, else nano, else vi) and take it back.

Plain Python: the app suspends itself around `edit_externally`, and tests call it with a fake editor.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from newsroom_tui.text.safety import clean_text


class ExternalEditorError(Exception):
    """The external editor could not be run or failed; the message says which and why."""


def editor_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """The command to run: $VISUAL, then $EDITOR, then nano, then vi."""
    environ = os.environ if environ is None else environ
    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable, "").strip()
        if value:
            return shlex.split(value)
    for fallback in ("nano", "vi"):
        if shutil.which(fallback):
            return [fallback]
    raise ExternalEditorError("No editor found: set $VISUAL or $EDITOR (nano and vi are not installed).")


def edit_externally(text: str, command: list[str], *, suffix: str = ".md") -> str:
    """Run `command FILE` on a temporary copy of `text`; return the edited text, cleaned.

    The file lives in a private temporary folder and is removed afterwards.  A non-zero exit means
    the editor failed (or the user aborted, as `vim` does with `:cq`): the text is not taken back.
    """
    with tempfile.TemporaryDirectory(prefix="newsroom-") as folder:
        path = Path(folder) / f"story{suffix}"
        path.write_text(text, encoding="utf-8")
        try:
            result = subprocess.run([*command, str(path)], check=False)
        except OSError as error:
            raise ExternalEditorError(f"Could not start the editor {command[0]!r}: {error.strerror}.") from error
        if result.returncode != 0:
            raise ExternalEditorError(
                f"The editor {command[0]!r} exited with status {result.returncode}; the text was left as it was."
            )
        try:
            edited = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ExternalEditorError(f"Could not read the edited text back: {error}.") from error
    return clean_text(edited.removesuffix("\n") if not text.endswith("\n") else edited)
