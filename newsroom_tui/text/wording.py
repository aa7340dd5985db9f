"""Counts and lists in words the desk reads: "1 check", "3 checks" — never "1 checks" (issue 13) — and
"a, b or c", for every front end and message (one joiner, not one per place that needed it)."""

from __future__ import annotations

from collections.abc import Sequence

_IRREGULAR = {"story": "stories", "match": "matches", "this": "these", "needs": "need", "is": "are", "was": "were"}


def plural(count: int, word: str) -> str:
    """`word` for `count` of it: `story` → `stories`, `match` → `matches`, `check` → `checks`."""
    if count == 1:
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "i", "o", "u"):
        return word[:-1] + "ies"  # a pending delivery, two delivery log entries (the last word of a phrase)
    return word + "s"


def counted(count: int, word: str) -> str:
    """`1 check`, `3 checks`, `1,204 stories`."""
    return f"{count:,} {plural(count, word)}"


def one_of(items: Sequence[str], *, more: bool = False) -> str:
    """`a`, `a or b`, `a, b or c`; `more` (a list cut short): `a, b, c or another`; nothing for nothing."""
    shown = [*items, "another"] if more else list(items)
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " or " + shown[-1]
