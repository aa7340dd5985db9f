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
    parse_datetime,
    stored_sent_version,
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
        (KeyError, TypeError, ValueError) on a damaged document.
        """
        headline, slug, byline = str(doc.get("headline", "")), str(doc.get("slug", "")), str(doc.get("byline", ""))
        tags = doc.get("tags") or []
        updated_at = doc.get("updated_at")
        version = int(doc.get("version", 0))
        status = Status(doc.get("status", Status.DRAFT.value))
        return cls(
            id=str(doc["id"]),
            version=version,
            status=status,
            slug=slug,
            headline=headline,
            desk=str(doc.get("desk", "")),
            byline=byline,
            updated_at=parse_datetime(updated_at) if isinstance(updated_at, str) else now(),
            updated_by=str(doc.get("updated_by", "")),
            language=str(doc.get("language", "en")),
            haystack=haystack_of(headline, slug, byline, map(str, tags)),
            body=str(doc.get("body", "")),
            sent_version=stored_sent_version(doc, status),  # as Story.from_dict reads it
        )


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
