"""The storage contract: what the use cases, the command line and the desk may call on a store and a lock book.

Why a contract.  There are two backends, the TinyDB journal (store.StoryStore, locks.LockBook) and
PostgreSQL (postgres.PostgresStore, postgres.PostgresLockBook); everything above storage talks to these
protocols, so a rule lives once and both backends keep it.  mypy proves each class conforms (the
assignments at the end of `backends.py`), and tests/test_store_contract.py runs one set of tests
against both.  The errors are shared too: store.StoreError and its subclasses (ConflictError,
SlugTakenError, StoryNotFoundError, StoreBusyError…), domain.errors.LockError.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:  # the lock book's types only: a store user (`newsroom list`) never loads storage.locks
    from newsroom_tui.domain.listing import StoryRow
    from newsroom_tui.domain.model import Status, Story
    from newsroom_tui.domain.search import SearchHit, SearchQuery
    from newsroom_tui.storage.locks import Lock, LockResult

__all__ = [
    "Change",
    "ChangeListener",
    "IgnoredWordStore",
    "JsonRows",
    "LiveStore",
    "LockKeeper",
    "PendingQueue",
    "QueryStore",
    "Store",
    "WordStore",
]


class WordStore(Protocol):
    """A list of words the spelling check accepts: a file (dictionaries.WordList) or the database's."""

    path: Any  # what messages name: the file, or the database

    def stamp(self) -> tuple[int, int] | None: ...
    def words(self) -> list[str]: ...
    def add(self, word: str) -> bool: ...
    def remove(self, word: str) -> bool: ...


class IgnoredWordStore(Protocol):
    """What each story ignores: a file beside the store (dictionaries.IgnoredWords) or the database's."""

    def for_story(self, story_id: str) -> frozenset[str]: ...
    def ignore(self, story_id: str, word: str) -> bool: ...
    def unignore(self, story_id: str, word: str) -> bool: ...


class Store(Protocol):
    """A story store: versioned stories, their revisions and delivery log, shared by every editor."""

    @property
    def label(self) -> str:
        """The store as messages name it (a path, or a URL without its password)."""
        ...

    # reading
    def __len__(self) -> int: ...
    def is_empty(self) -> bool: ...
    def list_stories(self, status: Status | None = None) -> list[Story]:
        """Newest `updated_at` first."""
        ...

    def story_rows(self, previous: Iterable[StoryRow] = ()) -> list[StoryRow]:
        """The story list's rows, newest first (rows in `previous` with the same version may be reused)."""
        ...

    def read_rows(self, status: Status | None, take: Callable[[list[StoryRow]], object]) -> int:
        """The rows (of `status`, or every story's), newest first, handed to `take` a page at a time as they
        are read, so `newsroom list` of a million stories holds one page, not the archive; how many."""
        ...

    def get(self, story_id: str) -> Story:
        """Raises StoryNotFoundError."""
        ...

    def find_by_slug(self, slug: str) -> Story | None: ...
    def slug_owner(self, slug: str) -> Story | None: ...
    def slugs_starting(self, start: str, *, most: int) -> list[str]:
        """The slugs that start with `start` (none for an empty start), in code-point order, at most `most` + 1
        (so the caller can tell there are more): "did you mean" for a command given a start of a slug."""
        ...

    def slugs_like(self, typed: str, *, most: int) -> list[str]:
        """Slugs that may be what `typed` meant to be, for the caller to rank: a store holding its rows gives
        every slug, a database at most `most` of those sharing the longest start, and of those sharing the
        longest end, with `typed` (schema 8)."""
        ...

    def find_imported(self, headline: str, created_at: str) -> Story | None:
        """The story an import of (headline, created_at as stored) already made, or None: the import dedup."""
        ...

    def search(self, query: SearchQuery, *, limit: int = 20) -> list[SearchHit]:
        """Every story holding all of `query`'s terms (domain/search.py's rules), newest first, with snippets."""
        ...

    def delete(self, stories: Iterable[Story], *, user: str, note: str) -> dict[str, Any]:
        """Purge: remove each story at the version given, all or none (ConflictError, StoryNotFoundError),
        keep its revisions and delivery log, and return the record kept in the purge log."""
        ...

    def purges(self) -> list[dict[str, Any]]:
        """The purge log, oldest first."""
        ...

    def refresh(self) -> bool:
        """Pick up other editors' saves; True if any arrived since the last call."""
        ...

    def read_only_reason(self) -> str | None:
        """Why nothing can be saved here (one sentence), or None."""
        ...

    # writing
    def save(self, story: Story, *, user: str) -> Story:
        """version + 1, or ConflictError (stale version) / SlugTakenError; all or nothing."""
        ...

    def save_many(self, stories: list[Story], *, user: str) -> list[Story]: ...
    def import_lock(self) -> AbstractContextManager[None]:
        """Held around an import's "is it here already?" and its saves; StoreBusyError after two minutes."""
        ...

    def copy_in(self, histories: list[tuple[list[Story], list[dict[str, Any]]]]) -> list[str]:
        """Write stories exactly as another store holds them, each given as (every version oldest first, its
        delivery log): `newsroom migrate`.  One word per story: copied, updated, same or differs."""
        ...

    def histories(self, story_ids: Sequence[str]) -> list[tuple[list[Story], list[dict[str, Any]]]]:
        """What `copy_in` takes, for many stories at once (a migration reads and verifies 50,000): each
        story's versions, oldest first, and its delivery log, in the order asked.  StoryNotFoundError for
        a story not here."""
        ...

    # the delivery log
    def log_deliveries(self, story_id: str, entries: Iterable[Mapping[str, Any]]) -> None: ...
    def delivery_log(self, story_id: str) -> list[dict[str, Any]]: ...

    # history
    def revisions(self, story_id: str) -> list[Story]:
        """Every saved version, oldest first, the current one included."""
        ...

    def revision(self, story_id: str, version: int) -> Story: ...
    def restore(self, story_id: str, version: int, *, user: str) -> Story: ...

    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(self, *exc: object) -> None: ...


