"""Keep terminal control out of story text.

Rich and Textual pass escape sequences inside `Text` straight to the terminal, so a wire file or a paste
carrying ESC, OSC 52 (clipboard writes) or bidi overrides could rewrite the editor's screen.  Text is
cleaned on the way in (`clean_text`) and neutralised again on the way out (`for_display`), in case an
older store or another tool put something there.  ZWJ (U+200D) and ZWNJ (U+200C) are kept: Bengali
conjuncts need them.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import TextIO

# A whole escape sequence is removed, not just its ESC, so "\x1b[31m" does not leave "[31m" behind.
# String sequences (OSC, DCS, PM, APC, SOS) are removed only with their terminator, within one line and
# at most 4,096 characters: a stray ESC before "Police-escorted" in a wire paragraph once swallowed the
# rest of the story.  Unterminated, only the ESC goes (with the C0/C1 table below) and the text stays.
_STRING_BODY_LIMIT = 4096
_ESCAPE_SEQUENCE = re.compile(
    rf"""
    \x1b\][^\x07\x1b\n]{{0,{_STRING_BODY_LIMIT}}}(?:\x07|\x1b\\)   # OSC ... BEL or ST (clipboard, titles, links)
  | \x1b[P^_X][^\x1b\n]{{0,{_STRING_BODY_LIMIT}}}\x1b\\            # DCS / PM / APC / SOS ... ST
  | \x1b\[[0-?]*[ -/]*[@-~]                                    # CSI (colours, cursor movement, clears)
  | \x1b[ -/]*[0-OQ-WY-\[\\`-~]                                 # two-character escapes (ESC c resets)
  | \x9b[0-?]*[ -/]*[@-~]                                       # 8-bit CSI
  | \x9d[^\x07\x9c\n]{{0,{_STRING_BODY_LIMIT}}}(?:\x07|\x9c)          # 8-bit OSC
    """,
    re.VERBOSE,
)

# Bidi embedding/override/isolate controls can make text display in an order other than it is stored.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_KEEP_FORMAT = {"\u200c", "\u200d"}  # ZWNJ, ZWJ: Bengali needs them


def _is_unsafe(char: str) -> bool:
    if char in "\n\t":
        return False
    if char in _KEEP_FORMAT:
        return False
    if char in _BIDI_CONTROLS:
        return True
    category = unicodedata.category(char)
    # Cc: C0/C1 controls and DEL.  Cs: lone surrogates (break UTF-8 encoders).
    return category in ("Cc", "Cs")


_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE_TABLE: dict[int, None] = {}
for _code in (*range(0x00, 0x20), *range(0x7F, 0xA0), *(ord(c) for c in _BIDI_CONTROLS)):
    if _is_unsafe(chr(_code)):
        _UNSAFE_TABLE[_code] = None


def clean_text(text: str) -> str:
    """Return `text` with line endings normalised and terminal control removed.

    Used on every way in: typing, pasting, importing, the command line.  Tabs and newlines stay;
    a BOM at the start is dropped; lone surrogates become U+FFFD so the store can always encode them.
    """
    if not text:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x1b" in text or "\x9b" in text or "\x9d" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    text = text.translate(_UNSAFE_TABLE)
    if _SURROGATE.search(text):  # a regex, not a loop in Python: 80 ms for 400 KB became well under 1 ms
        # A pair that arrived as two halves (some clipboards) is joined; only a lone half becomes U+FFFD.
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def clean_line(text: str) -> str:
    """Clean a one-line field (headline, byline…): newlines and tabs become spaces, ends trimmed."""
    text = clean_text(text)
    return " ".join(text.replace("\t", " ").split("\n")).strip()


def for_display(text: str) -> str:
    """Neutralise what must never reach a terminal raw, keeping the text readable.

    Unlike `clean_text` this makes the damage visible: an ESC shows as U+241B (␛) so an editor can
    see and fix it, rather than silently changing what the store holds.
    """
    if not text or not _UNSAFE_CHAR.search(text):
        return text
    return _UNSAFE_CHAR.sub(_display_replacement, text)


_UNSAFE_CHAR = re.compile("[" + "".join(re.escape(chr(code)) for code in _UNSAFE_TABLE) + "\ud800-\udfff]")
# What no line the desk draws may hold (tui.terminal_filter): every character `for_display` neutralises,
# plus newline and tab, which mean nothing inside a drawn line.
UNSAFE_FOR_TERMINAL = re.compile("[\n\t" + _UNSAFE_CHAR.pattern[1:])


def has_terminal_control(text: str) -> bool:
    """Whether `text` holds anything `clean_text` would remove (escape sequences, C0/C1, bidi, surrogates).

    Whitespace is not terminal control: a trailing space is the copy desk's business, not a hazard.
    """
    return bool(text) and _UNSAFE_CHAR.search(text) is not None


def _display_replacement(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\x1b":
        return "\u241b"
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    return ""


def json_for_terminal(encoded: str) -> str:
    """JSON text (from `json.dumps(..., ensure_ascii=False)`) with every character `for_display` would
    neutralise written as a `\\uXXXX` escape instead: the same data for a program that parses it, nothing
    a terminal acts on (json escapes C0 controls itself, but prints C1 controls and bidi overrides raw)."""
    if not _UNSAFE_CHAR.search(encoded):
        return encoded
    return _UNSAFE_CHAR.sub(lambda match: f"\\u{ord(match.group()):04x}", encoded)


# The bytes that can begin, in UTF-8, a character `json_for_terminal` escapes: C0 but tab and newline, DEL,
# C2 (C1 controls), E2 (bidi controls), ED (lone surrogates, which `surrogatepass` writes).  A chunk without any
# (all ASCII text, all Bengali) is let through after one `bytes.translate`, in C, with no decoding.
_NEVER_UNSAFE_BYTES = bytes(
    sorted(set(range(256)) - {*range(0x09), *range(0x0B, 0x20), 0x7F, 0xC2, 0xE2, 0xED})
)  # fmt: skip


def json_bytes_for_terminal(encoded: bytes) -> bytes:
    """`json_for_terminal` for UTF-8 JSON text (`newsroom list --json`'s chunks, which are whole lines):
    the same escapes, at the cost of one `bytes.translate` for a chunk that needs none."""
    if not encoded.translate(None, _NEVER_UNSAFE_BYTES):
        return encoded
    text = encoded.decode("utf-8", "surrogatepass")
    escaped = json_for_terminal(text)
    return encoded if escaped is text else escaped.encode("utf-8")


class TerminalStream(io.TextIOBase):
    """A text stream that passes everything written through `for_display`: the command line's stdout and
    stderr, so that no line it prints — a story field, a file name, a server's reply, argparse quoting what
    was typed — can carry terminal control, whichever function printed it.  JSON written with
    `json_for_terminal` passes unchanged (it holds no control, only escapes)."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self._stream = stream

    @property
    def wrapped(self) -> TextIO:
        return self._stream

    def write(self, text: str) -> int:
        self._stream.write(for_display(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return self._stream.errors
