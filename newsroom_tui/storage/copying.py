"""What copying a story into a store does, the same for both backends (`Store.copy_in`, `newsroom migrate`).

Each backend fetched what it holds of the story and writes the word's consequences its own way; the rule
that decides is here once, so a story can never be "same" in one backend and "updated" in the other.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

__all__ = ["CopyWord", "canonical", "copy_word"]

CopyWord = Literal["copied", "updated", "same", "differs", "purged"]


def canonical(doc: Mapping[str, Any]) -> str:
    """A story document as one string that does not depend on key order (comparisons and checksums)."""
    return json.dumps(doc, sort_keys=True, ensure_ascii=True)


def copy_word(
    incoming: Sequence[Mapping[str, Any]], here: Sequence[Mapping[str, Any]], *, same_log: bool, purged: bool = False
) -> CopyWord:
    """For a story's versions `incoming` (oldest first) against the versions this store has of it (`here`):

    "copied" — it has none; "updated" — it has the first versions, exactly, and lacks later ones (or only
    the delivery log differs); "same" — it has them all and the same log: nothing to write; "differs" — it
    has versions the incoming story does not (more of them, or other ones): it is left alone, never
    overwritten; "purged" — this store purged it (its versions stay, the story is gone): an editor's purge
    is not undone by a copy either."""
    if purged:
        return "purged"
    if not here:
        return "copied"
    if len(here) > len(incoming) or [canonical(d) for d in here] != [canonical(d) for d in incoming[: len(here)]]:
        return "differs"
    if len(here) == len(incoming) and same_log:
        return "same"
    return "updated"
