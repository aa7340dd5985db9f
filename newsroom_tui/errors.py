"""Errors the desk catches from modules it imports only when they are first used.

The lock book and the recovery journal are loaded after the first screen (start-up time); the desk's
`except` clauses need their error classes before that, so the classes live here and those modules
re-export them.
"""

from __future__ import annotations


class LockError(Exception):
    """The lock file cannot be used (unreadable folder, no permission, disk full); str() says why."""


class RecoveryError(Exception):
    """A draft could not be written, read or removed; str() is one sentence an editor can act on."""
