"""The one place a store and its lock book are made, for both front ends: the backend follows the location.

A `postgresql://` or `postgres://` libpq URL opens PostgreSQL (storage/postgres.py, which alone imports
psycopg, so a TinyDB user never needs it); anything else is the TinyDB journal file, as always.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from newsroom_tui.domain.location import is_database_url

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.contract import IgnoredWordStore, LockKeeper, QueryStore, Store, WordStore

__all__ = ["lock_book_for", "open_lock_book", "open_store", "store_for"]


def open_store(location: str | os.PathLike[str]) -> Store:
    """The store at `location`: a database URL, or a journal file path (made on first save)."""
    if is_database_url(location):
        _need_psycopg(str(location))
        from newsroom_tui.storage import postgres

        return postgres.PostgresStore(str(location))
    from newsroom_tui.storage.store import StoryStore

    return StoryStore(Path(location))


def open_lock_book(
    location: str | os.PathLike[str],
    *,
    user: str,
    expiry: timedelta | None = None,
    host: str | None = None,
    store: Store | None = None,
) -> LockKeeper:
    """This process's lock book for the store at `location` (the database's locks table, or the
    `<store>.locks.json` file beside a journal).  `host` is what other editors see; this machine's name
    by default.  `expiry`: locks.DEFAULT_EXPIRY (imported only here: `newsroom list` never loads locks).
    `store`: the store opened on `location`, whose database connection the lock book then shares."""
    from newsroom_tui.storage.locks import DEFAULT_EXPIRY

    expiry = expiry if expiry is not None else DEFAULT_EXPIRY
    if is_database_url(location):
        _need_psycopg(str(location))
        from newsroom_tui.storage import postgres

        return postgres.PostgresLockBook(str(location), user=user, expiry=expiry, host=host, store=store)
    from newsroom_tui.storage.locks import LockBook

    return LockBook(Path(location), user=user, expiry=expiry, host=host)


def desk_words_for(url: str, *, store: Store | None = None) -> WordStore:
    """The desk dictionary of a newsroom on PostgreSQL (a WordList's interface), on `store`'s connection
    when given the store opened on `url`."""
    _need_psycopg(url)
    from newsroom_tui.storage import postgres

    return postgres.PostgresDeskWords(url, store=store)


def ignored_words_for(url: str, *, store: Store | None = None) -> IgnoredWordStore:
    """What each story ignores, for a newsroom on PostgreSQL (an IgnoredWords' interface), on `store`'s
    connection when given the store opened on `url`."""
    _need_psycopg(url)
    from newsroom_tui.storage import postgres

    return postgres.PostgresIgnoredWords(url, store=store)


def _need_psycopg(url: str) -> None:
    """One sentence, not an ImportError, when psycopg (the `postgres` extra) is not installed."""
    import importlib.util

    if importlib.util.find_spec("psycopg") is None:
        from newsroom_tui.domain.location import redact_url
        from newsroom_tui.storage.store import StoreError

        raise StoreError(
            f"The store {redact_url(url)} is a PostgreSQL database and this newsroom was installed without "
            f"PostgreSQL support: install it with pip install -e '.[postgres]'."
        )


def _conforms() -> None:  # pragma: no cover - never called: mypy checks that both backends keep the contract
    from newsroom_tui.storage import postgres
    from newsroom_tui.storage.locks import LockBook
    from newsroom_tui.storage.store import StoryStore

    stores: list[type[Store]] = [StoryStore, postgres.PostgresStore]
    books: list[type[LockKeeper]] = [LockBook, postgres.PostgresLockBook]
    queried: type[QueryStore] = postgres.PostgresStore
    del stores, books, queried


def upgrade_database(url: str) -> list[str]:
    """Apply the schema migrations the database lacks; what was applied ("schema 2 (search)"), in order."""
    _need_psycopg(url)
    from newsroom_tui.storage import postgres

    return [f"schema {migration.version} ({migration.name})" for migration in postgres.upgrade_url(url)]


def store_for(settings: Settings) -> Store:
    """The configured store (`--db`, `NEWSROOM_DB`, the config's `[store] url` or `db_path`)."""
    return open_store(settings.store_location)


def lock_book_for(settings: Settings, *, store: Store | None = None) -> LockKeeper:
    """This process's lock book for the configured store, with the config's `[locks] expiry_minutes`; on
    `store`'s database connection when given it (see `open_lock_book`)."""
    from newsroom_tui.storage.locks import lock_expiry_from

    return open_lock_book(settings.store_location, user=settings.user, expiry=lock_expiry_from(settings), store=store)
