"""The errors a use case raises for the editor to act on: str() is one sentence, already safe to show
through `for_display`.  Front ends print them; a traceback only ever means a bug."""

from __future__ import annotations


class UserError(Exception):
    """Something the editor can put right: an unknown story, a bad file, a time that has passed."""


class NotFound(UserError):
    """No story has that slug (or that version)."""


class LockedError(UserError):
    """Another editor has the story open in a desk right now; `holder` describes them (who, where, since)."""

    def __init__(self, message: str, holder: str) -> None:
        self.holder = holder
        super().__init__(message)
