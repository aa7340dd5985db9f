"""Live desks between real desk processes in real terminals (tmux) on one PostgreSQL database.

The desks poll every 600 s and beat their locks every 600 s here (`NEWSROOM_STORE_POLL_SECONDS`,
`NEWSROOM_LOCK_HEARTBEAT_SECONDS`), so whatever reaches the other desk within the waits below came by
LISTEN/NOTIFY and nothing else.  The ≤ 1 s budget is measured by benchmarks/bench_live.py, not here.
"""

from __future__ import annotations

import shlex
import shutil
import socket
import sys
from pathlib import Path

import pytest

from newsroom_tui.storage.backends import open_store

from .factories import make_story
from .tmux import Tmux, base_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

# Well under the 600 s poll and heartbeat: only a notification can be this quick; loose for a loaded machine.
LIVE = 6.0


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **base_env(tmp_path),
        "NEWSROOM_RECOVERY": str(tmp_path / "recovery"),
        "NEWSROOM_STORE_POLL_SECONDS": "600",
        "NEWSROOM_LOCK_HEARTBEAT_SECONDS": "600",
    }


def _desks(tmp_path: Path, url: str, *names: str, hosts: tuple[str, ...] = ()) -> list[Tmux]:
    """A desk process per name, each in its own tmux; with `hosts`, each on a host name of its own (its own
    UTS namespace: as two servers are to the lock book, which tells a desk by user, host and pid)."""
    command = f"{sys.executable} -m newsroom_tui --db {shlex.quote(url)}"
    terms = [Tmux(tmp_path / f"{name}.sock", 120, 40) for name in names]
    for index, term in enumerate(terms):
        on_host = command
        if hosts:
            inner = f"hostname {shlex.quote(hosts[index])} && exec {command}"
            on_host = f"{shutil.which('unshare')} --uts sh -c {shlex.quote(inner)}"
        term.start(on_host, _env(tmp_path))
    return terms


def _own_host_names() -> bool:
    """Whether this machine lets a test give a process a host name of its own (root, or user namespaces)."""
    import subprocess

    unshare = shutil.which("unshare")
    if unshare is None:
        return False
    probe = subprocess.run([unshare, "--uts", "sh", "-c", "hostname desk-probe"], capture_output=True, timeout=10)
    return probe.returncode == 0


def test_a_save_in_one_desk_shows_in_the_others_list(pg_url: str, tmp_path: Path) -> None:
    with open_store(pg_url) as store:
        store.save(make_story(headline="Council meets", slug="council-meets", body="The council met."), user="s")
    first, second = _desks(tmp_path, pg_url, "first", "second")
    try:
        for term in (first, second):
            term.wait_for("1 story ")
        first.keys("C-n")
        first.wait_for("new story")
        first.type("Ferry services resume")
        first.keys("C-s")
        first.wait_for("✓ saved")
        second.wait_for("Ferry services resume", "2 stories", timeout=LIVE)
        # A story saved by another process (the command line, a wire import) too.
        with open_store(pg_url) as store:
            story = store.find_by_slug("council-meets")
            assert story is not None
            store.save(story.copy(headline="Council meets again"), user="rina")
        second.wait_for("Council meets again", timeout=LIVE)
        first.keys("F2")  # the first desk has its new story open: its list comes back with F2
        first.wait_for("Council meets again", timeout=LIVE)
        # Quitting ends the listener's thread with the process: no traceback, no process left behind.
        second.keys("C-q")
        _wait_until_gone(second, "Council meets")
        assert "Traceback" not in second.screen()
    finally:
        first.kill()
        second.kill()


