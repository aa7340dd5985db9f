"""Counts in words the desk reads: "1 check", "3 checks" — never "1 checks" (issue 13)."""

from __future__ import annotations

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
