"""The errors a use case raises for the editor to act on (str() is one sentence): defined in the domain's
errors module, so the front ends catch them without loading the use cases that raise them."""

from __future__ import annotations

from newsroom_tui.domain.errors import LockedError, NotFound, UserError

__all__ = ["LockedError", "NotFound", "UserError"]
