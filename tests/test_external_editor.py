"""The $EDITOR hand-off: whatever the editor does, the desk comes back, says what happened, keeps the text."""

from __future__ import annotations

import contextlib
import itertools
import json
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
from textual.widgets import TextArea

from newsroom_tui.domain.model import Story
from newsroom_tui.tui import external_editor
from newsroom_tui.tui.external_editor import (
    CannotSuspend,
    HandOffResult,
    Heartbeat,
    hand_off,
    run_editor,
    suspended,
)

from .factories import make_app, store_with, type_text, until

BODY = "Ransom ware hit the port.\n\nOfficials said ransom ware attacks rose."


def script(tmp_path: Path, code: str, name: str = "editor.py") -> list[str]:
    path = tmp_path / name
    path.write_text("import os, sys, time\npath = sys.argv[1]\n" + code, encoding="utf-8")
    return [sys.executable, str(path)]


class FakeDriver:
    """Records the driver's stop and start, like Textual's, and can be told to fail either."""

    can_suspend = True

    def __init__(self, fail: str = "") -> None:
        self.calls: list[str] = []
        self.fail = fail

    def suspend_application_mode(self) -> None:
        self.calls.append("stop")
        if self.fail == "stop":
            raise OSError("the terminal went away")

    def resume_application_mode(self) -> None:
        self.calls.append("start")
        if self.fail == "start":
            raise OSError("the terminal went away")

    @contextlib.contextmanager
    def no_automatic_restart(self):
        self.calls.append("no-restart")
        yield


class FakeApp:
    def __init__(self, driver: object | None) -> None:
        self._driver = driver
        self.calls: list[str] = []

    def _suspend_signal(self) -> None:
        self.calls.append("suspend-signal")

    def _resume_signal(self) -> None:
        self.calls.append("resume-signal")

    def refresh(self, *, layout: bool = False) -> None:
        self.calls.append(f"refresh(layout={layout})")


# -- run_editor: one sentence for every way an editor can end --------------------------------------------------
def test_an_editor_that_writes_and_exits_0_gives_the_new_text(tmp_path):
    result = run_editor(BODY, script(tmp_path, "open(path, 'w').write('New words\\x1b[31m\\n')\n"))
    assert result == HandOffResult("New words", "Body updated from the external editor (ctrl+z undoes it).", True)


def test_an_editor_that_changes_nothing_gives_no_text(tmp_path):
    result = run_editor(BODY, script(tmp_path, "pass\n"))
    assert result.ok and result.text is None
    assert result.message == "The editor closed without changing the body."


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("open(path, 'w').write('garbage')\nsys.exit(3)\n", "exited with status 3"),
        ("open(path, 'w').write('garbage')\nos.kill(os.getpid(), 9)\n", "was stopped by SIGKILL"),
        ("open(path, 'w').write('garbage')\nos.kill(os.getpid(), 15)\n", "was stopped by SIGTERM"),
        ("os.unlink(path)\n", "Could not read the edited text back"),
        ("open(path, 'wb').write(b'\\xff\\xfe bad')\n", "Could not read the edited text back"),
    ],
)
def test_a_failing_editor_keeps_the_text_and_says_why(tmp_path, code, expected):
    result = run_editor(BODY, script(tmp_path, code))
    assert not result.ok
    assert result.text is None
    assert expected in result.message
    assert result.message.endswith("the body was left as it was.")


def test_a_missing_program_is_a_sentence_not_an_exception(tmp_path):
    result = run_editor(BODY, [str(tmp_path / "no-such-editor")])
    assert not result.ok and result.text is None
    assert result.message.startswith("Could not start the editor")


def test_ctrl_c_in_a_plain_editor_stops_the_editor_not_the_desk(tmp_path):
    """In cooked mode ctrl+c signals the whole process group: the desk must not die of it."""
    code = "os.kill(os.getppid(), 2)\ntime.sleep(0.2)\nos.kill(os.getpid(), 2)\n"
    try:
        result = run_editor(BODY, script(tmp_path, code))
    except KeyboardInterrupt:  # what the desk died of: a failure here, not the end of the test run
        pytest.fail("ctrl+c meant for the editor interrupted the desk")
    assert not result.ok
    assert "stopped by SIGINT" in result.message  # the editor got the default action; we did not
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# -- suspended: the app always comes back ---------------------------------------------------------------------
def test_suspended_restarts_the_driver_when_the_body_raises():
    driver = FakeDriver()
    app = FakeApp(driver)
    with pytest.raises(RuntimeError), suspended(app):
        raise RuntimeError("the editor blew up")
    assert driver.calls == ["stop", "no-restart", "start"]
    assert app.calls == ["suspend-signal", "resume-signal", "refresh(layout=True)"]


