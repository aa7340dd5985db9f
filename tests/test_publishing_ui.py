"""Publishing from the keyboard: the confirmation with the checks, desk actions, kill, history."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import Button, Input, TextArea

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.tui.screens.history import HistoryScreen
from newsroom_tui.tui.screens.publishing import DeskActionsScreen, KillScreen, PublishScreen

from .answering import answer
from .factories import screen_text, store_with, type_text, until

BODY = " ".join(["The river crossing reopened on Monday after repairs to the ferry ramps."] * 8)


def ready_story(**changes) -> Story:
    values = {
        "headline": "Ferry crossing reopens",
        "slug": "ferry-crossing-reopens",
        "byline": "Staff Reporter",
        "body": BODY,
        "summary": "Ferries run again.",
        "desk": "National",
        "sign_off": "Dhaka/Rina/NR",
    }
    values.update(changes)
    return Story(**values)


def outbox(tmp_path: Path) -> Path:
    return tmp_path / "xdg_data_home" / "newsroom" / "outbox"


async def test_publish_confirmation_lists_every_problem_and_refuses(desk_with):
    async with desk_with(ready_story(byline="", body="")) as (app, pilot):
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, PublishScreen)
        text = screen_text(app)
        assert "Cannot publish yet" in text and "byline" in text.lower() and "body" in text.lower()
        assert app.screen.query_one("#confirm", Button).disabled
        await pilot.press("p")
        await pilot.press("escape")
        await pilot.pause()
        assert app.store.find_by_slug("ferry-crossing-reopens").status is Status.DRAFT


async def test_publish_with_one_key_after_confirmation_delivers_to_the_outbox(tmp_path, desk_with):
    async with desk_with(ready_story(), notifications=True) as (app, pilot):
        await pilot.press("f9")
        await pilot.pause()
        assert "Every check passed" in screen_text(app)
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        story = app.store.find_by_slug("ferry-crossing-reopens")
        assert story.status is Status.PUBLISHED and story.published_at is not None
        assert [entry["action"] for entry in story.history] == ["publish"]  # one version per action (item 9)
        assert story.version == 2 and len(app.store.delivery_log(story.id)) == 1
        assert "published" in screen_text(app)
    files = sorted(path.name for path in outbox(tmp_path).iterdir())
    assert files == [f"ferry-crossing-reopens.{ext}" for ext in ("html", "json", "txt")]
    ninjs = json.loads((outbox(tmp_path) / "ferry-crossing-reopens.json").read_text(encoding="utf-8"))
    assert ninjs["pubStatus"] == "usable" and ninjs["version"] == "2"  # the version the desk shows


async def test_unsaved_changes_are_saved_before_publishing(desk_with):
    async with desk_with(ready_story()) as (app, pilot):
        await type_text(pilot, "Update ")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, PublishScreen)
        assert app.store.find_by_slug("ferry-crossing-reopens").body.startswith("Update The river")


async def test_desk_actions_menu_submit_and_refusals(desk_with):
    async with desk_with(ready_story(), notifications=True) as (app, pilot):
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, DeskActionsScreen)
        assert "cannot be unpublished" in screen_text(app).lower() or "not been published" in screen_text(app)
        await pilot.press("u")  # not allowed for a draft: a message, the menu stays
        assert isinstance(app.screen, DeskActionsScreen)
        await pilot.press("s")
        await pilot.pause()
        assert app.store.find_by_slug("ferry-crossing-reopens").status is Status.SUBMITTED
        await pilot.press("f10", "x")  # spike, which asks first
        await answer(pilot, "y")
        assert app.store.find_by_slug("ferry-crossing-reopens").status is Status.SPIKED
        await pilot.press("f10", "z")  # unspike: back to submitted
        await pilot.pause()
        assert app.store.find_by_slug("ferry-crossing-reopens").status is Status.SUBMITTED


async def test_kill_needs_a_reason_and_the_slug_typed(tmp_path, desk_with):
    async with desk_with(ready_story()) as (app, pilot):
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f10", "k")
        await pilot.pause()
        assert isinstance(app.screen, KillScreen)
        await type_text(pilot, "legal")
        await pilot.press("enter")
        await type_text(pilot, "wrong")
        await pilot.press("enter")
        assert isinstance(app.screen, KillScreen)
        assert "does not match" in screen_text(app)
        app.screen.query_one("#kill-slug", Input).value = "ferry-crossing-reopens"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        story = app.store.find_by_slug("ferry-crossing-reopens")
        assert story.status is Status.KILLED
    ninjs = json.loads((outbox(tmp_path) / "ferry-crossing-reopens.json").read_text(encoding="utf-8"))
    assert ninjs["pubStatus"] == "canceled"


async def test_history_shows_versions_and_restores_an_old_one(db_path, desk_with):
    store_with(db_path, ready_story(body="First text."))
    with StoryStore(db_path) as store:
        story = store.find_by_slug("ferry-crossing-reopens")
        store.save(story.copy(body="Second text."), user="rina")
    async with desk_with(opened=None) as (app, pilot):
        await pilot.press("enter", "f12")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "v1" in text and "v2" in text and "rina" in text
        assert "¶1  First Second text." in text  # the changed word, struck and bold in colour
        await pilot.press("up", "r")
        await pilot.pause()
        assert app.screen.query_one("#body", TextArea).text == "First text."
        restored = app.store.find_by_slug("ferry-crossing-reopens")
        assert restored.version == 3 and restored.body == "First text."
        # The history says what happened ("changed body" it said before), and any two versions compare.
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "desk restored version 1" in text
        await pilot.press("up", "up", "space", "down", "down")  # mark v1, then look at v3
        await pilot.pause()
        text = screen_text(app)
        assert "◆ v1" in text and "v1 → v3 (◆ marked" in text and "No differences." in text
        await pilot.press("up")  # v2 against the marked v1
        await pilot.pause()
        assert "v1 → v2 (◆ marked" in screen_text(app)
        await pilot.press("up", "space")  # unmark: back to each version against the one before
        await pilot.pause()
        assert "◆" not in screen_text(app)


async def test_f9_shows_the_copy_desks_open_findings_not_every_check_passed(desk_with):
    """Issue 13: F9 said "✓ Every check passed." while the bottom line showed "⚑ 3 checks"."""
    from tests.factories import ready_story, until

    story = ready_story(body=ready_story().body + '\n\nHe said "yes"  and left.')  # straight quotes, two spaces
    async with desk_with(story, settings={"sections": {"copydesk": {"spelling": False}}}) as (app, pilot):
        await until(pilot, lambda: bool(app.screen.findings), "the copy desk's findings")
        open_checks = len(app.screen.findings)
        await pilot.press("f9")
        await until(pilot, lambda: type(app.screen).__name__ == "PublishScreen", "the publish dialog")
        shown = "\n".join(str(static.render()) for static in app.screen.query("Static"))
        assert "Every check passed" not in shown
        assert f"{open_checks} copy-desk check" in shown and "still open" in shown


async def test_a_scheduled_story_says_when_it_goes_out_and_the_prompt_shows_the_time_now(desk_with):
    """The due time appeared nowhere in the desk; the schedule prompt's example was in the past."""
    from datetime import timedelta

    from textual.widgets import Static

    from newsroom_tui.domain.model import Status, now

    due = now() + timedelta(hours=3)
    story = ready_story(status=Status.SCHEDULED, scheduled_at=due, previous_status=Status.EDITED)
    async with desk_with(story) as (app, pilot):
        zone = app.settings.zone
        shown = due.astimezone(zone).strftime("%H:%M")
        title = str(app.screen.query_one("#editor-title", Static).render())
        assert f"scheduled due {shown}" in title or f"scheduled due {due.astimezone(zone):%d %b %H:%M}" in title
        await pilot.press("f5")
        await pilot.pause()
        assert "Not yet published · scheduled for" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
    fresh = ready_story(slug="another-story", headline="Another story")
    async with desk_with(fresh) as (app, pilot):
        app.screen.actions.run("schedule")
        await until(
            pilot,
            lambda: type(app.screen).__name__ == "PromptScreen" and bool(app.screen.query("#prompt-value")),
            "the schedule prompt",
        )
        await pilot.pause()
        text = screen_text(app)
        here = app.clock().astimezone(app.settings.zone)
        drawn_then = here - timedelta(minutes=1)  # the minute may turn between drawing the prompt and reading it
        assert any(f"(now {at:%H:%M}, {at:%d %b})" in text for at in (here, drawn_then)), text
        await type_text(pilot, "00:00")  # today's midnight has passed: the prompt says so, in one line
        await pilot.press("enter")
        await pilot.pause()
        assert "has already passed" in screen_text(app)


async def test_at_80x24_the_desk_menu_shows_every_action_on_one_line_each(desk_with):
    """Issue 13: "At 80×24 the F10 menu … lose[s its] bottom rows"; long reasons wrapped and pushed them off."""
    from newsroom_tui.domain.model import Status, Story
    from newsroom_tui.tui.desk_actions import ACTION_MENU
    from newsroom_tui.tui.screens.publishing import DeskActionsScreen
    from tests.factories import screen_text, until

    story = Story(
        headline="Budget speech at six in the parliament", slug="budget", body="Text.", status=Status.PUBLISHED
    )
    async with desk_with(story, size=(80, 24)) as (app, pilot):
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(app.screen, DeskActionsScreen), "the menu")
        await pilot.pause()
        text = screen_text(app)
        for key, _action, title in ACTION_MENU:
            assert f" {key}  {title[:30]}" in text, (key, title)
        assert "Press a key, or Escape to close." in text
        assert "be marked as edited" not in text, "a reason is cut to its line, not wrapped onto the next"
