"""Hand the body to the editor's own editor ($VISUAL, $EDITOR, else nano, else vi) and take it back.

Why this is more than `with app.suspend(): subprocess.run(...)`.  Textual's `App.suspend()` (8.2.8)
has no try/finally: anything raised inside it (an editor that exits 3, `vim` quit with `:cq`, a program
that is not there) leaves the terminal in cooked mode and the app never resumed: a blank pane, raw
`^[[15~` echoes, only ctrl+c gets out.  And while the editor runs the app's event loop is blocked, so
its lock heartbeat stops and other editors see the story's lock go stale.  `hand_off` therefore

- checks the command before suspending (a missing program never blanks the screen),
- suspends with `suspended(app)`, which always resumes (try/finally around the driver's stop/start),
- runs the editor with `run_editor`, which never raises: every outcome is a `HandOffResult` with one
  sentence, and the text comes back only if the editor wrote a new one and exited 0,
- keeps the lock alive meanwhile with `Heartbeat`, a plain thread calling `beat()` every few seconds.

Plain Python (no Textual import): the app is used only through its driver, so tests can hand it a fake.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from newsroom_tui.text.safety import clean_text, for_display

__all__ = [
    "CannotSuspend",
    "ExternalEditorError",
    "HandOffResult",
    "Heartbeat",
    "edit_externally",
    "editor_command",
    "hand_off",
    "run_editor",
    "suspended",
]

HEARTBEAT_SECONDS = 10.0  # as often as the desk's own lock heartbeat
LEFT_AS_IT_WAS = "the body was left as it was"


class ExternalEditorError(Exception):
    """The external editor could not be run or failed; the message says which and why."""


class CannotSuspend(Exception):
    """This front end cannot give the terminal away (no driver, or one that cannot suspend)."""


@dataclass(frozen=True, slots=True)
class HandOffResult:
    """What came back from the editor: `text` is the new body, or None to keep the body as it is."""

    text: str | None
    message: str  # one sentence for the editor
    ok: bool  # the editor ran and exited 0 (the text may still be unchanged: then `text` is None)


def editor_command(environ: Mapping[str, str] | None = None) -> list[str]:
    """The command to run: $VISUAL, then $EDITOR, then nano, then vi."""
    environ = os.environ if environ is None else environ
    for variable in ("VISUAL", "EDITOR"):
        value = environ.get(variable, "").strip()
        if value:
            try:
                command = shlex.split(value)
            except ValueError as error:
                raise ExternalEditorError(
                    f"${variable} cannot be read as a command ({error}): {for_display(value)!r}."
                ) from error
            if command:
                return command
    for fallback in ("nano", "vi"):
        if shutil.which(fallback, path=environ.get("PATH")):
            return [fallback]
    raise ExternalEditorError("No editor found: set $VISUAL or $EDITOR (nano and vi are not installed).")


def _name(command: list[str]) -> str:
    return repr(for_display(command[0]))


def edit_externally(text: str, command: list[str], *, suffix: str = ".md") -> str:
    """Run `command FILE` on a temporary copy of `text`; return the edited text, cleaned.

    Raises ExternalEditorError with a sentence when the editor could not run, failed or was killed
    (`run_editor` is the same without raising).
    """
    result = run_editor(text, command, suffix=suffix)
    if not result.ok:
        raise ExternalEditorError(result.message)
    return text if result.text is None else result.text


@contextmanager
def _parent_ignores_interrupts() -> Iterator[None]:
    """While the editor runs, ctrl+c and ctrl+\\ in the terminal are the editor's business, as `system()` does.

    A Python handler (not SIG_IGN) so the editor itself gets the default action after exec.  Only the
    main thread can set handlers; elsewhere nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous: dict[int, Any] = {}

    def ignore(signum: int, frame: FrameType | None) -> None:
        return None

    for signum in (signal.SIGINT, signal.SIGQUIT):
        with contextlib.suppress(ValueError, OSError):
            previous[signum] = signal.signal(signum, ignore)
    try:
        yield
    finally:
        for number, handler in previous.items():
            if handler is not None:
                with contextlib.suppress(ValueError, OSError):
                    signal.signal(number, handler)