def test_suspended_restarts_even_when_stopping_failed_half_way():
    driver = FakeDriver(fail="stop")
    app = FakeApp(driver)
    with pytest.raises(OSError), suspended(app):
        raise AssertionError("not reached")
    assert driver.calls == ["stop", "start"]
    assert app.calls[-2:] == ["resume-signal", "refresh(layout=True)"]


@pytest.mark.parametrize("driver", [None, type("Headless", (), {"can_suspend": False})()])
def test_suspended_refuses_before_touching_anything(driver):
    app = FakeApp(driver)
    with pytest.raises(CannotSuspend), suspended(app):
        raise AssertionError("not reached")
    assert app.calls == []


# -- the heartbeat thread -------------------------------------------------------------------------------------
def test_the_heartbeat_beats_at_once_and_then_every_interval_and_stops():
    beats: list[float] = []

    def beat() -> None:
        beats.append(time.monotonic())
        if len(beats) == 2:
            raise OSError("a lock file hiccup does not stop the beat")

    with Heartbeat(beat, every=0.05):
        time.sleep(0.4)
    count = len(beats)
    assert 3 <= count <= 10  # at once, then about every 0.05 s (loosely: the machine is shared)
    time.sleep(0.15)
    assert len(beats) == count  # stopped
    assert not any(t.name == "newsroom-editor-heartbeat" for t in threading.enumerate())


# -- hand_off: the whole journey ------------------------------------------------------------------------------
def test_hand_off_resumes_and_keeps_the_text_when_the_editor_exits_3(tmp_path):
    driver = FakeDriver()
    app = FakeApp(driver)
    [python, editor] = script(tmp_path, "open(path, 'w').write('garbage')\nsys.exit(3)\n")
    beats: list[int] = []
    result = hand_off(app, BODY, beat=lambda: beats.append(1), environ={"EDITOR": f"{python} {editor}"})
    assert result.text is None and not result.ok
    assert "exited with status 3" in result.message
    assert driver.calls == ["stop", "no-restart", "start"]
    assert beats  # the lock was refreshed while the editor had the terminal


def test_hand_off_keeps_the_lock_alive_for_as_long_as_the_editor_runs(tmp_path):
    driver = FakeDriver()
    app = FakeApp(driver)
    [python, editor] = script(tmp_path, "time.sleep(0.8)\nopen(path, 'w').write('Edited')\n")
    beats: list[float] = []
    result = hand_off(
        app, BODY, beat=lambda: beats.append(time.monotonic()), every=0.1, environ={"VISUAL": f"{python} {editor}"}
    )
    assert result == HandOffResult("Edited", "Body updated from the external editor (ctrl+z undoes it).", True)
    assert len(beats) >= 3
    assert max(b - a for a, b in itertools.pairwise(beats)) < 0.6  # never stopped for the editor's 0.8 s


def test_hand_off_never_blanks_the_screen_for_a_missing_program(tmp_path):
    driver = FakeDriver()
    app = FakeApp(driver)
    result = hand_off(app, BODY, beat=lambda: None, environ={"EDITOR": "no-such-editor-anywhere", "PATH": "/nowhere"})
    assert not result.ok and result.text is None
    assert result.message.startswith("The editor 'no-such-editor-anywhere' was not found")
    assert driver.calls == []


def test_hand_off_says_so_when_the_terminal_cannot_be_handed_over(tmp_path):
    [python, editor] = script(tmp_path, "open(path, 'w').write('x')\n")
    result = hand_off(FakeApp(None), BODY, beat=lambda: None, environ={"EDITOR": f"{python} {editor}"})
    assert result == HandOffResult(
        None, "This terminal cannot be handed to another editor; the body was left as it was.", False
    )


