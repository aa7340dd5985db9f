"""ruff, mypy and the import contracts run as part of the suite, so `pytest` alone says whether the tree is clean."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (it comes with the [test] extra)")
    result = subprocess.run([ruff, "check", "--no-cache", str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _tool(name: str) -> str:
    path = shutil.which(name) or str(Path(sys.executable).with_name(name))
    if not Path(path).exists():
        pytest.skip(f"{name} is not installed (it comes with the [test] extra)")
    return path


def test_ruff_format_is_clean():
    result = subprocess.run(
        [_tool("ruff"), "format", "--check", "--no-cache", str(REPO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_are_kept():
    """The layers in pyproject.toml: front ends over use cases over delivery, formats, storage, domain, text."""
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def mypy_cache_dir() -> Path:
    """mypy's incremental cache, in the machine's temporary folder rather than the tree: a fresh clone (CI's)
    checks against what an earlier run there built, rather than type-checking Textual, Rich, psycopg and the
    standard library from scratch (15 s, 10 s of CPU, against under a second).  mypy re-checks any module
    whose source or dependencies changed (it compares contents, not paths), so a cache from another clone or
    branch is only a head start."""
    return Path(tempfile.gettempdir()) / f"newsroom-mypy-cache-{os.getuid()}"


def test_mypy_is_clean():
    """Types as configured in pyproject.toml: strict for the domain, storage and text; checked everywhere."""
    result = subprocess.run(
        [_tool("mypy"), "--cache-dir", str(mypy_cache_dir())], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr
