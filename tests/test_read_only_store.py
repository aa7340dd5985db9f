"""Issue 11, items 13 and 20: a store nobody may write, and a lock that fails for a reason that is not an editor.

Before: a 0444 store gave a `ValueError` traceback from filelock on any save and on opening any story in the
desk; a full disk while opening a story could read as "Another editor took this story over".  Now a save says
in one sentence that the store is read-only, the desk opens stories read-only with that reason in the banner,
and a lock that cannot be taken says the real reason (disk full, no permission) while the text stays editable.

Root ignores file modes, so the rule is explicit: a store with no write bits is read-only for root too; and
where `runuser` exists the no-permission case runs as another user for real.
"""

from __future__ import annotations

import errno
import os
import shutil
import site
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from textual.widgets import Static, TextArea

from newsroom_tui.domain.config import Settings
from newsroom_tui.domain.model import Story
from newsroom_tui.storage import locks as locks_module
from newsroom_tui.storage.drafts import RecoveryJournal
from newsroom_tui.storage.store import StoreReadOnlyError, StoryStore
from newsroom_tui.usecases.newsroom import Newsroom
from newsroom_tui.usecases.session import EditingSession

from .factories import REPO, run_newsroom, store_with, type_text, until

WIRE = """Newsroom Online News Portal

Dhaka  Friday, 26 April 2024

Metro rail extends hours for Eid rush

Staff Correspondent || newsroom.example

Published: 08:15, 26 April 2024
Metro rail extends hours for Eid rush

Trains will run until 11pm from Saturday, the operator said.

The change lasts until the end of the holiday._UNB

Dhaka/Karim/NR
"""


def one_sentence(text: str) -> bool:
    return text.count(". ") == 0 and text.endswith(".") and "\n" not in text and "Traceback" not in text


def read_only_store(db_path: Path) -> tuple[Story, dict[str, bytes]]:
    [story] = store_with(db_path, Story(headline="Flood warning", slug="flood-warning", body="Rivers rise."))
    os.chmod(db_path, 0o444)
    return story, {path.name: path.read_bytes() for path in db_path.parent.iterdir()}


def unchanged(db_path: Path, before: dict[str, bytes]) -> bool:
    after = {path.name: path.read_bytes() for path in db_path.parent.iterdir()}
    assert sorted(after) == sorted(before)
    return after == before


# -- item 13: the store ----------------------------------------------------------------------------------------
def test_saving_to_a_read_only_store_says_so_in_one_sentence(db_path: Path) -> None:
    story, before = read_only_store(db_path)
    with StoryStore(db_path) as store:
        assert store.read_only_reason() is not None
        with pytest.raises(StoreReadOnlyError) as caught:
            store.save(store.get(story.id).copy(body="Rivers rise again."), user="rina")
        message = str(caught.value)
        assert message == (
            f"The story store {db_path} is read-only (no write permission), so nothing can be saved to it."
        )
        assert one_sentence(message)
        with pytest.raises(StoreReadOnlyError):
            store.compact()
        assert store.get(story.id).body == "Rivers rise."
    assert unchanged(db_path, before), "nothing beside the store was made or changed"


def test_importing_into_a_read_only_store_is_one_sentence_not_a_traceback(db_path: Path, tmp_path: Path) -> None:
    _, before = read_only_store(db_path)
    wire = tmp_path / "metro.txt"
    wire.write_text(WIRE, encoding="utf-8")
    result = run_newsroom("import", str(wire), "--db", str(db_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "ValueError" not in result.stderr
    assert "is read-only" in result.stdout + result.stderr
    # The journal and its revisions are as they were (the import's own lock file is not the store's).
    assert db_path.read_bytes() == before["newsroom.json"]
    assert db_path.with_name("newsroom.json.revisions").read_bytes() == before["newsroom.json.revisions"]


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("runuser") is None, reason="needs root and runuser")
def test_another_user_without_write_permission_is_told_the_store_is_read_only(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The real case: rina's 0644 store, opened by another user (nobody), who may read but not write it."""
    folder = Path(tempfile.mkdtemp(prefix="newsroom-desk-"))  # pytest's own folders are 0700: nobody can't enter
    request.addfinalizer(lambda: shutil.rmtree(folder, ignore_errors=True))
    os.chmod(folder, 0o755)
    db_path = folder / "newsroom.json"
    [story] = store_with(db_path, Story(headline="Flood warning", body="Rivers rise."))
    os.chmod(db_path, 0o644)
    code = (
        "import sys\n"
        "from newsroom_tui.storage.store import StoryStore, StoreReadOnlyError\n"
        "store = StoryStore(sys.argv[1])\n"
        "print(store.read_only_reason())\n"
        "try:\n"
        "    store.save(store.get(sys.argv[2]).copy(body='x'), user='nobody')\n"
        "except StoreReadOnlyError as error:\n"
        "    print('REFUSED', error)\n"
    )
    # This checkout's packages, for a Python that nobody may run: ours may live under /root.
    path = os.pathsep.join([str(REPO), *site.getsitepackages()])
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": path, "HOME": str(tmp_path)}
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for python in dict.fromkeys([sys.executable, f"/usr/bin/{version}", f"/usr/local/bin/{version}"]):
        command = [str(shutil.which("runuser")), "-u", "nobody", "--", python, "-c", code, str(db_path), story.id]
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
        if "failed to execute" not in result.stderr:
            break
    else:
        pytest.skip(f"nobody can run no Python of this version: {result.stderr.strip()}")
    assert "REFUSED" in result.stdout and "is read-only" in result.stdout, result.stdout + result.stderr
    with StoryStore(db_path) as store:
        assert store.get(story.id).body == "Rivers rise."


# -- item 13: the desk -----------------------------------------------------------------------------------------
def banner(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#lock-banner", Static).render())


async def test_the_desk_opens_a_story_of_a_read_only_store_read_only_and_says_why(db_path: Path, desk_with) -> None:
    story, before = read_only_store(db_path)
    async with desk_with(opened=story, notifications=True) as (app, pilot):
        shown = banner(app)
        assert "READ-ONLY" in shown and "is read-only (no write permission)" in shown
        assert "has this story open" not in shown and "took this story over" not in shown
        assert "takes it over" not in shown, "nobody to take it from"
        await type_text(pilot, "abc")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one("#body", TextArea).text == "Rivers rise."
        assert any("is read-only" in n.message for n in app._notifications)
        assert not any("another editor" in n.message.lower() for n in app._notifications)
    assert unchanged(db_path, before), "no lock file, no revision: nothing written beside a read-only store"


def test_the_session_on_a_read_only_store_is_read_only_with_the_reason(db_path: Path, tmp_path: Path) -> None:
    story, _ = read_only_store(db_path)
    with StoryStore(db_path) as store:
        newsroom = Newsroom(Settings(db_path=db_path, user="desk"), store, journal=RecoveryJournal(tmp_path / "r"))
        session = EditingSession(newsroom)
        opened = session.open(story.id)
        assert opened.holder is None and opened.problem is not None and opened.problem.read_only
        assert session.cannot_write == opened.problem.message and "is read-only" in opened.message
        outcome = session.save(opened.story_shown.copy(body="Rivers rise again."))
        assert outcome.message.startswith("Not saved: The story store") and "read-only" in outcome.message
        assert "Your text is still in the editor." in outcome.message
    [draft] = RecoveryJournal(tmp_path / "r").drafts(db_path)
    assert draft.story.body == "Rivers rise again.", "the words are kept in the recovery journal"


# -- item 20: a lock that fails for another reason ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "reason"),
    [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "no permission to write there")],
)
def test_a_lock_that_cannot_be_written_gives_the_real_reason(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: int, reason: str
) -> None:
    [story] = store_with(db_path, Story(headline="Flood warning", body="Rivers rise."))

    def failing(*args: object, **kwargs: object) -> None:
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(locks_module, "write_atomically", failing)
    with StoryStore(db_path) as store:
        newsroom = Newsroom(Settings(db_path=db_path, user="desk"), store, journal=RecoveryJournal(tmp_path / "r"))
        session = EditingSession(newsroom)
        opened = session.open(story.id)
        assert opened.holder is None and session.read_only is None and session.cannot_write is None
        assert opened.problem is not None and not opened.problem.read_only
        assert opened.message == (
            f"This story's lock could not be taken: {reason} (saving still refuses to overwrite another "
            "editor's version)."
        )
        assert one_sentence(opened.message)
        assert session.heartbeat() is None, "a lock that was never taken is not lost to anyone"
        saved = session.save(opened.story_shown.copy(body="Rivers rise again."))
        assert saved.message.startswith("Saved"), "the store itself can still be written"


async def test_a_full_disk_while_opening_a_story_is_not_another_editor(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, desk_with
) -> None:
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(locks_module, "write_atomically", full)
    story = Story(headline="Flood warning", slug="flood-warning", body="Rivers rise.")
    async with desk_with(story, notifications=True) as (app, pilot):
        await until(pilot, lambda: any("disk is full" in n.message for n in app._notifications), "the reason")
        assert "READ-ONLY" not in banner(app) and "took this story over" not in banner(app)
        messages = [n.message for n in app._notifications]
        assert not any("nother editor" in message and "disk" not in message for message in messages)
        [said] = [message for message in messages if "disk is full" in message]
        assert one_sentence(said)
        await type_text(pilot, "Still ")
        app.screen.editing.heartbeat()
        await pilot.pause(0.2)
        assert app.screen.query_one("#body", TextArea).text == "Still Rivers rise."
        assert not app.screen.read_only and "READ-ONLY" not in banner(app)


def test_a_read_only_store_is_refused_for_root_too(db_path: Path) -> None:
    """Root ignores modes: a store with no write bits at all is read-only on purpose, for everyone."""
    read_only_store(db_path)
    assert not stat.S_IMODE(db_path.stat().st_mode) & 0o222
    with StoryStore(db_path) as store:
        assert store.read_only_reason() is not None
