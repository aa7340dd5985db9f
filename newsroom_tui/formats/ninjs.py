"""IPTC ninjs 3.1 (News in JSON): what the webhook posts and what news APIs read.

Field names are ninjs 3.x camelCase.  The schema rejects unknown top-level fields, so everything the
desk keeps that ninjs has no field for stays out (the sign-off) or goes where ninjs allows (the desk is
a subject with `rel` "desk", tags are subjects with `rel` "about"), and `places[].geojson` is never
written (its schema is remote).  Word and character counts belong to each body in 3.1.  A
correction's note goes in `descriptions` with the role `correction`, since 3.1 has no field for it.
"""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from newsroom_tui.domain.model import Story, count_words
from newsroom_tui.formats import common
from newsroom_tui.formats.html import render_body

NINJS_VERSION = "3.1"
NINJS_SCHEMA = "https://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"
MEDIA_TYPE = "application/json"


def ninjs_object(story: Story, *, zone: ZoneInfo, ednote: bool = False) -> dict[str, Any]:
    """The story as a ninjs 3.1 object (a dict ready for `json.dumps`)."""
    plain = "\n\n".join(common.paragraphs(story))
    counts = {"charCount": len(plain), "wordCount": count_words(plain)}
    item: dict[str, Any] = {
        "uri": common.uri(story),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationType": "full",
        "version": str(story.version),
        "firstCreated": common.iso(story.created_at, zone),
        "versionCreated": common.iso(story.updated_at, zone),
        "pubStatus": common.pub_status(story),
        "urgency": min(9, max(1, int(story.urgency))),
        "language": common.language(story),
        "slugline": common.line(story.slug),
        "headlines": [{"role": "main", "contentType": "text/plain", "value": common.line(story.headline)}],
    }
    if story.embargo_until is not None:
        item["embargoedUntil"] = common.iso(story.embargo_until, zone)
    if common.line(story.byline):
        item["by"] = common.line(story.byline)
    if common.line(story.dateline):
        item["located"] = common.line(story.dateline)
    descriptions = []
    if common.line(story.summary):
        descriptions.append({"role": "summary", "contentType": "text/plain", "value": common.line(story.summary)})
    if common.line(story.correction_note):
        descriptions.append(
            {"role": "correction", "contentType": "text/plain", "value": common.line(story.correction_note)}
        )
    if descriptions:
        item["descriptions"] = descriptions
    item["bodies"] = [
        {"role": "main", "contentType": "text/html", "value": render_body(story.body), **counts},
        {"role": "main", "contentType": "text/plain", "value": plain, **counts},
    ]
    subjects = [{"name": common.line(story.desk), "rel": "desk"}] if common.line(story.desk) else []
    subjects += [{"name": common.line(tag), "rel": "about"} for tag in story.tags if common.line(tag)]
    if subjects:
        item["subjects"] = subjects
    sources = [
        {"name": common.line(value), "role": role}
        for value, role in ((story.source, "source"), (story.credit, "credit"))
        if common.line(value)
    ]
    if sources:
        item["infoSources"] = sources
    if ednote and common.text(story.ednote).strip():  # the desk's note goes out only when the desk says so
        item["edNote"] = common.text(story.ednote).strip()
    return item


def export_ninjs(story: Story, *, zone: ZoneInfo, ednote: bool = False) -> str:
    """The ninjs object as UTF-8-ready JSON text (Bengali as itself, not `\\uXXXX`); `ednote` sends the
    editor's note to partners as `edNote` (`[export] send_ednote`; off: the form promises it is never published)."""
    return json.dumps(ninjs_object(story, zone=zone, ednote=ednote), ensure_ascii=False, indent=2) + "\n"
