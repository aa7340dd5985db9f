"""Markdown with YAML front matter, laid out the way Hugo and Jekyll read a post.

The front matter is written without a YAML library: every string is a double-quoted scalar with JSON's
escapes (YAML 1.1 and 1.2 both read those), and characters a YAML reader refuses or folds (DEL, C1
controls, NEL, U+2028/2029, U+FFFE/FFFF) are written as `\\uXXXX`.  So a headline with `:`, `"`, `#` or Bangla
reads back exactly, and the runtime needs no PyYAML.  Dates are unquoted RFC 3339 timestamps, which
both generators read as dates.  `draft` is true unless the story is live, and an embargo becomes
Hugo's `publishDate`, so a generator that builds the folder never shows a story early.
"""

from __future__ import annotations

import json
import re
from zoneinfo import ZoneInfo

from newsroom_tui.domain.model import Story
from newsroom_tui.formats import common

# Characters inside a double-quoted scalar that PyYAML (YAML 1.1) rejects or reads as a line break.
_YAML_UNSAFE = re.compile("[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]")
# `<` that could open an HTML tag, comment or declaration: written `\<` so the page shows it as typed.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
# A link to a script or local URL (`[x](javascript:…)`): written `]\(` so it stays text, since not every
# generator's Markdown filters link schemes (kramdown does not).
_UNSAFE_LINK = re.compile(r"\]\((?=\s*<?\s*(?:javascript|vbscript|data|file):)", re.IGNORECASE)
# Markdown punctuation that acts anywhere in a line, and what starts a block (list, heading, quote).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")
_BLOCK_START = re.compile(r"^(\d+(?=[.)])|[-+=#])")


def yaml_string(value: str) -> str:
    """A double-quoted YAML scalar that any YAML reader turns back into `value` (a lone surrogate, which
    no UTF-8 file can hold, becomes U+FFFD)."""
    if any("\ud800" <= char <= "\udfff" for char in value):
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    quoted = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(yaml_string(v) for v in values) + "]"


def escape_markdown(value: str) -> str:
    """Plain one-line text as Markdown that renders as typed."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    match = _BLOCK_START.match(escaped)
    if match is None:
        return escaped
    end = match.end()
    # `1.` stays a number: escape the dot after it; `-`, `+`, `=`, `#` get a backslash of their own.
    return escaped[:end] + "\\" + escaped[end:] if match.group()[0].isdigit() else "\\" + escaped


def markdown_body(story: Story) -> str:
    """The body as the desk wrote it (light Markdown), with raw HTML and script links made plain text."""
    return "\n\n".join(
        _UNSAFE_LINK.sub(r"]\\(", _TAG_START.sub(r"\\<", paragraph)) for paragraph in common.paragraphs(story)
    )


def front_matter(story: Story, *, zone: ZoneInfo) -> list[tuple[str, str]]:
    """(key, YAML value) pairs in the order written; the names are Hugo's (Jekyll reads the same ones)."""
    tags = [common.line(tag) for tag in story.tags if common.line(tag)]
    items: list[tuple[str, str]] = [
        ("title", yaml_string(common.line(story.headline))),
        ("slug", yaml_string(common.line(story.slug))),
        ("date", common.iso(common.first_published(story), zone)),
        ("lastmod", common.iso(story.updated_at, zone)),
    ]
    if story.embargo_until is not None:
        items.append(("publishDate", common.iso(story.embargo_until, zone)))
    items += [
        ("author", yaml_string(common.author(story))),
        ("tags", yaml_list(tags)),
        ("categories", yaml_list([common.line(story.desk)] if common.line(story.desk) else [])),
        ("summary", yaml_string(common.line(story.summary))),
        ("draft", "false" if common.is_live(story) else "true"),
        ("language", yaml_string(common.language(story))),
        ("byline", yaml_string(common.line(story.byline))),
        ("source", yaml_string(common.line(story.source))),
        ("dateline", yaml_string(common.line(story.dateline))),
        ("credit", yaml_string(common.line(story.credit))),
        ("sign_off", yaml_string(common.line(story.sign_off))),
        ("urgency", str(int(story.urgency))),
        ("status", yaml_string(story.status.value)),
        ("uri", yaml_string(common.uri(story))),
        ("version", str(int(story.version))),
    ]
    if story.correction_note.strip():
        items.append(("correction", yaml_string(common.line(story.correction_note))))
    return items


def export_markdown(story: Story, *, zone: ZoneInfo) -> str:
    """Front matter between `---` lines, then the body, then the credit and sign-off as plain lines."""
    lines = ["---", *(f"{key}: {value}" for key, value in front_matter(story, zone=zone)), "---", ""]
    body = markdown_body(story)
    if body:
        lines += [body, ""]
    if common.line(story.credit):
        lines += [f"_{escape_markdown(common.line(story.credit))}_", ""]
    if common.line(story.sign_off):
        lines += [escape_markdown(common.line(story.sign_off)), ""]
    return "\n".join(lines).rstrip("\n") + "\n"
