"""Shared fixtures: a throw-away store and settings that never touch the user's real data, and the desk.

Builders (stories, stores, settings, keys) live in tests/factories.py; no test imports another test module.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from newsroom_tui.domain.model import Story

from .factories import make_app, store_with, until
from .tmux import Tmux

FIRST: Any = object()  # desk_with's default: open the first story given


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's config or store, and Textual never animates."""
    monkeypatch.setenv("NEWSROOM_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("NEWSROOM_DB", raising=False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    # platformdirs honours these: outboxes, pending deliveries and recovery drafts stay in the test's folder.
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(tmp_path / variable.lower()))
    monkeypatch.setenv("NEWSROOM_RECOVERY", str(tmp_path / "recovery"))
    os.environ.pop("NO_COLOR", None)
    # The spelling dictionaries: always the shipped copies (as on a fresh machine), compiled once per run.
    monkeypatch.setenv("NEWSROOM_HUNSPELL_DIRS", "")
    monkeypatch.setenv("NEWSROOM_SPELLING_CACHE", str(_spelling_cache(tmp_path)))


def _spelling_cache(tmp_path: Path) -> Path:
    """One compiled-dictionary cache for the whole run, compiled once before any test (`pytest_configure`)."""
    shared = os.environ.get(_RUN_CACHE)
    if shared:
        return Path(shared)
    base = tmp_path.parent.parent
    if base.name.startswith("popen-gw"):
        base = base.parent
    return base / "spelling-cache"


_RUN_CACHE = "NEWSROOM_TEST_SPELLING_CACHE"
_RUN_CACHE_BUILT = "NEWSROOM_TEST_SPELLING_BUILT"  # set when this run compiles the cache: the file saying it is done
_BUILD = """\
import sys, traceback
from pathlib import Path
folder = Path(sys.argv[1])
try:
    from newsroom_tui.storage.dictionaries import build_caches
    build_caches(folder)
except BaseException:
    Path(sys.argv[1] + ".failed").write_text(traceback.format_exc(), encoding="utf-8")
    raise
Path(sys.argv[1] + ".built").touch()
"""
_builder: Any = None  # the controlling process's compiler (a subprocess.Popen), stopped at the end if still running


def pytest_configure(config: pytest.Config) -> None:
    """Compile the shipped dictionaries once per run, in a process of its own started by the controlling
    process: each worker (and each `newsroom` a test starts) compiling its own took 5 s of CPU apiece on a
    2-core machine.  It runs while the workers start and collect (compiled first, it held them back 7 s);
    no test starts before it is done (`_spelling_caches_built`)."""
    global _builder
    if hasattr(config, "workerinput") or os.environ.get(_RUN_CACHE):
        return  # an xdist worker: the controller has started it and passed the folder on in the environment
    import subprocess
    import sys
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="newsroom-spelling-"))
    os.environ[_RUN_CACHE] = str(folder)
    os.environ[_RUN_CACHE_BUILT] = f"{folder}.built"
    _builder = subprocess.Popen(
        [sys.executable, "-c", _BUILD, str(folder)],
        env={**os.environ, "NEWSROOM_HUNSPELL_DIRS": ""},  # the shipped copies, as the tests use
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )


# Only a hang takes this long: compiling takes about 5 s of CPU.
SPELLING_BUILD_DEADLINE = 300.0


@pytest.fixture(scope="session", autouse=True)
def _spelling_caches_built() -> None:
    """Every test (and every module-scoped fixture) starts once the run's dictionaries are compiled."""
    import time

    marker = os.environ.get(_RUN_CACHE_BUILT)
    if marker is None:
        return  # the folder was given (NEWSROOM_TEST_SPELLING_CACHE set from outside): nothing to wait for
    built, failed = Path(marker), Path(marker.removesuffix(".built") + ".failed")
    give_up = time.monotonic() + SPELLING_BUILD_DEADLINE
    while not built.exists():
        if failed.exists():
            pytest.fail(f"compiling the spelling dictionaries failed:\n{failed.read_text(encoding='utf-8')}")
        if time.monotonic() > give_up:
            pytest.fail(f"the spelling dictionaries were not compiled after {SPELLING_BUILD_DEADLINE:g} s")
        time.sleep(0.05)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "newsroom.json"


def _story_is_open(app: Any, story_id: str) -> bool:
    """The desk shows `story_id` for editing: its row is highlighted and the body editor has the focus."""
    from newsroom_tui.tui.widgets.story_list import StoryList

    lists = app.screen.query(StoryList)
    focused = app.focused
    return (
        bool(lists)
        and lists.first().highlighted_id == story_id
        and focused is not None
        and focused.id == "body"
        and not focused.disabled
    )


