"""newsroom: a keyboard-first terminal newsroom editor."""

__version__ = "0.1.0"
