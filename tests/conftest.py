"""Shared fixtures: a throw-away store and settings that never touch the user's real data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
SCHEMAS = SHARED / "schemas"


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


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "newsroom.json"


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
