"""The desk's queue: the story list's rows and its type-to-filter, in plain Python.

The list must stay fast at 10,000 stories, so each row keeps a pre-folded haystack (headline, slug,
byline, tags) and filtering is a substring test per row: about a millisecond per thousand rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newsroom_tui.domain.model import (
    LIVE_STATUSES,
    Status,
    Story,
    count_words,
    has_unsent_changes,
    now,
    stored_count,
    stored_datetime,
    stored_line,
    stored_sent_version,
    stored_status,
    stored_tags,
    stored_text,
)


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
    sent_version: int | None = None  # the version that last went out (Story.sent_version)
    _word_count: int | None = field(repr=False, default=None)

    @property
    def live(self) -> bool:
        """Readers can see it (published or corrected): the list marks it."""
        return self.status in LIVE_STATUSES

    @property
    def unsent(self) -> bool:
        """Live, and saved since the version that went out: the same rule as the story's."""
        return has_unsent_changes(self.status, self.version, self.sent_version)

    @property
    def word_count(self) -> int:
        if self._word_count is None:
            self._word_count = count_words(self.body)
        return self._word_count

    @classmethod
    def from_story(cls, story: Story) -> StoryRow:
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
            haystack=haystack_of(story.headline, story.slug, story.byline, story.tags),
            body=story.body,
            sent_version=story.sent_version,
        )

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any]) -> StoryRow:
        """A row straight from the stored dict, without building the Story: the list of 10,000 stories
        is read at every start, and a whole Story per row was most of that time (measured).

        Reads the fields as `Story.from_dict` does, with the same defaults; raises what it raises
        (ValueError naming the field) on a damaged document.
        """
        get = doc.get
        headline = stored_line("headline", get("headline", ""))
        slug = stored_line("slug", get("slug", ""))
        byline = stored_line("byline", get("byline", ""))
        tags = stored_tags(get("tags"))
        updated_at = get("updated_at")
        status = stored_status("status", get("status", "draft"))
        story_id = stored_line("id", get("id", ""))
        if not story_id:
            raise ValueError("it has no id")
        return cls(
            id=story_id,
            version=stored_count("version", get("version", 0)),
            status=status,
            slug=slug,
            headline=headline,
            desk=stored_line("desk", get("desk", "")),
            byline=byline,
            updated_at=now() if "updated_at" not in doc else stored_datetime("updated_at", updated_at),
            updated_by=stored_line("updated_by", get("updated_by", "")),
            language=stored_line("language", get("language", "en")),
            haystack=haystack_of(headline, slug, byline, tags),
            body=_body_for_counting(get("body", "")),
            sent_version=stored_sent_version(doc, status),  # as Story.from_dict reads it
        )


def _body_for_counting(body: object) -> str:
    """A row keeps the body only to count its words, never to show it: checked for type, not cleaned (cleaning
    4 KB bodies took 6 times as long as building the rows; the story is cleaned when it is opened)."""
    if type(body) is not str:
        stored_text("body", body)  # raises, with the same sentence as Story.from_dict
    return str(body)


def haystack_of(headline: str, slug: str, byline: str, tags: Iterable[str]) -> str:
    """What the filter searches, folded once per row: headline, slug, byline and tags."""
    return " ".join((headline, slug, byline, " ".join(tags))).casefold()


def newest_first(rows: list[StoryRow]) -> list[StoryRow]:
    """The order a desk reads its queue in (sorted in place, and returned)."""
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
        row for row in rows if (status is None or row.status is status) and all(term in row.haystack for term in terms)
    ]