def _list_shows(app: Any, count: int) -> bool:
    """The list has the stories (spiked and killed ones count, though its default view leaves them out)."""
    from newsroom_tui.tui.panes.list_pane import ListPane

    panes = app.screen_stack[0].query(ListPane)  # the desk, under any dialog it opened at start
    return bool(panes) and len(panes.first().all_rows) >= count


DeskWith = Callable[..., contextlib.AbstractAsyncContextManager[tuple[Any, Any]]]


@pytest.fixture
def desk_with(db_path: Path) -> DeskWith:
    """`async with desk_with(story, ..., size=(80, 24)) as (app, pilot):` the desk on a store holding the stories.

    The stories are saved first (by "seed"); the desk runs as user "desk" (`user=`), with `settings=` passed to
    Settings and any other keyword to NewsroomApp.  It waits until the list shows the stories and, unless
    `opened=None`, the first story (or the one given as `opened`) is open in the editor.  The store is closed
    after the block.
    """

    @contextlib.asynccontextmanager
    async def open_desk(
        *stories: Story,
        opened: Story | None = FIRST,
        size: tuple[int, int] = (120, 40),
        user: str = "desk",
        settings: dict[str, Any] | None = None,
        notifications: bool = False,
        **app_args: Any,
    ) -> AsyncIterator[tuple[Any, Any]]:
        saved = store_with(db_path, *stories) if stories else []
        target = (saved[0] if saved else None) if opened is FIRST else opened
        if target is not None:
            app_args.setdefault("open_story_id", target.id)
        app = make_app(db_path, user=user, settings=settings, **app_args)
        try:
            async with app.run_test(size=size, notifications=notifications) as pilot:
                await until(pilot, lambda: _list_shows(app, len(saved)), "the list shows the stories")
                if target is not None:
                    await until(pilot, lambda: _story_is_open(app, target.id), f"{target.headline!r} is open")
                yield app, pilot
        finally:
            app.close_store()

    return open_desk


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Callable[..., Tmux]]:
    """`tmux(width, height)`: a tmux server of the test's own, killed after the test."""
    sessions: list[Tmux] = []

    def make(width: int = 120, height: int = 40) -> Tmux:
        # A socket each: a new server on a socket whose old server is still exiting fails to start.
        session = Tmux(tmp_path / f"tmux-{len(sessions)}.sock", width, height)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.kill()


# -- the use-case layer: a newsroom on a throw-away store, and another editor's lock book ---------------
@pytest.fixture
def newsroom(db_path: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A Newsroom for user "desk" over a fresh store, with its own recovery journal folder."""
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.drafts import RecoveryJournal
    from newsroom_tui.storage.store import StoryStore
    from newsroom_tui.usecases.newsroom import Newsroom

    settings = Settings(db_path=db_path, user="desk")
    store = StoryStore(db_path)
    journal = RecoveryJournal(tmp_path / "recovery", user="desk")
    yield Newsroom(settings, store, journal=journal)
    store.close()


@pytest.fixture
def rina(db_path: Path):  # type: ignore[no-untyped-def]
    """Another editor's lock book on the same store (another session: her locks are not ours)."""
    from newsroom_tui.storage.locks import LockBook

    return LockBook(db_path, user="rina", host=None)


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and os.environ.get(_RUN_CACHE, "").startswith(tempfile_prefix()):
        import shutil

        if _builder is not None and _builder.poll() is None:  # a run stopped before the compiler finished
            _builder.kill()
            _builder.wait()
        folder = os.environ.pop(_RUN_CACHE)
        shutil.rmtree(folder, ignore_errors=True)
        for marker in (f"{folder}.built", f"{folder}.failed"):
            with contextlib.suppress(OSError):
                os.unlink(marker)
        os.environ.pop(_RUN_CACHE_BUILT, None)


def tempfile_prefix() -> str:
    import tempfile

    return str(Path(tempfile.gettempdir()) / "newsroom-spelling-")


# -- PostgreSQL: one throw-away server per worker, a fresh database per test (tests/pgserver.py) ----------
@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    from .pgserver import PgServer, why_no_server

    reason = why_no_server()
    if reason is not None:
        pytest.skip(f"PostgreSQL tests skipped: {reason}")
    server = PgServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def pg_url(pg_server: Any) -> Iterator[str]:
    """A libpq URL of a fresh, empty database on the worker's server (Unix socket, no password)."""
    url = pg_server.new_database()
    try:
        yield url
    finally:
        pg_server.drop_database(url)


@pytest.fixture(params=["tinydb", "postgresql"])
def store_location(request: pytest.FixtureRequest, db_path: Path) -> str:
    """Where a store lives, once per backend: a journal file path, and a fresh database's URL."""
    if request.param == "tinydb":
        return str(db_path)
    url: str = request.getfixturevalue("pg_url")
    return url
