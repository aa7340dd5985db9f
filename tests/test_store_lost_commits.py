"""A journal cut short inside an acknowledged commit is told from a torn, unacknowledged write (issue 11, item 5).

Every commit carries a sequence number in its journal line and in its revision lines, and the journal line is
fsynced before the revision lines are written: a revision numbered above the journal's last whole commit
means the journal lost an acknowledged save.  That is said in one sentence, nothing is cut, and
`newsroom repair` puts the lost commits back from the revisions file (keeping the damaged file as a copy).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsroom_tui.domain.model import Story
from newsroom_tui.storage.store import StoreCorruptError, StoreError, StoreLostCommitsError, StoryStore

from .factories import make_story, run_newsroom


def desk_store(db_path: Path) -> list[Story]:
    """Three stories saved one commit each, then an edit of the second: the last line is a long commit."""
    saved: list[Story] = []
    with StoryStore(db_path) as store:
        for n, headline in enumerate(("Padma bridge toll to rise", "Metro rail hours", "Hilsa prices fall")):
            saved.append(store.save(make_story(headline=headline, slug=f"story-{n}", body="Words. " * 40), user="u"))
        saved[1] = store.save(saved[1].copy(body="Edited words. " * 40), user="u")
    return saved


def cut(db_path: Path, how: str) -> bytes:
    data = db_path.read_bytes()
    lines = data.split(b"\n")
    if how == "1":
        data = data[:-1]
    elif how == "100":
        data = data[:-100]
    elif how == "line":
        data = b"\n".join(lines[:-2]) + b"\n"
    assert data != db_path.read_bytes()
    db_path.write_bytes(data)  # what `truncate -s` does: the same file, shorter
    return data


def one_sentence(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    assert stderr.count("\n") == 1, stderr
    return stderr


@pytest.mark.parametrize("how", ["1", "100", "line"], ids=["truncate -s -1", "truncate -s -100", "last line"])
def test_a_journal_cut_inside_an_acknowledged_commit_is_refused_and_left_whole(db_path: Path, how: str) -> None:
    saved = desk_store(db_path)
    damaged = cut(db_path, how)
    with pytest.raises(StoreLostCommitsError) as raised:
        StoryStore(db_path)
    message = str(raised.value)
    assert str(db_path) in message and "lost its last acknowledged save" in message
    assert "“Metro rail hours”" in message and f"{db_path}.revisions" in message and "newsroom repair" in message
    for args in (["list"], []):  # the CLI and the desk
        result = run_newsroom(*args, "--db", str(db_path))
        assert result.returncode == 1 and "lost its last acknowledged save" in one_sentence(result.stderr)
    assert db_path.read_bytes() == damaged, "nothing was cut"

    result = run_newsroom("repair", "--db", str(db_path))
    assert result.returncode == 0, result.stderr
    assert "put back 1 acknowledged save" in result.stdout
    (copy,) = db_path.parent.glob("newsroom.json.damaged-*")
    assert copy.read_bytes() == damaged
    assert str(copy) in result.stdout
    with StoryStore(db_path) as store:
        stories = {story.id: story for story in store.list_stories()}
        assert {story_id: (s.version, s.body) for story_id, s in stories.items()} == {
            story.id: (story.version, story.body) for story in saved
        }
        assert [story.version for story in store.revisions(saved[1].id)] == [1, 2]
        store.save(stories[saved[0].id].copy(headline="After the repair"), user="u")
    with StoryStore(db_path) as store:
        assert store.get(saved[0].id).headline == "After the repair"
    again = run_newsroom("repair", "--db", str(db_path))
    assert again.returncode == 0 and "nothing to repair" in again.stdout


def test_an_open_store_does_not_cut_a_lost_commit_on_its_next_save(db_path: Path) -> None:
    """The next save used to cut the damaged line for good; now it refuses, and the file stays as it is."""
    desk_store(db_path)
    with StoryStore(db_path) as behind, StoryStore(db_path) as current:
        behind_was = len(behind)
        current.save(make_story(headline="Late story", slug="late-story", body="Late. " * 40), user="u")
        damaged = cut(db_path, "100")
        for store in (behind, current):  # one never saw the lost line, one had it in memory
            with pytest.raises(StoreLostCommitsError, match="“Late story”"):
                store.save(make_story(headline="Another", slug=f"another-{id(store)}"), user="u")
            assert db_path.read_bytes() == damaged
        assert behind_was == 3


def test_a_torn_unacknowledged_write_is_still_cut_silently(db_path: Path) -> None:
    """What a killed writer leaves (part of a line whose revisions were never written) is not damage."""
    saved = desk_store(db_path)
    revisions_before = db_path.with_name("newsroom.json.revisions").read_bytes()
    with StoryStore(db_path) as store:
        store.save(saved[2].copy(body="Never acknowledged. " * 40), user="u")
    whole = db_path.read_bytes()
    last = whole.rstrip(b"\n").rsplit(b"\n", 1)[1]
    assert last.startswith(b'{"seq": 5, "tx": ')
    db_path.write_bytes(whole[: len(whole) - len(last) - 1] + last[:-60])  # torn inside its journal line
    db_path.with_name("newsroom.json.revisions").write_bytes(revisions_before)  # its revisions never written
    with StoryStore(db_path) as store:
        assert store.get(saved[2].id).version == 1
        store.save(saved[0].copy(headline="Next"), user="u")
    assert db_path.read_bytes().count(b'{"seq": 5,') == 1, "the torn line was cut, the next commit took its number"


def test_damage_inside_an_earlier_line_is_refused_naming_the_line(db_path: Path) -> None:
    desk_store(db_path)
    lines = db_path.read_bytes().split(b"\n")
    lines[2] = lines[2][:50] + lines[2][150:]
    damaged = b"\n".join(lines)
    db_path.write_bytes(damaged)
    with pytest.raises(StoreCorruptError, match=r"damaged at line 3 \(not valid JSON\)"):
        StoryStore(db_path)
    result = run_newsroom("repair", "--db", str(db_path))
    assert result.returncode == 1 and "damaged at line 3" in one_sentence(result.stderr)
    assert db_path.read_bytes() == damaged


def test_a_store_written_before_sequence_numbers_opens_as_before(db_path: Path) -> None:
    """Compatibility: an older journal (no numbers, header without one) opens; its torn tail cannot be told
    from an unacknowledged write, so it is cut as before.  The first new commit gets number 1."""
    story = make_story(headline="Old story", slug="old-story", body="Old words. " * 30).to_dict()
    story.update(version=1)
    header = json.dumps({"format": "newsroom-story-journal", "version": 1}).encode() + b"\n"
    line = json.dumps({"tx": {"stories": {story["id"]: story}}}, ensure_ascii=False).encode() + b"\n"
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(header + line + line[:-100])
    revision = {"key": ["stories", story["id"]], "doc": story}
    db_path.with_name("newsroom.json.revisions").write_text(json.dumps(revision) + "\n" + json.dumps(revision) + "\n")
    with StoryStore(db_path) as store:
        old = store.get(story["id"])
        assert old.headline == "Old story"
        store.save(old.copy(headline="New story"), user="u")
    assert db_path.read_bytes().endswith(b"\n") and b'{"seq": 1, "tx": ' in db_path.read_bytes()
    cut(db_path, "100")
    with pytest.raises(StoreLostCommitsError, match="“New story”"):
        StoryStore(db_path)


def test_a_compacted_journal_keeps_its_number(db_path: Path) -> None:
    desk_store(db_path)
    with StoryStore(db_path) as store:
        store.compact()
        assert db_path.read_bytes().startswith(b'{"format": "newsroom-story-journal", "version": 1, "seq": 4}\n')
        store.save(store.list_stories()[0].copy(headline="After compaction"), user="u")
    cut(db_path, "1")
    with pytest.raises(StoreLostCommitsError, match="“After compaction”"):
        StoryStore(db_path)
    assert run_newsroom("repair", "--db", str(db_path)).returncode == 0
    with StoryStore(db_path) as store:
        assert any(story.headline == "After compaction" for story in store.list_stories())


# A writer killed after its journal line is fsynced, before its revision lines are written.
KILLED_BETWEEN = r"""
import os, sys
import newsroom_tui.storage.store as store_module
from newsroom_tui.storage.store import StoryStore
store = StoryStore(sys.argv[1])
story = store.get(sys.argv[2])
store_module._RevisionJournal.append = lambda self, data, like: os._exit(9)
store.save(story.copy(body="Durable but never acknowledged."), user="u")
"""


def test_a_writer_killed_between_its_two_writes_leaves_a_whole_commit_and_history_is_mended(db_path: Path) -> None:
    saved = desk_store(db_path)
    killed = subprocess.run([sys.executable, "-c", KILLED_BETWEEN, str(db_path), saved[0].id], timeout=60)
    assert killed.returncode == 9
    with StoryStore(db_path) as store:  # the journal holds the commit: nothing lost, nothing refused
        story = store.get(saved[0].id)
        assert story.version == 2 and story.body == "Durable but never acknowledged."
        store.save(story.copy(body="Third."), user="u")  # writes the revision lines the killed writer did not
        assert [(s.version, s.body) for s in store.revisions(saved[0].id)][1:] == [
            (2, "Durable but never acknowledged."),
            (3, "Third."),
        ]


# Saves in a loop, printing ACK after each save returns; written in small slow pieces so kills land mid-line.
LOOP_WRITER = r"""
import sys, time
import newsroom_tui.storage.store as store_module
from newsroom_tui.domain.model import Story
real = store_module._write_all
def slowly(fd, data):
    for start in range(0, len(data), 256):
        real(fd, data[start : start + 256])
        time.sleep(0.0002)
