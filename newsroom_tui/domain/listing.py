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
    is_overdue,
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
    scheduled_at: datetime | None = None  # when a scheduled story goes out (the list shows it, and overdue)
    seq: int | None = field(repr=False, default=None)  # a database's order among stories saved at one time
    _word_count: int | None = field(repr=False, default=None)

    @property
    def live(self) -> bool:
        """Readers can see it (published or corrected): the list marks it."""
        return self.status in LIVE_STATUSES

    @property
    def unsent(self) -> bool:
        """Live, and saved since the version that went out: the same rule as the story's."""
        return has_unsent_changes(self.status, self.version, self.sent_version)

    def overdue(self, moment: datetime) -> bool:
        """Scheduled for a time that has passed with nothing publishing it (the list flags it)."""
        return is_overdue(self.status, self.scheduled_at, moment)

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
            haystack=haystack_of(
                story.headline, story.slug, story.byline, story.tags, sign_off=story.sign_off, desk=story.desk
            ),
            body=story.body,
            sent_version=story.sent_version,
            scheduled_at=story.scheduled_at if story.status is Status.SCHEDULED else None,
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
        desk = stored_line("desk", get("desk", ""))
        sign_off = stored_line("sign_off", get("sign_off", ""))
        return cls(
            id=story_id,
            version=stored_count("version", get("version", 0)),
            status=status,
            slug=slug,
            headline=headline,
            desk=desk,
            byline=byline,
            updated_at=now() if "updated_at" not in doc else stored_datetime("updated_at", updated_at),
            updated_by=stored_line("updated_by", get("updated_by", "")),
            language=stored_line("language", get("language", "en")),
            haystack=haystack_of(headline, slug, byline, tags, sign_off=sign_off, desk=desk),
            body=_body_for_counting(get("body", "")),
            sent_version=stored_sent_version(doc, status),  # as Story.from_dict reads it
            scheduled_at=_scheduled(status, get("scheduled_at")),
        )


def _scheduled(status: Status, value: object) -> datetime | None:
    """Only a scheduled story's time matters to the list (a published one keeps its old time)."""
    if status is not Status.SCHEDULED or value is None:
        return None
    return stored_datetime("scheduled_at", value)


def _body_for_counting(body: object) -> str:
    """A row keeps the body only to count its words, never to show it: checked for type, not cleaned (cleaning
    4 KB bodies took 6 times as long as building the rows; the story is cleaned when it is opened)."""
    if type(body) is not str:
        stored_text("body", body)  # raises, with the same sentence as Story.from_dict
    return str(body)


# What the filter searches, one section per field, folded once per row.  The separator is a private-use
# character, which no newsroom text holds, so a word never spans two fields (and the row cache keeps it:
# it would drop a control character).
_SECTIONS = ("headline", "slug", "byline", "sign_off", "desk", "tags")
SECTION_SEPARATOR = _SEPARATOR = "\ue000"
SECTION_COUNT = len(_SECTIONS)  # a PostgreSQL store's filter splits its haystack column the same way
# `desk:sports by:karim status:edited tag:hilsa`: a prefix searches only its fields (by: a byline or a
# sign-off, which names the reporter in `Dhaka/Karim/NR`).
FILTER_PREFIXES: dict[str, tuple[int, ...]] = {
    "headline": (0,),
    "slug": (1,),
    "by": (2, 3),
    "byline": (2, 3),
    "desk": (4,),
    "tag": (5,),
    "tags": (5,),
}


def haystack_of(
    headline: str, slug: str, byline: str, tags: Iterable[str], *, sign_off: str = "", desk: str = ""
) -> str:
    """What the filter searches: headline, slug, byline, sign-off, desk and tags, folded, in sections."""
    return _SEPARATOR.join((headline, slug, byline, sign_off, desk, ", ".join(tags))).casefold()


@dataclass(frozen=True, slots=True)
class FilterQuery:
    """A typed filter: words anywhere, words in named fields, and statuses (`status:pub` is published)."""

    words: tuple[str, ...] = ()
    fields: tuple[tuple[tuple[int, ...], str], ...] = ()
    statuses: tuple[str, ...] = ()

    @classmethod
    def parse(cls, query: str) -> FilterQuery:
        words: list[str] = []
        fields: list[tuple[tuple[int, ...], str]] = []
        statuses: list[str] = []
        for term in query.casefold().split():
            name, colon, value = term.partition(":")
            if colon and value and name == "status":
                statuses.append(value)
            elif colon and value and name in FILTER_PREFIXES:
                fields.append((FILTER_PREFIXES[name], value))
            else:
                words.append(term)
        return cls(tuple(words), tuple(fields), tuple(statuses))

    @property
    def has_terms(self) -> bool:
        """Anything typed that narrows the list (else the list is the status filter's alone)."""
        return bool(self.words or self.fields or self.statuses)

    def matches(self, row: StoryRow) -> bool:
        haystack = row.haystack
        if not all(word in haystack for word in self.words):
            return False
        if not all(row.status.value.startswith(value) for value in self.statuses):
            return False
        if self.fields:
            sections = haystack.split(_SEPARATOR)
            if len(sections) != len(_SECTIONS):  # a row from an older cache: search it whole
                return all(value in haystack for _, value in self.fields)
            return all(any(value in sections[i] for i in where) for where, value in self.fields)
        return True


# Off the desk's queue: "all" is every status but these, which their own status filter (F8, `status:spi`) shows.
HIDDEN_BY_DEFAULT: frozenset[Status] = frozenset({Status.SPIKED, Status.KILLED})


