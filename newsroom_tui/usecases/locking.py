"""One lock rule for every write the command line makes: a story another editor has open in a desk is
not changed behind their back.

The command line holds no lock of its own while it reads; a write asks the Newsroom whether someone
else holds a live lock and is refused, naming them, unless the editor asked to take the story over.
Taking over is what the desk's F10 o does: the lock is ours from then on.  It is left in the lock book
when the command ends (stale at once, since our process is gone, so it blocks nobody), which is how
the other desk's next heartbeat learns that the story was taken from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsroom_tui.domain.errors import LockedError, UserError

if TYPE_CHECKING:
    from newsroom_tui.domain.model import Story
    from newsroom_tui.usecases.newsroom import Newsroom
    from newsroom_tui.usecases.outcomes import SaveOutcome


def locked_message(holder: str) -> str:
    return (
        f"{holder} still has this story open; ask them to save and close it first, or take it over "
        "(--take-over on the command line, F10 then o on the desk)."
    )


def clear_to_write(newsroom: Newsroom, story_id: str, *, take_over: bool = False) -> None:
    """Raise LockedError if another editor has the story open; with `take_over`, take it from them."""
    from newsroom_tui.usecases.outcomes import LockLost, ReadOnly

    refused = newsroom.lock_refusal(story_id, take_over=take_over)
    if refused is None:
        return
    if isinstance(refused, ReadOnly | LockLost):
        raise LockedError(locked_message(refused.holder), refused.holder)
    raise UserError(refused.message)


def saved_or_raise(outcome: SaveOutcome) -> Story:
    """The saved story, or the outcome's sentence as an error: for callers with nobody to ask (scripts)."""
    from newsroom_tui.usecases.outcomes import LockLost, ReadOnly, Saved

    if isinstance(outcome, Saved):
        return outcome.story
    if isinstance(outcome, ReadOnly | LockLost):
        raise LockedError(locked_message(outcome.holder), outcome.holder)
    raise UserError(outcome.message)
