"""What every export format agrees on: timestamps, publication status, language, safe text.

Kept in one place so ninjs, NITF, HTML and Markdown never disagree about whether a story is usable or
what time it went out.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from newsroom_tui.domain.model import Status, Story
from newsroom_tui.text.safety import clean_line, clean_text

URN_PREFIX = "urn:newsroom:"
# IETF BCP 47 tags for the two editions.
LANGUAGE_TAGS = {"en": "en", "bn": "bn"}
# Readers can see these; every other status is withheld, and a killed story is canceled.
_USABLE = frozenset({Status.PUBLISHED, Status.CORRECTED})


def uri(story: Story) -> str:
    return f"{URN_PREFIX}{story.id}"


def pub_status(story: Story) -> str:
    """ninjs/NITF publication status: usable when live, canceled when killed, withheld otherwise."""
    if story.status in _USABLE:
        return "usable"
    if story.status is Status.KILLED:
        return "canceled"
    return "withheld"


def is_live(story: Story) -> bool:
    return story.status in _USABLE


def language(story: Story) -> str:
    return LANGUAGE_TAGS.get(story.language, "en")


def iso(value: datetime, zone: ZoneInfo) -> str:
    """RFC 3339 in the desk's zone, to the second: `2021-12-05T12:20:00+06:00`."""
    return value.astimezone(zone).replace(microsecond=0).isoformat()


def first_published(story: Story) -> datetime:
    """When the story went out, or (not yet published) when it was created: the date readers see."""
    return story.published_at or story.created_at


def text(value: str) -> str:
    """Story text made safe to encode: terminal control removed and lone surrogates replaced."""
    return clean_text(value or "")


def line(value: str) -> str:
    """A one-line field with runs of whitespace collapsed, safe to encode."""
    return " ".join(clean_line(value or "").split())


def author(story: Story) -> str:
    """Who readers are told filed the story: the byline, else the source (the wire's `byline || source`)."""
    return line(story.byline) or line(story.source)


def paragraphs(story: Story) -> list[str]:
    """Body paragraphs, cleaned; a single newline inside one stays (a line break)."""
    return [text(p) for p in story.paragraphs if text(p).strip()]


_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(value: str) -> str:
    """Drop what XML 1.0 cannot hold at all (C0 controls, U+FFFE/FFFF, lone surrogates)."""
    return _XML_ILLEGAL.sub("", value)
