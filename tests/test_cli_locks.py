"""Every write from the command line respects a desk's lock (issue 10, item 8): it is refused with a
sentence naming the editor who has the story open, unless `--take-over` takes it over (the desk's F10 o)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.entry import main
from newsroom_tui.storage.locks import LockBook
from newsroom_tui.storage.store import StoryStore

BODY = " ".join(["Ferries run again across the Padma after the repairs at the ramps."] * 10)


def other_editor(db_path: Path) -> LockBook:
    """Another editor's desk on this host: the parent process is alive, so its lock is live."""
    return LockBook(db_path, user="rina", pid=os.getppid())


def add(db_path: Path, **fields: object) -> Story:
    values: dict[str, object] = {
        "headline": "Ferries resume",
        "slug": "ferries-resume",
        "byline": "Staff Reporter",
        "body": BODY,
        "desk": "National",
        "sign_off": "Dhaka/Karim/NR",
    }
    values.update(fields)
    with StoryStore(db_path) as store:
        return store.save(Story(**values), user="tester")  # type: ignore[arg-type]


def stored(db_path: Path, story_id: str) -> Story:
    with StoryStore(db_path) as store:
        return store.get(story_id)


def run(db_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--db", str(db_path)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_refused_naming_rina(code: int, err: str) -> None:
    assert code == 1
    assert "rina on " in err and " open" in err, err
    assert "--take-over" in err, "the refusal says how to go ahead anyway"


@pytest.mark.parametrize("action", ["spike", "submit"])
def test_a_workflow_action_on_a_story_open_in_a_desk_is_refused(db_path, capsys, action):
    story = add(db_path)
    assert other_editor(db_path).acquire(story.id).ok
    code, _, err = run(db_path, capsys, action, "ferries-resume")
    assert_refused_naming_rina(code, err)
    after = stored(db_path, story.id)
    assert after.version == story.version and after.status is Status.DRAFT


def test_take_over_spikes_a_story_open_in_a_desk_and_the_desk_finds_out(db_path, capsys):
    story = add(db_path)
    rina = other_editor(db_path)
    assert rina.acquire(story.id).ok
    code, out, _ = run(db_path, capsys, "spike", "ferries-resume", "--take-over")
    assert code == 0 and "spiked" in out
    assert stored(db_path, story.id).status is Status.SPIKED
    assert not rina.still_mine(story.id)
    assert rina.heartbeat() == [story.id], "rina's desk learns at its next heartbeat that it lost the story"


def test_restore_on_a_story_open_in_a_desk_is_refused_and_take_over_restores(db_path, capsys):
    story = add(db_path)
    with StoryStore(db_path) as store:
        store.save(store.get(story.id).copy(headline="Ferries resume at last"), user="tester")
    assert other_editor(db_path).acquire(story.id).ok
    code, _, err = run(db_path, capsys, "restore", "ferries-resume", "1")
    assert_refused_naming_rina(code, err)
    assert stored(db_path, story.id).version == 2
    code, out, _ = run(db_path, capsys, "restore", "ferries-resume", "1", "--take-over")
    assert code == 0 and "version 1 as version 3" in out
    assert stored(db_path, story.id).headline == "Ferries resume"


def test_check_fix_on_a_story_open_in_a_desk_is_refused(db_path, capsys):
    story = add(db_path, body='He said "we looked" and left.')
    assert other_editor(db_path).acquire(story.id).ok
    code, _, err = run(db_path, capsys, "check", "ferries-resume", "--fix")
    assert_refused_naming_rina(code, err)
    assert stored(db_path, story.id).version == story.version
    code, _, _ = run(db_path, capsys, "check", "ferries-resume", "--fix", "--take-over")
    fixed = stored(db_path, story.id)
    assert fixed.version == story.version + 1 and "\u201cwe looked\u201d" in fixed.body


def test_check_without_fix_reads_a_story_open_in_a_desk(db_path, capsys):
    story = add(db_path, body='He said "we looked" and left.')
    assert other_editor(db_path).acquire(story.id).ok
    code, out, err = run(db_path, capsys, "check", "ferries-resume")
    assert code == 1 and "ferries-resume/body" in out and "has this story open" not in err


def test_a_desks_own_stale_lock_does_not_block_the_command_line(db_path, capsys):
    story = add(db_path)
    dead = LockBook(db_path, user="rina", pid=2**22 + 17)  # no such process: a crashed desk
    assert dead.acquire(story.id).ok
    code, _, _ = run(db_path, capsys, "submit", "ferries-resume")
    assert code == 0 and stored(db_path, story.id).status is Status.SUBMITTED


def test_check_fix_on_a_live_story_saves_the_fixes_as_an_unsent_change(db_path, capsys):
    story = add(db_path, body=BODY + ' He said "we looked" and left.')
    code, _, _ = run(db_path, capsys, "publish", "ferries-resume")
    assert code == 0
    code, _, err = run(db_path, capsys, "check", "ferries-resume", "--fix")
    fixed = stored(db_path, story.id)
    assert "\u201cwe looked\u201d" in fixed.body and fixed.status is Status.PUBLISHED
    assert fixed.has_unsent_changes, "readers still have the copy that went out"
    assert "is live" in err and "newsroom correct ferries-resume" in err


def test_mark_edited_from_the_command_line_respects_the_lock_too(db_path, capsys):
    story = add(db_path)
    assert run(db_path, capsys, "submit", "ferries-resume")[0] == 0
    assert other_editor(db_path).acquire(story.id).ok
    code, _, err = run(db_path, capsys, "mark-edited", "ferries-resume")
    assert_refused_naming_rina(code, err)
    code, out, _ = run(db_path, capsys, "mark-edited", "ferries-resume", "--take-over")
    assert code == 0 and "submitted → edited" in out
    assert stored(db_path, story.id).status is Status.EDITED


def test_publish_due_leaves_a_story_open_in_a_desk_scheduled_and_names_the_editor(db_path, capsys):
    story = add(db_path)
    code, _, err = run(db_path, capsys, "schedule", "ferries-resume", "--at", "2099-01-01 10:00")
    assert code == 0, err
    assert other_editor(db_path).acquire(story.id).ok
    code, out, err = run(db_path, capsys, "publish-due", "--now", "2099-01-01 10:05")
    assert code == 1 and out == ""
    assert "ferries-resume" in err and "rina on " in err
    assert stored(db_path, story.id).status is Status.SCHEDULED
