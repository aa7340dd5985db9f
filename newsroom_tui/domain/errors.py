"""Errors caught by code that imports their modules only when they are first used.

The lock book, the recovery journal and the workflow are not loaded on the desk's way to its first
screen (start-up time); the desk's and the CLI's `except` clauses need their error classes before
that, so the classes live here and those modules re-export them.
"""

from __future__ import annotations


class UserError(Exception):
    """Something the editor (or script) asked for that cannot be done; str() is one sentence saying why."""


class NotFound(UserError):
    """No story with that slug (or id) in the store."""


class LockedError(UserError):
    """Another editor's desk holds the story's lock; the write was refused (take it over to go ahead)."""

    def __init__(self, message: str, holder: str) -> None:
        self.holder = holder
        super().__init__(message)


class LockError(Exception):
    """The lock file cannot be used (unreadable folder, no permission, disk full); str() says why."""


class RecoveryError(Exception):
    """A draft could not be written, read or removed; str() is one sentence an editor can act on."""


class WorkflowError(UserError):
    """An action the workflow does not allow, or an action missing what it needs; str() says why."""
