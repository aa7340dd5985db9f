"""Issue 11, items 1 and 3: where the store's side files live, and how writers exclude each other.

Real processes, as tests/test_store_processes.py: a symlinked store written through the link and the real
path at once, and writers saving while another process deletes the old lock file again and again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.model import Story
from newsroom_tui.storage import rowcache
from newsroom_tui.storage.locks import LockBook
from newsroom_tui.storage.store import StoryStore

pytestmark = pytest.mark.slow

# Saves `count` stories (new ones and edits of its own, so superseded lines pile up and the tiny threshold
# makes it compact now and then), printing an ACK line after each save returns.
WRITER = r"""
import sys
import newsroom_tui.storage.store as store_module
from newsroom_tui.domain.model import Story

store_module.COMPACT_MIN_DEAD_BYTES = 20_000
path, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = store_module.StoryStore(path)
mine = []
for n in range(count):
    if mine and n % 3:
        story = store.get(mine[n % len(mine)])
        story.body = f"{name} edit {n} " + "x" * 600
    else:
        story = Story(headline=f"{name} {n}", slug=f"{name}-{n}", body=f"{name} new {n} " + "x" * 600)
    saved = store.save(story, user=name)
    if saved.version == 1:
        mine.append(saved.id)
    print(f"ACK {saved.id}:{saved.version}:{n}", flush=True)
store.close()
"""

# Deletes every `*.lock` file beside the store, again and again, until killed.
DELETER = r"""
import os, sys, time
folder = sys.argv[1]
print("READY", flush=True)
while True:
    for name in os.listdir(folder):
        if name.endswith(".lock"):
            try:
                os.unlink(os.path.join(folder, name))
            except OSError:
                pass
    time.sleep(0.0005)
"""


def _writer(path: Path, name: str, count: int) -> subprocess.Popen[str]:
    args = [sys.executable, "-c", WRITER, str(path), name, str(count)]
    return subprocess.Popen(args, stdout=subprocess.PIPE, text=True)


def _acknowledged(outputs: list[str]) -> dict[str, tuple[int, str]]:
    """The latest acknowledged (version, save number) of every story the writers saved."""
    acked: dict[str, tuple[int, str]] = {}
    for output in outputs:
        for line in output.splitlines():
            story_id, version, n = line.removeprefix("ACK ").split(":")
            if story_id not in acked or int(version) > acked[story_id][0]:
                acked[story_id] = (int(version), n)
    return acked


def _assert_nothing_lost(path: Path, acked: dict[str, tuple[int, str]], saves: int) -> None:
    assert sum(version for version, _ in acked.values()) == saves, "every save acknowledged once"
    with StoryStore(path) as store:
        stories = {story.id: story for story in store.list_stories()}
        lost = [story_id for story_id, (version, _) in acked.items() if stories.get(story_id) is None]
        assert not lost, f"{len(lost)} acknowledged stories lost"
        stale = [story_id for story_id, (version, _) in acked.items() if stories[story_id].version != version]
        assert not stale, f"{len(stale)} acknowledged versions lost"
        for story_id, (version, _) in acked.items():
            assert [story.version for story in store.revisions(story_id)] == list(range(1, version + 1))


# -- item 1: a symlinked store -------------------------------------------------------------------------------
def test_side_files_of_a_symlinked_store_live_beside_the_real_file(tmp_path: Path) -> None:
    real = tmp_path / "desk" / "newsroom.json"
    real.parent.mkdir()
    link = tmp_path / "home" / "newsroom.json"
    link.parent.mkdir()
    link.symlink_to(real)
    with StoryStore(link) as store:
        store.save(Story(headline="Flood warning", body="Rivers rise."), user="rina")
        assert store.revisions_path == real.with_name("newsroom.json.revisions")
        assert store.backup_path == real.with_name("newsroom.json.bak")
        rows, position = store.rows_and_position()
        rowcache.write_rows(link, rows, position)
    book = LockBook(link, user="rina")
    assert book.path == real.with_name("newsroom.json.locks.json")
    assert rowcache.cache_path(link) == real.with_name("newsroom.json.rows")
    from newsroom_tui.delivery import pending_path

    assert pending_path(Settings(db_path=link)) == real.with_name("newsroom-deliveries.json")
    assert sorted(path.name for path in link.parent.iterdir()) == ["newsroom.json"], "nothing beside the link"
    assert link.is_symlink()


def test_two_writers_through_a_link_and_the_real_path_lose_nothing_and_compaction_keeps_the_link(
    tmp_path: Path,
) -> None:
    """Issue 11, item 1: 56 of 200 acknowledged saves were lost; the first compaction replaced the link."""
    real = tmp_path / "desk" / "newsroom.json"
    real.parent.mkdir()
    link = tmp_path / "home" / "newsroom.json"
    link.parent.mkdir()
    link.symlink_to(real)
    StoryStore(real).close()
    writers = [_writer(link, "link", 100), _writer(real, "real", 100)]
    outputs = [writer.communicate(timeout=120)[0] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0]
    # A compaction leaves the file it replaced as .bak (an inode number can be reused, so that is no proof).
    assert real.with_name("newsroom.json.bak").exists(), "the writers compacted the store"
    assert link.is_symlink() and Path(os.readlink(link)) == real, "the link is still a link to the same file"
    assert sorted(path.name for path in link.parent.iterdir()) == ["newsroom.json"]
    _assert_nothing_lost(real, _acknowledged(outputs), 200)


# -- item 3: the lock cannot be deleted from under the writers ----------------------------------------------------
def test_deleting_lock_files_while_writers_save_loses_no_acknowledged_save(tmp_path: Path) -> None:
    """Issue 11, item 3: deleting `newsroom.json.lock` while three writers saved lost 3 of 300 saves."""
    path = tmp_path / "newsroom.json"
    StoryStore(path).close()
    deleter = subprocess.Popen([sys.executable, "-c", DELETER, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert deleter.stdout is not None and deleter.stdout.readline() == "READY\n"
        writers = [_writer(path, name, 100) for name in ("alpha", "beta", "gamma")]
        outputs = [writer.communicate(timeout=180)[0] for writer in writers]
    finally:
        deleter.kill()
        deleter.wait()
        assert deleter.stdout is not None
        deleter.stdout.close()
    assert [writer.returncode for writer in writers] == [0, 0, 0]
    _assert_nothing_lost(path, _acknowledged(outputs), 300)


def test_a_writer_waiting_on_a_compacted_journal_takes_the_lock_of_the_new_one(tmp_path: Path) -> None:
    """The lock is the journal itself: a compaction renames a new file over it, and whoever waited on the old
    file must not believe it holds the new one."""
    path = tmp_path / "newsroom.json"
    with StoryStore(path) as first, StoryStore(path) as second:
        story = first.save(Story(headline="Flood warning", body="Rivers rise."), user="rina")
        started = time.monotonic()
        with first._storage.transaction():
            first._storage._compact_locked()  # the journal is a new file now; the old one is still locked
            # The new file is locked too, until the transaction ends: a newcomer waits.
            from newsroom_tui.storage.store import StoreBusyError

            second._storage.lock_timeout = 0.05
            with pytest.raises(StoreBusyError):
                second.save(second.get(story.id).copy(body="Too soon."), user="aziz")
        second._storage.lock_timeout = 10
        saved = second.save(second.get(story.id).copy(body="After the compaction."), user="aziz")
        assert saved.version == 2 and time.monotonic() - started < 10
        assert first.get(story.id).body == "After the compaction."
