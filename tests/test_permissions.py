"""Issue 11, item 12: who can read the store.

The policy (README, "Who can read the store"): a new store is private (0600, its folder 0700 when newsroom
makes it); every file made beside a store takes the store's mode and group, so a desk shares one store by
giving it a group once; a file rewritten in place keeps its mode, owner and group, and a symlink stays one.
"""

from __future__ import annotations

import grp
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsroom_tui.delivery import DeliveryResult, PendingDeliveries, pending_path
from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.model import Story, now
from newsroom_tui.storage import rowcache
from newsroom_tui.storage import store as store_module
from newsroom_tui.storage.locks import LockBook
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.usecases.files import write_export

from .factories import make_story, run_newsroom


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _everyday_umask() -> Iterator[None]:
    """The usual 022: what made the store 0644 (readable by every local user) before."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _other_group() -> int | None:
    """A group this process may give its files that is not its own primary group (None if there is none)."""
    if os.geteuid() == 0:
        try:
            return grp.getgrnam("nogroup").gr_gid
        except KeyError:
            return 65534
    others = [gid for gid in os.getgroups() if gid != os.getegid()]
    return others[0] if others else None


def _fill_side_files(db_path: Path) -> None:
    """Make every file newsroom keeps beside a store: revisions, .bak and compaction output, locks, rows,
    pending deliveries."""
    with StoryStore(db_path) as store:
        saved = store.save(make_story(body="x" * 2000), user="rina")
        for n in range(3):
            saved = store.save(saved.copy(body=f"{n} " + "y" * 2000), user="rina")
        store.compact()
        rows, position = store.rows_and_position()
    rowcache.write_rows(db_path, rows, position)
    book = LockBook(db_path, user="rina")
    assert book.acquire(saved.id)
    queue = PendingDeliveries.of(Settings(db_path=db_path))
    assert queue.path == pending_path(Settings(db_path=db_path))
    failed = DeliveryResult(target="webhook", ok=False, message="refused", story_id=saved.id, version=saved.version)
    queue.add(failed, now=now())


def _side_files(db_path: Path) -> list[Path]:
    names = ["newsroom.json.revisions", "newsroom.json.bak", "newsroom.json.locks.json", "newsroom.json.rows"]
    return [db_path.with_name(name) for name in names] + [db_path.with_name("newsroom-deliveries.json")]


def test_a_new_store_and_its_side_files_are_private(tmp_path: Path) -> None:
    """Before: the store and its revisions were 0644 in a 0755 folder, readable by every local user."""
    db_path = tmp_path / "share" / "newsroom" / "newsroom.json"
    _fill_side_files(db_path)
    assert mode(db_path) == 0o600
    assert mode(db_path.parent) == 0o700 and mode(db_path.parent.parent) == 0o700, "folders newsroom made"
    for path in _side_files(db_path):
        assert mode(path) == 0o600, path.name


def test_an_existing_folder_keeps_its_mode(tmp_path: Path) -> None:
    folder = tmp_path / "desk"
    folder.mkdir(mode=0o775)
    os.chmod(folder, 0o775)
    StoryStore(folder / "newsroom.json").close()
    assert mode(folder) == 0o775 and mode(folder / "newsroom.json") == 0o600


def test_files_made_beside_a_shared_store_take_its_mode_and_group(tmp_path: Path) -> None:
    """A desk shares one store by giving it a group once: `chgrp desk newsroom.json; chmod 660 newsroom.json`."""
    db_path = tmp_path / "desk" / "newsroom.json"
    StoryStore(db_path).close()
    group = _other_group()
    if group is not None:
        os.chown(db_path, -1, group)
    os.chmod(db_path, 0o660)
    _fill_side_files(db_path)
    gid = db_path.stat().st_gid
    for path in [db_path, *_side_files(db_path)]:
        assert mode(path) == 0o660, path.name
        assert path.stat().st_gid == gid, path.name


def test_side_files_made_before_the_store_was_shared_follow_it(tmp_path: Path) -> None:
    """A store shared after it was used: the revisions and locks made while it was private follow it."""
    db_path = tmp_path / "desk" / "newsroom.json"
    _fill_side_files(db_path)
    os.chmod(db_path, 0o660)
    _fill_side_files(db_path)
    for path in [db_path, *_side_files(db_path)]:
        assert mode(path) == 0o660, path.name


def test_a_lock_book_made_before_its_file_exists_takes_the_stores_mode(tmp_path: Path) -> None:
    db_path = tmp_path / "newsroom.json"
    StoryStore(db_path).close()
    os.chmod(db_path, 0o660)
    LockBook(db_path, user="rina").release_all()
    book = LockBook(db_path, user="rina")
    book._filelock.acquire()  # the lock makes the file (empty) before anything is written to it
    book._filelock.release()
    assert mode(book.path) == 0o660


# -- rewritten in place ---------------------------------------------------------------------------------------
def _private_file(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def test_export_over_an_existing_file_keeps_its_mode_and_owner(tmp_path: Path) -> None:
    """Before: `export -o FILE` turned a 0600 file into 0644."""
    target = _private_file(tmp_path / "story.md", "old")
    if os.geteuid() == 0:
        os.chown(target, 65534, 65534)
    before = target.stat()
    write_export(str(target), "new text\n")
    after = target.stat()
    assert target.read_text(encoding="utf-8") == "new text\n"
    assert stat.S_IMODE(after.st_mode) == 0o600
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)


def test_export_through_a_symlink_writes_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    """Before: `export -o LINK` replaced the symlink with a plain file."""
    (tmp_path / "published").mkdir()
    target = _private_file(tmp_path / "published" / "story.md", "old")
    link = tmp_path / "story.md"
    link.symlink_to(target)
    write_export(str(link), "new text\n")
    assert link.is_symlink() and Path(os.readlink(link)) == target
    assert target.read_text(encoding="utf-8") == "new text\n" and mode(target) == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["published", "story.md"]


def test_a_new_export_gets_the_usual_mode(tmp_path: Path) -> None:
    write_export(str(tmp_path / "new.md"), "text\n")
    assert mode(tmp_path / "new.md") == 0o644


def test_check_fix_keeps_the_files_mode_and_symlink(tmp_path: Path) -> None:
    """Before: `check --fix FILE` turned a 0600 file into 0644 and a symlink into a plain file."""
    (tmp_path / "wire").mkdir()
    wire = _private_file(
        tmp_path / "wire" / "padma.txt",
        "Newsroom Online News Portal\n\nDhaka  Friday, 26 April 2024\n\nMetro rail extends hours\n\n"
        "Staff Correspondent || newsroom.example\n\nPublished: 08:15, 26 April 2024\nMetro rail extends hours\n\n"
        "Trains will run until 11pm, the operator`s  spokesman said.\n\nThe change lasts a week._UNB\n\n"
        "Dhaka/Karim/NR\n",
    )
    link = tmp_path / "padma.txt"
    link.symlink_to(wire)
    result = run_newsroom("check", str(link), "--fix", "--db", str(tmp_path / "db" / "newsroom.json"))
    assert "Traceback" not in result.stderr
    assert "operator’s spokesman" in wire.read_text(encoding="utf-8"), result.stdout + result.stderr
    assert link.is_symlink() and Path(os.readlink(link)) == wire
    assert mode(wire) == 0o600


def test_compaction_keeps_the_stores_owner_and_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if os.geteuid() != 0:
        pytest.skip("only root can give a file another owner")
    db_path = tmp_path / "newsroom.json"
    StoryStore(db_path).close()
    os.chown(db_path, 65534, 65534)
    os.chmod(db_path, 0o640)
    monkeypatch.setattr(store_module, "COMPACT_MIN_DEAD_BYTES", 1000)
    with StoryStore(db_path) as store:
        saved = store.save(Story(headline="Flood warning", body="x" * 3000), user="rina")
        inode = db_path.stat().st_ino
        for n in range(3):
            saved = store.save(saved.copy(body=f"{n}" * 3000), user="rina")
    st = db_path.stat()
    assert st.st_ino != inode, "compacted"
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (65534, 65534, 0o640)