def shows_hidden(query: str = "", status: Status | None = None) -> bool:
    """Whether the filter asks for a status itself (F8's choice, or `status:` typed): then spiked and
    killed stories are shown like any other; in the default view ("all") they are hidden."""
    return status is not None or bool(FilterQuery.parse(query).statuses)


def counted_by_status(counts: Mapping[Status, int], status: Status | None = None) -> int:
    """How many stories the list shows with no filter typed, from the counts by status: the status filter's
    choice, else every status but spiked and killed (the default view)."""
    if status is not None:
        return counts.get(status, 0)
    return sum(count for found, count in counts.items() if found not in HIDDEN_BY_DEFAULT)


def no_match_message(query: str, status: Status | None) -> str:
    """What the empty list says when the filter matched nothing (not just a blank list)."""
    asked = " ".join(filter(None, (query.strip(), f"status {status.value}" if status else "")))
    return f"No story matches {asked}. Escape clears the filter."


def hidden_counts(rows: Iterable[StoryRow]) -> dict[Status, int]:
    """How many stories the default view leaves out, by status (for the list's count line)."""
    counts: dict[Status, int] = {}
    for row in rows:
        if row.status in HIDDEN_BY_DEFAULT:
            counts[row.status] = counts.get(row.status, 0) + 1
    return counts


def filter_rows(rows: list[StoryRow], query: str = "", status: Status | None = None) -> list[StoryRow]:
    """Rows matching every term of `query` (any case): plain words anywhere in the headline, slug, byline,
    sign-off, desk or tags; `desk:`, `by:`, `tag:`, `slug:`, `headline:` in that field; `status:` by status
    (a prefix will do: `status:pub`).  `status` is the status filter's choice (F8).  Unless a status is asked
    for, spiked and killed stories are left out (`HIDDEN_BY_DEFAULT`)."""
    parsed = FilterQuery.parse(query)
    if status is not None:
        rows = [row for row in rows if row.status is status]
    elif not parsed.statuses:
        hidden = HIDDEN_BY_DEFAULT
        if any(row.status in hidden for row in rows):  # else the same list: nothing to copy
            rows = [row for row in rows if row.status not in hidden]
    if not parsed.has_terms:
        return rows
    if len(parsed.words) == 1 and not parsed.fields and not parsed.statuses:
        word = parsed.words[0]  # the common case, one word as it is typed: no call per row
        return [row for row in rows if word in row.haystack]
    return [row for row in rows if parsed.matches(row)]


def newest_first(rows: list[StoryRow]) -> list[StoryRow]:
    """The order a desk reads its queue in (sorted in place, and returned)."""
    rows.sort(key=lambda row: row.updated_at, reverse=True)
    return rows


# -- the list as a window ------------------------------------------------------------------------------------
# A desk on a store that answers the list's query (PostgreSQL: contract.QueryStore) never holds the archive:
# it holds pages of rows around where the editor is looking, read as they come into view.
PAGE_ROWS = 100
ROWS_A_PAGE = 1000  # rows handed over at a time by a store's `read_rows` (`newsroom list`)
MOST_PAGES = 20  # held at once (2,000 rows, a few MB); the pages farthest from the cursor go first


class ListedRows:
    """Every row of the list, in memory (the TinyDB desk: its store is in memory anyway)."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[StoryRow]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, index: int) -> StoryRow | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def index_of(self, story_id: str) -> int | None:
        for position, row in enumerate(self.rows):
            if row.id == story_id:
                return position
        return None

    def held(self) -> Iterable[StoryRow]:
        return self.rows


class PagedRows:
    """`total` rows of a query, of which only some pages are held: `get` is None for a row not read yet
    (the list draws it as a placeholder and asks for its page)."""

    __slots__ = ("page_rows", "pages", "total")

    def __init__(self, total: int, pages: Mapping[int, list[StoryRow]] | None = None, *, page_rows: int = PAGE_ROWS):
        self.total = total
        self.page_rows = page_rows
        self.pages: dict[int, list[StoryRow]] = dict(pages or {})

    def __len__(self) -> int:
        return self.total

    def page_of(self, index: int) -> int:
        return index // self.page_rows

    def get(self, index: int) -> StoryRow | None:
        if not 0 <= index < self.total:
            return None
        rows = self.pages.get(index // self.page_rows)
        offset = index % self.page_rows
        return rows[offset] if rows is not None and offset < len(rows) else None

    def missing(self, first: int, last: int) -> list[int]:
        """The pages rows first…last (inclusive, clipped to the list) are on that are not held."""
        if self.total == 0:
            return []
        first, last = max(0, first), min(self.total - 1, last)
        return [page for page in range(self.page_of(first), self.page_of(last) + 1) if page not in self.pages]

    def fill(self, page: int, rows: list[StoryRow], *, keep_near: int = 0) -> None:
        """Hold a page just read; past MOST_PAGES, drop the pages farthest from row `keep_near`."""
        self.pages[page] = rows
        if len(self.pages) > MOST_PAGES:
            near = self.page_of(keep_near)
            for far in sorted(self.pages, key=lambda held: abs(held - near))[MOST_PAGES:]:
                del self.pages[far]

    def index_of(self, story_id: str) -> int | None:
        for page, rows in self.pages.items():
            for offset, row in enumerate(rows):
                if row.id == story_id:
                    return page * self.page_rows + offset
        return None

    def held(self) -> Iterable[StoryRow]:
        for page in sorted(self.pages):
            yield from self.pages[page]


RowWindow = ListedRows | PagedRows
