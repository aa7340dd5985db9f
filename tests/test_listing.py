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
