from datetime import UTC, datetime, timedelta

from newsroom_tui.domain.listing import StoryRow, filter_rows, newest_first
from newsroom_tui.domain.model import Status, Story

BASE = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def stories():
    return [
        Story(
            headline="Padma bridge toll cut",
            slug="padma-bridge-toll-cut",
            byline="Staff Correspondent",
            tags=["transport"],
            updated_at=BASE,
        ),
        Story(
            headline="Tigers win the series",
            slug="tigers-win-series",
            byline="Sports Desk",
            status=Status.PUBLISHED,
            updated_at=BASE + timedelta(hours=1),
        ),
        Story(
            headline="ঢাকায় বৃষ্টি",
            slug="dhakay-brishti",
            byline="নিজস্ব প্রতিবেদক",
            language="bn",
            tags=["আবহাওয়া"],
            updated_at=BASE - timedelta(hours=1),
        ),
    ]


def build_rows(stories: list[Story]) -> list[StoryRow]:
    return newest_first([StoryRow.from_story(story) for story in stories])


def test_rows_are_newest_first():
    assert [row.slug for row in build_rows(stories())] == [
        "tigers-win-series",
        "padma-bridge-toll-cut",
        "dhakay-brishti",
    ]


def test_filter_matches_headline_slug_byline_and_tags_in_any_case():
    rows = build_rows(stories())
    assert [r.slug for r in filter_rows(rows, "PADMA")] == ["padma-bridge-toll-cut"]
    assert [r.slug for r in filter_rows(rows, "sports desk")] == ["tigers-win-series"]
    assert [r.slug for r in filter_rows(rows, "transport")] == ["padma-bridge-toll-cut"]
    assert [r.slug for r in filter_rows(rows, "আবহাওয়া")] == ["dhakay-brishti"]
    assert [r.slug for r in filter_rows(rows, "bridge toll")] == ["padma-bridge-toll-cut"]
    assert filter_rows(rows, "toll tigers") == []


def test_status_filter_combines_with_text():
    rows = build_rows(stories())
    assert [r.slug for r in filter_rows(rows, status=Status.PUBLISHED)] == ["tigers-win-series"]
    assert filter_rows(rows, "padma", Status.PUBLISHED) == []
    assert filter_rows(rows, "", None) is rows


def test_the_filter_reads_desk_sign_off_and_prefixes():
    """Issue 13: `sylhet national` and `karim` found nothing; `desk:sports by:karim status:edited`."""
    from newsroom_tui.domain.listing import StoryRow, filter_rows
    from newsroom_tui.domain.model import Status, Story

    rows = [
        StoryRow.from_story(
            Story(headline="Flood in Sylhet", slug="flood", desk="National", sign_off="Sylhet/Karim/NR")
        ),
        StoryRow.from_story(
            Story(headline="Tigers win", slug="tigers", desk="Sports", byline="Karim Hossain", tags=["cricket"])
        ),
        StoryRow.from_story(
            Story(headline="Sports budget", slug="budget", desk="National", status=Status.EDITED, tags=["sports"])
        ),
    ]

    def found(query: str) -> list[str]:
        return [row.slug for row in filter_rows(rows, query)]

    assert found("sylhet national") == ["flood"]
    assert found("karim") == ["flood", "tigers"]
    assert found("desk:sports") == ["tigers"], "the desk, not a tag or a headline word"
    assert found("sports") == ["tigers", "budget"]
    assert found("by:karim") == ["flood", "tigers"], "a byline or a sign-off"
    assert found("desk:sports by:karim") == ["tigers"]
    assert found("status:edited") == ["budget"] and found("status:ed") == ["budget"]
    assert found("tag:cricket") == ["tigers"] and found("tag:sports") == ["budget"]
    assert found("desk:nosuch") == [] and found("DESK:Sports") == ["tigers"]
    assert found("desk:") == [], "a bare prefix is a word, found nowhere"
    assert found("national flood") == ["flood"], "a word never spans two fields"


async def test_enter_in_the_filter_opens_the_match_at_once_and_escape_in_the_list_clears_it(desk_with):
    """Issue 13: Enter needed two presses (the second put a blank line into the body); Escape cleared the
    filter only while its box had focus, so after F2 typing appended to the old filter."""
    from textual.widgets import Input, TextArea

    from newsroom_tui.domain.model import Story
    from newsroom_tui.tui.widgets.story_list import StoryList
    from tests.factories import until

    flood = Story(headline="Flood in Sylhet", slug="flood", desk="National", body="Rivers rise.")
    tigers = Story(headline="Tigers win", slug="tigers", desk="Sports", body="Six wickets.")
    async with desk_with(flood, tigers, opened=None) as (app, pilot):
        box = app.screen.query_one("#filter", Input)
        await pilot.press("ctrl+l", *"desk:sports", "enter")
        await until(pilot, lambda: app.screen.story is not None and app.screen.story.slug == "tigers", "one Enter")
        body = app.screen.query_one("#body", TextArea)
        await until(pilot, lambda: app.focused is body, "the body has the focus")
        assert body.text == "Six wickets.", "no blank line went into the body"
        await pilot.press("f2")
        await pilot.pause()
        assert box.value == "desk:sports"
        await pilot.press("escape")
        await pilot.pause()
        assert box.value == "" and len(app.screen.query_one(StoryList).rows) == 2
        await pilot.press("ctrl+l", *"desk:nosuch")
        await pilot.pause()
        listing = app.screen.query_one(StoryList)
        assert listing.rows == []
        assert "No story matches desk:nosuch. Escape clears the filter." in listing.render_line(0).text


def test_spiked_and_killed_stories_are_off_the_default_view_but_their_status_filter_shows_them():
    """Issue 13: spiked and killed stories crowded "all"."""
    from newsroom_tui.domain.listing import hidden_counts, shows_hidden

    rows = build_rows(
        [
            *stories(),
            Story(headline="Spiked toll story", slug="spiked-toll", status=Status.SPIKED, updated_at=BASE),
            Story(headline="Killed toll story", slug="killed-toll", status=Status.KILLED, updated_at=BASE),
            Story(headline="Other spike", slug="other-spike", status=Status.SPIKED, updated_at=BASE),
        ]
    )
    shown = [row.slug for row in filter_rows(rows)]
    assert shown == ["tigers-win-series", "padma-bridge-toll-cut", "dhakay-brishti"]
    assert [row.slug for row in filter_rows(rows, "toll")] == ["padma-bridge-toll-cut"]
    assert [row.slug for row in filter_rows(rows, status=Status.SPIKED)] == ["spiked-toll", "other-spike"]
    assert [row.slug for row in filter_rows(rows, "toll", Status.KILLED)] == ["killed-toll"]
    assert [row.slug for row in filter_rows(rows, "status:spi toll")] == ["spiked-toll"], "typed, it shows them"
    assert hidden_counts(rows) == {Status.SPIKED: 2, Status.KILLED: 1}
    assert not shows_hidden("toll") and shows_hidden("status:k") and shows_hidden("", Status.SPIKED)
