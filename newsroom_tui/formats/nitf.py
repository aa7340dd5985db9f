"""NITF 3.6 XML, for the agencies and print systems that still take it.

Built with `xml.etree` (stdlib) so the runtime needs no lxml; ElementTree escapes text and attributes,
and `common.xml_safe` drops the few characters XML 1.0 cannot carry at all.  The body's light Markdown
becomes NITF's own inline markup: emphasis `<em>` (strong is `<em class="strong">`, NITF has no
strong), links `<a href>`, line breaks `<br/>`; anything else stays as text.  A kill goes out with
`docdata management-status="canceled"`, the same status ninjs uses.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from xml.etree import ElementTree as ET
from zoneinfo import ZoneInfo

from markdown_it import MarkdownIt
from markdown_it.token import Token

from newsroom_tui.domain.model import Story
from newsroom_tui.formats import common
from newsroom_tui.text import bangla

NAMESPACE = "http://iptc.org/std/NITF/2006-10-18/"
VERSION = "-//IPTC//DTD NITF 3.6//EN"
BASELANG = {"en": "en-US", "bn": "bn-BD"}
_SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
# Elements that hold only other elements: indented for people reading the file.  Mixed content
# (paragraphs, headlines, the dateline) is left alone, since whitespace there is text.
_STRUCTURAL = frozenset(
    f"{{{NAMESPACE}}}{name}"
    for name in ("nitf", "head", "docdata", "key-list", "body", "body.head", "hedline", "abstract",
                 "body.content", "body.end")
)  # fmt: skip
ET.register_namespace("", NAMESPACE)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).disable("image")


def _norm(value: datetime, zone: ZoneInfo) -> str:
    """NITF's normalised date: `20211205T122000+0600`."""
    return value.astimezone(zone).strftime("%Y%m%dT%H%M%S%z")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k.replace("_", "-"): common.xml_safe(v) for k, v in attributes.items()})
    if text is not None:
        element.text = common.xml_safe(text)
    return element


def _append_text(parent: ET.Element, text: str) -> None:
    """Text after the last child goes in its tail (ElementTree's model of mixed content)."""
    text = common.xml_safe(text)
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _inline(parent: ET.Element, tokens: list[Token]) -> None:
    stack = [parent]
    for token in tokens:
        current = stack[-1]
        kind = token.type
        if kind in ("em_open", "strong_open"):
            stack.append(_sub(current, "em", **({"class": "strong"} if kind == "strong_open" else {})))
        elif kind == "link_open":
            href = str(token.attrs.get("href", ""))
            attributes = {"href": href} if href.lower().startswith(_SAFE_LINK_SCHEMES) else {}
            stack.append(_sub(current, "a", **attributes))
        elif kind in ("em_close", "strong_close", "link_close"):
            if len(stack) > 1:
                stack.pop()
        elif kind in ("softbreak", "hardbreak"):
            _sub(current, "br")
        else:  # text, code_inline, and anything else: its text as typed
            _append_text(current, token.content)


def _paragraph(parent: ET.Element, text: str, *, lede: bool = False) -> None:
    p = _sub(parent, "p", **({"lede": "true"} if lede else {}))
    _inline(p, _markdown().parseInline(text)[0].children or [])


def nitf_element(story: Story, *, zone: ZoneInfo, ednote: bool = False) -> ET.Element:
    """The story as an NITF 3.6 element tree (namespace-qualified)."""
    language = common.language(story)
    q = f"{{{NAMESPACE}}}"

    root = ET.Element(f"{q}nitf", {"version": VERSION, "baselang": BASELANG[language]})
    head = _sub(root, f"{q}head")
    _sub(head, f"{q}title", common.line(story.headline))
    docdata = _sub(head, f"{q}docdata", management_status=common.pub_status(story))
    if story.correction_sequence and common.line(story.correction_note):
        _sub(docdata, f"{q}correction", info=common.line(story.correction_note), id_string=common.uri(story))
    _sub(docdata, f"{q}doc-id", id_string=common.uri(story), regsrc="newsroom")
    _sub(docdata, f"{q}urgency", ed_urg=str(min(9, max(1, int(story.urgency)))))
    if story.published_at is not None:  # a draft was never issued
        _sub(docdata, f"{q}date.issue", norm=_norm(story.published_at, zone))
    if story.embargo_until is not None:
        _sub(docdata, f"{q}date.release", norm=_norm(story.embargo_until, zone))
    if ednote and common.text(story.ednote).strip():
        _sub(docdata, f"{q}ed-msg", info=" ".join(common.text(story.ednote).split()))
    if common.line(story.slug):
        _sub(docdata, f"{q}du-key", key=common.line(story.slug), version=str(story.version))
    tags = [common.line(tag) for tag in story.tags if common.line(tag)]
    if tags:
        key_list = _sub(docdata, f"{q}key-list")
        for tag in tags:
            _sub(key_list, f"{q}keyword", key=tag)

    body = _sub(root, f"{q}body")
    body_head = _sub(body, f"{q}body.head")
    hedline = _sub(body_head, f"{q}hedline")
    _sub(hedline, f"{q}hl1", common.line(story.headline))
    if common.line(story.byline):
        _sub(body_head, f"{q}byline", common.line(story.byline))
    if common.line(story.source):
        _sub(body_head, f"{q}distributor", common.line(story.source))
    published = story.published_at
    if common.line(story.dateline) or published is not None:
        _dateline(body_head, story, published, zone, language)
    if common.line(story.summary):
        abstract = _sub(body_head, f"{q}abstract")
        _sub(abstract, f"{q}p", common.line(story.summary))

    content = _sub(body, f"{q}body.content")
    for index, paragraph in enumerate(common.paragraphs(story)):
        _paragraph(content, paragraph, lede=index == 0)
    if common.line(story.credit) or common.line(story.sign_off):
        end = _sub(body, f"{q}body.end")
        tagline = " · ".join(filter(None, (common.line(story.credit), common.line(story.sign_off))))
        _sub(end, f"{q}tagline", tagline)
    return root


def _indent(element: ET.Element, level: int = 0) -> None:
    if element.tag not in _STRUCTURAL or not len(element):
        return
    element.text = "\n" + "  " * (level + 1)
    for child in element:
        child.tail = "\n" + "  " * (level + 1)
        _indent(child, level + 1)
    element[-1].tail = "\n" + "  " * level


def _dateline(body_head: ET.Element, story: Story, published: datetime | None, zone: ZoneInfo, language: str) -> None:
    """`<dateline>`: the place, then the story's date once it was published (a draft has none yet)."""
    q = f"{{{NAMESPACE}}}"
    dateline = _sub(body_head, f"{q}dateline")
    if common.line(story.dateline):
        location = _sub(dateline, f"{q}location", common.line(story.dateline))
        if published is not None:
            location.tail = ", "
    if published is not None:
        _sub(
            dateline,
            f"{q}story.date",
            bangla.format_stamp(published.astimezone(zone), language),
            norm=_norm(published, zone),
        )


def export_nitf(story: Story, *, zone: ZoneInfo, ednote: bool = False) -> str:
    """The NITF document as text, with its XML declaration (UTF-8); `ednote` as for ninjs."""
    root = nitf_element(story, zone=zone, ednote=ednote)
    _indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
