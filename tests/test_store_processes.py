"""The story store with real processes: kill -9 in the middle of saving, concurrent writers, stale saves."""

from __future__ import annotations

import hashlib
import queue
import random
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.storage.store import ConflictError, StoryStore

pytestmark = pytest.mark.slow

# Saves stories in a loop (new ones, edits, small batches) and prints an ACK line after each save
# returns.  Its compaction threshold is tiny, so kills also land in the middle of compactions, and it
# writes in small, slow pieces, so kills also tear lines and interrupt compactions (a kill never
# splits one small write).
WRITER = r"""
import hashlib, os, random, sys, time
import newsroom_tui.storage.atomicfile as atomicfile
import newsroom_tui.storage.store as store_module
from newsroom_tui.domain.model import Story

store_module.COMPACT_MIN_DEAD_BYTES = 40_000
real_write_all, real_write_atomically = store_module._write_all, store_module._write_atomically
compacting = []
def write_in_pieces(fd, data):
    piece, pause = (len(data), 0.00005) if compacting else (512, 0.0002)
    for start in range(0, len(data), piece):
        real_write_all(fd, data[start : start + piece])
        time.sleep(pause)
def write_atomically(*args, **kwargs):
    compacting.append(True)
    try:
        return real_write_atomically(*args, **kwargs)
    finally:
        compacting.pop()
store_module._write_all, store_module._write_atomically = write_in_pieces, write_atomically
atomicfile.write_all = write_in_pieces  # what a compaction writes with
path, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
words = "পদ্মা সেতুর টোল বাড়ছে the toll rises in July ঢাকা Dhaka".split()

def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:16]

def fresh_body():
    return " ".join(rng.choice(words) for _ in range(rng.randint(20, 400)))

store = store_module.StoryStore(path)
ids = [story.id for story in store.list_stories()]
print("READY", flush=True)
n = 0
while True:
    n += 1
    if rng.random() < 0.1:
        batch = []
        for k in range(3):
            body = fresh_body()
            batch.append(
                Story(headline=f"{seed}-{n}-{k}", slug=f"s{seed}-{n}-{k}", body=body, ednote=digest(body))
            )
        saved = store.save_many(batch, user="writer")
    else:
        story = store.get(rng.choice(ids)) if ids and rng.random() < 0.6 else Story(headline=f"{seed}-{n}")
        story.body = fresh_body()
        story.ednote = digest(story.body)
        saved = [store.save(story, user="writer")]
    for story in saved:
        if story.version == 1:
            ids.append(story.id)
    print("ACK " + " ".join(f"{s.id}:{s.version}:{s.ednote}" for s in saved), flush=True)
"""

# Adds `count` stories, and after each adds one to a shared counter story, retrying on conflicts.  It
# dawdles between reading and saving the counter, as an editor does, so the writers really do collide.
COUNTER = r"""
import sys, time
import newsroom_tui.storage.atomicfile as atomicfile
import newsroom_tui.storage.store as store_module
from newsroom_tui.domain.model import Story

store_module.COMPACT_MIN_DEAD_BYTES = 20_000
path, name, count, shared_id = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
store = store_module.StoryStore(path)
for n in range(count):
    saved = store.save(Story(headline=f"{name} {n}", slug=f"{name}-{n}", body="x" * 800), user=name)
    print("NEW", saved.id, flush=True)
    while True:
        shared = store.get(shared_id)
        shared.body = str(int(shared.body) + 1)
        time.sleep(0.002)
        try:
            store.save(shared, user=name)
        except store_module.ConflictError:
            print("CONFLICT", flush=True)
            continue
        print("INC", flush=True)
        break
"""

EDIT_ONCE = r"""
import sys
from newsroom_tui.storage.store import StoryStore
with StoryStore(sys.argv[1]) as store:
    story = store.get(sys.argv[2])
    story.headline = "edited in another process"
    store.save(story, user="rafiq")
"""

HOLD_LOCK = r"""
import sys, time
from newsroom_tui.storage.store import StoryStore
store = StoryStore(sys.argv[1])
with store._storage.transaction():
    print("LOCKED", flush=True)
    time.sleep(60)
"""


def python(code: str, *args: str, stdout: int | None = subprocess.PIPE) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=stdout, text=True)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# How long a writer may go without printing: only a hung writer takes this long, however loaded the machine.
LINE_DEADLINE = 60.0