def test_a_take_over_reaches_the_loser_at_once_across_servers(pg_url: str, tmp_path: Path) -> None:
    """Two desks, on two host names where this machine allows it (each process in its own UTS namespace, as two
    servers are): the lock is marked live in the other list and named by its host, the take-over reaches the
    loser at once (not at its heartbeat, 600 s away) naming the winner's host, the loser's save is refused and
    the winner's is the stored text, and the database's lock book holds the story for the winner's host."""
    import psycopg

    hosts = ("desk-a", "desk-b") if _own_host_names() else ()
    with open_store(pg_url) as store:
        story = store.save(
            make_story(headline="Council meets", slug="council-meets", body="The council met."), user="s"
        )
    first, second = _desks(tmp_path, pg_url, "first", "second", hosts=hosts)
    try:
        for term in (first, second):
            term.wait_for("1 story ")
        first.keys("Enter")
        first.wait_for("✓ saved")
        first.type("First editor ")
        second.wait_for("✎", timeout=LIVE)  # the lock, marked in the other desk's list, live too
        second.keys("Enter")
        banner = second.wait_for("READ-ONLY")
        second.take_over()
        taken = first.wait_for("took this story over", timeout=LIVE)
        if hosts:  # another server's lock is named by its host, never judged by a pid this machine cannot see
            assert " on desk-a " in banner, banner
            assert "desk-b" in taken, taken
        first.keys("C-s")
        first.wait_for("Not saved")
        second.type("Second editor ")
        second.keys("C-s")
        second.wait_saved()
        with psycopg.connect(pg_url) as conn:
            holders = conn.execute("SELECT host FROM locks WHERE story_id = %s", (story.id,)).fetchall()
        assert [row[0] for row in holders] == [hosts[1] if hosts else socket.gethostname()]
    finally:
        first.kill()
        second.kill()
    with open_store(pg_url) as store:
        assert store.get(story.id).body == "Second editor The council met."


def test_the_server_stopped_while_a_desk_is_open(tmp_path: Path) -> None:
    """The status line says the database is away, the words typed meanwhile stay on screen and go to the
    recovery journal, a save says why it failed in one sentence; once the server is back the state
    clears, the desk re-reads what it missed, and the save goes through."""
    from .pgserver import own_server

    with own_server() as server:
        url = server.new_database()
        with open_store(url) as store:
            story = store.save(make_story(headline="Ferry service resumes", body="First paragraph."), user="s")
        (term,) = _desks(tmp_path, url, "desk")
        try:
            term.wait_for("1 story ")
            term.keys("Enter")
            term.wait_for("✓ saved")
            term.type("Before. ")
            server.stop()
            term.wait_for("database away — reconnecting", timeout=15)
            term.type("Typed while away. ")
            _wait_for_journal(tmp_path / "recovery", "Typed while away.")
            term.keys("C-s")
            screen = term.wait_for("Not saved", "database away", timeout=15)
            assert "Traceback" not in screen
            assert "Typed while away." in term.screen()
            server.start()
            # Saved at once, while the desk's listener still waits to reconnect (1-5 s): its notification
            # reaches nobody, and the desk must find the story when it re-reads everything.
            with open_store(url) as store:
                store.save(make_story(headline="Filed while the desk was away"), user="rina")
            term.wait_for("The database is back", timeout=20)
            assert "database away" not in term.screen()
            term.keys("F2")
            term.wait_for("Filed while the desk was away", "2 stories", timeout=LIVE)
            term.keys("C-s")
            term.wait_saved()
            assert "Traceback" not in term.screen()
        finally:
            term.kill()
        with open_store(url) as store:
            assert store.get(story.id).body == "Before. Typed while away. First paragraph."


def _wait_until_gone(term: Tmux, text: str, timeout: float = 10) -> None:
    import time

    deadline = time.monotonic() + timeout
    while text in term.screen():
        assert time.monotonic() < deadline, f"the desk did not quit:\n{term.screen()}"
        time.sleep(0.1)


def _wait_for_journal(folder: Path, words: str, timeout: float = 20) -> None:
    """Until the recovery journal holds `words` (the autosave, a second after typing stops)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in folder.rglob("*"):
            if path.is_file() and words in path.read_text(encoding="utf-8", errors="replace"):
                return
        time.sleep(0.2)
    raise AssertionError(f"{words!r} never reached the recovery journal in {folder}")
