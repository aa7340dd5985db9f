"""One lock rule for every write the command line makes: a story another editor has open in a desk is
not changed behind their back.

The command line holds no lock of its own while it reads; a write checks for a live lock held by
someone else and refuses, naming them, unless the editor asked to take the story over.  Taking over
is what the desk's F10 o does: the lock is ours from then on.  It is left in the lock book when the
command ends (stale at once, since our process is gone, so it blocks nobody), which is how the other
desk's next heartbeat learns that the story was taken from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsroom_tui.domain.errors import LockError
from newsroom_tui.usecases.errors import UserError

if TYPE_CHECKING:
    from newsroom_tui.domain.config import Settings
    from newsroom_tui.storage.locks import Lock, LockBook


def lock_book(settings: Settings) -> LockBook:
    from newsroom_tui.storage.locks import LockBook, lock_expiry_from  # filelock: only for writes

    return LockBook(settings.db_path, user=settings.user, expiry=lock_expiry_from(settings))


def other_holder(settings: Settings, story_id: str, *, book: LockBook | None = None) -> Lock | None:
    """A live lock on the story held by someone other than this process, or None.

    An unreadable lock file is read as "no locks" (locks are advisory: the store's version check is
    what keeps saves safe), as the lock book itself does for a damaged file.
    """
    book = book or lock_book(settings)
    try:
        lock = book.holder(story_id)
    except LockError:
        return None
    return None if lock is None or book.is_mine(lock) else lock


def clear_to_write(settings: Settings, story_id: str, *, take_over: bool = False) -> None:
    """Raise LockedError if another editor has the story open; with `take_over`, take it from them."""
    from newsroom_tui.usecases.errors import LockedError

    book = lock_book(settings)
    holder = other_holder(settings, story_id, book=book)
    if holder is None:
        return
    if not take_over:
        who = holder.describe(settings.zone)
        raise LockedError(f"{who} still has this story open; ask them to save and close it first.", who)
    try:
        book.take_over(story_id)
    except LockError as error:
        raise UserError(f"Could not take the story over from {holder.describe(settings.zone)}: {error}") from error