@runtime_checkable
class PendingQueue(Protocol):
    """A store that keeps the failed-deliveries queue itself (PostgreSQL: shared by every server); the
    TinyDB journal leaves it to delivery's file beside the store."""

    @property
    def label(self) -> str: ...
    def pending_entries(self) -> list[dict[str, Any]]: ...
    def put_pending(self, story_id: str, target: str, entry: Mapping[str, Any]) -> None: ...
    def remove_pending(self, story_id: str, target: str) -> None: ...


@runtime_checkable
class QueryStore(Protocol):
    """A store that answers the desk's list as a query (PostgreSQL, schema 7), so a desk holds a window of
    it, never the archive: the count, a window of rows, where a story is and the counts by status, each
    with domain.listing.filter_rows' rule (`query` is the typed filter, `status` the status filter's
    choice).  Optional: the TinyDB journal holds every row in memory and its desk filters them there."""

    def status_counts(self) -> dict[Status, int]: ...
    def count_rows(self, query: str = "", status: Status | None = None, *, most: int | None = None) -> int: ...
    def window_rows(
        self,
        query: str,
        status: Status | None,
        offset: int,
        limit: int,
        *,
        total: int | None,
        after: StoryRow | None = None,
        before: StoryRow | None = None,
    ) -> list[StoryRow]: ...
    def position_of(self, story_id: str, query: str = "", status: Status | None = None) -> int | None: ...
    def interrupt(self, thread: int) -> None:
        """Cancel the list's statement `thread` (threading.get_ident) is running now, from another thread (a
        newer question replaces it); nothing else is ever cancelled."""
        ...


class LockKeeper(Protocol):
    """Who has which story open (advisory: the store's version check keeps saves safe)."""

    user: str
    host: str
    pid: int

    def all_locks(self) -> dict[str, Lock]: ...
    def holder(self, story_id: str) -> Lock | None: ...
    def still_mine(self, story_id: str) -> bool: ...
    def held(self) -> list[str]: ...
    def is_mine(self, lock: Lock) -> bool: ...
    def is_stale(self, lock: Lock) -> bool: ...
    def acquire(self, story_id: str) -> LockResult: ...
    def take_over(self, story_id: str) -> Lock: ...
    def release(self, story_id: str) -> None: ...
    def release_all(self) -> bool: ...
    def heartbeat(self) -> list[str]:
        """Refresh this process's locks; the story ids someone else took meanwhile."""
        ...


@runtime_checkable
class JsonRows(Protocol):
    """A store that writes the list's rows as JSON itself (PostgreSQL: the server makes each line), so that
    `newsroom list --json` costs what the rows' text does and not a Python object a row.  Optional: for any
    other store usecases.listing makes the same lines from `read_rows`, and tests hold the two to the same
    bytes."""

    def write_rows_json(self, fields: Sequence[str], status: Status | None, write: Callable[[bytes], object]) -> int:
        """The rows (`status`'s alone, unless None), newest first, each as one line of JSON holding `fields`
        in that order (StoryRow's names, and `word_count`): exactly usecases.listing.row_json's line; in
        chunks of whole lines, each line ending in a newline, UTF-8, passed to `write` as they are read.
        Returns how many rows."""
        ...


# -- live desks ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Change:
    """What another editor changed, as a notification says it: ids only, the reader re-reads the rest.

    `kind` is "story" (saved, restored, purged…), "lock" (taken, taken over, given back) or "unknown"
    (a payload this code cannot read: re-read everything)."""

    kind: str
    story_id: str = ""

    @classmethod
    def from_payload(cls, payload: str) -> Change:
        try:
            value = json.loads(payload)
            kind, story_id = value["kind"], value["id"]
        except (ValueError, TypeError, KeyError):
            return cls("unknown")
        if kind not in ("story", "lock") or not isinstance(story_id, str):
            return cls("unknown")
        return cls(kind, story_id)


class ChangeListener(Protocol):
    """A running listener (its own thread and connection); `close` stops it without waiting on the network."""

    @property
    def connected(self) -> bool: ...
    def close(self) -> None: ...


# Called from the listener's thread: the changes of one wake-up, in order, each once; and the
# connection's state: None when listening, else why not (one sentence) while it reconnects.
ChangesCallback = Callable[[list[Change]], None]
StateCallback = Callable[[str | None], None]


@runtime_checkable
class LiveStore(Protocol):
    """A store that can tell its desks what other editors changed as it happens (PostgreSQL's
    LISTEN/NOTIFY).  Optional: the TinyDB journal has no such channel and its desks just keep polling
    `refresh`.  A desk that listens still polls as well, as a fallback."""

    def listen(self, on_changes: ChangesCallback, on_state: StateCallback) -> ChangeListener: ...