def _lines_of(child: subprocess.Popen[str]) -> queue.Queue[str]:
    """The child's stdout line by line ("" at its end), read on a thread so the test waits with a deadline."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.put(line)
        lines.put("")

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _next_line(lines: queue.Queue[str], run: int) -> str:
    try:
        return lines.get(timeout=LINE_DEADLINE)
    except queue.Empty:
        pytest.fail(f"writer {run} printed nothing for {LINE_DEADLINE:g} s")


def test_kill_9_at_random_moments_never_loses_an_acknowledged_save(tmp_path: Path) -> None:
    """Each writer is killed after a set number of acknowledged saves, a random moment into the next one.

    Counting acknowledgements, not sleeping a random time, makes how much is saved independent of the
    machine's load; the random pause after the last one lands the kill inside a save, a torn line or a
    compaction (the writer writes in small, slow pieces, and its compaction threshold is tiny).
    """
    path = tmp_path / "newsroom.json"
    rng = random.Random(20250601)
    acked: dict[str, dict[int, str]] = defaultdict(dict)
    saves_per_run = [rng.randint(1, 8) for _ in range(40)]
    assert sum(saves_per_run) > 100, "the schedule saves enough for compactions to happen"
    for run, saves in enumerate(saves_per_run):
        child = python(WRITER, str(path), str(run))
        lines = _lines_of(child)
        assert _next_line(lines, run) == "READY\n"
        output: list[str] = []
        while sum(line.startswith("ACK ") for line in output) < saves:
            line = _next_line(lines, run)
            assert line, f"writer {run} ended before it was killed"
            output.append(line)
        time.sleep(rng.uniform(0.0, 0.01))
        child.kill()
        child.wait()
        while line := _next_line(lines, run):  # what it printed before the kill
            output.append(line)
        assert child.stdout is not None
        child.stdout.close()
        for line in output:
            if line.startswith("ACK ") and line.endswith("\n"):  # a line cut by the kill was not acknowledged
                for item in line.split()[1:]:
                    story_id, version, body_digest = item.split(":")
                    acked[story_id][int(version)] = body_digest
        with StoryStore(path) as store:  # must open after every kill
            stories = {story.id: story for story in store.list_stories()}
            for story in stories.values():
                assert digest(story.body) == story.ednote, "only whole stories"
            for story_id, versions in acked.items():
                latest = max(versions)
                assert story_id in stories, f"acknowledged story {story_id} lost after kill {run}"
                assert stories[story_id].version >= latest
                if stories[story_id].version == latest:
                    assert stories[story_id].ednote == versions[latest]
            assert not list(tmp_path.glob(".*.tmp")), "crash leftovers are cleaned up on open"
    with StoryStore(path) as store:  # and every acknowledged version is in the history
        for story_id, versions in acked.items():
            history = {story.version: story.ednote for story in store.revisions(story_id)}
            for version, body_digest in versions.items():
                assert history[version] == body_digest
    assert sum(len(versions) for versions in acked.values()) >= sum(saves_per_run), "the children did save"


def test_concurrent_writers_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.json"
    with StoryStore(path) as store:
        shared = store.save(Story(headline="counter", slug="counter", body="0"), user="parent")
        writers = [python(COUNTER, str(path), name, "40", shared.id) for name in ("alpha", "beta", "gamma")]
        outputs = [writer.communicate(timeout=60)[0] for writer in writers]
        assert [writer.returncode for writer in writers] == [0, 0, 0]
        new_ids = [line.split()[1] for output in outputs for line in output.splitlines() if line.startswith("NEW")]
        increments = sum(output.count("INC") for output in outputs)
        assert sum(output.count("CONFLICT") for output in outputs) > 0, "the writers did collide"
        assert store.refresh() is True
        stories = store.list_stories()
        assert len(new_ids) == len(set(new_ids)) == 120
        assert len(stories) == 121 and {story.id for story in stories} == {shared.id, *new_ids}
        assert len({story.slug for story in stories}) == 121
        counter = store.get(shared.id)
        assert increments == 120 and counter.body == "120" and counter.version == 121
        assert [story.version for story in store.revisions(shared.id)] == list(range(1, 122))
    with StoryStore(path) as reopened:
        assert len(reopened) == 121 and reopened.get(shared.id).body == "120"


def test_a_stale_save_after_another_process_saved_raises_conflict(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.json"
    with StoryStore(path) as store:
        mine = store.save(Story(headline="mine", body="my words"), user="shamera")
        other = python(EDIT_ONCE, str(path), mine.id, stdout=None)
        assert other.wait(timeout=30) == 0
        mine.body = "my newer words"
        with pytest.raises(ConflictError) as caught:
            store.save(mine, user="shamera")
        assert caught.value.theirs.headline == "edited in another process"
        assert caught.value.theirs.updated_by == "rafiq" and caught.value.found_version == 2
        assert store.get(mine.id).body == "my words"


def test_a_writer_killed_while_holding_the_lock_does_not_block_the_desk(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.json"
    StoryStore(path).close()
    holder = python(HOLD_LOCK, str(path))
    assert holder.stdout is not None
    assert holder.stdout.readline() == "LOCKED\n"
    holder.kill()
    holder.wait()
    holder.stdout.close()
    # The lock died with its holder: the save does not wait out the timeout (a loaded machine may be slow, but
    # not 50 s slow).
    with StoryStore(path, lock_timeout=60) as store:
        started = time.monotonic()
        store.save(Story(headline="after the crash"), user="u")
        assert time.monotonic() - started < 10
