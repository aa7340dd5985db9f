"""The desk driven like a desk editor drives it: keys, typing, saving, quitting, reopening."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, TextArea

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.storage.store import StoryStore
from newsroom_tui.tui.screens.dialogs import UnsavedChangesScreen
from newsroom_tui.tui.screens.preview import PreviewScreen
from newsroom_tui.tui.widgets.story_list import StoryList

from .answering import answer
from .factories import screen_text, type_text, until


async def test_new_story_typed_saved_quit_and_found_again(db_path, desk_with):
    async with desk_with() as (app, pilot):
        await pilot.press("ctrl+n")
        assert app.focused is app.screen.query_one("#field-headline")
        await type_text(pilot, "Padma bridge toll cut")
        assert app.screen.query_one("#field-slug", Input).value == "padma-bridge-toll-cut"
        await pilot.press("f3")
        await type_text(pilot, "Tolls fall by a tenth from Monday.")
        assert app.screen.dirty
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.screen.dirty
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0

    with StoryStore(db_path) as store:
        [story] = store.list_stories()
    assert story.headline == "Padma bridge toll cut"
    assert story.slug == "padma-bridge-toll-cut"
    assert story.body == "Tolls fall by a tenth from Monday."
    assert story.version == 1 and story.updated_by == "desk"

    async with desk_with() as (again, pilot):
        story_list = again.screen.query_one(StoryList)
        assert [row.slug for row in story_list.rows] == ["padma-bridge-toll-cut"]
        await pilot.press("enter")
        assert again.screen.query_one("#body", TextArea).text == "Tolls fall by a tenth from Monday."
        assert not again.screen.dirty


async def test_typing_in_the_list_filters_it(desk_with):
    async with desk_with(
        Story(headline="Padma bridge toll cut", slug="padma-bridge-toll-cut"),
        Story(headline="Tigers win the series", slug="tigers-win-series", tags=["cricket"]),
        Story(headline="Rain floods Chattogram", slug="rain-floods-chattogram", byline="Staff Reporter"),
        opened=None,
    ) as (app, pilot):
        story_list = app.screen.query_one(StoryList)
        assert len(story_list.rows) == 3
        await type_text(pilot, "cricket")
        assert [row.slug for row in story_list.rows] == ["tigers-win-series"]
        await pilot.press("escape")
        assert len(story_list.rows) == 3 and app.focused is story_list
        await pilot.press("f8", "d")  # the status filter's list: draft
        await until(pilot, lambda: app.screen.list_pane.status_filter is Status.DRAFT, "F8 d picks draft")
        assert len(story_list.rows) == 3
        await pilot.press("f8", "e")  # edited: none
        await until(pilot, lambda: story_list.rows == [], "F8 e picks edited, which none is")


async def test_quit_with_unsaved_changes_asks_first(db_path, desk_with):
    async with desk_with(Story(headline="Budget passed", slug="budget-passed", body="Old text.")) as (app, pilot):
        await type_text(pilot, "New ")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and app.screen.dirty
        await pilot.press("ctrl+q")
        await answer(pilot, "d")
    assert app.return_code == 0
    with StoryStore(db_path) as store:
        assert store.list_stories()[0].body == "Old text."


async def test_quit_prompt_can_save(db_path, desk_with):
    async with desk_with(Story(headline="Budget passed", slug="budget-passed", body="Old text.")) as (_app, pilot):
        await type_text(pilot, "New ")
        await pilot.press("ctrl+q")
        await answer(pilot, "s")
    with StoryStore(db_path) as store:
        assert store.list_stories()[0].body == "New Old text."


async def test_missing_headline_is_refused_with_the_text_kept(desk_with):
    async with desk_with(notifications=True) as (app, pilot):
        await pilot.press("ctrl+n", "f3")
        await type_text(pilot, "Words without a headline")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.dirty
        assert app.focused is app.screen.query_one("#field-headline")
        error = app.screen.query_one("#error-headline")
        assert error.display and "needs a headline" in str(error.render())
        assert app.screen.query_one("#body", TextArea).text == "Words without a headline"
        assert len(app.store) == 0


async def test_slug_clash_is_shown_not_suffixed(desk_with):
    async with desk_with(Story(headline="Padma bridge toll cut", slug="padma-bridge-toll-cut"), opened=None) as (
        app,
        pilot,
    ):
        await pilot.press("ctrl+n")
        await type_text(pilot, "Padma bridge toll cut")
        error = app.screen.query_one("#error-slug")
        assert error.display and "already used" in str(error.render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(app.store) == 1
        assert app.screen.query_one("#field-slug", Input).value == "padma-bridge-toll-cut"


async def test_markup_and_escapes_are_shown_as_typed(desk_with):
    headline = "[bold]Breaking[/b] [link=https://x.test]click[/link]"
    story = Story(headline=headline, slug="breaking", byline="[red]Desk[/]", body="Body [i]not italic[/i]\x1b[2J.")
    async with desk_with(story, opened=None, notifications=True) as (app, pilot):
        story_list = app.screen.query_one(StoryList)
        line = story_list.render_line(0).text
        assert "[bold]Breaking[/b]" in line
        await pilot.press("enter")
        assert app.screen.query_one("#field-headline", Input).value == headline
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, PreviewScreen)
        rendered = screen_text(app)
        assert "[bold]Breaking[/b] [link=https://x.test]click[/link]" in rendered
        assert "[red]Desk[/]" in rendered
        assert "[i]not italic[/i]" in rendered
        await pilot.press("escape")
        assert not isinstance(app.screen, PreviewScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()


async def test_pasted_escape_sequences_never_reach_the_body(desk_with):
    async with desk_with() as (app, pilot):
        await pilot.press("ctrl+n", "f3")
        body = app.screen.query_one("#body", TextArea)
        body.post_message(events.Paste("Clean\x1b]52;c;ZXZpbA==\x07 text \x1b[31mred\u200d"))
        await pilot.pause()
        assert body.text == "Clean text red\u200d"


async def test_bangla_headline_gives_a_readable_slug(desk_with):
    async with desk_with() as (app, pilot):
        await pilot.press("ctrl+n")
        headline = app.screen.query_one("#field-headline", Input)
        headline.post_message(events.Paste("ঢাকায় মার্কিন দূতাবাস"))
        await pilot.pause()
        slug = app.screen.query_one("#field-slug", Input).value
        assert slug.startswith("dhaka") and "markin" in slug


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_pane_reachable_by_keyboard(desk_with, size):
    async with desk_with(Story(headline="Budget passed", slug="budget-passed", body="Text."), size=size) as (
        app,
        pilot,
    ):
        assert app.focused is app.screen.query_one("#body")
        await pilot.press("f4")
        assert app.focused is app.screen.query_one("#field-headline")
        assert app.screen.query_one("#metadata-pane").display
        await pilot.press("f2")
        assert isinstance(app.focused, StoryList)
        narrow = size[0] < 110
        assert app.screen.query_one("#editor-pane").display is not narrow


async def test_open_story_by_id_at_start(desk_with):
    story = Story(headline="Budget passed", slug="budget-passed", body="Budget text.")
    # desk_with starts the desk with open_story_id and waits (however loaded the machine) until it is open.
    async with desk_with(story, size=(80, 24)) as (app, _pilot):
        assert app.screen.query_one("#body", TextArea).text == "Budget text."
        assert not app.screen.dirty, "opening a story must not mark it unsaved"


async def test_first_run_note_is_shown_as_typed(desk_with):
    note = "New store: imported 8 sample stories into [bold]x[/b]."
    async with desk_with(startup_note=note, notifications=True) as (app, pilot):
        await pilot.pause()
        messages = [notification.message for notification in app._notifications]
        assert messages == ["New store: imported 8 sample stories into [bold]x[/b]."]
        assert "[bold]x[/b]" in screen_text(app)


async def test_another_editors_save_appears_in_the_list(db_path, desk_with):
    async with desk_with(Story(headline="Budget passed", slug="budget-passed"), opened=None) as (app, pilot):
        story_list = app.screen.query_one(StoryList)
        assert len(story_list.rows) == 1
        with StoryStore(db_path) as other:  # another editor's process, in effect
            other.save(Story(headline="Flood warning for Sylhet", slug="flood-warning-sylhet"), user="rina")
        app.screen.poll_store()  # what the 2-second timer calls
        await pilot.pause()
        assert [row.slug for row in story_list.rows] == ["flood-warning-sylhet", "budget-passed"]


async def test_every_desk_action_is_in_the_command_palette(desk_with):
    async with desk_with(Story(headline="Budget passed", slug="budget-passed", body="Text."), opened=None) as (
        app,
        pilot,
    ):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in (
            "New story",
            "Save story",
            "Preview story",
            "Show stories",
            "Show body",
            "Show metadata",
            "Filter stories",
            "Filter by status",
            "Quit",
        ):
            assert title in titles
        await pilot.press("enter")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "preview story")
        from textual.command import CommandList

        # The palette searches in a worker: wait for its first match (a fixed pause loses the race when loaded).
        def found() -> bool:
            option = app.screen.query_one(CommandList).highlighted_option
            return option is not None and "Preview story" in str(getattr(option, "hit", None) and option.hit.text)

        await until(pilot, found, "the palette offers Preview story first")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PreviewScreen)


async def test_a_two_megabyte_paste_is_refused_with_a_message(desk_with):
    story = Story(headline="Budget passed", slug="budget-passed", body="Kept.")
    async with desk_with(story, size=(80, 24), notifications=True) as (app, pilot):
        body = app.screen.query_one("#body", TextArea)
        body.post_message(events.Paste("log line\n" * 230_000))  # about 2 MB
        await pilot.pause()
        assert body.text == "Kept."
        assert any("2.1 MB" in n.message and "Nothing was pasted" in n.message for n in app._notifications)
        assert not app.screen.dirty


async def test_a_story_with_trailing_spaces_opens_clean(desk_with):
    """Whitespace is not terminal control: no 'removed' warning and no unsaved marker on opening."""
    story = Story(headline="Budget passed", slug="budget-passed", summary="Tolls fall. ", body="Text. ")
    async with desk_with(story, notifications=True) as (app, pilot):
        await pilot.pause()
        assert not app.screen.dirty
        assert not any("terminal control" in n.message for n in app._notifications)


async def test_discarding_at_quit_discards_the_recovery_draft_too(db_path, desk_with):
    """The editor threw the changes away: the next start must not offer them back."""
    async with desk_with(Story(headline="Budget passed", slug="budget-passed", body="Budget text.")) as (app, pilot):
        await pilot.pause()
        await pilot.press("x")
        app.screen.editing.autosave()
        assert [draft.story.body for draft in app.journal.scan(db_path).drafts] == ["xBudget text."]
        await pilot.press("ctrl+q")
        await answer(pilot, "d")
    assert app.journal.scan(db_path).drafts == []


async def test_a_paste_past_a_fields_limit_says_so_and_changes_nothing(desk_with):
    """Issue 11, item 23: a paste that would take a metadata field past its limit was dropped without a word."""
    story = Story(headline="Budget passed", slug="budget-passed", byline="Staff", body="Kept.")
    async with desk_with(story, size=(80, 24), notifications=True) as (app, pilot):
        byline = app.screen.query_one("#field-byline", Input)
        byline.post_message(events.Paste("x" * 600))
        await pilot.pause()
        assert byline.value == "Staff"
        assert any(
            n.message == "The byline box takes at most 500 characters; the paste has 600. Nothing was pasted."
            for n in app._notifications
        )
        byline.post_message(events.Paste(" Correspondent"))  # one that fits goes in as before
        await pilot.pause()
        assert byline.value == " CorrespondentStaff"  # at the cursor, which opening the story put at the start


async def test_a_new_storys_language_follows_its_headlines_script_until_chosen(desk_with):
    """Issue 13: the language stayed English for a Bangla headline until changed by hand."""
    from textual.widgets import Select

    async with desk_with(opened=None) as (app, pilot):
        await pilot.press("ctrl+n")
        await pilot.pause()
        headline = app.screen.query_one("#field-headline", Input)
        language = app.screen.query_one("#field-language", Select)
        headline.post_message(events.Paste("ঢাকায় বৃষ্টি"))
        await pilot.pause()
        assert language.value == "bn"
        headline.value = "Rain in Dhaka"
        await pilot.pause()
        assert language.value == "en", "it follows the headline while nobody chose"
        language.value = "bn"  # the editor picks Bangla by hand
        await pilot.pause()
        headline.value = "Rain in Dhaka again"
        await pilot.pause()
        assert language.value == "bn", "a language chosen by hand stays"


async def test_an_existing_storys_language_does_not_follow_its_headline(desk_with):
    async with desk_with(Story(headline="Budget passed", slug="budget-passed", body="Text.")) as (app, pilot):
        from textual.widgets import Select

        app.screen.query_one("#field-headline", Input).value = "বাজেট পাস"
        await pilot.pause()
        assert app.screen.query_one("#field-language", Select).value == "en"


async def test_the_editors_note_placeholder_says_where_the_note_goes(desk_with):
    """ "Never published" unless the desk sends the note to partners (`[export] send_ednote`)."""
    from newsroom_tui.domain.model import Story

    story = Story(headline="Talks", slug="talks", body="Talks resume.")
    async with desk_with(story) as (app, _pilot):
        assert app.screen.form.input("ednote").placeholder == "for the desk, never published"
        assert app.screen.form.input("dateline").placeholder == "e.g. Dhaka"
    other = Story(headline="Ferry", slug="ferry", body="Ferries resume.")
    async with desk_with(other, settings={"sections": {"export": {"send_ednote": True}}}) as (app, _pilot):
        assert "partners get it" in app.screen.form.input("ednote").placeholder


async def test_a_long_headline_is_saved_with_a_warning_and_urgency_is_checked_as_typed(desk_with):
    """Issue 13: a headline over the limit blocked saving the draft; typing 3 after the 5 in Urgency
    gave 35 with no word until ctrl+s."""
    from textual.widgets import Static

    from newsroom_tui.domain.model import Story

    story = Story(headline="Talks", slug="talks", body="Talks resume.")
    async with desk_with(story) as (app, pilot):
        desk = app.screen
        headline = desk.form.input("headline")
        desk.set_focus(headline)
        headline.value = "Talks " + "x" * 110
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not desk.dirty, "the long headline saved")
        assert app.store.get(story.id).headline == "Talks " + "x" * 110
        error = desk.form.query_one("#error-headline", Static)
        assert error.display and "the limit is 110" in str(error.render())
        urgency = desk.form.input("urgency")
        desk.set_focus(urgency)
        urgency.cursor_position = len(urgency.value)
        await pilot.press("3")
        await pilot.pause()
        assert urgency.value == "53"
        problem = desk.form.query_one("#error-urgency", Static)
        assert problem.display and "Urgency is 1 (flash) to 9" in str(problem.render())
        await pilot.press("backspace")
        await pilot.pause()
        assert not problem.display


async def test_the_form_takes_the_lists_room_while_it_is_filled_in(desk_with):
    """At 120x40 the headline field was 16 cells wide; filling in the form it is 60 and more."""
    from newsroom_tui.domain.model import Story

    async with desk_with(Story(headline="Talks", slug="talks", body="Talks resume."), size=(120, 40)) as (app, pilot):
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen.form.input("headline").content_size.width >= 60
        assert not app.screen.list_pane.display or app.screen.list_pane.size.width == 0
        await pilot.press("f2")
        await pilot.pause()
        assert app.screen.list_pane.size.width > 0


async def test_a_big_tinydb_store_is_told_once_how_to_move_to_postgresql(desk_with, tmp_path, monkeypatch):
    """Issue 12: the desk says once, when a TinyDB store passes the size it is comfortable at, how to move."""
    from newsroom_tui.domain.model import Story
    from newsroom_tui.usecases import newsroom as usecases

    monkeypatch.setattr(usecases, "TINYDB_COMFORTABLE", 2)  # 10,000 in real life: three stories will do here
    monkeypatch.setenv("NEWSROOM_NOTICES", str(tmp_path / "said-once.txt"))
    stories = [Story(headline=f"Story {n}", slug=f"story-{n}", body="Text.") for n in range(3)]

    def told(app) -> bool:
        return any("belongs on PostgreSQL" in str(n.message) for n in app._notifications)

    async with desk_with(*stories, opened=None, notifications=True) as (app, pilot):
        await until(pilot, lambda: told(app), "the advice to move")
        assert "This store holds 3 stories" in next(
            str(n.message) for n in app._notifications if "PostgreSQL" in str(n.message)
        )
    async with desk_with(opened=None, notifications=True) as (app, pilot):
        await pilot.pause(0.5)
        assert not told(app)  # once per editor and store


async def test_the_embargo_has_a_field_read_in_the_desks_zone_and_an_impossible_one_is_not_saved(desk_with):
    """Issue 13: "The embargo is checked at publish but there is no field for it." """
    from datetime import UTC, datetime

    from textual.widgets import Static

    story = Story(headline="Talks", slug="talks", body="Talks resume.")
    async with desk_with(story) as (app, pilot):
        desk = app.screen
        embargo = desk.form.input("embargo")
        assert embargo.value == "" and embargo.placeholder.startswith("e.g.")
        assert not desk.form.query_one("#row-schedule").display, "only a scheduled story has a time to go out"
        desk.set_focus(embargo)
        await type_text(pilot, "2027-01-05 18:00")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not desk.dirty, "the embargo saved")
        assert app.store.get(story.id).embargo_until == datetime(2027, 1, 5, 12, 0, tzinfo=UTC)  # Dhaka is +6
        embargo.value = "2027-02-30 18:00"
        await pilot.pause()
        problem = desk.form.query_one("#error-embargo", Static)
        assert problem.display and "not a real date" in str(problem.render())
        assert desk.dirty, "what is typed and unreadable counts as unsaved (quitting asks)"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.get(story.id).version == 2, "not saved as something else"
        assert embargo.value == "2027-02-30 18:00", "the typed text stays, to be fixed"
        embargo.value = ""
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.store.get(story.id).embargo_until is None, "an empty field lifts it")


async def test_the_form_says_when_a_scheduled_story_goes_out(desk_with):
    from datetime import UTC, datetime, timedelta

    from textual.widgets import Static

    at = datetime.now(UTC) + timedelta(days=3)
    story = Story(headline="Budget", slug="budget", body="Text.", status=Status.SCHEDULED, scheduled_at=at)
    async with desk_with(story, Story(headline="Other", slug="other", body="Text.")) as (app, _pilot):
        row = app.screen.form.query_one("#row-schedule")
        line = str(app.screen.form.query_one("#schedule-line", Static).render())
        assert row.display and line.startswith("due ") and "(Asia/Dhaka)" in line
        assert at.astimezone(app.settings.zone).strftime("%H:%M") in line


async def test_the_slug_check_as_you_type_reads_the_list_not_the_store(desk_with):
    """On PostgreSQL the store's slug lookup is a query: per keystroke, on the UI thread, it held up typing
    (up to the 5 s connect timeout with the database away).  The check reads the list's rows."""
    from textual.widgets import Static

    taken = Story(headline="Toll cut", slug="toll-cut", body="Text.")
    story = Story(headline="Talks", slug="talks", body="Talks resume.")
    async with desk_with(story, taken) as (app, pilot):
        asked: list[str] = []
        real = app.store.find_by_slug

        def counted(slug):
            asked.append(slug)
            return real(slug)

        app.store.find_by_slug = counted
        app.store.slug_owner = counted
        desk = app.screen
        headline = desk.form.input("headline")
        desk.set_focus(headline)
        headline.value = ""
        await type_text(pilot, "Toll cut")
        await pilot.pause()
        desk.form.input("slug").value = "toll-cut"
        await pilot.pause()
        error = desk.form.query_one("#error-slug", Static)
        assert error.display and "Toll cut" in str(error.render())
        assert asked == [], "no store lookup while typing"