def test_hand_off_reports_a_driver_that_cannot_start_again(tmp_path):
    driver = FakeDriver(fail="start")
    [python, editor] = script(tmp_path, "open(path, 'w').write('x')\n")
    result = hand_off(FakeApp(driver), BODY, beat=lambda: None, environ={"EDITOR": f"{python} {editor}"})
    assert not result.ok and result.text is None
    assert "the terminal went away" in result.message


# -- the desk ---------------------------------------------------------------------------------------------------
def _suspendable(app, monkeypatch) -> list[str]:
    """Let the headless driver 'suspend' (it cannot really), recording the stop and start."""
    calls: list[str] = []
    driver = app._driver
    monkeypatch.setattr(type(driver), "can_suspend", property(lambda self: True))
    monkeypatch.setattr(driver, "suspend_application_mode", lambda: calls.append("stop"))
    monkeypatch.setattr(driver, "resume_application_mode", lambda: calls.append("start"))
    return calls


async def test_the_desk_comes_back_from_an_editor_that_exits_3(db_path, tmp_path, monkeypatch):
    store_with(db_path, Story(headline="Port attack", slug="port-attack", body=BODY))
    [python, editor] = script(tmp_path, "open(path, 'w').write('garbage')\nsys.exit(3)\n")
    monkeypatch.setenv("VISUAL", f"{python} {editor}")
    app = make_app(db_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        calls = _suspendable(app, monkeypatch)
        await pilot.press("enter", "ctrl+o")
        await until(pilot, lambda: len(calls) >= 2 or len(app._notifications) > 0, "the hand-off")
        assert calls == ["stop", "start"]  # resumed, not left in cooked mode
        body = app.screen.query_one("#body", TextArea)
        assert body.text == BODY
        assert any("exited with status 3; the body was left as it was." in n.message for n in app._notifications)
        await type_text(pilot, "Still ")
        assert body.text.startswith("Still Ransom ware")
    app.store.close()


async def test_the_desk_keeps_its_lock_fresh_while_the_editor_runs(db_path, tmp_path, monkeypatch):
    story = Story(headline="Port attack", slug="port-attack", body=BODY)
    store_with(db_path, story)
    seen = tmp_path / "seen.json"
    locks_file = f"{db_path}.locks.json"
    code = (
        f"before = after = open({locks_file!r}).read()\n"
        "deadline = time.monotonic() + 10\n"  # the lock file changes within 0.2 s, unless the heartbeat stopped
        "while after == before and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
        f"    after = open({locks_file!r}).read()\n"
        f"open({str(seen)!r}, 'w').write(__import__('json').dumps([before, after]))\n"
        "text = open(path).read()\n"
        "open(path, 'w').write(text.replace('Ransom ware', 'Ransomware'))\n"
    )
    [python, editor] = script(tmp_path, code)
    monkeypatch.setenv("VISUAL", f"{python} {editor}")
    monkeypatch.setattr(external_editor, "HEARTBEAT_SECONDS", 0.2)
    app = make_app(db_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        _suspendable(app, monkeypatch)
        await pilot.press("enter")
        await until(
            pilot, lambda: story.id in Path(locks_file).read_text() if Path(locks_file).exists() else False, "the lock"
        )
        await pilot.press("ctrl+o")
        body = app.screen.query_one("#body", TextArea)
        await until(pilot, lambda: seen.exists() and body.text != BODY, "the edited body")
        assert body.text.startswith("Ransomware hit the port.")
        await pilot.press("ctrl+z")
        assert body.text == BODY
    app.store.close()
    before, after = (json.loads(text) for text in json.loads(seen.read_text()))

    def heartbeat(locks: dict) -> str:
        return locks["locks"][story.id]["heartbeat"]

    assert heartbeat(after) > heartbeat(before)  # beaten while the editor had the terminal


def test_the_textual_internals_suspended_relies_on_are_there():
    """`suspended` mirrors textual's App.suspend with its private steps: an upgrade that moves them fails here."""
    from textual.app import App
    from textual.drivers.linux_driver import LinuxDriver

    for name in ("_suspend_signal", "_resume_signal", "refresh", "suspend"):
        assert callable(getattr(App, name)), name
    for name in ("suspend_application_mode", "resume_application_mode", "no_automatic_restart"):
        assert callable(getattr(LinuxDriver, name)), name
    assert isinstance(LinuxDriver.can_suspend, property)