store_module._write_all = slowly
store = store_module.StoryStore(sys.argv[1])
n = 0
while True:
    n += 1
    story = Story(headline=f"{sys.argv[2]}-{n}", slug=f"s-{sys.argv[2]}-{n}", body="Words. " * 300)
    saved = store.save(story, user="w")
    print("ACK", saved.id, flush=True)
"""


@pytest.mark.slow
def test_kill_9_never_looks_like_a_lost_commit_and_truncation_always_does(db_path: Path) -> None:
    """A kill -9 tears only unacknowledged writes (the store opens, every ACK is there); a truncation by
    100 bytes after it is always refused, and repaired."""
    rng = random.Random(11)
    acked: set[str] = set()
    db_path.parent.mkdir(parents=True)
    for run in range(8):
        child = subprocess.Popen([sys.executable, "-c", LOOP_WRITER, str(db_path), str(run)], stdout=subprocess.PIPE)
        assert child.stdout is not None
        for _ in range(rng.randint(1, 4)):
            line = child.stdout.readline()
            assert line.startswith(b"ACK "), line
            acked.add(line.split()[1].decode())
        time.sleep(rng.uniform(0.0, 0.02))
        os.kill(child.pid, 9)
        child.wait()
        for line in child.stdout.read().splitlines():
            if line.startswith(b"ACK ") and len(line.split()) == 2 and len(line.split()[1]) == 32:
                acked.add(line.split()[1].decode())
        with StoryStore(db_path) as store:  # a kill is never taken for damage
            assert acked <= {story.id for story in store.list_stories()}
    # One more acknowledged save (it cuts a torn line and writes revisions a killed writer did not), then
    # the truncation: it lands inside an acknowledged commit, whatever the last kill left.
    with StoryStore(db_path) as store:
        acked.add(store.save(Story(headline="last", slug="last"), user="w").id)
    cut(db_path, "100")
    with pytest.raises(StoreLostCommitsError):
        StoryStore(db_path)
    assert run_newsroom("repair", "--db", str(db_path)).returncode == 0
    with StoryStore(db_path) as store:
        assert acked <= {story.id for story in store.list_stories()}


def test_an_unreadable_revisions_file_does_not_stop_the_store_opening(db_path: Path) -> None:
    """The check is a safety net: a revisions file that cannot be read means "don't know", and the save that
    cannot append to it fails with a sentence, its journal line taken back."""
    saved = desk_store(db_path)
    revisions = db_path.with_name("newsroom.json.revisions")
    revisions.rename(db_path.with_name("revisions.moved"))
    revisions.mkdir()  # opens, but cannot be read as a file (root reads any file, whatever its mode)
    before = db_path.read_bytes()
    with StoryStore(db_path) as store:
        assert len(store.list_stories()) == 3
        with pytest.raises(StoreError, match="Could not save"):
            store.save(saved[0].copy(headline="Cannot be kept"), user="u")
        assert store.get(saved[0].id).headline == saved[0].headline
    assert db_path.read_bytes() == before
