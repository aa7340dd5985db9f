"""What a desk starts from: prepared by the command line, run by the desk front end."""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.contract import Store
    from newsroom_tui.storage.first_page import FirstPage, FirstPageReader
    from newsroom_tui.storage.rowcache import CachedRows


@dataclass(frozen=True)
class DeskStart:
    """The store (or the row cache to start from), the story to open, a note for the first screen, and which
    story a start of a slug was taken for (`padma → padma-ferry-fares-cut`), also said on stderr."""

    settings: Settings
    store: Store | None
    first_rows: CachedRows | None
    open_story_id: str | None
    startup_note: str | None
    took: str | None = None
    # A database's desk: the first page, read by a forked child while Textual loads (`settle_desk_start`),
    # then the store opened after the first screen.
    reading: FirstPageReader | None = None
    first_page: FirstPage | None = None


def prepare_desk(settings: Settings, *, slug: str | None = None, read_ahead: bool = True) -> DeskStart:
    """What the desk starts from: the row cache when it can be trusted, else the store.

    With a trusted cache the store itself is read just after the first screen (50 MB and 300 ms at
    10,000 stories).  Otherwise, as always, the store first, so a damaged store or a new one (which
    gets the sample stories) is dealt with before the desk opens.  A database's first page is read by a
    forked child (`read_ahead`; storage/first_page.py) while the desk loads Textual: `settle_desk_start`
    takes it, or starts the usual way if it brought none.
    """
    if read_ahead and slug is None and settings.store_url is not None and threading.active_count() == 1:
        from newsroom_tui.storage.first_page import FirstPageReader

        reading = FirstPageReader.start(settings.store_url)
        if reading is not None:
            return DeskStart(settings, None, None, None, None, reading=reading)
    from newsroom_tui.storage.backends import store_for
    from newsroom_tui.storage.rowcache import read_rows

    # The row cache is the journal's: a database answers the list's first screen itself.
    cached = read_rows(settings.db_path) if slug is None and settings.store_url is None else None
    if cached is not None and cached.rows:
        return DeskStart(settings, None, cached, None, None)
    store = store_for(settings)
    if slug is None and settings.store_url is not None:
        # A database answers the list's first page itself; the use cases (50 ms of imports) come after the
        # first screen, unless it is a new one, which gets the sample stories first.
        try:
            if not store.is_empty():
                return DeskStart(settings, store, None, None, None)
        except BaseException:
            store.close()
            raise
    from newsroom_tui.usecases.newsroom import Newsroom

    try:
        newsroom = Newsroom(settings, store)
        note = newsroom.seed_samples_if_empty()
        found = newsroom.look_up(slug) if slug is not None else None  # opening it reads: a unique start will do
    except BaseException:
        store.close()
        raise
    took = found.note if found is not None else None
    story_id = found.story.id if found is not None else None
    return DeskStart(settings, store, None, story_id, note or took, took)


def settle_desk_start(start: DeskStart) -> DeskStart:
    """The start with the forked child's first page, once the desk has loaded Textual; without one (an
    empty database, a child cut short), the usual start, with its sentences.  A store the child could not
    open (a server away, a schema we cannot use) raises the store's own sentence, as the usual start would."""
    if start.reading is None:
        return start
    page = start.reading.take()
    if page is None:
        if start.reading.refusal is not None:  # the store's own sentence: trying again would wait as long again
            raise start.reading.refusal
        return prepare_desk(start.settings, read_ahead=False)
    return replace(start, reading=None, first_page=page)
