"""Issue 13: spiked and killed stories crowded "all" and could still be edited and saved (v7 "SPIKEDTEXT" on a
spiked story, v18 on a killed one).  They are off the default view, open read-only with one sentence why,
and every write from either front end refuses them (`edit_refusal`, the use-case layer)."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from newsroom_tui.domain.errors import WorkflowError
from newsroom_tui.domain.model import Status
from newsroom_tui.usecases.newsroom import edit_refusal
from newsroom_tui.usecases.outcomes import Frozen, Saved
from newsroom_tui.usecases.session import EditingSession
from tests.answering import until_answerable
from tests.factories import make_story, ready_story, screen_text, store_with, type_text, until


def test_the_use_cases_refuse_to_change_a_spiked_or_a_killed_story(newsroom):
    spiked, killed, draft = newsroom.store.save_many(
        [
            make_story(headline="Spiked toll story", slug="spiked-toll", status=Status.SPIKED, body="Old."),
            make_story(headline="Killed toll story", slug="killed-toll", status=Status.KILLED, body="Old."),
            make_story(headline="A draft", slug="a-draft", body="Old."),
        ],
        user="seed",
    )
    for story in (spiked, killed):
        outcome = newsroom.save(story.copy(body="SPIKEDTEXT"), base_version=story.version)
        assert isinstance(outcome, Frozen), outcome
        assert newsroom.store.get(story.id).body == "Old." and newsroom.store.get(story.id).version == 1
        with pytest.raises(WorkflowError):
            newsroom.restore(story.id, 1)
    assert (
        "unspike it first (Unspike in the desk menu, `newsroom unspike`" in Frozen(edit_refusal(spiked) or "").message
    )
    assert "final" in (edit_refusal(killed) or "")
    assert edit_refusal(draft) is None
    assert isinstance(newsroom.save(draft.copy(body="New."), base_version=1), Saved)
    # Unspiked, it can be edited again.
    unspiked = newsroom.act(spiked, "unspike").saved
    assert edit_refusal(unspiked) is None
    assert isinstance(newsroom.save(unspiked.copy(body="Back."), base_version=unspiked.version), Saved)


def test_the_session_opens_them_read_only_and_follows_the_status(newsroom):
    [spiked] = newsroom.store.save_many([make_story(slug="spiked", status=Status.SPIKED, body="Old.")], user="seed")
    session = EditingSession(newsroom)
    session.open(spiked.id)
    assert session.frozen is not None and "spiked" in session.frozen
    assert isinstance(session.save(spiked.copy(body="SPIKEDTEXT")), Frozen)
    assert newsroom.store.get(spiked.id).body == "Old."
    session.adopt(newsroom.act(session.story, "unspike").saved)
    assert session.frozen is None
    assert isinstance(session.save(session.story.copy(body="Now it saves.")), Saved)
    session.adopt(newsroom.act(session.story, "spike").saved)
    assert session.frozen is not None, "spiked from this desk: read-only from then on"
    session.close()


def test_a_story_spiked_by_someone_else_meanwhile_is_not_saved_over(newsroom):
    [story] = newsroom.store.save_many([make_story(slug="toll", body="Old.")], user="seed")
    session = EditingSession(newsroom)
    session.open(story.id)
    newsroom.store.save(story.copy(status=Status.SPIKED), user="rina")
    outcome = newsroom.keep_mine(story.copy(body="Mine."))  # what the conflict dialog's "keep mine" does
    assert isinstance(outcome, Frozen)
    assert newsroom.store.get(story.id).body == "Old."
    session.close()


def test_check_fix_refuses_a_spiked_story(db_path, tmp_path):
    from tests.factories import run_newsroom

    store_with(db_path, make_story(slug="spiked-toll", status=Status.SPIKED, body="Two  spaces here."))
    done = run_newsroom("--db", str(db_path), "check", "--no-spelling", "--fix", "spiked-toll")
    assert done.returncode == 1
    assert "is spiked" in done.stderr and "unspike it first" in done.stderr, done.stderr
    done = run_newsroom("--db", str(db_path), "restore", "spiked-toll", "1")
    assert done.returncode == 1 and "unspike it first" in done.stderr


def _banner(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.screen.query_one("#lock-banner", Static).render())


async def test_the_desk_hides_them_and_says_so_in_the_count_line(desk_with):
    from newsroom_tui.tui.widgets.story_list import StoryList

    stories = [
        ready_story(headline="Live toll story", slug="live-toll"),
        make_story(headline="Spiked toll story", slug="spiked-toll", status=Status.SPIKED),
        make_story(headline="Killed toll story", slug="killed-toll", status=Status.KILLED),
    ]
    async with desk_with(*stories, opened=None) as (app, pilot):
        story_list = app.screen.query_one(StoryList)
        await until(pilot, lambda: len(story_list.rows) == 1, "only the story on the desk")
        assert "1 of 3 stories · 1 killed, 1 spiked not shown (F8)" in screen_text(app)
        await type_text(pilot, "status:spi")
        await until(pilot, lambda: [row.slug for row in story_list.rows] == ["spiked-toll"], "status: shows it")
        assert "not shown" not in screen_text(app)


async def test_a_spiked_story_opens_read_only_and_f10_unspikes_it(desk_with):
    spiked = make_story(headline="Spiked toll story", slug="spiked-toll", status=Status.SPIKED, body="Old words.")
    async with desk_with(spiked, opened=None, notifications=True) as (app, pilot):
        desk = app.screen
        await type_text(pilot, "status:spiked")
        await until(pilot, lambda: [row.slug for row in desk.list_pane.story_list.rows] == ["spiked-toll"], "found")
        await pilot.press("enter")
        await until(pilot, lambda: desk.story is not None, "the spiked story opens")
        assert desk.read_only and "unspike it first (F10 then z on the desk" in _banner(app)
        assert app.screen.form.disabled
        await type_text(pilot, "SPIKEDTEXT")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.find_by_slug("spiked-toll").version == 1, "a spiked story was saved"
        assert "SPIKEDTEXT" not in desk.editor_pane.body.text
        assert any("unspike it first" in note.message for note in app._notifications)
        await pilot.press("f10", "z")
        await until(pilot, lambda: app.store.find_by_slug("spiked-toll").status is Status.DRAFT, "unspiked")
        await until(pilot, lambda: not desk.read_only, "writable once unspiked")
        assert not app.screen.query_one("#lock-banner", Static).display and not app.screen.form.disabled
        await type_text(pilot, "New ")
        await pilot.press("ctrl+s")
        story_id = desk.story.id
        await until(pilot, lambda: app.store.get(story_id).version == 3, "saved once unspiked")
        assert "New " in app.store.get(story_id).body


async def test_a_killed_story_opens_read_only_for_good(desk_with):
    killed = ready_story(headline="Killed toll story", slug="killed-toll", status=Status.KILLED)
    async with desk_with(killed, opened=None) as (app, pilot):
        await type_text(pilot, "status:killed")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.story is not None, "the killed story opens")
        assert app.screen.read_only and "a kill is final" in _banner(app)
        await type_text(pilot, "v18")
        await pilot.press("ctrl+s", "f10")
        await pilot.pause()
        await until_answerable(pilot)
        assert "Unspike" in screen_text(app)
        await pilot.press("escape")
        assert app.store.find_by_slug("killed-toll").version == 1


# -- newsroom purge --spiked-before ------------------------------------------------------------------------------
def _aged(db_path, *stories):  # type: ignore[no-untyped-def]
    """Save `stories` and backdate each to its `updated_at` (the store stamps saves with the time now)."""
    import json

    saved = store_with(db_path, *stories)
    lines = db_path.read_bytes().splitlines(keepends=True)
    entry = json.loads(lines[-1])
    for story in stories:
        doc = next(doc for doc in entry["tx"]["stories"].values() if doc["slug"] == story.slug)
        doc["updated_at"] = story.updated_at.isoformat()
    lines[-1] = (json.dumps(entry, ensure_ascii=False) + "\n").encode()
    db_path.write_bytes(b"".join(lines))
    (db_path.parent / (db_path.name + ".revisions")).unlink(missing_ok=True)  # (seq checks) a fresh history
    return saved


def _purge_store(db_path):  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    old = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    return _aged(
        db_path,
        make_story(headline="Old spiked one", slug="old-spiked", status=Status.SPIKED, updated_at=old),
        make_story(headline="Old draft", slug="old-draft", updated_at=old),
        make_story(headline="Old killed one", slug="old-killed", status=Status.KILLED, updated_at=old),
        make_story(headline="New spiked one", slug="new-spiked", status=Status.SPIKED,
                   updated_at=datetime(2026, 11, 20, tzinfo=UTC)),
    )  # fmt: skip


def test_purge_removes_only_old_spiked_stories_and_records_it(db_path):
    from newsroom_tui.storage.store import StoryStore
    from tests.factories import run_newsroom

    _purge_store(db_path)
    db = ("--db", str(db_path))
    refused = run_newsroom(*db, "purge", "--spiked-before", "2026-11-01")
    assert refused.returncode == 1 and "--yes" in refused.stderr, "no terminal, no --yes: nothing purged"
    assert "old-spiked" in refused.stdout, "it lists what it would purge"
    with StoryStore(db_path) as store:
        assert store.find_by_slug("old-spiked") is not None
    done = run_newsroom(*db, "purge", "--spiked-before", "2026-11-01", "--yes")
    assert done.returncode == 0, done.stderr
    assert "purged      old-spiked  version 1" in done.stdout and "new-spiked" not in done.stdout
    assert "recorded" in done.stderr
    with StoryStore(db_path) as store:
        assert store.find_by_slug("old-spiked") is None
        assert {s.slug for s in store.list_stories()} == {"old-draft", "old-killed", "new-spiked"}
        [record] = store.purges()
        assert record["by"], "who purged (the OS user running the command)"
        assert [item["slug"] for item in record["stories"]] == ["old-spiked"]
        assert "spiked before 2026-11-01 00:00" in record["note"]
    log = run_newsroom(*db, "purge", "--log")
    assert "old-spiked  version 1  Old spiked one" in log.stdout
    again = run_newsroom(*db, "purge", "--spiked-before", "2026-11-01", "--yes")
    assert again.returncode == 0 and "nothing to purge" in again.stdout
    # The journal reopens whole, and the purged story's version is still in the revisions file.
    assert "Old spiked one" in (db_path.parent / (db_path.name + ".revisions")).read_text()


def test_purge_asks_on_a_terminal_and_refuses_while_an_editor_has_one_open(db_path, rina, capsys):
    from newsroom_tui.cli import commands
    from newsroom_tui.domain.errors import LockedError
    from tests.factories import settings_for

    saved = _purge_store(db_path)
    settings = settings_for(db_path)
    asked: list[str] = []
    assert commands.purge(settings, "2026-11-01", ask=lambda q: asked.append(q) or False) == 0
    assert asked == ["Delete it for good? [y/N] "] and "Nothing was purged." in capsys.readouterr().out
    rina.acquire(saved[0].id)
    with pytest.raises(LockedError, match="rina"):
        commands.purge(settings, "2026-11-01", ask=lambda q: True)
    rina.release(saved[0].id)
    assert commands.purge(settings, "2026-11-01", ask=lambda q: True) == 0
    assert "purged      old-spiked" in capsys.readouterr().out


async def test_opening_a_hidden_story_directly_shows_its_status_in_the_list(desk_with):
    """`newsroom open SLUG` of a spiked story: the list switches to spiked, so its row is under the cursor."""
    spiked = make_story(headline="Spiked toll story", slug="spiked-toll", status=Status.SPIKED)
    async with desk_with(spiked, make_story(headline="On the desk", slug="on-the-desk")) as (app, _pilot):
        pane = app.screen.list_pane
        assert pane.status_filter is Status.SPIKED and pane.story_list.highlighted_id == app.screen.story.id
        assert app.screen.read_only
