"""Issue 13: "Shell completion for commands, options and slugs (a well-kept library such as argcomplete or
shtab) and a man page generated from the parser."

The completion is run for real: bash sources `newsroom completion bash` and calls the function it defines,
the way bash does on TAB, and zsh (when installed) completes in a terminal.  Slugs come from a real store
through the hidden `newsroom _slugs`, which must never lock, write or fail loudly.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsroom_tui.domain.model import Status
from newsroom_tui.storage.rowcache import cache_path, write_rows
from newsroom_tui.storage.store import StoryStore
from tests.factories import make_story, plant_in_store, run_newsroom, store_with

BIN = Path(sys.executable).parent
SLUGS = ["padma-bridge-toll", "padma-ferry-resumes", "chattogram-port"]


@pytest.fixture
def shelf(db_path: Path) -> Path:
    store_with(
        db_path,
        make_story(slug=SLUGS[0]),
        make_story(slug=SLUGS[1], headline="Ferries resume"),
        make_story(slug=SLUGS[2], headline="Port record", status=Status.SPIKED),
    )
    return db_path


def env_for(tmp_path: Path, **more: str) -> dict[str, str]:
    """A shell's environment with this checkout's `newsroom` first on PATH and no store of the user's."""
    if not (BIN / "newsroom").exists():
        pytest.skip(f"the `newsroom` script is not installed beside {sys.executable} (pip install -e .)")
    return {
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": str(tmp_path),
        "NEWSROOM_CONFIG": str(tmp_path / "no-config.toml"),
        "LC_ALL": "C.UTF-8",
        **more,
    }


# -- the hidden `_slugs` ---------------------------------------------------------------------------------
def slugs(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_newsroom(*args, env=env)


def test_slugs_prints_the_stores_slugs_starting_so_one_a_line(shelf, tmp_path):
    done = slugs("--db", str(shelf), "_slugs")
    assert done.returncode == 0 and sorted(done.stdout.split("\n")[:-1]) == sorted(SLUGS), done.stderr
    done = slugs("--db", str(shelf), "_slugs", "--", "padma-")
    assert done.stdout == "padma-bridge-toll\npadma-ferry-resumes\n" and done.stderr == ""
    # NEWSROOM_DB is honoured, and a --db after the command as well as before it.
    done = slugs("_slugs", "cha", env={"NEWSROOM_DB": str(shelf), "NEWSROOM_CONFIG": str(tmp_path / "none.toml")})
    assert done.stdout == "chattogram-port\n", done.stderr
    assert slugs("_slugs", "--", "zz", "--db", str(shelf)).returncode == 2, "a stray argument is a usage error"


def test_slugs_reads_the_row_cache_and_the_journal_alike(shelf):
    without = slugs("--db", str(shelf), "_slugs").stdout
    with StoryStore(shelf) as store:
        write_rows(shelf, *store.rows_and_position())
        store.save(make_story(slug="saved-after-the-cache", headline="Late"), user="desk")
    assert cache_path(shelf).exists()
    with_cache = slugs("--db", str(shelf), "_slugs").stdout.split("\n")[:-1]
    assert sorted(with_cache) == sorted([*without.split("\n")[:-1], "saved-after-the-cache"])
    assert with_cache[0] == "saved-after-the-cache", "newest first, as the list shows them"


def test_slugs_never_writes_never_waits_for_a_lock_and_fails_silently(shelf, tmp_path):
    before = {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()}
    # A writer holds the journal's lock (as a save does): the completion reads on regardless.
    with open(shelf, "rb") as journal:
        fcntl.flock(journal.fileno(), fcntl.LOCK_EX)
        done = slugs("--db", str(shelf), "_slugs", "padma-f")
    assert done.stdout == "padma-ferry-resumes\n"
    assert {path.name: path.stat().st_mtime_ns for path in tmp_path.iterdir()} == before, "nothing written"

    missing = tmp_path / "not" / "there.json"
    done = slugs("--db", str(missing), "_slugs")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "") and not missing.parent.exists()
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"\x00not a journal\n{]\n")
    done = slugs("--db", str(garbage), "_slugs")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    broken_config = tmp_path / "broken.toml"
    broken_config.write_text("[newsroom\n", encoding="utf-8")
    done = slugs("--config", str(broken_config), "--db", str(shelf), "_slugs")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    done = slugs("--db", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1", "_slugs")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", ""), "an unreachable database: nothing"


def test_a_slug_that_is_not_one_safe_shell_word_is_never_offered(shelf):
    store_with(shelf, make_story(slug="marker-slug", headline="Hostile"))
    plant_in_store(shelf, "marker-slug", "evil\x1b]0;owned\x07$(reboot)")
    done = slugs("--db", str(shelf), "_slugs")
    assert done.returncode == 0 and "\x1b" not in done.stdout and "reboot" not in done.stdout
    assert sorted(done.stdout.split("\n")[:-1]) == sorted(SLUGS)
