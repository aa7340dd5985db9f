"""The desk's queue: the story list's rows and its type-to-filter, in plain Python.

The list must stay fast at 10,000 stories, so each row keeps a pre-folded haystack (headline, slug,
byline, tags) and filtering is a substring test per row: about a millisecond per thousand rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from newsroom_tui.model import Status, Story, count_words


@dataclass(slots=True)
class StoryRow:
    """What the list shows of a story.

    The word count is worked out the first time the row is drawn, not when the list is built:
    counting 10,000 bodies took seconds, and only the rows on screen need it.
    """

    id: str
    version: int
    status: Status
    slug: str
    headline: str
    desk: str
    byline: str
    updated_at: datetime
    updated_by: str
    language: str
    haystack: str
    body: str = field(repr=False, default="")
    _word_count: int | None = field(repr=False, default=None)

    @property
    def word_count(self) -> int:
        if self._word_count is None:
            self._word_count = count_words(self.body)
        return self._word_count

    @classmethod
    def from_story(cls, story: Story) -> StoryRow:
        haystack = " ".join((story.headline, story.slug, story.byline, " ".join(story.tags))).casefold()
        return cls(
            id=story.id,
            version=story.version,
            status=story.status,
            slug=story.slug,
            headline=story.headline,
            desk=story.desk,
            byline=story.byline,
            updated_at=story.updated_at,
            updated_by=story.updated_by,
            language=story.language,
            haystack=haystack,
            body=story.body,
        )


def build_rows(stories: Iterable[Story], previous: Iterable[StoryRow] = ()) -> list[StoryRow]:
    """Rows newest first, the order a desk reads its queue in.

    Rows from `previous` whose story has not changed version are reused, so picking up another
    editor's save does not redo the whole list.
    """
    known = {(row.id, row.version): row for row in previous}
    rows = [known.get((story.id, story.version)) or StoryRow.from_story(story) for story in stories]
    rows.sort(key=lambda row: row.updated_at, reverse=True)
    return rows


def filter_rows(rows: list[StoryRow], query: str = "", status: Status | None = None) -> list[StoryRow]:
    """Rows whose headline, slug, byline or tags contain every word of `query` (any case)."""
    terms = query.casefold().split()
    if not terms and status is None:
        return rows
    if status is not None and not terms:
        return [row for row in rows if row.status is status]
    if len(terms) == 1:
        term = terms[0]
        return [row for row in rows if term in row.haystack and (status is None or row.status is status)]
    return [
        row
        for row in rows
        if (status is None or row.status is status) and all(term in row.haystack for term in terms)
    ]