def _stopped_by(returncode: int) -> str:
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def run_editor(text: str, command: list[str], *, suffix: str = ".md") -> HandOffResult:
    """Run `command FILE` on a temporary copy of `text`; never raises an Exception.

    The file lives in a private temporary folder and is removed afterwards.  A non-zero exit means the
    editor failed (or the user aborted, as `vim` does with `:cq`), and a signal means it was killed:
    either way the text is not taken back.
    """
    if not command:
        return HandOffResult(None, f"No editor command was given; {LEFT_AS_IT_WAS}.", False)
    try:
        with tempfile.TemporaryDirectory(prefix="newsroom-") as folder:
            path = Path(folder) / f"story{suffix}"
            path.write_text(text, encoding="utf-8")
            try:
                with _parent_ignores_interrupts():
                    completed = subprocess.run([*command, str(path)], check=False)
            except OSError as error:
                reason = error.strerror or str(error)
                message = f"Could not start the editor {_name(command)}: {reason}; {LEFT_AS_IT_WAS}."
                return HandOffResult(None, message, False)
            if completed.returncode < 0:
                stopped = _stopped_by(completed.returncode)
                message = f"The editor {_name(command)} was stopped by {stopped}; {LEFT_AS_IT_WAS}."
                return HandOffResult(None, message, False)
            if completed.returncode != 0:
                return HandOffResult(
                    None,
                    f"The editor {_name(command)} exited with status {completed.returncode}; {LEFT_AS_IT_WAS}.",
                    False,
                )
            try:
                edited = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                reason = for_display(str(error))
                return HandOffResult(None, f"Could not read the edited text back ({reason}); {LEFT_AS_IT_WAS}.", False)
    except Exception as error:  # a full disk for the temporary copy, and anything else: the text survives
        reason = for_display(str(error) or type(error).__name__)
        return HandOffResult(None, f"The hand-off to the editor failed ({reason}); {LEFT_AS_IT_WAS}.", False)
    edited = clean_text(edited.removesuffix("\n") if not text.endswith("\n") else edited)
    if edited == text:
        return HandOffResult(None, "The editor closed without changing the body.", True)
    return HandOffResult(edited, "Body updated from the external editor (ctrl+z undoes it).", True)


@contextmanager
def suspended(app: Any) -> Iterator[None]:
    """Textual's `App.suspend()`, but the app always comes back: the driver is restarted in a `finally`.

    Mirrors textual 8.2.8's `App.suspend` step by step (suspend signal, driver stop, no automatic
    restart, stdout/stderr to the terminal; then driver start, resume signal, full refresh).
    Raises CannotSuspend before touching anything when the app has no driver that can suspend.
    """
    driver = getattr(app, "_driver", None)
    if driver is None or not getattr(driver, "can_suspend", False):
        raise CannotSuspend("This terminal cannot be handed to another program.")
    app._suspend_signal()
    try:
        driver.suspend_application_mode()
        with driver.no_automatic_restart(), redirect_stdout(sys.__stdout__), redirect_stderr(sys.__stderr__):
            yield
    finally:
        try:
            driver.resume_application_mode()
        finally:
            app._resume_signal()
            app.refresh(layout=True)


class Heartbeat:
    """A plain thread that calls `beat()` now and every `every` seconds until stopped.

    The app's own timers do not run while the editor has the terminal (the event loop waits on it), so
    the lock would go stale and other editors would be told the story is free.  `beat` must not wait
    on the event loop (no `call_from_thread`); what it raises is swallowed (the next beat tries again).
    """

    def __init__(self, beat: Callable[[], object], every: float = HEARTBEAT_SECONDS) -> None:
        self.beat = beat
        self.every = every
        self.beats = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsroom-editor-heartbeat", daemon=True)

    def _run(self) -> None:
        while True:
            with contextlib.suppress(Exception):
                self.beat()
            self.beats += 1
            if self._stop.wait(self.every):
                return

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=1.0)  # a beat stuck on a slow disk is not waited for: it is a daemon

    def __enter__(self) -> Heartbeat:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def hand_off(
    app: Any,
    text: str,
    *,
    beat: Callable[[], object],
    every: float | None = None,
    environ: Mapping[str, str] | None = None,
    suffix: str = ".md",
) -> HandOffResult:
    """The body in $VISUAL/$EDITOR and back, whatever the editor does; the desk is always resumed.

    `beat` keeps the story's lock fresh from a plain thread while the editor runs (every `every` seconds,
    `HEARTBEAT_SECONDS` by default).  The result's `text`
    is the new body only when the editor exited 0 and changed it; its `message` is one sentence.
    """
    try:
        command = editor_command(environ)
    except ExternalEditorError as error:
        return HandOffResult(None, f"{error} The body was left as it was.", False)
    search_path = (os.environ if environ is None else environ).get("PATH")
    if shutil.which(command[0], path=search_path) is None:
        return HandOffResult(
            None,
            f"The editor {_name(command)} was not found (check $VISUAL or $EDITOR); {LEFT_AS_IT_WAS}.",
            False,
        )
    with Heartbeat(beat, HEARTBEAT_SECONDS if every is None else every):
        try:
            with suspended(app):
                result = run_editor(text, command, suffix=suffix)
        except CannotSuspend:
            result = HandOffResult(None, f"This terminal cannot be handed to another editor; {LEFT_AS_IT_WAS}.", False)
        except Exception as error:  # the driver failed to stop or start: say so, keep the text
            reason = for_display(str(error) or type(error).__name__)
            result = HandOffResult(None, f"The hand-off to the editor failed ({reason}); {LEFT_AS_IT_WAS}.", False)
    return result
