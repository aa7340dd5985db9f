"""Builders the tests share: stories, stores, settings, the app, keys, the screen, `newsroom` as a process.

A plain module (not a test module), imported by tests and by conftest.py; nothing here touches the
user's real store or config (conftest.py isolates every test's environment).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.model import Story
from newsroom_tui.storage.store import StoryStore

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
SCHEMAS = SHARED / "schemas"

READY_BODY = "Ferries crossed the Padma again on Monday after a week of fog.\n\nThe operator added two boats."


# -- stories and stores ------------------------------------------------------------------------------------------
def make_story(**fields: Any) -> Story:
    """A draft with a headline (and whatever `fields` say); every other field is the model's default."""
    fields.setdefault("headline", "Padma bridge toll to rise")
    return Story(**fields)


def ready_story(**fields: Any) -> Story:
    """A story complete enough to publish (every required field filled, signed off); `fields` override."""
    values: dict[str, Any] = {
        "headline": "Ferry crossing reopens",
        "slug": "ferry-crossing-reopens",
        "byline": "Staff Reporter",
        "body": READY_BODY,
        "summary": "Ferries run again.",
        "desk": "National",
        "sign_off": "Dhaka/Rina/NR",
    }
    values.update(fields)
    return Story(**values)


def store_with(db_path: Path, *stories: Story, user: str = "seed") -> list[Story]:
    """Save `stories` (in one save) into the store at `db_path` and close it; returns the saved copies."""
    with StoryStore(db_path) as store:
        return store.save_many(list(stories), user=user)


def settings_for(db_path: Path, **overrides: Any) -> Settings:
    """Settings for a desk on the store at `db_path`, as user "desk" unless `overrides` say otherwise."""
    overrides.setdefault("user", "desk")
    return Settings(db_path=db_path, **overrides)


# -- the desk ------------------------------------------------------------------------------------------------------
def make_app(db_path: Path, *, user: str = "desk", settings: dict[str, Any] | None = None, **app_args: Any) -> Any:
    """The desk on the store at `db_path`, its store open (as `newsroom` starts it without a row cache)."""
    from newsroom_tui.tui.app import NewsroomApp

    return NewsroomApp(
        store=StoryStore(db_path), settings=settings_for(db_path, user=user, **(settings or {})), **app_args
    )


KEY_NAMES = {" ": "space", ",": "comma", ".": "full_stop", "-": "minus", "\n": "enter"}


def keys_for(text: str) -> list[str]:
    """The key names Pilot presses to type `text`."""
    return [KEY_NAMES.get(ch, ch) for ch in text]


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*keys_for(text))


def screen_text(app: Any) -> str:
    """What the terminal would show, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


# -- the command line ----------------------------------------------------------------------------------------------
def spelling_env() -> dict[str, str]:
    """The spelling dictionaries as conftest sets them (shipped copies, compiled once per run), for a process
    given an environment of its own: without them each such process compiled the dictionaries (5 s)."""
    return {key: os.environ[key] for key in ("NEWSROOM_SPELLING_CACHE", "NEWSROOM_HUNSPELL_DIRS") if key in os.environ}


def run_newsroom(*args: str, env: dict[str, str] | None = None, **run_args: Any) -> subprocess.CompletedProcess[str]:
    """`python -m newsroom_tui ARGS` in a process of its own, its output captured as text."""
    if env is not None:
        env = {**spelling_env(), **env}
    return subprocess.run(
        [sys.executable, "-m", "newsroom_tui", *args], capture_output=True, text=True, env=env, timeout=60, **run_args
    )


# -- waiting -------------------------------------------------------------------------------------------------------
# Only a hang takes this long, however loaded the machine is; a condition met sooner returns at once.
WAIT_DEADLINE = 30.0


async def until(pilot: Any, condition: Any, what: str, *, deadline: float = WAIT_DEADLINE) -> None:
    """Let the app run until `condition()` holds; fail naming `what` if it never does."""
    import time

    give_up = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"{what}: not after {deadline:g} s")
        await pilot.pause(0.01)


def cpu_seconds(work: Callable[[], object], *, runs: int = 3) -> float:
    """The best of `runs` in this thread's CPU time, the garbage collector paused: for checks that a piece
    of code is linear, which a busy machine (waiting for a core) or a full collection in a big test worker
    must not fail."""
    import gc
    import time

    best = float("inf")
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started = time.thread_time()
            work()
            best = min(best, time.thread_time() - started)
        finally:
            gc.enable()
    return best


def plant_in_store(db: Path, marker: str, hostile: str) -> None:
    """Put `hostile` text where `marker` is in the store's journal and revisions, as a hand edit or an older
    tool would have: the store cleans terminal control from whatever it writes itself."""
    import json

    escaped = json.dumps(hostile, ensure_ascii=True)[1:-1]
    for path in (db, db.with_name(db.name + ".revisions")):
        if path.exists():
            path.write_text(path.read_text(encoding="utf-8").replace(marker, escaped), encoding="utf-8")
