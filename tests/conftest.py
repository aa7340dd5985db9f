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
